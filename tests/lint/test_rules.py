"""Every rule against its own documented examples: the failing file gives exactly the
expected (path, line, column), the passing file gives no finding of that code."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalsite.lint import all_rules, get_rule
from tests.lint.examples import examples, lint_files

# code → where its failing example is reported: (path, line, column), one per finding.
EXPECTED: dict[str, tuple[tuple[str, int, int], ...]] = {
    "F001": (("goals/presenting.md", 4, 1),),
    "F002": (("goals/presenting.md", 3, 9),),
    "F003": (("goals/presenting.md", 3, 6),),
    "F004": (("goals/presenting.md", 4, 1),),
    "F005": (("goals/2027/presenting.md", 1, 1),),
    "F006": (("goals/presenting.md", 2, 5),),
    "F007": (("goals/presenting.md", 1, 1),),
    "F008": (("goals/presenting.md", 2, 1),),
    "F010": (("goals/presenting.md", 3, 1),),
    "F011": (("goalsite.toml", 1, 1),),
    "F012": (("goals/presenting.md", 2, 8),),
    "F014": (("goals/presenting.md", 3, 11),),
    "S001": (("goals/presenting.md", 1, 1),),
    "S002": (("goals/presenting.md", 2, 8),),
    "S003": (("goals/presenting.md", 1, 1),),
    "S004": (("goals/presenting.md", 3, 11),),
    "M001": (("goals/presenting.md", 1, 1),),
    "M002": (("goals/presenting.md", 4, 5),),
    "M003": (("goals/working-hours.md", 4, 5),),
    "M004": (("goals/presenting.md", 6, 5),),
    "M005": (("goals/presenting.md", 4, 5),),
    "M006": (("journal/2026-03-02.md", 4, 10),),
    "M007": (("journal/2026-03-02.md", 4, 17),),
    "A001": (("goals/presenting.md", 1, 1),),
    "A002": (("goals/presenting.md", 1, 1),),
    "A003": (("goals/presenting.md", 9, 5),),
    "A004": (("goals/mentoring.md", 3, 1), ("goals/presenting.md", 3, 1)),
    "R001": (("goals/presenting.md", 1, 1),),
    "R002": (("goals/presenting.md", 3, 9),),
    "R003": (("goals/presenting.md", 4, 9),),
    "R004": (("goals/presenting.md", 3, 9), ("goals/visibility.md", 3, 9)),
    "R005": (("goals/presenting.md", 4, 6),),
    "T001": (("goals/presenting.md", 1, 1),),
    "T002": (("goals/presenting.md", 4, 6),),
    "T003": (("goals/presenting.md", 3, 10),),
    "T004": (("goals/presenting.md", 1, 1),),
    "T005": (("goals/presenting.md", 4, 6),),
    "T006": (("goals/certification.md", 4, 6),),
    "T007": (("goals/presenting.md", 5, 1),),
    "J001": (("journal/2026-03-02.md", 3, 7),),
    "J002": (("journal/2026-12-02.md", 2, 7),),
    "J003": (("journal/2026-02-02.md", 2, 7),),
}
# Their examples are not files one can write in Markdown; tests/lint/test_format.py has them,
# and tests/test_history.py has T008's (a git history).
WITHOUT_FILE_EXAMPLES = {"F009", "F013", "T008"}


def test_every_rule_has_an_expectation() -> None:
    codes = {rule.code for rule in all_rules()}
    assert set(EXPECTED) | WITHOUT_FILE_EXAMPLES == codes


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_the_failing_example_is_reported_where_expected(code: str, tmp_path: Path) -> None:
    rule = get_rule(code)
    assert rule is not None
    failing, _ = examples(rule)
    report = lint_files(tmp_path, failing)
    found = tuple((f.path, f.line, f.column) for f in report.findings if f.code == code)
    assert found == EXPECTED[code]
    assert all(f.severity == rule.severity for f in report.findings if f.code == code)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_the_passing_example_is_not_reported(code: str, tmp_path: Path) -> None:
    rule = get_rule(code)
    assert rule is not None
    _, passing = examples(rule)
    assert passing, f"{code} documents no passing example file"
    report = lint_files(tmp_path, passing)
    assert [f for f in report.findings if f.code == code] == []


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_every_rule_documents_what_why_and_two_examples(rule) -> None:
    for part in ("**What it does.**", "**Why it matters.**", "**Failing example**",
                 "**Passing example**"):
        assert part in rule.doc, f"{rule.code} lacks {part}"
