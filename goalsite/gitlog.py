"""Read a vault's git history with a constant number of `git` processes.

Three plumbing calls cover any vault, however many files and commits: `git rev-parse` (where the
repository is, what HEAD is), one `git log` of the vault's first-parent chain with each commit's
changed files and blob ids, and one `git cat-file --batch` reading every needed blob. Every
failure (no git on PATH, not a repository, no commit yet, a bad revision, a timeout) reads as
"no history": git is an optional source of facts, never a reason to fail a build.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# Variables that would point git at another repository than the vault's (set inside git hooks).
_REDIRECTS = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_PREFIX",
)
# A vault is untrusted input: nothing in its git config may run a program, page or colour output.
_SAFE = (
    "-c", "core.quotepath=false", "-c", "core.fsmonitor=false", "-c", "log.showSignature=false",
    "-c", "color.ui=false", "--no-pager",
)
_TIMEOUT = 120.0
_RECORD = "\x1e"
_FORMAT = "--format=%x1e%H%x00%P%x00%aI%x00%aN%x00%s"
_ZERO = "0" * 40


@dataclass(frozen=True)
class Repository:
    """The repository holding a vault: its top folder, the vault's place in it, HEAD, and the
    commits where a shallow clone was cut (their parents are missing)."""

    top: str
    prefix: str
    head: str
    shallow: frozenset[str]

    @property
    def identity(self) -> str:
        """A digest of where the vault sits, HEAD and the shallow cut: while it stays the same,
        so does every history read from the repository."""
        parts = [self.top, self.prefix, self.head, *sorted(self.shallow)]
        return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(frozen=True)
class FileChange:
    """One file a commit changed, vault-relative: status `A`, `M`, `D`, `T` or `R` (renamed from
    `old_path`); `old_blob`/`new_blob` are blob ids, None on the side where the file is absent."""

    status: str
    old_path: str
    path: str
    old_blob: str | None
    new_blob: str | None


@dataclass(frozen=True)
class Commit:
    """A commit of the first-parent chain with the vault files it changed (against its first
    parent, so a merge shows what it brought onto the branch)."""

    id: str
    parents: tuple[str, ...]
    date: str
    author: str
    subject: str
    files: tuple[FileChange, ...]


def locate(vault_root: Path) -> Repository | None:
    """The repository `vault_root` lives in, or None (no git, not a repository, no commit)."""
    out = _git(vault_root, "rev-parse", "--show-toplevel", "--show-prefix",
               "--git-path", "shallow", "--verify", "--end-of-options", "HEAD^{commit}")
    if out is None:
        return None
    lines = out.decode("utf-8", "surrogateescape").split("\n")
    if len(lines) < 4 or len(lines[3]) < 40:
        return None
    top, prefix, shallow_file, head = lines[0], lines[1], lines[2], lines[3]
    shallow: frozenset[str] = frozenset()
    try:
        text = (vault_root / shallow_file).read_text(encoding="ascii")
        shallow = frozenset(text.split())
    except (OSError, UnicodeDecodeError):
        pass  # no shallow file: a complete clone
    return Repository(top, prefix, head, shallow)


def first_parent_log(vault_root: Path, repo: Repository, *, since: str | None = None,
                     limit: int | None = None) -> tuple[Commit, ...] | None:
    """The commits of HEAD's first-parent chain (newest first) that changed a Markdown file in
    the vault, or with `since`, every commit of the chain after `since` (so that the caller can
    check the chain continues from it). None when git fails."""
    revisions = [f"{since}..{repo.head}"] if since else [repo.head]
    # `--relative` already keeps the changes to the vault's folder; a pathspec costs a second
    # tree comparison per commit, worth it only to skip the commits of a larger repository.
    paths = ["--", "."] if repo.prefix and not since else []
    count = [f"--max-count={limit}"] if limit else []
    out = _git(vault_root, "log", "-z", "--first-parent", "-m", "--raw", "--no-abbrev", "-M",
               "--relative", "--no-color", "--no-ext-diff", "--no-textconv", _FORMAT, *count,
               "--end-of-options", *revisions, *paths)
    if out is None:
        return None
    commits = _parse_log(out.decode("utf-8", "surrogateescape").split("\0"))
    return tuple(commits if since else (commit for commit in commits if commit.files))


def read_blobs(vault_root: Path, blob_ids: Iterable[str]) -> Mapping[str, bytes]:
    """The contents of `blob_ids`, read by one `git cat-file --batch`; missing ones are absent."""
    wanted = sorted(set(blob_ids))
    if not wanted:
        return {}
    out = _git(vault_root, "cat-file", "--batch", input="".join(f"{b}\n" for b in wanted).encode())
    if out is None:
        return {}
    blobs: dict[str, bytes] = {}
    at = 0
    while at < len(out):
        end = out.find(b"\n", at)
        if end < 0:
            break
        header = out[at:end].split(b" ")
        at = end + 1
        if len(header) != 3:  # "<id> missing" or "<id> ambiguous"
            continue
        size = int(header[2])
        if header[1] == b"blob":
            blobs[header[0].decode("ascii")] = out[at:at + size]
        at += size + 1
    return blobs


def _parse_log(tokens: list[str]) -> list[Commit]:
    """Walk the NUL-separated tokens of `git log -z --raw` with our format, by position, so that
    no subject or path can be mistaken for structure."""
    commits: list[Commit] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        if not token.startswith(_RECORD) or i + 4 >= len(tokens):
            i += 1
            continue
        commit_id = token[1:]
        parents, date, author, subject = tokens[i + 1:i + 5]
        i += 5
        files: list[FileChange] = []
        while i < len(tokens) and tokens[i].lstrip("\n").startswith(":"):
            fields = tokens[i].lstrip("\n")[1:].split(" ")
            status = fields[-1][:1]
            old_blob, new_blob = fields[2], fields[3]
            if status in "RC":
                old_path, path = tokens[i + 1:i + 3]
                i += 3
            else:
                old_path = path = tokens[i + 1] if i + 1 < len(tokens) else ""
                i += 2
            if status == "C" or not (_markdown(path) or _markdown(old_path)):
                continue
            files.append(FileChange(status, old_path, path, None if old_blob == _ZERO else old_blob,
                                    None if new_blob == _ZERO else new_blob))
        commits.append(Commit(commit_id, tuple(parents.split()), date, _text(author),
                              _text(subject), tuple(files)))
    return commits


def _markdown(path: str) -> bool:
    return path.lower().endswith(".md")


def _text(value: str) -> str:
    """Names and subjects in a legacy encoding become readable text with replacement marks."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _git(cwd: Path, *args: str, input: bytes | None = None) -> bytes | None:
    """Run the `git` found on PATH in `cwd`; its output, or None on any failure."""
    env = {key: value for key, value in os.environ.items() if key not in _REDIRECTS}
    env["GIT_TERMINAL_PROMPT"] = "0"
    try:
        done = subprocess.run(["git", *_SAFE, *args], cwd=cwd, env=env, input=input,
                              capture_output=True, timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        log.debug("git %s: %s", args[0], error)
        return None
    if done.returncode != 0:
        log.debug("git %s: exit %d: %s", args[0], done.returncode,
                  done.stderr.decode("utf-8", "replace").strip())
        return None
    return done.stdout
