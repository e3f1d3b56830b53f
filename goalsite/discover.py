"""Find the vault's Markdown files (SPEC §2): walk the folder, skip what is not the user's notes.

Skipped: hidden files and folders (`.git/`, `.obsidian/`), the output folder, `templates/`,
`assets/`, `node_modules/`, editor swap and backup files, files not ending `.md`, and the
config's `exclude` globs. Symbolic links are followed only while they stay inside the vault
(SPEC §8), and a file reached twice (a link, a link loop) is counted once.
"""

from __future__ import annotations

import heapq
import operator
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from goalsite.config import Config
from goalsite.finding import Finding

# Folders that hold page templates, images or tooling, never goals (any depth, any case).
IGNORED_FOLDERS = frozenset({"templates", "assets", "node_modules"})


@dataclass(frozen=True)
class Discovery:
    """The vault's Markdown files (vault-relative, `/`-separated, sorted) and skipped links.

    `folders` are the folders listed ("": the vault), each with its modification time taken
    before it was listed. A file added to, removed from or renamed in a folder moves its time,
    so while no folder's time has moved, the same config finds the same files: the build cache
    uses this to skip the walk when nothing changed (issue 10). It is empty when the files
    depend on more than the folders' listings: a symbolic link was met (its target can change
    without any folder's time moving), or a folder or entry could not be read."""

    files: tuple[str, ...]
    findings: tuple[Finding, ...] = ()
    folders: Mapping[str, int] = field(default_factory=dict)


def discover(root: Path, config: Config) -> Discovery:
    """Every Markdown file of the vault at `root` that goalsite should read."""
    real_root = os.path.realpath(root)
    output = config.output.strip("/").replace("\\", "/")
    excludes = tuple(_glob_pattern(pattern) for pattern in config.exclude)
    findings: list[Finding] = []
    found: dict[str, str] = {}  # real path → vault-relative path
    visited: set[str] = set()
    folders: dict[str, int] | None = {}  # None: the listings alone do not decide the files
    # Folders are walked in path order, so a folder reached twice (through a link) is walked
    # once, under the path that sorts first.
    queue: list[tuple[str, str, tuple[str, ...]]] = [("", str(root), (real_root,))]
    while queue:
        relative, folder, ancestors = heapq.heappop(queue)
        if ancestors[-1] in visited:
            continue  # reached through another link already
        visited.add(ancestors[-1])
        try:
            if folders is not None:
                # Taken before the listing: a file added after it moves the time again.
                folders[relative[:-1]] = os.stat(folder).st_mtime_ns
            entries = sorted(os.scandir(folder), key=_name)
        except OSError:
            folders = None
            continue
        # Where this folder's entries really are, when they are not links (the common case,
        # kept cheap: a vault may hold tens of thousands of files, issue 10).
        real_folder = os.path.join(ancestors[-1], "")
        for entry in entries:
            name = entry.name
            path = f"{relative}{name}"
            if _skipped_name(name) or (excludes and any(pattern.match(path) for pattern in excludes)):
                continue
            link = entry.is_symlink()
            if link:
                folders = None
            real = os.path.realpath(entry.path) if link else real_folder + name
            if link and not _inside(real, real_root):
                what = "folder" if os.path.isdir(real) else "file"
                findings.append(_link_finding(path, "points outside the vault",
                                              f"Copy the {what} into the vault, or delete the link."))
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                folders = None
                continue
            if is_dir:
                if path == output or name.lower() in IGNORED_FOLDERS:
                    continue
                if real in ancestors:
                    findings.append(_link_finding(path, "loops back to a folder that contains it",
                                                  "Delete the link: goalsite already reads that folder."))
                    continue
                heapq.heappush(queue, (f"{path}/", entry.path, ancestors + (real,)))
            elif name.endswith(".md") and entry.is_file():
                # The same file reached twice is kept under its smallest path.
                if real not in found or path < found[real]:
                    found[real] = path
    return Discovery(tuple(sorted(found.values())), tuple(sorted(findings)), folders or {})


_name = operator.attrgetter("name")


def _skipped_name(name: str) -> bool:
    """Hidden entries and editor leftovers: `.git`, `.x.swp`, `x.md~`, `#x.md#`, `.#x.md`."""
    return (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swo", ".swx", ".tmp"))
            or name.endswith("#"))


def _inside(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _link_finding(path: str, reason: str, fix: str) -> Finding:
    return Finding(path, 1, 1, "F009", "error",
                   f"the symbolic link {path} {reason}; goalsite does not follow it", fix)


def _glob_pattern(pattern: str) -> re.Pattern[str]:
    """A vault-relative glob: `*` within a folder, `**` across folders; a folder matches its files."""
    pattern = pattern.strip().lstrip("/").replace("\\", "/")
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out).rstrip("/") + "(?:/.*)?$")
