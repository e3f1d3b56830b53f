"""Machine-readable exports of the goals and their progress: JSON, iCalendar and CSV.

Pure functions (no I/O): `goalsite export` prints or writes what they return, and the site
writes the same `goals.json` and `calendar.ics`. The numbers come from `progress.evaluate`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from goalsite.model import Goal, Vault
from goalsite.progress import GoalProgress, MeasureProgress, VaultProgress
from goalsite.readers import slugify

if TYPE_CHECKING:
    from goalsite.history import GoalHistory
    from goalsite.historyparse import SnapshotValue

# JSON values as they cross into the document: no Any, no NaN.
JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]


class SmartLetters(Protocol):
    """What the export reads from a lint report: the S.M.A.R.T. letters a goal satisfies."""

    def letters_ok(self, goal_id: str) -> tuple[str, ...]: ...


# --- JSON -------------------------------------------------------------------------------------


def goals_document(
    vault: Vault, progress: VaultProgress, lint_report: SmartLetters | None, today: dt.date,
    *, history: Mapping[str, GoalHistory] | None = None,
) -> dict[str, JSONValue]:
    """`{"today": …, "goals": […]}`, goals in cascade order; the names are a stable contract.

    `smart` is the list of letters the linter found satisfied, or null without a lint report.
    `history` lists the commits that changed the goal's front matter, newest first, from the
    goal histories by path (empty without git, see history.py).
    """
    goals: list[JSONValue] = []
    histories = history or {}
    for goal, _depth in vault.cascade():
        record = _goal_record(goal, progress.goal(goal.id), lint_report)
        record["history"] = _history_records(histories.get(goal.path))
        goals.append(record)
    return {"today": today.isoformat(), "goals": goals}


def to_json(document: Mapping[str, JSONValue]) -> str:
    """Strict JSON (a NaN or an infinity is a bug and raises), sorted keys, ending in a newline."""
    return json.dumps(document, allow_nan=False, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _goal_record(goal: Goal, progress: GoalProgress,
                 lint_report: SmartLetters | None) -> dict[str, JSONValue]:
    smart: JSONValue = None
    if lint_report is not None:
        smart = list(lint_report.letters_ok(goal.id))
    return {
        "id": goal.id,
        "title": goal.title,
        "horizon": goal.horizon,
        "parent": goal.parent,
        "category": goal.category,
        "status": goal.status,
        "owner": goal.owner,
        "start": _date(goal.start),
        "due": _date(goal.due),
        "progress": _number(progress.progress),
        "expected": _number(progress.expected),
        "pace": progress.pace,
        "days_ahead": progress.days_ahead,
        "review_due": _date(progress.review_due),
        "forecast": _date(progress.forecast),
        "smart": smart,
        "measures": [_measure_record(m) for m in progress.measures],
        "path": goal.path,
    }


def _history_records(history: GoalHistory | None) -> list[JSONValue]:
    """`{date, commit, author, subject, changes: {field: [old, new]}}` per revision, newest
    first; a field that was absent on one side is null there."""
    if history is None:
        return []
    return [{
        "date": revision.date.isoformat(),
        "commit": revision.commit,
        "author": revision.author,
        "subject": revision.subject,
        "changes": {change.field: [_json_value(change.old), _json_value(change.new)]
                    for change in revision.changes},
    } for revision in history.revisions]


def _json_value(value: SnapshotValue) -> JSONValue:
    """A front-matter value from git as JSON: lists for tuples, no NaN (history keeps
    non-finite numbers as text already)."""
    if isinstance(value, tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _measure_record(progress: MeasureProgress) -> JSONValue:
    measure = progress.measure
    return {
        "key": measure.key,
        "name": measure.name,
        "unit": measure.unit,
        "baseline": _number(measure.baseline),
        "target": _number(measure.target),
        "current": _number(progress.current),
        "progress": _number(progress.progress),
    }


def _number(value: float | None) -> int | float | None:
    """A finite number (whole numbers as integers, `5` not `5.0`); NaN and infinities → null."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    if not math.isfinite(number):
        return None
    if number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


# --- iCalendar (RFC 5545) ---------------------------------------------------------------------

_PRODID = "-//goalsite//goalsite//EN"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FOLD_AT = 75  # octets per line, CRLF excluded (RFC 5545 §3.1)


def to_ics(vault: Vault, progress: VaultProgress, today: dt.date) -> str:
    """An iCalendar file: an all-day event per goal due date and per review due date.

    UIDs are built from the goal id and the vault's owner (else its title): a calendar that
    subscribes sees the same event move when a date changes, and a coach who subscribes to
    several clients' calendars sees no two clients' `talks` goals merge into one event.
    DTSTAMP is `today` at midnight UTC, keeping the output reproducible.
    """
    stamp = today.strftime("%Y%m%dT000000Z")
    whose = slugify(vault.config.owner or "") or slugify(vault.config.title) or "goals"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(vault.config.title)}",
    ]
    for goal, _depth in vault.cascade():
        goal_progress = progress.goal(goal.id)
        if goal.due is not None:
            lines += _event(f"due-{goal.id}.{whose}", goal.due, stamp, f"Due: {_title(goal)}",
                            _description(goal, goal_progress), goal.category)
        if goal_progress.review_due is not None:
            lines += _event(f"review-{goal.id}.{whose}", goal_progress.review_due, stamp,
                            f"Review: {_title(goal)}",
                            f"Time to review this goal (every {goal.review_every.describe()}).\n"
                            + _description(goal, goal_progress), goal.category)
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def _event(uid: str, day: dt.date, stamp: str, summary: str, description: str,
           category: str | None) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}@goalsite",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
    ]
    if day < dt.date.max:
        lines.append(f"DTEND;VALUE=DATE:{(day + dt.timedelta(days=1)).strftime('%Y%m%d')}")
    lines += [
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        "TRANSP:TRANSPARENT",
    ]
    if category:
        lines.append(f"CATEGORIES:{escape_text(category)}")
    lines.append("END:VEVENT")
    return lines


def _title(goal: Goal) -> str:
    return goal.title or goal.id


def _description(goal: Goal, progress: GoalProgress) -> str:
    shown = "no progress yet" if progress.progress is None else f"{progress.progress:.0%} done"
    parts = [f"{shown}, {progress.pace}", f"status {goal.status}", f"file {goal.path}"]
    return "; ".join(parts)


def escape_text(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma escaped; newlines as \\n; controls removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold_line(line: str) -> str:
    """Fold a content line to 75 octets per physical line, never inside a UTF-8 character."""
    if len(line.encode("utf-8")) <= _FOLD_AT:
        return line
    pieces: list[str] = []
    current = ""
    size = 0
    limit = _FOLD_AT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
            limit = _FOLD_AT - 1  # continuation lines begin with one space
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


# --- CSV ----------------------------------------------------------------------------------------

CSV_COLUMNS: tuple[str, ...] = (
    "goal_id", "goal_title", "horizon", "parent", "category", "status", "owner", "start", "due",
    "goal_progress", "expected", "pace", "days_ahead", "review_due", "forecast",
    "measure_key", "measure_name", "unit", "baseline", "target", "aggregate", "direction",
    "current", "measure_progress", "path",
)
# Spreadsheets run a cell starting with these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(vault: Vault, progress: VaultProgress) -> str:
    """One row per measure (a goal without measures gets one row with empty measure cells)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in _csv_rows(vault, progress):
        writer.writerow(row)
    return buffer.getvalue()


def _csv_rows(vault: Vault, progress: VaultProgress) -> Iterator[Sequence[str]]:
    for goal, _depth in vault.cascade():
        goal_progress = progress.goal(goal.id)
        head = [
            _text(goal.id), _text(goal.title), _text(goal.horizon), _text(goal.parent),
            _text(goal.category), _text(goal.status), _text(goal.owner), _date_cell(goal.start),
            _date_cell(goal.due), _number_cell(goal_progress.progress),
            _number_cell(goal_progress.expected), goal_progress.pace,
            _number_cell(goal_progress.days_ahead), _date_cell(goal_progress.review_due),
            _date_cell(goal_progress.forecast),
        ]
        if not goal_progress.measures:
            yield [*head, "", "", "", "", "", "", "", "", "", _text(goal.path)]
        for m in goal_progress.measures:
            yield [
                *head, _text(m.measure.key), _text(m.measure.name), _text(m.measure.unit),
                _number_cell(m.measure.baseline), _number_cell(m.measure.target),
                m.measure.aggregate, m.measure.effective_direction, _number_cell(m.current),
                _number_cell(m.progress), _text(goal.path),
            ]


def neutralise_cell(text: str) -> str:
    """Prefix a quote to text a spreadsheet would run as a formula (`=HYPERLINK(…)`)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _text(value: str | None) -> str:
    # Only text from the user's files is neutralised: our own numbers (-20 days) stay numbers.
    return "" if value is None else neutralise_cell(value)


def _number_cell(value: float | None) -> str:
    number = _number(value)
    return "" if number is None else str(round(number, 6) if isinstance(number, float) else number)


def _date_cell(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""
