"""Every file of the site as a record: where it goes, how it is made, what it reads.

`plan_site` decides the pages before anything is rendered (STYLE: compute first, then write).
Each `Page` names the vault files it depends on, so watch mode can re-render only the pages
whose inputs changed. Beyond `depends`, every page also depends on `goalsite.toml`, the
templates (ours and the vault's `templates/`) and on the set of files itself: adding or
removing a file re-plans the site.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from goalsite.config import CONFIG_NAME
from goalsite.site import urls

if TYPE_CHECKING:
    from goalsite.model import Entry, Goal, Vault

ViewKind = Literal[
    "dashboard", "goal", "cascade", "timeline", "journal", "entry", "reviews", "risks", "lint",
    "goals-json", "calendar", "feed", "asset", "vault-asset",
]

JOURNAL_PAGE_SIZE = 20
# Our stylesheet, copied from the packaged templates (a vault's templates/ may override it).
STYLESHEET = "assets/style.css"
VAULT_ASSETS = "assets"


# What a page reads: vault-relative paths (and symbols, see depends.py), each once, in no
# promised order. A tuple, not a frozenset: a site of 60,000 pages holds one for each page for
# the whole build, and a set's hash table takes five to ten times a tuple's memory (issue 10).
# It is only ever iterated, or tested with `set.isdisjoint`.
Depends = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: its output-relative path, the template (or None for files copied or
    encoded directly), the view that feeds it and its subject (a goal id, an entry id, a page
    number, an asset path), and the vault-relative source paths it reads."""

    output: str
    view: ViewKind
    template: str | None
    subject: str | None
    depends: Depends

    @property
    def is_html(self) -> bool:
        return self.output.endswith(".html")


@dataclass(frozen=True)
class SitePlan:
    """All the site's files, in a stable order."""

    pages: tuple[Page, ...]

    def page(self, output: str) -> Page | None:
        return next((page for page in self.pages if page.output == output), None)

    def affected_by(self, changed: Iterable[str]) -> tuple[Page, ...]:
        """The pages that read any of the `changed` vault paths (for incremental rebuilds)."""
        changed_set = frozenset(changed)
        return tuple(page for page in self.pages if not changed_set.isdisjoint(page.depends))


def plan_site(vault: Vault, vault_assets: Iterable[str] = ()) -> SitePlan:
    """Plan every file of the site for `vault`; `vault_assets` are the files under `assets/`."""
    goal_files = frozenset(goal.path for goal in vault.goals) | {CONFIG_NAME}
    everything = tuple(frozenset(vault.files) | {CONFIG_NAME})
    goals_read = tuple(goal_files)
    entries_read = tuple(goal_files.union(entry.path for entry in vault.entries))
    pages: list[Page] = [
        Page("index.html", "dashboard", "dashboard.html", None, everything),
        Page("cascade/index.html", "cascade", "cascade.html", None, everything),
        Page("timeline/index.html", "timeline", "timeline.html", None, everything),
        Page("reviews/index.html", "reviews", "reviews.html", None, everything),
        Page("risks/index.html", "risks", "risks.html", None, goals_read),
        Page("lint/index.html", "lint", "lint.html", None, everything),
        Page("goals.json", "goals-json", None, None, everything),
        Page("calendar.ics", "calendar", None, None, everything),
        Page("feed.xml", "feed", "feed.xml", None, entries_read),
        Page(STYLESHEET, "asset", None, "style.css", ()),
    ]
    pages.extend(_goal_page(vault, goal) for goal in vault.goals)
    pages.extend(_journal_pages(vault, entries_read))
    pages.extend(
        Page(f"{VAULT_ASSETS}/{asset}", "vault-asset", None, asset,
             (f"{VAULT_ASSETS}/{asset}",))
        for asset in sorted(vault_assets) if f"{VAULT_ASSETS}/{asset}" != STYLESHEET
    )
    return SitePlan(tuple(sorted(pages, key=lambda page: page.output)))


def goal_depends(vault: Vault, goal: Goal) -> Depends:
    """What a goal's page reads: its file; its ancestors' (the breadcrumb); its descendants'
    and all their entries (children's progress, and its own roll-up when it has no measures,
    SPEC §3); its own entries."""
    paths = {CONFIG_NAME, goal.path}
    paths.update(ancestor.path for ancestor in vault.ancestors(goal))
    stack, seen = [goal], {goal.id}
    while stack:
        current = stack.pop()
        paths.update(entry.path for entry in vault.entries_for(current.id))
        for child in vault.children(current.id):
            if child.id not in seen:
                seen.add(child.id)
                paths.add(child.path)
                stack.append(child)
    return tuple(paths)


def entry_depends(vault: Vault, entry: Entry, neighbours: Iterable[Entry]) -> Depends:
    """What an entry's page reads: its file, its goals' files (titles, units) and the entries
    before and after it (the previous/next links)."""
    paths = {CONFIG_NAME, entry.path}
    paths.update(goal.path for goal_id in entry.goals if (goal := vault.goal(goal_id)))
    paths.update(neighbour.path for neighbour in neighbours)
    return tuple(paths)


def journal_order(vault: Vault) -> tuple[Entry, ...]:
    """The journal as it is shown: newest first (SPEC §5)."""
    return tuple(sorted(vault.entries, key=lambda entry: entry.sort_key, reverse=True))


def journal_slice(ordered: Sequence[Entry], number: int) -> Sequence[Entry]:
    """The entries journal page `number` lists, from the journal in its order."""
    return ordered[(number - 1) * JOURNAL_PAGE_SIZE: number * JOURNAL_PAGE_SIZE]


def journal_page_count(vault: Vault) -> int:
    return max(1, math.ceil(len(vault.entries) / JOURNAL_PAGE_SIZE))


def _goal_page(vault: Vault, goal: Goal) -> Page:
    return Page(urls.goal_path(goal.id), "goal", "goal.html", goal.id, goal_depends(vault, goal))


def _journal_pages(vault: Vault, entries_read: Depends) -> list[Page]:
    pages = [
        Page(urls.journal_page_path(number), "journal", "journal.html", str(number), entries_read)
        for number in range(1, journal_page_count(vault) + 1)
    ]
    ordered = journal_order(vault)
    for index, entry in enumerate(ordered):
        neighbours = ordered[max(0, index - 1): index] + ordered[index + 1: index + 2]
        pages.append(Page(urls.entry_path(entry.id), "entry", "entry.html", entry.id,
                          entry_depends(vault, entry, neighbours)))
    return pages
