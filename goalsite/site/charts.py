"""Inline SVG charts drawn at build time (SPEC §5): a measure's chart, its data table, the
timeline of all goals, the check-in heatmap and the progress bar.

Each function is pure: the same arguments give the same bytes. Each returns `markupsafe.Markup`
in which every value that came from a file (titles, measure names, units, keys, ids) is escaped,
and every class or id made from a value is slugified. Charts carry `role="img"` (except the
timeline, whose bars are links), a `<title>` and a `<desc>` sentence named by `aria-labelledby`,
and a `viewBox` with `width="100%"` so they scale down to a 360 px phone.

Colours come from CSS (`templates/assets/style.css`); the elements carry presentation attributes
in `currentColor` so a chart still reads without the stylesheet and in print. Class names:

- every chart: `chart` plus `chart-measure`, `chart-timeline`, `chart-heatmap` or `chart-bar`;
  `axis`, `grid`, `tick` (tick label text), `unit` (the unit label);
- measure chart: `road` (dashed, baseline at start to target at due), `target` and
  `target-label`, `target-history` (earlier targets, a faint step line), `series` (the line
  through the running current), `point` (a measured value), `point off-scale` (a value beyond
  the drawn range, pinned to the edge), `today` and `today-label`, `no-data`;
- timeline: `tl-group` (horizon heading), `tl-label`, `tl-track`, `tl-fill pace-<pace>`,
  `tl-due` (a goal with a due date and no start), `today`, `today-label`, `grid`, `tick`;
- heatmap: `heat-0` … `heat-4` (no check-in to the most), `heat-legend`, `tick`;
- progress bar: `bar-track`, `bar-fill pace-<pace>`, `bar-road` (where the road is today).

Pace never relies on colour alone: its word is in every chart's text alternative, and the
templates print it beside each bar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from markupsafe import Markup, escape

from goalsite.model import HORIZONS, Goal, Measure
from goalsite.site.svg import (
    MONTHS,
    Scale,
    day_number,
    element,
    empty,
    finite,
    month_ticks,
    nice_ticks,
    number,
    points,
    slug,
    truncate,
)


class DatedValue(Protocol):
    """A dated number (`goalsite.progress.Point`)."""

    @property
    def date(self) -> dt.date: ...

    @property
    def value(self) -> float: ...


class MeasureSeries(Protocol):
    """What a chart reads of one measure's progress (`goalsite.progress.MeasureProgress`).

    `values` are the numbers as reported and `points` the running current after each of them,
    both dated up to today, oldest first; `road` runs from (start, baseline) to (due, target);
    `expected_value` is the road's value today; `pace` a word such as `behind`.
    """

    @property
    def measure(self) -> Measure: ...

    @property
    def values(self) -> Sequence[DatedValue]: ...

    @property
    def points(self) -> Sequence[DatedValue]: ...

    @property
    def road(self) -> tuple[DatedValue, DatedValue] | None: ...

    @property
    def current(self) -> float | None: ...

    @property
    def expected_value(self) -> float | None: ...

    @property
    def pace(self) -> str | None: ...


# The measure chart's canvas, in viewBox units.
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 30, 36
# A value further than this many baseline→target spans outside them is drawn pinned at the edge,
# so one typo (5000 instead of 5) does not flatten the whole chart.
OFF_SCALE_SPANS = 3.0


@dataclass(frozen=True)
class _Frame:
    """The measure chart's two scales and the domain they cover."""

    x: Scale
    y: Scale
    first: dt.date
    last: dt.date
    low: float
    high: float

    def clamp(self, value: float) -> float:
        return min(max(value, self.low), self.high)


def measure_chart(
    mp: MeasureSeries,
    goal: Goal,
    today: dt.date,
    *,
    target_history: Sequence[tuple[dt.date, float]] = (),
    chart_id: str | None = None,
) -> Markup:
    """The chart of one measure: values over time against the road, the target and today.

    x runs from the goal's start to the latest of due, the last value and today; y covers the
    baseline, the target(s) and the values, with some room. `target_history` (from git) draws
    earlier targets as a faint step line. Missing dates or numbers leave out what they would
    draw; with no value at all the chart says so.
    """
    measure = mp.measure
    ident = slug(chart_id or f"chart-{goal.id}-{measure.key}")
    baseline, target = finite(measure.baseline), finite(measure.target)
    series = _finite_points(mp.points)
    # With `mean`, `max` or `min` the reported numbers differ from the running current and
    # sit on the same scale: they are drawn too, as small dots (with `sum` they are increments).
    reported = _finite_points(mp.values) if measure.aggregate in ("mean", "max", "min") else []
    history = sorted(
        (day, value) for day, raw in target_history if (value := finite(raw)) is not None
    )
    frame = _frame(goal, today, baseline, target, [*series, *reported], history)
    unit = measure.unit or ""

    parts: list[Markup] = [
        element("title", f"{measure.label}" + (f" ({unit})" if unit else ""), id=f"{ident}-title"),
        element("desc", _measure_sentence(mp, today, baseline, target)
                + _earlier_targets(history, target, unit), id=f"{ident}-desc"),
    ]
    parts += _y_axis(frame, unit)
    parts += _x_axis(frame)
    if _target_moved(history, target):
        parts.append(_target_history(frame, history))
    if target is not None:
        below = measure.effective_direction == "down"
        parts += _target_line(frame, target, unit, below=below)
    road = mp.road
    if road is not None:
        low, high = road
        if finite(low.value) is not None and finite(high.value) is not None:
            parts.append(empty(
                "line", class_="road", x1=frame.x(day_number(low.date)), y1=frame.y(low.value),
                x2=frame.x(day_number(high.date)), y2=frame.y(high.value),
                stroke="currentColor", stroke_dasharray="6 4", fill="none",
            ))
    parts += _today_marker(frame, today)
    parts += _reported(frame, reported, unit)
    parts += _series(frame, series, unit)
    if not series:
        parts.append(element(
            "text", "no values yet", class_="no-data", x=float(LEFT + (WIDTH - LEFT - RIGHT) / 2),
            y=float(TOP + (HEIGHT - TOP - BOTTOM) / 2), text_anchor="middle", fill="currentColor",
        ))
    return _svg(
        parts, f"chart chart-measure measure-{slug(measure.key)}", WIDTH, HEIGHT, ident, role="img",
    )


def _frame(
    goal: Goal,
    today: dt.date,
    baseline: float | None,
    target: float | None,
    series: Sequence[tuple[dt.date, float]],
    history: Sequence[tuple[dt.date, float]],
) -> _Frame:
    """The domain of a measure chart: dates from start to the last of due/value/today; numbers
    around baseline and target, with values far outside them pinned to the edge."""
    days = [day for day, _ in series] + [day for day, _ in history] + [today]
    first = min([goal.start, *days] if goal.start else days)
    last = max([*days, goal.due or today])
    first = min(first, last)
    if first == last:
        first, last = first - dt.timedelta(days=7), last + dt.timedelta(days=7)

    anchors = [v for v in (baseline, target) if v is not None] + [v for _, v in history]
    values = [v for _, v in series]
    core = anchors or values or [0.0]
    low, high = min(core), max(core)
    span = high - low or max(abs(high), 1.0)
    allowed_low, allowed_high = low - OFF_SCALE_SPANS * span, high + OFF_SCALE_SPANS * span
    for value in values:
        low = min(low, max(value, allowed_low))
        high = max(high, min(value, allowed_high))
    if high == low:
        pad = max(abs(high) * 0.1, 1.0)
    else:
        pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    return _Frame(
        x=Scale(day_number(first), day_number(last), LEFT, WIDTH - RIGHT),
        y=Scale(low, high, HEIGHT - BOTTOM, TOP),
        first=first, last=last, low=low, high=high,
    )


def _y_axis(frame: _Frame, unit: str) -> list[Markup]:
    parts = [empty("line", class_="axis", x1=float(LEFT), y1=float(TOP), x2=float(LEFT),
                   y2=float(HEIGHT - BOTTOM), stroke="currentColor")]
    for tick in nice_ticks(frame.low, frame.high, 4):
        y = frame.y(tick)
        parts.append(empty("line", class_="grid", x1=float(LEFT), y1=y, x2=float(WIDTH - RIGHT),
                           y2=y, stroke="currentColor", stroke_opacity="0.15"))
        parts.append(element("text", number(tick), class_="tick", x=float(LEFT - 6), y=y + 4,
                             text_anchor="end", fill="currentColor"))
    if unit:
        parts.append(element("text", truncate(unit, 40), class_="unit", x=float(LEFT), y=14.0,
                             text_anchor="start", fill="currentColor"))
    return parts


def _x_axis(frame: _Frame) -> list[Markup]:
    bottom = float(HEIGHT - BOTTOM)
    parts = [empty("line", class_="axis", x1=float(LEFT), y1=bottom, x2=float(WIDTH - RIGHT),
                   y2=bottom, stroke="currentColor")]
    for day, label in month_ticks(frame.first, frame.last, 6):
        x = frame.x(day_number(day))
        parts.append(empty("line", class_="axis", x1=x, y1=bottom, x2=x, y2=bottom + 5,
                           stroke="currentColor"))
        parts.append(element("text", label, class_="tick", x=x, y=bottom + 20,
                             text_anchor=_anchor(x), fill="currentColor"))
    return parts


def _target_line(frame: _Frame, target: float, unit: str, *, below: bool) -> list[Markup]:
    """The target across the chart, labelled on the side the values do not come from."""
    y = frame.y(target)
    label = f"target {number(target)}" + (f" {truncate(unit, 24)}" if unit else "")
    return [
        empty("line", class_="target", x1=float(LEFT), y1=y, x2=float(WIDTH - RIGHT), y2=y,
              stroke="currentColor", stroke_width="1.5", fill="none"),
        # On the left: the today marker usually stands on the right.
        element("text", label, class_="target-label", x=float(LEFT + 6),
                y=y + 15 if below else y - 5, text_anchor="start", fill="currentColor"),
    ]


def _target_moved(history: Sequence[tuple[dt.date, float]], target: float | None) -> bool:
    return len(history) > 1 or bool(history and target is not None and history[-1][1] != target)


def _earlier_targets(history: Sequence[tuple[dt.date, float]], target: float | None,
                     unit: str) -> str:
    """The step line in words, for the text alternative: ` Earlier targets: 8 from
    2026-01-05, 6 from 2026-04-02.` (the current target is said already)."""
    if not _target_moved(history, target):
        return ""
    earlier = history[:-1] if target is not None and history[-1][1] == target else history
    said = ", ".join(f"{number(value)}{' ' + unit if unit else ''} from {day.isoformat()}"
                     for day, value in earlier)
    return f" Earlier target{'s' if len(earlier) > 1 else ''}: {said}."


def _target_history(frame: _Frame, history: Sequence[tuple[dt.date, float]]) -> Markup:
    """Earlier targets as a step line: each target holds until the next one was set."""
    steps: list[tuple[float, float]] = []
    for index, (day, value) in enumerate(history):
        end = history[index + 1][0] if index + 1 < len(history) else frame.last
        y = frame.y(frame.clamp(value))
        steps += [(frame.x(day_number(max(day, frame.first))), y),
                  (frame.x(day_number(max(end, frame.first))), y)]
    return empty("polyline", class_="target-history", points=points(steps), fill="none",
                 stroke="currentColor", stroke_opacity="0.35", stroke_width="1.5")


def _today_marker(frame: _Frame, today: dt.date) -> list[Markup]:
    x = frame.x(day_number(today))
    return [
        empty("line", class_="today", x1=x, y1=float(TOP - 6), x2=x, y2=float(HEIGHT - BOTTOM),
              stroke="currentColor", stroke_width="1"),
        element("text", "today", class_="today-label", x=x, y=float(TOP - 10),
                text_anchor=_anchor(x), fill="currentColor"),
    ]


def _series(frame: _Frame, series: Sequence[tuple[dt.date, float]], unit: str) -> list[Markup]:
    parts: list[Markup] = []
    placed = [(frame.x(day_number(day)), frame.y(frame.clamp(value))) for day, value in series]
    if len(placed) > 1:
        parts.append(empty("polyline", class_="series", points=points(placed), fill="none",
                           stroke="currentColor", stroke_width="2"))
    for (x, y), (day, value) in zip(placed, series):
        off = value != frame.clamp(value)
        note = f"{number(value)}{' ' + unit if unit else ''} on {day.isoformat()}"
        parts.append(element(
            "circle", [element("title", note + (" (off the scale)" if off else ""))],
            class_="point off-scale" if off else "point", cx=x, cy=y, r="4",
            fill="none" if off else "currentColor", stroke="currentColor", stroke_width="2",
        ))
    return parts


def _reported(frame: _Frame, reported: Sequence[tuple[dt.date, float]], unit: str) -> list[Markup]:
    return [
        element("circle", [element("title", f"reported {number(value)}{' ' + unit if unit else ''}"
                                            f" on {day.isoformat()}")],
                class_="value", cx=frame.x(day_number(day)), cy=frame.y(frame.clamp(value)),
                r="2.5", fill="currentColor", fill_opacity="0.5")
        for day, value in reported
    ]


def _finite_points(found: Iterable[DatedValue]) -> list[tuple[dt.date, float]]:
    """(date, number) pairs, leaving out any number that is not finite."""
    return [(p.date, value) for p in found if (value := finite(p.value)) is not None]


def _measure_sentence(
    mp: MeasureSeries, today: dt.date, baseline: float | None, target: float | None,
) -> str:
    """`Presentations delivered: 3 of 5 presentations on 2026-11-23, road expects 4; behind.`"""
    measure = mp.measure
    unit = f" {measure.unit}" if measure.unit else ""
    current = finite(mp.current)
    if not mp.points or current is None:
        text = f"{measure.label}: no values yet on {today.isoformat()}"
        if baseline is not None:
            text += f", baseline {number(baseline)}{unit}"
        if target is not None:
            text += f", target {number(target)}{unit}"
    elif target is not None:
        text = f"{measure.label}: {number(current)} of {number(target)}{unit} on {today.isoformat()}"
    else:
        text = f"{measure.label}: {number(current)}{unit} on {today.isoformat()}"
    expected = finite(mp.expected_value)
    if expected is not None and mp.points:
        text += f", road expects {number(expected)}"
    if mp.pace:
        text += f"; {mp.pace.replace('-', ' ')}"
    return text + "."


def data_table(mp: MeasureSeries) -> Markup:
    """The measure's values as an HTML table: the text fallback placed after its chart."""
    measure = mp.measure
    heading = measure.label + (f" ({measure.unit})" if measure.unit else "")
    facts = []
    if finite(measure.baseline) is not None:
        facts.append(f"baseline {number(measure.baseline or 0.0)}")
    if finite(measure.target) is not None:
        facts.append(f"target {number(measure.target or 0.0)}")
    caption = heading + (f": {', '.join(facts)}" if facts else "")
    rows = [
        Markup(f'<tr>{element("th", day.isoformat(), scope="row")}{element("td", number(value))}</tr>')
        for day, value in _finite_points(mp.points)
    ]
    if not rows:
        rows = [Markup('<tr><td colspan="2">no values yet</td></tr>')]
    return Markup(
        '<table class="chart-data">{caption}<thead><tr><th scope="col">Date</th>'
        "{value_heading}</tr></thead><tbody>{rows}</tbody></table>"
    ).format(
        caption=element("caption", caption),
        value_heading=element("th", heading, scope="col"),
        rows=Markup("").join(rows),
    )


@dataclass(frozen=True)
class TimelineRow:
    """One goal on the timeline: its dates, clamped progress (0..1) and pace word."""

    goal_id: str
    title: str
    horizon: str | None
    start: dt.date | None
    due: dt.date | None
    progress: float | None
    pace: str | None


TL_WIDTH, TL_TOP, TL_ROW, TL_GROUP, TL_SIDE, TL_INDENT = 640, 34, 36, 26, 8, 12


def timeline_chart(rows: Iterable[TimelineRow], today: dt.date, *, base: str = "",
                   chart_id: str = "timeline") -> Markup:
    """A Gantt chart of every goal from start to due, grouped by horizon, today marked.

    Each bar is filled to the goal's progress and links to `{base}goals/<id>/index.html`
    (`base` is the relative prefix from the page, like `../`).
    """
    ident = slug(chart_id)
    ordered = sorted(rows, key=lambda row: _horizon_rank(row.horizon))
    dates = [d for row in ordered for d in (row.start, row.due) if d is not None] + [today]
    first = dt.date(min(dates).year, min(dates).month, 1)
    last_day = max(dates)
    last = dt.date(last_day.year + last_day.month // 12, last_day.month % 12 + 1, 1)
    x = Scale(day_number(first), day_number(last), TL_SIDE, TL_WIDTH - TL_SIDE)

    body: list[Markup] = []
    y = float(TL_TOP)
    group: object = object()
    for row in ordered:
        if row.horizon != group:
            group = row.horizon
            body.append(element("text", row.horizon or "no horizon", class_="tl-group",
                                x=float(TL_SIDE), y=y + 17, fill="currentColor",
                                font_weight="bold"))
            y += TL_GROUP
        body.append(_timeline_bar(row, x, y, base))
        y += TL_ROW
    height = y + 8

    grid: list[Markup] = []
    for day, label in month_ticks(first, last, 8):
        tick_x = x(day_number(day))
        grid.append(empty("line", class_="grid", x1=tick_x, y1=float(TL_TOP - 8), x2=tick_x,
                          y2=height, stroke="currentColor", stroke_opacity="0.15"))
        grid.append(element("text", label, class_="tick", x=tick_x, y=14.0,
                            text_anchor=_anchor(tick_x, TL_WIDTH), fill="currentColor"))
    today_x = x(day_number(today))
    grid.append(empty("line", class_="today", x1=today_x, y1=18.0, x2=today_x, y2=height,
                      stroke="currentColor", stroke_width="1.5"))
    grid.append(element("text", "today", class_="today-label", x=today_x, y=30.0,
                        text_anchor=_anchor(today_x, TL_WIDTH), fill="currentColor"))

    count = len(ordered)
    summary = (f"{count} goal{'' if count == 1 else 's'} from {first.isoformat()} to "
               f"{last.isoformat()}, today {today.isoformat()}.")
    parts = [element("title", "Timeline of goals", id=f"{ident}-title"),
             element("desc", summary, id=f"{ident}-desc"), *grid, *body]
    return _svg(parts, "chart chart-timeline", TL_WIDTH, height, ident, role=None)


def _timeline_bar(row: TimelineRow, x: Scale, y: float, base: str) -> Markup:
    """One goal's label and bar, as a link to its page."""
    progress = finite(row.progress)
    share = min(max(progress, 0.0), 1.0) if progress is not None else None
    pace = row.pace.replace("-", " ") if row.pace else None
    done = f"{round(share * 100)}%" if share is not None else "no progress yet"
    dates = f"{row.start.isoformat() if row.start else '?'} to {row.due.isoformat() if row.due else '?'}"
    title = f"{row.title}: {done}{', ' + pace if pace else ''}, {dates}"
    label = truncate(row.title, 60) + f" \u00b7 {done}" + (f" \u00b7 {pace}" if pace else "")
    indent = TL_SIDE + TL_INDENT * min(_horizon_rank(row.horizon), len(HORIZONS))
    parts = [element("title", title),
             element("text", label, class_="tl-label", x=float(indent), y=y + 12,
                     fill="currentColor")]
    bar_y = y + 17
    if row.start and row.due and row.due >= row.start:
        left, right = x(day_number(row.start)), x(day_number(row.due))
        width = max(right - left, 2.0)
        parts.append(empty("rect", class_="tl-track", x=left, y=bar_y, width=width, height="12",
                           rx="3", fill="none", stroke="currentColor"))
        if share:
            parts.append(empty("rect", class_=f"tl-fill pace-{slug(row.pace or 'none')}", x=left,
                               y=bar_y, width=width * share, height="12", rx="3",
                               fill="currentColor"))
    elif row.due or row.start:
        # Only one date known: a diamond where it falls (SPEC §5: draw what is known).
        cx, cy = x(day_number(row.due or row.start)), bar_y + 6  # type: ignore[arg-type]
        parts.append(empty("path", class_="tl-due", d=(
            f"M{number(cx)} {number(cy - 6)}l6 6-6 6-6-6z"), fill="currentColor"))
    href = f"{base}goals/{row.goal_id}/index.html"
    return element("a", parts, href=href, class_=f"tl-goal horizon-{slug(row.horizon or 'none')}")


HEAT_CELL, HEAT_GAP, HEAT_LEFT, HEAT_TOP = 11, 2, 30, 18


def heatmap(days: Mapping[dt.date, int], today: dt.date, *, chart_id: str = "heatmap",
            noun: tuple[str, str] = ("check-in", "check-ins")) -> Markup:
    """A year of days ending today, like a contribution graph: weeks as columns (Monday first),
    5 intensity classes `heat-0`…`heat-4`, month labels, a `<title>` per cell and a legend."""
    ident = slug(chart_id)
    this_monday = today - dt.timedelta(days=today.weekday())
    first = this_monday - dt.timedelta(weeks=52)
    in_range = {day: count for day, count in days.items() if first <= day <= today and count > 0}
    most = max(in_range.values(), default=0)
    step = HEAT_CELL + HEAT_GAP
    width = HEAT_LEFT + 53 * step + 4
    height = HEAT_TOP + 7 * step + 28

    parts: list[Markup] = []
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        parts.append(element("text", name, class_="tick", x=float(HEAT_LEFT - 4),
                             y=float(HEAT_TOP + row * step + 9), text_anchor="end",
                             fill="currentColor"))
    for week in range(53):
        monday = first + dt.timedelta(weeks=week)
        sunday = monday + dt.timedelta(days=6)
        # A month's name sits over the week holding its 1st (not over the last, cramped column).
        if sunday.day <= 7 and week < 52:
            parts.append(element("text", MONTHS[sunday.month - 1], class_="tick",
                                 x=float(HEAT_LEFT + week * step), y=12.0, fill="currentColor"))
        for weekday in range(7):
            day = monday + dt.timedelta(days=weekday)
            if day > today:
                break
            count = in_range.get(day, 0)
            word = noun[0] if count == 1 else noun[1]
            parts.append(element(
                "rect", [element("title", f"{count} {word} on {day.isoformat()}")],
                class_=f"heat-{_level(count, most)}", x=float(HEAT_LEFT + week * step),
                y=float(HEAT_TOP + weekday * step), width=str(HEAT_CELL), height=str(HEAT_CELL),
                rx="2", fill="currentColor", fill_opacity=_opacity(_level(count, most)),
            ))
    legend_y = float(HEAT_TOP + 7 * step + 10)
    legend_x = float(width - 5 * step - 40)
    parts.append(element("text", "less", class_="tick", x=legend_x - 4, y=legend_y + 9,
                         text_anchor="end", fill="currentColor"))
    for level in range(5):
        parts.append(empty("rect", class_=f"heat-{level} heat-legend", x=legend_x + level * step,
                           y=legend_y, width=str(HEAT_CELL), height=str(HEAT_CELL), rx="2",
                           fill="currentColor", fill_opacity=_opacity(level)))
    parts.append(element("text", "more", class_="tick", x=legend_x + 5 * step + 2,
                         y=legend_y + 9, fill="currentColor"))

    total = sum(in_range.values())
    summary = (f"{total} {noun[0] if total == 1 else noun[1]} on {len(in_range)} "
               f"day{'' if len(in_range) == 1 else 's'} from {first.isoformat()} to "
               f"{today.isoformat()}")
    if in_range:
        busiest = min(in_range, key=lambda day: (-in_range[day], day))
        summary += f"; the most, {in_range[busiest]}, on {busiest.isoformat()}"
    parts = [element("title", f"{noun[1].capitalize()} in the last year", id=f"{ident}-title"),
             element("desc", summary + ".", id=f"{ident}-desc"), *parts]
    return _svg(parts, "chart chart-heatmap", width, height, ident, role="img")


def _level(count: int, most: int) -> int:
    """0 for none, else 1–4 in quarters of the busiest day's count."""
    if count <= 0 or most <= 0:
        return 0
    return min(4, max(1, -(-count * 4 // most)))


def _opacity(level: int) -> str:
    return ("0.08", "0.3", "0.5", "0.75", "1")[level]


def progress_bar(fraction: float | None, pace: str | None, *,
                 expected: float | None = None) -> Markup:
    """A thin bar filled to `fraction` (clamped 0..1) with a tick where the road is today.

    Its accessible name says the numbers and the pace in words; templates print the pace
    beside it too, so colour is never the only signal.
    """
    share = finite(fraction)
    share = min(max(share, 0.0), 1.0) if share is not None else None
    road = finite(expected)
    words = f"{round(share * 100)}% done" if share is not None else "no progress yet"
    if road is not None:
        words += f", road expects {round(min(max(road, 0.0), 1.0) * 100)}%"
    if pace:
        words += f"; {pace.replace('-', ' ')}"
    parts = [element("title", words),
             empty("rect", class_="bar-track", x="0", y="1", width="100", height="8", rx="2",
                   fill="currentColor", fill_opacity="0.12")]
    if share:
        parts.append(empty("rect", class_=f"bar-fill pace-{slug(pace or 'none')}", x="0", y="1",
                           width=share * 100, height="8", rx="2", fill="currentColor"))
    if road is not None:
        road_x = min(max(road, 0.0), 1.0) * 100
        parts.append(empty("line", class_="bar-road", x1=road_x, y1="0", x2=road_x, y2="10",
                           stroke="currentColor", stroke_width="1.5",
                           vector_effect="non-scaling-stroke"))
    return Markup(
        '<svg class="chart chart-bar" viewBox="0 0 100 10" width="100%" height="10" '
        'preserveAspectRatio="none" role="img"{label} xmlns="http://www.w3.org/2000/svg">'
        "{parts}</svg>"
    ).format(label=Markup(f' aria-label="{escape(words)}"'), parts=Markup("").join(parts))


def _svg(parts: Sequence[Markup], classes: str, width: float, height: float, ident: str,
         *, role: str | None) -> Markup:
    role_attribute = f' role="{role}"' if role else ""
    # An f-string, not Markup.format (whose formatter is slow): the same escaping, spelled out.
    return Markup(
        f'<svg class="{escape(classes)}" viewBox="0 0 {number(width)} {number(height)}" '
        f'width="100%"{role_attribute} aria-labelledby="{escape(ident)}-title {escape(ident)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="12">{Markup("").join(parts)}</svg>'
    )


def _anchor(x: float, width: float = WIDTH) -> str:
    """Text anchor keeping a label near an edge inside the chart."""
    if x < width * 0.12:
        return "start"
    if x > width * 0.88:
        return "end"
    return "middle"


def _horizon_rank(horizon: str | None) -> int:
    return HORIZONS.index(horizon) if horizon in HORIZONS else len(HORIZONS)  # type: ignore[arg-type]
