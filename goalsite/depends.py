"""What a page reads beyond the files the plan names: goals by id, and the lint report (SPEC §6).

`plan.Page.depends` lists the vault files each page reads. A page can also show a goal it knows
only by id — a `[[goal-id]]` wiki link, the other goals of a journal entry it lists, a parent
that does not exist yet — and the pages with the vault's lint summary read every finding. Those
inputs are named here as symbols beside the files, so the build cache treats them like files:

- `/goal/<id>`: what other pages show of the goal that has this id now — its file's name, its
  title, its measures' names and units, its S.M.A.R.T. letters, its git history; it appears,
  disappears or changes with the goal;
- `/vault`: every finding of the build and every goal's git history;
- `/today`: the evaluation date. Every page shows it (progress is as of that day) but an
  entry's page, which shows no progress: so another day redraws the goals and the lists, and
  none of the entries' pages (issue 10: at 50,000 entries, four pages in five). A vault with its
  own templates may show the date anywhere, so there every page reads it;
- `/goals` and `/entries`: every goal and every entry as the pages that show the whole vault
  show them (the dashboard, the timeline, the reviews, ...; `_WHOLE_VAULT_VIEWS`): its record
  but its body; of an entry's body only the start of its plain text, which their lists cut
  excerpts from; nothing of a goal's. They read nothing else of a file (findings and histories
  come through `/vault`), so a goal's notes edited, or an entry's below its excerpt, redraw
  none of them (issue 10: 15 s of a one-edit build at 50,000 entries, most of watch mode's
  build after a save). A vault with its own templates may show anything of a file: there they
  read every goal's and entry's file;
- `/journal`: every entry's path, date and time: the order the journal's pages cut up, their
  number, and the first page's calendar of entries. One symbol instead of every entry's path on
  each of the journal's pages (issue 10: 2,500 pages × 50,000 paths held in memory and written to
  the build cache). Beside it, a journal page names only the files of the entries it lists, so
  editing an entry redraws one journal page, not all of them.

Journal pages, entry pages and the feed show goals only that way, so for them a goal's file is
replaced by its symbol: a goal's body or progress can change without redrawing its entries.

Symbols start with `/`, which no vault-relative path does. Naming too much only costs a render;
naming too little would leave a stale page, so when in doubt a page names it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from goalsite.site.plan import Page, SitePlan, journal_order, journal_slice

if TYPE_CHECKING:
    from goalsite.history import GoalHistory
    from goalsite.lint import LintReport
    from goalsite.model import Entry, Goal, Vault

GOAL_SYMBOL = "/goal/"
VAULT_SYMBOL = "/vault"
TODAY_SYMBOL = "/today"
JOURNAL_SYMBOL = "/journal"
GOALS_SYMBOL = "/goals"
ENTRIES_SYMBOL = "/entries"
# The pages that show goals only as their symbols show them (titles, measure units, links).
_GOALS_BY_SYMBOL = frozenset({"journal", "entry", "feed"})
# The pages that show lint results of the whole vault (counts, S.M.A.R.T. letters of every goal)
# or every goal's history.
# The files that do not show the evaluation date (with the packaged templates).
_WITHOUT_DATE = frozenset({"entry", "asset", "vault-asset"})
_WHOLE_VAULT_VIEWS = frozenset({"dashboard", "cascade", "timeline", "reviews", "lint", "goals-json",
                                "calendar"})


def is_symbol(name: str) -> bool:
    """Whether `name` is a symbol rather than a vault file."""
    return name.startswith("/")


def symbol_inputs(vault: Vault, report: LintReport, histories: Mapping[str, GoalHistory],
                  today: dt.date, settled: Mapping[str, str] | None = None
                  ) -> tuple[dict[str, str], dict[str, str]]:
    """The digest of every symbol of this build, and the goals' lines of `/goals` by path
    (`records_digest`, with the `settled` lines); `histories` are the goals' git histories by
    path."""
    symbols: dict[str, str] = {TODAY_SYMBOL: _digest(today.isoformat())}
    for goal in vault.goals:
        measures = [(m.key, m.label, m.unit) for m in goal.measures]
        symbols[GOAL_SYMBOL + goal.id] = _digest(
            f"{goal.path}\0{goal.title!r}\0{measures!r}\0{report.smart(goal.id)}"
            f"\0{histories.get(goal.path)!r}")
    symbols[VAULT_SYMBOL] = _digest(repr(report.findings) + "".join(sorted(symbols.values())))
    symbols[GOALS_SYMBOL], lines = records_digest(vault.goals, settled=settled)
    symbols[JOURNAL_SYMBOL] = _digest("\0".join(
        f"{entry.path}\0{entry.date}\0{entry.time}"
        for entry in sorted(vault.entries, key=lambda entry: entry.path)))
    return symbols, lines


def records_digest(records: Iterable[Goal] | Iterable[Entry],
                   body_shown: Callable[[Any], str] | None = None,
                   settled: Mapping[str, str] | None = None) -> tuple[str, dict[str, str]]:
    """The `/goals` or `/entries` symbol, and its line for each record by path: each record's
    fields but its source, its path, and of an entry's body `body_shown(entry)` (what the
    whole-vault pages show of it). Sets are sorted, so that a line is the same in every
    process. `settled`: the lines of the records whose files read as they did when the lines
    were made (cache.Tracker.settled_records), taken as they are (issue 10: 60,000 records)."""
    settled = settled or {}
    lines: dict[str, str] = {}
    digest = hashlib.sha256()
    names: list[str] | None = None
    for record in sorted(records, key=lambda record: record.path):
        path = record.path
        line = settled.get(path)
        if line is None:
            if names is None:
                names = [item.name for item in fields(record) if item.name != "source"]
            shown = body_shown(record) if body_shown is not None else ""
            values = [sorted(value) if isinstance(value, (set, frozenset)) else value
                      for value in (getattr(record, name) for name in names)]
            # repr escapes every line break: no two different records give the same text.
            line = hashlib.blake2b(repr([path, shown, values]).encode("utf-8", "surrogateescape"),
                                   digest_size=16).hexdigest()
        lines[path] = line
        digest.update(line.encode("ascii"))
    return digest.hexdigest(), lines


def with_symbols(site_plan: SitePlan, vault: Vault, *, own_templates: bool = False) -> SitePlan:
    """`site_plan` with each page's symbols added to its `depends`; `own_templates`: whether
    the vault has its own templates (which may show the date on any page)."""
    entries = {entry.id: entry for entry in vault.entries}
    ordered = journal_order(vault)
    goal_files = frozenset(goal.path for goal in vault.goals)
    entry_files = frozenset(entry.path for entry in vault.entries)
    # One string per goal's symbol, shared by every page that names it.
    symbols: dict[str, str] = {}
    journal_bases: dict[int, frozenset[str]] = {}
    pages = []
    for page in site_plan.pages:
        extra = page_symbols(page, vault, entries, ordered, symbols)
        if own_templates or page.view not in _WITHOUT_DATE:
            extra |= {TODAY_SYMBOL}
        if page.view == "journal":
            # The journal's pages share one set of files in the plan: trimmed once.
            base = journal_bases.get(id(page.depends))
            if base is None:
                base = journal_bases[id(page.depends)] = \
                    (frozenset(page.depends) - goal_files - entry_files) | {JOURNAL_SYMBOL}
            listed = frozenset(entry.path for entry in journal_slice(ordered, int(page.subject or "1")))
            pages.append(replace(page, depends=tuple(base | listed | extra)))
        elif page.view in _WHOLE_VAULT_VIEWS and not own_templates:
            pages.append(replace(page, depends=tuple((frozenset(page.depends) - goal_files - entry_files)
                                                     | extra | {GOALS_SYMBOL, ENTRIES_SYMBOL})))
        elif page.view in _GOALS_BY_SYMBOL:
            pages.append(replace(page, depends=tuple((frozenset(page.depends) - goal_files) | extra)))
        elif extra:
            pages.append(replace(page, depends=tuple(extra.union(page.depends))))
        else:
            pages.append(page)
    return SitePlan(tuple(pages))


def page_symbols(page: Page, vault: Vault, entries: Mapping[str, Entry],
                 ordered: Sequence[Entry], symbols: dict[str, str] | None = None) -> frozenset[str]:
    """The symbols one page reads (see the module's docstring); `entries` by id, `ordered` as
    the journal lists them; `symbols`, when given, keeps each goal's symbol once for all pages."""
    ids: set[str] = set()
    if page.view in _WHOLE_VAULT_VIEWS:
        return frozenset({VAULT_SYMBOL})
    if page.view == "goal" and (goal := vault.goal(page.subject or "")) is not None:
        ids.add(goal.id)
        if goal.parent:
            ids.add(goal.parent)
        ids.update(ancestor.id for ancestor in vault.ancestors(goal))
        ids.update(child.id for child in vault.children(goal.id))
        for entry in vault.entries_for(goal.id):
            ids.update(entry.goals)
        ids.update(goal.source.links)
    elif page.view == "entry":
        if (entry := entries.get(page.subject or "")) is not None:
            ids.update(entry.goals)
            ids.update(entry.source.links)
    elif page.view == "feed":
        for entry in vault.entries:
            ids.update(entry.goals)
            ids.update(entry.source.links)
    elif page.view == "journal":
        listed = journal_slice(ordered, int(page.subject or "1"))
        ids.update(goal_id for entry in listed for goal_id in entry.goals)
    if symbols is None:
        return frozenset(GOAL_SYMBOL + goal_id for goal_id in ids)
    return frozenset(symbols.get(goal_id) or symbols.setdefault(goal_id, GOAL_SYMBOL + goal_id)
                     for goal_id in ids)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
