"""Shared fixtures: a real CLI run in a subprocess-free way and temporary vaults of real files."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_VAULT = REPO / "example-vault"
TODAY = "2026-11-23"


def run_goalsite(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                 input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real `goalsite` command line (`python -m goalsite`) and capture its output."""
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})}
    environment.pop("GOALSITE_TODAY", None) if env is None or "GOALSITE_TODAY" not in env else None
    return subprocess.run(
        [sys.executable, "-m", "goalsite", *args],
        cwd=cwd, env=environment, input=input, capture_output=True, text=True, timeout=timeout,
    )


def run_in_a_terminal(*args: str, columns: int = 100,
                      env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run `python -m goalsite` with a pseudo-terminal as its output, like a shell does; return
    its exit code and what the terminal received (colour codes included)."""
    import pty

    controller, terminal = pty.openpty()
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("NO_COLOR", "FORCE_COLOR", "GOALSITE_TODAY")}
    environment.update(TERM="xterm-256color", COLUMNS=str(columns), LINES="50", **(env or {}))
    process = subprocess.Popen([sys.executable, "-m", "goalsite", *args], stdin=terminal,
                               stdout=terminal, stderr=terminal, env=environment, close_fds=True)
    os.close(terminal)
    screen = read_terminal(controller)
    return process.wait(timeout=60), screen.replace("\r\n", "\n")


def read_terminal(controller: int) -> str:
    """Everything written to a pseudo-terminal until the process on the other side closes it."""
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", errors="replace")


@pytest.fixture
def write(tmp_path: Path):
    """Write a dedented text file under the temporary vault and return its path."""

    def _write(relative: str, text: str | bytes) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write
