"""Run a command and measure its wall time and the peak memory of its whole process tree.

`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` reports only the largest single process, which
understates a tool that uses a pool of worker processes; so we sample the resident memory of the
command and all its descendants from /proc every few milliseconds and keep the peak of the sum.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class Measurement:
    """One run: seconds of wall time, peak MiB of the process tree, and the exit code."""

    seconds: float
    peak_mib: float
    returncode: int


def _descendants(root: int) -> list[int]:
    """The pid and every descendant of `root`, from /proc/*/task/*/children."""
    found = [root]
    index = 0
    while index < len(found):
        pid = found[index]
        index += 1
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
                found.extend(int(child) for child in children)
        except OSError:
            continue
    return found


def _tree_rss_kib(root: int) -> int:
    total = 0
    for pid in _descendants(root):
        try:
            fields = Path(f"/proc/{pid}/statm").read_text().split()
        except OSError:
            continue
        total += int(fields[1]) * PAGE_KIB
    return total


def measure(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
            interval: float = 0.01) -> Measurement:
    """Run `command` to completion (output discarded) and measure it."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(process.pid))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        print(f"  ! {' '.join(command[:3])}… exited {process.returncode}: {' | '.join(tail)}")
    return Measurement(seconds, peak / 1024, process.returncode)
