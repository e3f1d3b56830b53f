"""The command line: parse options, call one library function, print, set the exit code.

Heavy imports happen inside each command so that `goalsite --help` starts fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from goalsite import __version__
from goalsite.errors import GoalsiteError


@dataclass(frozen=True)
class Invocation:
    """What the group's options say, handed to every command."""

    today_option: str | None

    def today(self, configured: dt.date | None = None) -> dt.date:
        from goalsite.dates import resolve_today

        try:
            return resolve_today(self.today_option, configured=configured)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--today / GOALSITE_TODAY") from None


vault_argument = click.argument(
    "vault", type=click.Path(file_okay=False, path_type=Path), default=".", required=False
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="goalsite")
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    help="Evaluate progress on this date (default: GOALSITE_TODAY, the vault's `today`, the clock).",
)
@click.pass_context
def main(ctx: click.Context, today: str | None) -> None:
    """Lint S.M.A.R.T. career goals kept as Markdown files, and render a static progress site.

    \b
    Example:
      goalsite --today 2026-11-23 lint example-vault
    """
    ctx.obj = Invocation(today_option=today)


@main.command()
@vault_argument
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Write the site here (default: the vault's `output` setting, `_site/`).")
@click.option("--strict", is_flag=True, help="Exit 1 and keep the old site when lint finds an error.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Render on N processes (default: every core); the site is the same for any N.")
@click.pass_obj
def build(invocation: Invocation, vault: Path, output: Path | None, strict: bool,
          jobs: int | None) -> None:
    """Render the static progress site of VAULT (default: the current folder).

    The site is written to a temporary folder and swapped in at the end, so a failed build
    leaves the previous site intact. goalsite refuses an output folder it did not create.

    \b
    Example:
      goalsite --today 2026-11-23 build example-vault -o /tmp/site
    """
    from goalsite.build import build as build_site
    from goalsite.config import load_config

    config, _ = load_config(vault)
    today = invocation.today(config.today)
    with _build_progress() as on_progress:
        result = build_site(vault, output, today, strict=strict, on_progress=on_progress, jobs=jobs)
    shown = _shown_path(result.output)
    if not result.written:
        click.echo(f"not built: {result.errors} lint error{'s' if result.errors != 1 else ''}"
                   f" with --strict; {shown}/ left as it was (run goalsite lint)", err=True)
        sys.exit(1)
    pages = f"{result.pages_rendered} page{'s' if result.pages_rendered != 1 else ''}"
    click.echo(f"built {pages} in {result.duration:.2f} s → {shown}/")


@contextlib.contextmanager
def _build_progress() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for long builds, only on a terminal (never in pipes or CI)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    # On stderr, the terminal tested above: stdout keeps only the one summary line.
    with Progress(transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("building", total=None, visible=False)

        def update(done: int, total: int) -> None:
            # Short builds finish before a bar would help; show it past a few hundred files.
            bar.update(task, completed=done, total=total, visible=total >= 300)

        yield update


def _shown_path(path: Path) -> str:
    """`path` relative to the working folder when it is inside it, else absolute."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@main.command()
@vault_argument
@click.option("--horizon", "horizons", multiple=True,
              type=click.Choice(["long-term", "yearly", "quarterly", "monthly", "weekly"]),
              help="Show only goals at this horizon (repeatable).")
@click.option("--category", "categories", multiple=True, metavar="NAME",
              help="Show only goals in this category (repeatable, any case).")
@click.option("--status", "statuses", multiple=True,
              type=click.Choice(["draft", "active", "paused", "achieved", "missed", "dropped"]),
              help="Show only goals with this status (repeatable).")
@click.pass_obj
def status(invocation: Invocation, vault: Path, horizons: tuple[str, ...],
           categories: tuple[str, ...], statuses: tuple[str, ...]) -> None:
    """Show every goal's progress, pace and review date: the dashboard in the terminal.

    \b
    Example:
      goalsite --today 2026-11-23 status example-vault --horizon quarterly
    """
    from goalsite.terminal import StatusFilter, render_status

    loaded, progress, _ = _progress_of(invocation, vault)
    _show(lambda console: render_status(console, loaded, progress,
                                        StatusFilter(horizons, categories, statuses)))


@main.command()
@vault_argument
@click.pass_obj
def review(invocation: Invocation, vault: Path) -> None:
    """List the goals whose review is due, oldest first, with the 90-day review questions.

    \b
    Example:
      goalsite --today 2026-11-23 review example-vault
    """
    from goalsite.terminal import render_review

    loaded, progress, _ = _progress_of(invocation, vault)
    _show(lambda console: render_review(console, loaded, progress))


@main.command()
@vault_argument
@click.option("--format", "-f", "format_", type=click.Choice(["json", "ics", "csv"]), default="json",
              show_default=True, help="json: goals and progress; ics: due and review dates; "
              "csv: one row per measure.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.pass_obj
def export(invocation: Invocation, vault: Path, format_: str, output: Path | None) -> None:
    """Export goals and progress as JSON, an iCalendar file, or CSV for spreadsheets.

    \b
    Example:
      goalsite --today 2026-11-23 export example-vault --format ics -o goals.ics
    """
    from goalsite import export as exports
    from goalsite.terminal import unread_note

    loaded, progress, history = _progress_of(invocation, vault)
    note = unread_note(loaded)
    if note is not None:  # on stderr: the export itself stays clean for the tool that reads it
        click.echo(f"goalsite: {note}", err=True)
    if format_ == "json":
        text = exports.to_json(exports.goals_document(
            loaded, progress, _lint_report(loaded, progress), progress.today,
            history=history.goals(goal.path for goal in loaded.goals)))
    elif format_ == "ics":
        text = exports.to_ics(loaded, progress, progress.today)
    else:
        text = exports.to_csv(loaded, progress)
    data = text.encode("utf-8")
    if output is None:
        click.get_binary_stream("stdout").write(data)
        return
    try:
        output.write_bytes(data)
    except OSError as error:
        from goalsite.errors import UsageError

        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None


def _progress_of(invocation: Invocation, vault: Path):  # type: ignore[no-untyped-def]
    """Load `vault` (UsageError, exit 2, when it is not a readable folder) and evaluate it;
    the git history read for it comes along."""
    from goalsite.progress import evaluate

    loaded, history = _load(vault)
    return loaded, evaluate(loaded, invocation.today(loaded.config.today)), history


def _load(vault: Path):  # type: ignore[no-untyped-def]
    """The vault with git's start dates (SPEC §2.1), and its history, for every command that
    reads goals; the history cache is used only when a build already made it."""
    import gc

    from goalsite.history import cache_folder, load_with_history

    # The model lives until the command exits and holds no cycles: once loaded (with the
    # collector off, as load_vault does anyway), it is moved out of the cycle collector's
    # sight, which would otherwise walk its millions of objects again and again.
    gc.disable()
    try:
        return load_with_history(vault, cache_dir=cache_folder(vault, create=False))
    finally:
        gc.freeze()
        gc.enable()


def _lint_report(loaded, progress):  # type: ignore[no-untyped-def]
    """The linter's report for the `smart` letters of the JSON export."""
    from goalsite.lint import lint_vault

    return lint_vault(loaded, progress.today, progress=progress)


def _show(render) -> None:  # type: ignore[no-untyped-def]
    """Run `render(console)` on standard output: colour on a terminal; in a pipe plain text
    without the padding rich adds at line ends (NO_COLOR also turns colour off)."""
    from rich.console import Console

    console = Console(highlight=False, emoji=False, markup=False)
    if console.is_terminal:
        render(console)
        return
    with console.capture() as captured:
        render(console)
    lines = captured.get().splitlines()
    click.echo("".join(line.rstrip() + "\n" for line in lines), nl=False)


@main.command()
@vault_argument
@click.option("--format", "output_format", default="text", show_default=True,
              type=click.Choice(["text", "json", "github", "sarif", "markdown"]),
              help="Output: text for people, json, github annotations, sarif; markdown only "
                   "with --list-rules.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Run only these codes or prefixes (comma-separated; replaces [lint] select).")
@click.option("--ignore", multiple=True, metavar="CODES",
              help="Skip these codes or prefixes (comma-separated; added to [lint] ignore).")
@click.option("--statistics", is_flag=True,
              help="Print a count per code, most frequent first (text or json).")
@click.option("--explain", metavar="CODE", help="Print the documentation of one rule and exit.")
@click.option("--list-rules", is_flag=True, help="Print every rule (docs/rules.md with --format markdown).")
@click.pass_obj
def lint(invocation: Invocation, vault: Path, output_format: str, select: tuple[str, ...],
         ignore: tuple[str, ...], statistics: bool, explain: str | None, list_rules: bool) -> None:
    """Report what makes the goals of VAULT not yet S.M.A.R.T. (default: the current folder).

    Each finding is `path:line:col: CODE severity message`, with the fix below it. Exit 0 when
    there is no error, 1 when there is one, 2 when the vault cannot be read.

    \b
    Example:
      goalsite --today 2026-11-23 lint example-vault --select S,M --statistics
    """
    from goalsite import lint as linter
    from goalsite.errors import UsageError
    from goalsite.lint import report

    if explain is not None:
        rule = linter.get_rule(explain)
        if rule is None:
            raise UsageError(f"no rule {explain.strip().upper()!r}: `goalsite lint --list-rules` lists them")
        click.echo(report.explain(rule), nl=False)
        return
    if list_rules:
        if output_format == "markdown":
            click.echo(report.rules_markdown(), nl=False)
        else:
            for rule in linter.all_rules():
                click.echo(f"{rule.code}  {rule.severity:<7}  {rule.summary}")
        return
    if output_format == "markdown":
        raise UsageError("--format markdown goes with --list-rules")
    if statistics and output_format not in ("text", "json"):
        raise UsageError("--statistics prints text or json: use --format text or --format json")
    unknown = linter.engine.unknown_codes((*select, *ignore))
    if unknown:
        raise UsageError(f"no rule matches {', '.join(unknown)}: `goalsite lint --list-rules` lists them")
    loaded, history = _load(vault)
    today = invocation.today(loaded.config.today)
    result = linter.lint_vault(loaded, today, select=select, ignore=ignore,
                               history=history.goals(goal.path for goal in loaded.goals))
    if statistics:
        click.echo(report.render_statistics(result) if output_format == "text"
                   else report.render_statistics_json(result), nl=False)
    else:
        paint = _lint_painter() if output_format == "text" else report.plain
        click.echo(report.render(result, output_format, paint=paint,  # type: ignore[arg-type]
                                 prefix=_annotation_prefix(vault), version=__version__), nl=False)
    sys.exit(1 if result.has_errors else 0)


def _lint_painter() -> Callable[[str, str], str]:
    """Colour for a terminal only (and never with NO_COLOR set)."""
    import os

    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        return lambda text, style: text
    styles = {"error": {"fg": "red", "bold": True}, "warning": {"fg": "yellow", "bold": True},
              "info": {"fg": "blue"}, "path": {"bold": True}, "code": {"fg": "cyan"},
              "dim": {"dim": True}}
    return lambda text, style: click.style(text, **styles.get(style, {}))


def _annotation_prefix(vault: Path) -> str:
    """The vault's folder relative to the working folder, so annotations name repo paths."""
    try:
        relative = vault.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return ""
    return "" if str(relative) == "." else relative.as_posix() + "/"


# -- authoring: init, new goal, new entry, log, schema (SPEC §9) ---------------------------------

_HORIZON_CHOICE = click.Choice(["long-term", "yearly", "quarterly", "monthly", "weekly"])
_KIND_CHOICE = click.Choice(["check-in", "review", "session", "reflection", "obstacle", "win",
                             "feedback"])
vault_option = click.option(
    "--vault", "-C", "vault", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="The vault to write in.")


def _date_option(value: str | None, option: str) -> dt.date | None:
    """A `YYYY-MM-DD` option as a date (click.BadParameter, exit 2, when it is not one)."""
    from goalsite.dates import parse_date

    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=option) from None


def _vault_today(invocation: Invocation, vault: Path) -> dt.date:
    """The resolved today, honouring the vault's own `today` setting."""
    from goalsite.config import load_config

    config, _ = load_config(vault)
    return invocation.today(config.today)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".",
                required=False)
@click.option("--title", help="The site's title (goalsite.toml `title`; default: \"OWNER's goals\" "
              "with --owner, else Goals).")
@click.option("--owner", metavar="NAME", help="Whose goals these are (goalsite.toml `owner`).")
@click.option("--coach", metavar="NAME", help="The coach, if there is one (goalsite.toml `coach`).")
@click.pass_obj
def init(invocation: Invocation, folder: Path, title: str | None, owner: str | None,
         coach: str | None) -> None:
    """Start a vault in FOLDER (default: the current folder, made if missing).

    Writes goalsite.toml with every setting explained, an example long-term goal and a first
    journal entry (both lint clean), a .gitignore and a README. Refuses a folder that holds a
    vault already; a file that exists (a README) is left as it is.

    \b
    Example:
      goalsite init my-goals --owner "Alex Morgan"
    """
    from goalsite.authoring import init_vault

    result = init_vault(folder, invocation.today(), title=title, owner=owner, coach=coach)
    for relative in result.created:
        click.echo(f"created {_shown_path(folder / relative)}")
    for relative in result.kept:
        click.echo(f"kept    {_shown_path(folder / relative)} (exists; not changed)")
    where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {_shown_path(folder)} && "
    click.echo(f"\nNext: {where}goalsite lint && goalsite build, then open _site/index.html")


@main.group()
def new() -> None:
    """Create a goal or a journal entry from a template (nothing is ever overwritten).

    \b
    Example:
      goalsite new goal "Deliver 5 company presentations" --parent lead-a-team
    """


@new.command("goal")
@click.argument("title")
@vault_option
@click.option("--horizon", type=_HORIZON_CHOICE,
              help="The cascade level (default: one below the parent's, else quarterly).")
@click.option("--parent", metavar="ID", help="The longer-horizon goal this one serves.")
@click.option("--due", metavar="YYYY-MM-DD", help="The planned finish (default: start + the "
              "horizon's span: 3 years, 12 months, 90, 30 or 7 days).")
@click.option("--start", metavar="YYYY-MM-DD", help="When work begins (default: today).")
@click.option("--category", metavar="NAME", help="A group like leadership or skills; the file "
              "goes in a folder of that name.")
@click.option("--id", "goal_id", metavar="ID", help="The goal's id (default: the title's slug).")
@click.option("--specific", metavar="TEXT", help="S: what exactly, who, where and why.")
@click.option("--measure", metavar="NAME", help="M: what is measured, like \"Talks given\".")
@click.option("--unit", metavar="TEXT", help="M: the measure's unit, like talks.")
@click.option("--baseline", type=float, help="M: where the measure stands now.")
@click.option("--target", type=float, help="M: where it must be at the due date.")
@click.option("--aggregate", type=click.Choice(["last", "sum", "mean", "max", "min"]),
              help="M: how logged values combine (default: last; sum for counts).")
@click.option("--achievable", metavar="TEXT", help="A: why it is realistic.")
@click.option("--resource", "resources", multiple=True, metavar="TEXT",
              help="A: something needed (repeatable).")
@click.option("--relevant", metavar="TEXT", help="R: why it matters now.")
@click.option("--edit", is_flag=True, help="Open the new file in $VISUAL / $EDITOR.")
@click.pass_obj
def new_goal(invocation: Invocation, title: str, vault: Path, horizon: str | None,
             parent: str | None, due: str | None, start: str | None, category: str | None,
             goal_id: str | None, specific: str | None, measure: str | None, unit: str | None,
             baseline: float | None, target: float | None, aggregate: str | None,
             achievable: str | None, resources: tuple[str, ...], relevant: str | None,
             edit: bool) -> None:
    """Write a goal named TITLE: a S.M.A.R.T. template, every field with a comment.

    The file goes in goals/ (goals/CATEGORY/ with --category) and is named from the title.
    What the options do not fill in is left empty for you to write; `goalsite lint` lists
    what is still missing. Prints the new file's path.

    \b
    Example:
      goalsite new goal "Deliver 5 company presentations" --parent lead-a-team \\
        --horizon quarterly --measure "Presentations" --unit talks --baseline 0 --target 5
    """
    from goalsite.authoring import GoalDraft
    from goalsite.authoring import new_goal as write_goal

    draft = GoalDraft(
        title=title, horizon=horizon, parent=parent,  # type: ignore[arg-type]
        due=_date_option(due, "--due"), start=_date_option(start, "--start"),
        category=category, goal_id=goal_id, specific=specific, measure=measure, unit=unit,
        baseline=baseline, target=target, aggregate=aggregate, achievable=achievable,
        resources=resources, relevant=relevant)
    path = write_goal(vault, _vault_today(invocation, vault), draft)
    click.echo(_shown_path(path))
    if edit:
        click.edit(filename=str(path))


@new.command("entry")
@click.argument("goal")
@vault_option
@click.option("--kind", type=_KIND_CHOICE, default="check-in", show_default=True,
              help="What sort of entry; review and session reset the goal's review clock.")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The day it happened (default: today).")
@click.option("--edit", is_flag=True, help="Open the new file in $VISUAL / $EDITOR.")
@click.pass_obj
def new_entry(invocation: Invocation, goal: str, vault: Path, kind: str, day: str | None,
              edit: bool) -> None:
    """Write a journal entry about the goal GOAL (its id), with questions to answer.

    The entry goes in journal/YYYY/MM/; the goal's file is never changed. A second entry on
    the same day gets its own file (-2, -3…). Prints the new file's path.

    \b
    Example:
      goalsite new entry company-presentations --kind review --edit
    """
    from goalsite.authoring import new_entry as write_entry

    path = write_entry(vault, _vault_today(invocation, vault), goal,
                       kind=kind, day=_date_option(day, "--date"))  # type: ignore[arg-type]
    click.echo(_shown_path(path))
    if edit:
        click.edit(filename=str(path))


@main.command()
@click.argument("goal")
@click.argument("values", nargs=-1, metavar="[KEY=VALUE]...")
@vault_option
@click.option("-m", "--message", metavar="TEXT", help="What happened, in words (the entry's body).")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The day it happened (default: today).")
@click.option("--confidence", type=click.IntRange(1, 5),
              help="1–5: how sure you are the goal will be met.")
@click.pass_obj
def log(invocation: Invocation, goal: str, values: tuple[str, ...], vault: Path,
        message: str | None, day: str | None, confidence: int | None) -> None:
    """Record a check-in for the goal GOAL in one line: KEY=VALUE per measure that moved.

    Each KEY must be one of the goal's measure keys and each VALUE a number; otherwise
    nothing is written. A goal with one measure also takes a bare number. The entry is a new
    file in journal/YYYY/MM/ (never an edit of the goal); prints its path.

    \b
    Example:
      goalsite log company-presentations presentations=1 feedback=4.2 -m "Guild talk"
    """
    from goalsite.authoring import log_entry

    path = log_entry(vault, _vault_today(invocation, vault), goal, values, message=message,
                     day=_date_option(day, "--date"), confidence=confidence)
    click.echo(_shown_path(path))


@main.command()
@click.option("--kind", type=click.Choice(["goal", "entry"]),
              help="Only the goal's or the entry's schema (default: one schema for both).")
def schema(kind: str | None) -> None:
    """Print the JSON Schema (draft 2020-12) of goal and journal front matter.

    Generated from the same field list the loader checks, for editors and other tools: see
    docs/editors.md. `goalsite lint` remains the full check (ids, parents, dates that exist).

    \b
    Example:
      goalsite schema --kind goal > goal.schema.json
    """
    from goalsite.schema import schema_json

    click.echo(schema_json(kind), nl=False)  # type: ignore[arg-type]


@main.command()
@vault_argument
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Write the site here (default: the vault's `output` setting, `_site/`).")
@click.pass_obj
def watch(invocation: Invocation, vault: Path, output: Path | None) -> None:
    """Build the site of VAULT, then rebuild it on every change until Ctrl-C.

    Only the pages whose inputs changed are rendered again, one line per rebuild. A broken
    file prints its errors and keeps its last good page; the next good save recovers.

    \b
    Example:
      goalsite watch example-vault -o /tmp/site
    """
    _watch_vault(invocation, vault, output, serving=None)


@main.command()
@vault_argument
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to serve on (only this machine by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to serve on; 0 picks a free one and prints it.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Write the site here (default: the vault's `output` setting, `_site/`).")
@click.pass_obj
def serve(invocation: Invocation, vault: Path, host: str, port: int, output: Path | None) -> None:
    """Build and serve the site of VAULT with live reload, rebuilding on every change.

    Open pages reload when their file changed; a broken file's errors show over its page.
    The server answers only requests addressed to it and serves only the output folder.

    \b
    Example:
      goalsite serve example-vault --port 0
    """
    _watch_vault(invocation, vault, output, serving=(host, port))


def _watch_vault(invocation: Invocation, vault: Path, output: Path | None,
                 serving: tuple[str, int] | None) -> None:
    """Build once, then rebuild after each settled batch of changes (and serve) until Ctrl-C
    or SIGTERM. No build error ends it; a refused output folder or a busy port does (exit 2)."""
    import signal
    import threading

    from goalsite.build import Builder
    from goalsite.config import load_config
    from goalsite.errors import RefusedError, UsageError
    from goalsite.serve import LiveReload, SiteServer
    from goalsite.site.output import check_output, default_output
    from goalsite.watch import Watcher, WatchScope, watch_loop

    if not vault.is_dir():
        raise UsageError(f"{vault} is not a readable folder")
    vault = vault.resolve()
    config, _ = load_config(vault)
    target = check_output(output or default_output(vault, config.output), vault)
    builder = Builder(vault, target, invocation.today(config.today), live_reload=serving is not None,
                      keep_last_good=True)
    live = LiveReload() if serving is not None else None
    reporter = _RebuildReporter(builder, invocation, live)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    # Watching starts before the first build: a save during it is rebuilt, never missed.
    watcher = Watcher(WatchScope.of(vault, target))
    stop = threading.Event()
    loop = threading.Thread(target=watch_loop, args=(reporter, watcher, stop, reporter.report),
                            name="goalsite-watch", daemon=True)
    server = None
    try:
        watcher.start()
        try:
            reporter.first(builder)
        except (RefusedError, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - SPEC §6: the watcher starts anyway, and recovers
            reporter.failed(("the first build",), error)
        if serving is not None:
            try:
                server = SiteServer(target, serving[0], serving[1], live_reload=live)
            except OSError as error:
                raise UsageError(f"cannot serve on {serving[0]}:{serving[1]}: "
                                 f"{error.strerror or error} — choose another port with --port,"
                                 " or --port 0") from None
            server.start()
            click.echo(f"serving {server.url} (Ctrl-C stops)")
        else:
            click.echo(f"watching {_shown_path(vault)}/ for changes (Ctrl-C stops)")
        loop.start()
        while loop.is_alive():
            loop.join(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        if loop.is_alive():
            loop.join(10)
        watcher.stop()
        if server is not None:
            server.stop()
    click.echo("stopped")


class _RebuildReporter:
    """Runs each rebuild of the watch loop and prints one line for it (`rebuilt 3 pages in
    38 ms (goals/speaking.md)`), with the errors of broken files that are new since the last
    build; tells open pages what changed, once the output is complete."""

    def __init__(self, builder, invocation: Invocation, live) -> None:  # type: ignore[no-untyped-def]
        self.builder = builder
        self.invocation = invocation
        self.live = live
        self.shown: frozenset[object] = frozenset()

    def build(self):  # type: ignore[no-untyped-def]
        """What the watch loop calls: today is read again, so a session left open overnight
        moves to the new day (unless --today, GOALSITE_TODAY or the vault pins it)."""
        self._read_today()
        return self.builder.build()

    def preview(self, changed: tuple[str, ...]) -> None:
        """The changed files' own pages, at once (Builder.preview; none on a new day); open
        pages showing them reload, and the build's line follows when the site is done."""
        self._read_today()
        written = self.builder.preview(changed)
        if written and self.live is not None:
            self.live.publish(written)

    def _read_today(self) -> None:
        from goalsite.config import load_config

        config, _ = load_config(self.builder.vault_root)
        self.builder.today = self.invocation.today(config.today)

    def first(self, builder) -> None:  # type: ignore[no-untyped-def]
        result = self.build()
        pages = f"{result.pages_rendered} page{'s' if result.pages_rendered != 1 else ''}"
        click.echo(f"built {pages} in {result.duration:.2f} s → {_shown_path(result.output)}/")
        self._errors(result)

    def report(self, rebuild) -> None:  # type: ignore[no-untyped-def]
        from goalsite.watch import describe_paths

        if rebuild.error is not None:
            self.failed(rebuild.trigger, rebuild.error)
            return
        result = rebuild.result
        changed = len(result.files_changed) + len(result.files_deleted)
        click.echo(f"rebuilt {changed} page{'s' if changed != 1 else ''} in "
                   f"{rebuild.seconds * 1000:.0f} ms ({describe_paths(rebuild.trigger)})")
        self._errors(result)

    def failed(self, trigger: tuple[str, ...], error: BaseException) -> None:
        from goalsite.finding import Finding
        from goalsite.serve import ALL_PAGES
        from goalsite.watch import describe_paths

        click.echo(f"rebuild failed ({describe_paths(trigger)}): {error}; the last good site stays",
                   err=True)
        if self.live is not None:
            self.live.publish((), {ALL_PAGES: (Finding("", 1, 1, "build", "error", str(error), ""),)})

    def _errors(self, result) -> None:  # type: ignore[no-untyped-def]
        """Print the broken files' errors not printed before, and hand them all to the pages."""
        from goalsite.serve import ALL_PAGES

        # SPEC §6: a broken file (a format error, F-code) is shown; lint advice stays in `lint`.
        broken = tuple(f for f in result.findings if f.severity == "error" and f.code.startswith("F"))
        for finding in broken:
            if finding not in self.shown:
                click.echo(f"{finding.path}:{finding.line}:{finding.column}: {finding.code} "
                           f"{finding.message}", err=True)
        self.shown = frozenset(broken)
        if self.live is None:
            return
        by_page: dict[str, list[object]] = {}
        for finding in broken:
            page = self.builder.pages_by_source.get(finding.path, ALL_PAGES)
            by_page.setdefault(page, []).append(finding)
        self.live.publish((*result.files_written, *result.files_deleted), by_page)


def run() -> None:
    """Entry point that turns GoalsiteError into its message and exit code."""
    try:
        main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except GoalsiteError as error:
        click.echo(f"goalsite: {error}", err=True)
        sys.exit(error.exit_code)
