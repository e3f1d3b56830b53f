"""The engine: which rules run (config, command line, a file's lint.ignore), severities,
drafts, and each goal's S.M.A.R.T. letters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from goalsite.config import LintConfig
from goalsite.lint import lint_vault
from goalsite.lint.engine import Selection, selection_for, unknown_codes
from goalsite.load import load_vault
from tests.lint.examples import TODAY

REFERENCE = Path(__file__).parent / "reference"

VAGUE = """\
---
title: Get better at presenting
horizon: quarterly
---
"""


def codes(root: Path, **options) -> list[tuple[str, str, int, int, str]]:
    report = lint_vault(load_vault(root), TODAY, **options)
    return [(f.code, f.path, f.line, f.column, f.severity) for f in report.findings]


def test_the_reference_goal_has_no_finding_at_all(tmp_path: Path) -> None:
    shutil.copytree(REFERENCE, tmp_path, dirs_exist_ok=True)
    report = lint_vault(load_vault(tmp_path), TODAY)
    assert report.findings == ()
    assert report.smart("present-at-all-hands") == "S·M·A·R·T"
    assert report.letters_ok("present-at-all-hands") == ("S", "M", "A", "R", "T")
    assert report.findings_by_letter("present-at-all-hands") == {}


def test_a_vague_goal_scores_each_letter_with_a_warning(tmp_path: Path, write) -> None:
    write("goals/presenting.md", VAGUE)
    report = lint_vault(load_vault(tmp_path), TODAY)
    # S003/S002, M001, A001, R001, T001: every letter has a warning; A002/T004 are info.
    assert report.smart("presenting") == "–·–·–·–·–"
    assert report.letters_ok("presenting") == ()
    by_letter = report.findings_by_letter("presenting")
    assert list(by_letter) == ["S", "M", "A", "R", "T"]
    assert [f.code for f in by_letter["A"]] == ["A001", "A002"]


def test_info_does_not_cost_a_letter(tmp_path: Path, write) -> None:
    shutil.copytree(REFERENCE, tmp_path, dirs_exist_ok=True)
    goal = tmp_path / "goals/present-at-all-hands.md"
    goal.write_text(goal.read_text().replace("    unit: presentations\n", ""))
    report = lint_vault(load_vault(tmp_path), TODAY)
    assert [(f.code, f.severity) for f in report.findings] == [("M005", "info")]
    assert report.smart("present-at-all-hands") == "S·M·A·R·T"


def test_journal_findings_count_for_the_goal_they_are_about(tmp_path: Path, write) -> None:
    shutil.copytree(REFERENCE, tmp_path, dirs_exist_ok=True)
    write("journal/2026-11-10.md", """\
        ---
        date: 2026-11-10
        goal: present-at-all-hands
        values: {talk: 1}
        ---
        """)
    report = lint_vault(load_vault(tmp_path), TODAY)
    assert [(f.code, f.path, f.line, f.column) for f in report.findings] == [
        ("M006", "journal/2026-11-10.md", 4, 10),
    ]
    assert report.smart("present-at-all-hands") == "S·–·A·R·T"
    assert report.for_path("journal/2026-11-10.md") == report.findings
    assert report.for_path("goals/present-at-all-hands.md") == ()


def test_select_and_ignore_from_config_by_longest_prefix(tmp_path: Path, write) -> None:
    write("goals/presenting.md", VAGUE)
    write("goalsite.toml", """\
        [lint]
        select = ["S", "T001"]
        ignore = ["S00", "S002"]
        """)
    # S00 (3) beats S (1) for S001-S004, but T001 is selected and ignored by nothing.
    assert [c[0] for c in codes(tmp_path)] == ["T001"]


def test_a_longer_select_wins_over_a_shorter_ignore(tmp_path: Path, write) -> None:
    write("goals/presenting.md", VAGUE)
    write("goalsite.toml", '[lint]\nignore = ["S", "A", "M", "R", "T"]\n')
    assert [c[0] for c in codes(tmp_path, select=["S002"])] == ["S002"]
    # The command line's --ignore adds to the configured ignore.
    assert codes(tmp_path, select=["S002"], ignore=["S002"]) == []


def test_severity_is_regraded_by_prefix(tmp_path: Path, write) -> None:
    write("goals/presenting.md", VAGUE)
    write("goalsite.toml", '[lint]\nselect = ["S002", "T001"]\nseverity = { S = "error", S002 = "info" }\n')
    found = {c[0]: c[4] for c in codes(tmp_path)}
    assert found == {"S002": "info", "T001": "warning"}


def test_severity_applies_to_the_loaders_findings_too(tmp_path: Path, write) -> None:
    write("goals/presenting.md", "---\ntitle: Deliver 5 talks\ndew: 2026-12-31\n---\n")
    write("goalsite.toml", '[lint]\nselect = ["F"]\nseverity = { F010 = "warning" }\n')
    assert codes(tmp_path) == [("F010", "goals/presenting.md", 3, 1, "warning")]


def test_a_files_lint_ignore_silences_codes_there_only(tmp_path: Path, write) -> None:
    write("goals/presenting.md", VAGUE.replace("horizon: quarterly\n",
                                               "horizon: quarterly\nlint: {ignore: [S, A, M, R]}\n"))
    write("goals/mentoring.md", VAGUE.replace("presenting", "mentoring"))
    found = [(c[0], c[1]) for c in codes(tmp_path, select=["S002", "T001"])]
    assert found == [("T001", "goals/mentoring.md"), ("S002", "goals/mentoring.md"),
                     ("T001", "goals/presenting.md")]


def test_a_files_lint_ignore_silences_the_loaders_codes_too(tmp_path: Path, write) -> None:
    write("goals/presenting.md", "---\ntitle: Give 5 talks\nmood: keen\nlint: {ignore: [f010, t0]}\n---\n")
    write("goals/other.md", "---\ntitle: Give 5 talks\nmood: keen\n---\n")
    write("journal/2026-12-02.md", "---\ndate: 2026-12-02\ngoal: presenting\n---\n")
    found = [(c[0], c[1], c[2]) for c in codes(tmp_path, select=["F010", "T001", "J002"])]
    # the entry's J002 is in the entry's file: the goal's `lint.ignore` does not reach it
    assert found == [("T001", "goals/other.md", 1), ("F010", "goals/other.md", 3),
                     ("J002", "journal/2026-12-02.md", 2)]


def test_an_entrys_lint_ignore_silences_codes_in_that_entry_only(tmp_path: Path, write) -> None:
    write("goals/presenting.md", "---\ntitle: Give 5 talks\n---\n")
    write("journal/2026-12-02.md", "---\ndate: 2026-12-02\ngoal: presenting\nlint: {ignore: [j002, F010]}\n"
                                   "mood: keen\n---\n")
    write("journal/2026-12-03.md", "---\ndate: 2026-12-03\ngoal: presenting\nmood: keen\n---\n")
    found = [(c[0], c[1], c[2]) for c in codes(tmp_path, select=["F", "J002"])]
    # `lint` is an entry field (no F010 for it); the ignored codes stay silent in that file only
    assert found == [("J002", "journal/2026-12-03.md", 2), ("F010", "journal/2026-12-03.md", 4)]
    assert load_vault(tmp_path).entries[0].lint_ignore == ("J002", "F010")


def test_a_draft_is_linted_but_its_errors_are_warnings(tmp_path: Path, write) -> None:
    write("goals/presenting.md", """\
        ---
        title: Deliver 5 company presentations
        status: draft
        parent: nowhere
        start: 2026-09-01
        due: 2026-03-31
        ---
        """)
    found = codes(tmp_path, select=["R002", "T002", "T007"])
    assert found == [("R002", "goals/presenting.md", 4, 9, "warning"),
                     ("T002", "goals/presenting.md", 6, 6, "warning")]


@pytest.mark.parametrize("status", ["draft", "paused", "achieved", "missed", "dropped"])
def test_progress_rules_read_only_active_goals(tmp_path: Path, write, status: str) -> None:
    write("goals/presenting.md", f"""\
        ---
        title: Deliver 5 company presentations
        status: {status}
        start: 2026-01-05
        due: 2026-09-30
        ---
        """)
    assert codes(tmp_path, select=["T005", "T007"]) == []


def test_selection_decides_like_flake8() -> None:
    selection = Selection(select=("S", "T001"), ignore=("S00", "T"))
    assert [code for code in ("S001", "S010", "T001", "T002", "M001")
            if selection.enabled(code)] == ["S010", "T001"]
    assert Selection().enabled("A003")
    assert not Selection(ignore=("A",)).enabled("A003")
    assert Selection(select=("ALL",), ignore=("A",)).enabled("S001")


def test_command_line_select_replaces_the_configured_one() -> None:
    settings = LintConfig(select=("S",), ignore=("M",))
    selection = selection_for(settings, select=["t001,t002"], ignore=["A"])
    assert selection.select == ("T001", "T002")
    assert selection.ignore == ("M", "A")


def test_unknown_codes_are_named() -> None:
    assert unknown_codes(["S", "T0", "X999", "s001,Q"]) == ("X999", "Q")


def test_messages_are_one_printable_line(tmp_path: Path, write) -> None:
    """A message quotes the user's value: a line break in it would split the finding, an
    escape sequence would repaint the terminal, a bidi override would reorder the line."""
    write("goals/f.md", '---\nid: "a\\nb"\ntitle: Deliver 5 talks\n---\n')
    write("goals/g.md", '---\ntitle: "Get better \\e[H at \\u202eit"\n---\n')
    report = lint_vault(load_vault(tmp_path), TODAY, select=["F006", "S002"])
    assert [(f.code, f.message) for f in report.findings] == [
        ("F006", "id: a b is not lowercase letters, digits and hyphens"),
        ("S002", 'title "Get better \\u001b[H at \\u202eit" is vague: "get better" says which '
                 "direction, but nothing says how much or when it is done"),
    ]
    assert all("\n" not in f.fix and "\x1b" not in f.fix for f in report.findings)


EXAMPLE = Path(__file__).parents[2] / "example-vault"


@pytest.mark.parametrize("path, edit", [
    # A goal loses its `specific:` and its measure's target: S and M findings appear on it.
    ("goals/skills/excel-course.md",
     lambda text: text.replace("specific: >", "specific_draft: >").replace("target: 8", "target: x")),
    # An entry's value becomes unreadable and it names a goal that does not exist.
    ("journal/2026/11/2026-11-15-pmp-study.md",
     lambda text: text.replace("goal:", "goals: [no-such-goal]\nold_goal:", 1)),
])
def test_relint_of_the_edited_file_gives_what_linting_everything_gives(tmp_path: Path, path, edit) -> None:
    """Watch mode's first look at a save (relint) re-lints only the saved file; for rules about
    that file alone it agrees with a full lint, finding for finding."""
    from goalsite.lint.engine import relint
    from goalsite.progress import evaluate

    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns("_site", ".goalsite-cache"))
    before = lint_vault(load_vault(vault), TODAY)
    edited = vault / path
    edited.write_text(edit(edited.read_text(encoding="utf-8")), encoding="utf-8")
    after = load_vault(vault)
    full = lint_vault(after, TODAY)
    assert full.findings != before.findings
    changed = [item for item in (*after.goals, *after.entries) if item.path == path]
    again = relint(before, after, TODAY, progress=evaluate(after, TODAY), changed=changed)
    assert again == full
    assert (again.by_path, again.goals_of_path) == (full.by_path, full.goals_of_path)
