"""`goalsite build`: the whole pipeline in one readable method (STYLE habit 1, SPEC §5, §8).

load → progress → lint → plan → render → write. `build()` runs it once; a `Builder` keeps what
can be reused between builds (the template environment, the Markdown parser, the last result)
for `watch` and `serve`.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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

    from goalsite.model import Vault
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
    findings: tuple[Finding, ...]
    written: bool = True
    files_deleted: tuple[str, ...] = ()
    # The vault files (and symbols, see depends.py) that differed from the last build.
    inputs_changed: tuple[str, ...] = ()
    # Broken files shown as they last were (watch mode only).
    kept: tuple[str, ...] = ()

    @property
    def nothing_changed(self) -> bool:
        """Whether the build found every input as the last build left it (watch mode then
        reports no rebuild)."""
        return not (self.pages_rendered or self.files_written or self.files_deleted
                    or self.inputs_changed)

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
        # The page that shows each goal or entry file, by vault path (serve's error overlay).
        self.pages_by_source: Mapping[str, str] = {}

    def build(self, *, strict: bool = False, on_progress: ProgressCallback | None = None) -> BuildResult:
        """Run the pipeline once, redoing only what changed since the last build (SPEC §6).
        Raises `RefusedError` before touching anything when the output folder is not ours
        (SPEC §8); the previous site stays intact if anything fails."""
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
        from goalsite.progress import evaluate
        from goalsite.site.parts import SiteData

        history = VaultHistory(self.vault_root, cache_dir=cache_folder(self.vault_root, create=True),
                               repository=repository)
        first_seen = history.first_seen()
        scan = tracker.scan(survey, first_seen) if survey is not None else None
        if scan is not None and warm and tracker.unchanged(scan, target):
            # Files were touched but hold what they held: remember their new times.
            tracker.confirm(scan)
            return self._unchanged(target, started, tracker, strict)
        vault = load_vault(self.vault_root, first_seen=first_seen, read_file=tracker.load_file)
        target = check_output(self.output or default_output(self.vault_root, vault.config.output),
                              self.vault_root)
        progress = evaluate(vault, self.today)
        histories = history.goals(goal.path for goal in vault.goals)
        report = lint_vault(vault, self.today, progress=progress, history=histories)
        assets = vault_assets(self.vault_root)
        site_plan = depends.with_symbols(planning.plan_site(vault, assets), vault)
        self.pages_by_source = {**{entry.path: urls.entry_path(entry.id) for entry in vault.entries},
                                **{goal.path: urls.goal_path(goal.id) for goal in vault.goals}}
        if strict and _has_errors(report.findings):
            return self._done(target, 0, (), started, report.findings, written_out=False)
        scan = scan or tracker.scan(tracker.survey(vault.files, assets, git), first_seen)
        scan = tracker.with_symbols(scan, depends.symbol_inputs(
            vault, report, {path: stamp.digest for path, stamp in scan.inputs.items()}, histories))
        work = tracker.work(scan, site_plan, report.findings, target)
        data = SiteData(vault, progress, report, self.today, self._markdown(vault),
                        history=histories)
        chosen = site_plan if work.render is None else \
            SitePlan(tuple(page for page in site_plan.pages if page.output in work.render))
        files = self.render(chosen, data, on_progress)
        if work.render is None:
            written, deleted = write_site(target, files.items()), ()
        else:
            previous = tracker.state.pages if tracker.state is not None else {}
            written, deleted = write_changes(target, files.items(), work.removed, previous)
        tracker.remember(scan, site_plan, files.digests, report.findings, target)
        rendered = sum(page.view not in ("asset", "vault-asset") for page in chosen.pages)
        return self._done(target, rendered, written, started, report.findings, deleted=deleted,
                          changed=work.changed, kept=tuple(sorted(tracker.kept)))

    def render(self, site_plan: SitePlan, data: SiteData,
               on_progress: ProgressCallback | None = None) -> RenderedFiles:
        """Every planned file, rendered on `jobs` cores as the writer takes them (parallel.py)."""
        from goalsite.site.parallel import RenderedFiles

        return RenderedFiles(site_plan.pages, lambda page: self.render_page(page, data),
                             data.markdown, self.jobs, on_progress)

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
        them again."""
        from goalsite.site.markdown import MarkdownOptions, MarkdownRenderer

        options = MarkdownOptions(vault.config.unsafe_html, vault.config.linkify)
        if self.markdown is None or self.markdown.options != options:
            self.markdown = MarkdownRenderer(options)
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
        from goalsite.discover import discover

        if not self.vault_root.is_dir():
            return Path(), None
        config, _ = load_config(self.vault_root)
        target = check_output(self.output or default_output(self.vault_root, config.output),
                              self.vault_root)
        files = discover(self.vault_root, config).files
        return target, tracker.survey(files, vault_assets(self.vault_root), git)

    def _unchanged(self, target: Path, started: float, tracker: Tracker,
                   strict: bool) -> BuildResult:
        """The result of a build that found nothing to do: the last build's findings again."""
        findings = tracker.last_findings()
        return self._done(target, 0, (), started, findings,
                          written_out=not (strict and _has_errors(findings)))

    def _done(self, target: Path, rendered: int, written: tuple[str, ...], started: float,
              findings: tuple[Finding, ...], *, written_out: bool = True,
              deleted: tuple[str, ...] = (), changed: tuple[str, ...] = (),
              kept: tuple[str, ...] = ()) -> BuildResult:
        self.last = BuildResult(target, rendered, written, time.perf_counter() - started,
                                tuple(findings), written_out, deleted, changed, kept)
        return self.last


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
