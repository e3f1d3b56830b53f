"""The README tells the truth: its links lead to files, the commands it names exist."""

from __future__ import annotations

import re

from tests.conftest import REPO, run_goalsite

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_relative_link_leads_to_a_file() -> None:
    targets = [target for target in re.findall(r"\]\(([^)#]+)\)", README) if "://" not in target]
    assert targets
    assert [target for target in targets if not (REPO / target).exists()] == []


def test_the_commands_it_describes_are_commands() -> None:
    # `serve` joins this list once the watch/serve command is on the command line.
    named = set(re.findall(r"`goalsite (status|review|export|lint|build|init|new|log)\b", README))
    listed = run_goalsite("--help").stdout
    assert {"status", "review", "export", "lint", "build"} <= named
    assert [name for name in sorted(named) if f"\n  {name} " not in listed] == []
