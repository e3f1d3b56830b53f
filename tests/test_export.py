"""The exports parsed back: strict JSON, iCalendar read by `icalendar`, CSV by the csv module."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math

import icalendar
import pytest

from goalsite.config import Config
from goalsite.dates import Duration
from goalsite.export import (
    CSV_COLUMNS, fold_line, goals_document, neutralise_cell, to_csv, to_ics, to_json,
)
from goalsite.progress import evaluate
from tests.progress_builders import entry, goal, measure, vault

D = dt.date
TODAY = D(2026, 2, 20)


class Letters:
    """A stand-in lint report answering only what the export asks."""

    def letters_ok(self, goal_id: str) -> tuple[str, ...]:
        return ("S", "M", "T") if goal_id == "talks" else ()


def example():
    items = [
        goal("career", horizon="yearly", title="Lead, grow; and \\ ship\nmore",
             review_every=Duration(3, "m"), due=D(2026, 12, 31)),
        goal("talks", measure("talks", target=4, aggregate="sum", name="Talks given", unit="talks"),
             measure("hours", baseline=60, target=50, index=1, unit="hours/week"),
             parent="career", title="=HYPERLINK(\"http://evil\") talks ✓ " + "ü" * 60,
             category="@leadership", owner="-Alex"),
        entry(D(2026, 1, 15), goal_id="talks", talks=1, hours=58),
        entry(D(2026, 2, 10), goal_id="talks", talks=1, hours=math.inf),
    ]
    built = vault(*items, config=Config(title="Alex, goals; 2026"))
    return built, evaluate(built, TODAY)


def test_json_document_has_the_stable_keys_and_exact_values() -> None:
    built, progress = example()
    document = json.loads(to_json(goals_document(built, progress, Letters(), TODAY)))
    assert (sorted(document), document["today"]) == (["goals", "today"], "2026-02-20")
    career, talks = document["goals"]  # cascade order: the yearly goal, then its child
    assert sorted(talks) == sorted([
        "id", "title", "horizon", "parent", "category", "status", "owner", "start", "due",
        "progress", "expected", "pace", "days_ahead", "review_due", "forecast", "smart",
        "measures", "path", "history",
    ])
    # talks: 0 + 1 + 1 = 2 of 4 → 0.5; hours: 58 (inf ignored) → (58 - 60) / (50 - 60) = 0.2
    # goal: (0.5 + 0.2) / 2 = 0.35; expected 50 / 100 = 0.5 → -15 points: behind
    assert talks["measures"] == [
        {"key": "talks", "name": "Talks given", "unit": "talks", "baseline": 0, "target": 4,
         "current": 2, "progress": 0.5},
        {"key": "hours", "name": None, "unit": "hours/week", "baseline": 60, "target": 50,
         "current": 58, "progress": 0.2},
    ]
    assert (talks["progress"], talks["expected"], talks["pace"], talks["days_ahead"]) == (
        0.35, 0.5, "behind", -15)
    assert (talks["start"], talks["due"], talks["review_due"]) == ("2026-01-01", "2026-04-11", "2026-04-01")
    assert (talks["smart"], talks["path"], talks["parent"]) == (["S", "M", "T"], "goals/talks.md", "career")
    # the parent rolls up its only child; 2026-01-01 + 3 months = 2026-04-01
    assert (career["progress"], career["measures"], career["review_due"]) == (0.35, [], "2026-04-01")


def test_json_without_a_lint_report_has_null_smart() -> None:
    built, progress = example()
    document = goals_document(built, progress, None, TODAY)
    assert all(g["smart"] is None for g in document["goals"])


def test_json_never_holds_nan_or_infinity() -> None:
    items = [goal("g", measure(baseline=math.nan, target=math.inf)), entry(D(2026, 1, 5), value=1e308),
             entry(D(2026, 1, 6), value=1e308)]
    built = vault(*items)
    text = to_json(goals_document(built, evaluate(built, TODAY), None, TODAY))
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
    (record,) = json.loads(text)["goals"]
    assert record["measures"][0]["baseline"] is None and record["measures"][0]["target"] is None


def test_json_is_byte_identical_across_runs() -> None:
    built, progress = example()
    first = to_json(goals_document(built, progress, Letters(), TODAY))
    built, progress = example()
    assert to_json(goals_document(built, progress, Letters(), TODAY)) == first


def test_ics_parses_with_stable_uids_and_all_day_events() -> None:
    built, progress = example()
    text = to_ics(built, progress, TODAY)
    calendar = icalendar.Calendar.from_ical(text)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    # no owner in goalsite.toml: the vault's title "Alex, goals; 2026" tells whose goals they are
    assert sorted(events) == ["due-career.alex-goals-2026@goalsite", "due-talks.alex-goals-2026@goalsite",
                              "review-career.alex-goals-2026@goalsite", "review-talks.alex-goals-2026@goalsite"]
    due = events["due-career.alex-goals-2026@goalsite"]
    assert due.decoded("DTSTART") == D(2026, 12, 31) and due.decoded("DTEND") == D(2027, 1, 1)
    # escaping round-trips: comma, semicolon, backslash and newline
    assert str(due["SUMMARY"]) == "Due: Lead, grow; and \\ ship\nmore"
    assert str(events["review-talks.alex-goals-2026@goalsite"]["SUMMARY"]).startswith("Review: =HYPERLINK")
    assert events["review-talks.alex-goals-2026@goalsite"].decoded("DTSTART") == D(2026, 4, 1)
    assert "\r\nX-WR-CALNAME:Alex\\, goals\\; 2026\r\n" in text


def test_ics_uids_tell_two_peoples_goals_apart() -> None:
    items = [goal("talks", measure())]
    alex = to_ics(vault(*items, config=Config(owner="Alex Morgan")), evaluate(vault(*items), TODAY), TODAY)
    sam = to_ics(vault(*items, config=Config(owner="Sam Lee")), evaluate(vault(*items), TODAY), TODAY)
    nobody = to_ics(vault(*items), evaluate(vault(*items), TODAY), TODAY)
    uids = [sorted(str(e["UID"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT"))
            for text in (alex, sam, nobody)]
    assert uids == [["due-talks.alex-morgan@goalsite", "review-talks.alex-morgan@goalsite"],
                    ["due-talks.sam-lee@goalsite", "review-talks.sam-lee@goalsite"],
                    ["due-talks.goals@goalsite", "review-talks.goals@goalsite"]]  # the default title


def test_ics_lines_are_crlf_and_folded_at_75_octets() -> None:
    built, progress = example()
    text = to_ics(built, progress, TODAY)
    assert text.endswith("END:VCALENDAR\r\n")
    lines = text.split("\r\n")[:-1]
    assert all("\n" not in line and "\r" not in line for line in lines)
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)  # the long title was folded
    assert "DTSTAMP:20260220T000000Z" in lines


def test_fold_line_never_splits_a_character() -> None:
    line = "SUMMARY:" + "€" * 100
    physical = fold_line(line).split("\r\n ")
    assert "".join(physical) == line
    # "SUMMARY:" (8) + 22 × 3 = 74 ≤ 75; continuations hold 74 after their space: 24 × 3 = 72;
    # 8 + 100 × 3 = 308 octets = 74 + 72 + 72 + 72 + 18
    assert [len(p.encode()) for p in physical] == [74, 72, 72, 72, 18]


def test_csv_has_a_row_per_measure_and_neutralises_formulas() -> None:
    built, progress = example()
    rows = list(csv.DictReader(io.StringIO(to_csv(built, progress))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [(r["goal_id"], r["measure_key"]) for r in rows] == [
        ("career", ""), ("talks", "talks"), ("talks", "hours")]
    talks = rows[1]
    assert talks["goal_title"].startswith("'=HYPERLINK(")
    assert (talks["category"], talks["owner"]) == ("'@leadership", "'-Alex")
    # our own numbers stay numbers, negative ones included
    assert (talks["days_ahead"], talks["measure_progress"], talks["current"]) == ("-15", "0.5", "2")
    assert rows[2]["direction"] == "down"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_cell(text: str) -> None:
    assert neutralise_cell(text) == "'" + text


def test_neutralise_cell_leaves_plain_text() -> None:
    assert neutralise_cell("Talks, given") == "Talks, given"
