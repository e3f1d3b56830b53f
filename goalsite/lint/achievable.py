"""A — achievable: the goal is realistic for this person, with this time and support (SPEC §4)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

from goalsite.lint.engine import Context
from goalsite.lint.registry import Hit, quoted, rule
from goalsite.model import Goal, Measure
from goalsite.progress import day_reaching

# Under this share of the time gone, "no progress yet" is normal: do not judge the pace.
_TOO_EARLY = 0.25


@rule("A001", "warning", "no `achievable` statement")
def no_achievable(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a goal without an `achievable` statement.

    **Why it matters.** Saying why the goal is realistic — the skills you have, the time you
    will put in, the support you can count on — is how you find out, before starting, that it is
    not. A coach asks it in the first session.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    achievable: >
      I already present to my team every week; two hours a week are blocked
      for preparation, and my manager offered to review each deck.
    ---
    ```
    """
    if (goal.achievable and goal.achievable.strip()) or ctx.unreadable(goal, ("achievable",)):
        return
    yield Hit(
        "there is no `achievable` statement: why is this realistic for you?"
        if "achievable" not in goal.given else "`achievable` is empty: why is this realistic for you?",
        "Say which skills, time and support make it realistic, like `achievable: I present "
        "to my team weekly and have two hours a week blocked for preparation.`",
        ("achievable",) if "achievable" in goal.given else None,
    )


@rule("A002", "info", "no `resources` listed")
def no_resources(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a goal that lists no `resources`.

    **Why it matters.** Training, a mentor, a budget, time: what a goal needs is easier to ask
    for when it is written down, and its absence explains a goal that stalls.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    resources:
      - Toastmasters membership (company-paid)
      - Two hours a week of preparation time
    ---
    ```
    """
    if any(item.strip() for item in goal.resources) or ctx.unreadable(goal, ("resources",)):
        return
    yield Hit(
        "no `resources` are listed: what will you need?",
        "List what the goal needs, like `resources: [a speaking course, 2 hours a week, "
        "feedback from my manager]`.",
        ("resources",) if "resources" in goal.given else None,
    )


@rule("A003", "warning", "the pace needed is far above the pace so far", progress=True)
def pace_needed(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** For an active goal, compares each measure's pace needed from today to
    reach its target by `due` with the pace seen since `start` (from the journal), and reports
    a measure that needs more than `pace_factor` times (default 3×, `[lint] pace_factor`) the
    pace so far. A measure whose logged values have not moved at all is reported once a
    quarter of the time has passed; one with no value logged yet is not judged. The fix offers
    the target, and the due date, that `pace_factor` times the pace so far would reach.

    **Why it matters.** Plans that need three times last month's effort rarely happen. Seeing
    it early leaves time to lower the target, move the date, or find help.

    **Failing example** (on 2026-11-23)

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 10 company presentations
    start: 2026-01-05
    due: 2026-12-31
    measures:
      - key: talks
        aggregate: sum
        baseline: 0
        target: 10
    ---
    ```

    `journal/2026-05-04.md`
    ```markdown
    ---
    date: 2026-05-04
    goal: presenting
    values: {talks: 2}
    ---
    ```

    **Passing example** (on 2026-11-23)

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 10 company presentations
    start: 2026-01-05
    due: 2026-12-31
    measures:
      - key: talks
        aggregate: sum
        baseline: 0
        target: 10
    ---
    ```

    `journal/2026-05-04.md`
    ```markdown
    ---
    date: 2026-05-04
    goal: presenting
    values: {talks: 8}
    ---
    ```
    """
    progress = ctx.progress.goal(goal.id)
    factor = ctx.settings.pace_factor
    for mp in progress.measures:
        if mp.needed_per_day is None or mp.seen_per_day is None or mp.pace == "achieved":
            continue
        toward = 1.0 if mp.measure.effective_direction == "up" else -1.0
        needed, seen = mp.needed_per_day * toward, mp.seen_per_day * toward
        if needed <= 0:
            continue
        # "2 presentations a week", but "1.7 a week" for a rate like hours/week.
        unit = f" {mp.measure.unit}" if mp.measure.unit and "/" not in mp.measure.unit else ""
        target = f"{mp.measure.target:g}" if mp.measure.target is not None else "its target"
        needed_text = f"{'to fall ' if toward < 0 else ''}{needed * 7:.2g}{unit} a week"
        if seen <= 0:
            if (mp.expected or 0) < _TOO_EARLY:
                continue
            yield Hit(
                f"measure {quoted(mp.measure.label)} has not moved since {goal.start} and needs "
                f"{needed_text} to reach {target} by {goal.due}",
                "Log the progress you have made, like `goalsite log "
                f"{goal.id} {mp.measure.key}=…`, or make it reachable: lower the target or "
                "move `due` later.",
                (*mp.measure.key_path, "target"),
            )
        elif needed > factor * seen:
            days_left = (goal.due - ctx.today).days if goal.due else 0
            lower = _reachable_target(mp.measure, mp.current, mp.seen_per_day * factor, days_left)
            later = day_reaching(mp.measure.target, mp.current, mp.seen_per_day * factor,
                                   ctx.today)
            options = ([f"lower the target, like `target: {lower}`"] if lower else []) + (
                [f"move the due date, like `due: {later}`"] if later else [])
            yield Hit(
                f"measure {quoted(mp.measure.label)} needs {needed_text} to reach {target} by "
                f"{goal.due}: {needed / seen:.1f}× the {seen * 7:.2g}{unit} a week seen since "
                f"{goal.start} (more than {factor:g}×)",
                f"Make it reachable at {factor:g}× the pace so far: "
                + (", or ".join(options) if options else "plan how to go faster") + ".",
                (*mp.measure.key_path, "target"),
            )


def _reachable_target(measure: Measure, current: float | None, per_day: float,
                      days_left: int) -> str | None:
    """Where the measure gets by `due` at `per_day` (signed), rounded back toward today's value
    (to a whole number when baseline and target are whole); None when that is no step at all."""
    if current is None or days_left <= 0:
        return None
    value = current + per_day * days_left
    up = per_day > 0
    whole = all(float(n).is_integer() for n in (measure.baseline or 0, measure.target or 0))
    step = 1.0 if whole else 0.1
    rounded = (math.floor if up else math.ceil)(value / step) * step
    rounded = round(rounded, 1)
    if (rounded - current) * (1 if up else -1) < step / 2:
        return None
    return f"{rounded:g}"


@rule("A004", "warning", "too many active goals at one horizon", progress=True)
def competing_priorities(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports each active goal of an owner who has more than
    `max_active_per_horizon` (default 3, `[lint] max_active_per_horizon`) active goals at the
    same horizon.

    **Why it matters.** Goals compete for the same hours. Four quarterly goals on top of a job
    usually means none of them gets done; choosing which to pause is part of making the others
    achievable.

    **Failing example**

    `goalsite.toml`
    ```toml
    [lint]
    max_active_per_horizon = 1
    ```

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    horizon: quarterly
    ---
    ```

    `goals/mentoring.md`
    ```markdown
    ---
    title: Mentor 2 junior engineers
    horizon: quarterly
    ---
    ```

    **Passing example**

    `goalsite.toml`
    ```toml
    [lint]
    max_active_per_horizon = 1
    ```

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    horizon: quarterly
    ---
    ```

    `goals/mentoring.md`
    ```markdown
    ---
    title: Mentor 2 junior engineers
    horizon: quarterly
    status: paused
    ---
    ```
    """
    if not goal.horizon:
        return
    group = ctx.active_groups.get((goal.owner or "", goal.horizon), ())
    limit = ctx.settings.max_active_per_horizon
    if len(group) <= limit:
        return
    whose = f" for {goal.owner}" if goal.owner else ""
    # Three names and a count, not a list of the whole group for each of its goals: a vault
    # of 5,000 active quarterly goals made that 25 million names (issue 10). The group holds
    # this goal exactly when it is active (ids are unique).
    named = list(itertools.islice((other.id for other in group if other.id != goal.id), 3))
    rivals = len(group) - (1 if goal.is_active else 0)
    others = ", ".join(named) + (f" and {rivals - 3} more" if rivals > 3 else "")
    yield Hit(
        f"{len(group)} {goal.horizon} goals are active{whose} at once (more than {limit}): "
        f"this one competes with {others}",
        "Pause the least important ones, like `status: paused`, until one of them is done.",
        ("status",) if "status" in goal.given else ("horizon",),
    )
