"""Goal history from git: how each goal's front matter changed, commit by commit (SPEC §5).

`read_history` follows the first-parent chain of HEAD — the branch as its owner lived it — so a
merge that brought a change onto the branch is one revision with the merge's subject, and the
states a side branch went through before it was merged never count: they were never the goal in
effect. Renames are followed. A commit that changed a file but no front-matter value (the body,
a comment, the layout) is counted in `body_only_commits`. Every git problem reads as "no history".
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from goalsite import gitlog
from goalsite.gitlog import Commit, FileChange
from goalsite.historycache import HistoryCache, Snapshot, SnapshotValue
from goalsite.historyparse import snapshot_of
from goalsite.load import load_vault
from goalsite.model import Vault

log = logging.getLogger(__name__)

# goalsite's own folder in the vault, shared with the build cache (see cache.py).
CACHE_FOLDER = ".goalsite-cache"
# An incremental read lists every commit since the cached HEAD; past this many it reads cold.
_INCREMENTAL_LIMIT = 2000


@dataclass(frozen=True)
class Change:
    """One front-matter value that a commit changed: `field` is a dotted path (`due`,
    `status`, `measures.presentations.target`, `obstacles.0.plan`); `old`/`new` are the values as
    written (dates as ISO text, lists as tuples), None where the field was absent."""

    field: str
    old: SnapshotValue
    new: SnapshotValue


@dataclass(frozen=True)
class Revision:
    """A commit that changed a goal's front matter. The commit that added the file (the oldest
    revision of a goal whose creation git knows) has no changes."""

    date: dt.date
    commit: str
    author: str
    subject: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class GoalHistory:
    """What git knows of one goal file; empty when the file is not committed or git is absent.

    `first_commit_date` is the date of the commit that added the file (through renames), None
    when unknown (not committed, or cut off by a shallow clone). `revisions` are newest first.
    """

    path: str
    first_commit_date: dt.date | None
    revisions: tuple[Revision, ...]
    body_only_commits: int

    def target_history(self, measure_key: str) -> tuple[tuple[dt.date, float], ...]:
        """The measure's targets over time, oldest first: the value it had since the file's
        first commit, then each new value on the day it was committed (the last one of a day).
        Empty when git never saw the target change."""
        name = f"measures.{measure_key}.target"
        points: dict[dt.date, float] = {}
        for revision in reversed(self.revisions):
            for change in revision.changes:
                if change.field != name:
                    continue
                old, new = _number(change.old), _number(change.new)
                if not points and old is not None and self.first_commit_date is not None:
                    points[self.first_commit_date] = old
                if new is not None:
                    points.pop(revision.date, None)
                    points[revision.date] = new
        return tuple(sorted(points.items()))

    def due_moves(self) -> int:
        """How many commits moved `due` from one date to another (setting it first is no move)."""
        return len(self._moves("due"))

    def due_trail(self) -> tuple[str, ...]:
        """The due dates the moves went through, oldest first, as written: `2026-09-30`,
        `2026-10-31`, …; empty when `due` never moved."""
        moves = self._moves("due")
        return tuple(str(value) for value in (moves[0].old, *(m.new for m in moves))) if moves \
            else ()

    def _moves(self, name: str) -> tuple[Change, ...]:
        """The changes of `name` from one value to another, oldest first."""
        return tuple(change for revision in reversed(self.revisions) for change in revision.changes
                     if change.field == name and change.old is not None and change.new is not None)


def read_history(vault_root: Path, goal_paths: Iterable[str], *,
                 cache_dir: Path | None = None) -> Mapping[str, GoalHistory]:
    """The git history of each goal file (paths relative to `vault_root`, `/`-separated).

    Every requested path has an entry; it is empty when git is missing, the vault is not in a
    repository, or the file was never committed. Uncommitted edits are not history: the loader
    reads the file as it is. At most four `git` processes run, whatever the number of files and
    commits; with `cache_dir`, parsed front matter and the commit list are kept as JSON by commit
    and blob id, so a rebuild reads only the commits made since.
    """
    return VaultHistory(vault_root, cache_dir=cache_dir).goals(goal_paths)


class VaultHistory:
    """One read of a vault's git log, shared by the stages of one build: the first commit dates
    the loader needs before it knows which files are goals (SPEC §2.1 `start`), then the goals'
    histories. Reading the log runs `git rev-parse` and `git log`; `goals()` adds one
    `git cat-file --batch` for the versions not yet in the cache."""

    def __init__(self, vault_root: Path, *, cache_dir: Path | None = None,
                 repository: gitlog.Repository | None | Literal["locate"] = "locate") -> None:
        """`repository`: the one holding the vault, when the caller has located it already."""
        self._root = vault_root
        self._cache_dir = cache_dir
        self._repo = gitlog.locate(vault_root) if repository == "locate" else repository
        self._cache = HistoryCache.load(cache_dir, self._repo) if self._repo else HistoryCache()
        self._commits = _commits(vault_root, self._repo, self._cache) if self._repo else None
        if self._repo is not None and self._commits is not None:
            self._cache.save(cache_dir, self._repo, self._commits)

    @property
    def head(self) -> str | None:
        """The commit HEAD names, or None without a repository: what a rebuild compares to
        know that the histories changed although no file did."""
        return self._repo.head if self._repo is not None else None

    def first_seen(self) -> Mapping[str, dt.date]:
        """The date each Markdown file at HEAD was first committed (through renames), by
        vault-relative path; files never committed or cut off by a shallow clone are absent."""
        if self._repo is None or self._commits is None:
            return {}
        shallow = self._repo.shallow
        found: dict[str, dt.date] = {}
        for path, touches in _touches(self._commits, _paths_at_head(self._commits)).items():
            if touches and touches[-1][1].status == "A" and touches[-1][0].id not in shallow:
                found[path] = _date(touches[-1][0].date)
        return found

    def goals(self, goal_paths: Iterable[str]) -> Mapping[str, GoalHistory]:
        """The history of each of `goal_paths` (see `read_history`)."""
        paths = sorted({_normal(path) for path in goal_paths})
        repo, commits, cache = self._repo, self._commits, self._cache
        if repo is None or commits is None:
            return {path: GoalHistory(path, None, (), 0) for path in paths}
        touches = _touches(commits, paths)
        wanted = {change.new_blob for found in touches.values() for _, change in found
                  if change.new_blob is not None}
        missing = wanted - cache.snapshots.keys()
        memo: dict[tuple[str, str], Snapshot | None] = {}
        for blob_id, data in gitlog.read_blobs(self._root, missing).items():
            cache.snapshots[blob_id] = snapshot_of(data, memo)
        cache.save(self._cache_dir, repo, commits)
        return {path: _history(path, touches[path], cache.snapshots, repo.shallow)
                for path in paths}


def cache_folder(vault_root: Path, *, create: bool) -> Path | None:
    """Where the history cache lives: the vault's `.goalsite-cache/`. `build`, `watch` and
    `serve` make it (`create`); the commands that only read (lint, status, review, export) use
    it when a build already made it, and otherwise leave the vault as it is."""
    folder = vault_root / CACHE_FOLDER
    return folder if create or folder.is_dir() else None


def load_with_history(vault_root: Path, *, cache_dir: Path | None = None,
                      ) -> tuple[Vault, VaultHistory]:
    """Load the vault with git's help, as every command does: a goal without `start:` starts on
    the day its file was first committed (SPEC §2.1), and the history read for it comes back
    for the stages that show it. Without git or a repository this costs one failed `git`.
    These commands show no note's body, so none is kept (`load_file`)."""
    history = VaultHistory(vault_root, cache_dir=cache_dir)
    return load_vault(vault_root, first_seen=history.first_seen(), bodies=False), history


def _paths_at_head(commits: Sequence[Commit]) -> list[str]:
    """The Markdown files that exist at HEAD: the newest mention of each path is not a
    deletion (nor the old side of a rename)."""
    seen: set[str] = set()
    alive: list[str] = []
    for commit in commits:
        for change in commit.files:
            if change.status == "R" and change.old_path not in seen:
                seen.add(change.old_path)
            if change.path not in seen:
                seen.add(change.path)
                if change.status != "D":
                    alive.append(change.path)
    return alive


def _commits(vault_root: Path, repo: gitlog.Repository,
             cache: HistoryCache) -> tuple[Commit, ...] | None:
    """The vault's commits, newest first: from the cache when HEAD has not moved, the cache plus
    the new commits when HEAD moved forward along its first parents, else read in full."""
    if cache.head == repo.head:
        return cache.commits
    if cache.head:
        new = gitlog.first_parent_log(vault_root, repo, since=cache.head,
                                      limit=_INCREMENTAL_LIMIT)
        # The new commits continue the cached chain only if the oldest one's parent is its head.
        if new and len(new) < _INCREMENTAL_LIMIT and new[-1].parents[:1] == (cache.head,):
            return tuple(commit for commit in new if commit.files) + cache.commits
        log.debug("history: HEAD moved off the cached chain; reading it in full")
    return gitlog.first_parent_log(vault_root, repo)


def _touches(commits: Sequence[Commit],
             paths: Sequence[str]) -> dict[str, list[tuple[Commit, FileChange]]]:
    """For each goal path, the commits (newest first) that changed the file under the name it
    had then: walking back, a rename switches to the old name, an addition ends the trail."""
    names = {path: path for path in paths}
    found: dict[str, list[tuple[Commit, FileChange]]] = {path: [] for path in paths}
    for commit in commits:
        if not names:
            break
        ended: list[str] = []
        renamed: list[tuple[str, str]] = []
        for change in commit.files:
            goal = names.get(change.path) if change.status != "D" else None
            if goal is None:
                continue
            found[goal].append((commit, change))
            if change.status in ("A", "R"):
                ended.append(change.path)
            if change.status == "R":
                renamed.append((change.old_path, goal))
        # All of one commit's renames at once, so that swapping two names follows both.
        for name in ended:
            names.pop(name, None)
        names.update(renamed)
    return found


def _history(path: str, touches: Sequence[tuple[Commit, FileChange]],
             snapshots: Mapping[str, Snapshot | None], shallow: frozenset[str]) -> GoalHistory:
    """Compare each version's front matter with the last one that parsed, oldest first."""
    revisions: list[Revision] = []
    first: dt.date | None = None
    body_only = 0
    last: Snapshot | None = None
    for commit, change in reversed(touches):
        date = _date(commit.date)
        current = snapshots.get(change.new_blob) if change.new_blob else None
        if change.status == "A":
            last = current
            if commit.id in shallow:
                continue  # a shallow clone's cut: the file existed, since when is unknown
            first = date
            revisions.append(Revision(date, commit.id, commit.author, commit.subject, ()))
            continue
        if current is None:
            continue  # a version whose front matter does not parse is skipped
        if last is None:
            last = current
            continue
        changes = _changes(last, current)
        last = current
        if changes:
            revisions.append(Revision(date, commit.id, commit.author, commit.subject, changes))
        elif change.old_blob != change.new_blob:
            body_only += 1
    return GoalHistory(path, first, tuple(reversed(revisions)), body_only)


def _changes(old: Snapshot, new: Snapshot) -> tuple[Change, ...]:
    fields = sorted(old.keys() | new.keys())
    return tuple(Change(name, old.get(name), new.get(name)) for name in fields
                 if _differs(old.get(name), new.get(name)))


def _differs(old: SnapshotValue, new: SnapshotValue) -> bool:
    # `weight: 1` → `weight: true` is a change although True == 1 in Python.
    return old != new or isinstance(old, bool) != isinstance(new, bool)


def _number(value: SnapshotValue) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _date(text: str) -> dt.date:
    """The commit's author date, in the author's own time zone."""
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        return dt.date(1970, 1, 1)


def _normal(path: str) -> str:
    text = str(path).replace(os.sep, "/")
    while text.startswith("./"):
        text = text[2:]
    return text
