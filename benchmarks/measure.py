"""Run a command and measure its wall time and the peak memory of its whole process tree.

`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` reports only the largest single process, which
understates a tool that uses a pool of worker processes; so we sample the memory of the command
and all its descendants from /proc five times a second and keep the peak of the sum. Each
process counts its proportional set size (PSS, /proc/PID/smaps_rollup): a page shared by n
processes counts 1/n in each, so a forked worker's untouched copy of its parent is not counted
twice (the sum of resident sizes would be). Where the kernel has no smaps_rollup, the resident
size is used, an upper bound for a pool. Reading smaps_rollup walks the process's page tables:
sampled every 20 ms it took half a core from the command measured, on a 2-core machine.
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
    """One run: seconds of wall time, peak MiB of the process tree, the exit code, and what it
    printed on standard output when asked to keep it."""

    seconds: float
    peak_mib: float
    returncode: int
    stdout: str = ""


class TreeSampler:
    """Samples the memory (PSS) of process `pid` and its descendants in a thread; `peak_mib` is
    the largest sum seen."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    @property
    def peak_mib(self) -> float:
        return self.peak_kib / 1024

    def _sample(self) -> None:
        while not self._done.is_set():
            self.peak_kib = max(self.peak_kib, _tree_rss_kib(self.pid))
            self._done.wait(self.interval)


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
    return sum(_process_kib(pid) for pid in _descendants(root))


def _process_kib(pid: int) -> int:
    """The proportional set size of `pid` in KiB, else its resident size, else 0 (gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KIB
    except OSError:
        return 0


def measure(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
            interval: float = 0.2, keep_stdout: bool = False) -> Measurement:
    """Run `command` to completion and measure it (its output is discarded unless kept)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env,
                               stdout=subprocess.PIPE if keep_stdout else subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    with TreeSampler(process.pid, interval) as sampler:
        stdout, stderr = process.communicate()
        seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):  # 1: goalsite lint found errors, as it should
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        print(f"  ! {' '.join(command[:3])}… exited {process.returncode}: {' | '.join(tail)}")
    return Measurement(seconds, sampler.peak_mib, process.returncode,
                       stdout.decode("utf-8", "replace") if keep_stdout else "")
