"""One view per page type: the plain data a template lays out (STYLE habit 13).

`view_for(data, page)` dispatches on the page's `view`; each builder returns a frozen record
holding already-decided values (rows, links relative to the page, rendered Markdown, charts).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from goalsite.finding import Finding
from goalsite.model import Goal, Measure, Obstacle
from goalsite.site import charts, urls
from goalsite.site.markdown import link_wiki
from goalsite.site.parts import (
    REVIEW_QUESTIONS, SMART_LETTERS, Badge, EntryRow, GoalRow, Group, Link, Shell, SiteData,
    badge, entry_row, entry_title, entry_values, findings_of, goal_linker, goal_row, goal_title,
    horizon_groups, journal_pages, measure_progress, shell,
    sorted_goals, _number,
)
from goalsite.site.plan import Page, journal_slice
from goalsite.site.revisions import HistorySection, history_section

RECENT_ENTRIES = 6
# How deep the cascade page nests its lists; deeper goals are listed at this indent.
CASCADE_DEPTH = 16
# How many parents a goal page's breadcrumb links to at most.
BREADCRUMB_LINKS = 8


@dataclass(frozen=True)
class Health:
    """The lint summary the dashboard shows."""

    errors: int
    warnings: int
    infos: int
    files_with_errors: int
    href: str


@dataclass(frozen=True)
class DashboardView:
    shell: Shell
    horizons: tuple[Group, ...]
    active: int
    on_track: int
    behind: int
    reviews_due: tuple[GoalRow, ...]
    recent: tuple[EntryRow, ...]
    journal_href: str
    reviews_href: str
    health: Health


@dataclass(frozen=True)
class Letter:
    """One letter of the S.M.A.R.T. card: what the file says, and the findings against it."""

    letter: str
    name: str
    ok: bool
    says: tuple[tuple[str, str], ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class MeasureView:
    key: str
    label: str
    unit: str
    baseline: str
    target: str
    current: str
    progress: float | None
    badge: Badge
    days_ahead: int | None
    chart: Markup | None
    aggregate: str
    table: Markup | None


@dataclass(frozen=True)
class GoalView:
    shell: Shell
    row: GoalRow
    goal: Goal
    breadcrumb: tuple[Link, ...]
    facts: tuple[tuple[str, str], ...]
    url: str | None
    smart: str
    score: int
    letters: tuple[Letter, ...]
    other_findings: tuple[Finding, ...]
    measures: tuple[MeasureView, ...]
    children: tuple[GoalRow, ...]
    obstacles: tuple[Obstacle, ...]
    entries: tuple[EntryRow, ...]
    body: Markup
    forecast: str | None
    # How target, due and status changed, from git (issue 9); None: no section at all.
    history: HistorySection | None = None


@dataclass(frozen=True)
class CascadeView:
    shell: Shell
    # Every goal once, depth first, each row's `depth` capped at CASCADE_DEPTH: the template
    # nests the lists from the depths in one flat loop, so no chain is too deep to show.
    rows: tuple[GoalRow, ...]


@dataclass(frozen=True)
class TimelineView:
    shell: Shell
    chart: Markup | None
    rows: tuple[GoalRow, ...]
    starts: Mapping[str, dt.date | None]


@dataclass(frozen=True)
class JournalView:
    shell: Shell
    number: int
    # The pager's links; None where pages are left out (`page_window`).
    pages: tuple[Link | None, ...]
    previous: str | None
    next: str | None
    entries: tuple[EntryRow, ...]
    heatmap: Markup | None
    total: int


@dataclass(frozen=True)
class EntryView:
    shell: Shell
    row: EntryRow
    tags: tuple[str, ...]
    body: Markup
    findings: tuple[Finding, ...]
    newer: Link | None
    older: Link | None
    journal_href: str


@dataclass(frozen=True)
class ReviewItem:
    row: GoalRow
    last_review: dt.date | None
    values: tuple[tuple[str, str], ...]
    entries: tuple[EntryRow, ...]


@dataclass(frozen=True)
class ReviewsView:
    shell: Shell
    due: tuple[ReviewItem, ...]
    schedule: tuple[tuple[GoalRow, dt.date | None], ...]
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Risk:
    goal: Link
    obstacle: str
    plan: str | None


@dataclass(frozen=True)
class RisksView:
    shell: Shell
    risks: tuple[Risk, ...]
    without_plan: int


@dataclass(frozen=True)
class LintFile:
    path: str
    href: str | None
    errors: int
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class LintView:
    shell: Shell
    files: tuple[LintFile, ...]
    errors: int
    warnings: int
    infos: int


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    href: str
    updated: str
    summary: str
    html: str


@dataclass(frozen=True)
class FeedView:
    id: str
    title: str
    author: str
    updated: str
    home: str
    entries: tuple[FeedEntry, ...]


View = (DashboardView | GoalView | CascadeView | TimelineView | JournalView | EntryView
        | ReviewsView | RisksView | LintView | FeedView)


def view_for(data: SiteData, page: Page) -> View:
    """The view of a templated page."""
    return _BUILDERS[page.view](data, page)


def dashboard(data: SiteData, page: Page) -> DashboardView:
    vault = data.vault
    shown = [goal for goal in vault.goals if goal.status not in ("dropped",)]
    paces = [data.progress.goal(goal.id).pace for goal in vault.goals if goal.is_active]
    return DashboardView(
        shell=shell(data, page, vault.config.title),
        horizons=horizon_groups(data, page, shown),
        active=len(paces),
        on_track=sum(pace in ("on-track", "ahead", "achieved") for pace in paces),
        behind=sum(pace in ("behind", "at-risk", "overdue") for pace in paces),
        reviews_due=tuple(goal_row(data, page, vault.goal_by_id[p.goal_id])
                          for p in data.progress.reviews_due()),
        recent=tuple(entry_row(data, page, entry) for entry in data.journal[:RECENT_ENTRIES]),
        journal_href=urls.relative(page.output, "journal/index.html"),
        reviews_href=urls.relative(page.output, "reviews/index.html"),
        health=_health(data, page),
    )


def goal(data: SiteData, page: Page) -> GoalView:
    vault = data.vault
    subject = vault.goal(page.subject or "")
    assert subject is not None, page
    progress = data.progress.goal(subject.id)
    row = goal_row(data, page, subject)
    by_letter = data.lint.findings_by_letter(subject.id)
    ok = set(data.lint.letters_ok(subject.id))
    linker = goal_linker(data, page)
    letters = tuple(
        Letter(letter, name, letter in ok,
               tuple((label, link_wiki(text, linker)) for label, text in _says(data, subject, letter)),
               tuple(by_letter.get(letter, ())))
        for letter, name in SMART_LETTERS
    )
    other = tuple(f for f in findings_of(data, subject.path) if f.letter not in "SMART")
    return GoalView(
        shell=shell(data, page, goal_title(subject)),
        row=row, goal=subject,
        breadcrumb=_breadcrumb(page, vault.ancestors(subject)),
        facts=_facts(data, subject),
        url=subject.url, smart=data.lint.smart(subject.id), score=len(ok & set("SMART")),
        letters=letters, other_findings=other,
        measures=tuple(_measure_view(data, subject, m) for m in subject.measures),
        children=tuple(goal_row(data, page, child) for child in vault.children(subject.id)),
        obstacles=subject.obstacles,
        entries=tuple(entry_row(data, page, e) for e in reversed(vault.entries_for(subject.id))),
        # The body sits under the page's "Notes" heading (an h2).
        body=data.markdown.render(subject.body, goal_linker(data, page), top=3,
                                  title=goal_title(subject), excerpt=False),
        forecast=progress.forecast.isoformat() if progress.forecast else None,
        history=history_section(subject, data.history.get(subject.path)),
    )


def _breadcrumb(page: Page, ancestors: tuple[Goal, ...]) -> tuple[Link, ...]:
    """The top goal, then the nearest BREADCRUMB_LINKS - 1 parents; a link-less "…" between."""
    links = [Link(urls.relative(page.output, urls.goal_path(a.id)), goal_title(a)) for a in
             reversed(ancestors if len(ancestors) <= BREADCRUMB_LINKS
                      else ancestors[:BREADCRUMB_LINKS - 1] + (ancestors[-1],))]
    # A chain thousands deep would put thousands of links on every page (SPEC §8).
    if len(ancestors) > BREADCRUMB_LINKS:
        links.insert(1, Link("", "…"))
    return tuple(links)


def cascade(data: SiteData, page: Page) -> CascadeView:
    # Vault.cascade walks an explicit stack: a chain of thousands of parents still builds
    # (SPEC §8); past CASCADE_DEPTH the rows stay at that indent instead of nesting deeper.
    return CascadeView(shell(data, page, "Cascade"),
                       tuple(goal_row(data, page, g, min(depth, CASCADE_DEPTH))
                             for g, depth in data.vault.cascade()))


def timeline(data: SiteData, page: Page) -> TimelineView:
    goals = sorted_goals(data.vault.goals)
    rows = []
    for g in goals:
        progress = data.progress.goal(g.id)
        rows.append(charts.TimelineRow(g.id, goal_title(g), g.horizon, g.start, g.due,
                                       progress.progress, progress.pace))
    # The chart's links are relative to this page, like every link of the site.
    root = urls.relative(page.output, "index.html").removesuffix("index.html")
    chart = charts.timeline_chart(rows, data.today, base=root)
    return TimelineView(shell(data, page, "Timeline"), chart,
                        tuple(goal_row(data, page, g) for g in goals),
                        {g.id: g.start for g in goals})


def journal(data: SiteData, page: Page) -> JournalView:
    number = int(page.subject or "1")
    count = journal_pages(data)
    links = tuple(None if n is None else
                  Link(urls.relative(page.output, urls.journal_page_path(n)), str(n), n == number)
                  for n in page_window(number, count))
    heatmap = None
    if number == 1:
        per_day = Counter(e.date for e in data.vault.entries if e.date <= data.today)
        heatmap = charts.heatmap(per_day, data.today, noun=("entry", "entries"))
    return JournalView(
        shell=shell(data, page, "Journal" if number == 1 else f"Journal, page {number}"),
        number=number, pages=links,
        previous=urls.relative(page.output, urls.journal_page_path(number - 1)) if number > 1 else None,
        next=urls.relative(page.output, urls.journal_page_path(number + 1)) if number < count else None,
        entries=tuple(entry_row(data, page, e) for e in journal_slice(data.journal, number)),
        heatmap=heatmap, total=len(data.vault.entries),
    )


def page_window(number: int, count: int, around: int = 2) -> tuple[int | None, ...]:
    """The page numbers a pager shows: the first, the last, and `around` either side of
    `number`, with None for each run of pages left out (1 … 4 5 6 7 8 … 500). A journal of
    2,500 pages then links 9 pages from each, not 2,500 (issue 10: that was 200 KB a page)."""
    shown = sorted({1, count, *range(max(1, number - around), min(count, number + around) + 1)})
    window: list[int | None] = []
    for before, n in zip([0, *shown], shown):
        if n - before == 2:
            window.append(n - 1)  # a gap of one page: the page itself is as short as "…"
        elif n - before > 2:
            window.append(None)
        window.append(n)
    return tuple(window)


def entry(data: SiteData, page: Page) -> EntryView:
    ordered = data.journal
    index = data.journal_index[page.subject or ""]
    subject = ordered[index]

    def link(i: int) -> Link | None:
        if 0 <= i < len(ordered):
            return Link(urls.relative(page.output, urls.entry_path(ordered[i].id)), entry_title(ordered[i]))
        return None

    # The body first: rendering it keeps its excerpt, which the row then reads (issue 10).
    body = data.markdown.render(subject.body, goal_linker(data, page), top=2, title=entry_title(subject))
    return EntryView(
        shell=shell(data, page, entry_title(subject)), row=entry_row(data, page, subject),
        tags=subject.tags, body=body,
        findings=findings_of(data, subject.path), newer=link(index - 1), older=link(index + 1),
        journal_href=urls.relative(page.output, "journal/index.html"),
    )


def reviews(data: SiteData, page: Page) -> ReviewsView:
    vault, today = data.vault, data.today
    due: list[ReviewItem] = []
    schedule: list[tuple[GoalRow, dt.date | None]] = []
    for g in sorted_goals([g for g in vault.goals if g.is_active]):
        row = goal_row(data, page, g)
        progress = data.progress.goal(g.id)
        last = progress.last_review
        schedule.append((row, last))
        if not progress.review_is_due(today):
            continue
        since = [e for e in vault.entries_for(g.id) if (last is None or e.date > last) and e.date <= today]
        values = tuple((f"{e.date.isoformat()} · {label}", text)
                       for e in since for label, text in entry_values(data, e))
        due.append(ReviewItem(row, last, values, tuple(entry_row(data, page, e) for e in reversed(since))))
    return ReviewsView(shell(data, page, "Reviews"), tuple(due), tuple(schedule), REVIEW_QUESTIONS)


def risks(data: SiteData, page: Page) -> RisksView:
    found = []
    for g in sorted_goals(data.vault.goals):
        link = Link(urls.relative(page.output, urls.goal_path(g.id)), goal_title(g))
        found.extend(Risk(link, o.obstacle, o.plan) for o in g.obstacles)
    return RisksView(shell(data, page, "Risk register"), tuple(found),
                     sum(1 for risk in found if not risk.plan))


def lint(data: SiteData, page: Page) -> LintView:
    by_path: dict[str, list[Finding]] = {}
    for finding in data.lint.findings:
        by_path.setdefault(finding.path, []).append(finding)
    goal_paths = {g.path: g.id for g in data.vault.goals}
    files = [
        LintFile(path, urls.relative(page.output, urls.goal_path(goal_paths[path])) if path in goal_paths else None,
                 sum(f.severity == "error" for f in found), tuple(found))
        for path, found in by_path.items()
    ]
    files.sort(key=lambda f: (-f.errors, f.path))
    severities = [f.severity for f in data.lint.findings]
    return LintView(shell(data, page, "Lint report"), tuple(files), severities.count("error"),
                    severities.count("warning"), severities.count("info"))


def feed(data: SiteData, page: Page) -> FeedView:
    vault = data.vault
    newest = data.journal[:50]
    entries = tuple(
        FeedEntry(
            id=f"urn:goalsite:{urls_slug(vault.config.title)}:entry:{e.id}",
            title=entry_title(e), href=urls.relative(page.output, urls.entry_path(e.id)),
            updated=f"{e.date.isoformat()}T{(e.time or dt.time(0, 0)).strftime('%H:%M:%S')}Z",
            summary=data.markdown.excerpt(e.body, 400),
            html=str(data.markdown.render(e.body, goal_linker(data, page))),
        )
        for e in newest
    )
    updated = entries[0].updated if entries else f"{data.today.isoformat()}T00:00:00Z"
    return FeedView(f"urn:goalsite:{urls_slug(vault.config.title)}:journal", f"{vault.config.title} — journal",
                    vault.config.owner or vault.config.title, updated,
                    urls.relative(page.output, "index.html"), entries)


def urls_slug(text: str) -> str:
    from goalsite.site.templates import slug
    return slug(text)


def _health(data: SiteData, page: Page) -> Health:
    severities = [f.severity for f in data.lint.findings]
    return Health(severities.count("error"), severities.count("warning"), severities.count("info"),
                  len({f.path for f in data.lint.findings if f.severity == "error"}),
                  urls.relative(page.output, "lint/index.html"))


def _facts(data: SiteData, g: Goal) -> tuple[tuple[str, str], ...]:
    progress = data.progress.goal(g.id)
    facts = [
        ("Horizon", g.horizon or "—"), ("Category", g.category or "—"), ("Status", g.status),
        ("Owner", g.owner or "—"), ("Coach", g.coach or "—"),
        ("Start", g.start.isoformat() if g.start else "—"), ("Due", g.due.isoformat() if g.due else "—"),
    ]
    if g.deadline:
        facts.append(("Deadline", g.deadline.isoformat()))
    facts.append(("Review every", g.review_every.describe()))
    if progress.last_review:
        facts.append(("Last review", progress.last_review.isoformat()))
    if progress.review_due:
        facts.append(("Next review", progress.review_due.isoformat()))
    if g.tags:
        facts.append(("Tags", ", ".join(g.tags)))
    return tuple(facts)


def _says(data: SiteData, g: Goal, letter: str) -> tuple[tuple[str, str], ...]:
    """What the file says for one S.M.A.R.T. letter, as (label, text) pairs."""
    if letter == "S":
        return (("Goal", goal_title(g)), ("Specific", g.specific or "")) if g.specific else (("Goal", goal_title(g)),)
    if letter == "M":
        if not g.measures:
            return (("Measures", "rolls up from its children" if data.vault.children(g.id) else ""),)
        return tuple((m.label, _measure_sentence(m)) for m in g.measures)
    if letter == "A":
        said = [("Achievable", g.achievable or "")]
        if g.resources:
            said.append(("Resources", "; ".join(g.resources)))
        return tuple(said)
    if letter == "R":
        parent = data.vault.goal(g.parent) if g.parent else None
        said = [("Relevant", g.relevant or "")]
        if g.parent:
            said.append(("Serves", goal_title(parent) if parent else f"{g.parent} (not found)"))
        return tuple(said)
    dates = f"{g.start.isoformat() if g.start else '?'} → {g.due.isoformat() if g.due else '?'}"
    said = [("Dates", dates)]
    if g.deadline:
        said.append(("Deadline", g.deadline.isoformat()))
    said.append(("Review every", g.review_every.describe()))
    return tuple(said)


def _measure_sentence(m: Measure) -> str:
    unit = f" {m.unit}" if m.unit else ""
    baseline = _number(m.baseline) if m.baseline is not None else "?"
    target = _number(m.target) if m.target is not None else "?"
    return f"from {baseline} to {target}{unit} ({m.aggregate})"


def _measure_view(data: SiteData, g: Goal, m: Measure) -> MeasureView:
    progress = measure_progress(data.progress.goal(g.id), m)
    chart = table = None
    if progress is not None:
        history = data.history.get(g.path)
        chart = charts.measure_chart(
            progress, g, data.today, chart_id=f"measure-{m.key}",
            target_history=history.target_history(m.key) if history is not None else ())
        table = charts.data_table(progress)
    return MeasureView(
        key=m.key, label=m.label, unit=m.unit or "", aggregate=m.aggregate,
        baseline=_number(m.baseline), target=_number(m.target),
        current=_number(progress.current) if progress and progress.has_data else "no data yet",
        progress=progress.progress if progress else None,
        badge=badge(progress.pace if progress else None),
        days_ahead=progress.days_ahead if progress else None, chart=chart, table=table,
    )


_BUILDERS: Mapping[str, Callable[[SiteData, Page], View]] = {
    "dashboard": dashboard, "goal": goal, "cascade": cascade, "timeline": timeline,
    "journal": journal, "entry": entry, "reviews": reviews, "risks": risks, "lint": lint,
    "feed": feed,
}
