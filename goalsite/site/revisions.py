"""The goal page's "History" section: git revisions as rows a template lays out (SPEC §5).

Each row is one commit that changed the goal's front matter: its date, subject, author, short
id, and each changed field in the user's words (`target of Company presentations: 6 → 5`). The
commit that added the file reads "Goal added". Python decides every text here; the template
only lists them (STYLE habit 13).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from goalsite.history import GoalHistory
from goalsite.historyparse import SnapshotValue
from goalsite.model import Goal

# A changed text longer than this is cut: the history says what changed, the file says the rest.
_LONGEST = 90
ABSENT = "—"


@dataclass(frozen=True)
class FieldChange:
    """One changed field: its label and both values as shown (`—` where it was absent)."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class RevisionRow:
    date: dt.date
    subject: str
    author: str
    commit: str
    short: str
    changes: tuple[FieldChange, ...]

    @property
    def added(self) -> bool:
        """The commit that added the goal's file (it changes nothing yet)."""
        return not self.changes


@dataclass(frozen=True)
class HistorySection:
    """The rows, newest first, and how many commits changed only the notes below the front
    matter (counted, not listed: issue 9)."""

    rows: tuple[RevisionRow, ...]
    body_only: int


def history_section(goal: Goal, history: GoalHistory | None) -> HistorySection | None:
    """The History section of `goal`'s page, or None when git knows nothing of it (no
    section at all, never a placeholder)."""
    if history is None or not history.revisions:
        return None
    rows = tuple(
        RevisionRow(
            date=revision.date, subject=revision.subject, author=revision.author,
            commit=revision.commit, short=revision.commit[:7],
            changes=tuple(FieldChange(field_label(goal, change.field), shown(change.old),
                                      shown(change.new)) for change in revision.changes),
        )
        for revision in history.revisions
    )
    return HistorySection(rows, history.body_only_commits)


def field_label(goal: Goal, name: str) -> str:
    """A dotted field in words: `due`; `measures.talks.target` → `target of <the measure's
    label>` (its key when the measure is gone); `obstacles.0.plan` → `plan of obstacle 1`."""
    parts = name.split(".")
    if len(parts) >= 3 and parts[0] == "measures":
        key, inner = parts[1], ".".join(parts[2:])
        measure = next((m for m in goal.measures if m.key == key), None)
        return f"{inner} of {measure.label if measure is not None else key}"
    if len(parts) >= 3 and parts[1].isdigit():
        return f"{'.'.join(parts[2:])} of {parts[0].rstrip('s')} {int(parts[1]) + 1}"
    return name


def shown(value: SnapshotValue) -> str:
    """A front-matter value as written, short: numbers without a needless `.0`, lists joined
    with commas, long texts cut."""
    if value is None:
        return ABSENT
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, tuple):
        text = ", ".join(shown(item) for item in value) or "[]"
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= _LONGEST else text[:_LONGEST - 1] + "…"
