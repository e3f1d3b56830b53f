"""How fast watch mode answers a save (SPEC §6): the real watcher and builder on a generated vault.

    python benchmarks/watch.py [--goals 2000] [--entries 10000] [--big] [--runs 20] [--json]
    python benchmarks/watch.py --vault PATH        # an existing vault instead of a generated one

For each vault: the first (full) build; then, with `watch_loop` running as `goalsite watch` runs
it, `--runs` saves of a goal file (a line appended to its body, a different goal each time),
each timed from just before the write until the goal's page holds the new line (the median is
the figure); the time of those rebuilds; and a build with nothing changed by a new `Builder`
reading the cache, as a second `goalsite build` does (median of 5). `--big` adds the 10,000-goal
/ 50,000-entry vault. Generated vaults go to a temporary folder, deleted afterwards.
`measure_watch(vault, runs)` is the function other benchmarks import (benchmarks/compare.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import TODAY, generate  # noqa: E402

from goalsite.build import Builder, BuildResult  # noqa: E402
from goalsite.site import urls  # noqa: E402
from goalsite.watch import Rebuild, Watcher, WatchScope, watch_loop  # noqa: E402

# How long one save may take to show before the run is given up (a stuck watcher, not slowness).
_PATIENCE = 600.0


def measure_watch(vault: Path, runs: int = 20, *, today: dt.date = TODAY,
                  output: Path | None = None) -> dict[str, object]:
    """Time watch mode on `vault` (see the module's docstring); `output` defaults to a temporary
    folder. Returns plain JSON-ready numbers: seconds for builds, milliseconds for saves."""
    with tempfile.TemporaryDirectory(prefix="goalsite-watch-bench-") as scratch:
        site = output or Path(scratch) / "site"
        builder = Builder(vault, site, today, keep_last_good=True)
        started = time.perf_counter()
        first = builder.build()
        first_build = time.perf_counter() - started
        goals = sorted({goal_file for goal_file in builder.pages_by_source
                        if builder.pages_by_source[goal_file].startswith("goals/")})
        saves, rebuilds = _saves(builder, vault, site, goals, runs)
        print(f"save → page: {[round(s * 1000) for s in saves]} ms", file=sys.stderr)
        # The first absorbs anything that changed meanwhile (goalsite's templates in a checkout
        # being edited); the next five are what a second `goalsite build` costs.
        Builder(vault, site, today).build()
        no_change, rendered = [], 0
        for _ in range(5):
            started = time.perf_counter()
            again = Builder(vault, site, today).build()
            no_change.append(time.perf_counter() - started)
            rendered = max(rendered, again.pages_rendered)
    return {
        "vault": str(vault),
        "files": len(builder.pages_by_source),
        "pages": first.pages_rendered,
        "first_build_s": round(first_build, 3),
        "save_to_page_ms": _summary([seconds * 1000 for seconds in saves]),
        "rebuild_ms": _summary([seconds * 1000 for seconds in rebuilds]),
        "no_change_build_s": round(statistics.median(no_change), 3),
        "no_change_pages_rendered": rendered,
    }


def _saves(builder: Builder, vault: Path, site: Path, goals: list[str],
           runs: int) -> tuple[list[float], list[float]]:
    """Save `runs` goal files while the watch loop runs; the save→page times, the rebuild times."""
    watcher = Watcher(WatchScope.of(vault, site))
    stop = threading.Event()
    done: list[Rebuild] = []
    condition = threading.Condition()

    def record(rebuild: Rebuild) -> None:
        with condition:
            done.append(rebuild)
            condition.notify_all()

    loop = threading.Thread(target=watch_loop, args=(builder, watcher, stop, record), daemon=True)
    watcher.start()
    loop.start()
    saves: list[float] = []
    try:
        for run in range(runs):
            path = goals[(run * 7919) % len(goals)]  # spread over the vault, never the same twice
            page = site / builder.pages_by_source[path]
            marker = f"watch benchmark save {run} {time.time_ns()}"
            text = (vault / path).read_text(encoding="utf-8")
            count = len(done)
            started = time.perf_counter()
            (vault / path).write_text(f"{text}\n{marker}\n", encoding="utf-8")
            while marker not in _read(page):
                if time.perf_counter() - started > _PATIENCE:
                    raise RuntimeError(f"{page} never showed the save of {path}")
                time.sleep(0.002)
            saves.append(time.perf_counter() - started)
            with condition:  # the next save waits until this rebuild is reported
                condition.wait_for(lambda: len(done) > count, _PATIENCE)
            (vault / path).write_text(text, encoding="utf-8")
            with condition:
                condition.wait_for(lambda: len(done) > count + 1, _PATIENCE)
    finally:
        stop.set()
        loop.join(_PATIENCE)
        watcher.stop()
    failed = [rebuild.error for rebuild in done if rebuild.error is not None]
    if failed:
        raise RuntimeError(f"a rebuild failed: {failed[0]}")
    return saves, [rebuild.seconds for rebuild in done if isinstance(rebuild.result, BuildResult)]


def _read(page: Path) -> str:
    try:
        return page.read_text(encoding="utf-8")
    except OSError:
        return ""


def _summary(values: list[float]) -> dict[str, float | int]:
    return {"median": round(statistics.median(values), 1), "min": round(min(values), 1),
            "max": round(max(values), 1), "runs": len(values)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--big", action="store_true", help="also 10,000 goals / 50,000 entries")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--vault", type=Path, help="measure this vault instead of generated ones")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    results = []
    if args.vault is not None:
        results.append(measure_watch(args.vault.resolve(), args.runs))
    else:
        sizes = [(args.goals, args.entries)] + ([(10_000, 50_000)] if args.big else [])
        for goals, entries in sizes:
            with tempfile.TemporaryDirectory(prefix="goalsite-watch-vault-") as folder:
                generate(Path(folder) / "vault", goals, entries)
                result = measure_watch(Path(folder) / "vault", args.runs)
                result["vault"] = f"{goals:,} goals / {entries:,} entries"
                results.append(result)
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
        return
    print(f"{'vault':<32} {'pages':>7} {'first build':>12} {'save → page':>12} {'rebuild':>9}"
          f" {'no change':>10}")
    for result in results:
        save, rebuild = result["save_to_page_ms"], result["rebuild_ms"]
        print(f"{str(result['vault'])[-32:]:<32} {result['pages']:>7,} {result['first_build_s']:>10.1f} s"
              f" {save['median']:>9,.0f} ms {rebuild['median']:>6,.0f} ms"  # type: ignore[index]
              f" {result['no_change_build_s']:>8.2f} s")
    print(f"save → page and rebuild: median of {args.runs} saves; no change: median of 5 builds")


if __name__ == "__main__":
    main()
