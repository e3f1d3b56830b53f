"""S — specific: the goal says exactly what will be done, by whom, when and why (SPEC §4)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from goalsite.lint.engine import Context
from goalsite.lint.registry import Hit, quoted, rule
from goalsite.model import Goal

# Words that promise a direction without saying how far (SPEC §4: "improve", "get better", "more").
_VAGUE = re.compile(
    r"\b(improve|improving|get(?:ting)? better|be(?:come)? (?:a )?better|better at|more|less|"
    r"increase|decrease|reduce|enhance|boost|work on|try to|focus on|grow|develop|"
    r"learn about|level up|step up)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d")

# Cues that the `specific` statement answers each W-question (SPEC §4). A field of the goal
# answers a question too: `owner` says who, `due` says when, `relevant` says why.
_WHO = re.compile(r"\b(i|i'm|i'll|me|my|we|our|us|team|manager|client|coach|with)\b", re.IGNORECASE)
_WHEN = re.compile(
    r"\d|\b(by|before|until|within|every|each|weekly|monthly|quarter|q[1-4]|week|month|year|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"spring|summer|autumn|fall|winter)\b",
    re.IGNORECASE,
)
_WHY = re.compile(
    r"\b(so that|so i|so we|so my|because|in order to|to become|to be|to get|to earn|to help|"
    r"to grow|to lead|which will|that will|why)\b",
    re.IGNORECASE,
)
# Fewer words than this cannot say what exactly will be done beyond the title.
_MIN_WHAT_WORDS = 6


@rule("S001", "error", "the goal has no title")
def no_title(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a goal without a `title`, or with an empty one.

    **Why it matters.** The title is what you read on the dashboard, in the cascade and in every
    review: a goal without one cannot be told apart from the others.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    horizon: quarterly
    due: 2026-12-31
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations by December
    horizon: quarterly
    due: 2026-12-31
    ---
    ```
    """
    if (goal.title and goal.title.strip()) or ctx.unreadable(goal, ("title",)):
        return
    yield Hit(
        "this goal has no title" if "title" not in goal.given else "`title` is empty",
        "Add a title that says what you will achieve, like "
        "`title: Deliver 5 company presentations by June`.",
        ("title",) if "title" in goal.given else None,
    )


@rule("S002", "warning", "a vague title with no measure")
def vague_title(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a title that promises a direction ("improve", "get better",
    "more", "work on"…) when neither the title nor any measure says how far: the title has no
    number and no measure has a `target`.

    **Why it matters.** "Get better at presenting" can never be checked off: there is no point
    at which it is done, so there is no progress to see.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Get better at presenting
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Get better at presenting
    measures:
      - key: talks
        name: Company presentations delivered
        unit: presentations
        baseline: 0
        target: 5
    ---
    ```
    """
    if not goal.title:
        return
    match = _VAGUE.search(goal.title)
    if match is None or _NUMBER.search(goal.title):
        return
    if any(measure.target is not None for measure in goal.measures):
        return
    yield Hit(
        f"title {quoted(goal.title)} is vague: {quoted(match.group(0).lower())} says which "
        "direction, but nothing says how much or when it is done",
        "Name the result and a number, like `title: Deliver 5 company presentations by June`, "
        "and add a measure with a `target`.",
        ("title",), on_value=True,
    )


@rule("S003", "warning", "no `specific` statement")
def no_specific(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reports a goal without a `specific` statement.

    **Why it matters.** A title is short; `specific` says what exactly will be done, who is
    involved, where and why. It is what a coach asks first, and what you reread in six months.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations by December
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations by December
    specific: >
      I will present my team's results at five company all-hands meetings
      by December, so that leadership knows our work.
    ---
    ```
    """
    if (goal.specific and goal.specific.strip()) or ctx.unreadable(goal, ("specific",)):
        return
    yield Hit(
        "there is no `specific` statement: what exactly, who, where and why"
        if "specific" not in goal.given else "`specific` is empty: what exactly, who, where and why?",
        "Add one or two sentences, like `specific: I will present my team's results at five "
        "all-hands meetings by December, so that leadership knows our work.`",
        ("specific",) if "specific" in goal.given else None,
    )


@rule("S004", "warning", "the W-questions are unanswered")
def w_questions(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** Reads the `specific` statement for the four W-questions and reports
    the ones it leaves open:

    - *who*: a person (`I`, `we`, `my team`, a client…), or the goal's `owner`;
    - *what*: at least six words saying what exactly will be done;
    - *when*: a date, a month, "by …", "every week"…, or the goal's `due`;
    - *why*: "so that", "because", "in order to"…, or the goal's `relevant` statement.

    A goal without `specific` is reported by S003 instead.

    **Why it matters.** A statement that answers who, what, when and why leaves nothing to
    guess at the next review; one that does not is usually a wish.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    specific: Present more.
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    specific: >
      I will present my team's results at five company all-hands meetings
      by December, so that leadership knows our work.
    ---
    ```
    """
    text = (goal.specific or "").strip()
    if not text:
        return
    missing = []
    if not (goal.owner or _WHO.search(text)):
        missing.append("who")
    if len(text.split()) < _MIN_WHAT_WORDS:
        missing.append("what exactly")
    if not (goal.due or _WHEN.search(text)):
        missing.append("when")
    if not ((goal.relevant and goal.relevant.strip()) or _WHY.search(text)):
        missing.append("why")
    if not missing:
        return
    listed = ", ".join(missing[:-1]) + (" or " if len(missing) > 1 else "") + missing[-1]
    yield Hit(
        f"`specific` {quoted(text)} does not say {listed}",
        "Answer who, what, when and why in one or two sentences, like `specific: I will "
        "present my team's results at five all-hands meetings by December, so that leadership "
        "knows our work.`",
        ("specific",), on_value=True,
    )
