"""How much reading goal history from git costs, cold and with the cache (issue 9).

Generates a repository with `git fast-import` (2,000 goals and 5,000 commits by default: each
goal added, then target changes, due moves, status changes, body-only edits and renames), then
times `read_history` over every goal: without a cache, filling a cache, with the cache and HEAD
unchanged (and the first-commit dates alone, what `start` needs), and with the cache after one
new commit.

    .venv/bin/python benchmarks/history.py [--goals 2000] [--commits 5000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from goalsite.history import GoalHistory, VaultHistory, read_history  # noqa: E402

START = 1767610800  # 2026-01-05 10:00 UTC
DAY = 86400
STATUSES = ("active", "active", "active", "paused", "achieved", "dropped")


def goal_text(number: int, target: int, due: str, status: str, note: int) -> bytes:
    return (f"---\ntitle: Goal {number}\nhorizon: quarterly\nstatus: {status}\ndue: {due}\n"
            f"measures:\n  - key: talks\n    unit: presentations\n    baseline: 0\n"
            f"    target: {target}\n    aggregate: sum\ntags: [bench]\n---\n"
            f"Why goal {number} matters.\n\nNote {note}.\n").encode()


def stream(goals: int, commits: int, seed: int = 7) -> Iterator[bytes]:
    """The fast-import commands of the whole repository."""
    rng = random.Random(seed)
    state: dict[int, list[object]] = {}
    names: dict[int, str] = {}

    def commit(mark: int, message: str, files: list[bytes]) -> bytes:
        when = START + mark * DAY // 20
        header = (f"commit refs/heads/main\nmark :{mark}\n"
                  f"author Bench <bench@example.com> {when} +0000\n"
                  f"committer Bench <bench@example.com> {when} +0000\n"
                  f"data {len(message.encode())}\n{message}\n")
        parent = f"from :{mark - 1}\n" if mark > 1 else ""
        return header.encode() + parent.encode() + b"".join(files) + b"\n"

    def put(path: str, data: bytes) -> bytes:
        return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"

    for mark in range(1, commits + 1):
        if mark <= goals:
            number = mark
            names[number] = f"goals/g{number:04d}.md"
            state[number] = [6, "2026-09-30", "active", 0]
            yield commit(mark, f"Add goal {number}", [put(names[number], goal_text(number, *state[number]))])  # type: ignore[arg-type]
            continue
        number = rng.randint(1, goals)
        target, due, status, note = state[number]
        kind = rng.choice(("target", "due", "status", "body", "body", "rename"))
        if kind == "rename":
            old, names[number] = names[number], f"goals/renamed/g{number:04d}-{mark}.md"
            yield commit(mark, f"Move goal {number}",
                         [f'R "{old}" "{names[number]}"\n'.encode()])
            continue
        if kind == "target":
            target = int(target) + rng.choice((-1, 1))  # type: ignore[call-overload]
        elif kind == "due":
            due = f"2026-{rng.randint(7, 12):02d}-{rng.randint(1, 28):02d}"
        elif kind == "status":
            status = rng.choice(STATUSES)
        else:
            note = int(note) + 1  # type: ignore[call-overload]
        state[number] = [target, due, status, note]
        yield commit(mark, f"Update goal {number}: {kind}",
                     [put(names[number], goal_text(number, *state[number]))])  # type: ignore[arg-type]


def make_repository(root: Path, goals: int, commits: int) -> list[str]:
    """A repository at `root` (HEAD on main, no working tree files); its goal paths."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    feed = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=root, stdin=subprocess.PIPE)
    assert feed.stdin is not None
    for chunk in stream(goals, commits):
        feed.stdin.write(chunk)
    feed.stdin.close()
    if feed.wait() != 0:
        raise SystemExit("git fast-import failed")
    listing = subprocess.run(["git", "ls-tree", "-r", "--name-only", "HEAD"], cwd=root,
                             check=True, capture_output=True, text=True)
    return listing.stdout.split()


def add_commit(root: Path) -> None:
    """One more commit on top of HEAD, changing one goal's target."""
    data = goal_text(1, 99, "2026-12-31", "active", 0)
    message = b"Raise goal 1 a lot"
    when = START + 400 * DAY
    commands = (f"commit refs/heads/main\ncommitter Bench <bench@example.com> {when} +0000\n"
                f"data {len(message)}\n").encode() + message + b"\nfrom refs/heads/main^0\n"
    path = subprocess.run(["git", "log", "-1", "--format=", "--name-only", "--", "goals/**g0001*"],
                          cwd=root, capture_output=True, text=True).stdout.strip() or "goals/g0001.md"
    commands += f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n\n"
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=commands, check=True)


def timed(label: str, run: Callable[[], object]) -> object:
    """Run once; print the wall time and this process's own CPU time (git's runs apart)."""
    began, cpu = time.perf_counter(), time.process_time()
    result = run()
    print(f"  {label:<30} {time.perf_counter() - began:7.3f} s wall"
          f" {time.process_time() - cpu:7.3f} s python")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=2000)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = options.keep or Path(scratch) / "vault"
        cache = Path(scratch) / "cache"
        print(f"history benchmark: {options.goals} goals, {options.commits} commits")
        paths = timed("generate (git fast-import)",
                      lambda: make_repository(root, options.goals, options.commits))
        assert isinstance(paths, list)
        found = timed("cold, no cache", lambda: read_history(root, paths))
        timed("cold, filling the cache", lambda: read_history(root, paths, cache_dir=cache))
        timed("cached, HEAD unchanged", lambda: read_history(root, paths, cache_dir=cache))
        timed("cached, start dates only", lambda: VaultHistory(root, cache_dir=cache).first_seen())
        add_commit(root)
        timed("cached, one new commit", lambda: read_history(root, paths, cache_dir=cache))
        assert isinstance(found, dict)
        histories: list[GoalHistory] = list(found.values())
        revisions = sum(len(h.revisions) for h in histories)
        print(f"  {len(histories)} goals, {revisions} revisions, "
              f"{sum(h.body_only_commits for h in histories)} body-only commits, "
              f"cache {(cache / 'history.json').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
