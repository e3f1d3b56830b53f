"""Dates and durations; the only place where "today" is resolved (SPEC §3)."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

DurationUnit = Literal["d", "w", "m", "y"]

_DURATION = re.compile(r"^\s*(\d{1,4})\s*(d|w|m|y)\s*$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UNIT_WORDS = {"d": "day", "w": "week", "m": "month", "y": "year"}


@dataclass(frozen=True, order=True)
class Duration:
    """A span such as `14d`, `2w`, `3m` or `1y`; months and years follow the calendar."""

    amount: int
    unit: DurationUnit

    def after(self, day: dt.date) -> dt.date:
        """The date this duration after `day` (the 31st plus a month is the month's last day)."""
        if self.unit == "d":
            return day + dt.timedelta(days=self.amount)
        if self.unit == "w":
            return day + dt.timedelta(weeks=self.amount)
        months = self.amount * (12 if self.unit == "y" else 1)
        return add_months(day, months)

    @property
    def approximate_days(self) -> int:
        """Length in days, counting a month as 30 and a year as 365, for comparisons."""
        per_unit = {"d": 1, "w": 7, "m": 30, "y": 365}[self.unit]
        return self.amount * per_unit

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    def describe(self) -> str:
        """Words for people: `3 months`, `1 week`."""
        word = _UNIT_WORDS[self.unit]
        return f"{self.amount} {word}{'' if self.amount == 1 else 's'}"


def parse_duration(text: str) -> Duration:
    """Parse `14d`, `2w`, `3m`, `1y`; raise ValueError with a readable reason otherwise."""
    match = _DURATION.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValueError(
            f"{text!r} is not a duration: write a positive number and a unit, "
            "d (days), w (weeks), m (months) or y (years), like 90d or 3m"
        )
    return Duration(int(match.group(1)), match.group(2))  # type: ignore[arg-type]


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months, clamped to the target month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def parse_date(text: str) -> dt.date:
    """Parse `YYYY-MM-DD`; raise ValueError saying what is wrong (`February has 28 days in 2026`)."""
    match = _ISO_DATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date: write it as YYYY-MM-DD, like 2026-03-31")
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} is not a date: there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        raise ValueError(f"{text!r} is not a date: {name} has {last} days in {year}")
    return dt.date(year, month, day)


def last_valid_day(text: str) -> str | None:
    """For an impossible `YYYY-MM-DD` with a real month, the month's last day (for fixes)."""
    match = _ISO_DATE.match(text.strip())
    if not match:
        return None
    year, month, _ = (int(part) for part in match.groups())
    if not 1 <= month <= 12 or year < 1:
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def resolve_today(
    option: str | None,
    environ: Mapping[str, str] | None = None,
    configured: dt.date | None = None,
) -> dt.date:
    """The evaluation date: `--today`, else GOALSITE_TODAY, else the vault's `today`, else the clock.

    Raise ValueError when a given value is not a date. Nothing else in goalsite reads the clock
    for "today": every function below the command line receives it as a parameter.
    """
    environ = os.environ if environ is None else environ
    if option:
        return parse_date(option)
    pinned = environ.get("GOALSITE_TODAY", "").strip()
    if pinned:
        return parse_date(pinned)
    if configured is not None:
        return configured
    return dt.date.today()


def days_between(start: dt.date, end: dt.date) -> int:
    """Whole days from `start` to `end` (negative when `end` is earlier)."""
    return (end - start).days


def as_date(value: dt.date | dt.datetime) -> dt.date:
    """The calendar date of a date or datetime."""
    return value.date() if isinstance(value, dt.datetime) else value
