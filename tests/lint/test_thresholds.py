"""Every threshold SPEC §4 names as a default comes from goalsite.toml: the default reports,
a looser setting silences, a stricter one reports (issue 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalsite.config import HORIZON_SPANS, parse_config
from goalsite.lint import lint_vault
from goalsite.load import load_vault
from tests.lint.examples import TODAY

GOAL = "goals/g.md"


def found(root: Path, code: str) -> list[tuple[str, int, int]]:
    report = lint_vault(load_vault(root), TODAY, select=[code])
    return [(f.path, f.line, f.column) for f in report.findings]


def configure(write, toml: str) -> None:
    write("goalsite.toml", toml)


PACE_GOAL = """\
    ---
    title: Deliver 10 company presentations
    start: 2026-01-05
    due: 2026-12-31
    measures:
      - key: talks
        aggregate: sum
        baseline: 0
        target: 10
    ---
    """
# 8 talks in the 38 days left against 2 in the 322 days gone: 33.9× the pace so far.
PACE_ENTRY = "---\ndate: 2026-05-04\ngoal: g\nvalues: {talks: 2}\n---\n"


@pytest.mark.parametrize(("setting", "expected"), [
    ("", [(GOAL, 9, 5)]),
    ("[lint]\npace_factor = 30\n", [(GOAL, 9, 5)]),
    ("[lint]\npace_factor = 40\n", []),
], ids=["default-3x", "30x", "40x"])
def test_pace_factor(tmp_path: Path, write, setting: str, expected) -> None:
    write(GOAL, PACE_GOAL)
    write("journal/2026-05-04.md", PACE_ENTRY)
    configure(write, setting)
    assert found(tmp_path, "A003") == expected


BUFFER_GOAL = "---\ntitle: Pass the exam\nstart: 2026-01-05\ndue: {due}\ndeadline: 2026-06-30\n---\n"


@pytest.mark.parametrize(("due", "setting", "expected"), [
    # 5 days of 176 (2.8%) against the default 20%.
    ("2026-06-25", "", [(GOAL, 4, 6)]),
    ("2026-06-25", "[lint]\nmin_buffer = 0.02\n", []),
    # 39 days of 176 (22%): enough for 20%, not for 30%.
    ("2026-05-22", "", []),
    ("2026-05-22", "[lint]\nmin_buffer = 0.3\n", [(GOAL, 4, 6)]),
], ids=["tight-default", "tight-2pc", "22pc-default", "22pc-30pc"])
def test_min_buffer(tmp_path: Path, write, due: str, setting: str, expected) -> None:
    write(GOAL, BUFFER_GOAL.format(due=due))
    configure(write, setting)
    assert found(tmp_path, "T006") == expected


def test_the_buffer_fix_keeps_the_configured_share(tmp_path: Path, write) -> None:
    write(GOAL, BUFFER_GOAL.format(due="2026-06-25"))
    configure(write, "[lint]\nmin_buffer = 0.5\n")
    report = lint_vault(load_vault(tmp_path), TODAY, select=["T006"])
    assert [f.fix for f in report.findings] == [
        "Plan to finish earlier, like `due: 2026-04-03`, to keep 50% of the time as a buffer."]


@pytest.mark.parametrize(("setting", "expected"), [
    ("", []),
    ("[lint]\nmax_active_per_horizon = 1\n", [("goals/a.md", 3, 1), ("goals/b.md", 3, 1)]),
], ids=["default-3", "1"])
def test_max_active_per_horizon(tmp_path: Path, write, setting: str, expected) -> None:
    for name in ("a", "b"):
        write(f"goals/{name}.md", f"---\ntitle: Goal {name}\nhorizon: quarterly\n---\n")
    configure(write, setting)
    assert found(tmp_path, "A004") == expected


# 120 days for a quarterly goal.
SPAN_GOAL = "---\ntitle: G\nhorizon: quarterly\nstart: 2026-01-05\ndue: 2026-05-05\n---\n"


@pytest.mark.parametrize(("setting", "expected"), [
    ("", []),
    ("[lint]\nhorizon_slack = 0.2\n", [(GOAL, 3, 10)]),
    ('[lint]\nhorizon_slack = 0\n[lint.horizons]\nquarterly = ["3m", "4m"]\n', []),
    ('[lint]\nhorizon_slack = 0.2\n[lint.horizons]\nquarterly = "17w"\n', []),
    ('[lint.horizons]\nquarterly = "30d"\n', [(GOAL, 3, 10)]),
], ids=["default", "slack-20pc", "3-to-4-months", "17-weeks", "30-days"])
def test_horizon_spans_and_slack(tmp_path: Path, write, setting: str, expected) -> None:
    write(GOAL, SPAN_GOAL)
    configure(write, setting)
    assert found(tmp_path, "T003") == expected


def test_a_configured_span_is_named_in_the_message(tmp_path: Path, write) -> None:
    write(GOAL, SPAN_GOAL)
    configure(write, '[lint.horizons]\nquarterly = "30d"\nlong-term = ["2y", "5y"]\n')
    report = lint_vault(load_vault(tmp_path), TODAY, select=["T003"])
    assert [(f.message, f.fix) for f in report.findings] == [(
        "a quarterly goal spans about 30 days, but this one spans 120 days (2026-01-05 → 2026-05-05)",
        # No horizon spans 120 days give or take 50% any more: only the due date can move.
        "Make the horizon and the dates agree: move the due date, like `due: 2026-02-04`.",
    )]


def test_the_due_date_offered_follows_the_configured_span(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: G\nhorizon: quarterly\nstart: 2026-01-05\n---\n")
    configure(write, '[lint.horizons]\nquarterly = "13w"\n')
    report = lint_vault(load_vault(tmp_path), TODAY, select=["T001"])
    assert [f.fix for f in report.findings] == [
        "Add the day you plan to finish, like `due: 2026-04-06`."]


@pytest.mark.parametrize(("setting", "expected"), [
    ("", []),
    ('review_every = "30d"\n', [(GOAL, 1, 1)]),
], ids=["default-90d", "30d"])
def test_review_every_default_from_config(tmp_path: Path, write, setting: str, expected) -> None:
    # Started 53 days before TODAY, never reviewed.
    write(GOAL, "---\ntitle: G\nstart: 2026-10-01\ndue: 2026-12-31\n---\n")
    configure(write, setting)
    assert found(tmp_path, "T007") == expected


def test_the_default_spans_are_those_of_spec_2_1() -> None:
    config, findings = parse_config("")
    assert findings == ()
    assert config.lint.horizons == HORIZON_SPANS == {
        "long-term": (365, 1095), "yearly": (365, 365), "quarterly": (90, 90),
        "monthly": (30, 30), "weekly": (7, 7)}


def test_bad_horizon_spans_are_findings_with_their_line() -> None:
    config, findings = parse_config(
        '[lint.horizons]\nquarterly = "soon"\nfortnighly = "14d"\nlong-term = ["3y", "1y"]\n'
        'monthly = "5w"\n')
    assert [(f.code, f.line, f.column) for f in findings] == [
        ("F002", 2, 1), ("F011", 3, 1), ("F002", 4, 1)]
    assert config.lint.horizons == {**HORIZON_SPANS, "monthly": (35, 35)}


def test_horizons_must_be_a_table() -> None:
    config, findings = parse_config('[lint]\nhorizons = "90d"\n')
    assert [(f.code, f.line, f.message) for f in findings] == [
        ("F002", 2, '`horizons` in goalsite.toml must be a table like { quarterly = "90d" }')]
    assert config.lint.horizons == HORIZON_SPANS


def test_codes_in_the_lint_settings_that_match_no_rule(tmp_path: Path, write) -> None:
    """A typo in `select` would silently run nothing; one in `ignore` would silence nothing."""
    write(GOAL, "---\ntitle: Give 5 talks\n---\n")
    configure(write, """\
        [lint]
        select = ["S", "M01", "T", "ALL"]
        ignore = ["A0002", "X"]

        [lint.severity]
        S002 = "error"
        S009 = "info"
        """)
    report = lint_vault(load_vault(tmp_path), TODAY, select=["F"])
    assert [(f.path, f.line, f.column, f.code, f.severity, f.message) for f in report.findings] == [
        ("goalsite.toml", 2, 1, "F002", "error",
         '`lint.select` names "M01", which is not a rule code or prefix — did you mean "M001"?'),
        ("goalsite.toml", 3, 1, "F002", "error",
         '`lint.ignore` names "A0002", which is not a rule code or prefix — did you mean "A002"?'),
        ("goalsite.toml", 3, 1, "F002", "error",
         '`lint.ignore` names "X", which is not a rule code or prefix'),
        ("goalsite.toml", 7, 1, "F002", "error",
         '`lint.severity` names "S009", which is not a rule code or prefix — did you mean "S004"?'),
    ]
    assert report.findings[2].fix == (
        'Write a code or prefix that `goalsite lint --list-rules` shows, like "S".')
    # whatever is selected: a typo in `select` cannot silence the finding about itself
    assert [f.code for f in lint_vault(load_vault(tmp_path), TODAY, select=["S001"]).findings] == [
        "F002"] * 4


def test_an_inline_severity_table_points_at_its_key(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: Give 5 talks\n---\n")
    configure(write, '# comment\n[lint]\nseverity = { S002 = "error", Q1 = "info" }\n')
    report = lint_vault(load_vault(tmp_path), TODAY, select=["F"])
    assert [(f.line, f.column, f.code) for f in report.findings] == [(3, 1, "F002")]


@pytest.mark.parametrize(("setting", "expected"), [
    ("min_buffer = inf", "`min_buffer` in goalsite.toml must be a number from 0 to 1"),
    ("min_buffer = 1.5", "`min_buffer` in goalsite.toml must be a number from 0 to 1"),
    ("pace_factor = nan", "`pace_factor` in goalsite.toml must be a number from 0 to 1000"),
    ("horizon_slack = -0.5", "`horizon_slack` in goalsite.toml must be a number from 0 to 10"),
], ids=["inf", "over-1", "nan", "negative"])
def test_thresholds_must_be_finite_and_in_range(setting: str, expected: str) -> None:
    config, findings = parse_config(f"[lint]\n{setting}\n")
    assert [(f.code, f.line, f.message) for f in findings] == [("F002", 2, expected)]
    assert config.lint == type(config.lint)(positions=config.lint.positions)
