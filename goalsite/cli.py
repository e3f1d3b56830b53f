"""The command line: parse options, call one library function, print, set the exit code.

Heavy imports happen inside each command so that `goalsite --help` starts fast.
"""

from __future__ import annotations

import datetime as dt
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
