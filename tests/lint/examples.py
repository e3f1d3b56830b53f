"""Read the failing and passing example files out of a rule's documentation."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from goalsite.lint import LintReport, lint_vault
from goalsite.lint.registry import Rule
from goalsite.load import load_vault

TODAY = dt.date(2026, 11, 23)
_FILE = re.compile(r"^`([^`]+)`\n```(?:markdown|toml)\n(.*?)^```$", re.MULTILINE | re.DOTALL)

Files = tuple[tuple[str, str], ...]


def examples(rule: Rule) -> tuple[Files, Files]:
    """(failing files, passing files) as (vault-relative path, text) pairs."""
    failing, _, passing = rule.doc.partition("**Passing example**")
    failing = failing.partition("**Failing example**")[2]
    return _files(failing), _files(passing)


def _files(section: str) -> Files:
    return tuple((match.group(1), match.group(2)) for match in _FILE.finditer(section))


def lint_files(root: Path, files: Files) -> LintReport:
    """Write `files` as a vault under `root` and lint it on TODAY."""
    for relative, text in files:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return lint_vault(load_vault(root), TODAY)
