"""The history cache: the vault's commit list up to a HEAD and parsed front matter by blob id.

Kept as JSON (never pickle: a vault is untrusted input, and so is anything next to it) in
`<cache_dir>/history.json`. Commits and blobs never change under their ids, so the cache is
valid for as long as HEAD continues the cached chain. A cache that cannot be read, was written
by another version, or belongs to another repository is ignored and replaced.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from goalsite.gitlog import Commit, FileChange, Repository
from goalsite.historyparse import PARSER_VERSION, Snapshot, SnapshotValue

log = logging.getLogger(__name__)

CACHE_NAME = "history.json"
_FORMAT = f"goalsite-history/1.{PARSER_VERSION}"


class _Foreign(ValueError):
    """The cache file is not one this version of goalsite wrote for this repository."""


@dataclass
class HistoryCache:
    """What an earlier run read: the commits up to `head` and snapshots by blob id."""

    head: str | None = None
    commits: tuple[Commit, ...] = ()
    snapshots: dict[str, Snapshot | None] = field(default_factory=dict)
    _loaded: tuple[str | None, frozenset[str]] = field(default=(None, frozenset()), repr=False)

    @classmethod
    def load(cls, cache_dir: Path | None, repo: Repository) -> HistoryCache:
        """The cache for `repo`, or an empty one (no folder, no file, corrupt or foreign)."""
        if cache_dir is None:
            return cls()
        try:
            raw = json.loads((cache_dir / CACHE_NAME).read_text(encoding="utf-8"))
            cache = _decode(raw, repo)
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError,
                RecursionError) as error:  # RecursionError: JSON nested too deep
            log.debug("history cache ignored: %s", error)
            return cls()
        cache._loaded = (cache.head, frozenset(cache.snapshots))
        return cache

    def save(self, cache_dir: Path | None, repo: Repository, commits: tuple[Commit, ...]) -> None:
        """Keep `commits` (up to `repo.head`) and the snapshots they still use, if anything is
        new; a cache that cannot be written is only a slower next run."""
        used = {change.new_blob for commit in commits for change in commit.files}
        self.snapshots = {blob: snap for blob, snap in self.snapshots.items() if blob in used}
        changed = (repo.head, frozenset(self.snapshots)) != self._loaded
        self.head, self.commits = repo.head, commits
        if cache_dir is None or not changed:
            return
        document = {
            "format": _FORMAT, "top": repo.top, "prefix": repo.prefix,
            "shallow": sorted(repo.shallow), "head": repo.head,
            "commits": [_commit_json(commit) for commit in commits],
            "snapshots": {blob: None if snap is None else dict(snap)
                          for blob, snap in self.snapshots.items()},
        }
        # dumps, not dump: the C encoder makes the whole text at once.
        text = json.dumps(document, sort_keys=True, separators=(",", ":"))
        temporary: str | None = None
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            _ignored_by_git(cache_dir)
            handle, temporary = tempfile.mkstemp(dir=cache_dir, prefix=".history-", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, cache_dir / CACHE_NAME)
        except OSError as error:
            log.debug("history cache not written: %s", error)
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
        self._loaded = (self.head, frozenset(self.snapshots))


def _ignored_by_git(cache_dir: Path) -> None:
    """A `.gitignore` of `*` in the cache folder, so that a vault without its own ignore rules
    does not see goalsite's cache as untracked files in `git status`."""
    ignore = cache_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# goalsite's cache: never commit it\n*\n", encoding="utf-8")


def _commit_json(commit: Commit) -> list[object]:
    return [commit.id, list(commit.parents), commit.date, commit.author, commit.subject,
            [[c.status, c.old_path, c.path, c.old_blob, c.new_blob] for c in commit.files]]


def _decode(raw: object, repo: Repository) -> HistoryCache:
    """Rebuild the cache from JSON, checking every piece: anything unexpected raises."""
    if not isinstance(raw, dict) or raw.get("format") != _FORMAT:
        raise _Foreign("another format")
    if (raw["top"], raw["prefix"], raw["shallow"]) != (repo.top, repo.prefix, sorted(repo.shallow)):
        raise _Foreign("another repository, folder or shallow cut")
    commits = tuple(_commit(item) for item in raw["commits"])
    snapshots = {_text(blob): None if snap is None else _snapshot(snap)
                 for blob, snap in raw["snapshots"].items()}
    return HistoryCache(_text(raw["head"]), commits, snapshots)


def _commit(item: list[object]) -> Commit:
    commit_id, parents, date, author, subject, files = item
    if not isinstance(parents, list) or not isinstance(files, list):
        raise TypeError("commit")
    return Commit(_text(commit_id), tuple(_text(p) for p in parents), _text(date), _text(author),
                  _text(subject), tuple(_file(change) for change in files))


def _file(item: object) -> FileChange:
    if not isinstance(item, list):
        raise TypeError("file change")
    status, old_path, path, old_blob, new_blob = item
    return FileChange(_text(status), _text(old_path), _text(path),
                      None if old_blob is None else _text(old_blob),
                      None if new_blob is None else _text(new_blob))


def _snapshot(item: object) -> Snapshot:
    if not isinstance(item, dict):
        raise TypeError("snapshot")
    return {_text(name): _value(value) for name, value in item.items()}


def _value(item: object) -> SnapshotValue:
    if item is None or isinstance(item, str | bool | int | float):
        return item
    if isinstance(item, list):
        return tuple(_value(inner) for inner in item)
    raise TypeError("value")


def _text(item: object) -> str:
    if not isinstance(item, str):
        raise TypeError("text")
    return item
