"""R — relevant: the goal serves a longer goal and the person's priorities (SPEC §4)."""

from __future__ import annotations

from collections.abc import Iterator

from goalsite.lint.engine import Context
from goalsite.lint.registry import Hit, quoted, rule
from goalsite.model import HORIZONS, Goal, horizon_rank


@rule("R001", "warning", "neither a parent nor a `relevant` statement")
def no_relevance(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a goal below the long term (yearly, quarterly, monthly,
    weekly, or no horizon) that names no `parent` and has no `relevant` statement.

    **Why it matters.** A goal that serves nothing longer is the first to be dropped when time
    runs short — or the one that quietly eats the time of the goals that matter. Saying why it
    matters now, or which goal it serves, is the test of relevance.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    horizon: quarterly
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    horizon: quarterly
    relevant: >
      Engineering managers here are picked from people leadership already
      knows; presenting makes my team's work visible.
    ---
    ```
    """
    if goal.horizon == "long-term" or goal.parent or (goal.relevant and goal.relevant.strip()):
        return
    if ctx.unreadable(goal, ("parent",)) or ctx.unreadable(goal, ("relevant",)):
        return
    level = f"this {goal.horizon} goal" if goal.horizon else "this goal"
    candidate = _likely_parent(goal, ctx)
    yield Hit(
        f"{level} has neither a `parent` nor a `relevant` statement: why does it matter now?",
        f"Name the longer goal it serves, like `parent: {candidate or 'become-engineering-manager'}`"
        ", or add `relevant:` saying why it matters now.",
        ("relevant",) if "relevant" in goal.given else None,
    )


def _likely_parent(goal: Goal, ctx: Context) -> str | None:
    """A goal of the vault this one could serve: the same owner, the same category if one
    fits, the nearest longer horizon; None when the vault has no such goal."""
    owner, rank = goal.owner or "", horizon_rank(goal.horizon)
    for category in ((goal.category, None) if goal.category is not None else (None,)):
        for longer in range(rank - 1, -1, -1):
            found = ctx.open_goals_by_level.get((owner, longer, category))
            if found is not None and found.id != goal.id:
                return found.id
    return None


@rule("R002", "error", "the parent goal does not exist")
def missing_parent(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a `parent` that is not the id of any goal in the vault.

    **Why it matters.** The goal falls out of the cascade, and its progress no longer rolls up
    into the goal it was meant to serve — usually because of a typo or a renamed file.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    parent: become-engineering-manger
    ---
    ```

    `goals/become-engineering-manager.md`
    ```markdown
    ---
    title: Become an engineering manager by 2028
    horizon: long-term
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    parent: become-engineering-manager
    ---
    ```

    `goals/become-engineering-manager.md`
    ```markdown
    ---
    title: Become an engineering manager by 2028
    horizon: long-term
    ---
    ```
    """
    if not goal.parent or ctx.vault.goal(goal.parent) is not None:
        return
    guess = ctx.goal_like(goal.parent)
    guess = guess if guess != goal.id else None
    hint = f" — did you mean {quoted(guess)}?" if guess else ""
    example = guess or _likely_parent(goal, ctx) or "become-engineering-manager"
    yield Hit(
        f"parent {quoted(goal.parent)} is not the id of any goal{hint}",
        f"Write the id of an existing goal, like `parent: {example}`.",
        ("parent",), on_value=True,
    )


@rule("R003", "warning", "the parent's horizon is not longer than the goal's")
def parent_horizon(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a goal whose parent's `horizon` is the same as, or shorter
    than, its own (a quarterly goal under a monthly one). The cascade runs long-term → yearly →
    quarterly → monthly → weekly.

    **Why it matters.** A parent is the longer goal this one serves; the other way round, the
    cascade and the roll-up of progress read upside down.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    horizon: quarterly
    parent: first-talk
    ---
    ```

    `goals/first-talk.md`
    ```markdown
    ---
    title: Give my first all-hands talk
    horizon: monthly
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    horizon: quarterly
    parent: visibility
    ---
    ```

    `goals/visibility.md`
    ```markdown
    ---
    title: Be known by all 4 directors by year end
    horizon: yearly
    ---
    ```
    """
    parent = ctx.vault.goal(goal.parent) if goal.parent else None
    if parent is None or not goal.horizon or not parent.horizon or parent.id == goal.id:
        return
    if horizon_rank(parent.horizon) < horizon_rank(goal.horizon):
        return
    longer = HORIZONS[max(horizon_rank(goal.horizon) - 1, 0)]
    yield Hit(
        f"parent {quoted(parent.id)} is {parent.horizon}, not longer than this {goal.horizon} goal",
        f"Choose a parent with a longer horizon, or set the right horizons, like "
        f"`horizon: {longer}` in {parent.path}.",
        ("parent",), on_value=True,
    )


@rule("R004", "error", "the parents form a cycle")
def parent_cycle(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a goal that is, through its `parent` chain, its own ancestor
    (a → b → a, or a goal that is its own parent).

    **Why it matters.** A cascade is a tree: in a cycle no goal is at the top, and progress
    cannot roll up.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    parent: visibility
    ---
    ```

    `goals/visibility.md`
    ```markdown
    ---
    title: Be known by all 4 directors by year end
    parent: presenting
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    parent: visibility
    ---
    ```

    `goals/visibility.md`
    ```markdown
    ---
    title: Be known by all 4 directors by year end
    ---
    ```
    """
    cycle = ctx.cycles.get(goal.id)
    if cycle is None:
        return
    path = (*cycle.from_goal(goal.id), goal.id)
    # A long cycle is shown by its ends: the goal, its parent … and back to the goal.
    loop = " → ".join(path if len(path) <= 6 else (*path[:3], f"… {len(path) - 5} more", *path[-2:]))
    top = cycle.top
    yield Hit(
        f"parent {quoted(goal.parent)} leads back to this goal: {loop}",
        "Break the cycle: delete the `parent:` line of the goal that should be on top, for "
        f"example in {top.path}.",
        ("parent",), on_value=True,
    )


@rule("R005", "warning", "the goal is due after its parent")
def due_after_parent(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a goal whose `due` is later than its parent's `due`.

    **Why it matters.** A goal serves its parent: finishing it after the parent is due cannot
    help the parent on time.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    parent: visibility
    due: 2027-03-31
    ---
    ```

    `goals/visibility.md`
    ```markdown
    ---
    title: Be known by all 4 directors by year end
    due: 2026-12-31
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    parent: visibility
    due: 2026-11-30
    ---
    ```

    `goals/visibility.md`
    ```markdown
    ---
    title: Be known by all 4 directors by year end
    due: 2026-12-31
    ---
    ```
    """
    parent = ctx.vault.goal(goal.parent) if goal.parent else None
    if parent is None or goal.due is None or parent.due is None or goal.due <= parent.due:
        return
    yield Hit(
        f"due {goal.due} is after the due date of parent {quoted(parent.id)}, {parent.due}",
        f"Finish before the parent does, like `due: {parent.due}`, or move the parent's `due`.",
        ("due",), on_value=True,
    )
