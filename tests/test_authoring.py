"""`goalsite init`, `new goal`, `new entry` and `log` (SPEC §9, issue 8), through the real CLI.

Every refusal is checked to write nothing: the vault's files and bytes are compared before and
after. A vault made only with these commands must lint without a warning and build.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from goalsite.authoring import DEFAULT_DURATION, write_new
from goalsite.config import LINT_KEYS, TOP_LEVEL_KEYS, Config, LintConfig, parse_config
from goalsite.fields import GOAL_FIELDS, MEASURE_FIELDS
from goalsite.scaffold import TEMPLATE_OMITS, config_text, yaml_scalar, yaml_text
from tests.conftest import TODAY, run_goalsite

GOAL = "goals/lead-a-team.md"
ENTRY = "journal/2026/11/2026-11-23-lead-a-team-reflection.md"


def goalsite(*args: str, cwd: Path):  # type: ignore[no-untyped-def]
    return run_goalsite("--today", TODAY, *args, cwd=cwd)


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under `root` with its bytes (None for a folder): what a refusal must keep."""
    return {path.relative_to(root).as_posix(): None if path.is_dir() else path.read_bytes()
            for path in sorted(root.rglob("*"))}


def lint_counts(root: Path) -> tuple[int, dict[str, list[str]]]:
    """The lint exit code and the codes found, by severity."""
    result = goalsite("lint", "--format", "json", cwd=root)
    found: dict[str, list[str]] = {"error": [], "warning": [], "info": []}
    for finding in json.loads(result.stdout):
        found[finding["severity"]].append(f"{finding['code']} {finding['path']}")
    return result.returncode, found


@pytest.fixture(scope="module")
def made_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault fresh from `goalsite init`, made once; refusal tests share it (they write
    nothing, which each of them checks)."""
    root = tmp_path_factory.mktemp("init")
    result = goalsite("init", "vault", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "vault"


@pytest.fixture
def vault(made_vault: Path, tmp_path: Path) -> Path:
    """A copy of the fresh vault of `goalsite init`, to write in."""
    copy = tmp_path / "vault"
    shutil.copytree(made_vault, copy)
    return copy


# -- init ---------------------------------------------------------------------------------------

def test_init_writes_a_vault_that_lints_clean_and_builds(tmp_path: Path) -> None:
    result = goalsite("init", "my-goals", "--owner", "Alex Morgan", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == textwrap.dedent(f"""\
        created my-goals/goalsite.toml
        created my-goals/{GOAL}
        created my-goals/{ENTRY}
        created my-goals/.gitignore
        created my-goals/README.md

        Next: cd my-goals && goalsite lint && goalsite build, then open _site/index.html
        """)
    root = tmp_path / "my-goals"
    assert (root / ".gitignore").read_text().splitlines()[1:] == ["_site/", ".goalsite-cache/"]
    code, found = lint_counts(root)
    assert (code, found["error"], found["warning"]) == (0, [], [])
    built = goalsite("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert (root / "_site" / "index.html").is_file()


def test_init_config_lists_every_key_and_reads_back_as_the_defaults() -> None:
    text = config_text()
    for key in [*TOP_LEVEL_KEYS, *LINT_KEYS]:
        if key == "lint":
            assert "\n[lint]\n" in text
            continue
        lines = [line for line in text.splitlines() if line.lstrip("# ").startswith(f"{key} =")]
        assert len(lines) == 1, key
    config, findings = parse_config(text)
    # `positions` records where [lint] settings stand in the file, not a setting.
    assert (replace(config, lint=replace(config.lint, positions={})), findings) == (Config(), ())
    config, findings = parse_config(config_text(title="T", owner="Alex \"A\" Morgan", coach="Sam"))
    assert findings == ()
    assert (config.title, config.owner, config.coach, replace(config.lint, positions={})) == (
        "T", 'Alex "A" Morgan', "Sam", LintConfig())


def test_init_keeps_files_that_exist_and_writes_the_rest(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("my repository\n")
    (tmp_path / ".gitignore").write_text("*.pyc\n")
    result = goalsite("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "kept    .gitignore (exists; not changed)\nkept    README.md (exists; not changed)\n" \
        in result.stdout
    assert (tmp_path / "README.md").read_text() == "my repository\n"
    assert (tmp_path / ".gitignore").read_text() == "*.pyc\n"
    assert (tmp_path / GOAL).is_file()


@pytest.mark.parametrize("existing", [
    pytest.param({"goalsite.toml": "title = \"Mine\"\n"}, id="config"),
    pytest.param({"goals/talks.md": "---\ntitle: Talks\n---\n"}, id="a-goal"),
    pytest.param({"journal/2026/note.md": "---\ndate: 2026-01-02\n---\n"}, id="an-entry"),
])
def test_init_refuses_a_folder_that_holds_a_vault(tmp_path: Path, existing: dict[str, str]) -> None:
    for relative, text in existing.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    before = snapshot(tmp_path)
    result = goalsite("init", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (f"goalsite: . already holds a vault ({next(iter(existing))}); goalsite "
                             "init changes nothing there — use `goalsite new goal` to add a goal\n")
    assert snapshot(tmp_path) == before


def test_a_folder_that_cannot_be_made_is_a_usage_error(made_vault: Path, tmp_path: Path) -> None:
    shutil.copytree(made_vault, tmp_path / "v")
    (tmp_path / "v/goals/work").write_text("a file where a folder would go\n")
    before = snapshot(tmp_path / "v")
    result = goalsite("new", "goal", "X", "--category", "work", cwd=tmp_path / "v")
    assert (result.returncode, result.stderr) == (
        2, "goalsite: cannot make the folder goals/work: File exists\n")
    assert snapshot(tmp_path / "v") == before


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("x")
    result = goalsite("init", "notes", cwd=tmp_path)
    assert result.returncode == 2
    assert (tmp_path / "notes").read_text() == "x"


# -- a vault made only with init, new and log ----------------------------------------------------

def test_a_vault_made_with_the_commands_lints_clean_and_builds(vault: Path) -> None:
    steps = [
        ("new", "goal", "Mentor 2 junior engineers to their first promotion case",
         "--parent", "lead-a-team", "--category", "leadership",
         "--specific", "I will mentor two junior engineers on my team every two weeks, so "
                       "that both can make a promotion case in the next cycle.",
         "--measure", "Promotion cases ready", "--unit", "cases", "--baseline", "0",
         "--target", "2", "--aggregate", "sum",
         "--achievable", "I already pair with both of them twice a week.",
         "--resource", "An hour every two weeks with each of them",
         "--relevant", "Mentoring is what a team lead does every day."),
        ("new", "goal", "Run 6 mentoring sessions: the first quarter",
         "--parent", "mentor-2-junior-engineers-to-their-first", "--id", "sessions",
         "--specific", "I will hold six mentoring sessions with Ana and Ben by February, "
                       "because regular time is what makes mentoring work.",
         "--measure", "Sessions held", "--unit", "sessions", "--baseline", "0", "--target", "6",
         "--aggregate", "sum", "--achievable", "Both asked for it; the slots are booked.",
         "--resource", "A booked meeting room", "--relevant", "The sessions are the mentoring."),
        ("log", "sessions", "sessions-held=1", "-m", "First session with Ana.", "--confidence", "4"),
        ("log", "sessions", "1", "--date", "2026-11-23"),
        ("log", "lead-a-team", "team-size=0"),
        ("new", "entry", "lead-a-team", "--kind", "review"),
        ("new", "entry", "sessions"),
    ]
    for step in steps:
        result = goalsite(*step, "--vault", str(vault), cwd=vault.parent)
        assert result.returncode == 0, (step, result.stderr)
    code, found = lint_counts(vault)
    assert (code, found["error"], found["warning"]) == (0, [], [])
    built = goalsite("build", cwd=vault)
    assert built.returncode == 0, built.stderr
    assert "built " in built.stdout
    assert (vault / "_site" / "index.html").is_file()


# -- new goal -----------------------------------------------------------------------------------

def test_new_goal_template_has_every_field_with_its_description(vault: Path) -> None:
    result = goalsite("new", "goal", "Deliver 5 company presentations", cwd=vault)
    assert (result.returncode, result.stdout, result.stderr) == (
        0, "goals/deliver-5-company-presentations.md\n", "")
    text = (vault / "goals/deliver-5-company-presentations.md").read_text()
    front = yaml.safe_load(text.split("---\n")[1])
    expected = [field.name for field in GOAL_FIELDS if field.name not in TEMPLATE_OMITS]
    assert sorted(front) == sorted(expected)
    assert front["measures"] is None  # commented out: uncommented, it is one measure
    skeleton = "\n".join(line.replace("  # ", "  ", 1) for line in text.splitlines()
                         if line.startswith("  # ") and not line.startswith("  # Remove")
                         and not line.startswith("  # comes"))
    assert skeleton.startswith("  - key:")
    assert sorted(yaml.safe_load(skeleton)[0]) == sorted(field.name for field in MEASURE_FIELDS)
    for field in (*GOAL_FIELDS, *MEASURE_FIELDS):
        if field.name not in TEMPLATE_OMITS:
            assert f"# {field.description}" in text, field.name
    assert (front["horizon"], front["start"], front["due"], front["review_every"]) == (
        "quarterly", dt.date(2026, 11, 23), dt.date(2027, 2, 21), "90d")
    # What is left to write is exactly what the linter asks for, letter by letter.
    code, found = lint_counts(vault)
    path = "goals/deliver-5-company-presentations.md"
    assert code == 0
    assert sorted(found["warning"]) == [f"{code} {path}" for code in
                                        ("A001", "M001", "R001", "S003")]


@pytest.mark.parametrize("horizon, due", [
    ("long-term", "2029-11-23"), ("yearly", "2027-11-23"), ("quarterly", "2027-02-21"),
    ("monthly", "2026-12-23"), ("weekly", "2026-11-30"),
])
def test_new_goal_is_due_one_horizon_after_its_start(vault: Path, horizon: str, due: str) -> None:
    result = goalsite("new", "goal", "A goal", "--horizon", horizon, cwd=vault)
    assert result.returncode == 0, result.stderr
    front = yaml.safe_load((vault / "goals/a-goal.md").read_text().split("---\n")[1])
    assert (front["horizon"], front["due"].isoformat()) == (horizon, due)


def test_default_durations_fit_the_linters_horizons() -> None:
    for start in (dt.date(2026, 11, 23), dt.date(2027, 3, 1), dt.date(2028, 1, 31)):
        for horizon, duration in DEFAULT_DURATION.items():
            low, high = LintConfig().horizons[horizon]
            assert low <= (duration.after(start) - start).days <= high + 1, (horizon, start)


def test_new_goal_follows_the_vaults_horizon_spans(vault: Path) -> None:
    config = vault / "goalsite.toml"
    config.write_text(config.read_text().replace('quarterly = "90d"', 'quarterly = "13w"'))
    result = goalsite("new", "goal", "A goal", "--horizon", "quarterly", cwd=vault)
    assert result.returncode == 0, result.stderr
    front = yaml.safe_load((vault / "goals/a-goal.md").read_text().split("---\n")[1])
    assert front["due"] == dt.date(2026, 11, 23) + dt.timedelta(days=91)


def test_new_goal_under_a_parent_takes_the_next_horizon_and_options(vault: Path) -> None:
    result = goalsite("new", "goal", "Mentor: 2 juniors, yes", "--parent", "lead-a-team",
                      "--category", "Work Life", "--due", "2027-06-30", "--start", "2026-12-01",
                      "--resource", "no", "--resource", "#1 mentor", cwd=vault)
    assert (result.returncode, result.stdout) == (0, "goals/work-life/mentor-2-juniors-yes.md\n")
    front = yaml.safe_load((vault / "goals/work-life/mentor-2-juniors-yes.md").read_text()
                           .split("---\n")[1])
    assert {key: front[key] for key in ("title", "horizon", "parent", "category", "start", "due",
                                        "resources")} == {
        "title": "Mentor: 2 juniors, yes", "horizon": "yearly", "parent": "lead-a-team",
        "category": "Work Life", "start": dt.date(2026, 12, 1), "due": dt.date(2027, 6, 30),
        "resources": ["no", "#1 mentor"]}


def test_new_goal_is_not_due_after_its_parent(vault: Path) -> None:
    parent = goalsite("new", "goal", "Short yearly", "--horizon", "yearly", "--due", "2027-01-31",
                      cwd=vault)
    assert parent.returncode == 0, parent.stderr
    child = goalsite("new", "goal", "Child", "--parent", "short-yearly", cwd=vault)
    assert child.returncode == 0, child.stderr
    front = yaml.safe_load((vault / "goals/child.md").read_text().split("---\n")[1])
    assert (front["horizon"], front["due"]) == ("quarterly", dt.date(2027, 1, 31))


def test_new_goal_edit_opens_the_editor_on_the_new_file(vault: Path, tmp_path: Path) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\necho \"$1\" > {tmp_path}/opened\n")
    editor.chmod(0o755)
    result = run_goalsite("--today", TODAY, "new", "goal", "Read 4 books", "--edit", cwd=vault,
                          env={"EDITOR": str(editor), "VISUAL": ""})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "opened").read_text() == "goals/read-4-books.md\n"


@pytest.mark.parametrize("args, message", [
    pytest.param(("new", "goal", "Anything", "--id", "lead-a-team"),
                 "a goal with the id lead-a-team exists already: goals/lead-a-team.md; choose "
                 "another title, or an id with --id", id="existing-id"),
    pytest.param(("new", "goal", "Anything", "--parent", "lead-a-tem"),
                 "--parent lead-a-tem: no goal has the id 'lead-a-tem' — did you mean "
                 "lead-a-team?", id="unknown-parent"),
    pytest.param(("new", "goal", "Anything", "--parent", "lead-a-team", "--horizon", "long-term"),
                 "--parent lead-a-team is long-term, not longer than this long-term goal; a "
                 "parent's horizon must be longer (none)", id="parent-same-horizon"),
    pytest.param(("new", "goal", "Anything", "--due", "2026-11-01"),
                 "--due 2026-11-01 is not after the start 2026-11-23: a goal needs time, give a "
                 "later date", id="due-before-start"),
    pytest.param(("new", "goal", "???"),
                 "the title '???' gives no id (no letters or digits); give one with --id, like "
                 "--id my-goal", id="title-without-id"),
    pytest.param(("new", "goal", "X", "--id", "Bad Id"),
                 "--id 'Bad Id' is not an id: use lowercase letters, digits and hyphens, like "
                 "--id bad-id", id="bad-id"),
    pytest.param(("new", "goal", "X", "--baseline", "3", "--target", "3"),
                 "--baseline and --target are both 3: the target is where the measure must move "
                 "to", id="baseline-equals-target"),
    pytest.param(("new", "entry", "nope"),
                 "no goal has the id 'nope'; `goalsite status` lists the goals", id="entry-unknown-goal"),
    pytest.param(("log", "nope", "x=1"),
                 "no goal has the id 'nope'; `goalsite status` lists the goals", id="log-unknown-goal"),
    pytest.param(("log", "lead-a-team", "team=1"),
                 "lead-a-team has no measure 'team' (did you mean team-size?); its measures: "
                 "team-size (People I lead, people)", id="wrong-key"),
    pytest.param(("log", "lead-a-team", "team-size=three"),
                 "team-size=three is not a number: write digits, like team-size=3 or "
                 "team-size=4.5 (put units in the measure's unit:)", id="non-numeric"),
    pytest.param(("log", "lead-a-team", "team-size=2,5"),
                 "team-size=2,5 is not a number: write digits, like team-size=2.5", id="comma"),
    pytest.param(("log", "lead-a-team", "team-size=nan"),
                 "team-size=nan is not a number: write digits, like team-size=3 or "
                 "team-size=4.5 (put units in the measure's unit:)", id="nan"),
    pytest.param(("log", "lead-a-team", "team-size=1e999"),
                 "team-size=1e999 is too large: write an ordinary number", id="too-large"),
    pytest.param(("log", "lead-a-team", "team-size="),
                 "team-size= has no value: write a number after =, like team-size=3", id="empty"),
    pytest.param(("log", "lead-a-team", "team-size=1", "team-size=2"),
                 "team-size is given twice; give each measure one value per entry", id="twice"),
    pytest.param(("log", "lead-a-team"),
                 "nothing to log: give values or a message, like goalsite log lead-a-team "
                 "team-size=N", id="nothing"),
    pytest.param(("log", "lead-a-team", "team-size=1", "--date", "2026-11-24"),
                 "--date 2026-11-24 is after today (2026-11-23): a journal entry records what "
                 "happened; pass --today if the clock is wrong", id="future"),
])
def test_refusals_write_nothing(made_vault: Path, args: tuple[str, ...], message: str) -> None:
    before = snapshot(made_vault)
    result = goalsite(*args, cwd=made_vault)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"goalsite: {message}\n")
    assert snapshot(made_vault) == before


def test_new_goal_refuses_an_existing_file_and_a_shorter_parent(vault: Path) -> None:
    assert goalsite("new", "goal", "Weekly reading", "--horizon", "weekly", cwd=vault).returncode == 0
    before = snapshot(vault)
    again = goalsite("new", "goal", "Weekly reading!", "--id", "other", cwd=vault)
    assert again.returncode == 0  # another id: a new file
    (vault / "goals/other.md").unlink()
    assert snapshot(vault) == before
    # The same title again names the same file: refused.
    same = goalsite("new", "goal", "Weekly reading", cwd=vault)
    assert (same.returncode, same.stderr) == (2, "goalsite: a goal with the id weekly-reading "
                                                 "exists already: goals/weekly-reading.md; choose "
                                                 "another title, or an id with --id\n")
    # A file that is not a goal (it fails to load) is not overwritten either.
    (vault / "goals/broken.md").write_text("no front matter\n")
    before = snapshot(vault)
    broken = goalsite("new", "goal", "Broken", cwd=vault)
    assert (broken.returncode, broken.stderr) == (
        2, "goalsite: goals/broken.md exists already; goalsite never overwrites a file\n")
    shorter = goalsite("new", "goal", "Q", "--horizon", "quarterly", "--parent", "weekly-reading",
                       cwd=vault)
    assert (shorter.returncode, shorter.stderr) == (
        2, "goalsite: --parent weekly-reading is weekly, not longer than this quarterly goal; "
           "a parent's horizon must be longer (long-term, yearly)\n")
    below = goalsite("new", "goal", "Q", "--parent", "weekly-reading", cwd=vault)
    assert (below.returncode, below.stderr) == (
        2, "goalsite: --parent weekly-reading is a weekly goal: nothing is shorter, so it cannot "
           "have a child goal; choose a longer parent\n")
    assert snapshot(vault) == before


@pytest.mark.parametrize("args", [
    ("log", "lead-a-team", "team-size=1", "--date", "2026-02-30"),
    ("new", "goal", "X", "--due", "tomorrow"),
    ("log", "lead-a-team", "--confidence", "6", "team-size=1"),
    ("new", "entry", "lead-a-team", "--kind", "diary"),
])
def test_bad_options_are_usage_errors_that_write_nothing(made_vault: Path,
                                                         args: tuple[str, ...]) -> None:
    before = snapshot(made_vault)
    result = goalsite(*args, cwd=made_vault)
    assert result.returncode == 2
    assert "Invalid value" in result.stderr, result.stderr
    assert snapshot(made_vault) == before


# -- log and new entry ----------------------------------------------------------------------------

def test_log_writes_a_check_in_and_never_touches_the_goal(vault: Path) -> None:
    goal_before = (vault / GOAL).read_bytes()
    result = goalsite("log", "lead-a-team", "team-size=2", "-m", "Took over the on-call rota.",
                      "--confidence", "4", cwd=vault)
    path = "journal/2026/11/2026-11-23-lead-a-team.md"
    assert (result.returncode, result.stdout, result.stderr) == (0, path + "\n", "")
    assert (vault / path).read_text() == textwrap.dedent("""\
        ---
        date: 2026-11-23
        title: 'Check-in: Lead a team of 5 people by 2029'
        goal: lead-a-team
        kind: check-in
        values:
          team-size: 2
        confidence: 4
        ---

        Took over the on-call rota.
        """)
    assert (vault / GOAL).read_bytes() == goal_before


def test_entries_on_the_same_day_never_overwrite_each_other(vault: Path) -> None:
    paths = []
    for value in ("1", "2", "3.5"):
        result = goalsite("log", "lead-a-team", f"team-size={value}", "--date", "2026-11-20",
                          cwd=vault)
        assert result.returncode == 0, result.stderr
        paths.append(result.stdout.strip())
    assert paths == ["journal/2026/11/2026-11-20-lead-a-team.md",
                     "journal/2026/11/2026-11-20-lead-a-team-2.md",
                     "journal/2026/11/2026-11-20-lead-a-team-3.md"]
    values = [yaml.safe_load((vault / path).read_text().split("---\n")[1])["values"]
              for path in paths]
    assert values == [{"team-size": 1}, {"team-size": 2}, {"team-size": 3.5}]
    review = goalsite("new", "entry", "lead-a-team", "--kind", "review", "--date", "2026-11-20",
                      cwd=vault)
    assert review.stdout == "journal/2026/11/2026-11-20-lead-a-team-review.md\n"


def test_new_entry_lists_the_goals_measures_and_questions(vault: Path) -> None:
    result = goalsite("new", "entry", "lead-a-team", "--kind", "win", cwd=vault)
    assert result.returncode == 0, result.stderr
    assert (vault / result.stdout.strip()).read_text() == textwrap.dedent("""\
        ---
        date: 2026-11-23
        goal: lead-a-team
        kind: win
        values:                   # a number for each measure that moved; remove the # to use a line
          # team-size:            # People I lead, in people
        confidence:               # 1–5: how sure you are the goal will be met
        ---

        # Win: Lead a team of 5 people by 2029

        ## What went well?


        ## What made it work, and how can you repeat it?
        """)


def test_the_vault_folder_option_and_the_vaults_own_today(tmp_path: Path) -> None:
    assert goalsite("init", "v", cwd=tmp_path).returncode == 0
    config = tmp_path / "v/goalsite.toml"
    config.write_text(config.read_text().replace("# today = 2026-11-23", "today = 2026-11-25"))
    result = run_goalsite("log", "lead-a-team", "team-size=1", "-C", "v", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "v/journal/2026/11/2026-11-25-lead-a-team.md\n")


# -- helpers --------------------------------------------------------------------------------------

def test_write_new_never_replaces_a_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    write_new(target, "one\n")
    with pytest.raises(FileExistsError):
        write_new(target, "two\n")
    assert target.read_text() == "one\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200))
def test_yaml_values_read_back_as_written(text: str) -> None:
    if not text.strip() or "\x00" in text or "\ufeff" in text:
        return
    assert yaml.safe_load(f"key: {yaml_scalar(text)}\n")["key"] == text
    folded = yaml.safe_load(yaml_text("key", text) + "\n")["key"]
    assert folded in (text, text + "\n")  # a folded block keeps one final line break


@pytest.mark.parametrize("command", [("init",), ("new",), ("new", "goal"), ("new", "entry"),
                                     ("log",), ("schema",)])
def test_every_help_ends_with_an_example(command: tuple[str, ...]) -> None:
    result = run_goalsite(*command, "--help")
    assert result.returncode == 0
    description = result.stdout.split("\nOptions:")[0].rstrip()
    assert "\n  Example:\n    goalsite " in description


# -- ecosystem files and editor docs ---------------------------------------------------------------

def test_the_pre_commit_hook_runs_the_installed_lint_command() -> None:
    import tomllib

    from tests.conftest import REPO

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in hooks] == ["goalsite-lint"]
    hook = hooks[0]
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == ("goalsite lint", "python",
                                                                         False)
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert hook["entry"].split()[0] in scripts


def test_the_vs_code_problem_matcher_reads_every_finding(vault: Path) -> None:
    import re

    from tests.conftest import REPO

    doc = (REPO / "docs" / "editors.md").read_text()
    tasks = json.loads(re.search(r"```json\n(\{\n  \"version\".*?)```", doc, re.DOTALL).group(1))
    matcher = tasks["tasks"][0]["problemMatcher"]["pattern"]
    assert goalsite("new", "goal", "Improve things", cwd=vault).returncode == 0
    text = goalsite("lint", cwd=vault).stdout
    json_findings = json.loads(goalsite("lint", "--format", "json", cwd=vault).stdout)
    matched = [re.match(matcher["regexp"], line) for line in text.splitlines()]
    found = [(m.group(matcher["file"]), int(m.group(matcher["line"])),
              int(m.group(matcher["column"])), m.group(matcher["code"]),
              m.group(matcher["severity"])) for m in matched if m]
    assert found == [(f["path"], f["line"], f["column"], f["code"], f["severity"])
                     for f in json_findings]
    assert len(found) >= 5


def test_entries_logged_at_the_same_moment_all_get_their_own_file(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from goalsite.authoring import init_vault, log_entry

    today = dt.date(2026, 11, 23)
    init_vault(tmp_path, today)
    with ThreadPoolExecutor(max_workers=8) as pool:
        paths = list(pool.map(lambda n: log_entry(tmp_path, today, "lead-a-team", [f"team-size={n}"]),
                              range(8)))
    assert len(set(paths)) == 8
    values = sorted(yaml.safe_load(path.read_text().split("---\n")[1])["values"]["team-size"]
                    for path in paths)
    assert values == list(range(8))
    assert not [path for path in tmp_path.rglob(".*.tmp")]


def test_the_publishing_workflow_lints_builds_and_deploys_the_site() -> None:
    import re

    from tests.conftest import REPO

    doc = (REPO / "docs" / "publishing.md").read_text()
    workflow = yaml.safe_load(re.search(r"```yaml\n(name: goals\n.*?)```", doc, re.DOTALL).group(1))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run") for step in steps]
    assert runs.index("goalsite lint --format github") < runs.index("goalsite build -o _site")
    assert steps[0] == {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}}
    assert steps[-1] == {"uses": "actions/upload-pages-artifact@v4", "with": {"path": "_site"}}
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["jobs"]["deploy"]["steps"] == [{"id": "deployment",
                                                    "uses": "actions/deploy-pages@v4"}]
    hooks = yaml.safe_load(re.search(r"```yaml\n(repos:\n.*?)```", doc, re.DOTALL).group(1))
    assert hooks["repos"][0]["hooks"] == [{"id": "goalsite-lint"}]


def test_every_command_of_getting_started_works_as_written(tmp_path: Path) -> None:
    """docs/getting-started.md is followed to the letter (install and git steps aside)."""
    import re
    import shlex

    from tests.conftest import REPO

    doc = (REPO / "docs" / "getting-started.md").read_text()
    after_install = doc.split("## 2.", 1)[1]
    cwd = tmp_path
    ran = []
    for block in re.findall(r"```sh\n(.*?)```", after_install, re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s+#\s.*$", "", line).strip()
            for command in filter(None, (part.strip() for part in line.split("&&"))):
                words = shlex.split(command)
                if words[0] == "cd":
                    cwd = cwd / words[1]
                elif words[0] == "goalsite":
                    result = run_goalsite(*words[1:], cwd=cwd,
                                          env={"GOALSITE_TODAY": TODAY, "EDITOR": "true",
                                               "VISUAL": ""})
                    assert result.returncode == 0, (command, result.stderr)
                    ran.append(words[1])
    assert ran.count("log") == 2 and "build" in ran and ran.count("new") == 4
    assert (cwd / "goals/guild-talks.md").is_file()


def test_goal_files_are_named_by_their_id_so_obsidian_links_resolve(vault: Path) -> None:
    """docs/editors.md: `[[id]]` finds the same goal in Obsidian (by file name) and on the site
    (by id) — true of the example vault and of every goal `goalsite new goal` writes."""
    from goalsite.load import load_vault
    from tests.conftest import EXAMPLE_VAULT

    assert goalsite("new", "goal", "Café talks: 3 of them!", "--category", "Skills & Craft",
                    cwd=vault).returncode == 0
    for root in (EXAMPLE_VAULT, vault):
        goals = load_vault(root).goals
        assert goals and [(goal.id, Path(goal.path).stem) for goal in goals
                          if goal.id != Path(goal.path).stem] == []
