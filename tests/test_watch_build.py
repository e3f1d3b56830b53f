"""The real watcher driving the real builder on a real vault (SPEC §6): after each kind of save
the site settles to what a clean build makes, in the expected number of rebuilds; and the real
`goalsite serve` / `goalsite watch` commands, line by line."""

from __future__ import annotations

import http.client
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from goalsite.build import Builder, BuildResult
from goalsite.watch import Rebuild, Watcher, WatchScope, watch_loop
from tests.site_vaults import TODAY, small_vault, write
from tests.test_incremental import DAY, clean_build, tree

TIMEOUT = 20.0
# After the expected rebuilds, how long no other may follow (the builder reads every file).
SETTLE = 0.5


class Session:
    """`watch_loop` with a watch-mode Builder in a thread, recording every rebuild."""

    def __init__(self, vault: Path, output: Path) -> None:
        self.builder = Builder(vault, output, DAY, keep_last_good=True)
        self.builder.build()
        # A loaded test machine may pause while writing 200 files: a longer quiet time than
        # the default 50 ms, and never a batch cut short.
        self.watcher = Watcher(WatchScope.of(vault, output), quiet=0.2, check_every=0.2,
                               max_wait=5.0)
        self.stop = threading.Event()
        self.rebuilds: list[Rebuild] = []
        self.condition = threading.Condition()
        self.thread = threading.Thread(target=watch_loop, daemon=True,
                                       args=(self.builder, self.watcher, self.stop, self._record))

    def _record(self, rebuild: Rebuild) -> None:
        with self.condition:
            self.rebuilds.append(rebuild)
            self.condition.notify_all()

    def settle(self, count: int) -> BuildResult:
        """Wait for `count` rebuilds in all, check that no other follows, return the last."""
        with self.condition:
            assert self.condition.wait_for(lambda: len(self.rebuilds) >= count, TIMEOUT), (
                f"expected {count} rebuilds, saw {len(self.rebuilds)}")
            self.condition.wait_for(lambda: len(self.rebuilds) > count, SETTLE)
            assert len(self.rebuilds) == count, [r.trigger for r in self.rebuilds]
            last = self.rebuilds[-1]
        assert last.error is None, last.error
        assert isinstance(last.result, BuildResult)
        return last.result


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return small_vault(tmp_path / "vault")


@pytest.fixture
def session(vault: Path, tmp_path: Path) -> Iterator[Session]:
    running = Session(vault, tmp_path / "site")
    running.watcher.start()
    running.thread.start()
    yield running
    running.stop.set()
    running.thread.join(TIMEOUT)
    running.watcher.stop()
    assert not running.thread.is_alive()


def page(tmp_path: Path, relative: str) -> str:
    return (tmp_path / "site" / relative).read_text(encoding="utf-8")


def test_an_in_place_edit(session: Session, vault: Path, tmp_path: Path) -> None:
    with open(vault / "goals" / "talks.md", "r+", encoding="utf-8") as file:
        text = file.read()
        file.seek(0)
        file.write(text.replace("Give 4 talks", "Give 5 talks"))
        file.truncate()
    result = session.settle(1)
    assert "goals/talks/index.html" in result.files_changed
    assert "Give 5 talks" in page(tmp_path, "goals/talks/index.html")
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_a_rename_save(session: Session, vault: Path, tmp_path: Path) -> None:
    text = (vault / "goals" / "talks.md").read_text()
    (vault / "goals" / ".talks.md.tmp").write_text(text.replace("Give 4 talks", "Give 6 talks"))
    os.replace(vault / "goals" / ".talks.md.tmp", vault / "goals" / "talks.md")
    session.settle(1)
    assert "Give 6 talks" in page(tmp_path, "goals/talks/index.html")
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


@pytest.mark.skipif(shutil.which("vim") is None, reason="Debian's vim is not installed (make test installs it)")
def test_a_vim_save(session: Session, vault: Path, tmp_path: Path) -> None:
    # Swap file and a backup by renaming: the original is moved away and a new file written.
    subprocess.run(["vim", "-u", "NONE", "-N", "-es", "-c", "set swapfile backup backupcopy=no",
                    "-c", "%s/Give 4 talks/Give 7 talks/", "-c", "wq", "goals/talks.md"],
                   check=True, timeout=TIMEOUT, cwd=vault)
    session.settle(1)
    assert "Give 7 talks" in page(tmp_path, "goals/talks/index.html")
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_a_deleted_entry(session: Session, vault: Path, tmp_path: Path) -> None:
    (vault / "journal" / "2026-11-02.md").unlink()
    result = session.settle(1)
    assert result.files_deleted == ("journal/2026-11-02/index.html",)
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_a_moved_folder(session: Session, vault: Path, tmp_path: Path) -> None:
    (vault / "goals" / "q4").mkdir()
    os.replace(vault / "goals" / "talks.md", vault / "goals" / "q4" / "talks.md")
    session.settle(1)
    (vault / "goals" / "q4").rename(vault / "goals" / "2026-q4")
    session.settle(2)
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_two_hundred_files_at_once(session: Session, vault: Path, tmp_path: Path) -> None:
    for day in range(200):
        write(vault, f"journal/bulk/{day:03}.md", f"---\ndate: 2026-05-{day % 28 + 1:02}\n"
                                                   "goal: talks\n---\nPractice.\n")
    result = session.settle(1)
    assert sum(path.startswith("journal/bulk-") for path in result.files_written) == 200
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_a_broken_file_then_fixed(session: Session, vault: Path, tmp_path: Path) -> None:
    good = (vault / "goals" / "talks.md").read_text()
    (vault / "goals" / "talks.md").write_text("---\ntitle: [oops\n---\n")
    broken = session.settle(1)
    assert broken.kept == ("goals/talks.md",)
    assert [(f.code, f.line) for f in broken.findings if f.path == "goals/talks.md"][0] == ("F001", 3)
    assert "Give 4 talks by December" in page(tmp_path, "goals/talks/index.html")  # the last good
    (vault / "goals" / "talks.md").write_text(good.replace("Give 4", "Give 8"))
    fixed = session.settle(2)
    assert fixed.kept == ()
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


# -- the commands -------------------------------------------------------------------------------


class Command:
    """`goalsite serve`/`watch` as a subprocess, its output lines read as they come."""

    def __init__(self, *args: str) -> None:
        environment = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
        environment.pop("GOALSITE_TODAY", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "goalsite", "--today", TODAY, *args], env=environment,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, pattern: str) -> re.Match[str]:
        """The next line matching `pattern` (other lines are skipped)."""
        seen = []
        while True:
            try:
                line = self.lines.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no line like {pattern!r}; saw {seen}") from None
            seen.append(line)
            if found := re.fullmatch(pattern, line):
                return found

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(TIMEOUT)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def test_goalsite_serve_reloads_the_page_and_shows_a_broken_files_errors(vault: Path,
                                                                          tmp_path: Path) -> None:
    command = Command("serve", str(vault), "--port", "0", "-o", str(tmp_path / "site"))
    try:
        command.expect(r"built \d+ pages in [\d.]+ s → .*site/")
        port = int(command.expect(r"serving http://127\.0\.0\.1:(\d+)/ \(Ctrl-C stops\)").group(1))
        status, html = _get(port, "/goals/talks/")
        assert status == 200
        tag = re.search(r'data-version="(\d+)" data-server="([0-9a-f]+)"', html)
        assert tag is not None
        stream = _events(port, "goals/talks/index.html", tag.group(1), tag.group(2))
        talks = vault / "goals" / "talks.md"
        good = talks.read_text()
        talks.write_text(good.replace("Give 4 talks", "Give 9 talks"))
        command.expect(r"rebuilt \d+ pages in \d+ ms \(goals/talks\.md\)")
        assert _next_event(stream) == ("errors", "[]")
        assert _next_event(stream)[0] == "reload"
        assert "Give 9 talks" in _get(port, "/goals/talks/")[1]
        stream = _events(port, "goals/talks/index.html", str(int(tag.group(1)) + 1), tag.group(2))
        assert _next_event(stream) == ("errors", "[]")
        talks.write_text("---\ntitle: [oops\n---\n")
        command.expect(r"rebuilt \d+ pages? in \d+ ms \(goals/talks\.md\)")
        command.expect(r"goals/talks\.md:3:1: F001 .*")
        assert _next_event(stream)[0] == "reload"  # the page now lists the error in its card
        html = _get(port, "/goals/talks/")[1]
        assert "Give 9 talks" in html  # the last good page stays
        version = re.search(r'data-version="(\d+)"', html)
        assert version is not None
        name, data = _next_event(_events(port, "goals/talks/index.html", version.group(1), tag.group(2)))
        assert (name, '"code": "F001"' in data, '"path": "goals/talks.md"' in data) == ("errors", True, True)
        talks.write_text(good)
        command.expect(r"rebuilt \d+ pages in \d+ ms \(goals/talks\.md\)")
        assert command.interrupt() == 0
        command.expect("stopped")
    finally:
        command.kill()


def test_goalsite_watch_prints_one_line_per_rebuild_and_stops_on_sigterm(vault: Path,
                                                                          tmp_path: Path) -> None:
    command = Command("watch", str(vault), "-o", str(tmp_path / "site"))
    try:
        command.expect(r"watching .*vault/ for changes \(Ctrl-C stops\)")
        (vault / "journal" / "2026-11-02.md").unlink()
        command.expect(r"rebuilt \d+ pages in \d+ ms \(journal/2026-11-02\.md\)")
        command.process.terminate()
        assert command.process.wait(TIMEOUT) == 0
        command.expect("stopped")
        assert tree(tmp_path / "site") == clean_build(vault, tmp_path)
    finally:
        command.kill()


def test_a_busy_port_is_a_usage_error(vault: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = Command("serve", str(vault), "--port", str(port), "-o", str(tmp_path / "site"))
        try:
            assert command.process.wait(TIMEOUT) == 2
            command.expect(rf"goalsite: cannot serve on 127\.0\.0\.1:{port}: .* --port 0")
        finally:
            command.kill()


def _get(port: int, target: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def _events(port: int, page_path: str, version: str, token: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    connection.request("GET", f"/__goalsite__/events?page={page_path}&v={version}&s={token}")
    response = connection.getresponse()
    assert response.status == 200
    return response


def _next_event(stream: http.client.HTTPResponse) -> tuple[str, str]:
    """The next (event, data) of a Server-Sent Events stream, keep-alive comments skipped."""
    name = data = ""
    while True:
        line = stream.fp.readline().decode("utf-8").rstrip("\n")
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            data = line.removeprefix("data: ")
        elif not line and name:
            return name, data


def test_a_commit_of_a_saved_file_rebuilds_with_its_history(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "vault")
    git = ["git", "-C", str(vault), "-c", "user.name=Sam", "-c", "user.email=sam@example.com",
           "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "First version"], check=True)
    running = Session(vault, tmp_path / "site")
    running.watcher.start()
    running.thread.start()
    try:
        talks = vault / "goals" / "talks.md"
        talks.write_text(talks.read_text().replace("due: 2026-12-20", "due: 2026-12-22"))
        running.settle(1)
        assert "Move the talks" not in page(tmp_path, "goals.json")
        subprocess.run([*git, "commit", "-q", "-am", "Move the talks"], check=True)
        result = running.settle(2)
        assert "goals.json" in result.files_written
        assert "Move the talks" in page(tmp_path, "goals.json")
        assert tree(tmp_path / "site") == clean_build(vault, tmp_path)
    finally:
        running.stop.set()
        running.thread.join(TIMEOUT)
        running.watcher.stop()
