"""The example vault shows every pace of SPEC §3 and lints clean except for its draft goal."""

from __future__ import annotations

import json

from goalsite.load import load_vault
from goalsite.progress import evaluate
from goalsite.dates import parse_date
from tests.conftest import EXAMPLE_VAULT, TODAY, run_goalsite

# The hand arithmetic of example-vault/README.md: goal id → (pace, progress to 3 places).
EXPECTED = {
    "company-presentations": ("ahead", 0.9),
    "director-of-engineering": ("ahead", 0.524),
    "excel-course": ("overdue", 0.75),
    "financial-modelling": ("on-track", 0.444),
    "get-better-at-networking": ("no-data", None),
    "leadership-program": ("on-track", 0.6),
    "pmp-certification": ("behind", 0.326),
    "shadow-senior-leaders": ("achieved", 1.0),
    "stress-meditation": ("on-track", 0.693),
    "team-budget-model": ("not-started", 0.0),
    "toastmasters-june": ("achieved", 1.0),
    "toastmasters-november": ("achieved", 1.0),
    "work-hours": ("at-risk", 0.6),
}


def test_every_pace_state_as_worked_by_hand() -> None:
    vault = load_vault(EXAMPLE_VAULT)
    progress = evaluate(vault, parse_date(TODAY))
    found = {}
    for goal in vault.goals:
        result = progress.goal(goal.id)
        share = None if result.progress is None else round(result.progress, 3)
        found[goal.id] = (result.pace, share)
    assert found == EXPECTED
    assert vault.findings == ()
    assert len(vault.entries) >= 40
    assert progress.reviews_due() == ()


def test_only_the_draft_goal_has_findings() -> None:
    result = run_goalsite("lint", str(EXAMPLE_VAULT), "--format", "json")
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)
    assert {(f["path"], f["code"]) for f in findings} == {
        ("goals/career/get-better-at-networking.md", code)
        for code in ("A001", "A002", "M001", "R001", "S002", "S004", "T001")
    }


def test_the_pinned_date_makes_the_demo_reproducible() -> None:
    pinned = run_goalsite("status", str(EXAMPLE_VAULT))
    explicit = run_goalsite("--today", TODAY, "status", str(EXAMPLE_VAULT))
    assert pinned.returncode == 0, pinned.stderr
    assert pinned.stdout == explicit.stdout
    assert f"status on {TODAY}" in pinned.stdout


def test_the_demo_does_not_depend_on_the_files_dates(tmp_path) -> None:
    """A clone made on another day gives files other dates: nothing shown may follow them."""
    import io
    import os
    import shutil

    from rich.console import Console

    from goalsite.export import goals_document, to_json
    from goalsite.lint import lint_vault
    from goalsite.terminal import render_review, render_status

    today = parse_date("2027-02-10")
    shown = []
    for name, stamp in (("today", None), ("later", 1893456000)):  # 2030-01-01
        copy = tmp_path / name / "example-vault"
        shutil.copytree(EXAMPLE_VAULT, copy, ignore=shutil.ignore_patterns("_site", ".goalsite-cache"))
        for path in copy.rglob("*"):
            os.utime(path, None if stamp is None else (stamp, stamp))
        vault = load_vault(copy)
        progress = evaluate(vault, today)
        report = lint_vault(vault, today, progress=progress)
        screen = Console(file=io.StringIO(), width=100, color_system=None)
        render_status(screen, vault, progress)
        render_review(screen, vault, progress)
        shown.append((screen.file.getvalue(), [(f.path, f.line, f.column, f.code, f.message) for f in report.findings],
                      to_json(goals_document(vault, progress, report, today))))
    assert shown[1] == shown[0]
