"""The command line: parse options, call one library function, print, set the exit code.

Heavy imports happen inside each command so that `goalsite --help` starts fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
import sys
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
    from goalsite.load import load_vault

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
    loaded = load_vault(vault)
    today = invocation.today(loaded.config.today)
    result = linter.lint_vault(loaded, today, select=select, ignore=ignore)
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
