"""Small drawing helpers for the inline SVG charts: numbers, scales, ticks and escaped elements.

Everything here is deterministic: numbers are written with at most two decimals and no float
noise (`0.1 + 0.2` is written `0.3`, `-0.0` is written `0`), dates in ISO form, month names in
English whatever the machine's locale. Every text that may come from a file goes through
`markupsafe.escape`; class names and ids made from values go through `slug`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def number(value: float) -> str:
    """A number for people and for coordinates: at most two decimals, no trailing zeros.

    `number(3.0) == "3"`, `number(0.1 + 0.2) == "0.3"`, `number(-0.001) == "0"`; a value that is
    not finite (it never should reach a chart) is written as an en dash.
    """
    if not math.isfinite(value):
        return "\u2013"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def finite(value: float | None) -> float | None:
    """`value` when it is a finite number, else None (a guard: NaN never reaches a chart)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number_value = float(value)
    except (TypeError, ValueError):
        return None
    return number_value if math.isfinite(number_value) else None


def slug(value: object) -> str:
    """A class- and id-safe slug of any value: `On track!` → `on-track`; empty → `none`."""
    return _slug(str(value))


@functools.lru_cache(maxsize=4096)
def _slug(value: str) -> str:
    # The same few values (paces, kinds, horizons, measure keys) are slugged on every page.
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    cleaned = _NOT_SLUG.sub("-", text.lower()).strip("-")
    return cleaned or "none"


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def attrs(**values: object) -> Markup:
    """Escaped attributes: `attrs(class_="a", x=1.5)` → ` class="a" x="1.5"`; None is left out.

    A trailing underscore is dropped (`class_`), other underscores become dashes
    (`stroke_dasharray`); floats are written with `number`.
    """
    return Markup(_attributes(values))


def element(tag: str, content: str | Iterable[str] = "", **values: object) -> Markup:
    """An element with escaped attributes; `content` is escaped unless it is already Markup."""
    if isinstance(content, str):
        inner = escape(content)
    else:
        inner = Markup("").join(escape(part) for part in content)
    return Markup(f"<{tag}{_attributes(values)}>{inner}</{tag}>")


def empty(tag: str, **values: object) -> Markup:
    """A childless SVG element such as `<line …/>` (SVG is XML inside HTML: self-closing is fine)."""
    return Markup(f"<{tag}{_attributes(values)}/>")


def _attributes(values: dict[str, object]) -> str:
    # A chart has about fifty elements and a page of goals thousands of bars (issue 10): the
    # attribute names are made once, and a value is escaped only when it holds a character
    # that needs it — as `markupsafe.escape` does, byte for byte, without a Markup per value.
    parts: list[str] = []
    for name, value in values.items():
        if value is None:
            continue
        attribute = _ATTRIBUTE_NAMES.get(name)
        if attribute is None:
            attribute = _ATTRIBUTE_NAMES[name] = name.rstrip("_").replace("_", "-")
        text = number(value) if isinstance(value, float) else str(value)
        if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
            text = str(escape(text))
        parts.append(f' {attribute}="{text}"')
    return "".join(parts)


_ATTRIBUTE_NAMES: dict[str, str] = {}


def points(pairs: Iterable[tuple[float, float]]) -> str:
    """The `points` attribute of a polyline."""
    return " ".join(f"{number(x)},{number(y)}" for x, y in pairs)


@dataclass(frozen=True)
class Scale:
    """A linear map from a domain `[low, high]` to a pixel range `[start, end]`."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return (self.start + self.end) / 2
        share = (value - self.low) / (self.high - self.low)
        return self.start + share * (self.end - self.start)


def day_number(day: dt.date) -> float:
    """A date as a number for a Scale."""
    return float(day.toordinal())


def nice_ticks(low: float, high: float, count: int = 5) -> tuple[float, ...]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10ⁿ) inside `[low, high]`, about `count`."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return (low,) if math.isfinite(low) else ()
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9)
    ticks: list[float] = []
    index = first
    while index * step <= high + step * 1e-9 and len(ticks) < 50:
        # Rounding on the step's own scale removes float noise such as 0.30000000000000004.
        ticks.append(round(index * step, 10))
        index += 1
    return tuple(ticks)


def month_ticks(first: dt.date, last: dt.date, most: int = 7) -> tuple[tuple[dt.date, str], ...]:
    """First days of months inside `[first, last]` with labels (`Jan 2026`, `Feb`, …).

    At most `most` ticks (every 2nd, 3rd… month when the span is long); a month label carries
    its year on the first tick and on every January. Spans under two months get their two ends.
    """
    months: list[dt.date] = []
    day = dt.date(first.year, first.month, 1)
    if day < first:
        day = _next_month(day)
    while day <= last:
        months.append(day)
        day = _next_month(day)
    if len(months) < 2:
        return ((first, _day_label(first)), (last, _day_label(last))) if first != last else (
            (first, _day_label(first)),
        )
    # Steps that divide a year keep every January on a tick, so the years stay readable.
    every = next((n for n in (1, 2, 3, 4, 6) if math.ceil(len(months) / n) <= most), 0)
    if every:
        chosen = [m for m in months if (m.month - 1) % every == 0]
    else:
        years = math.ceil(len(months) / 12 / most)
        chosen = [m for m in months if m.month == 1 and m.year % years == 0]
    labelled: list[tuple[dt.date, str]] = []
    for index, month in enumerate(chosen):
        label = MONTHS[month.month - 1]
        if index == 0 or month.month == 1:
            label = f"{label} {month.year}"
        labelled.append((month, label))
    return tuple(labelled)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _day_label(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def truncate(text: str, length: int) -> str:
    """`text` cut to `length` characters with an ellipsis (the full text goes in a `<title>`)."""
    return text if len(text) <= length else text[: max(length - 1, 1)].rstrip() + "\u2026"
