"""The inline SVG charts: geometry, escaping, determinism, edge cases, valid XML."""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET

import pytest

from goalsite.model import Goal, Measure, Position, Source
from goalsite.progress import MeasureProgress, Point
from goalsite.site import charts
from goalsite.site.svg import month_ticks, nice_ticks, number

D = dt.date
TODAY = D(2026, 11, 23)
SVG = "{http://www.w3.org/2000/svg}"
EVIL = "</text><script>alert(1)</script>"
SOURCE = Source("goals/talks.md", Position(1, 1), {}, {}, "", 1)


def goal(start: dt.date | None = D(2026, 1, 5), due: dt.date | None = D(2026, 12, 31),
         goal_id: str = "talks") -> Goal:
    return Goal(id=goal_id, source=SOURCE, title="Give talks", start=start, due=due)


def measure(**fields: object) -> Measure:
    values: dict[str, object] = {"key": "talks", "index": 0, "name": "Presentations delivered",
                                 "unit": "presentations", "baseline": 0.0, "target": 5.0}
    values.update(fields)
    return Measure(**values)  # type: ignore[arg-type]


def progress(m: Measure, points: list[tuple[dt.date, float]], *, g: Goal | None = None,
             current: float | None = None, expected_value: float | None = None,
             pace: str = "behind", values: list[tuple[dt.date, float]] | None = None,
             ) -> MeasureProgress:
    """A measure's progress record as `goalsite.progress` makes it, built by hand."""
    g = g or goal()
    road = None
    if g.start and g.due and m.baseline is not None and m.target is not None:
        road = (Point(g.start, m.baseline), Point(g.due, m.target))
    running = tuple(Point(day, value) for day, value in points)
    return MeasureProgress(
        measure=m, current=current if current is not None else (points[-1][1] if points else None),
        progress=None, has_data=bool(points),
        values=tuple(Point(d, v) for d, v in values) if values is not None else running,
        points=running, road=road, expected_value=expected_value, needed_per_day=None,
        seen_per_day=None, pace=pace, days_ahead=None,  # type: ignore[arg-type]
    )


TALKS = [(D(2026, 3, 4), 1.0), (D(2026, 6, 10), 2.0), (D(2026, 9, 1), 3.0)]


def parse(markup: str) -> ET.Element:
    """The SVG as XML: parsing fails on any unescaped value."""
    return ET.fromstring(str(markup))


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(part) for part in root.attrib["viewBox"].split())
    return x, y, w, h


def inside(root: ET.Element, x: float, y: float) -> bool:
    left, top, width, height = view_box(root)
    return left <= x <= left + width and top <= y <= top + height


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in e.attrib.get("class", "").split()]


# --- measure chart ------------------------------------------------------------------------


def test_measure_chart_is_accessible_svg_that_scales() -> None:
    root = parse(charts.measure_chart(progress(measure(), TALKS, expected_value=4.0), goal(), TODAY))
    assert root.tag == f"{SVG}svg"
    assert root.attrib["role"] == "img"
    assert root.attrib["width"] == "100%"
    assert root.attrib["aria-labelledby"] == "chart-talks-talks-title chart-talks-talks-desc"
    assert root.find(f"{SVG}title").text == "Presentations delivered (presentations)"
    assert root.find(f"{SVG}desc").text == (
        "Presentations delivered: 3 of 5 presentations on 2026-11-23, road expects 4; behind."
    )


def test_measured_points_lie_inside_the_view_box_in_date_order() -> None:
    root = parse(charts.measure_chart(progress(measure(), TALKS), goal(), TODAY))
    dots = by_class(root, "point")
    assert len(dots) == 3
    xs = [float(dot.attrib["cx"]) for dot in dots]
    ys = [float(dot.attrib["cy"]) for dot in dots]
    assert all(inside(root, x, y) for x, y in zip(xs, ys))
    assert xs == sorted(xs)
    assert ys == sorted(ys, reverse=True)  # rising values are drawn higher up
    assert [dot.find(f"{SVG}title").text for dot in dots] == [
        "1 presentations on 2026-03-04", "2 presentations on 2026-06-10",
        "3 presentations on 2026-09-01",
    ]
    assert len(by_class(root, "series")) == 1


def test_road_runs_from_baseline_at_start_to_target_at_due() -> None:
    root = parse(charts.measure_chart(progress(measure(), TALKS), goal(), TODAY))
    (road,) = by_class(root, "road")
    (target,) = by_class(root, "target")
    axis_bottom = max(float(line.attrib["y2"]) for line in by_class(root, "axis"))
    # The road ends on the target line at due; it starts at the baseline, the lowest number here.
    assert road.attrib["y2"] == target.attrib["y1"]
    assert float(road.attrib["y1"]) > float(road.attrib["y2"])
    assert float(road.attrib["y1"]) < axis_bottom
    assert float(road.attrib["x1"]) == charts.LEFT  # start is the first day drawn
    assert inside(root, float(road.attrib["x2"]), float(road.attrib["y2"]))
    assert road.attrib["stroke-dasharray"] == "6 4"


def test_direction_down_draws_the_road_falling() -> None:
    hours = measure(key="hours", name="Working hours", unit="hours/week", baseline=60.0,
                    target=50.0)
    points = [(D(2026, 2, 1), 62.0), (D(2026, 6, 1), 55.0)]
    root = parse(charts.measure_chart(progress(hours, points, expected_value=51.6, pace="ahead"),
                                      goal(), TODAY))
    (road,) = by_class(root, "road")
    assert float(road.attrib["y1"]) < float(road.attrib["y2"])  # 60 is drawn above 50
    assert root.find(f"{SVG}desc").text == (
        "Working hours: 55 of 50 hours/week on 2026-11-23, road expects 51.6; ahead."
    )
    (label,) = by_class(root, "target-label")
    assert label.text == "target 50 hours/week"
    (target,) = by_class(root, "target")
    assert float(label.attrib["y"]) > float(target.attrib["y1"])  # below the line for `down`


def test_today_marker_and_month_ticks() -> None:
    root = parse(charts.measure_chart(progress(measure(), TALKS), goal(), TODAY))
    (today,) = by_class(root, "today")
    (label,) = by_class(root, "today-label")
    assert label.text == "today"
    assert inside(root, float(today.attrib["x1"]), float(today.attrib["y1"]))
    ticks = [t.text for t in by_class(root, "tick")]
    assert "Mar 2026" in ticks and "Nov" in ticks
    assert by_class(root, "unit")[0].text == "presentations"


def test_escaping_keeps_hostile_names_and_units_as_text() -> None:
    m = measure(key="x", name=EVIL, unit='"><img src=x onerror=alert(1)>')
    markup = str(charts.measure_chart(progress(m, TALKS), goal(), TODAY))
    assert "<script>" not in markup and "<img" not in markup
    root = parse(markup)
    assert root.find(f"{SVG}title").text == f'{EVIL} ("><img src=x onerror=alert(1)>)'
    assert root.find(f"{SVG}desc").text.startswith(EVIL)
    table = str(charts.data_table(progress(m, TALKS)))
    assert "<script>" not in table and "<img" not in table
    ET.fromstring(table)


def test_ids_and_classes_from_values_are_slugified() -> None:
    m = measure(key='a" onload="alert(1)')
    root = parse(charts.measure_chart(progress(m, TALKS), goal(goal_id="x y"), TODAY))
    assert root.attrib["class"] == "chart chart-measure measure-a-onload-alert-1"
    assert root.find(f"{SVG}title").attrib["id"] == "chart-x-y-a-onload-alert-1-title"


def test_the_same_input_gives_the_same_bytes_with_short_numbers() -> None:
    first = charts.measure_chart(progress(measure(), TALKS), goal(), TODAY)
    again = charts.measure_chart(progress(measure(), TALKS), goal(), TODAY)
    assert first == again
    for value in (e.attrib.get(a) for e in parse(first).iter() for a in ("x", "y", "cx", "x1")):
        if value is not None:
            assert len(value.partition(".")[2]) <= 2, value


def test_no_data_says_so_and_draws_the_road() -> None:
    root = parse(charts.measure_chart(progress(measure(), [], pace="no-data"), goal(), TODAY))
    assert by_class(root, "no-data")[0].text == "no values yet"
    assert not by_class(root, "point") and not by_class(root, "series")
    assert len(by_class(root, "road")) == 1
    assert root.find(f"{SVG}desc").text == (
        "Presentations delivered: no values yet on 2026-11-23, baseline 0 presentations, "
        "target 5 presentations; no data."
    )


def test_one_point_draws_a_dot_and_no_line() -> None:
    root = parse(charts.measure_chart(progress(measure(), TALKS[:1]), goal(), TODAY))
    assert len(by_class(root, "point")) == 1
    assert not by_class(root, "series")


def test_without_start_or_due_draws_what_is_known() -> None:
    g = goal(start=None, due=None)
    root = parse(charts.measure_chart(progress(measure(), TALKS, g=g), g, TODAY))
    assert not by_class(root, "road")
    assert len(by_class(root, "target")) == 1
    dots = by_class(root, "point")
    assert all(inside(root, float(d.attrib["cx"]), float(d.attrib["cy"])) for d in dots)
    (today,) = by_class(root, "today")
    assert float(today.attrib["x1"]) == charts.WIDTH - charts.RIGHT  # today is the last day


def test_nothing_known_at_all_still_draws() -> None:
    m = measure(baseline=None, target=None, unit=None)
    g = goal(start=None, due=None)
    root = parse(charts.measure_chart(progress(m, [], g=g, pace="no-data"), g, TODAY))
    assert not by_class(root, "target") and not by_class(root, "road")
    assert root.find(f"{SVG}desc").text == (
        "Presentations delivered: no values yet on 2026-11-23; no data."
    )


def test_baseline_equal_to_target_keeps_a_height() -> None:
    m = measure(baseline=5.0, target=5.0)
    root = parse(charts.measure_chart(progress(m, [(D(2026, 5, 1), 5.0)]), goal(), TODAY))
    (road,) = by_class(root, "road")
    assert road.attrib["y1"] == road.attrib["y2"]
    assert charts.TOP < float(road.attrib["y1"]) < charts.HEIGHT - charts.BOTTOM


def test_a_value_far_outside_is_pinned_to_the_edge() -> None:
    points = [(D(2026, 3, 1), 2.0), (D(2026, 5, 1), 5000.0)]
    root = parse(charts.measure_chart(progress(measure(), points), goal(), TODAY))
    normal, far = by_class(root, "point")
    assert "off-scale" in far.attrib["class"]
    assert far.find(f"{SVG}title").text == "5000 presentations on 2026-05-01 (off the scale)"
    assert inside(root, float(far.attrib["cx"]), float(far.attrib["cy"]))
    # The rest keeps its scale: the drawn range stops 3 spans (0..5) above the target, so the
    # road still rises a fifth of the plot's 214 units instead of a thousandth.
    (road,) = by_class(root, "road")
    assert float(road.attrib["y1"]) - float(road.attrib["y2"]) > 40


def test_values_before_start_widen_the_dates() -> None:
    points = [(D(2025, 12, 1), 0.0), (D(2026, 3, 1), 1.0)]
    root = parse(charts.measure_chart(progress(measure(), points), goal(), TODAY))
    first = by_class(root, "point")[0]
    assert float(first.attrib["cx"]) == charts.LEFT


def test_not_finite_numbers_never_reach_the_drawing() -> None:
    m = measure(baseline=float("nan"), target=float("inf"))
    points = [(D(2026, 3, 1), float("nan")), (D(2026, 4, 1), 2.0)]
    markup = str(charts.measure_chart(
        progress(m, points, g=goal(), current=float("nan"), expected_value=float("inf")),
        goal(), TODAY))
    assert "nan" not in markup.lower() and "inf" not in markup.lower()
    root = parse(markup)
    assert len(by_class(root, "point")) == 1


def test_mean_measures_also_show_the_reported_values() -> None:
    m = measure(key="score", name="Feedback", unit="score", baseline=3.0, target=4.5,
                aggregate="mean")
    root = parse(charts.measure_chart(
        progress(m, [(D(2026, 2, 1), 3.0), (D(2026, 5, 1), 3.5)],
                 values=[(D(2026, 2, 1), 3.0), (D(2026, 5, 1), 4.0)]), goal(), TODAY))
    assert [v.find(f"{SVG}title").text for v in by_class(root, "value")] == [
        "reported 3 score on 2026-02-01", "reported 4 score on 2026-05-01",
    ]


def test_target_history_is_a_step_line() -> None:
    history = ((D(2026, 1, 5), 3.0), (D(2026, 4, 1), 5.0))
    root = parse(charts.measure_chart(progress(measure(), TALKS), goal(), TODAY,
                                      target_history=history))
    (steps,) = by_class(root, "target-history")
    pairs = [tuple(map(float, p.split(","))) for p in steps.attrib["points"].split()]
    assert len(pairs) == 4
    assert pairs[0][1] == pairs[1][1] and pairs[2][1] == pairs[3][1]
    assert pairs[1][0] == pairs[2][0]  # the step happens on 2026-04-01
    assert all(inside(root, x, y) for x, y in pairs)
    # The text alternative says what the faint line shows (the current target 5 is said above).
    assert root.find(f"{SVG}desc").text.endswith(" Earlier target: 3 presentations from 2026-01-05.")


# --- data table ---------------------------------------------------------------------------


def test_data_table_lists_the_values() -> None:
    assert str(charts.data_table(progress(measure(), TALKS[:2]))) == (
        '<table class="chart-data"><caption>Presentations delivered (presentations): '
        'baseline 0, target 5</caption><thead><tr><th scope="col">Date</th>'
        '<th scope="col">Presentations delivered (presentations)</th></tr></thead><tbody>'
        '<tr><th scope="row">2026-03-04</th><td>1</td></tr>'
        '<tr><th scope="row">2026-06-10</th><td>2</td></tr></tbody></table>'
    )


def test_data_table_without_values() -> None:
    assert '<td colspan="2">no values yet</td>' in charts.data_table(progress(measure(), []))


# --- timeline -----------------------------------------------------------------------------

ROWS = [
    charts.TimelineRow("talks", "Give 5 talks", "yearly", D(2026, 1, 5), D(2026, 12, 31), 0.6,
                       "behind"),
    charts.TimelineRow("vision", "Lead", "long-term", D(2025, 6, 1), D(2028, 6, 1), 0.35,
                       "on-track"),
    charts.TimelineRow("q1", EVIL, "quarterly", None, D(2027, 2, 1), None, None),
]


def test_timeline_groups_by_horizon_and_links_each_goal() -> None:
    markup = charts.timeline_chart(ROWS, TODAY, base="../")
    root = parse(markup)
    assert [g.text for g in by_class(root, "tl-group")] == ["long-term", "yearly", "quarterly"]
    links = root.findall(f".//{SVG}a")
    assert [a.attrib["href"] for a in links] == [
        "../goals/vision/index.html", "../goals/talks/index.html", "../goals/q1/index.html",
    ]
    assert links[1].find(f"{SVG}title").text == (
        "Give 5 talks: 60%, behind, 2026-01-05 to 2026-12-31"
    )
    assert "<script>" not in markup
    assert by_class(root, "tl-label")[2].text == f"{EVIL} \u00b7 no progress yet"


def test_timeline_bars_span_their_dates_and_fill_to_progress() -> None:
    root = parse(charts.timeline_chart(ROWS, TODAY))
    tracks, fills = by_class(root, "tl-track"), by_class(root, "tl-fill")
    assert len(tracks) == 2 and len(fills) == 2
    for track, fill, share in zip(tracks, fills, (0.35, 0.6)):
        assert math.isclose(float(fill.attrib["width"]), float(track.attrib["width"]) * share,
                            abs_tol=0.01)
        assert inside(root, float(track.attrib["x"]) + float(track.attrib["width"]),
                      float(track.attrib["y"]))
    assert "pace-behind" in fills[1].attrib["class"]
    assert len(by_class(root, "tl-due")) == 1  # the goal with only a due date
    assert len(by_class(root, "today")) == 1


def test_timeline_with_no_goals() -> None:
    root = parse(charts.timeline_chart([], TODAY))
    assert root.find(f"{SVG}desc").text.startswith("0 goals from 2026-11-01")


# --- heatmap ------------------------------------------------------------------------------


def test_heatmap_covers_a_year_ending_today() -> None:
    days = {D(2026, 3, 4): 3, D(2026, 3, 5): 1, D(2026, 11, 23): 6, D(2020, 1, 1): 9}
    root = parse(charts.heatmap(days, TODAY))
    cells = [c for c in root.iter(f"{SVG}rect") if "heat-legend" not in c.attrib["class"]]
    titles = [c.find(f"{SVG}title").text for c in cells]
    assert titles[-1] == "6 check-ins on 2026-11-23"
    assert "3 check-ins on 2026-03-04" in titles and "1 check-in on 2026-03-05" in titles
    assert 365 <= len(cells) <= 371
    assert titles[0] == "0 check-ins on 2025-11-24"  # a Monday, 52 weeks before this week's
    assert {c.attrib["class"] for c in cells} == {"heat-0", "heat-1", "heat-2", "heat-4"}
    assert all(inside(root, float(c.attrib["x"]) + 11, float(c.attrib["y"]) + 11) for c in cells)
    assert root.find(f"{SVG}desc").text == (
        "10 check-ins on 3 days from 2025-11-24 to 2026-11-23; the most, 6, on 2026-11-23."
    )
    assert len(by_class(root, "heat-legend")) == 5


def test_heatmap_of_nothing() -> None:
    root = parse(charts.heatmap({}, TODAY))
    assert {c.attrib["class"] for c in root.iter(f"{SVG}rect")} >= {"heat-0"}
    assert root.find(f"{SVG}desc").text.startswith("0 check-ins on 0 days")


# --- progress bar -------------------------------------------------------------------------


@pytest.mark.parametrize(("fraction", "pace", "label"), [
    (0.6, "behind", "60% done, road expects 90%; behind"),
    (1.7, "achieved", "100% done, road expects 90%; achieved"),
    (None, "no-data", "no progress yet, road expects 90%; no data"),
    (float("nan"), "at-risk", "no progress yet, road expects 90%; at risk"),
], ids=["behind", "over-one", "none", "nan"])
def test_progress_bar_names_its_pace_in_words(fraction: float | None, pace: str,
                                              label: str) -> None:
    root = parse(charts.progress_bar(fraction, pace, expected=0.9))
    assert root.attrib["aria-label"] == label
    assert root.find(f"{SVG}title").text == label
    fills = by_class(root, "bar-fill")
    assert [float(f.attrib["width"]) for f in fills] == (
        [min(fraction, 1.0) * 100] if fraction is not None and fraction == fraction else [])


def test_progress_bar_slugifies_the_pace_class() -> None:
    markup = charts.progress_bar(0.5, '"><script>')
    assert "<script>" not in markup
    assert by_class(parse(markup), "bar-fill")[0].attrib["class"] == "bar-fill pace-script"


# --- helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "text"), [
    (3.0, "3"), (0.1 + 0.2, "0.3"), (-0.001, "0"), (2.345, "2.35"), (1e12, "1000000000000"),
    (float("nan"), "\u2013"),
])
def test_number(value: float, text: str) -> None:
    assert number(value) == text


def test_nice_ticks() -> None:
    assert nice_ticks(-0.4, 5.4, 4) == (0.0, 2.0, 4.0)
    assert nice_ticks(0.0, 1.0, 5) == (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    assert nice_ticks(3.0, 3.0) == (3.0,)


def test_month_ticks_keep_januaries_with_years() -> None:
    assert [label for _, label in month_ticks(D(2025, 6, 1), D(2028, 7, 1), 8)] == [
        "Jul 2025", "Jan 2026", "Jul", "Jan 2027", "Jul", "Jan 2028", "Jul",
    ]
    assert [label for _, label in month_ticks(D(2026, 11, 16), D(2026, 11, 30))] == [
        "16 Nov 2026", "30 Nov 2026",
    ]
