"""The one list of lint rules: `@rule(code, severity, summary)` registers a small function.

A rule reads one goal (or one journal entry) and the lint `Context`, and yields `Hit`s; the
engine turns each hit into a `Finding` with the file's path, the position of `Hit.at`, the
rule's code and its configured severity. A rule's docstring is its documentation, in the shape
of ruff's rule pages: what it does, why it matters, a failing and a passing example file
(`goalsite lint --explain CODE`, docs/rules.md).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from goalsite.finding import Severity
from goalsite.model import KeyPath

if TYPE_CHECKING:
    from goalsite.lint.engine import Context
    from goalsite.model import Entry, Goal

# What a rule reads: a goal, a journal entry, or nothing (the loader emits its codes itself).
Scope = Literal["goal", "entry", "loader"]

# The letters in the order of the acronym; F (format) and J (journal) stand outside it.
SMART = ("S", "M", "A", "R", "T")
LETTERS: Mapping[str, str] = {
    "F": "Format",
    "S": "Specific",
    "M": "Measurable",
    "A": "Achievable",
    "R": "Relevant",
    "T": "Time-bound",
    "J": "Journal",
}


class Hit(NamedTuple):
    """What a rule found: the message (quoting the user's value), the fix (one imperative
    sentence with an example), and where: a key path into the front matter, or None for
    "the whole file" (a missing field points at the front matter's first line).

    `on_value` points at the key's value rather than the key; `goal` names the goal an entry's
    hit is about (for that goal's S.M.A.R.T. card).
    """

    message: str
    fix: str
    at: KeyPath | None = None
    on_value: bool = False
    goal: str | None = None


GoalCheck = Callable[["Goal", "Context"], Iterator[Hit]]
EntryCheck = Callable[["Entry", "Context"], Iterator[Hit]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: its code, default severity, summary, documentation and check."""

    code: str
    severity: Severity
    summary: str
    scope: Scope
    check: Callable[[Any, Context], Iterator[Hit]] | None
    doc: str
    # A kebab-case name from the function, like `vague-title` (SARIF's `name`).
    name: str
    # Progress rules judge how a goal is going, so they read only active goals (see engine).
    progress: bool = False

    @property
    def letter(self) -> str:
        return self.code[0]


RULES: dict[str, Rule] = {}


def rule(
    code: str, severity: Severity, summary: str, *, scope: Scope = "goal", progress: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as the rule `code` (like `S002`)."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        if code in RULES:
            raise ValueError(f"rule {code} is registered twice")
        if len(code) != 4 or code[0] not in LETTERS or not code[1:].isdigit():
            raise ValueError(f"rule code {code!r} must be a letter of {''.join(LETTERS)} and 3 digits")
        RULES[code] = Rule(
            code=code, severity=severity, summary=summary, scope=scope,
            check=None if scope == "loader" else function,
            doc=inspect.cleandoc(function.__doc__ or ""), name=function.__name__.replace("_", "-"),
            progress=progress,
        )
        return function

    return register


def all_rules() -> tuple[Rule, ...]:
    """Every rule, by code, with every letter's module imported."""
    _import_rule_modules()
    return tuple(RULES[code] for code in sorted(RULES, key=_code_order))


def get_rule(code: str) -> Rule | None:
    _import_rule_modules()
    return RULES.get(code.strip().upper())


def _import_rule_modules() -> None:
    # Importing a letter's module runs its @rule decorators; the import order does not matter.
    from goalsite.lint import (  # noqa: F401
        achievable,
        format,
        journal,
        measurable,
        relevant,
        specific,
        timebound,
    )


def _code_order(code: str) -> tuple[int, str]:
    return ("FSMARTJ".index(code[0]), code)


def quoted(text: object) -> str:
    """A user's value as we quote it in a message: `"Get better at presenting"`."""
    shown = str(text).replace("\n", " ").strip()
    if len(shown) > 80:
        shown = shown[:77] + "…"
    return f'"{shown}"'


def closest(word: str, options: Iterable[str]) -> str | None:
    """The option `word` most likely misspells, if one is close enough."""
    import difflib

    found = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return found[0] if found else None
