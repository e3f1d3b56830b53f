"""The terminal views of `goalsite status` and `goalsite review`, drawn with rich.

Everything a user wrote (titles, ids, categories, units) is added as `rich.text.Text`, never as
markup, and cleaned of control characters: a title `[/bold]` or `[link=…]` prints literally
and an escape sequence in a file cannot reach the terminal. Colour is an extra: every pace
also has its word, so the view reads the same without colour (a pipe, NO_COLOR).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from goalsite.model import HORIZONS, Goal, Vault
from goalsite.progress import PACES, GoalProgress, MeasureProgress, Pace, Point, VaultProgress

PACE_STYLES: dict[Pace, str] = {
    "achieved": "bold green",
    "ahead": "green",
    "on-track": "cyan",
    "behind": "yellow",
    "at-risk": "bold red",
    "overdue": "red",
    "not-started": "dim",
    "no-data": "dim",
}
PACE_WORDS: dict[Pace, str] = {
    "achieved": "achieved", "ahead": "ahead", "on-track": "on track", "behind": "behind",
    "at-risk": "at risk", "overdue": "overdue", "not-started": "not started", "no-data": "no data",
}
HORIZON_NAMES = {"long-term": "Long-term (1–3 years)", "yearly": "Yearly", "quarterly": "Quarterly",
                 "monthly": "Monthly", "weekly": "Weekly"}
# Below this width each goal takes two lines instead of one table row.
WIDE = 110
BAR_WIDTH = 12
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class StatusFilter:
    """Which goals `status` shows; an empty tuple lets everything through."""

    horizons: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def accepts(self, goal: Goal) -> bool:
        if self.horizons and goal.horizon not in self.horizons:
            return False
        if self.categories and (goal.category or "").casefold() not in {
                c.casefold() for c in self.categories}:
            return False
        return not self.statuses or goal.status in self.statuses


# --- status ------------------------------------------------------------------------------------


def render_status(console: Console, vault: Vault, progress: VaultProgress,
                  only: StatusFilter = StatusFilter()) -> None:
    """Print the dashboard: goals by horizon in cascade order, then a summary line."""
    today = progress.today
    shown = [(goal, depth) for goal, depth in vault.cascade() if only.accepts(goal)]
    console.print(Text.assemble((clean(vault.config.title), "bold"), f" — status on {today.isoformat()}"))
    if not shown:
        empty = "No goal could be read." if unread_note(vault) else "No goals in this vault yet."
        console.print(Text("No goals match." if vault.goals else empty, style="dim"))
        _print_unread(console, vault)
        return
    groups = _by_horizon(shown)
    if console.width >= WIDE:
        console.print()
        console.print(_wide_table(groups, progress, today))
    else:
        for horizon, goals in groups:
            console.print()
            console.print(Text(_horizon_name(horizon), style="bold underline"))
            console.print(_narrow_table(goals, progress, today))
    console.print()
    for line in summary_lines([progress.goal(goal.id) for goal, _ in shown], today, console.width):
        console.print(line)
    _print_unread(console, vault)


def unread_note(vault: Vault) -> str | None:
    """`Format errors in 2 files (…): …`, when some files could not be read in full, so that a
    goal missing from the view is not missed (its file has an F-code error)."""
    paths = sorted({finding.path for finding in vault.findings if finding.severity == "error"})
    if not paths:
        return None
    shown = ", ".join(clean(path) for path in paths[:3]) + (", …" if len(paths) > 3 else "")
    files = "1 file" if len(paths) == 1 else f"{len(paths)} files"
    return (f"Format errors in {files} ({shown}): their goals or entries may be missing or "
            "incomplete. Run goalsite lint to see them.")


def _print_unread(console: Console, vault: Vault) -> None:
    note = unread_note(vault)
    if note is not None:
        console.print(Text(note, style="yellow"))


def _by_horizon(shown: Sequence[tuple[Goal, int]]) -> list[tuple[str | None, list[tuple[Goal, int]]]]:
    """Groups in cascade order (long-term first); within a group the cascade's order is kept."""
    groups: list[tuple[str | None, list[tuple[Goal, int]]]] = []
    for horizon in (*HORIZONS, None):
        members = [(goal, depth) for goal, depth in shown
                   if goal.horizon == horizon or (horizon is None and goal.horizon not in HORIZONS)]
        if members:
            groups.append((horizon, members))
    return groups


def _horizon_name(horizon: str | None) -> str:
    return HORIZON_NAMES.get(horizon or "", "No horizon")


def _wide_table(groups: Sequence[tuple[str | None, Sequence[tuple[Goal, int]]]],
                progress: VaultProgress, today: dt.date) -> Table:
    """One table, a section per horizon, so the columns line up across horizons."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("Goal", overflow="fold", max_width=90)
    table.add_column("Progress", no_wrap=True)
    table.add_column("Pace", no_wrap=True)
    table.add_column("Ahead/behind", no_wrap=True, justify="right")
    table.add_column("Due", no_wrap=True)
    table.add_column("Review due", no_wrap=True)
    for number, (horizon, goals) in enumerate(groups):
        if number:
            table.add_row()
        table.add_row(Text(_horizon_name(horizon), style="bold underline"))
        for goal, _depth in goals:
            goal_progress = progress.goal(goal.id)
            table.add_row(
                _title_cell(goal, goal_progress),
                progress_bar(goal_progress.progress),
                pace_text(goal_progress.pace),
                days_text(goal_progress, goal.start),
                Text(goal.due.isoformat() if goal.due else "—", style="" if goal.due else "dim"),
                review_text(goal_progress, today),
            )
    return table


def _narrow_table(goals: Sequence[tuple[Goal, int]], progress: VaultProgress, today: dt.date) -> Table:
    """Three lines a goal, wrapped inside their column so long titles keep their indent."""
    table = Table.grid(padding=(0, 1, 0, 0))
    table.add_column(no_wrap=True, width=1)
    table.add_column(overflow="fold")
    for goal, _depth in goals:
        goal_progress = progress.goal(goal.id)
        lines = Text()
        lines.append(clean(goal.title or goal.id), style="bold")
        lines.append("\n")
        lines.append_text(progress_bar(goal_progress.progress))
        lines.append("  ")
        lines.append_text(pace_text(goal_progress.pace))
        days = days_text(goal_progress, goal.start)
        if days.plain != "—":
            lines.append(" · ")
            lines.append_text(days)
        if _still_active(goal, goal_progress):
            lines.append(" · still active", style="italic")
        lines.append("\n")
        lines.append(f"due {goal.due.isoformat()}" if goal.due else "no due date",
                     style="" if goal.due else "dim")
        if goal_progress.review_due is not None:
            lines.append(" · review ")
            lines.append_text(review_text(goal_progress, today))
        lines.append(" · ")
        lines.append_text(_tags(goal, goal_progress, cue=False))
        table.add_row("•", lines)
    return table


def _title_cell(goal: Goal, goal_progress: GoalProgress) -> Text:
    text = Text(clean(goal.title or goal.id), style="bold")
    text.append("\n")
    text.append_text(_tags(goal, goal_progress))
    return text


def _tags(goal: Goal, goal_progress: GoalProgress, *, cue: bool = True) -> Text:
    """`goal-id · category · paused`: the id to type in commands, and what else sets it apart
    (with `cue`, `still active` when the numbers say achieved)."""
    text = Text(clean(goal.id), style="dim")
    if goal.category:
        text.append(f" · {clean(goal.category)}", style="dim italic")
    if goal.status != "active":
        text.append(f" · {goal.status}", style="italic")
    elif cue and _still_active(goal, goal_progress):
        text.append(" · still active", style="italic")
    return text


def _still_active(goal: Goal, goal_progress: GoalProgress) -> bool:
    """The numbers say done while the file still says active: the coach's cue to close it."""
    return goal.status == "active" and goal_progress.pace == "achieved"


def progress_bar(progress: float | None, width: int = BAR_WIDTH) -> Text:
    """`██████░░░░░░  50%`: the clamped progress as a bar and a percentage."""
    if progress is None:
        return Text("░" * width + "    –", style="dim")
    filled = round(progress * width)
    bar = Text("█" * filled, style="green")
    bar.append("░" * (width - filled), style="dim")
    bar.append(f" {progress:4.0%}")
    return bar


def pace_text(pace: Pace) -> Text:
    return Text(PACE_WORDS[pace], style=PACE_STYLES[pace])


def days_text(goal_progress: GoalProgress, start: dt.date | None = None) -> Text:
    """`12 days ahead`, `5 days behind`, `on the road`, `starts 2026-12-01`; else a dash."""
    days = goal_progress.days_ahead
    if goal_progress.pace == "not-started" and start is not None:
        return Text(f"starts {start.isoformat()}", style="dim")
    if days is None or goal_progress.pace in ("achieved", "not-started", "no-data"):
        return Text("—", style="dim")
    if days == 0:
        return Text("on the road")
    if days > 0:
        return Text(f"{_count(days)} ahead", style="green")
    return Text(f"{_count(-days)} behind", style="yellow" if goal_progress.pace != "overdue" else "red")


def review_text(goal_progress: GoalProgress, today: dt.date) -> Text:
    due = goal_progress.review_due
    if due is None:
        return Text("—", style="dim")
    if due <= today:
        late = (today - due).days
        return Text(f"{due.isoformat()} today" if late == 0 else f"{due.isoformat()} overdue",
                    style="bold red")
    return Text(due.isoformat())


def summary_lines(progresses: Iterable[GoalProgress], today: dt.date,
                  width: int | None = None) -> list[Text]:
    """`7 goals: 1 achieved · 2 ahead · … — 2 reviews due`, broken between its counts (never
    inside one) when it is wider than `width`."""
    progresses = list(progresses)
    counts = {pace: sum(1 for p in progresses if p.pace == pace) for pace in PACES}
    reviews = sum(1 for p in progresses if p.review_is_due(today))
    parts = [Text(f"{counts[pace]} {PACE_WORDS[pace]}", style=PACE_STYLES[pace])
             for pace in PACES if counts[pace]]
    parts.append(Text(f"{reviews} review{'' if reviews == 1 else 's'} due",
                      style="bold red" if reviews else ""))
    lines = [Text(f"{len(progresses)} goal{'' if len(progresses) == 1 else 's'}: ", style="bold")]
    for index, part in enumerate(parts):
        separator = "" if index == 0 else (" — " if index == len(parts) - 1 else " · ")
        if index and width is not None and lines[-1].cell_len + len(separator) + part.cell_len > width:
            lines.append(Text())
            separator = ""
        lines[-1].append(separator)
        lines[-1].append_text(part)
    return lines


# --- review ------------------------------------------------------------------------------------


def render_review(console: Console, vault: Vault, progress: VaultProgress) -> None:
    """Print each goal whose review is due, oldest first, with the 90-day review questions."""
    today = progress.today
    due = progress.reviews_due()
    if not due:
        console.print(Text(f"No review is due on {today.isoformat()}.", style="green"))
        upcoming = sorted((p for p in progress.goals.values() if p.review_due is not None),
                          key=lambda p: (p.review_due, p.goal_id))
        if upcoming:
            goal = vault.goal_by_id[upcoming[0].goal_id]
            console.print(Text.assemble(f"Next review due {upcoming[0].review_due.isoformat()}: ",
                                        (clean(goal.title or goal.id), "bold")))
        _print_unread(console, vault)
        return
    console.print(Text(f"{len(due)} review{'' if len(due) == 1 else 's'} due on {today.isoformat()}",
                       style="bold"))
    for goal_progress in due:
        console.print()
        console.print(_review_block(vault, vault.goal_by_id[goal_progress.goal_id], goal_progress, today))
    if unread_note(vault) is not None:
        console.print()
        _print_unread(console, vault)


def _review_block(vault: Vault, goal: Goal, goal_progress: GoalProgress, today: dt.date) -> Group:
    assert goal_progress.review_due is not None
    late = (today - goal_progress.review_due).days
    heading = Text.assemble(("Review: ", "bold"), (clean(goal.title or goal.id), "bold"))
    when = Text.assemble((clean(goal.id), "dim"), " · review due ",
                         (goal_progress.review_due.isoformat(), "bold red"),
                         " (today)" if late == 0 else f" ({_count(late)} overdue)")
    if goal_progress.last_review:
        when.append(f" · last review {goal_progress.last_review.isoformat()}")
    else:
        when.append(" · never reviewed" + (f", started {goal.start.isoformat()}" if goal.start else ""))
    where = progress_bar(goal_progress.progress)
    where.append("  ")
    where.append_text(pace_text(goal_progress.pace))
    if goal_progress.expected is not None:
        where.append(f" · the road expects {goal_progress.expected:.0%}")
    if goal.due:
        where.append(f" · due {goal.due.isoformat()}")
    questions = Table.grid(padding=(0, 1, 0, 0))
    questions.add_column(no_wrap=True, justify="right")
    questions.add_column(overflow="fold")
    for number, question in enumerate(review_questions(vault, goal, goal_progress), 1):
        questions.add_row(f"{number}.", question)
    return Group(
        heading,
        Padding(Group(when, where), (0, 0, 0, 2)),
        Padding(Text("Values since the last review", style="bold"), (0, 0, 0, 2)),
        Padding(Group(*_values_since(goal_progress, goal_progress.last_review or goal.start)),
                (0, 0, 0, 4)),
        Padding(Text("Questions", style="bold"), (0, 0, 0, 2)),
        Padding(questions, (0, 0, 0, 4)),
    )


def _values_since(goal_progress: GoalProgress, since: dt.date | None) -> list[Text]:
    lines: list[Text] = []
    for measure_progress in goal_progress.measures:
        recent = [p for p in measure_progress.values if since is None or p.date > since]
        lines.append(_measure_line(measure_progress, recent))
    if not goal_progress.measures:
        lines.append(Text("no measures: progress rolls up from the goals under it"
                          if goal_progress.rolled_up else "no measures", style="dim"))
    return lines


def _measure_line(measure_progress: MeasureProgress, recent: Sequence[Point]) -> Text:
    """`Talks given: 2026-02-10 1, 2026-03-01 1 → now 3 of 5 talks`."""
    measure = measure_progress.measure
    unit = f" {clean(measure.unit)}" if measure.unit else ""
    line = Text(clean(measure.label), style="bold")
    line.append(": ")
    if recent:
        line.append(", ".join(f"{p.date.isoformat()} {_format(p.value)}" for p in recent))
    else:
        line.append("no values", style="yellow")
    current, target = measure_progress.current, measure.target
    if current is None:
        return line
    if target is None:
        line.append(f" → now {_format(current)}{unit}")
    elif measure.effective_direction == "up" and current <= target:
        # "3 of 5 talks" reads as a count towards the target …
        line.append(f" → now {_format(current)} of {_format(target)}{unit}")
    else:
        # … but "54 of 50 hours/week" would not: a falling measure, or one past its target.
        line.append(f" → now {_format(current)}{unit}, target {_format(target)}")
    return line


def review_questions(vault: Vault, goal: Goal, goal_progress: GoalProgress) -> list[Text]:
    """The 90-day review's questions (issue 5), in this goal's own terms."""
    done = [child for child in vault.children(goal.id) if child.status == "achieved"]
    questions = [Text(f"Evaluate progress: {_progress_question(goal_progress)}")]
    if done:
        names = ", ".join(clean(child.title or child.id) for child in done)
        questions.append(Text(f"Did the completed goals ({names}) build the competencies intended?"))
    else:
        questions.append(Text("Did what you completed since the last review build the competencies "
                              "intended?"))
    questions.append(_vision_question(vault, goal))
    questions.append(Text(_decision_question(goal, goal_progress)))
    return questions


def _vision_question(vault: Vault, goal: Goal) -> Text:
    """Is the yearly goal above (or this one) still right for the 3-year vision at the top?"""
    chain = (goal, *vault.ancestors(goal))
    vision = next((g for g in reversed(chain) if g.horizon == "long-term"), None)
    yearly = next((g for g in chain if g.horizon == "yearly"), None)
    if vision is goal:
        return Text.assemble("Is “", (clean(goal.title or goal.id), "bold"),
                             "” still the 3-year vision you want, or has the picture changed?")
    if yearly is goal:
        question = Text("Is this yearly goal still right for the 3-year vision")
    elif yearly is not None:
        question = Text.assemble("Is the yearly goal “", (clean(yearly.title or yearly.id), "bold"),
                                 "” still right for the 3-year vision")
    else:
        question = Text("Is this goal still right for the 3-year vision")
    if vision is not None:
        question.append_text(Text.assemble(" “", (clean(vision.title or vision.id), "bold"), "”"))
    question.append("?")
    return question


def _progress_question(goal_progress: GoalProgress) -> str:
    """The first question, after the pace in words; a goal without numbers asks what would show
    progress instead of what moved it."""
    if goal_progress.pace == "no-data" and not goal_progress.measures and not goal_progress.rolled_up:
        return "it has no measure yet. How will you know it is done?"
    if goal_progress.pace == "no-data":
        return "no values have been logged yet. What held it back?"
    if goal_progress.pace == "not-started":
        return "it has not started yet. Is everything it needs ready for the start?"
    return f"{_PACE_SENTENCES[goal_progress.pace]}. What moved it, and what held it back?"


def _decision_question(goal: Goal, goal_progress: GoalProgress) -> str:
    """What to modify, with the choices that fit where the goal stands."""
    if goal.status == "draft":
        choice = ("It is still a draft: make it S.M.A.R.T. (goalsite lint lists what is missing) "
                  "and set `status: active`, or drop it?")
    elif goal.status == "paused":
        choice = "It is paused: resume it, change it, or set `status: dropped`?"
    elif goal_progress.pace == "achieved" and goal.status != "achieved":
        choice = "It reached its target: close it with `status: achieved`, or raise the target?"
    elif goal_progress.pace == "overdue":
        choice = ("It is past its due date: move `due`, change the target, or close it with "
                  "`status: missed`?")
    else:
        choice = "What will you modify: the target, the due date, the measures, the plan, or nothing?"
    return f"{choice} Write the decision in a review entry."


_PACE_SENTENCES: dict[Pace, str] = {
    "achieved": "it reached its target",
    "ahead": "it is ahead of the road",
    "on-track": "it is on track",
    "behind": "it is behind the road",
    "at-risk": "it is behind with under a quarter of its time left",
    "overdue": "it is past its due date",
    "not-started": "it has not started yet",
    "no-data": "no values have been logged yet",
}


# --- small helpers -----------------------------------------------------------------------------


def clean(text: str) -> str:
    """User text for one terminal line: control characters (escape sequences too) removed."""
    return _CONTROL.sub(" ", text).strip()


def _count(days: int) -> str:
    return f"{days} day{'' if days == 1 else 's'}"


def _format(number: float | None) -> str:
    if number is None:
        return "—"
    return f"{number:g}" if abs(number) < 1e15 else f"{number:.3g}"
