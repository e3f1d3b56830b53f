"""Writing the site safely (SPEC §8): refuse folders goalsite did not make, render into a
sibling temporary folder, swap it in at the end, and rewrite only files whose bytes changed."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from goalsite.errors import RefusedError

MARKER = ".goalsite-site"
MARKER_TEXT = b"This folder is written by goalsite build; it may delete and replace it.\n"


def default_output(vault_root: Path, configured: str) -> Path:
    """The output folder: the vault's `output` setting (default `_site`), inside the vault."""
    return vault_root / configured


def check_output(output: Path, vault_root: Path) -> Path:
    """The resolved output folder, or `RefusedError` (exit 2, nothing touched) when SPEC §8
    forbids writing there: `/`, the home folder, the vault or a folder containing it, a file,
    or a non-empty folder without our marker."""
    target = output.expanduser().resolve()
    vault = vault_root.resolve()
    if target == Path(target.anchor):
        raise RefusedError(f"refusing to write the site to {target}: it is the root folder")
    if target == Path.home().resolve():
        raise RefusedError(f"refusing to write the site to {target}: it is your home folder")
    if target == vault or target in vault.parents:
        raise RefusedError(f"refusing to write the site to {target}: it is or contains the vault"
                           " — choose another folder with -o, like -o _site")
    if target.exists() and not target.is_dir():
        raise RefusedError(f"refusing to write the site to {target}: it is a file")
    if target.is_dir() and not (target / MARKER).is_file() and any(target.iterdir()):
        raise RefusedError(
            f"refusing to write the site to {target}: the folder is not empty and goalsite did"
            f" not create it (no {MARKER} marker) — empty it or choose another folder with -o"
        )
    return target


def write_site(target: Path, files: Mapping[str, bytes] | Iterable[tuple[str, bytes]]) -> tuple[str, ...]:
    """Replace `target` with exactly `files` (output-relative `/` paths → bytes, or a stream of
    such pairs, each written as it comes: issue 10), atomically.

    The new site is made in a sibling folder: unchanged files are hard links to the old ones
    (same bytes, same modification time, so watchers see nothing), the others are written.
    Then the folders swap; a failure before the swap leaves the old site untouched. Returns the
    paths whose bytes changed or are new, sorted. `target` must have passed `check_output`.
    """
    staging = target.parent / f".{target.name}.goalsite-new"
    retired = target.parent / f".{target.name}.goalsite-old"
    for leftover in (staging, retired):
        _remove_ours(leftover)
    staging.mkdir(parents=True)
    try:
        (staging / MARKER).write_bytes(MARKER_TEXT)
        pairs = files.items() if isinstance(files, Mapping) else files
        changed = sorted(relative for relative, data in pairs
                         if _stage_file(staging, target, relative, data))
        if target.exists():
            os.replace(target, retired)
        os.replace(staging, target)
    except BaseException:
        _remove_ours(staging)
        if retired.exists() and not target.exists():
            os.replace(retired, target)
        raise
    _remove_ours(retired)
    return tuple(changed)


def safe_destination(root: Path, relative: str) -> Path:
    """`root / relative`, refusing any path that would land outside `root` (SPEC §8)."""
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or any(p in ("", ".", "..") or "\\" in p for p in parts):
        raise RefusedError(f"refusing to write {relative!r}: not a plain path inside the site")
    destination = root.joinpath(*parts)
    if root.resolve() not in destination.resolve().parents:
        raise RefusedError(f"refusing to write {relative!r}: it resolves outside the site")
    return destination


def _stage_file(staging: Path, target: Path, relative: str, data: bytes) -> bool:
    """Put `data` at `relative` in the staging folder; True when it differs from the old site."""
    destination = safe_destination(staging, relative)
    destination.parent.mkdir(parents=True, exist_ok=True)
    previous = target / relative
    if previous.is_file() and not previous.is_symlink() and _same_bytes(previous, data):
        try:
            os.link(previous, destination)
        except OSError:
            shutil.copy2(previous, destination)
        return False
    destination.write_bytes(data)
    return True


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _remove_ours(folder: Path) -> None:
    """Delete a leftover staging folder, but only one that carries our marker."""
    if folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file():
        shutil.rmtree(folder)
