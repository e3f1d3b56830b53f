"""The progress engine: SPEC §3's arithmetic, and the only place it lives.

For a vault and an evaluation date `today`, `evaluate` works out each measure's `current` and raw
`progress`, each goal's clamped `progress` (or the roll-up of its children), the road's
`expected` share, the `pace`, `days_ahead`, `review_due` and `forecast`. The linter, `status`,
`review`, the exports and the site all read these numbers; none of them computes its own.
docs/progress.md states every rule in words, with worked examples.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from goalsite.model import REVIEW_KINDS, Goal, Measure, Vault

Pace = Literal[
    "achieved", "ahead", "on-track", "behind", "at-risk", "overdue", "not-started", "no-data",
]
PACES: tuple[Pace, ...] = (
    "achieved", "ahead", "on-track", "behind", "at-risk", "overdue", "not-started", "no-data",
)
# Finished or set-aside goals need no more reviews (docs/progress.md, "Statuses").
_NO_REVIEW_STATUSES = frozenset({"achieved", "missed", "dropped"})
# A behind goal is at risk with under a quarter of its time left (SPEC §3).
_AT_RISK_TIME_LEFT = 0.25
# Float noise must not flip a goal sitting exactly on the tolerance line.
_EPSILON = 1e-9


@dataclass(frozen=True)
class Point:
    """A dated number: a reported value, a running `current`, or an end of the road."""

    date: dt.date
    value: float


@dataclass(frozen=True)
class MeasureProgress:
    """Where one measure stands on `today` (SPEC §3)."""

    measure: Measure
    current: float | None
    # Raw: may be under 0 or over 1; shown clamped.
    progress: float | None
    has_data: bool
    # The numbers as reported, dated, up to today, chronological.
    values: tuple[Point, ...]
    # The running `current` after each value: what the chart plots.
    points: tuple[Point, ...]
    # (start, baseline) → (due, target).
    road: tuple[Point, Point] | None
    # The road's value today.
    expected_value: float | None
    # Measure units per day, signed: (target − current) / days left until due.
    needed_per_day: float | None
    # Measure units per day, signed: (current − baseline) / days since start.
    seen_per_day: float | None
    pace: Pace
    days_ahead: int | None
    # The road's share of the way today, 0..1 (the same for every measure of a goal).
    expected: float | None = None
    # The day the target is (or was) reached at the pace seen since start.
    forecast: dt.date | None = None

    @property
    def clamped(self) -> float | None:
        """The progress as shown: between 0 and 1."""
        return None if self.progress is None else _clamp(self.progress)


@dataclass(frozen=True)
class GoalProgress:
    """Where one goal stands on `today` (SPEC §3)."""

    goal_id: str
    # Clamped 0..1: the mean of the measures' clamped progress, or the children's roll-up.
    progress: float | None
    # The same mean over raw (unclamped) progress.
    raw_progress: float | None
    expected: float | None
    pace: Pace
    days_ahead: int | None
    review_due: dt.date | None
    last_review: dt.date | None
    forecast: dt.date | None
    measures: tuple[MeasureProgress, ...]
    rolled_up: bool
    has_data: bool = False
    # The children counted in a roll-up, by id, in cascade order.
    rolled_from: tuple[str, ...] = ()

    def review_is_due(self, today: dt.date) -> bool:
        """True when the review date is today or past."""
        return self.review_due is not None and self.review_due <= today


@dataclass(frozen=True)
class VaultProgress:
    """Every goal's progress on `today`, by goal id."""

    today: dt.date
    goals: Mapping[str, GoalProgress]

    def goal(self, goal_id: str) -> GoalProgress:
        """The progress of `goal_id` (a KeyError for an id not in the vault: a bug upstream)."""
        return self.goals[goal_id]

    def reviews_due(self) -> tuple[GoalProgress, ...]:
        """The goals whose review is due or overdue, oldest review date first, then by id."""
        due = [progress for progress in self.goals.values() if progress.review_is_due(self.today)]
        return tuple(sorted(due, key=lambda p: (p.review_due, p.goal_id)))


def evaluate(vault: Vault, today: dt.date) -> VaultProgress:
    """Progress of every goal of `vault` on `today`. Never raises on what the files say."""
    tolerance = _tolerance(vault.config.pace_tolerance)
    done: dict[str, GoalProgress] = {}
    # Iterative post-order over the cascade: children before the parents that roll them up.
    # No recursion, so a deep cascade cannot overflow the stack; a goal already being worked
    # on (a parent cycle) is left out of its descendant's roll-up instead of looping.
    for top in vault.goals:
        stack: list[tuple[Goal, bool]] = [(top, False)]
        visiting: set[str] = set()
        while stack:
            goal, expanded = stack.pop()
            if goal.id in done:
                continue
            children = vault.children(goal.id)
            if goal.measures or not children:
                done[goal.id] = _measured_goal(vault, goal, today, tolerance)
            elif not expanded:
                visiting.add(goal.id)
                stack.append((goal, True))
                stack.extend(
                    (child, False) for child in reversed(children)
                    if child.id not in done and child.id not in visiting
                )
            else:
                done[goal.id] = _rolled_up_goal(vault, goal, children, done, today, tolerance)
                visiting.discard(goal.id)
    return VaultProgress(today=today, goals={goal.id: done[goal.id] for goal in vault.goals})


def reevaluate(vault: Vault, today: dt.date, previous: VaultProgress,
               changed: Iterable[str]) -> VaultProgress:
    """What `evaluate(vault, today)` returns, given `previous`, the evaluation of a vault that
    differs from `vault` only in the goals `changed` (their files, their entries or their
    children): those and their ancestors are evaluated again, every other goal is reused
    (watch mode, issue 10). Falls back to `evaluate` when the goals themselves differ, the day
    moved, or a changed goal is caught in a parent cycle (there the order of evaluation
    decides the roll-up)."""
    if previous.today != today or previous.goals.keys() != vault.goal_by_id.keys():
        return evaluate(vault, today)
    again: dict[str, tuple[int, Goal]] = {}
    for goal_id in changed:
        goal = vault.goal(goal_id)
        if goal is None:
            continue
        chain = (goal, *vault.ancestors(goal))
        top = chain[-1]
        if top.parent is not None and any(g.id == top.parent for g in chain):
            return evaluate(vault, today)
        for depth, member in enumerate(reversed(chain)):
            again[member.id] = (depth, member)
    tolerance = _tolerance(vault.config.pace_tolerance)
    done = dict(previous.goals)
    # Deepest first: children before the parents that roll them up.
    for _, goal in sorted(again.values(), key=lambda pair: -pair[0]):
        children = vault.children(goal.id)
        done[goal.id] = (_measured_goal(vault, goal, today, tolerance)
                         if goal.measures or not children
                         else _rolled_up_goal(vault, goal, children, done, today, tolerance))
    # The same goals as before, in the same order: the vault's.
    return VaultProgress(today=today, goals=done)


# --- measures -------------------------------------------------------------------------------


def measure_progress(
    vault: Vault, goal: Goal, measure: Measure, today: dt.date, tolerance: float = 0.10,
) -> MeasureProgress:
    """One measure of `goal` on `today`; `tolerance` is a share (0.10 for 10 points)."""
    values = _reported_values(vault, goal, measure, today)
    baseline = _effective_baseline(measure)
    points = _running(measure, baseline, values)
    has_data = bool(values)
    current = points[-1].value if points else baseline
    progress = _measure_share(measure, baseline, current)
    road = _road(goal, baseline, measure.target)
    expected = expected_share(goal.start, goal.due, today)
    expected_value = None
    if expected is not None and baseline is not None and measure.target is not None:
        expected_value = _finite(baseline + (measure.target - baseline) * expected)
    pace = judge_pace(progress, expected, goal.start, goal.due, today, has_data, tolerance)
    return MeasureProgress(
        measure=measure,
        current=current,
        progress=progress,
        has_data=has_data,
        values=values,
        points=points,
        road=road,
        expected_value=expected_value,
        needed_per_day=_needed_per_day(measure.target, current, goal.due, today),
        seen_per_day=_seen_per_day(baseline, current, goal.start, today, has_data),
        pace=pace,
        days_ahead=days_ahead(progress, goal.start, goal.due, today),
        expected=expected,
        forecast=_measure_forecast(measure, baseline, points, progress, goal.start, today),
    )


def _reported_values(
    vault: Vault, goal: Goal, measure: Measure, today: dt.date,
) -> tuple[Point, ...]:
    found: list[tuple[tuple[dt.date, dt.time, str], Point]] = []
    for entry in vault.entries_for(goal.id):
        # SPEC §3: values dated after today are ignored.
        if entry.date > today:
            continue
        value = entry.values_for(goal).get(measure.key)
        # Non-numeric values are ignored here; the linter reports them (SPEC §4 M).
        if value is None or value.number is None or not _is_finite(value.number):
            continue
        found.append((entry.sort_key, Point(entry.date, float(value.number))))
    found.sort(key=lambda pair: pair[0])
    return tuple(point for _, point in found)


def _effective_baseline(measure: Measure) -> float | None:
    """The baseline, or 0 for a `sum` measure without one (counting starts from nothing)."""
    if measure.baseline is not None and _is_finite(measure.baseline):
        return float(measure.baseline)
    if measure.aggregate == "sum":
        return 0.0
    return None


def _running(measure: Measure, baseline: float | None, values: Sequence[Point]) -> tuple[Point, ...]:
    """The measure's `current` after each value, by its aggregate (SPEC §2.2)."""
    running: list[Point] = []
    numbers: list[float] = []
    for point in values:
        numbers.append(point.value)
        current = aggregate(measure.aggregate, numbers, baseline)
        if current is not None:
            running.append(Point(point.date, current))
    return tuple(running)


def aggregate(kind: str, numbers: Sequence[float], baseline: float | None) -> float | None:
    """Combine `numbers` by `kind`: `sum` adds to the baseline; the others read values only."""
    if not numbers:
        return baseline
    if kind == "sum":
        return _finite((baseline or 0.0) + _safe_sum(numbers))
    if kind == "mean":
        return _finite(_safe_sum(numbers) / len(numbers))
    if kind == "max":
        return max(numbers)
    if kind == "min":
        return min(numbers)
    return numbers[-1]


def _measure_share(measure: Measure, baseline: float | None, current: float | None) -> float | None:
    """(current − baseline) / (target − baseline); see docs for baseline == target."""
    target = measure.target
    if baseline is None or target is None or current is None or not _is_finite(target):
        return None
    if target == baseline:
        # Nothing to travel: met while current is at or beyond the target in its direction.
        down = measure.direction == "down"
        met = current <= target if down else current >= target
        return 1.0 if met else 0.0
    return _finite((current - baseline) / (target - baseline))


def _road(goal: Goal, baseline: float | None, target: float | None) -> tuple[Point, Point] | None:
    if goal.start is None or goal.due is None or baseline is None or target is None:
        return None
    if not _is_finite(target):
        return None
    return (Point(goal.start, baseline), Point(goal.due, float(target)))


def _needed_per_day(
    target: float | None, current: float | None, due: dt.date | None, today: dt.date,
) -> float | None:
    if target is None or current is None or due is None or due <= today:
        return None
    return _finite((target - current) / (due - today).days)


def _seen_per_day(
    baseline: float | None, current: float | None, start: dt.date | None, today: dt.date,
    has_data: bool,
) -> float | None:
    if not has_data or baseline is None or current is None or start is None or today <= start:
        return None
    return _finite((current - baseline) / (today - start).days)


def _measure_forecast(
    measure: Measure, baseline: float | None, points: Sequence[Point], progress: float | None,
    start: dt.date | None, today: dt.date,
) -> dt.date | None:
    """When the target is reached: the day a running value first met it, else by the pace seen."""
    if progress is None or not points:
        return None
    if progress >= 1:
        for point in points:
            share = _measure_share(measure, baseline, point.value)
            if share is not None and share >= 1:
                return point.date
        return None
    return linear_forecast(progress, start, today)


# --- the road and the pace ------------------------------------------------------------------


def expected_share(start: dt.date | None, due: dt.date | None, today: dt.date) -> float | None:
    """clamp((today − start) / (due − start), 0, 1); a step at the date when start == due."""
    if start is None or due is None:
        return None
    span = (due - start).days
    if span <= 0:
        # start == due (or due before start, which the linter reports): nothing is expected
        # before that day and everything from it on.
        return 1.0 if today >= due else 0.0
    return _clamp((today - start).days / span)


def days_ahead(
    progress: float | None, start: dt.date | None, due: dt.date | None, today: dt.date,
) -> int | None:
    """The day the road reaches `progress`, minus today (negative: behind), to the nearest day."""
    if progress is None or start is None or due is None:
        return None
    span = (due - start).days
    if span <= 0:
        return None
    offset = progress * span - (today - start).days
    return _round_days(offset)


def judge_pace(
    progress: float | None, expected: float | None, start: dt.date | None, due: dt.date | None,
    today: dt.date, has_data: bool, tolerance: float,
) -> Pace:
    """The pace word for `progress` against the road (SPEC §3), first matching rule wins."""
    if progress is not None and progress >= 1:
        return "achieved"
    if start is not None and today < start:
        return "not-started"
    if due is not None and today > due:
        return "overdue"
    if not has_data or progress is None or expected is None:
        return "no-data"
    gap = progress - expected
    if gap > tolerance + _EPSILON:
        return "ahead"
    if gap >= -tolerance - _EPSILON:
        return "on-track"
    if 1 - expected < _AT_RISK_TIME_LEFT:
        return "at-risk"
    return "behind"


def linear_forecast(progress: float | None, start: dt.date | None, today: dt.date) -> dt.date | None:
    """The day a straight line from 0 at start through `progress` today reaches 1."""
    if progress is None or progress <= 0 or start is None or today <= start:
        return None
    days = _round_days((today - start).days / progress)
    return _add_days(start, days)


def day_reaching(target: float | None, current: float | None, per_day: float,
                 today: dt.date) -> dt.date | None:
    """The day a measure at `current` today reaches `target` moving `per_day` (signed); None
    when it never does, or not within a hundred years."""
    if target is None or current is None or per_day == 0:
        return None
    days = math.ceil((target - current) / per_day)
    return today + dt.timedelta(days=days) if 0 < days < 36500 else None


# --- goals ----------------------------------------------------------------------------------


def _measured_goal(vault: Vault, goal: Goal, today: dt.date, tolerance: float) -> GoalProgress:
    measures = tuple(measure_progress(vault, goal, m, today, tolerance) for m in goal.measures)
    counted = [m for m in measures if m.progress is not None]
    progress = _mean([_clamp(m.progress) for m in counted if m.progress is not None])
    raw = _mean([m.progress for m in counted if m.progress is not None])
    has_data = any(m.has_data for m in measures)
    forecast = None
    if counted and all(m.forecast is not None for m in counted):
        forecast = max(m.forecast for m in counted if m.forecast is not None)
    return _goal_progress(goal, vault, today, tolerance, progress, raw, has_data, measures,
                          forecast, rolled_from=None)


def _rolled_up_goal(
    vault: Vault, goal: Goal, children: Sequence[Goal], done: Mapping[str, GoalProgress],
    today: dt.date, tolerance: float,
) -> GoalProgress:
    """SPEC §3: a goal without measures is the weighted mean of its children's progress."""
    counted: list[tuple[Goal, GoalProgress]] = []
    for child in children:
        child_progress = done.get(child.id)
        # Left out: a dropped child (set aside), a child that cannot be measured, and a child
        # caught in a parent cycle. A child with no data yet counts as 0 (docs/progress.md).
        if child.status == "dropped" or child_progress is None or child_progress.progress is None:
            continue
        counted.append((child, child_progress))
    weights = [_weight(child) for child, _ in counted]
    progress = _weighted_mean([p.progress for _, p in counted if p.progress is not None], weights)
    raw = _weighted_mean(
        [p.raw_progress if p.raw_progress is not None else p.progress or 0.0 for _, p in counted],
        weights,
    )
    has_data = any(p.has_data for _, p in counted)
    if progress is not None and progress >= 1:
        forecasts = [p.forecast for _, p in counted]
        forecast = max(f for f in forecasts if f is not None) if all(forecasts) else None
    else:
        forecast = linear_forecast(progress, goal.start, today) if has_data else None
    return _goal_progress(goal, vault, today, tolerance, progress, raw, has_data, (), forecast,
                          rolled_from=tuple(child.id for child, _ in counted))


def _goal_progress(
    goal: Goal, vault: Vault, today: dt.date, tolerance: float, progress: float | None,
    raw: float | None, has_data: bool, measures: tuple[MeasureProgress, ...],
    forecast: dt.date | None, rolled_from: tuple[str, ...] | None,
) -> GoalProgress:
    expected = expected_share(goal.start, goal.due, today)
    pace = judge_pace(progress, expected, goal.start, goal.due, today, has_data, tolerance)
    if goal.status == "achieved":
        # The person says it is done: believe them (docs/progress.md, "Statuses").
        pace = "achieved"
    last_review = _last_review(vault, goal, today)
    review_due = None
    if goal.status not in _NO_REVIEW_STATUSES:
        anchor = last_review or goal.start
        review_due = _after(goal, anchor)
    return GoalProgress(
        goal_id=goal.id,
        progress=progress,
        raw_progress=raw,
        expected=expected,
        pace=pace,
        days_ahead=days_ahead(progress, goal.start, goal.due, today),
        review_due=review_due,
        last_review=last_review,
        forecast=forecast,
        measures=measures,
        rolled_up=rolled_from is not None,
        has_data=has_data,
        rolled_from=rolled_from or (),
    )


def _last_review(vault: Vault, goal: Goal, today: dt.date) -> dt.date | None:
    """SPEC §2.3: the latest `review` or `session` entry up to today resets the review clock."""
    dates = [e.date for e in vault.entries_for(goal.id) if e.kind in REVIEW_KINDS and e.date <= today]
    return max(dates) if dates else None


def _after(goal: Goal, anchor: dt.date | None) -> dt.date | None:
    if anchor is None:
        return None
    try:
        return goal.review_every.after(anchor)
    except (OverflowError, ValueError):
        return None


# --- small numeric helpers ------------------------------------------------------------------


def _tolerance(points: float) -> float:
    if not _is_finite(points) or points < 0:
        return 0.10
    return points / 100


def _weight(goal: Goal) -> float:
    weight = goal.weight
    return float(weight) if _is_finite(weight) and weight > 0 else 1.0


def _mean(numbers: Sequence[float]) -> float | None:
    return _weighted_mean(numbers, [1.0] * len(numbers))


def _weighted_mean(numbers: Sequence[float], weights: Sequence[float]) -> float | None:
    if not numbers:
        return None
    total = _safe_sum(weights)
    if not total or not _is_finite(total):
        return None
    return _finite(_safe_sum([n * w for n, w in zip(numbers, weights)]) / total)


def _safe_sum(numbers: Iterable[float]) -> float:
    """math.fsum, but an overflow becomes an infinity (then None upstream) instead of raising."""
    numbers = list(numbers)
    try:
        return math.fsum(numbers)
    except OverflowError:
        return math.inf
    except ValueError:
        return math.nan


def _clamp(share: float) -> float:
    return min(1.0, max(0.0, share))


def _is_finite(number: object) -> bool:
    return isinstance(number, (int, float)) and not isinstance(number, bool) and math.isfinite(number)


def _finite(number: float) -> float | None:
    return float(number) if _is_finite(number) else None


def _round_days(days: float) -> int | None:
    """Nearest whole day, halves rounded up; None when the number is not finite."""
    if not math.isfinite(days):
        return None
    return math.floor(days + 0.5)


def _add_days(day: dt.date, days: int | None) -> dt.date | None:
    if days is None:
        return None
    try:
        return day + dt.timedelta(days=days)
    except (OverflowError, ValueError):
        return None
