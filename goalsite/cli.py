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
@click.pass_obj
def build(invocation: Invocation, vault: Path, output: Path | None, strict: bool) -> None:
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
        result = build_site(vault, output, today, strict=strict, on_progress=on_progress)
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
    from rich.progress import Progress

    with Progress(transient=True) as bar:
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

    loaded, progress, history = _progress_of(invocation, vault)
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
    from goalsite.history import cache_folder, load_with_history

    return load_with_history(vault, cache_dir=cache_folder(vault, create=False))


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
@click.option("--statistics", is_flag=True, help="Print a count per code, most frequent first.")
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
    unknown = linter.engine.unknown_codes((*select, *ignore))
    if unknown:
        raise UsageError(f"no rule matches {', '.join(unknown)}: `goalsite lint --list-rules` lists them")
    loaded, history = _load(vault)
    today = invocation.today(loaded.config.today)
    result = linter.lint_vault(loaded, today, select=select, ignore=ignore,
                               history=history.goals(goal.path for goal in loaded.goals))
    if statistics and output_format == "text":
        click.echo(report.render_statistics(result), nl=False)
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
