"""The S.M.A.R.T. linter (SPEC §4): `lint_vault(vault, today) -> LintReport`."""

from __future__ import annotations

from goalsite.lint.engine import LintReport, lint_vault
from goalsite.lint.registry import RULES, Rule, all_rules, get_rule

__all__ = ["RULES", "LintReport", "Rule", "all_rules", "get_rule", "lint_vault"]
