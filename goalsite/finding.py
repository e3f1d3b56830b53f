"""The one record every problem becomes: a `Finding` (STYLE: findings are records)."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place: sorted by path, line, column, then code.

    `path` is relative to the vault and `/`-separated; `line` and `column` are 1-based and
    point at the offending key or value; `fix` is one imperative sentence with an example.
    """

    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    fix: str

    @property
    def letter(self) -> str:
        """The S.M.A.R.T. letter (or F, J) of the rule, from its code."""
        return self.code[:1]


# The order of findings as a key (`sorted(findings, key=finding_order)`), the same as comparing
# them: a tuple made once per finding compares in C, where `Finding.__lt__` makes two tuples for
# each comparison (a large vault sorts tens of thousands of findings).
finding_order = attrgetter("path", "line", "column", "code", "severity", "message", "fix")
