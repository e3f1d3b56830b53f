"""goalsite beside Hugo and MkDocs on one generated vault, in one run (issue 10).

    python benchmarks/compare.py [--goals 10000] [--entries 50000] [--no-series] [--work DIR]

Generates the vault (deterministic, seed 7; kept in `--work` and reused by the next run), then
measures, each as its own process tree (wall time, and the peak memory of the tree: the sum of
its processes' proportional set sizes, sampled from /proc every 200 ms, see measure.py):

- goalsite: cold build (no cache, no output), a build with nothing changed, a build after one
  entry was edited (and again once the edit is undone), a build the next day (`--today` one
  day later), watch mode's save → page (median of 20, benchmarks/watch.py when present),
  lint; the bare parse floor lint is held to and the render floor (read, split, YAML,
  markdown-it-py, write, on every core: the least a Python generator does), benchmarks/floor.py;
- Hugo (benchmarks/hugo/: minimal layouts, each page with its front matter): a cold build, and
  `hugo server` rewriting the page of an edited entry (median of 5);
- MkDocs (benchmarks/.venv, made by `make bench`; a minimal theme in benchmarks/mkdocs/): a cold
  build;
- a scaling series: goalsite's cold build at 1/60, 1/6 and all of the vault's files.

Prints one table (times, peak MB, ratios against Hugo and MkDocs) and writes it with the
machine's load as JSON to benchmarks/out/compare.json. Tools that are not installed are skipped
with a line that says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import TODAY, generate  # noqa: E402
from measure import Measurement, TreeSampler, measure  # noqa: E402

GOALSITE = [sys.executable, "-m", "goalsite", "--today", TODAY.isoformat()]
MKDOCS = HERE / ".venv" / "bin" / "mkdocs"
EDIT_MARK = "benchmark edit"
RENDER_FLOOR = "render floor (+Markdown+write)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path("/tmp/goalsite-bench"),
                        help="where vaults and sites go (default: /tmp/goalsite-bench)")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--watch-runs", type=int, default=20)
    parser.add_argument("--no-series", action="store_true", help="skip the scaling series")
    args = parser.parse_args()

    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    vault = _vault(work, args.goals, args.entries, args.seed)
    files = sum(1 for _ in vault.rglob("*.md"))
    print(f"vault: {args.goals:,} goals, {args.entries:,} entries ({files:,} files) in {vault}; "
          f"{os.cpu_count()} cores, load {_load(load_before)}")
    results: dict[str, dict[str, object]] = {}
    entry = sorted((vault / "journal").rglob("*.md"))[0]

    results.update(_goalsite(vault, work, entry, args.watch_runs))
    results.update(_hugo(vault, work, entry))
    results.update(_mkdocs(vault, work))
    series = [] if args.no_series else _series(work, args.goals, args.entries, args.seed, results)
    load_after = os.getloadavg()
    report = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "loadavg_before": load_before,
                    "loadavg_after": load_after, "hugo": _version(["hugo", "version"]),
                    "mkdocs": _version([str(MKDOCS), "--version"]),
                    "goalsite_commit": _version(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])},
        "vault": {"goals": args.goals, "entries": args.entries, "files": files, "seed": args.seed},
        "results": results,
        "series": series,
    }
    table = _table(results, series)
    print(table)
    print(f"load average before {_load(load_before)}, after {_load(load_after)}")
    args.out.mkdir(parents=True, exist_ok=True)
    report["table"] = table
    (args.out / "compare.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    print(f"wrote {args.out / 'compare.json'}")


# -- the vault --------------------------------------------------------------------------------

def _vault(work: Path, goals: int, entries: int, seed: int) -> Path:
    """The generated vault, made once per size and seed (a marker says it is complete)."""
    vault = work / f"vault-{goals}-{entries}-{seed}"
    if not (vault / ".complete").is_file():
        shutil.rmtree(vault, ignore_errors=True)
        began = time.perf_counter()
        generate(vault, goals, entries, seed)
        (vault / ".complete").write_text("generated\n")
        print(f"generated {vault} in {time.perf_counter() - began:.0f} s")
    return vault


def _edit(path: Path, original: str, run: int) -> None:
    """Save `path` as an editor would, with one more line than `original`."""
    path.write_text(f"{original}\n{EDIT_MARK} {run}\n", encoding="utf-8")


# -- goalsite ---------------------------------------------------------------------------------

def _goalsite(vault: Path, work: Path, entry: Path, watch_runs: int) -> dict[str, dict[str, object]]:
    site = work / "goalsite-site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(vault / ".goalsite-cache", ignore_errors=True)
    build = [*GOALSITE, "build", str(vault), "-o", str(site)]
    found: dict[str, dict[str, object]] = {}
    found["goalsite cold build"] = _row(measure(build))
    found["goalsite no-change rebuild"] = _row(measure(build))
    original = entry.read_text(encoding="utf-8")
    try:
        _edit(entry, original, 0)
        found["goalsite one-edit rebuild"] = _row(measure(build))
    finally:
        entry.write_text(original, encoding="utf-8")
    found["goalsite one-edit rebuild, again"] = _row(measure(build))  # the edit undone
    # The next morning: progress moves, entries' pages do not.
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    found["goalsite next-day rebuild"] = _row(measure(
        [*GOALSITE[:-1], tomorrow, "build", str(vault), "-o", str(site)]))
    found["goalsite lint"] = _row(measure([*GOALSITE, "lint", str(vault)]))
    found["parse floor (read+split+YAML)"] = _row(
        measure([sys.executable, str(HERE / "floor.py"), str(vault)]))
    floor_site = work / "floor-site"
    shutil.rmtree(floor_site, ignore_errors=True)
    found[RENDER_FLOOR] = _row(
        measure([sys.executable, str(HERE / "floor.py"), str(vault), "--render", str(floor_site)]))
    if (HERE / "watch.py").is_file():
        code = ("import json, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
                "from watch import measure_watch;"
                "print(json.dumps(measure_watch(Path(sys.argv[2]), runs=int(sys.argv[3]))))")
        run = measure([sys.executable, "-c", code, str(HERE), str(vault), str(watch_runs)],
                      keep_stdout=True)
        try:
            watched = json.loads(run.stdout.strip().splitlines()[-1])
            found["goalsite watch save→page"] = {
                "seconds": watched["save_to_page_ms"]["median"] / 1000,
                "peak_mb": round(run.peak_mib), "detail": watched}
        except (ValueError, IndexError, KeyError, TypeError):
            print(f"  ! benchmarks/watch.py gave no result: {run.stdout[-300:]!r}")
    else:
        print("  - benchmarks/watch.py not present: watch save→page skipped")
    return found


def _series(work: Path, goals: int, entries: int, seed: int,
            results: dict[str, dict[str, object]]) -> list[dict[str, object]]:
    """goalsite's cold build at 1/60, 1/6 and all of the vault: time and memory per file."""
    points = []
    for share in (60, 6, 1):
        if share == 1:
            cold = results["goalsite cold build"]
            seconds, peak = float(cold["seconds"]), float(cold["peak_mb"])  # type: ignore[arg-type]
            vault = work / f"vault-{goals}-{entries}-{seed}"
        else:
            vault = _vault(work, max(1, goals // share), max(1, entries // share), seed)
            site = work / f"goalsite-site-{share}"
            shutil.rmtree(site, ignore_errors=True)
            shutil.rmtree(vault / ".goalsite-cache", ignore_errors=True)
            run = measure([*GOALSITE, "build", str(vault), "-o", str(site)])
            seconds, peak = run.seconds, run.peak_mib
        count = sum(1 for _ in vault.rglob("*.md"))
        points.append({"files": count, "seconds": round(seconds, 2), "peak_mb": round(peak),
                       "us_per_file": round(seconds / count * 1e6)})
    return points


# -- Hugo -------------------------------------------------------------------------------------

def _hugo(vault: Path, work: Path, entry: Path) -> dict[str, dict[str, object]]:
    if shutil.which("hugo") is None:
        print("  - hugo not installed: Hugo skipped (apt-get install hugo)")
        return {}
    site = work / "hugo-site"
    shutil.rmtree(site, ignore_errors=True)
    common = ["--source", str(HERE / "hugo"), "--contentDir", str(vault)]
    found = {"hugo cold build": _row(measure(["hugo", "--quiet", *common, "--destination", str(site)]))}
    served = _hugo_server(common, work / "hugo-server-site", vault, entry)
    if served:
        found["hugo server one edit"] = served
    return found


def _hugo_server(common: list[str], site: Path, vault: Path, entry: Path) -> dict[str, object] | None:
    """`hugo server` rendering to disk: time from saving an entry to its page holding the edit."""
    shutil.rmtree(site, ignore_errors=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    page = site / entry.relative_to(vault).with_suffix("") / "index.html"
    log_path = site.parent / "hugo-server.log"
    log = log_path.open("wb")
    process = subprocess.Popen(["hugo", "server", *common, "--renderToDisk", "--destination", str(site),
                                "--port", str(port), "--bind", "127.0.0.1", "--disableLiveReload"],
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    original = entry.read_text(encoding="utf-8")
    times = []
    try:
        with TreeSampler(process.pid) as sampler:
            # Ready once it serves: the page is written early, the watcher starts after the build.
            if not _wait_for(lambda: "Web Server is available" in _read(log_path), 900):
                print("  ! hugo server did not render the site in 15 minutes: skipped")
                return None
            time.sleep(2)
            for run in range(1, 6):
                _edit(entry, original, run)
                began = time.perf_counter()
                if not _wait_for(lambda: f"{EDIT_MARK} {run}" in _read(page), 60):
                    print("  ! hugo server did not rewrite the edited page within 60 s")
                    break
                times.append(time.perf_counter() - began)
                time.sleep(1)
    finally:
        entry.write_text(original, encoding="utf-8")
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
        log.close()
    if not times:
        return None
    return {"seconds": round(statistics.median(times), 3), "peak_mb": round(sampler.peak_mib),
            "detail": {"runs_s": [round(t, 3) for t in times]}}


# -- MkDocs -----------------------------------------------------------------------------------

def _mkdocs(vault: Path, work: Path) -> dict[str, dict[str, object]]:
    if not MKDOCS.is_file():
        print(f"  - {MKDOCS} missing: MkDocs skipped (make bench installs it there)")
        return {}
    site = work / "mkdocs-site"
    shutil.rmtree(site, ignore_errors=True)
    config = work / "mkdocs.yml"
    config.write_text(
        f"site_name: Benchmark vault\ndocs_dir: {vault}\nsite_dir: {site}\n"
        f"theme:\n  name: null\n  custom_dir: {HERE / 'mkdocs' / 'theme'}\n"
        "markdown_extensions: [tables]\nvalidation:\n  links: {not_found: ignore, anchors: ignore,"
        " absolute_links: ignore, unrecognized_links: ignore}\n", encoding="utf-8")
    return {"mkdocs cold build": _row(measure([str(MKDOCS), "build", "--quiet", "-f", str(config)]))}


# -- the table --------------------------------------------------------------------------------

def _table(results: dict[str, dict[str, object]], series: list[dict[str, object]]) -> str:
    def seconds(name: str) -> float | None:
        row = results.get(name)
        return float(row["seconds"]) if row else None  # type: ignore[arg-type]

    def peak(name: str) -> float | None:
        row = results.get(name)
        return float(row["peak_mb"]) if row else None  # type: ignore[arg-type]

    hugo_cold, mkdocs_cold = seconds("hugo cold build"), seconds("mkdocs cold build")
    hugo_edit, hugo_peak = seconds("hugo server one edit"), peak("hugo cold build")
    floor = seconds("parse floor (read+split+YAML)")
    render_floor = seconds(RENDER_FLOOR)
    lines = [f"{'measurement':34} {'time':>10} {'peak MB':>8}  comparison",
             f"{'-' * 34} {'-' * 10} {'-' * 8}  {'-' * 40}"]
    for name, row in results.items():
        took = float(row["seconds"])  # type: ignore[arg-type]
        note = ""
        if name == "goalsite cold build":
            parts = []
            if hugo_cold:
                parts.append(f"{took / hugo_cold:.2f}× Hugo's time")
            if hugo_peak:
                parts.append(f"{float(row['peak_mb']) / hugo_peak:.2f}× Hugo's memory")  # type: ignore[arg-type]
            if mkdocs_cold:
                parts.append(f"{mkdocs_cold / took:.1f}× faster than MkDocs")
            if render_floor:
                parts.append(f"{took / render_floor:.2f}× the render floor")
            note = ", ".join(parts)
        elif name == RENDER_FLOOR and hugo_cold:
            note = f"{took / hugo_cold:.2f}× Hugo's time"
        elif name == "goalsite watch save→page" and hugo_edit:
            note = f"{took / hugo_edit:.2f}× hugo server's time"
        elif name == "goalsite one-edit rebuild" and hugo_edit:
            note = f"{took / hugo_edit:.2f}× hugo server's time"
        elif name == "goalsite lint" and floor:
            note = f"{took / floor:.2f}× the parse floor"
        lines.append(f"{name:34} {_time(took):>10} {row['peak_mb']!s:>8}  {note}")
    if series:
        lines.append("")
        lines.append("scaling (goalsite cold build): " + "; ".join(
            f"{point['files']:,} files {point['seconds']} s, {point['us_per_file']} µs/file, "
            f"{point['peak_mb']} MB" for point in series))
    return "\n".join(lines)


def _row(run: Measurement) -> dict[str, object]:
    return {"seconds": round(run.seconds, 3), "peak_mb": round(run.peak_mib),
            "exit": run.returncode}


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _load(values: tuple[float, float, float]) -> str:
    return " ".join(f"{value:.2f}" for value in values)


def _version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return ""
    return done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _wait_for(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return False


if __name__ == "__main__":
    main()
