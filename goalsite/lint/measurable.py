"""M — measurable: the goal has a number to reach, and the journal feeds it (SPEC §4)."""

from __future__ import annotations

from collections.abc import Iterator

from goalsite.lint.engine import Context
from goalsite.lint.registry import Hit, closest, quoted, rule
from goalsite.model import Entry, Goal, Measure


def _name(measure: Measure) -> str:
    return f"measure {quoted(measure.label)}"


def _key_or_item(goal: Goal, measure: Measure, key: str) -> tuple[str | int, ...]:
    """Where a measure's missing `key` is reported: the key when it is written empty
    (`target:`), else the measure's first line."""
    written = (*measure.key_path, key)
    return written if written in goal.source.keys else measure.key_path


def _number(value: float) -> str:
    return f"{value:g}"


@rule("M001", "warning", "the goal has no measure")
def no_measure(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a goal with no `measures` (or `measure`). A goal whose
    progress rolls up from its children — another goal names it as `parent` — has one.

    **Why it matters.** Without a number, progress is a feeling: the site cannot draw the road
    from baseline to target, and nobody can tell whether the goal is on track.

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
    measures:
      - key: talks
        name: Company presentations delivered
        unit: presentations
        baseline: 0
        target: 5
    ---
    ```
    """
    if goal.measures or ctx.vault.children(goal.id):
        return
    written = next((key for key in ("measures", "measure") if key in goal.given), None)
    if written is not None and ctx.unreadable(goal, (written,)):
        return
    yield Hit(
        f"`{written}` is empty, so this goal's progress cannot be tracked" if written
        else "this goal has no measure, so its progress cannot be tracked",
        "Add a measure with a baseline and a target, like `measures: [{key: talks, unit: "
        "presentations, baseline: 0, target: 5}]`.",
        (written,) if written else None,
    )


@rule("M002", "warning", "a measure has no target")
def no_target(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a measure without a `target`.

    **Why it matters.** The target is where the measure must be at `due`: without it there is
    no road to compare with and no progress to compute.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    measures:
      - key: talks
        unit: presentations
        baseline: 0
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    measures:
      - key: talks
        unit: presentations
        baseline: 0
        target: 5
    ---
    ```
    """
    for measure in goal.measures:
        if measure.target is None and not ctx.unreadable(goal, (*measure.key_path, "target")):
            yield Hit(
                f"{_name(measure)} has no target: nothing says where it must be at `due`",
                "Add the number to reach by `due`, like `target: 5`.",
                _key_or_item(goal, measure, "target"),
            )


@rule("M003", "warning", "a measure has no baseline")
def no_baseline(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a measure without a `baseline`, where it stood at `start`.

    **Why it matters.** Progress is measured from the baseline: without it, goalsite cannot
    tell how far you have come. Capture it before starting — it is hard to recall later.

    **Failing example**

    `goals/working-hours.md`
    ```markdown
    ---
    title: Work 50 hours a week at most
    measures:
      - key: hours
        unit: hours/week
        target: 50
        direction: down
    ---
    ```

    **Passing example**

    `goals/working-hours.md`
    ```markdown
    ---
    title: Work 50 hours a week at most
    measures:
      - key: hours
        unit: hours/week
        baseline: 60
        target: 50
    ---
    ```
    """
    for measure in goal.measures:
        if measure.baseline is None and not ctx.unreadable(goal, (*measure.key_path, "baseline")):
            yield Hit(
                f"{_name(measure)} has no baseline: nothing says where it stood at `start`",
                "Write where it stands before you begin, like `baseline: 0`.",
                _key_or_item(goal, measure, "baseline"),
            )


@rule("M004", "error", "a measure's baseline equals its target")
def baseline_is_target(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a measure whose `baseline` and `target` are the same number.

    **Why it matters.** There is no distance to cover, so progress cannot be computed (it would
    divide by zero): usually one of the two numbers is a copy-paste slip.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    measures:
      - key: talks
        baseline: 5
        target: 5
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    measures:
      - key: talks
        baseline: 0
        target: 5
    ---
    ```
    """
    for measure in goal.measures:
        if measure.baseline is not None and measure.baseline == measure.target:
            yield Hit(
                f"{_name(measure)} has baseline and target both {_number(measure.baseline)}: "
                "there is nothing to reach",
                "Set the number you want to reach by `due`, like "
                f"`target: {_number(measure.baseline + 5)}`.",
                (*measure.key_path, "target"),
            )


@rule("M005", "info", "a measure has no unit")
def no_unit(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a measure without a `unit`.

    **Why it matters.** "5" of what? The unit labels the chart's axis and every value in the
    journal; without it a reader has to guess.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    measures:
      - key: talks
        baseline: 0
        target: 5
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    measures:
      - key: talks
        unit: presentations
        baseline: 0
        target: 5
    ---
    ```
    """
    for measure in goal.measures:
        if not measure.unit:
            yield Hit(
                f"{_name(measure)} has no unit",
                "Name what is counted, like `unit: presentations` or `unit: hours/week`.",
                _key_or_item(goal, measure, "unit"),
            )


@rule("M006", "warning", "a journal value for a measure the goal does not have", scope="entry")
def unknown_value_key(entry: Entry, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a value in a journal entry's `values` whose key is not a
    measure of any goal the entry is about, `value: N` when the goal has more than one
    measure (or none), and values in an entry that names no goal.

    **Why it matters.** The value is silently left out of the goal's progress: a typo in a key
    looks like a week with no progress.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    measures:
      - key: talks
        baseline: 0
        target: 5
    ---
    ```

    `journal/2026-03-02.md`
    ```markdown
    ---
    date: 2026-03-02
    goal: presenting
    values: {talk: 1}
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    measures:
      - key: talks
        baseline: 0
        target: 5
    ---
    ```

    `journal/2026-03-02.md`
    ```markdown
    ---
    date: 2026-03-02
    goal: presenting
    values: {talks: 1}
    ---
    ```
    """
    if not entry.values:
        return  # nothing to report, and nothing to look up
    if not entry.goals:
        # SPEC §2.3: a general reflection has no goal, but then its numbers count for nothing.
        written = "values" if "values" in entry.given else "value"
        yield Hit(
            f"this entry has `{written}` but names no goal, so they count toward no measure",
            f"Name the goal the values are for, like `goal: {_likely_goal(entry, ctx)}`.",
            (written,),
        )
        return
    goals = [goal for goal in map(ctx.vault.goal, entry.goals) if goal is not None]
    if not goals:
        return
    keys = sorted({measure.key for goal in goals for measure in goal.measures})
    about = goals[0].id
    for value in entry.values:
        if value.key is None:
            counts = [len(goal.measures) for goal in goals]
            if counts == [1] * len(goals):
                continue
            yield Hit(
                f"`value: {value.raw}` needs a goal with exactly one measure, but "
                f"{quoted(about)} has {'none' if not keys else 'measures ' + ', '.join(keys)}",
                f"Name the measure, like `values: {{{(keys or ['talks'])[0]}: {value.raw}}}`.",
                ("value",), goal=about,
            )
        elif value.key not in keys:
            guess = closest(value.key, keys)
            hint = f" — did you mean {quoted(guess)}?" if guess else ""
            shown = ", ".join(keys) if keys else "none"
            yield Hit(
                f"values: {quoted(value.key)} is not a measure of {quoted(about)} "
                f"(its measures: {shown}){hint}",
                f"Use one of the goal's measure keys, like `{guess or (keys or ['talks'])[0]}: "
                f"{value.raw}`.",
                ("values", value.key), goal=about,
            )


def _likely_goal(entry: Entry, ctx: Context) -> str:
    """The goal with a measure named like one of the entry's value keys, else the first goal."""
    keys = {value.key for value in entry.values if value.key}
    for goal in ctx.vault.goals:
        if keys & {measure.key for measure in goal.measures}:
            return goal.id
    return ctx.vault.goals[0].id if ctx.vault.goals else "presenting"


@rule("M007", "error", "a journal value is not a number", scope="entry")
def non_numeric_value(entry: Entry, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a journal value that is not a number, like `talks: three`
    or `talks: 2-3`.

    **Why it matters.** Progress is arithmetic: a value that is not a number is left out, and
    the chart shows a gap where you did the work.

    **Failing example**

    `journal/2026-03-02.md`
    ```markdown
    ---
    date: 2026-03-02
    goal: presenting
    values: {talks: three}
    ---
    ```

    **Passing example**

    `journal/2026-03-02.md`
    ```markdown
    ---
    date: 2026-03-02
    goal: presenting
    values: {talks: 3}
    ---
    ```
    """
    about = entry.goals[0] if entry.goals else None
    for value in entry.values:
        if value.number is None:
            at = ("value",) if value.key is None else ("values", value.key)
            name = "value" if value.key is None else value.key
            yield Hit(
                f"{name}: {quoted(value.raw)} is not a number",
                f"Write the number alone, like `{name}: 3`.",
                at, on_value=True, goal=about,
            )
