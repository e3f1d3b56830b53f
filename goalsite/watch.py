"""Watch a vault and rebuild when it really changed (SPEC §6).

Watch events only say "look again": the builder compares file hashes with its last build and
decides what changed, so every kind of editor save behaves the same. This module decides which
events are worth a look (real changes to the vault's notes, templates, assets, config and git
refs; never file opens or reads, never the output folder), waits for a quiet moment so that one
save or one `git checkout` is one rebuild, and keeps the observer alive when folders come and go.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

log = logging.getLogger(__name__)

# Only events that mean content changed. Opens, reads (`closed_no_write`) and attribute changes
# are left out: the build itself reads every file, and reacting to that rebuilds forever.
CHANGE_EVENTS: tuple[type[FileSystemEvent], ...] = (
    FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
)
_CHANGE_TYPES = frozenset({"created", "modified", "closed", "deleted", "moved"})
CONFIG_NAME = "goalsite.toml"
# A save of this many files or fewer is a person's, and is previewed; more is a tool's (a
# checkout, a sync), left to the build.
PREVIEW_FILES = 8
# The vault's own page templates and files copied into the site (SPEC §5).
SITE_FOLDERS = frozenset({"templates", "assets"})
CACHE_FOLDER = ".goalsite-cache"


class Rebuilder(Protocol):
    """What the watcher drives: `goalsite.build.Builder`."""

    def preview(self, changed: tuple[str, ...]) -> object:
        """Show the changed files' own pages at once (may do nothing)."""

    def build(self) -> object: ...


@dataclass(frozen=True)
class WatchScope:
    """Which paths of a vault matter: its notes, config, templates, assets and git refs (for the
    history of goals), but never the output folder, its staging folders, or goalsite's cache."""

    vault: Path
    excluded: tuple[Path, ...]

    @classmethod
    def of(cls, vault: Path, output: Path) -> WatchScope:
        vault = vault.resolve()
        output = output.resolve()
        excluded = (output, output.parent / f".{output.name}.goalsite-new",
                    output.parent / f".{output.name}.goalsite-old", vault / CACHE_FOLDER)
        return cls(vault, excluded)

    def relative(self, path: str | os.PathLike[str]) -> PurePosixPath | None:
        """`path` relative to the vault (None when outside it or excluded)."""
        absolute = Path(os.fsdecode(path))
        if any(absolute == excluded or excluded in absolute.parents for excluded in self.excluded):
            return None
        try:
            return PurePosixPath(absolute.relative_to(self.vault).as_posix())
        except ValueError:
            return None

    def matters(self, path: str | os.PathLike[str], *, is_directory: bool) -> bool:
        """Whether a change at `path` can change the site."""
        relative = self.relative(path)
        if relative is None or not relative.parts:
            return False
        parts = relative.parts
        if parts[0] == ".git":
            # git history (issue 9): a commit, a checkout, a fetch move HEAD or a ref.
            return not parts[-1].endswith(".lock") and (
                parts[1:] in (("HEAD",), ("packed-refs",)) or (len(parts) > 2 and parts[1] == "refs"))
        if any(_leftover(part) for part in parts):
            return False
        if parts[0] in SITE_FOLDERS or relative.as_posix() == CONFIG_NAME:
            return True
        # A folder's move or deletion takes its notes with it; a new one may bring some.
        return is_directory or parts[-1].endswith(".md")

    def watches(self) -> tuple[tuple[Path, bool], ...]:
        """The (folder, recursive) watches that cover the scope: whole subtrees where possible,
        single levels only above an excluded folder, and of `.git/` only itself and `refs/`."""
        plan: list[tuple[Path, bool]] = []

        def visit(folder: Path) -> None:
            plan.append((folder, False))
            try:
                children = sorted(entry for entry in folder.iterdir()
                                  if entry.is_dir() and not entry.is_symlink())
            except OSError:
                return
            for child in children:
                if child in self.excluded:
                    continue
                if child == self.vault / ".git":
                    plan.append((child, False))
                    if (child / "refs").is_dir():
                        plan.append((child / "refs", True))
                elif any(child in excluded.parents for excluded in self.excluded):
                    visit(child)
                else:
                    plan.append((child, True))

        if self.vault.is_dir():
            visit(self.vault)
        return tuple(plan)


def _leftover(name: str) -> bool:
    """Hidden files and editor leftovers: `.x.swp`, `x.md~`, `#x.md#`, `.#x.md`, vim's `4913`."""
    return (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swo", ".swx", ".tmp", "#"))
            or name == "4913")


class _Collector(FileSystemEventHandler):
    """Receives events on the observer's thread and keeps the paths that matter."""

    def __init__(self, scope: WatchScope, condition: threading.Condition,
                 pending: list[str]) -> None:
        self.scope = scope
        self.condition = condition
        self.pending = pending
        self.last = 0.0
        # Whether the last event that mattered ended a save: a file closed after writing, or
        # moved into place (an editor's safe save).
        self.saved = False

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGE_TYPES:
            return
        if event.event_type == "modified" and event.is_directory:
            return  # a folder's listing changed: its entries' own events say which
        paths = [os.fsdecode(event.src_path)]
        if event.event_type == "moved" and event.dest_path:
            paths.append(os.fsdecode(event.dest_path))
        hits = [path for path in paths if self.scope.matters(path, is_directory=event.is_directory)]
        if hits:
            with self.condition:
                self.pending.extend(hits)
                self.last = time.monotonic()
                moved_in = event.event_type == "moved" and len(paths) == 2 and paths[1] in hits
                self.saved = event.event_type == "closed" or moved_in
                self.condition.notify_all()


class Watcher:
    """A watchdog observer on one vault that hands out settled batches of changed paths.

    `quiet` is how long events must pause before a batch is handed out, `max_wait` caps how long
    a stream of events can postpone it; `quiet_after_save` is the pause after the end of a save
    before its preview (see `next_batch`).
    """

    def __init__(self, scope: WatchScope, *, quiet: float = 0.05, quiet_after_save: float = 0.005,
                 max_wait: float = 1.0, check_every: float = 1.0) -> None:
        self.scope = scope
        self.quiet = quiet
        self.quiet_after_save = quiet_after_save
        self.max_wait = max_wait
        self.check_every = check_every
        self._condition = threading.Condition()
        self._pending: list[str] = []
        self._collector = _Collector(scope, self._condition, self._pending)
        self._observer: BaseObserver = Observer()
        self._watches: dict[tuple[Path, bool], ObservedWatch] = {}
        self._vault_present = True

    def start(self) -> None:
        """Schedule the watches and start the observer thread."""
        self._observer.daemon = True
        self._observer.start()
        self.reconcile()

    def stop(self) -> None:
        """Stop the observer (safe to call more than once)."""
        try:
            self._observer.stop()
            if self._observer.is_alive():
                self._observer.join(timeout=5)
        except RuntimeError:
            pass

    def __enter__(self) -> Watcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reconcile(self) -> bool:
        """Bring the watches in line with the folders that exist now: drop those of deleted
        folders (and any whose watcher thread ended), add new ones. True when the vault came
        back after being gone, which calls for a full look."""
        wanted = self.scope.watches()
        returned = bool(wanted) and not self._vault_present
        self._vault_present = bool(wanted)
        alive = {emitter.watch for emitter in self._observer.emitters if emitter.is_alive()}
        for key, watch in list(self._watches.items()):
            if key not in wanted or watch not in alive:
                self._unschedule(watch)
                del self._watches[key]
        for folder, recursive in wanted:
            if (folder, recursive) not in self._watches:
                try:
                    self._watches[(folder, recursive)] = self._observer.schedule(
                        self._collector, str(folder), recursive=recursive,
                        event_filter=list(CHANGE_EVENTS))
                except OSError as error:
                    # Gone between the listing and the watch: the next check picks it up again.
                    log.debug("cannot watch %s: %s", folder, error)
        return returned

    def _unschedule(self, watch: ObservedWatch) -> None:
        try:
            self._observer.unschedule(watch)
        except (KeyError, OSError, RuntimeError):
            pass

    def next_batch(self, stop: threading.Event,
                   on_save: Callable[[tuple[str, ...]], object] | None = None) -> tuple[str, ...] | None:
        """Wait until changes have settled and return their paths (sorted, vault-relative), or
        None once `stop` is set. Between events the watches are checked every `check_every`
        seconds, so a deleted and re-made folder is watched again.

        `on_save` is called, once per batch and on this thread, with the paths so far as soon
        as a save of at most `PREVIEW_FILES` files has ended (`quiet_after_save` after a file
        closed after writing or moved into place), while the batch goes on settling: watch
        mode previews the saved page there (issue 10), and a checkout of many files is still
        one batch."""
        next_check = time.monotonic() + self.check_every
        while True:
            with self._condition:
                if self._pending:
                    break
                if stop.is_set():
                    return None
                self._condition.wait(timeout=min(0.2, self.check_every))
                if self._pending:
                    break
            if time.monotonic() >= next_check:
                if self.reconcile():
                    with self._condition:
                        self._pending.append(str(self.scope.vault))
                next_check = time.monotonic() + self.check_every
        with self._condition:
            first = time.monotonic()
            while not stop.is_set():
                now = time.monotonic()
                saved = self._collector.last + self.quiet_after_save
                if on_save is not None and self._collector.saved and now >= saved:
                    paths = tuple(sorted({_display(self.scope, path) for path in self._pending}))
                    if len(paths) <= PREVIEW_FILES:
                        self._condition.release()
                        try:
                            on_save(paths)
                        finally:
                            self._condition.acquire()
                    on_save = None
                    continue
                settle = self._collector.last + self.quiet
                if now >= settle or now >= first + self.max_wait:
                    break
                wake = min(settle, first + self.max_wait)
                if on_save is not None and self._collector.saved:
                    wake = min(wake, saved)
                self._condition.wait(timeout=max(0.0, wake - now))
            batch = tuple(self._pending)
            self._pending.clear()
        # New folders appear in the batch: watch them before the build reads them, so that
        # nothing written from now on goes unseen.
        self.reconcile()
        return tuple(sorted({_display(self.scope, path) for path in batch}))


def _display(scope: WatchScope, path: str) -> str:
    relative = scope.relative(path)
    return relative.as_posix() if relative is not None and relative.parts else "."


@dataclass(frozen=True)
class Rebuild:
    """One pass of the loop: what triggered it, what the builder returned or raised."""

    number: int
    trigger: tuple[str, ...]
    result: object | None
    error: BaseException | None
    seconds: float


def watch_loop(builder: Rebuilder, watcher: Watcher, stop: threading.Event,
               on_rebuild: Callable[[Rebuild], None]) -> int:
    """Rebuild after every settled batch of changes until `stop` is set; return how many
    rebuilds ran. A save is previewed (the saved file's own pages) as soon as it ends, before
    the batch settles and the build runs. A build whose result says `nothing_changed` (the
    files hash as they did: a late half of a move, a file saved unchanged) is no rebuild and
    is not reported. No exception from the builder or from `on_rebuild` ends the loop: it is
    logged, and the output of the last good build stays."""
    count = 0
    while not stop.is_set():
        try:
            batch = watcher.next_batch(stop, on_save=lambda paths: _preview(builder, paths))
        except Exception:  # noqa: BLE001 - a watching bug must not end watching either
            log.exception("waiting for changes failed; looking again")
            stop.wait(1.0)
            batch = (".",)
        if batch is None:
            break
        started = time.perf_counter()
        try:
            result: object | None = builder.build()
            error: BaseException | None = None
        except Exception as failure:  # noqa: BLE001 - the watcher must outlive any build bug
            log.exception("the rebuild after changes to %s failed", ", ".join(batch))
            result, error = None, failure
        if getattr(result, "nothing_changed", False):
            continue
        count += 1
        rebuild = Rebuild(count, batch, result, error, time.perf_counter() - started)
        try:
            on_rebuild(rebuild)
        except Exception:  # noqa: BLE001 - same: a reporting bug must not stop watching
            log.exception("reporting rebuild %d failed", count)
    return count


def _preview(builder: Rebuilder, paths: tuple[str, ...]) -> None:
    try:
        builder.preview(paths)
    except Exception:  # noqa: BLE001 - the build that follows still runs, and reports
        log.exception("the preview of %s failed", ", ".join(paths))


def describe_paths(paths: Iterable[str], limit: int = 1) -> str:
    """`goals/a.md`, or `goals/a.md and 199 more` for a long list."""
    ordered = sorted(set(paths))
    if len(ordered) <= limit:
        return ", ".join(ordered)
    return f"{', '.join(ordered[:limit])} and {len(ordered) - limit} more"
