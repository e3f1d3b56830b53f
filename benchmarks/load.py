"""How fast goalsite loads a vault: generate 2,000 goals and 10,000 entries, load, print files/s.

    python benchmarks/load.py [--goals 2000] [--entries 10000] [--runs 3]

The vault is generated into a temporary folder (deterministic, seed 7) and deleted afterwards.
The best of `--runs` loads is reported, as the least disturbed by the rest of the machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402
from generate import generate  # noqa: E402

from goalsite.load import load_vault  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="goalsite-bench-") as folder:
        root = Path(folder)
        generate(root, args.goals, args.entries)
        timings = []
        for _ in range(max(1, args.runs)):
            began = time.perf_counter()
            vault = load_vault(root, first_seen={})
            timings.append(time.perf_counter() - began)
        files = len(vault.files)
        errors = [f for f in vault.findings if f.severity == "error"]
        best = min(timings)
        print(f"loaded {files} files ({len(vault.goals)} goals, {len(vault.entries)} entries, "
              f"{len(errors)} errors) in {best:.2f} s: {files / best:,.0f} files/s "
              f"(best of {len(timings)}; YAML loader: {'libyaml' if yaml.__with_libyaml__ else 'pure Python'})")


if __name__ == "__main__":
    main()
