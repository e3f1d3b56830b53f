"""The command line's skeleton: version, help, and usage errors exit 2."""

from __future__ import annotations

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
