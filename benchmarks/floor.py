"""The bare floors goalsite is held to (issue 10), each with nothing of goalsite in it.

    python benchmarks/floor.py VAULT                  # parse floor: read, split, YAML
    python benchmarks/floor.py VAULT --render OUT     # render floor: that, Markdown, write

The parse floor reads every Markdown file, splits its front matter and loads the YAML with
PyYAML's C loader; `goalsite lint` is measured against it. The render floor is the issue's
"Python floor": the same, then markdown-it-py (CommonMark and tables, linkify off) on the body
and the HTML written to a file under OUT, on every core (`--jobs`, default all). No template, no
model, no progress: the least any Python site generator using markdown-it-py does per file, so
the time a cold build could reach with every other cost at zero.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CHUNK = 500


def split(text: str) -> tuple[object, str]:
    """The front matter, loaded, and the body of one file's text."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return yaml.load(text[4:end], Loader=LOADER), text[end + 5:]
    return None, text


def parse_all(root: Path) -> int:
    """Read, split and load every `*.md` under `root`; return how many files."""
    paths = sorted(root.rglob("*.md"))
    for path in paths:
        split(path.read_bytes().decode("utf-8"))
    return len(paths)


def render_chunk(root: Path, out: Path, names: list[str]) -> int:
    """Read, split, load, render and write the files `names` (relative to `root`)."""
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("commonmark", {"linkify": False}).enable("table")
    for name in names:
        _, body = split((root / name).read_bytes().decode("utf-8"))
        target = out / name[:-3] / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown.render(body), encoding="utf-8")
    return len(names)


def render_all(root: Path, out: Path, jobs: int) -> int:
    """The render floor over every `*.md` under `root`, in `jobs` processes."""
    names = sorted(str(path.relative_to(root)) for path in root.rglob("*.md"))
    chunks = [names[start:start + CHUNK] for start in range(0, len(names), CHUNK)]
    with ProcessPoolExecutor(jobs) as pool:
        return sum(pool.map(render_chunk, [root] * len(chunks), [out] * len(chunks), chunks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("--render", type=Path, metavar="OUT",
                        help="render the bodies into OUT (the render floor)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    arguments = parser.parse_args()
    began = time.perf_counter()
    if arguments.render is None:
        files = parse_all(arguments.vault)
    else:
        files = render_all(arguments.vault, arguments.render, arguments.jobs)
    print(f"{files} files in {time.perf_counter() - began:.2f} s", file=sys.stdout)


if __name__ == "__main__":
    main()
