"""T — time-bound: the goal has a finish date that fits its horizon, and is reviewed (SPEC §4)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator

from goalsite.lint.engine import Context
from goalsite.lint.registry import Hit, rule
from goalsite.model import HORIZONS, Goal


@rule("T001", "warning", "the goal has no due date")
def no_due(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a goal without a `due` date.

    **Why it matters.** "Some day" is not a plan: without a due date there is no road from
    baseline to target, no pace, and nothing to review against.

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
    due: 2026-12-31
    ---
    ```
    """
    if goal.due is not None or ctx.unreadable(goal, ("due",)):
        return
    given = "due" in goal.given
    yield Hit(
        "`due` is empty: when will this goal be done?" if given
        else "this goal has no due date: when will it be done?",
        f"Add the day you plan to finish, like `due: {_suggested_due(goal, ctx)}`.",
        ("due",) if given else None,
    )


def _suggested_due(goal: Goal, ctx: Context) -> dt.date:
    """A due date to offer: the horizon's usual span (else 90 days) from the written start,
    else from today (a start guessed from the file's date would make the advice drift)."""
    begin = goal.start if goal.start_given and goal.start else ctx.today
    days = ctx.settings.horizons[goal.horizon][0] if goal.horizon else 90
    return begin + dt.timedelta(days=days)


@rule("T002", "error", "the goal is due before it starts")
def due_before_start(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a goal whose `due` is earlier than its `start`.

    **Why it matters.** The goal has no time at all: one of the two dates is a slip (often the
    year).

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    start: 2026-09-01
    due: 2026-03-31
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    start: 2026-09-01
    due: 2027-03-31
    ---
    ```
    """
    if goal.start is None or goal.due is None or goal.due >= goal.start:
        return
    yield Hit(
        f"due {goal.due} is before start {goal.start}",
        f"Set a due date after the start, like `due: {_same_day_next_year(goal.due, goal.start)}`.",
        ("due",), on_value=True,
    )


def _same_day_next_year(due: dt.date, start: dt.date) -> dt.date:
    """The due date moved by whole years until it is after start: the likely intended date."""
    years = start.year - due.year + 1
    try:
        moved = due.replace(year=due.year + years)
    except ValueError:  # 29 February
        moved = due.replace(year=due.year + years, day=28)
    return moved if moved > start else start + dt.timedelta(days=90)


@rule("T003", "warning", "the duration does not fit the horizon")
def duration_fits_horizon(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a goal whose span from `start` to `due` is far from its
    `horizon`: long-term 1–3 years, yearly 12 months, quarterly 90 days, monthly 30 days,
    weekly 7 days (by default; `[lint.horizons]` changes them, like `quarterly = "13w"`), give
    or take `horizon_slack` (default 50%, `[lint] horizon_slack`).

    **Why it matters.** A "quarterly" goal of 14 months sits in the wrong row of the cascade
    and is reviewed at the wrong rhythm; usually the horizon or the due date is a slip.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    horizon: quarterly
    start: 2026-01-05
    due: 2027-03-05
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    horizon: quarterly
    start: 2026-01-05
    due: 2026-04-03
    ---
    ```
    """
    if goal.horizon is None or goal.start is None or goal.due is None or goal.due < goal.start:
        return
    days = (goal.due - goal.start).days
    slack = ctx.settings.horizon_slack
    spans = ctx.settings.horizons
    low, high = spans[goal.horizon]
    if low * (1 - slack) <= days <= high * (1 + slack):
        return
    # The best fit: the horizon whose usual span is nearest, as a ratio (424 days: yearly).
    fitting = sorted((h for h in HORIZONS if _fits(spans[h], days, slack)),
                     key=lambda h: abs(math.log(max(days, 1) / sum(spans[h]) * 2)))
    closer = f"`due: {_about(goal.start, low if days < low else high)}`"
    suggestion = (
        f"change to `horizon: {fitting[0]}`, or move the due date, like {closer}" if fitting
        else f"move the due date, like {closer}"
    )
    yield Hit(
        f"a {goal.horizon} goal spans {_span_words(low, high)}, but this one spans {days} days "
        f"({goal.start} → {goal.due})",
        f"Make the horizon and the dates agree: {suggestion}.",
        ("horizon",), on_value=True,
    )


def _span_words(low: int, high: int) -> str:
    """`about 90 days`, `1 to 3 years`, `90 to 120 days`."""
    if low % 365 == 0 and high % 365 == 0 and low != high:
        return f"{low // 365} to {high // 365} years"
    return f"about {low} days" if low == high else f"{low} to {high} days"


def _fits(span: tuple[int, int], days: int, slack: float) -> bool:
    low, high = span
    return low * (1 - slack) <= days <= high * (1 + slack)


def _about(start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=days)


@rule("T004", "info", "no `start` date is written")
def no_start(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a goal that does not write its `start` date. goalsite then uses
    the day the file first appeared in git, else the file's date.

    **Why it matters.** The road from baseline to target begins at `start`: a guessed start
    (a copied file, a fresh clone) moves the whole road and the pace with it.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    due: 2026-12-31
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    start: 2026-01-05
    due: 2026-12-31
    ---
    ```
    """
    if goal.start_given or ctx.unreadable(goal, ("start",)):
        return
    used = f"goalsite uses {goal.start}, from git or the file's date" if goal.start else (
        "goalsite cannot tell when the goal began")
    yield Hit(
        f"`start` is {'empty' if 'start' in goal.given else 'not written'}: {used}",
        f"Write the day you began, like `start: {goal.start or ctx.today}`.",
        ("start",) if "start" in goal.given else None,
    )


@rule("T005", "warning", "the goal is overdue but still active", progress=True)
def overdue(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports an active goal whose `due` date has passed without it being
    achieved.

    **Why it matters.** An overdue goal left active keeps asking for attention the plan no
    longer gives it. Deciding — achieved, missed, or a new date — is part of the review.

    **Failing example** (on 2026-11-23)

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    start: 2026-01-05
    due: 2026-09-30
    ---
    ```

    **Passing example** (on 2026-11-23)

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    start: 2026-01-05
    due: 2026-09-30
    status: missed
    ---
    ```
    """
    if ctx.progress.goal(goal.id).pace != "overdue" or goal.due is None:
        return
    late = (ctx.today - goal.due).days
    yield Hit(
        f"due {goal.due} has passed ({late} day{'s' if late != 1 else ''} ago) and the goal is "
        "still active",
        "Close it or plan again: write `status: achieved` or `status: missed`, or a new date "
        f"like `due: {ctx.today + dt.timedelta(days=30)}`.",
        ("due",), on_value=True,
    )


@rule("T006", "warning", "less buffer than 20% between due and deadline")
def deadline_buffer(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** For a goal with a hard `deadline`, reports a `due` date that leaves
    less than `min_buffer` (default 20%, `[lint] min_buffer`) of the time from `start` to the
    deadline as a buffer — or that falls after the deadline.

    **Why it matters.** Plans slip. Planning to finish exactly on an external deadline means any
    delay misses it; a buffer turns a slip into a late week instead of a missed goal.

    **Failing example**

    `goals/certification.md`
    ```markdown
    ---
    title: Pass the AWS Solutions Architect exam
    start: 2026-01-05
    due: 2026-06-25
    deadline: 2026-06-30
    ---
    ```

    **Passing example**

    `goals/certification.md`
    ```markdown
    ---
    title: Pass the AWS Solutions Architect exam
    start: 2026-01-05
    due: 2026-05-22
    deadline: 2026-06-30
    ---
    ```
    """
    if goal.deadline is None or goal.due is None or goal.start is None:
        return
    span = (goal.deadline - goal.start).days
    if span <= 0:
        return
    share = ctx.settings.min_buffer
    buffer = (goal.deadline - goal.due).days
    if buffer >= share * span:
        return
    latest = goal.deadline - dt.timedelta(days=math.ceil(share * span))
    if buffer < 0:
        message = f"due {goal.due} is after the deadline {goal.deadline}"
    else:
        message = (
            f"due {goal.due} leaves {buffer} day{'s' if buffer != 1 else ''} before the deadline "
            f"{goal.deadline}: {buffer / span:.0%} of the time from start, under the "
            f"{share:.0%} buffer"
        )
    yield Hit(
        message,
        f"Plan to finish earlier, like `due: {latest}`, to keep {share:.0%} of the time as a buffer.",
        ("due",), on_value=True,
    )


@rule("T007", "warning", "the review is overdue", progress=True)
def review_overdue(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports an active goal with no journal entry of kind `review` or
    `session` within its `review_every` (default 90 days, from goalsite.toml) — counted from
    the last review, else from `start`.

    **Why it matters.** Goals drift unless they are looked at: a 90-day review is where targets,
    dates and priorities are adjusted while there is still time.

    **Failing example** (on 2026-11-23)

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    start: 2026-01-05
    due: 2026-12-31
    review_every: 90d
    ---
    ```

    `journal/2026-05-04.md`
    ```markdown
    ---
    date: 2026-05-04
    goal: presenting
    kind: review
    ---
    ```

    **Passing example** (on 2026-11-23)

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    start: 2026-01-05
    due: 2026-12-31
    review_every: 90d
    ---
    ```

    `journal/2026-10-05.md`
    ```markdown
    ---
    date: 2026-10-05
    goal: presenting
    kind: review
    ---
    ```
    """
    progress = ctx.progress.goal(goal.id)
    if progress.review_due is None or progress.review_due >= ctx.today:
        return
    since = (f"the last review was on {progress.last_review}" if progress.last_review
             else f"there has been no review since start, {goal.start}")
    yield Hit(
        f"a review was due on {progress.review_due} (every {goal.review_every.describe()}) and "
        f"{since}",
        "Review the goal and log it in a journal entry with `kind: review`, like "
        f"`goalsite new entry {goal.id} --kind review`.",
        ("review_every",) if "review_every" in goal.given else None,
    )


@rule("T008", "info", "the due date was moved more than twice", progress=True)
def due_moved_often(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports an active goal whose `due` date was moved, commit after commit,
    more than `max_due_moves` times (default 2, `[lint] max_due_moves`). It reads the vault's
    git history (docs/history.md): each commit that changed `due` from one date to another
    counts once; uncommitted edits do not count. Without git it finds nothing.

    **Why it matters.** Moving a due date after a review is planning; moving it again and again
    says the goal no longer fits the time it has. Lowering the target, splitting the goal or
    closing it is more honest than a road that keeps sliding, and keeps the chart meaningful.

    **Failing example**

    The history of `goals/presenting.md`, which is still `status: active`:

    ```console
    $ git log --format='%ad %s' --date=short -- goals/presenting.md
    2026-06-01 Move due to December 31 (was November 30)
    2026-04-01 Move due to November 30 (was October 31)
    2026-03-01 Move due to October 31 (was September 30)
    2026-01-05 Add presentations goal, due September 30
    ```

    **Passing example**

    ```console
    $ git log --format='%ad %s' --date=short -- goals/presenting.md
    2026-06-01 Lower the target to 4 presentations; due stays September 30
    2026-03-01 Move due to September 30 (was August 31)
    2026-01-05 Add presentations goal, due August 31
    ```
    """
    history = ctx.history.get(goal.path)
    if history is None:
        return
    trail = history.due_trail()
    moves = len(trail) - 1
    if moves <= ctx.settings.max_due_moves:
        return
    yield Hit(
        f"`due` was moved {moves} times in git: {' → '.join(trail)}",
        "Make the goal fit its time instead of moving `due` again: lower a target, split the "
        "goal, or close it with `status: missed`.",
        ("due",) if "due" in goal.given else None, on_value=True,
    )
