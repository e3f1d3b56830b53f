"""Goal history from real git repositories built in temporary folders (issue 9)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.conftest import TODAY, run_goalsite
from goalsite.history import (Change, GoalHistory, Revision, VaultHistory, load_with_history,
                              read_history)

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")

GOAL = """\
---
title: Deliver company presentations
status: {status}
due: {due}
measures:
  - key: presentations
    baseline: 0
    target: {target}
---
{body}
"""


class Repo:
    """A real repository; every commit gets the date it is given, so ids and dates are fixed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Ada Lovelace")
        self.git("config", "user.email", "ada@example.com")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, date: str = "2026-01-05") -> str:
        stamp = f"{date}T10:00:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
            env.pop(name, None)
        done = subprocess.run(["git", *args], cwd=self.root, env=env, check=True,
                              capture_output=True, text=True)
        return done.stdout.strip()

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")

    def goal(self, relative: str, *, status: str = "active", due: str = "2026-09-30",
             target: int = 6, body: str = "Why it matters.") -> None:
        self.write(relative, GOAL.format(status=status, due=due, target=target, body=body))

    def commit(self, message: str, date: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date)
        return self.git("rev-parse", "HEAD")


def revisions(history: GoalHistory) -> list[tuple[str, str, tuple[Change, ...]]]:
    return [(r.date.isoformat(), r.subject, r.changes) for r in history.revisions]


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "vault")


@pytest.fixture(autouse=True)
def _no_repository_above(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # git must not find a repository above the temporary folder, whatever holds it.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def test_target_due_and_status_changes(repo: Repo) -> None:
    repo.goal("goals/talks.md")
    created = repo.commit("Add presentations goal", "2026-01-05")
    repo.goal("goals/talks.md", target=5)
    lowered = repo.commit("Lower target after review", "2026-03-02")
    repo.goal("goals/talks.md", target=5, due="2026-10-31")
    repo.commit("Move due date", "2026-04-10")
    repo.goal("goals/talks.md", target=5, due="2026-10-31", status="achieved")
    repo.commit("Done!", "2026-10-20")

    history = read_history(repo.root, ["goals/talks.md"])["goals/talks.md"]

    assert history.first_commit_date == dt.date(2026, 1, 5)
    assert revisions(history) == [
        ("2026-10-20", "Done!", (Change("status", "active", "achieved"),)),
        ("2026-04-10", "Move due date", (Change("due", "2026-09-30", "2026-10-31"),)),
        ("2026-03-02", "Lower target after review",
         (Change("measures.presentations.target", 6, 5),)),
        ("2026-01-05", "Add presentations goal", ()),
    ]
    assert history.revisions[2] == Revision(dt.date(2026, 3, 2), lowered, "Ada Lovelace",
                                            "Lower target after review",
                                            (Change("measures.presentations.target", 6, 5),))
    assert history.revisions[-1].commit == created
    assert history.body_only_commits == 0
    assert history.target_history("presentations") == (
        (dt.date(2026, 1, 5), 6.0), (dt.date(2026, 3, 2), 5.0))
    assert history.target_history("other") == ()
    assert history.due_moves() == 1


def test_several_due_moves_and_body_only_commits(repo: Repo) -> None:
    repo.goal("goals/talks.md")
    repo.commit("Add", "2026-01-05")
    for number, (due, date) in enumerate(
            [("2026-10-31", "2026-02-01"), ("2026-11-30", "2026-03-01"),
             ("2026-12-31", "2026-04-01")]):
        repo.goal("goals/talks.md", due=due)
        repo.commit(f"Move {number}", date)
        repo.goal("goals/talks.md", due=due, body=f"Notes {number}")
        repo.commit(f"Notes {number}", date)

    history = read_history(repo.root, ["goals/talks.md"])["goals/talks.md"]

    assert history.due_moves() == 3
    assert history.body_only_commits == 3
    assert [r.subject for r in history.revisions] == ["Move 2", "Move 1", "Move 0", "Add"]


def test_history_follows_a_rename(repo: Repo) -> None:
    repo.goal("goals/talks.md")
    repo.commit("Add", "2026-01-05")
    (repo.root / "goals/2026").mkdir()
    repo.git("mv", "goals/talks.md", "goals/2026/presentations.md")
    repo.commit("Sort goals by year", "2026-02-01")
    repo.goal("goals/2026/presentations.md", target=4)
    repo.commit("Four is enough", "2026-03-01")
    # A new, unrelated file under the old name has a history of its own.
    repo.goal("goals/talks.md", target=9)
    repo.commit("Another goal", "2026-04-01")

    found = read_history(repo.root, ["goals/2026/presentations.md", "goals/talks.md"])

    moved = found["goals/2026/presentations.md"]
    assert moved.first_commit_date == dt.date(2026, 1, 5)
    assert revisions(moved) == [
        ("2026-03-01", "Four is enough", (Change("measures.presentations.target", 6, 4),)),
        ("2026-01-05", "Add", ()),
    ]
    assert moved.body_only_commits == 0
    assert found["goals/talks.md"].first_commit_date == dt.date(2026, 4, 1)
    assert revisions(found["goals/talks.md"]) == [("2026-04-01", "Another goal", ())]


def test_rename_with_a_change_in_the_same_commit(repo: Repo) -> None:
    repo.goal("goals/a.md")
    repo.commit("Add", "2026-01-05")
    (repo.root / "goals/a.md").unlink()
    repo.goal("goals/b.md", status="paused")
    repo.commit("Rename and pause", "2026-02-01")

    history = read_history(repo.root, ["goals/b.md"])["goals/b.md"]

    assert revisions(history) == [
        ("2026-02-01", "Rename and pause", (Change("status", "active", "paused"),)),
        ("2026-01-05", "Add", ()),
    ]


def test_a_merge_is_one_revision_with_what_it_brought(repo: Repo) -> None:
    repo.goal("goals/talks.md")
    repo.commit("Add", "2026-01-05")
    repo.git("checkout", "-q", "-b", "coach")
    repo.goal("goals/talks.md", target=5)
    repo.commit("Coach: lower target", "2026-02-01")
    repo.goal("goals/talks.md", target=4, due="2026-12-31")
    repo.commit("Coach: lower again, move due", "2026-02-02")
    repo.git("checkout", "-q", "main")
    repo.write("goals/other.md", "---\ntitle: Other\n---\n")
    repo.commit("Other goal", "2026-02-03")
    repo.git("merge", "-q", "--no-ff", "coach", "-m", "Merge coach's review", date="2026-02-04")

    history = read_history(repo.root, ["goals/talks.md"])["goals/talks.md"]

    # The side branch's intermediate target (5) was never in effect on main.
    assert revisions(history) == [
        ("2026-02-04", "Merge coach's review",
         (Change("due", "2026-09-30", "2026-12-31"),
          Change("measures.presentations.target", 6, 4))),
        ("2026-01-05", "Add", ()),
    ]
    assert history.target_history("presentations") == (
        (dt.date(2026, 1, 5), 6.0), (dt.date(2026, 2, 4), 4.0))


def test_a_fast_forward_merge_keeps_each_commit(repo: Repo) -> None:
    repo.goal("goals/talks.md")
    repo.commit("Add", "2026-01-05")
    repo.git("checkout", "-q", "-b", "coach")
    repo.goal("goals/talks.md", target=5)
    repo.commit("Coach: lower target", "2026-02-01")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "coach")

    history = read_history(repo.root, ["goals/talks.md"])["goals/talks.md"]

    assert [r.subject for r in history.revisions] == ["Coach: lower target", "Add"]


def test_uncommitted_edits_are_not_history(repo: Repo) -> None:
    repo.goal("goals/talks.md")
    repo.commit("Add", "2026-01-05")
    repo.goal("goals/talks.md", target=3)
    repo.goal("goals/staged.md")
    repo.git("add", "goals/staged.md")
    repo.goal("goals/new.md")

    found = read_history(repo.root, ["goals/talks.md", "goals/staged.md", "goals/new.md"])

    assert revisions(found["goals/talks.md"]) == [("2026-01-05", "Add", ())]
    assert found["goals/staged.md"] == GoalHistory("goals/staged.md", None, (), 0)
    assert found["goals/new.md"] == GoalHistory("goals/new.md", None, (), 0)


def test_shallow_clone_knows_no_first_commit(repo: Repo, tmp_path: Path) -> None:
    repo.goal("goals/talks.md")
    repo.commit("Add", "2026-01-05")
    repo.goal("goals/talks.md", target=5)
    repo.commit("Lower", "2026-02-01")
    repo.goal("goals/talks.md", target=4)
    repo.commit("Lower again", "2026-03-01")
    for depth in ("1", "2"):
        subprocess.run(["git", "clone", "-q", "--depth", depth, repo.root.as_uri(),
                        str(tmp_path / f"depth{depth}")], check=True, capture_output=True)

    one = read_history(tmp_path / "depth1", ["goals/talks.md"])["goals/talks.md"]
    two = read_history(tmp_path / "depth2", ["goals/talks.md"])["goals/talks.md"]

    assert one == GoalHistory("goals/talks.md", None, (), 0)
    assert two.first_commit_date is None
    assert revisions(two) == [
        ("2026-03-01", "Lower again", (Change("measures.presentations.target", 5, 4),))]
    assert two.target_history("presentations") == ((dt.date(2026, 3, 1), 4.0),)


def test_vault_in_a_subfolder_of_a_repository(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "project")
    repo.goal("career/goals/talks.md")
    repo.write("README.md", "project\n")
    repo.commit("Add", "2026-01-05")
    repo.write("README.md", "changed\n")
    repo.goal("goals/talks.md", target=1)  # outside the vault: not its history
    repo.commit("Outside", "2026-02-01")
    repo.goal("career/goals/talks.md", status="dropped")
    repo.commit("Drop", "2026-03-01")

    found = read_history(repo.root / "career", ["goals/talks.md"])

    assert revisions(found["goals/talks.md"]) == [
        ("2026-03-01", "Drop", (Change("status", "active", "dropped"),)),
        ("2026-01-05", "Add", ()),
    ]


def test_not_a_repository_empty_repository_and_missing_folder(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    (plain / "goals").mkdir(parents=True)
    (plain / "goals/talks.md").write_text("---\ntitle: T\n---\n", encoding="utf-8")
    empty = Repo(tmp_path / "empty")

    assert read_history(plain, ["goals/talks.md"]) == {
        "goals/talks.md": GoalHistory("goals/talks.md", None, (), 0)}
    assert read_history(empty.root, ["goals/talks.md"])["goals/talks.md"].revisions == ()
    assert read_history(tmp_path / "absent", ["x.md"])["x.md"].revisions == ()
    assert read_history(plain, []) == {}


def test_git_missing_from_path(repo: Repo, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    repo.goal("goals/talks.md")
    repo.commit("Add", "2026-01-05")
    nothing = tmp_path / "empty-bin"
    nothing.mkdir()
    monkeypatch.setenv("PATH", str(nothing))

    assert read_history(repo.root, ["goals/talks.md"]) == {
        "goals/talks.md": GoalHistory("goals/talks.md", None, (), 0)}


def test_a_version_that_does_not_parse_is_skipped(repo: Repo) -> None:
    repo.goal("goals/talks.md")
    repo.commit("Add", "2026-01-05")
    repo.write("goals/talks.md", "---\ntitle: [unclosed\n---\n")
    repo.commit("Broken", "2026-02-01")
    repo.write("goals/talks.md", "---\na: &x [1]\nb: *x\n---\n")
    repo.commit("Aliases are refused", "2026-02-02")
    repo.goal("goals/talks.md", target=5)
    repo.commit("Fixed, and lowered", "2026-03-01")

    history = read_history(repo.root, ["goals/talks.md"])["goals/talks.md"]

    assert revisions(history) == [
        ("2026-03-01", "Fixed, and lowered", (Change("measures.presentations.target", 6, 5),)),
        ("2026-01-05", "Add", ()),
    ]


def test_fields_are_flattened_by_measure_key_and_index(repo: Repo) -> None:
    repo.write("goals/g.md", """\
        ---
        title: G
        tags: [a, b]
        measures:
          - {key: talks, target: 5}
          - {name: Feedback Score, target: 4}
        obstacles:
          - {obstacle: Fear, plan: Rehearse}
        ---
        """)
    repo.commit("Add", "2026-01-05")
    repo.write("goals/g.md", """\
        ---
        title: G
        tags: [a, c]
        measures:
          - {name: Feedback Score, target: 4.5}
          - {key: talks, target: 5}
        obstacles:
          - {obstacle: Fear, plan: Rehearse twice}
        ---
        """)
    repo.commit("Adjust", "2026-02-01")

    history = read_history(repo.root, ["goals/g.md"])["goals/g.md"]

    assert history.revisions[0].changes == (
        Change("measures.feedback-score.target", 4, 4.5),
        Change("obstacles.0.plan", "Rehearse", "Rehearse twice"),
        Change("tags", ("a", "b"), ("a", "c")),
    )


def _logging_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put a `git` first on PATH that notes each call, then runs the real one."""
    assert GIT is not None
    folder = tmp_path / "bin"
    folder.mkdir()
    calls = tmp_path / "git-calls.txt"
    script = folder / "git"
    script.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\nexec "{GIT}" "$@"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return calls


def _commands(calls: Path) -> list[str]:
    found = [line.split(" --no-pager ")[1].split()[0] for line in calls.read_text().splitlines()
             if " --no-pager " in line]  # goalsite's calls, not the test's own
    calls.write_text("")
    return found


def test_constant_git_processes_and_the_cache(repo: Repo, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [f"goals/g{number}.md" for number in range(12)]
    for number, path in enumerate(paths):
        repo.goal(path, target=number)
        repo.commit(f"Add {path}", "2026-01-05")
    for number, path in enumerate(paths):
        repo.goal(path, target=number + 1)
        repo.commit(f"Raise {path}", "2026-02-01")
    cache = tmp_path / "cache"
    calls = _logging_git(tmp_path, monkeypatch)

    cold = read_history(repo.root, paths, cache_dir=cache)
    assert _commands(calls) == ["rev-parse", "log", "cat-file"]

    assert read_history(repo.root, paths, cache_dir=cache) == cold
    assert _commands(calls) == ["rev-parse"]

    repo.goal("goals/g3.md", target=40)
    repo.commit("Raise g3 a lot", "2026-03-01")
    calls.write_text("")
    warm = read_history(repo.root, paths, cache_dir=cache)
    log_call = next(line for line in calls.read_text().splitlines() if "--no-pager log " in line)
    assert _commands(calls) == ["rev-parse", "log", "cat-file"]
    assert ".." in log_call  # only the commits made since the cached HEAD
    assert revisions(warm["goals/g3.md"])[0] == (
        "2026-03-01", "Raise g3 a lot", (Change("measures.presentations.target", 4, 40),))
    assert warm["goals/g5.md"] == cold["goals/g5.md"]
    assert warm == read_history(repo.root, paths)


def test_rewritten_history_and_bad_caches_are_read_again(repo: Repo, tmp_path: Path) -> None:
    repo.goal("goals/talks.md")
    repo.commit("Add", "2026-01-05")
    repo.goal("goals/talks.md", target=5)
    repo.commit("Lower", "2026-02-01")
    cache = tmp_path / "cache"
    read_history(repo.root, ["goals/talks.md"], cache_dir=cache)

    repo.goal("goals/talks.md", target=4)
    repo.git("commit", "-q", "-a", "--amend", "-m", "Lower to four", date="2026-02-02")
    expected = [("2026-02-01", "Lower to four", (Change("measures.presentations.target", 6, 4),)),
                ("2026-01-05", "Add", ())]
    assert revisions(read_history(repo.root, ["goals/talks.md"], cache_dir=cache)
                     ["goals/talks.md"]) == expected

    for broken in ("{not json", json.dumps({"format": "other"}), "[]", "[" * 100_000, json.dumps(
            {**json.loads((cache / "history.json").read_text()), "commits": [[1, 2]]})):
        (cache / "history.json").write_text(broken)
        assert revisions(read_history(repo.root, ["goals/talks.md"], cache_dir=cache)
                         ["goals/talks.md"]) == expected


def test_a_cache_of_another_repository_is_ignored(tmp_path: Path) -> None:
    first, second = Repo(tmp_path / "one"), Repo(tmp_path / "two")
    first.goal("goals/talks.md")
    first.commit("First", "2026-01-05")
    second.goal("goals/talks.md")
    second.commit("Second", "2026-01-06")
    cache = tmp_path / "cache"

    read_history(first.root, ["goals/talks.md"], cache_dir=cache)
    found = read_history(second.root, ["goals/talks.md"], cache_dir=cache)

    assert revisions(found["goals/talks.md"]) == [("2026-01-06", "Second", ())]


def test_first_seen_dates_files_at_head_through_renames(repo: Repo, tmp_path: Path) -> None:
    repo.goal("goals/talks.md")
    repo.write("journal/2026-01-06.md", "---\ndate: 2026-01-06\n---\n")
    repo.commit("Add", "2026-01-05")
    repo.git("mv", "goals/talks.md", "goals/presenting.md")
    repo.write("goals/gone.md", "---\ntitle: Gone\n---\n")
    repo.commit("Rename, and a goal that will go", "2026-02-01")
    repo.git("rm", "-q", "goals/gone.md")
    repo.commit("Drop it", "2026-03-01")
    repo.goal("goals/uncommitted.md")

    assert VaultHistory(repo.root).first_seen() == {
        "goals/presenting.md": dt.date(2026, 1, 5),
        "journal/2026-01-06.md": dt.date(2026, 1, 5),
    }
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.root.as_uri(),
                    str(tmp_path / "shallow")], check=True, capture_output=True)
    assert VaultHistory(tmp_path / "shallow").first_seen() == {}
    assert VaultHistory(tmp_path / "absent").first_seen() == {}


def test_one_log_serves_start_dates_and_histories(repo: Repo, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write("goals/talks.md", "---\ntitle: Talks\ndue: 2026-09-30\n---\n")
    repo.write("goals/dated.md", "---\ntitle: Dated\nstart: 2026-01-01\n---\n")
    repo.commit("Add", "2026-01-05")
    repo.write("goals/talks.md", "---\ntitle: Talks\ndue: 2026-10-31\n---\n")
    repo.commit("Move due", "2026-02-01")
    calls = _logging_git(tmp_path, monkeypatch)

    vault, history = load_with_history(repo.root)
    found = history.goals(goal.path for goal in vault.goals)

    assert _commands(calls) == ["rev-parse", "log", "cat-file"]
    assert history.head == repo.git("rev-parse", "HEAD")
    starts = {goal.id: (goal.start, goal.start_given) for goal in vault.goals}
    assert starts == {"talks": (dt.date(2026, 1, 5), False), "dated": (dt.date(2026, 1, 1), True)}
    assert [r.subject for r in found["goals/talks.md"].revisions] == ["Move due", "Add"]


def test_without_a_repository_start_falls_back_to_the_files_date(tmp_path: Path) -> None:
    goal = tmp_path / "plain/goals/talks.md"
    goal.parent.mkdir(parents=True)
    goal.write_text("---\ntitle: Talks\n---\n", encoding="utf-8")
    stamp = dt.datetime(2026, 3, 4, 12, tzinfo=dt.timezone.utc).timestamp()
    os.utime(goal, (stamp, stamp))

    vault, history = load_with_history(tmp_path / "plain")

    assert vault.goals[0].start == dt.date(2026, 3, 4)
    assert history.first_seen() == {} and history.head is None
    assert history.goals(["goals/talks.md"])["goals/talks.md"].revisions == ()


# --- through the command line -------------------------------------------------------------


def test_start_defaults_to_the_first_commit_in_every_command(repo: Repo) -> None:
    repo.write("goals/talks.md", "---\ntitle: Talks\ndue: 2026-12-31\n---\n")
    repo.commit("Add", "2026-01-05")
    repo.write("goals/talks.md", "---\ntitle: Talks\ndue: 2026-12-30\n---\n")
    repo.commit("Edit", "2026-02-01")

    exported = run_goalsite("--today", TODAY, "export", str(repo.root))
    linted = run_goalsite("--today", TODAY, "lint", str(repo.root), "--select", "T004",
                          "--format", "json")

    assert json.loads(exported.stdout)["goals"][0]["start"] == "2026-01-05"
    assert [f["message"] for f in json.loads(linted.stdout)] == [
        "`start` is not written: goalsite uses 2026-01-05, from git or the file's date"]



def test_t008_reports_the_third_due_move_not_the_second(repo: Repo) -> None:
    repo.goal("goals/talks.md", due="2026-09-30")
    repo.commit("Add", "2026-01-05")
    for due, date in (("2026-10-31", "2026-03-01"), ("2026-11-30", "2026-04-01")):
        repo.goal("goals/talks.md", due=due)
        repo.commit(f"Move due to {due}", date)
    lint = ("--today", TODAY, "lint", str(repo.root), "--select", "T008", "--format", "json")

    assert json.loads(run_goalsite(*lint).stdout) == []
    repo.goal("goals/talks.md", due="2026-12-31")
    assert json.loads(run_goalsite(*lint).stdout) == []  # an uncommitted move is not history

    repo.commit("Move due again", "2026-06-01")
    (finding,) = json.loads(run_goalsite(*lint).stdout)

    assert (finding["path"], finding["line"], finding["column"], finding["severity"]) == (
        "goals/talks.md", 4, 6, "info")
    assert finding["message"] == (
        "`due` was moved 3 times in git: 2026-09-30 → 2026-10-31 → 2026-11-30 → 2026-12-31")

    repo.goal("goals/talks.md", due="2026-12-31", status="achieved")
    assert json.loads(run_goalsite(*lint).stdout) == []  # a closed goal is no longer planned


def test_export_json_lists_history_newest_first(repo: Repo) -> None:
    repo.goal("goals/talks.md")
    created = repo.commit("Add presentations goal", "2026-01-05")
    repo.goal("goals/talks.md", target=5, due="2026-10-31")
    moved = repo.commit("Review: lower target, move due", "2026-03-02")
    repo.goal("goals/talks.md", target=5, due="2026-10-31", body="Body only.")
    repo.commit("Notes", "2026-03-03")

    done = run_goalsite("--today", TODAY, "export", str(repo.root), "--format", "json")

    (goal,) = json.loads(done.stdout)["goals"]
    assert goal["history"] == [
        {"date": "2026-03-02", "commit": moved, "author": "Ada Lovelace",
         "subject": "Review: lower target, move due",
         "changes": {"due": ["2026-09-30", "2026-10-31"],
                     "measures.presentations.target": [6, 5]}},
        {"date": "2026-01-05", "commit": created, "author": "Ada Lovelace",
         "subject": "Add presentations goal", "changes": {}},
    ]


def test_a_build_caches_history_without_dirtying_the_repository(repo: Repo) -> None:
    repo.goal("goals/talks.md")
    repo.commit("Add", "2026-01-05")

    built = run_goalsite("--today", TODAY, "build", str(repo.root))

    assert built.returncode == 0, built.stderr
    assert (repo.root / ".goalsite-cache/history.json").is_file()
    # The site folder is the user's to ignore; goalsite's own cache ignores itself.
    assert repo.git("status", "--porcelain") == "?? _site/"


def test_the_goal_page_shows_history_and_the_earlier_targets(repo: Repo) -> None:
    repo.goal("goals/talks.md")
    repo.commit("Add presentations goal", "2026-01-05")
    repo.goal("goals/talks.md", target=5, due="2026-10-31")
    repo.commit("Review: <lower> target & move due", "2026-03-02")
    repo.goal("goals/talks.md", target=5, due="2026-10-31", body="More notes.")
    repo.commit("Notes", "2026-03-03")

    built = run_goalsite("--today", TODAY, "build", str(repo.root))

    assert built.returncode == 0, built.stderr
    page = (repo.root / "_site/goals/talks/index.html").read_text(encoding="utf-8")
    section = page[page.index('<section class="history"'):]
    section = section[:section.index("</section>")]
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert text == (
        "History "
        "2026-03-02 Review: &lt;lower&gt; target &amp; move due Ada Lovelace · "
        f"{repo.git('rev-parse', '--short=7', 'HEAD~1')} "
        "due : 2026-09-30 → 2026-10-31 target of presentations : 6 → 5 "
        f"2026-01-05 Add presentations goal Ada Lovelace · {repo.git('rev-parse', '--short=7', 'HEAD~2')} "
        "Goal added. 1 more commit changed only the notes.")
    assert 'class="target-history"' in page
    document = json.loads((repo.root / "_site/goals.json").read_text(encoding="utf-8"))
    assert [r["subject"] for r in document["goals"][0]["history"]] == [
        "Review: <lower> target & move due", "Add presentations goal"]


def test_no_history_section_without_git(tmp_path: Path) -> None:
    vault = tmp_path / "plain"
    (vault / "goals").mkdir(parents=True)
    (vault / "goals/talks.md").write_text(GOAL.format(status="active", due="2026-09-30",
                                                      target=6, body=""), encoding="utf-8")

    built = run_goalsite("--today", TODAY, "build", str(vault))

    assert built.returncode == 0, built.stderr
    page = (vault / "_site/goals/talks/index.html").read_text(encoding="utf-8")
    assert "History" not in page and "target-history" not in page
    assert not (vault / ".goalsite-cache/history.json").exists()


def test_a_rebuild_reads_the_commits_made_since(repo: Repo) -> None:
    repo.goal("goals/talks.md")
    repo.commit("Add", "2026-01-05")
    assert run_goalsite("--today", TODAY, "build", str(repo.root)).returncode == 0
    repo.goal("goals/talks.md", target=4)
    repo.commit("Four is enough", "2026-02-01")

    rebuilt = run_goalsite("--today", TODAY, "build", str(repo.root))

    assert rebuilt.returncode == 0, rebuilt.stderr
    page = (repo.root / "_site/goals/talks/index.html").read_text(encoding="utf-8")
    assert "Four is enough" in page
    cached = json.loads((repo.root / ".goalsite-cache/history.json").read_text(encoding="utf-8"))
    assert cached["head"] == repo.git("rev-parse", "HEAD")


def test_a_shallow_clone_builds_with_what_it_has(repo: Repo, tmp_path: Path) -> None:
    repo.write("goals/talks.md", "---\ntitle: Talks\ndue: 2026-12-31\n---\n")
    repo.commit("Add", "2026-01-05")
    repo.write("goals/talks.md", "---\ntitle: Talks\ndue: 2027-01-31\n---\n")
    repo.commit("Move due", "2026-02-01")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.root.as_uri(), str(clone)],
                   check=True, capture_output=True)

    built = run_goalsite("--today", TODAY, "build", str(clone))
    exported = json.loads(run_goalsite("--today", TODAY, "export", str(clone)).stdout)

    assert built.returncode == 0, built.stderr
    # The cut commit is not the goal's first: start falls back to the file's date, and the
    # history is empty, so the page has no History section.
    (goal,) = exported["goals"]
    assert goal["history"] == [] and goal["start"] != "2026-02-01"
    assert "gs-history" not in (clone / "_site/goals/talks/index.html").read_text(encoding="utf-8")
