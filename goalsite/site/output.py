"""Writing the site safely (SPEC §8): refuse folders goalsite did not make, render into a
sibling temporary folder, swap it in at the end, and rewrite only files whose bytes changed."""

from __future__ import annotations

import os
import shutil
import stat
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
        stage = _Staging(staging, target)
        changed = sorted(relative for relative, data in pairs if stage.put(relative, data))
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
    destination = root.joinpath(*_plain_parts(relative))
    if root.resolve() not in destination.resolve().parents:
        raise RefusedError(f"refusing to write {relative!r}: it resolves outside the site")
    return destination


def _plain_parts(relative: str) -> tuple[str, ...]:
    """The parts of `relative`, refused unless each is a plain name (no `..`, no root)."""
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or any(p in ("", ".", "..") or "\\" in p for p in parts):
        raise RefusedError(f"refusing to write {relative!r}: not a plain path inside the site")
    return parts


class _Staging:
    """The new site's folder, filled file by file (`put`).

    It is made empty by `write_site`, and only `put` adds to it: folders and regular files,
    never a link to a folder. So a path of plain names cannot resolve outside it, and the
    check is lexical — `safe_destination` resolves each path on disk, a dozen system calls a
    file, which at 60,000 pages was a large part of the build process's time (issue 10). A
    page's folder is made with one call, its parents only when that call says they are missing
    (most pages have a folder of their own, so remembering the folders made would only cost
    memory)."""

    def __init__(self, staging: Path, target: Path) -> None:
        self.staging = os.fspath(staging)
        # The old site, whose unchanged files are linked instead of written; none on a first build.
        self.target = os.fspath(target) if target.is_dir() else None

    def put(self, relative: str, data: bytes) -> bool:
        """Put `data` at `relative`; True when it differs from the old site."""
        parts = _plain_parts(relative)
        relative = "/".join(parts)
        destination = os.path.join(self.staging, relative)
        if len(parts) > 1:
            _make_folder(os.path.dirname(destination))
        if self.target is not None:
            previous = os.path.join(self.target, relative)
            if _is_regular_file(previous) and _same_bytes(Path(previous), data):
                try:
                    os.link(previous, destination)
                except OSError:
                    shutil.copy2(previous, destination)
                return False
        with open(destination, "wb") as stream:
            stream.write(data)
        return True


def _make_folder(folder: str) -> None:
    """Make `folder` and any missing parents; a folder that exists already is fine, a file in
    its place is not (as `Path.mkdir(parents=True, exist_ok=True)`)."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        if not os.path.isdir(folder):
            raise
    except FileNotFoundError:
        _make_folder(os.path.dirname(folder))
        _make_folder(folder)


def _is_regular_file(path: str) -> bool:
    """Whether `path` is a regular file itself, not a link to one."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _remove_ours(folder: Path) -> None:
    """Delete a leftover staging folder, but only one that carries our marker."""
    if folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file():
        shutil.rmtree(folder)
