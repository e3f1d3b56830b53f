"""`goalsite lint` reads front matter only: it must not import the Markdown renderer, the
templates or the site (STYLE: the pipeline stopped early; a linter in CI starts fast)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.lint.examples import TODAY

EXAMPLE_VAULT = Path(__file__).resolve().parents[2] / "example-vault"
# What only rendering needs.
NOT_FOR_LINT = ("markdown_it", "mdit_py_plugins", "jinja2", "goalsite.site", "goalsite.build",
                "watchdog", "goalsite.serve", "goalsite.watch")


def imported_modules(*args: str) -> set[str]:
    """Every module `python -m goalsite ARGS` imports, from `-X importtime`."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "goalsite", *args],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    assert lines, "python -X importtime printed nothing"
    return {line.rsplit("|", 1)[1].strip() for line in lines[1:]}


def test_lint_imports_no_markdown_renderer_nor_templates() -> None:
    modules = imported_modules("--today", str(TODAY), "lint", str(EXAMPLE_VAULT), "--format", "json")
    assert "goalsite.lint.engine" in modules
    rendering = sorted(m for m in modules if m.split(".")[0] in NOT_FOR_LINT
                       or any(m == name or m.startswith(name + ".") for name in NOT_FOR_LINT))
    assert rendering == []
