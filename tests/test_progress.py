"""SPEC §3 by hand: every pace, every aggregate, both directions, the edge cases of issue 5.

Unless a test says otherwise a goal runs from START 2026-01-01 to DUE 2026-04-11: 100 days, so
on 2026-02-20 (50 days in) the road expects 0.5, and on 2026-03-23 (81 days in) 0.81.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalsite.config import Config
from goalsite.dates import Duration
from goalsite.progress import Point, evaluate, reevaluate
from tests.progress_builders import DUE, START, entry, goal, measure, vault

D = dt.date
MID = D(2026, 2, 20)  # 50 of 100 days: expected 0.5


def one(*items, today: dt.date = MID, config: Config | None = None):
    """The progress of goal "g" (and its first measure) in a vault of `items`."""
    progress = evaluate(vault(*items, config=config), today).goal("g")
    return progress, (progress.measures[0] if progress.measures else None)


# --- every pace state ------------------------------------------------------------------------


def test_ahead() -> None:
    g, m = one(goal("g", measure()), entry(D(2026, 2, 10), value=7))
    # progress = (7 - 0) / (10 - 0) = 0.7; expected = 50/100 = 0.5; 0.7 - 0.5 = +20 points > 10
    assert (m.current, m.progress, g.expected, g.pace) == (7.0, 0.7, 0.5, "ahead")
    # the road reaches 7 at day 0.7 × 100 = 70; today is day 50: 70 - 50 = 20 days ahead
    assert g.days_ahead == 20
    # seen: 7 / 50 days = 0.14 a day; needed: (10 - 7) / 50 days left = 0.06 a day
    assert (m.seen_per_day, m.needed_per_day) == (pytest.approx(0.14), pytest.approx(0.06))
    # forecast: at 0.7 per 50 days the whole way takes 50 / 0.7 = 71.4 → 71 days: 2026-03-13
    assert g.forecast == D(2026, 3, 13)
    # the road today: 0 + (10 - 0) × 0.5 = 5
    assert m.expected_value == 5.0
    assert m.road == (Point(START, 0.0), Point(DUE, 10.0))


def test_on_track_at_the_edge_of_the_tolerance() -> None:
    g, _ = one(goal("g", measure()), entry(D(2026, 2, 10), value=4))
    # 0.4 - 0.5 = -10 points: within the default tolerance of 10 (inclusive)
    assert (g.progress, g.pace) == (0.4, "on-track")
    # the road reaches 4 at day 40; today is day 50: 10 days behind
    assert g.days_ahead == -10


def test_on_track_uses_the_configured_tolerance() -> None:
    config = Config(pace_tolerance=5)
    g, _ = one(goal("g", measure()), entry(D(2026, 2, 10), value=4), config=config)
    # 0.4 - 0.5 = -10 points, more than 5: behind
    assert g.pace == "behind"


def test_behind() -> None:
    g, _ = one(goal("g", measure()), entry(D(2026, 2, 10), value=3))
    # 0.3 - 0.5 = -20 points; time left = 1 - 0.5 = 0.5, not under a quarter: behind
    assert (g.progress, g.pace, g.days_ahead) == (0.3, "behind", -20)


def test_at_risk() -> None:
    g, _ = one(goal("g", measure()), entry(D(2026, 2, 10), value=5), today=D(2026, 3, 23))
    # day 81 of 100: expected 0.81; 0.5 - 0.81 = -31 points; time left 0.19 < 0.25: at risk
    assert (g.expected, g.pace) == (0.81, "at-risk")
    # the road reaches 5 at day 50; today is day 81: 31 days behind
    assert g.days_ahead == -31


def test_overdue() -> None:
    g, _ = one(goal("g", measure()), entry(D(2026, 2, 10), value=5), today=D(2026, 4, 12))
    # one day past due (2026-04-11), progress 0.5 < 1: overdue; expected clamps to 1
    assert (g.expected, g.pace) == (1.0, "overdue")
    # the road reached 5 on day 50; today is day 101
    assert g.days_ahead == -51


def test_on_the_due_date_it_is_not_yet_overdue() -> None:
    g, _ = one(goal("g", measure()), entry(D(2026, 2, 10), value=5), today=DUE)
    # day 100 of 100: expected 1; 0.5 - 1 = -50 points; time left 0: at risk, not overdue
    assert g.pace == "at-risk"


def test_achieved() -> None:
    g, m = one(goal("g", measure()), entry(D(2026, 1, 20), value=4), entry(D(2026, 2, 1), value=10))
    # 10 / 10 = 1.0: achieved; the forecast is the day a value first met the target
    assert (g.progress, g.pace, g.forecast) == (1.0, "achieved", D(2026, 2, 1))
    assert m.needed_per_day == 0.0  # (10 - 10) / 50


def test_not_started() -> None:
    g, _ = one(goal("g", measure()), today=D(2025, 12, 31))
    # the day before start: expected clamps to 0
    assert (g.expected, g.pace) == (0.0, "not-started")


def test_no_data() -> None:
    g, m = one(goal("g", measure(baseline=3)))
    # no values: current = baseline = 3, progress (3 - 3) / (10 - 3) = 0, "no data"
    assert (m.current, m.progress, m.has_data, g.pace) == (3.0, 0.0, False, "no-data")
    assert (m.values, m.points, m.seen_per_day, g.forecast) == ((), (), None, None)
    # no pace seen yet, but the needed pace is known: (10 - 3) / 50 days
    assert m.needed_per_day == pytest.approx(0.14)


# --- every aggregate, both directions ----------------------------------------------------------


@pytest.mark.parametrize(
    ("aggregate", "baseline", "target", "values", "current", "progress"),
    [
        # last: the latest value, 3 then 7 then 5 → 5; (5 - 0) / (10 - 0)
        ("last", 0, 10, (3, 7, 5), 5.0, 0.5),
        # sum: baseline + values, 1 + 1 + 2 = 4; (4 - 1) / (11 - 1)
        ("sum", 1, 11, (1, 2), 4.0, 0.3),
        # mean: (3 + 4 + 5) / 3 = 4; (4 - 2) / (5 - 2) = 2/3
        ("mean", 2, 5, (3, 4, 5), 4.0, 2 / 3),
        # max: max(3, 7, 5) = 7; (7 - 0) / (10 - 0)
        ("max", 0, 10, (3, 7, 5), 7.0, 0.7),
        # min on a `down` measure (60 → 50): min(58, 54, 57) = 54; (54 - 60) / (50 - 60) = 0.6
        ("min", 60, 50, (58, 54, 57), 54.0, 0.6),
        # last, down: 60 → 50 hours a week, now 56: (56 - 60) / (50 - 60) = 0.4
        ("last", 60, 50, (58, 56), 56.0, 0.4),
        # mean, down: (58 + 52) / 2 = 55; (55 - 60) / (50 - 60) = 0.5
        ("mean", 60, 50, (58, 52), 55.0, 0.5),
        # sum, down (a debt paid off): 100 + (-20) + (-30) = 50; (50 - 100) / (0 - 100) = 0.5
        ("sum", 100, 0, (-20, -30), 50.0, 0.5),
        # max on a `down` measure moving the wrong way: 62; (62 - 60) / (50 - 60) = -0.2 (raw)
        ("max", 60, 50, (58, 62), 62.0, -0.2),
    ],
    ids=["last", "sum", "mean", "max", "min-down", "last-down", "mean-down", "sum-down",
         "max-down-wrong-way"],
)
def test_aggregates(aggregate, baseline, target, values, current, progress) -> None:
    days = [D(2026, 1, 10 + i) for i in range(len(values))]
    items = [entry(day, value=v) for day, v in zip(days, values)]
    g, m = one(goal("g", measure(baseline=baseline, target=target, aggregate=aggregate)), *items)
    assert m.current == pytest.approx(current)
    assert m.progress == pytest.approx(progress)
    assert g.progress == pytest.approx(min(1, max(0, progress)))
    assert g.raw_progress == pytest.approx(progress)
    assert [p.value for p in m.values] == [float(v) for v in values]
    assert len(m.points) == len(values) and m.points[-1].value == pytest.approx(current)


def test_running_points_follow_the_aggregate() -> None:
    _, m = one(goal("g", measure(baseline=1, target=11, aggregate="sum")),
               entry(D(2026, 1, 5), value=1), entry(D(2026, 1, 9), value=2))
    # the chart plots the running sum: 1 + 1 = 2 on the 5th, 2 + 2 = 4 on the 9th
    assert m.points == (Point(D(2026, 1, 5), 2.0), Point(D(2026, 1, 9), 4.0))


def test_down_measure_pace_and_days() -> None:
    g, m = one(goal("g", measure(baseline=60, target=50)), entry(D(2026, 2, 1), value=52))
    # (52 - 60) / (50 - 60) = 0.8; 0.8 - 0.5 = +30 points: ahead by 80 - 50 = 30 days
    assert (m.progress, g.pace, g.days_ahead) == (pytest.approx(0.8), "ahead", 30)
    # seen: (52 - 60) / 50 days = -0.16 hours a day; needed: (50 - 52) / 50 = -0.04
    assert m.seen_per_day == pytest.approx(-0.16)
    assert m.needed_per_day == pytest.approx(-0.04)
    assert m.expected_value == 55.0  # 60 + (50 - 60) × 0.5


def test_sum_without_baseline_counts_from_zero() -> None:
    _, m = one(goal("g", measure(baseline=None, target=5, aggregate="sum")),
               entry(D(2026, 1, 5), value=1), entry(D(2026, 1, 9), value=1))
    # 0 + 1 + 1 = 2 of 5
    assert (m.current, m.progress) == (2.0, 0.4)


def test_last_without_baseline_has_no_progress() -> None:
    g, m = one(goal("g", measure(baseline=None, target=5)), entry(D(2026, 1, 5), value=1))
    assert (m.current, m.progress, g.progress, g.pace, m.road) == (1.0, None, None, "no-data", None)


# --- which values count ------------------------------------------------------------------------


def test_values_after_today_are_ignored() -> None:
    _, m = one(goal("g", measure()), entry(D(2026, 2, 10), value=4), entry(D(2026, 2, 21), value=9))
    assert (m.current, m.values) == (4.0, (Point(D(2026, 2, 10), 4.0),))


def test_non_numeric_and_non_finite_values_are_ignored() -> None:
    _, m = one(goal("g", measure()), entry(D(2026, 2, 1), value=4),
               entry(D(2026, 2, 2), value="lots"), entry(D(2026, 2, 3), value=math.nan),
               entry(D(2026, 2, 4), value=math.inf))
    assert (m.current, len(m.values)) == (4.0, 1)


def test_named_values_go_to_their_measure_and_unknown_keys_are_ignored() -> None:
    g, _ = one(goal("g", measure("talks", target=4), measure("hours", baseline=60, target=50, index=1)),
               entry(D(2026, 2, 1), talks=2, hours=55, typo=9))
    talks, hours = g.measures
    # talks 2/4 = 0.5; hours (55 - 60) / (50 - 60) = 0.5
    assert (talks.current, hours.current) == (2.0, 55.0)
    assert g.progress == 0.5


def test_value_shorthand_needs_exactly_one_measure() -> None:
    g, _ = one(goal("g", measure("a"), measure("b", index=1)), entry(D(2026, 2, 1), value=5))
    assert not g.has_data and all(m.current == 0.0 for m in g.measures)


# --- goal aggregates: measures and roll-ups ----------------------------------------------------


def test_goal_progress_is_the_mean_of_clamped_measures() -> None:
    g, _ = one(goal("g", measure("a"), measure("b", index=1)), entry(D(2026, 2, 1), a=15, b=5))
    # a: 15 / 10 = 1.5 → clamped 1.0; b: 0.5; mean (1.0 + 0.5) / 2 = 0.75; raw (1.5 + 0.5) / 2 = 1.0
    assert (g.progress, g.raw_progress) == (0.75, 1.0)
    # not achieved while one measure is short, whatever the raw mean says
    assert g.pace == "ahead"  # 0.75 - 0.5 = +25 points


def test_roll_up_is_the_weighted_mean_of_children() -> None:
    items = [
        goal("g", horizon="yearly"),
        goal("a", measure(), parent="g", weight=3),
        goal("b", measure(), parent="g", weight=1),
        entry(D(2026, 2, 1), goal_id="a", value=10),
    ]
    progress = evaluate(vault(*items), MID)
    g = progress.goal("g")
    # a: 1.0 × 3, b: no data, counts as 0 × 1; (3 + 0) / (3 + 1) = 0.75
    assert (g.rolled_up, g.progress, g.rolled_from) == (True, 0.75, ("a", "b"))
    assert (g.pace, g.days_ahead) == ("ahead", 25)  # 75 - 50 days


def test_roll_up_leaves_out_dropped_and_unmeasurable_children() -> None:
    items = [
        goal("g", horizon="yearly"),
        goal("a", measure(), parent="g"),
        goal("b", measure(), parent="g", status="dropped"),
        goal("c", parent="g"),  # no measures, no children: no progress
        entry(D(2026, 2, 1), goal_id="a", value=4),
        entry(D(2026, 2, 1), goal_id="b", value=0),
    ]
    g = evaluate(vault(*items), MID).goal("g")
    assert (g.progress, g.rolled_from) == (0.4, ("a",))


def test_roll_up_clamps_children_and_cascades() -> None:
    items = [
        goal("top", horizon="long-term"),
        goal("mid", parent="top", horizon="yearly"),
        goal("a", measure(), parent="mid"),
        goal("b", measure(), parent="mid"),
        goal("c", measure(), parent="top"),
        entry(D(2026, 2, 1), goal_id="a", value=20),  # raw 2.0, clamped 1.0
        entry(D(2026, 2, 1), goal_id="b", value=0),
        entry(D(2026, 2, 1), goal_id="c", value=2),
    ]
    progress = evaluate(vault(*items), MID)
    # mid: (1.0 + 0.0) / 2 = 0.5 (raw (2.0 + 0.0) / 2 = 1.0); top: (0.5 + 0.2) / 2 = 0.35
    assert (progress.goal("mid").progress, progress.goal("mid").raw_progress) == (0.5, 1.0)
    assert progress.goal("top").progress == pytest.approx(0.35)


def test_a_goal_with_measures_does_not_roll_up_its_children() -> None:
    items = [goal("g", measure()), goal("a", measure(), parent="g"),
             entry(D(2026, 2, 1), goal_id="a", value=10)]
    g = evaluate(vault(*items), MID).goal("g")
    assert (g.rolled_up, g.progress, g.pace) == (False, 0.0, "no-data")


def test_a_goal_with_neither_measures_nor_children_has_no_progress() -> None:
    g, _ = one(goal("g"))
    assert (g.progress, g.expected, g.pace, g.days_ahead) == (None, 0.5, "no-data", None)


def test_parent_cycles_terminate() -> None:
    items = [goal("a", parent="b"), goal("b", parent="a"), goal("c", measure(), parent="a"),
             entry(D(2026, 2, 1), goal_id="c", value=5)]
    progress = evaluate(vault(*items), MID)
    # evaluation starts at "a" (ids in order): b's roll-up cannot include a, its own ancestor
    assert progress.goal("b").progress is None
    assert progress.goal("a").progress == 0.5  # c only
    assert set(progress.goals) == {"a", "b", "c"}


def test_a_deep_cascade_does_not_recurse() -> None:
    depth = 5000
    items = [goal(f"g{i:05d}", parent=f"g{i - 1:05d}" if i else None) for i in range(depth)]
    items.append(goal("leaf", measure(), parent=f"g{depth - 1:05d}"))
    items.append(entry(D(2026, 2, 1), goal_id="leaf", value=3))
    progress = evaluate(vault(*items), MID)
    assert progress.goal("g00000").progress == 0.3


# --- edge cases of issue 5 -----------------------------------------------------------------------


def test_start_equals_due() -> None:
    day = D(2026, 3, 1)
    before, _ = one(goal("g", measure(), start=day, due=day), today=D(2026, 2, 28))
    on, _ = one(goal("g", measure(), start=day, due=day), entry(day, value=4), today=day)
    # a one-day goal: nothing expected before the day, everything on it; no days-ahead figure
    assert (before.expected, before.pace) == (0.0, "not-started")
    assert (on.expected, on.pace, on.days_ahead) == (1.0, "at-risk", None)


def test_no_start() -> None:
    g, m = one(goal("g", measure(), start=None), entry(D(2026, 2, 1), value=4))
    assert (g.progress, g.expected, g.pace, g.days_ahead, m.road) == (0.4, None, "no-data", None, None)
    assert (g.review_due, m.seen_per_day, g.forecast) == (None, None, None)


def test_no_due() -> None:
    g, m = one(goal("g", measure(), due=None), entry(D(2026, 2, 1), value=4))
    assert (g.progress, g.expected, g.pace, g.days_ahead, m.needed_per_day) == (
        0.4, None, "no-data", None, None)
    # the pace seen still forecasts: 4 in 50 days → 10 in 125 days
    assert m.seen_per_day == pytest.approx(0.08)
    assert g.forecast == START + dt.timedelta(days=125)


def test_no_due_past_nothing_is_overdue() -> None:
    g, _ = one(goal("g", measure(), due=None), today=D(2030, 1, 1))
    assert g.pace == "no-data"


def test_baseline_equals_target() -> None:
    met, _ = one(goal("g", measure(baseline=5, target=5)))
    slipped, _ = one(goal("g", measure(baseline=5, target=5)), entry(D(2026, 2, 1), value=4))
    down, _ = one(goal("g", measure(baseline=5, target=5, direction="down")),
                  entry(D(2026, 2, 1), value=4))
    # nothing to travel: progress is 1 while current is at or beyond the target, else 0
    assert (met.progress, met.pace) == (1.0, "achieved")
    assert (slipped.progress, slipped.pace) == (0.0, "behind")
    assert (down.progress, down.pace) == (1.0, "achieved")


def test_target_already_met_at_start() -> None:
    g, m = one(goal("g", measure(baseline=5, target=10)), entry(START, value=12))
    # (12 - 5) / (10 - 5) = 1.4 raw, 1.0 shown; achieved on the first day
    assert (m.progress, g.progress, g.pace, g.forecast) == (1.4, 1.0, "achieved", START)
    # the road reaches 12 at 1.4 × 100 = day 140; today is day 50
    assert m.days_ahead == 90


def test_a_goal_past_due_and_achieved_is_achieved_not_overdue() -> None:
    g, _ = one(goal("g", measure()), entry(D(2026, 3, 1), value=10), today=D(2026, 6, 1))
    assert g.pace == "achieved"


def test_status_achieved_is_believed_and_needs_no_review() -> None:
    g, _ = one(goal("g", measure(), status="achieved"), entry(D(2026, 2, 1), value=3),
               today=D(2026, 6, 1))
    assert (g.progress, g.pace, g.review_due) == (0.3, "achieved", None)


@pytest.mark.parametrize("status", ["missed", "dropped"])
def test_closed_goals_keep_their_numbers_and_need_no_review(status: str) -> None:
    g, _ = one(goal("g", measure(), status=status), entry(D(2026, 2, 1), value=3),
               today=D(2026, 6, 1))
    assert (g.progress, g.pace, g.review_due) == (0.3, "overdue", None)


def test_paused_goals_keep_their_pace_and_their_review() -> None:
    g, _ = one(goal("g", measure(), status="paused"), entry(D(2026, 2, 1), value=3))
    assert (g.pace, g.review_due) == ("behind", D(2026, 4, 1))


# --- review due ----------------------------------------------------------------------------------


def test_review_due_from_start() -> None:
    g, _ = one(goal("g", measure()))
    # 2026-01-01 + 90 days = 2026-04-01
    assert (g.last_review, g.review_due) == (None, D(2026, 4, 1))


def test_review_due_from_the_last_review_or_session() -> None:
    g, _ = one(goal("g", measure()), entry(D(2026, 1, 20), kind="session"),
               entry(D(2026, 2, 10), kind="review"), entry(D(2026, 2, 15), kind="check-in"),
               entry(D(2026, 3, 1), kind="review"))  # after today: ignored
    # 2026-02-10 + 90 days: 18 to Feb 28, 31 in March, 30 in April, 11 in May → 2026-05-11
    assert (g.last_review, g.review_due) == (D(2026, 2, 10), D(2026, 5, 11))


def test_review_every_in_months_follows_the_calendar() -> None:
    g, _ = one(goal("g", measure(), start=D(2026, 1, 31), review_every=Duration(1, "m")))
    assert g.review_due == D(2026, 2, 28)


def test_reviews_due_oldest_first() -> None:
    items = [goal("a", measure(), start=D(2025, 12, 1)), goal("b", measure(), start=D(2025, 9, 1)),
             goal("c", measure())]
    due = evaluate(vault(*items), D(2026, 3, 5)).reviews_due()
    # b: 2025-11-30, a: 2026-03-01, c: 2026-04-01 (not yet)
    assert [(p.goal_id, p.review_due) for p in due] == [("b", D(2025, 11, 30)), ("a", D(2026, 3, 1))]


# --- properties ------------------------------------------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)
anything = st.floats(allow_nan=True, allow_infinity=True)


@settings(max_examples=150, deadline=None)
@given(baseline=finite, span=st.floats(min_value=0.01, max_value=1e6), low=finite, extra=st.floats(0, 1e6),
       aggregate=st.sampled_from(["last", "sum", "mean", "max", "min"]))
def test_progress_is_monotone_in_the_values_for_up_measures(baseline, span, low, extra, aggregate) -> None:
    """Raising the latest value never lowers an `up` measure's progress."""
    target = baseline + span

    def progress_with(last: float) -> float:
        _, m = one(goal("g", measure(baseline=baseline, target=target, aggregate=aggregate)),
                   entry(D(2026, 1, 5), value=low / 2), entry(D(2026, 1, 9), value=last))
        return m.progress

    assert progress_with(low + extra) >= progress_with(low) - 1e-9


@settings(max_examples=200, deadline=None)
@given(baseline=anything | st.none(), target=anything | st.none(), values=st.lists(anything, max_size=5),
       aggregate=st.sampled_from(["last", "sum", "mean", "max", "min"]),
       weight=anything, tolerance=st.floats(0, 100),
       today=st.dates(D(1, 1, 2), D(9999, 12, 30)), start=st.none() | st.dates(),
       due=st.none() | st.dates())
def test_nothing_raises_on_any_numbers(baseline, target, values, aggregate, weight, tolerance,
                                       today, start, due) -> None:
    items = [goal("p", start=start, due=due),
             goal("g", measure(baseline=baseline, target=target, aggregate=aggregate), start=start,
                  due=due, parent="p", weight=weight)]
    items += [entry(D(2026, 1, 1) + dt.timedelta(days=i), value=v) for i, v in enumerate(values)]
    result = evaluate(vault(*items, config=Config(pace_tolerance=tolerance)), today)
    for progress in result.goals.values():
        for number in (progress.progress, progress.raw_progress, progress.expected):
            assert number is None or math.isfinite(number)
        assert progress.progress is None or 0 <= progress.progress <= 1
        for m in progress.measures:
            for number in (m.current, m.progress, m.expected_value, m.needed_per_day, m.seen_per_day):
                assert number is None or math.isfinite(number)


# --- reevaluate: watch mode's partial evaluation gives evaluate's answer ----------------------

_cascade = st.lists(st.tuples(st.integers(-1, 7), st.booleans(), st.floats(1, 50),
                              st.sampled_from(["active", "dropped", "achieved"])),
                    min_size=1, max_size=8)


def _cascade_vault(shape, values, edited: int | None = None):
    """Goals g0..gN whose parent is the goal at the index given (-1: none; cycles allowed),
    measured or rolled up, with entries; `edited` raises one goal's target and adds an entry."""
    items = []
    for index, (parent, measured, target, status) in enumerate(shape):
        bump = 7 if index == edited else 0
        items.append(goal(f"g{index}", *([measure(target=target + bump)] if measured else []),
                          parent=f"g{parent}" if 0 <= parent < len(shape) else None,
                          status=status))
    for index, value in values:
        items.append(entry(D(2026, 1, 2) + dt.timedelta(days=index), goal_id=f"g{index % len(shape)}",
                           value=value))
    if edited is not None:
        items.append(entry(D(2026, 2, 1), goal_id=f"g{edited}", value=3))
    return vault(*items)


@settings(max_examples=200, deadline=None)
@given(shape=_cascade, values=st.lists(st.tuples(st.integers(0, 30), st.floats(0, 60)), max_size=8),
       pick=st.integers(0, 7))
def test_reevaluating_the_changed_goals_equals_evaluating_all(shape, values, pick) -> None:
    """Whatever the cascade (cycles included), re-evaluating only the edited goal gives what a
    full evaluation gives: its ancestors' roll-ups move with it."""
    edited = pick % len(shape)
    before = evaluate(_cascade_vault(shape, values), MID)
    after = _cascade_vault(shape, values, edited)
    assert reevaluate(after, MID, before, {f"g{edited}"}) == evaluate(after, MID)


def test_reevaluate_updates_the_ancestors_roll_up() -> None:
    """A child's new value moves its parent's roll-up, without the parent being named."""
    items = [goal("p"), goal("c", measure(), parent="p")]
    before = evaluate(vault(*items), MID)
    after = vault(*items, entry(D(2026, 2, 1), "c", value=5))
    again = reevaluate(after, MID, before, {"c"})
    assert again.goal("p").progress == again.goal("c").progress == 0.5
    assert again == evaluate(after, MID)
