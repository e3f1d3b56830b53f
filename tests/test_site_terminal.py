"""What `goalsite build` prints (issue 6): one line, `built N pages in X s → DIR/`, and on a
terminal a progress bar for a long build, on stderr, gone when the build ends."""

from __future__ import annotations

import datetime as dt
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import TODAY, read_terminal, run_goalsite


def long_vault(root: Path, entries: int = 320) -> Path:
    """One goal and a journal long enough for the bar (past 300 files)."""
    (root / "goals").mkdir(parents=True)
    (root / "journal").mkdir()
    (root / "goals" / "run.md").write_text(
        "---\ntitle: Run 300 km by December\nhorizon: quarterly\nstart: 2026-01-01\n"
        "due: 2026-12-31\nmeasure: {unit: km, baseline: 0, target: 300}\n---\n", encoding="utf-8")
    for number in range(entries):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=number)
        (root / "journal" / f"{day}.md").write_text(
            f"---\ndate: {day}\ngoal: run\nvalue: 1\n---\nRan.\n", encoding="utf-8")
    return root


def build_on_a_terminal(vault: Path, output: Path) -> tuple[int, str, str]:
    """Run the real CLI with stderr on a pseudo-terminal; return (exit code, stdout, stderr)."""
    controller, terminal = pty.openpty()
    environment = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    environment.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "goalsite", "--today", TODAY, "build", str(vault), "-o", str(output)],
        stdout=subprocess.PIPE, stderr=terminal, env=environment,
    )
    os.close(terminal)
    stdout = process.stdout.read().decode("utf-8") if process.stdout else ""
    process.wait(timeout=120)
    return process.returncode, stdout, read_terminal(controller)


def test_a_long_build_shows_a_bar_on_the_terminal_and_one_line_on_stdout(tmp_path: Path) -> None:
    vault = long_vault(tmp_path / "vault")
    code, stdout, stderr = build_on_a_terminal(vault, tmp_path / "site")
    assert code == 0, stderr
    assert re.fullmatch(r"built 346 pages in \d+\.\d\d s → .*/site/\n", stdout), stdout
    assert "building" in stderr and "━" in stderr


def test_in_a_pipe_there_is_no_bar(tmp_path: Path) -> None:
    vault = long_vault(tmp_path / "vault", entries=310)
    done = run_goalsite("--today", TODAY, "build", str(vault), "-o", str(tmp_path / "site"))
    assert done.returncode == 0
    assert re.fullmatch(r"built 336 pages in \d+\.\d\d s → .*/site/\n", done.stdout), done.stdout
    assert done.stderr == ""
