"""The pieces page views share: links, goal rows, entry rows, pace badges, the page shell.

Python decides what a page shows, templates only lay it out (STYLE habit 13). Every link in a
view is already relative to the page that shows it."""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from markupsafe import Markup

from goalsite.site import charts
from goalsite.model import HORIZONS, Entry, Goal, Measure, Vault, horizon_rank
from goalsite.site import urls
from goalsite.site.markdown import MarkdownRenderer
from goalsite.site.plan import STYLESHEET, Page, journal_order, journal_page_count

if TYPE_CHECKING:
    from goalsite.finding import Finding
    from goalsite.history import GoalHistory
    from goalsite.lint import LintReport
    from goalsite.progress import GoalProgress, MeasureProgress, VaultProgress

PACE_LABELS: Mapping[str, tuple[str, str]] = {
    # pace → (words, a symbol) so the badge never relies on colour alone (SPEC §5).
    "achieved": ("Achieved", "✓"),
    "ahead": ("Ahead", "▲"),
    "on-track": ("On track", "●"),
    "behind": ("Behind", "▼"),
    "at-risk": ("At risk", "!"),
    "overdue": ("Overdue", "!"),
    "not-started": ("Not started", "○"),
    "no-data": ("No data", "–"),
}
SMART_LETTERS: tuple[tuple[str, str], ...] = (
    ("S", "Specific"), ("M", "Measurable"), ("A", "Achievable"), ("R", "Relevant"),
    ("T", "Time-bound"),
)
REVIEW_QUESTIONS: tuple[str, ...] = (
    "What did you achieve since the last review? Which values moved, and why?",
    "Is the goal still specific: would someone else know exactly what done looks like?",
    "Is the target still right? Too easy, too hard, or measured by the wrong number?",
    "What got in the way? Which obstacle happened, and did its plan work?",
    "Is it still relevant: does it still serve its parent goal and what matters to you now?",
    "Are the due date and the review interval still realistic?",
    "What is the one next step, and when will you do it?",
)
NAV: tuple[tuple[str, str], ...] = (
    ("index.html", "Dashboard"), ("cascade/index.html", "Cascade"),
    ("timeline/index.html", "Timeline"), ("journal/index.html", "Journal"),
    ("reviews/index.html", "Reviews"), ("risks/index.html", "Risks"), ("lint/index.html", "Lint"),
)


@dataclass(frozen=True)
class Link:
    href: str
    text: str
    current: bool = False


@dataclass(frozen=True)
class Badge:
    """A pace badge: its class slug, words and symbol."""

    pace: str
    label: str
    symbol: str


@dataclass(frozen=True)
class GoalRow:
    """A goal in a list (dashboard, cascade, children, reviews)."""

    id: str
    title: str
    href: str
    horizon: str
    category: str
    status: str
    progress: float | None
    bar: Markup
    badge: Badge
    days_ahead: int | None
    due: dt.date | None
    review_due: dt.date | None
    smart: str
    depth: int = 0


@dataclass(frozen=True)
class EntryRow:
    """A journal entry in a list: title, link, excerpt, its goals and values."""

    id: str
    href: str
    title: str
    date: dt.date
    kind: str
    excerpt: str
    goals: tuple[Link, ...]
    values: tuple[tuple[str, str], ...]
    confidence: int | None


@dataclass(frozen=True)
class Shell:
    """What every page's layout needs: titles, navigation, the root-relative stylesheet."""

    title: str
    site_title: str
    today: dt.date
    nav: tuple[Link, ...]
    stylesheet: str
    home: str
    feed: str


@dataclass(frozen=True)
class Group:
    """A titled list of goal rows (a horizon, a category)."""

    title: str
    slug: str
    rows: tuple[GoalRow, ...]
    groups: tuple[Group, ...] = ()


@dataclass(frozen=True)
class SiteData:
    """Everything the views read, computed once per build."""

    vault: Vault
    progress: VaultProgress
    lint: LintReport
    today: dt.date
    markdown: MarkdownRenderer
    extras: Mapping[str, object] = field(default_factory=dict)
    # Each goal's git history by path (issue 9); empty without git.
    history: Mapping[str, GoalHistory] = field(default_factory=dict)
    # Each goal's progress bar by id, drawn when first shown (see `progress_bar`).
    _bars: dict[str, Markup] = field(default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def journal(self) -> tuple[Entry, ...]:
        """The journal newest first, sorted once per build (not once per page: issue 10)."""
        return journal_order(self.vault)

    @cached_property
    def journal_index(self) -> Mapping[str, int]:
        """Each entry id's place in `journal` (the first, should two entries share an id)."""
        index: dict[str, int] = {}
        for place, entry in enumerate(self.journal):
            index.setdefault(entry.id, place)
        return index

    def progress_bar(self, goal_id: str) -> Markup:
        """A goal's progress bar, drawn once per build: the dashboard, the cascade, the
        timeline, the reviews and its parent's page all show it (issue 10)."""
        bar = self._bars.get(goal_id)
        if bar is None:
            progress = self.progress.goal(goal_id)
            bar = self._bars[goal_id] = charts.progress_bar(progress.progress, progress.pace,
                                                            expected=progress.expected)
        return bar


# ---------------------------------------------------------------------------------------------
# shared pieces


def shell(data: SiteData, page: Page, title: str) -> Shell:
    site_title = data.vault.config.title
    # Links from a page depend only on its folder (a top-level page: on its name, which the
    # navigation marks as current): made once per folder, not once per page (issue 10).
    nav, stylesheet, home, feed = _chrome(page.output if "/" not in page.output
                                          else posixpath.dirname(page.output) + "/")
    return Shell(
        title=title if title == site_title else f"{title} · {site_title}",
        site_title=site_title, today=data.today, nav=nav,
        stylesheet=stylesheet, home=home, feed=feed,
    )


@functools.lru_cache(maxsize=64)
def _chrome(place: str) -> tuple[tuple[Link, ...], str, str, str]:
    """The navigation, stylesheet, home and feed links of the pages at `place`: a top-level
    page's name, or a folder ending in `/`."""
    current = place.split("/")[0]
    nav = tuple(
        Link(urls.relative(place, target), text,
             current=target.split("/")[0] == current or place == target)
        for target, text in NAV
    )
    return (nav, urls.relative(place, STYLESHEET), urls.relative(place, "index.html"),
            urls.relative(place, "feed.xml"))


def badge(pace: str | None) -> Badge:
    pace = pace or "no-data"
    label, symbol = PACE_LABELS.get(pace, (pace.replace("-", " ").capitalize(), "·"))
    return Badge(pace, label, symbol)


def goal_title(goal: Goal) -> str:
    return goal.title or goal.id


def goal_row(data: SiteData, page: Page, goal: Goal, depth: int = 0) -> GoalRow:
    progress = data.progress.goal(goal.id)
    fraction, pace = progress.progress, progress.pace
    return GoalRow(
        id=goal.id, title=goal_title(goal), href=urls.relative(page.output, urls.goal_path(goal.id)),
        horizon=goal.horizon or "no horizon", category=goal.category or "uncategorised",
        status=goal.status, progress=fraction, bar=data.progress_bar(goal.id),
        # An achieved goal is neither ahead nor behind any more, whatever its last road said.
        badge=badge(pace), days_ahead=None if pace == "achieved" else progress.days_ahead, due=goal.due,
        review_due=progress.review_due, smart=data.lint.smart(goal.id),
        depth=depth,
    )


def goal_linker(data: SiteData, page: Page) -> Callable[[str], str | None]:
    """Resolves `[[goal-id]]` from `page`: a relative link, or None for an unknown id."""
    def link(goal_id: str) -> str | None:
        goal = data.vault.goal(goal_id.strip().lower())
        return urls.relative(page.output, urls.goal_path(goal.id)) if goal else None
    return link


def entry_title(entry: Entry) -> str:
    return entry.title or f"{entry.kind.capitalize()} · {entry.date.isoformat()}"


def entry_values(data: SiteData, entry: Entry) -> tuple[tuple[str, str], ...]:
    """`(measure label, "12 presentations")` for each value the entry reports."""
    shown: list[tuple[str, str]] = []
    for value in entry.values:
        measure = _measure_for(data, entry, value.key)
        label = measure.label if measure else (value.key or "value")
        number = _number(value.number) if value.number is not None else str(value.raw)
        unit = f" {measure.unit}" if measure and measure.unit else ""
        shown.append((label, f"{number}{unit}"))
    return tuple(shown)


def entry_row(data: SiteData, page: Page, entry: Entry) -> EntryRow:
    return EntryRow(
        id=entry.id, href=urls.relative(page.output, urls.entry_path(entry.id)),
        title=entry_title(entry), date=entry.date, kind=entry.kind,
        excerpt=data.markdown.excerpt(entry.body), goals=_goal_links(data, page, entry.goals),
        values=entry_values(data, entry), confidence=entry.confidence,
    )


def _goal_links(data: SiteData, page: Page, goal_ids: Sequence[str]) -> tuple[Link, ...]:
    links = []
    for goal_id in goal_ids:
        goal = data.vault.goal(goal_id)
        if goal is not None:
            links.append(Link(urls.relative(page.output, urls.goal_path(goal.id)), goal_title(goal)))
        else:
            links.append(Link("", goal_id))
    return tuple(links)


def _measure_for(data: SiteData, entry: Entry, key: str | None) -> Measure | None:
    for goal_id in entry.goals:
        goal = data.vault.goal(goal_id)
        if goal is None:
            continue
        if key is None and len(goal.measures) == 1:
            return goal.measures[0]
        if key is not None and (measure := goal.measure(key)):
            return measure
    return None


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}" if abs(value) < 1e15 else f"{value:.3g}"


def sorted_goals(goals: Sequence[Goal]) -> list[Goal]:
    return sorted(goals, key=lambda g: (horizon_rank(g.horizon), g.category or "~", g.due or dt.date.max, g.id))


def horizon_groups(data: SiteData, page: Page, goals: Sequence[Goal]) -> tuple[Group, ...]:
    """Goals by horizon (the cascade's order), and by category inside each."""
    groups = []
    for horizon in (*HORIZONS, None):
        members = [goal for goal in sorted_goals(goals) if goal.horizon == horizon]
        if not members:
            continue
        categories = sorted({goal.category or "" for goal in members}, key=lambda c: (c == "", c))
        inner = tuple(
            Group(category or "Uncategorised", category or "uncategorised",
                  tuple(goal_row(data, page, goal) for goal in members if (goal.category or "") == category))
            for category in categories
        )
        title = horizon.replace("-", " ").capitalize() if horizon else "No horizon"
        groups.append(Group(title, horizon or "none", (), inner))
    return tuple(groups)


def findings_of(data: SiteData, path: str) -> tuple[Finding, ...]:
    return tuple(data.lint.for_path(path))


def journal_pages(data: SiteData) -> int:
    return journal_page_count(data.vault)


def measure_progress(progress: GoalProgress | None, measure: Measure) -> MeasureProgress | None:
    if progress is None:
        return None
    return next((m for m in progress.measures if m.measure.key == measure.key), None)

