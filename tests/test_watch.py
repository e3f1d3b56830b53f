"""The real watcher (watchdog) on real temporary vaults: every kind of save is one rebuild."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from goalsite.watch import (
    PREVIEW_FILES, Rebuild, Watcher, WatchScope, describe_paths, watch_loop,
)

# Long enough for a slow CI machine, never waited in full when things work.
TIMEOUT = 15.0
# After the expected rebuilds: how long no further rebuild may come (many times the debounce).
SETTLE = 0.4


class Snapshot:
    """A stand-in builder that records the vault's Markdown files as it finds them."""

    def __init__(self, vault: Path) -> None:
        self.vault = vault
        self.seen: dict[str, str] = {}
        self.fail_next = False
        self.previews: list[tuple[str, ...]] = []

    def preview(self, changed: tuple[str, ...]) -> tuple[str, ...]:
        self.previews.append(changed)
        return ()

    def build(self) -> dict[str, str]:
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("a bug in the builder")
        # Reading every file is what a build does: the watcher must not react to it.
        self.seen = {path.relative_to(self.vault).as_posix(): path.read_text()
                     for path in sorted(self.vault.rglob("*.md"))
                     if ".git" not in path.parts and "_site" not in path.parts}
        return dict(self.seen)


class Session:
    """The watch loop running in a thread on `vault`, recording every rebuild."""

    def __init__(self, vault: Path, builder: Snapshot, output: Path) -> None:
        self.builder = builder
        # Quiet time above the default 50 ms and no batch cut short: a loaded test machine may
        # pause while writing 200 files or checking out a branch.
        self.watcher = Watcher(WatchScope.of(vault, output), quiet=0.2, check_every=0.2,
                               max_wait=5.0)
        self.stop = threading.Event()
        self.rebuilds: list[Rebuild] = []
        self.condition = threading.Condition()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        watch_loop(self.builder, self.watcher, self.stop, self._record)

    def _record(self, rebuild: Rebuild) -> None:
        with self.condition:
            self.rebuilds.append(rebuild)
            self.condition.notify_all()

    def start(self) -> None:
        self.watcher.start()
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=TIMEOUT)
        self.watcher.stop()
        assert not self.thread.is_alive()

    def settle(self, count: int) -> list[Rebuild]:
        """Wait for `count` rebuilds in all, then make sure no other one follows."""
        with self.condition:
            assert self.condition.wait_for(lambda: len(self.rebuilds) >= count, TIMEOUT), (
                f"expected {count} rebuilds, saw {len(self.rebuilds)}")
            self.condition.wait_for(lambda: len(self.rebuilds) > count, SETTLE)
            assert len(self.rebuilds) == count, [r.trigger for r in self.rebuilds]
            return list(self.rebuilds)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    (root / "goals").mkdir(parents=True)
    (root / "journal").mkdir()
    (root / "goals" / "speaking.md").write_text("---\ntitle: Speak at 5 meetups\n---\nold text\n")
    (root / "_site").mkdir()
    return root


@pytest.fixture
def session(vault: Path) -> Iterator[Session]:
    running = Session(vault, Snapshot(vault), vault / "_site")
    running.start()
    yield running
    running.close()


def test_an_in_place_edit_is_one_rebuild(session: Session, vault: Path) -> None:
    with open(vault / "goals" / "speaking.md", "w") as file:
        file.write("---\ntitle: Speak at 6 meetups\n")
        file.flush()
        file.write("---\nnew text\n")
    rebuilds = session.settle(1)
    assert rebuilds[0].trigger == ("goals/speaking.md",)
    assert session.builder.seen["goals/speaking.md"].endswith("new text\n")


def test_write_to_a_temporary_file_and_rename_is_one_rebuild(session: Session, vault: Path) -> None:
    temporary = vault / "goals" / ".speaking.md.tmp1234"
    temporary.write_text("---\ntitle: Renamed save\n---\n")
    os.replace(temporary, vault / "goals" / "speaking.md")
    assert session.settle(1)[0].trigger == ("goals/speaking.md",)
    assert session.builder.seen["goals/speaking.md"] == "---\ntitle: Renamed save\n---\n"


@pytest.mark.skipif(shutil.which("vim") is None, reason="Debian's vim is not installed")
def test_a_vim_save_is_one_rebuild(session: Session, vault: Path) -> None:
    subprocess.run(["vim", "-n", "-u", "NONE", "-es", "-c", "%s/old/new/", "-c", "wq",
                    str(vault / "goals" / "speaking.md")], check=True, timeout=TIMEOUT)
    assert session.settle(1)[0].trigger == ("goals/speaking.md",)
    assert session.builder.seen["goals/speaking.md"].endswith("new text\n")


@pytest.mark.skipif(shutil.which("vim") is None, reason="Debian's vim is not installed")
def test_a_vim_save_with_backup_and_swap_files_is_one_rebuild(session: Session, vault: Path) -> None:
    # With a swap file and a backup made by renaming, vim moves the original away and writes
    # a new file: the events differ from an in-place write, the result must not.
    subprocess.run(["vim", "-u", "NONE", "-es", "-c", "set backup backupcopy=no writebackup",
                    "-c", "%s/old/new/", "-c", "wq", str(vault / "goals" / "speaking.md")],
                   check=True, timeout=TIMEOUT, cwd=vault)
    assert session.settle(1)[0].trigger == ("goals/speaking.md",)
    assert session.builder.seen["goals/speaking.md"].endswith("new text\n")


def test_sed_in_place_is_one_rebuild(session: Session, vault: Path) -> None:
    subprocess.run(["sed", "-i", "s/old/new/", str(vault / "goals" / "speaking.md")], check=True)
    assert session.settle(1)[0].trigger == ("goals/speaking.md",)


def test_a_deleted_file_is_one_rebuild(session: Session, vault: Path) -> None:
    (vault / "goals" / "speaking.md").unlink()
    assert session.settle(1)[0].trigger == ("goals/speaking.md",)
    assert session.builder.seen == {}


def test_a_moved_folder_is_one_rebuild(session: Session, vault: Path) -> None:
    (vault / "goals" / "career").mkdir()
    (vault / "goals" / "career" / "lead.md").write_text("lead\n")
    session.settle(1)
    (vault / "goals" / "career").rename(vault / "goals" / "leadership")
    assert session.settle(2)[1].trigger == (
        "goals/career", "goals/career/lead.md", "goals/leadership", "goals/leadership/lead.md")
    assert set(session.builder.seen) == {"goals/leadership/lead.md", "goals/speaking.md"}


def test_a_folder_moved_out_of_the_vault_is_one_rebuild(session: Session, vault: Path,
                                                       tmp_path: Path) -> None:
    shutil.move(vault / "goals", tmp_path / "elsewhere")
    assert "goals" in session.settle(1)[0].trigger
    assert session.builder.seen == {}


def test_a_new_folder_with_files_is_one_rebuild(session: Session, vault: Path) -> None:
    (vault / "goals" / "2027" / "q1").mkdir(parents=True)
    for name in ("a", "b", "c"):
        (vault / "goals" / "2027" / "q1" / f"{name}.md").write_text(name)
    session.settle(1)
    assert set(session.builder.seen) == {"goals/2027/q1/a.md", "goals/2027/q1/b.md",
                                         "goals/2027/q1/c.md", "goals/speaking.md"}


def test_a_new_top_level_folder_is_watched_from_then_on(session: Session, vault: Path) -> None:
    (vault / "notes").mkdir()
    (vault / "notes" / "a.md").write_text("first")
    session.settle(1)
    (vault / "notes" / "a.md").write_text("second")
    assert session.settle(2)[1].trigger == ("notes/a.md",)
    assert session.builder.seen["notes/a.md"] == "second"


def test_two_hundred_files_changed_at_once_are_one_rebuild(session: Session, vault: Path) -> None:
    for number in range(200):
        (vault / "journal" / f"2026-11-{number:03}.md").write_text(f"entry {number}\n")
    rebuild = session.settle(1)[0]
    assert len(rebuild.trigger) == 200
    assert len(session.builder.seen) == 201
    # A tool's many files are not previewed one by one (unless the first came alone).
    assert all(len(paths) <= PREVIEW_FILES for paths in session.builder.previews)
    assert len(session.builder.previews) <= 1


@pytest.mark.parametrize("save", ["in place", "rename"])
def test_a_save_is_previewed_once_before_its_rebuild(session: Session, vault: Path, save: str) -> None:
    """The end of a save (the file closed after writing, or moved into place) calls the
    builder's preview with the saved file, on the loop's thread, before the batch settles."""
    if save == "in place":
        (vault / "goals" / "speaking.md").write_text("new text\n")
    else:
        (vault / "goals" / ".speaking.md.tmp").write_text("new text\n")
        os.replace(vault / "goals" / ".speaking.md.tmp", vault / "goals" / "speaking.md")
    assert session.settle(1)[0].trigger == ("goals/speaking.md",)
    assert session.builder.previews == [("goals/speaking.md",)]


def test_a_change_that_is_no_save_is_not_previewed(session: Session, vault: Path) -> None:
    os.utime(vault / "goals" / "speaking.md", (1, 1))  # a touch: no file written
    (vault / "goals" / "speaking.md").unlink()
    assert session.settle(1)[0].trigger == ("goals/speaking.md",)
    assert session.builder.previews == []


def test_a_deleted_and_remade_folder_is_watched_again(session: Session, vault: Path) -> None:
    shutil.rmtree(vault / "goals")
    session.settle(1)
    (vault / "goals").mkdir()
    (vault / "goals" / "fresh.md").write_text("one")
    session.settle(2)
    (vault / "goals" / "fresh.md").write_text("two")
    assert session.settle(3)[2].trigger == ("goals/fresh.md",)
    assert session.builder.seen == {"goals/fresh.md": "two"}


def test_a_deleted_and_remade_vault_is_watched_again(session: Session, vault: Path,
                                                     tmp_path: Path) -> None:
    shutil.move(vault, tmp_path / "away")
    time.sleep(0.5)  # the watcher checks its folders every 0.2 s: let it notice the vault is gone
    session.settle(0)  # nothing to build: the last good output stays
    (tmp_path / "away" / "goals" / "speaking.md").write_text("back")
    shutil.move(tmp_path / "away", vault)
    assert session.settle(1)[0].trigger == (".",)
    (vault / "goals" / "speaking.md").write_text("again")
    assert session.settle(2)[1].trigger == ("goals/speaking.md",)
    assert session.builder.seen["goals/speaking.md"] == "again"


@pytest.mark.parametrize("name", [
    ".speaking.md.swp", ".speaking.md.swx", "speaking.md~", "#speaking.md#", ".#speaking.md",
    "4913", "notes.txt", "speaking.md.tmp",
])
def test_swap_backup_and_other_files_are_ignored(session: Session, vault: Path, name: str) -> None:
    (vault / "goals" / name).write_text("noise")
    (vault / "goals" / name).unlink()
    session.settle(0)


def test_the_output_folder_and_the_cache_are_never_watched(session: Session, vault: Path) -> None:
    for folder in ("_site", ".goalsite-cache", "._site.goalsite-new"):
        (vault / folder).mkdir(exist_ok=True)
        (vault / folder / "index.md").write_text("written by goalsite")
    session.settle(0)


def test_reading_files_is_not_a_change(session: Session, vault: Path) -> None:
    session.builder.build()
    (vault / "goals" / "speaking.md").read_bytes()
    os.utime(vault / "goals" / "speaking.md")
    session.settle(0)


def test_git_refs_and_head_count_but_the_rest_of_git_does_not(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / "goals").mkdir(parents=True)
    (vault / "goals" / "a.md").write_text("a")
    git = ["git", "-C", str(vault), "-c", "user.name=T", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "goals"], check=True)
    running = Session(vault, Snapshot(vault), vault / "_site")
    running.start()
    try:
        running.settle(0)  # `git add` after the start would write .git/index and objects only
        subprocess.run([*git, "commit", "-q", "-m", "first"], check=True)
        assert running.settle(1)[0].trigger == (".git/refs/heads/main",)
        subprocess.run([*git, "checkout", "-q", "-b", "topic"], check=True)
        assert ".git/HEAD" in running.settle(2)[1].trigger
    finally:
        running.close()


def test_a_git_checkout_of_many_files_is_one_rebuild(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / "goals").mkdir(parents=True)
    git = ["git", "-C", str(vault), "-c", "user.name=T", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    for number in range(200):
        (vault / "goals" / f"g{number}.md").write_text(f"main {number}\n")
    subprocess.run([*git, "add", "goals"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "main"], check=True)
    subprocess.run([*git, "checkout", "-q", "-b", "other"], check=True)
    for number in range(200):
        (vault / "goals" / f"g{number}.md").write_text(f"other {number}\n")
    subprocess.run([*git, "commit", "-q", "-a", "-m", "other"], check=True)
    running = Session(vault, Snapshot(vault), vault / "_site")
    running.start()
    try:
        subprocess.run([*git, "checkout", "-q", "main"], check=True)
        running.settle(1)
        assert running.builder.seen["goals/g7.md"] == "main 7\n"
    finally:
        running.close()


def test_a_failing_build_does_not_end_the_loop(session: Session, vault: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    session.builder.fail_next = True
    (vault / "goals" / "speaking.md").write_text("one")
    first = session.settle(1)[0]
    assert isinstance(first.error, RuntimeError) and first.result is None
    assert "the rebuild after changes to goals/speaking.md failed" in caplog.text
    (vault / "goals" / "speaking.md").write_text("two")
    assert session.settle(2)[1].error is None
    assert session.builder.seen["goals/speaking.md"] == "two"


def test_a_failing_report_does_not_end_the_loop(vault: Path) -> None:
    calls: list[int] = []

    def report(rebuild: Rebuild) -> None:
        calls.append(rebuild.number)
        raise ValueError("broken terminal")

    watcher = Watcher(WatchScope.of(vault, vault / "_site"))
    stop = threading.Event()
    watcher.start()
    thread = threading.Thread(target=watch_loop, args=(Snapshot(vault), watcher, stop, report))
    thread.start()
    try:
        for text in ("one", "two"):
            (vault / "goals" / "speaking.md").write_text(text)
            _wait(lambda: len(calls) == ("one", "two").index(text) + 1)
    finally:
        stop.set()
        thread.join(TIMEOUT)
        watcher.stop()
    assert calls == [1, 2]


def test_stopping_while_idle_ends_the_loop_at_once(session: Session) -> None:
    started = time.monotonic()
    session.close()
    assert time.monotonic() - started < 2


def test_describe_paths() -> None:
    assert describe_paths(["goals/a.md"]) == "goals/a.md"
    assert describe_paths(["goals/b.md", "goals/a.md", "goals/c.md"]) == "goals/a.md and 2 more"


def _wait(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_failure_while_waiting_for_changes_does_not_end_the_loop(
        vault: Path, caplog: pytest.LogCaptureFixture) -> None:
    class Flaky(Watcher):
        calls = 0

        def next_batch(self, stop: threading.Event, on_save=None) -> tuple[str, ...] | None:
            self.calls += 1
            if self.calls == 1:
                raise OSError("inotify went away")
            return super().next_batch(stop, on_save)

    watcher = Flaky(WatchScope.of(vault, vault / "_site"))
    stop = threading.Event()
    seen: list[Rebuild] = []
    watcher.start()
    thread = threading.Thread(target=watch_loop, args=(Snapshot(vault), watcher, stop, seen.append))
    thread.start()
    try:
        _wait(lambda: len(seen) == 1)  # the look again after the failure
        (vault / "goals" / "speaking.md").write_text("after")
        _wait(lambda: len(seen) == 2)
    finally:
        stop.set()
        thread.join(TIMEOUT)
        watcher.stop()
    assert seen[1].trigger == ("goals/speaking.md",)
    assert "waiting for changes failed" in caplog.text
