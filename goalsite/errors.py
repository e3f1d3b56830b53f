"""Exceptions for the environment and for usage; each carries its exit code.

Bad input in a user's file is never an exception: it is a `Finding` (see finding.py).
"""

from __future__ import annotations


class GoalsiteError(Exception):
    """A failure that ends the command with a message and `exit_code`."""

    exit_code = 1


class UsageError(GoalsiteError):
    """The command line or the vault cannot be used: a wrong option, an unreadable vault."""

    exit_code = 2


class RefusedError(GoalsiteError):
    """goalsite refuses to touch something it did not create (SPEC §8)."""

    exit_code = 2
