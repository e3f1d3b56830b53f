"""J — journal: entries point at real goals, on dates that make sense (SPEC §4)."""

from __future__ import annotations

from collections.abc import Iterator

from goalsite.lint.engine import Context
from goalsite.lint.registry import Hit, quoted, rule
from goalsite.model import Entry, KeyPath


def _goal_key(entry: Entry, index: int) -> KeyPath:
    """Where the entry names its `index`th goal: `goals: [...]` or `goal:`."""
    return ("goals", index) if "goals" in entry.given else ("goal",)


@rule("J001", "error", "an entry names a goal that does not exist", scope="entry")
def unknown_goal(entry: Entry, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a journal entry whose `goal` (or one of its `goals`) is not
    the id of any goal in the vault.

    **Why it matters.** The entry — and every value in it — belongs to no goal: the progress it
    records is lost, usually to a typo or a renamed goal file.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    ---
    ```

    `journal/2026-03-02.md`
    ```markdown
    ---
    date: 2026-03-02
    goal: presentng
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    ---
    ```

    `journal/2026-03-02.md`
    ```markdown
    ---
    date: 2026-03-02
    goal: presenting
    ---
    ```
    """
    for index, goal_id in enumerate(entry.goals):
        if ctx.vault.goal(goal_id) is not None:
            continue
        guess = ctx.goal_like(goal_id)
        hint = f" — did you mean {quoted(guess)}?" if guess else ""
        yield Hit(
            f"goal {quoted(goal_id)} is not the id of any goal{hint}",
            f"Write the id of an existing goal, like `goal: {guess or _any_goal(ctx)}`.",
            _goal_key(entry, index), on_value=True,
        )


def _any_goal(ctx: Context) -> str:
    """An id to show in an example: the vault's first active goal, else a made-up one."""
    return min((goal.id for goal in ctx.vault.goals if goal.is_active), default="presenting")


@rule("J002", "warning", "an entry is dated in the future", scope="entry")
def future_entry(entry: Entry, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a journal entry dated after today (`--today`, or the clock).

    **Why it matters.** Progress counts only values up to today, so a future-dated entry is
    silently left out — usually the year or the month is a slip.

    **Failing example** (on 2026-11-23)

    `journal/2026-12-02.md`
    ```markdown
    ---
    date: 2026-12-02
    kind: reflection
    ---
    ```

    **Passing example** (on 2026-11-23)

    `journal/2026-11-02.md`
    ```markdown
    ---
    date: 2026-11-02
    kind: reflection
    ---
    ```
    """
    if entry.date <= ctx.today:
        return
    yield Hit(
        f"date {entry.date} is in the future (today is {ctx.today}), so the entry is not counted yet",
        f"Write the day it happened, like `date: {ctx.today}`.",
        ("date",), on_value=True,
    )


@rule("J003", "warning", "an entry falls outside its goal's dates", scope="entry")
def outside_goal_dates(entry: Entry, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a journal entry dated before its goal's `start`, and an entry
    with `values` dated after its goal's `due` (a closing review or reflection after `due`
    is fine).

    **Why it matters.** A value before the start is counted in a road that had not begun; one
    after the due date measures a goal that is over. Usually the date, or the goal, is wrong.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    start: 2026-03-01
    due: 2026-12-31
    ---
    ```

    `journal/2026-02-02.md`
    ```markdown
    ---
    date: 2026-02-02
    goal: presenting
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    start: 2026-03-01
    due: 2026-12-31
    ---
    ```

    `journal/2026-03-02.md`
    ```markdown
    ---
    date: 2026-03-02
    goal: presenting
    ---
    ```
    """
    for index, goal_id in enumerate(entry.goals):
        goal = ctx.vault.goal(goal_id)
        if goal is None:
            continue
        if goal.start is not None and entry.date < goal.start:
            yield Hit(
                f"date {entry.date} is before goal {quoted(goal.id)} starts, on {goal.start}",
                f"Check the date, or move the goal's start, like `start: {entry.date}` in {goal.path}.",
                ("date",), on_value=True, goal=goal.id,
            )
        elif goal.due is not None and entry.date > goal.due and entry.values_for(goal):
            yield Hit(
                f"date {entry.date} is after goal {quoted(goal.id)} was due, on {goal.due}, "
                "but the entry reports values for it",
                f"Check the date, or move the goal's due date, like `due: {entry.date}` in {goal.path}.",
                ("date",), on_value=True, goal=goal.id,
            )
