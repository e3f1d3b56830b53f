"""The bare parse floor of a vault: read every Markdown file, split its front matter, load the
YAML with PyYAML's C loader — nothing else. `goalsite lint` is measured against it (issue 10).

    python benchmarks/floor.py VAULT
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_all(root: Path) -> int:
    """Read, split and load every `*.md` under `root`; return how many files."""
    count = 0
    for path in sorted(root.rglob("*.md")):
        text = path.read_bytes().decode("utf-8")
        if text.startswith("---\n"):
            end = text.find("\n---\n", 4)
            if end != -1:
                yaml.load(text[4:end], Loader=LOADER)
        count += 1
    return count


if __name__ == "__main__":
    began = time.perf_counter()
    files = parse_all(Path(sys.argv[1]))
    print(f"{files} files in {time.perf_counter() - began:.2f} s")
