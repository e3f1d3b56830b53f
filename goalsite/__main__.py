"""`python -m goalsite` runs the command line."""

from goalsite.cli import run

run()
