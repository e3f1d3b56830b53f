"""`goalsite build`: the whole pipeline in one readable method (STYLE habit 1, SPEC §5, §8).

load → progress → lint → plan → render → write. `build()` runs it once; a `Builder` keeps what
can be reused between builds (the template environment, the Markdown parser, the last result)
for `watch` and `serve`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from goalsite import depends
from goalsite.cache import Survey, Tracker, write_changes
from goalsite.errors import GoalsiteError
from goalsite.finding import Finding
from goalsite.site import plan as planning
from goalsite.site import urls
from goalsite.site.output import check_output, default_output, write_site
from goalsite.site.plan import Page, SitePlan

# The renderer's modules (jinja2, markdown-it, the views) are imported when a build renders:
# a build that finds nothing changed never needs them (issue 10).
if TYPE_CHECKING:
    import jinja2

    from goalsite.excerptcache import ExcerptCache
    from goalsite.model import Entry, Goal, Vault
    from goalsite.progress import VaultProgress
    from goalsite.site.markdown import MarkdownRenderer
    from goalsite.site.parallel import RenderedFiles
    from goalsite.site.parts import SiteData

# Called after each rendered file with (done, total): the CLI's progress bar on a terminal.
ProgressCallback = Callable[[int, int], None]


class TemplateFailed(GoalsiteError):
    """A template could not be rendered; the previous site is left as it was."""


@dataclass(frozen=True)
class BuildResult:
    """What a build did. `files_written` are output-relative paths whose bytes changed;
    `written` is False when `--strict` found an error and the old site was kept."""

    output: Path
    pages_rendered: int
    files_written: tuple[str, ...]
    duration: float
    # What gives `findings`: a build that changed nothing reads its last build's from the
    # cache only when they are asked for (`goalsite build` asks only with --strict; issue 10).
    read_findings: Callable[[], tuple[Finding, ...]] = field(repr=False, compare=False)
    written: bool = True
    files_deleted: tuple[str, ...] = ()
    # The vault files (and symbols, see depends.py) that differed from the last build.
    inputs_changed: tuple[str, ...] = ()
    # Broken files shown as they last were (watch mode only).
    kept: tuple[str, ...] = ()
    # Written by the preview just before this build (watch mode), which left them as they were.
    previewed: tuple[str, ...] = ()

    @functools.cached_property
    def findings(self) -> tuple[Finding, ...]:
        return self.read_findings()

    @property
    def nothing_changed(self) -> bool:
        """Whether the build found every input as the last build left it (watch mode then
        reports no rebuild)."""
        return not (self.pages_rendered or self.files_written or self.files_deleted
                    or self.inputs_changed or self.previewed)

    @property
    def files_changed(self) -> tuple[str, ...]:
        """Every file this rebuild rewrote: by the build, or by the preview before it."""
        return tuple(sorted({*self.files_written, *self.previewed}))

    @property
    def errors(self) -> int:
        return sum(finding.severity == "error" for finding in self.findings)


def build(vault_root: Path, output: Path | None, today: dt.date, *, strict: bool = False,
          on_progress: ProgressCallback | None = None, jobs: int | None = None) -> BuildResult:
    """Build the site of `vault_root` into `output` (default: the vault's `_site`), rendering
    on `jobs` processes (default: every core)."""
    return Builder(vault_root, output, today, jobs=jobs).build(strict=strict, on_progress=on_progress)


class Builder:
    """Builds one vault's site, again and again (watch mode), keeping reusable state."""

    def __init__(self, vault_root: Path, output: Path | None, today: dt.date,
                 live_reload: bool = False, *, keep_last_good: bool = False,
                 jobs: int | None = None) -> None:
        self.vault_root = vault_root
        # Processes that render the site (None: every core, for a large site; issue 10). The
        # output is the same for any number.
        self.jobs = jobs
        self.output = output
        self.today = today
        # `serve` injects its own live-reload script into each response; kept for templates.
        self.live_reload = live_reload
        # The template environment, made when the first page renders.
        self.environment: jinja2.Environment | None = None
        self.last: BuildResult | None = None
        # Watch mode: a file that breaks keeps showing as it last was (SPEC §6).
        self.keep_last_good = keep_last_good
        # What the last build saw and wrote (cache.py); made on the first build.
        self.tracker: Tracker | None = None
        self.markdown: MarkdownRenderer | None = None
        # The excerpts the last build left on disk, for the renderer of a new process.
        self.excerpts: ExcerptCache | None = None
        # The page that shows each goal or entry file, by vault path (serve's error overlay).
        self.pages_by_source: Mapping[str, str] = {}
        # What the last build computed, for the preview of the next save (watch mode), and
        # what previews wrote since.
        self.shown: Shown | None = None
        self.previewed: set[str] = set()

    def build(self, *, strict: bool = False, on_progress: ProgressCallback | None = None) -> BuildResult:
        """Run the pipeline once, redoing only what changed since the last build (SPEC §6).
        Raises `RefusedError` before touching anything when the output folder is not ours
        (SPEC §8); the previous site stays intact if anything fails."""
        try:
            return self._build(strict, on_progress)
        finally:
            gc.unfreeze()  # what `_build` hid from the cycle collector, shown to it again

    def _build(self, strict: bool, on_progress: ProgressCallback | None) -> BuildResult:
        from goalsite import gitlog

        started = time.perf_counter()
        tracker = self._tracker()
        repository = gitlog.locate(self.vault_root) if self.vault_root.is_dir() else None
        git = repository.identity if repository is not None else ""
        target, survey = self._survey(tracker, git)
        # Watch mode's first build reads every note even so: its later saves then parse only
        # the changed files, and a broken file's errors know their page.
        warm = bool(self.pages_by_source) or not self.keep_last_good
        if survey is not None and warm and tracker.untouched(survey, target):
            # Nothing changed since the last build, whose output is intact: nearly free.
            return self._unchanged(target, started, tracker, strict)

        from goalsite.history import VaultHistory, cache_folder
        from goalsite.lint import lint_vault
        from goalsite.load import load_vault
        from goalsite.site.parts import SiteData
        from goalsite.site.templates import VAULT_TEMPLATES, forget_changed

        history = VaultHistory(self.vault_root, cache_dir=cache_folder(self.vault_root, create=True),
                               repository=repository)
        first_seen = history.first_seen()
        scan = tracker.scan(survey, first_seen) if survey is not None else None
        if scan is not None and warm and tracker.unchanged(scan, target):
            # Files were touched but hold what they held: remember their new times.
            tracker.confirm(scan)
            return self._unchanged(target, started, tracker, strict)
        vault = load_vault(self.vault_root, first_seen=first_seen, read_file=tracker.load_file)
        # The model and the last build's state hold millions of objects and no cycles: hidden
        # from the cycle collector until the build ends, which would otherwise walk them again
        # and again (a fifth of a one-edit build's CPU; issue 10).
        gc.freeze()
        target = check_output(self.output or default_output(self.vault_root, vault.config.output),
                              self.vault_root)
        changed = tracker.changed_files(scan) if scan else None
        progress = self._progress(vault, changed)
        histories = history.goals(goal.path for goal in vault.goals)
        report = lint_vault(vault, self.today, progress=progress, history=histories)
        assets = vault_assets(self.vault_root)
        site_plan = depends.with_symbols(planning.plan_site(vault, assets), vault,
                                         own_templates=(self.vault_root / VAULT_TEMPLATES).is_dir())
        self.pages_by_source = {**{entry.path: urls.entry_path(entry.id) for entry in vault.entries},
                                **{goal.path: urls.goal_path(goal.id) for goal in vault.goals}}
        if strict and _has_errors(report.findings):
            return self._done(target, 0, (), started, report.findings, written_out=False)
        if scan is None:
            scan = tracker.scan(tracker.survey(vault.config, assets, git), first_seen)
            changed = tracker.changed_files(scan)
        settled = tracker.settled_records(scan)
        symbols, records = depends.symbol_inputs(vault, report, histories, self.today, settled)
        markdown = self._markdown(vault)
        # With no last build to compare with, every page renders, and their excerpts tell the
        # `/entries` symbol afterwards; else the files changed since are parsed for it now.
        if changed is not None:
            symbols[depends.ENTRIES_SYMBOL], entry_records = entries_symbol(
                vault, markdown, changed, settled)
            records.update(entry_records)
        scan = tracker.with_symbols(scan, symbols)
        work = tracker.work(scan, site_plan, report.findings, target)
        data = SiteData(vault, progress, report, self.today, markdown, history=histories)
        self.shown = Shown(data, {page.output: page for page in site_plan.pages}, target,
                           first_seen)
        chosen = site_plan if work.render is None else \
            SitePlan(tuple(page for page in site_plan.pages if page.output in work.render))
        if self.environment is not None:
            forget_changed(self.environment)
        files = self.render(chosen, data, on_progress)
        if work.render is None:
            written, deleted = write_site(target, files.items()), ()
        else:
            previous = tracker.state.pages if tracker.state is not None else {}
            written, deleted = write_changes(target, files.items(), work.removed, previous,
                                             files.digests)
        gc.freeze()  # again: the render's pool shows them to the collector when it ends
        if changed is None:
            entries_digest, entry_records = entries_symbol(vault, markdown, frozenset(), settled)
            scan = tracker.with_symbols(scan, {depends.ENTRIES_SYMBOL: entries_digest})
            records.update(entry_records)
        tracker.remember(scan, site_plan, files.digests, report.findings, target, records)
        if self.excerpts is not None and (self.last is None or not self.keep_last_good):
            # Watch mode keeps them in memory and writes the file once: a body edited since
            # only misses its excerpt in the next process's cache (they are keyed by content).
            self.excerpts.save(data.markdown.excerpts_of(entry.body for entry in vault.entries))
        rendered = sum(page.view not in ("asset", "vault-asset") for page in chosen.pages)
        return self._done(target, rendered, written, started, report.findings, deleted=deleted,
                          changed=work.changed, kept=tuple(sorted(tracker.kept)))

    def preview(self, changed: Iterable[str]) -> tuple[str, ...]:
        """Rewrite at once the pages of the goal and entry files in `changed`, from those files
        and what the last build knew of the rest of the vault: in watch mode the page being
        edited shows the save in milliseconds, before the build that brings every other page
        up to date (SPEC §6, issue 10; docs/watch.md). Returns the output files written.

        A preview is only for a save that keeps the site's shape: it writes nothing (and the
        build does everything) for a file that is new, gone, broken or not a note, a goal
        whose id or parent changed, an entry whose id, date or time changed, or any other
        input (the config, templates, assets, git). Where a lint rule compares a file with the
        rest of the vault, the build that follows may still change the page."""
        from goalsite.lint.engine import relint
        from goalsite.progress import reevaluate

        shown = self.shown
        paths = frozenset(changed)
        if shown is None or not paths or shown.data.today != self.today:
            return ()
        saved = reread(self.vault_root, shown, paths)
        if saved is None:
            return ()
        edited = shown.data.vault.replacing(saved.goals, saved.entries, findings=saved.findings)
        progress = reevaluate(edited, self.today, shown.data.progress, saved.goals_affected)
        # The goals of an edited entry are linted again too: rules read their progress.
        relinted = tuple(goal for goal_id in sorted(saved.goals_affected)
                         if (goal := edited.goal(goal_id)))
        report = relint(shown.data.lint, edited, self.today, progress=progress,
                        changed=(*relinted, *saved.entries), history=shown.data.history)
        data = replace(shown.data, vault=edited, progress=progress, lint=report)
        outputs = {self.pages_by_source[path] for path in paths} | \
            {urls.goal_path(goal.id) for goal in relinted}
        files = {output: self.render_page(shown.pages[output], data)
                 for output in sorted(outputs) if output in shown.pages}
        assert self.tracker is not None  # a build made `shown`
        written = self.tracker.wrote(shown.target, files)
        self.previewed.update(written)
        return written

    def _progress(self, vault: Vault, changed: frozenset[str] | None) -> VaultProgress:
        """Every goal's progress: in watch mode the last build's, evaluated again for the goals
        the `changed` files move (progress.reevaluate: their goals, their goals' parents before
        and after, the goals of their entries before and after); else evaluated afresh."""
        from goalsite.progress import evaluate, reevaluate

        shown = self.shown
        if shown is None or changed is None:
            return evaluate(vault, self.today)
        before = shown.data.vault
        moved: set[str] = set()
        for path in changed:
            for goal in (before.goal_by_path.get(path), vault.goal_by_path.get(path)):
                if goal is not None:
                    moved.update((goal.id, goal.parent) if goal.parent else (goal.id,))
            for entry in (before.entry_by_path.get(path), vault.entry_by_path.get(path)):
                if entry is not None:
                    moved.update(entry.goals)
        return reevaluate(vault, self.today, shown.data.progress, moved)

    def render(self, site_plan: SitePlan, data: SiteData,
               on_progress: ProgressCallback | None = None) -> RenderedFiles:
        """Every planned file, rendered on `jobs` cores as the writer takes them (parallel.py)."""
        from goalsite.site.parallel import RenderedFiles

        return RenderedFiles(site_plan.pages, lambda page: self.render_page(page, data),
                             data.markdown, self.jobs, on_progress,
                             prepare=lambda: self._warm(data))

    def _warm(self, data: SiteData) -> None:
        """Before the render workers fork: what each would otherwise make again for itself
        after every fork (parallel.py replaces its workers to keep their memory small), made
        once here and shared: the journal's order and the compiled templates."""
        import jinja2

        data.journal_index  # noqa: B018 — computes and keeps `journal` and its index
        environment = self._environment()
        for name in environment.list_templates(extensions=("html", "xml")):
            try:
                environment.get_template(name)
            except jinja2.TemplateError:
                pass  # a vault's broken template fails (and says where) when a page uses it

    def render_page(self, page: Page, data: SiteData) -> bytes:
        """One file's bytes: a template with its view, an export, or a copied asset."""
        import jinja2

        from goalsite.site import views

        if page.view == "goals-json":
            return _goals_json(data)
        if page.view == "calendar":
            from goalsite.export import to_ics
            return to_ics(data.vault, data.progress, data.today).encode("utf-8")
        if page.view == "asset":
            return _packaged_asset(self._environment(), page.subject or "")
        if page.view == "vault-asset":
            return (self.vault_root / planning.VAULT_ASSETS / (page.subject or "")).read_bytes()
        assert page.template is not None, page
        view = views.view_for(data, page)
        try:
            template = self._environment().get_template(page.template)
            html = template.render(view=view, live_reload=self.live_reload)
        except jinja2.TemplateError as error:
            # A vault's own template can be wrong; say where, and keep the old site (SPEC §8).
            where = f"{error.filename}:{error.lineno}" if isinstance(error, jinja2.TemplateSyntaxError) \
                else page.template
            raise TemplateFailed(f"template {where} failed for {page.output}: {error}") from error
        return html.encode("utf-8")

    def _markdown(self, vault: Vault) -> MarkdownRenderer:
        """The Markdown renderer, kept from build to build while the vault's options stay: it
        remembers each body's excerpt by digest, so a rebuild lists entries without parsing
        them again. A new one starts with the excerpts the last build saved (excerptcache.py)."""
        from goalsite.excerptcache import ExcerptCache
        from goalsite.site.markdown import MarkdownOptions, MarkdownRenderer

        options = MarkdownOptions(vault.config.unsafe_html, vault.config.linkify)
        if self.markdown is None or self.markdown.options != options:
            self.markdown = MarkdownRenderer(options)
            self.excerpts = ExcerptCache.load(self._tracker().cache_dir, options)
            self.markdown.add_excerpts(self.excerpts.saved)
        return self.markdown

    def _tracker(self) -> Tracker:
        if self.tracker is None:
            self.tracker = Tracker(self.vault_root, self.today, keep_last_good=self.keep_last_good)
        self.tracker.today = self.today
        return self.tracker

    def _environment(self) -> jinja2.Environment:
        if self.environment is None:
            from goalsite.site.templates import make_environment

            self.environment = make_environment(self.vault_root)
        return self.environment

    def _survey(self, tracker: Tracker, git: str) -> tuple[Path, Survey | None]:
        """The output folder and the size and modification time of every input (with what
        git says, `git`), taken without reading a note; no survey (None) when the vault is not
        a folder: loading it then says why."""
        from goalsite.config import load_config

        if not self.vault_root.is_dir():
            return Path(), None
        config, _ = load_config(self.vault_root)
        target = check_output(self.output or default_output(self.vault_root, config.output),
                              self.vault_root)
        return target, tracker.survey(config, vault_assets(self.vault_root), git)

    def _unchanged(self, target: Path, started: float, tracker: Tracker,
                   strict: bool) -> BuildResult:
        """The result of a build that found nothing to do: the last build's findings again."""
        findings = tracker.last_findings()
        return self._done(target, 0, (), started, findings,
                          written_out=not (strict and _has_errors(findings())))

    def _done(self, target: Path, rendered: int, written: tuple[str, ...], started: float,
              findings: tuple[Finding, ...] | Callable[[], tuple[Finding, ...]], *,
              written_out: bool = True,
              deleted: tuple[str, ...] = (), changed: tuple[str, ...] = (),
              kept: tuple[str, ...] = ()) -> BuildResult:
        previewed = tuple(sorted(self.previewed - set(written)))
        self.previewed = set()
        if not callable(findings):
            given = tuple(findings)
            findings = lambda: given  # noqa: E731 — what `read_findings` expects
        self.last = BuildResult(target, rendered, written, time.perf_counter() - started,
                                findings, written_out, deleted, changed, kept, previewed)
        return self.last


@dataclass(frozen=True)
class Shown:
    """What the last build computed and where it wrote it: a preview's starting point."""

    data: SiteData
    pages: Mapping[str, Page]
    target: Path
    first_seen: Mapping[str, dt.date]


@dataclass(frozen=True)
class Saved:
    """New readings of saved goal and entry files, the goals they move (their own, an entry's
    goals before and after), and the vault's loader findings with theirs replaced."""

    goals: tuple[Goal, ...]
    entries: tuple[Entry, ...]
    goals_affected: frozenset[str]
    findings: tuple[Finding, ...]


def reread(vault_root: Path, shown: Shown, paths: frozenset[str]) -> Saved | None:
    """Read the saved `paths` again; None unless each is a goal or entry that keeps its place
    in the site (see `Builder.preview`)."""
    from goalsite.load import load_file

    vault = shown.data.vault
    goals: list[Goal] = []
    entries: list[Entry] = []
    affected: set[str] = set()
    findings = [finding for finding in vault.findings if finding.path not in paths]
    for path in sorted(paths):
        old_goal, old_entry = vault.goal_by_path.get(path), vault.entry_by_path.get(path)
        if old_goal is None and old_entry is None:
            return None
        loaded = load_file(vault_root, path, vault.config, first_seen=shown.first_seen)
        if any(finding.severity == "error" for finding in loaded.findings):
            return None
        new_goal, new_entry = loaded.goal, loaded.entry
        if old_goal is not None and new_goal is not None and \
                (new_goal.id, new_goal.parent) == (old_goal.id, old_goal.parent):
            goals.append(new_goal)
            affected.add(new_goal.id)
        elif old_entry is not None and new_entry is not None and \
                (new_entry.id, new_entry.sort_key) == (old_entry.id, old_entry.sort_key):
            entries.append(new_entry)
            affected.update(old_entry.goals, new_entry.goals)
        else:
            return None
        for finding in loaded.findings:
            bisect.insort(findings, finding)
    return Saved(tuple(goals), tuple(entries), frozenset(affected), tuple(findings))


def entries_symbol(vault: Vault, markdown: MarkdownRenderer, parse: frozenset[str],
                   settled: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """The `/entries` symbol (depends.py), each body shown by the start of its plain text:
    parsed now for the entries of `parse` (changed since the last build: their pages render
    anyway), else as the renderer knows it (this build's renders, the last build's excerpts).
    A body whose start is not known is shown by its digest, which no start equals: the pages
    are then drawn again, never left stale. With each entry's line of it, by path: `settled`
    ones are taken as they are (depends.records_digest)."""
    def shown(entry: Entry) -> str:
        body = entry.body
        if not body.strip():
            return "blank"  # rendered as nothing, and no start is kept
        if entry.path in parse:
            markdown.excerpt(body)  # parses the body and keeps its start
        start = next(iter(markdown.excerpts_of((body,)).values()), None)
        if start is not None:
            return "start\0" + start
        return "body\0" + hashlib.sha256(body.encode("utf-8", "surrogateescape")).hexdigest()

    return depends.records_digest(vault.entries, shown, settled)


def _has_errors(findings: tuple[Finding, ...]) -> bool:
    return any(finding.severity == "error" for finding in findings)


def vault_assets(vault_root: Path) -> tuple[str, ...]:
    """The regular files under the vault's `assets/`, `/`-separated and sorted; links and
    hidden files are skipped, so nothing outside the vault is ever copied (SPEC §8)."""
    root = vault_root / planning.VAULT_ASSETS
    if not root.is_dir() or root.is_symlink():
        return ()
    found: list[str] = []
    for folder, subfolders, names in os.walk(root, followlinks=False):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in names:
            path = Path(folder) / name
            if name.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            found.append(path.relative_to(root).as_posix())
    return tuple(sorted(found))


def _goals_json(data: SiteData) -> bytes:
    from goalsite.export import goals_document, to_json
    # The same document as `goalsite export --format json`.
    return to_json(goals_document(data.vault, data.progress, data.lint, data.today,
                                  history=data.history)).encode("utf-8")


def _packaged_asset(environment: jinja2.Environment, name: str) -> bytes:
    # Read through the loader so a vault's templates/assets/style.css overrides ours.
    assert environment.loader is not None
    source, _, _ = environment.loader.get_source(environment, f"assets/{name}")
    return source.encode("utf-8")
