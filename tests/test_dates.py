"""Dates and durations: parsing with readable reasons, calendar arithmetic, resolving today."""

from __future__ import annotations

import datetime as dt

import pytest

from goalsite.dates import Duration, add_months, last_valid_day, parse_date, parse_duration, resolve_today


@pytest.mark.parametrize(
    ("text", "expected"),
    [("14d", Duration(14, "d")), ("2w", Duration(2, "w")), ("3m", Duration(3, "m")),
     (" 90d ", Duration(90, "d")), ("1y", Duration(1, "y"))],
    ids=["days", "weeks", "months", "spaces", "year"],
)
def test_parse_duration_reads_each_unit(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "0d", "90", "3 months", "-2w", "1.5m"], ids=repr)
def test_parse_duration_refuses_other_text(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


def test_months_follow_the_calendar_and_clamp_to_the_last_day() -> None:
    assert Duration(3, "m").after(dt.date(2026, 1, 31)) == dt.date(2026, 4, 30)
    assert Duration(1, "m").after(dt.date(2028, 1, 31)) == dt.date(2028, 2, 29)
    assert Duration(1, "y").after(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert Duration(2, "w").after(dt.date(2026, 12, 25)) == dt.date(2027, 1, 8)
    assert add_months(dt.date(2026, 11, 15), -11) == dt.date(2025, 12, 15)


def test_parse_date_explains_an_impossible_day() -> None:
    with pytest.raises(ValueError) as caught:
        parse_date("2026-02-30")
    assert str(caught.value) == "'2026-02-30' is not a date: February has 28 days in 2026"
    assert last_valid_day("2026-02-30") == "2026-02-28"
    assert last_valid_day("2028-02-31") == "2028-02-29"
    assert last_valid_day("2026-13-01") is None


def test_today_prefers_the_option_then_the_environment_then_the_vault() -> None:
    pinned = dt.date(2026, 1, 1)
    assert resolve_today("2026-11-23", {"GOALSITE_TODAY": "2025-01-01"}, pinned) == dt.date(2026, 11, 23)
    assert resolve_today(None, {"GOALSITE_TODAY": "2025-01-01"}, pinned) == dt.date(2025, 1, 1)
    assert resolve_today(None, {}, pinned) == pinned
    with pytest.raises(ValueError):
        resolve_today("yesterday", {})
