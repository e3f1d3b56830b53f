"""The loader on real vault folders: good files become records, bad ones findings (SPEC §2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from goalsite.dates import Duration
from goalsite.errors import UsageError
from goalsite.load import load_vault

GOOD_GOAL = """
---
title: Deliver 5 company presentations
horizon: quarterly
parent: leadership
start: 2026-01-05
due: 2026-03-31
measures:
  - key: talks
    name: Presentations delivered
    baseline: 0
    target: 5
    aggregate: sum
---
Body.
"""


def codes(vault) -> list[tuple[str, str, int, int]]:
    return [(f.path, f.code, f.line, f.column) for f in vault.findings]


def test_a_well_formed_vault_loads_with_defaults(tmp_path: Path, write) -> None:
    write("goalsite.toml", 'owner = "Alex Morgan"\ncoach = "Sam Lee"\nreview_every = "30d"\n')
    write("goals/talks.md", GOOD_GOAL)
    write("goals/leadership.md", """
        ---
        title: Move into senior leadership
        horizon: long-term
        status: draft
        owner: Someone Else
        ---
        """)
    write("notes/elsewhere.md", "---\ntype: goal\ntitle: Declared elsewhere\n---\n")
    write("journal/2026/02-14 second talk.md", """
        ---
        date: 2026-02-14
        goal: talks
        values:
          talks: 1
        ---
        # Second talk

        It went well.
        """)
    write("journal/2026/02-01.md", "---\ndate: 2026-02-01T18:30:00\ngoals: [talks, leadership]\nvalue: 1\nkind: review\n---\n")
    vault = load_vault(tmp_path)
    assert codes(vault) == []
    assert [goal.id for goal in vault.goals] == ["elsewhere", "leadership", "talks"]
    talks = vault.goal("talks")
    assert talks is not None
    assert (talks.title, talks.status, talks.owner, talks.coach) == (
        "Deliver 5 company presentations", "active", "Alex Morgan", "Sam Lee")
    assert talks.review_every == Duration(30, "d")
    assert (talks.start, talks.start_given, talks.due) == (dt.date(2026, 1, 5), True, dt.date(2026, 3, 31))
    assert talks.measures[0].key == "talks" and talks.measures[0].direction == "up"
    assert talks.position_of(("measures", 0, "target")).line == 11
    assert talks.body == "Body.\n" and talks.source.body_line == 14
    assert talks.given == frozenset({"title", "horizon", "parent", "start", "due", "measures"})
    lead = vault.goal("leadership")
    assert lead is not None and (lead.status, lead.owner) == ("draft", "Someone Else")
    assert [entry.id for entry in vault.entries] == ["2026-02-01", "2026-02-14-second-talk"]
    first, second = vault.entries
    assert (first.date, first.time, first.goals, first.kind) == (
        dt.date(2026, 2, 1), dt.time(18, 30), ("talks", "leadership"), "review")
    assert first.values[0].key is None and first.values[0].number == 1.0
    assert second.title == "Second talk"
    assert [e.id for e in vault.entries_for("talks")] == ["2026-02-01", "2026-02-14-second-talk"]
    assert vault.children("leadership") == (talks,)
    assert vault.files == ("goals/leadership.md", "goals/talks.md",
                           "journal/2026/02-01.md", "journal/2026/02-14 second talk.md",
                           "notes/elsewhere.md")


def test_start_comes_from_first_seen_then_from_the_file_date(tmp_path: Path, write) -> None:
    write("goals/a.md", "---\ntitle: A\n---\n")
    write("goals/b.md", "---\ntitle: B\n---\n")
    import os
    os.utime(tmp_path / "goals/b.md", (1767225600, 1767225600))  # 2026-01-01 00:00 UTC
    vault = load_vault(tmp_path, first_seen={"goals/a.md": dt.date(2025, 6, 1)})
    a, b = vault.goals
    assert (a.start, a.start_given) == (dt.date(2025, 6, 1), False)
    assert (b.start, b.start_given) == (dt.date(2026, 1, 1), False)


def test_a_root_that_is_not_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        load_vault(tmp_path / "missing")
    (tmp_path / "file.md").write_text("x")
    with pytest.raises(UsageError):
        load_vault(tmp_path / "file.md")
