"""The command line's skeleton: version, help, and usage errors exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goalsite import __version__
from tests.conftest import run_goalsite


def test_version_prints_the_package_version() -> None:
    result = run_goalsite("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"goalsite, version {__version__}"


def test_help_ends_with_an_example() -> None:
    result = run_goalsite("--help")
    assert result.returncode == 0
    assert "goalsite --today 2026-11-23 lint example-vault" in result.stdout


def test_an_unknown_command_is_a_usage_error() -> None:
    result = run_goalsite("frobnicate")
    assert result.returncode == 2
    assert "No such command" in result.stderr


def test_the_vault_defaults_to_the_working_folder(tmp_path: Path) -> None:
    (tmp_path / "goals").mkdir()
    (tmp_path / "goals" / "talks.md").write_text("---\ntitle: Give 5 talks\n---\n", encoding="utf-8")
    here = run_goalsite("--today", "2026-11-23", "export", cwd=tmp_path)
    named = run_goalsite("--today", "2026-11-23", "export", str(tmp_path))
    assert here.returncode == 0, here.stderr
    assert [goal["id"] for goal in json.loads(here.stdout)["goals"]] == ["talks"]
    assert here.stdout == named.stdout


@pytest.mark.parametrize(("args", "env"), [
    (("--today", "2026-02-30", "status"), {}),
    (("status",), {"GOALSITE_TODAY": "tomorrow"}),
], ids=["option", "environment"])
def test_a_bad_today_is_a_usage_error(tmp_path: Path, args: tuple[str, ...], env: dict[str, str]) -> None:
    result = run_goalsite(*args, str(tmp_path), env=env)
    assert result.returncode == 2
    assert "--today / GOALSITE_TODAY" in result.stderr
    assert result.stdout == ""
