"""What the last build saw and wrote, so the next one redoes only what changed (SPEC §6).

A build's inputs are the vault's Markdown files, its `assets/`, `goalsite.toml`, the templates
(ours and the vault's), goalsite itself and the evaluation date. A `Tracker` surveys the inputs
(each file's size and modification time), stamps them by content hash when the survey shows
something moved (reading a file again only when its size or modification time moved, or when
that time is too recent to trust), keeps parsed files by path and hash (in memory, for watch
mode), and decides which output files a build must render: those whose inputs, or whose lint
findings, changed; those that are new; those missing or altered on disk. Everything else stays
as it is.

The state survives between runs as JSON in `.goalsite-cache/build.json` in the vault (never
pickle: a vault is untrusted input, and so is anything next to it), on three lines. The first
is a `Summary`: all that the no-change check reads, so that a build finding nothing changed
decodes nothing else; the second holds the findings, which such a build reports again (decoded
only when asked); the third holds each input's digest and each page's dependencies (issue 10).
A cache that cannot be read, was written by another version of goalsite, or describes another
output folder is ignored.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import os
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import TYPE_CHECKING

from goalsite import __version__
from goalsite.config import CONFIG_NAME, Config
from goalsite.depends import is_symbol
from goalsite.discover import discover
from goalsite.finding import SEVERITIES, Finding

if TYPE_CHECKING:
    from goalsite.load import LoadedFile
    from goalsite.site.plan import SitePlan

log = logging.getLogger(__name__)

CACHE_FOLDER = ".goalsite-cache"
STATE_NAME = "build.json"
FORMAT = "goalsite-build/5"
# A file modified this close to the start of the build that stamped it may change again within
# the same clock tick unseen (git's "racily clean" problem): its stamp is not trusted later.
_RACY_NS = 2_000_000_000
_PACKAGE = Path(__file__).resolve().parent
# The digest recorded for a broken file shown as it last was (watch mode): matches no content.
KEPT = "kept"

# A file's size and modification time (ns): what a glance at it tells.
FileStat = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Stamp:
    """A file as a build saw it: its content hash, size, modification time, and that time's
    UTC day (a goal without `start:` starts on its file's date, SPEC §2.1)."""

    digest: str
    size: int
    mtime_ns: int
    # What else the file's reading depends on: the day git first saw it (SPEC §2.1 `start`).
    extra: str = ""

    @property
    def day(self) -> str:
        return dt.datetime.fromtimestamp(self.mtime_ns / 1e9, tz=dt.timezone.utc).date().isoformat()

    def same_input(self, other: Stamp | None) -> bool:
        """Whether a build reading either would come out the same."""
        return other is not None and self.digest == other.digest and self.extra == other.extra \
            and (self.mtime_ns == other.mtime_ns or self.day == other.day)


@dataclass(frozen=True, slots=True)
class Written:
    """An output file as the build left it, and the vault files its page reads."""

    digest: str
    size: int
    mtime_ns: int
    depends: frozenset[str]


@dataclass(frozen=True)
class Listing:
    """The vault's Markdown files as discovery found them, and the folders it listed with
    their modification times (see `discover.Discovery`): while the build's key is the same
    (the config, the code) and no folder's time has moved, discovery would find these files
    again, and the no-change check stats them instead of walking the vault (issue 10)."""

    files: tuple[str, ...]
    folders: Mapping[str, int]


@dataclass(frozen=True)
class BuildState:
    """Everything the next build compares against."""

    key: str
    output: str
    started_ns: int
    inputs: Mapping[str, Stamp]
    pages: Mapping[str, Written]
    findings: tuple[Finding, ...]
    # What git said (HEAD, the shallow cut): a commit changes goals' histories, not their files.
    git: str = ""
    # The evaluation date (ISO): another day redraws the pages that show it (depends.py).
    day: str = ""
    # The discovery the inputs came from, when the next build may trust it without walking.
    listing: Listing | None = None
    # Each goal's and entry's line of the `/goals` and `/entries` symbols, by path
    # (depends.records_digest): the next build takes those of the files it finds unchanged.
    records: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Summary:
    """What the no-change check needs of a `BuildState`, saved as its own first line: a
    fingerprint of the sizes and modification times of every input file and output file and
    of the output's folders but those that hold a single page (a file added to or removed from
    a folder moves its time, so no folder needs listing; see `watched_folders`), the digests
    of the inputs whose time proves nothing (too recent, or kept in watch mode), the folders
    whose time proves nothing (listed by the check), the vault's listing (the check then need
    not walk the vault), and the findings a build that changes nothing reports again. The
    findings are kept as saved (JSON, checked against the digest the first line holds) and
    decoded only when asked: a no-change `goalsite build` never asks, and a big vault has tens
    of thousands (issue 10)."""

    key: str
    output: str
    git: str
    fingerprint: str
    unsure: Mapping[str, str]
    # The output files (output-relative), sorted; their folders follow from them.
    pages: tuple[str, ...]
    # The output folders whose times the fingerprint holds (`watched_folders`), and those of
    # them whose times prove nothing.
    folders: tuple[str, ...]
    unsure_folders: tuple[str, ...]
    findings_json: bytes
    day: str = ""
    listing: Listing | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        try:
            return _decode_findings(json.loads(self.findings_json))
        except _UNREADABLE as error:
            # Only a cache made by hand can get here: its digest matched.
            log.debug("build cache's findings ignored: %s", error)
            return ()


@dataclass(frozen=True)
class Survey:
    """The inputs at a glance, before any is read: each input file's size and modification
    time, the key of everything that changes every page when it changes, git's state, and
    the vault's listing the files came from (None: not one the next build may trust)."""

    key: str
    started_ns: int
    stats: Mapping[str, FileStat]
    git: str = ""
    listing: Listing | None = None


@dataclass(frozen=True)
class Scan:
    """The inputs as they are now: the stamps of every input file and the key of everything
    that, when it changes, changes every page."""

    key: str
    started_ns: int
    inputs: Mapping[str, Stamp]
    git: str = ""
    listing: Listing | None = None


@dataclass(frozen=True)
class Work:
    """What this build must do: render `render` (None: everything), delete `removed`;
    `changed` are the vault files that differ from the last build."""

    render: frozenset[str] | None
    removed: tuple[str, ...]
    changed: tuple[str, ...]


@dataclass(frozen=True)
class _Parsed:
    """A file as last parsed (`key`: what its parse depends on), and its last good parse."""

    key: tuple[object, ...]
    loaded: LoadedFile
    good: LoadedFile | None
    kept: bool


@dataclass
class Tracker:
    """The memory of one vault's builds (one per `Builder`)."""

    vault_root: Path
    today: dt.date
    cache_dir: Path | None = None
    # Watch mode: a file that breaks keeps its last good goal or entry (with today's errors).
    keep_last_good: bool = False
    state: BuildState | None = None
    _parsed: dict[str, _Parsed] = field(default_factory=dict)
    _kept: set[str] = field(default_factory=set)
    _scan: Scan | None = None
    _config_digest: str = ""
    _loaded_disk: bool = False
    # The state's first line (and its findings, undecoded), all the no-change check reads
    # (None: not read yet).
    _summary: Summary | None = None

    def __post_init__(self) -> None:
        if self.cache_dir is None:
            self.cache_dir = self.vault_root / CACHE_FOLDER

    # -- looking ----------------------------------------------------------------------------

    def survey(self, config: Config, assets: Iterable[str], git: str = "") -> Survey:
        """The size and modification time of the vault's Markdown files (discovered with
        `config`, or the last build's when no folder of the vault moved since), its `assets`
        (names under `assets/`) and the config, with what git says (`git`, see
        `gitlog.Repository`); the key of what every page depends on."""
        started_ns = time_ns()
        try:
            self._config_digest = _file_digest(self.vault_root / CONFIG_NAME)
        except OSError:
            self._config_digest = ""
        key = _digest_of([FORMAT, __version__, str(self.vault_root.resolve()), self._config_digest,
                          code_digest(),
                          _tree_digest(_PACKAGE / "templates", content=True),
                          _tree_digest(self.vault_root / "templates", content=True)])
        listing = self._listed(key)
        if listing is None:
            discovery = discover(self.vault_root, config)
            listing = Listing(discovery.files, discovery.folders)
        paths = [*listing.files, *(f"assets/{name}" for name in assets), CONFIG_NAME]
        found = stat_files(self.vault_root, paths)
        # Trusted next time only if the listing alone decided the files, every file was there
        # to stat, and no folder's time is too recent to prove anything.
        trusted = bool(listing.folders) \
            and len(found) == len(paths) - (CONFIG_NAME not in found) \
            and all(mtime_ns < started_ns - _RACY_NS for mtime_ns in listing.folders.values())
        return Survey(key, started_ns, found, git, listing if trusted else None)

    def _listed(self, key: str) -> Listing | None:
        """The last build's listing of the vault, if its key is `key` (the same config and
        code: the same discovery rules) and none of the folders it listed has moved since."""
        summary = self._summarized()
        if summary is None or summary.key != key or summary.listing is None:
            return None
        listing = summary.listing
        return listing if stat_folders(self.vault_root, listing.folders) == listing.folders \
            else None

    def untouched(self, survey: Survey, target: Path) -> bool:
        """Whether, at a glance, nothing changed since the last build and its output is
        intact: the same key and git state, every input and output file of the same size and
        modification time, and the inputs whose time proves nothing hashed to what they were.
        Reads only the summary of the saved state."""
        summary = self._summarized()
        if summary is None or (summary.key, summary.output, summary.git, summary.day) != \
                (survey.key, str(target), survey.git, self.today.isoformat()) or not _marker(target):
            return False
        output_folders = stat_folders(target, summary.folders)
        if summary.fingerprint != fingerprint(survey.stats, stat_files(target, summary.pages),
                                              output_folders):
            return False
        try:
            if not all(_file_digest(self.vault_root / path) == digest
                       for path, digest in summary.unsure.items()) \
                    or summary.unsure_folders and not _folders_hold(
                        target, summary.unsure_folders, summary.pages, _folders_of(summary.pages)):
                return False
        except OSError:
            return False
        self._settle(summary, survey, output_folders)
        return True

    def _settle(self, summary: Summary, survey: Survey, output_folders: Mapping[str, int]) -> None:
        """After a no-change check that had to do more than glance (files whose time proved
        nothing, hashed; output folders listed; the vault walked), save what it learnt, so
        that the next check only glances: the files and folders whose times are now old enough
        to prove something, and the vault's listing. Only the first line changes."""
        trusted_before = survey.started_ns - _RACY_NS
        unsure = {path: digest for path, digest in summary.unsure.items()
                  if digest == KEPT or path not in survey.stats
                  or survey.stats[path][1] >= trusted_before}
        unsure_folders = tuple(folder for folder in summary.unsure_folders
                               if output_folders.get(folder, trusted_before) >= trusted_before)
        listing = survey.listing
        if (len(unsure), unsure_folders, listing) == \
                (len(summary.unsure), summary.unsure_folders, summary.listing):
            return
        settled = replace(summary, unsure=unsure, unsure_folders=unsure_folders, listing=listing)
        if replace_summary(self.cache_dir, settled):
            self._summary = settled
            if self.state is not None:
                self.state = replace(self.state, listing=listing)

    # -- stamping ---------------------------------------------------------------------------

    def scan(self, survey: Survey, first_seen: Mapping[str, dt.date] | None = None) -> Scan:
        """Stamp the surveyed files by content, with the day git first saw each (`first_seen`)."""
        self._kept.clear()
        previous = self._previous()
        trusted_before = previous.started_ns - _RACY_NS if previous else 0
        old = previous.inputs if previous else {}
        inputs = stamp_files(self.vault_root, survey.stats, old, trusted_before)
        for path, day in (first_seen or {}).items():
            if (stamp := inputs.get(path)) is not None:
                inputs[path] = Stamp(stamp.digest, stamp.size, stamp.mtime_ns, day.isoformat())
        self._scan = Scan(survey.key, survey.started_ns, inputs, survey.git, survey.listing)
        return self._scan

    def with_symbols(self, scan: Scan, symbols: Mapping[str, str]) -> Scan:
        """`scan` with the digests of symbolic inputs (see depends.py) added to its files'."""
        inputs = dict(scan.inputs)
        inputs.update((name, Stamp(digest, 0, 0)) for name, digest in symbols.items())
        self._scan = replace(scan, inputs=inputs)
        return self._scan

    def unchanged(self, scan: Scan, target: Path) -> bool:
        """Whether no file changed since the last build, and its output is intact (symbols
        derive from the files, so they cannot have changed either): files may have been
        touched (`untouched` said no) and still hold what they held."""
        previous = self._previous()
        if previous is None or previous.key != scan.key or previous.output != str(target) \
                or previous.git != scan.git or previous.day != self.today.isoformat():
            return False
        files_before = {path for path in previous.inputs if not is_symbol(path)}
        if files_before != set(scan.inputs) or not all(
                stamp.same_input(previous.inputs.get(path)) for path, stamp in scan.inputs.items()):
            return False
        if not _marker(target):
            return False
        listing, folders = _listing(target)
        return listing.keys() == previous.pages.keys() \
            and _folders_of(previous.pages).keys() >= folders \
            and all(listing[output] == (written.size, written.mtime_ns)
                    for output, written in previous.pages.items())

    def confirm(self, scan: Scan) -> None:
        """Save that the files `unchanged` found touched hold what they held, with their new
        times, so that the next build sees at a glance that nothing changed."""
        previous = self._previous()
        if previous is None:
            return
        inputs = {**{path: stamp for path, stamp in previous.inputs.items() if is_symbol(path)},
                  **scan.inputs}
        self._save(replace(previous, started_ns=scan.started_ns, inputs=inputs, git=scan.git,
                           listing=scan.listing))

    # -- parsing ----------------------------------------------------------------------------

    def load_file(self, root: Path, path: str, config: Config, *,
                  first_seen: Mapping[str, dt.date] | None = None) -> LoadedFile:
        """`goalsite.load.load_file`, answered from memory when the file, its date, the config
        and its first commit are what they were when it was last parsed."""
        from goalsite.load import load_file

        stamp = self._scan.inputs.get(path) if self._scan else None
        if stamp is None:
            return load_file(root, path, config, first_seen=first_seen)
        key = (stamp.digest, stamp.day, self._config_digest, (first_seen or {}).get(path))
        known = self._parsed.get(path)
        if known is not None and known.key == key:
            if known.kept:
                self._kept.add(path)
            return known.loaded
        loaded = load_file(root, path, config, first_seen=first_seen)
        last_good = known.good if known is not None else None
        if (self.keep_last_good and last_good is not None and loaded.goal is None
                and loaded.entry is None
                and any(finding.severity == "error" for finding in loaded.findings)):
            # SPEC §6: a broken file never stops the watcher, and its last good page stays.
            self._parsed[path] = _Parsed(key, replace(last_good, findings=loaded.findings),
                                         last_good, kept=True)
            self._kept.add(path)
            return self._parsed[path].loaded
        good = loaded if loaded.goal is not None or loaded.entry is not None else last_good
        self._parsed[path] = _Parsed(key, loaded, good, kept=False)
        return loaded

    @property
    def kept(self) -> frozenset[str]:
        """The files of the current build read from memory as they last were, being broken now."""
        return frozenset(self._kept)

    # -- deciding ---------------------------------------------------------------------------

    def work(self, scan: Scan, site_plan: SitePlan, findings: Iterable[Finding],
             target: Path) -> Work:
        """Which files this build renders and deletes (see the module's docstring)."""
        previous = self._previous()
        planned = {page.output for page in site_plan.pages}
        listing, folders = _listing(target) if _marker(target) else (None, set())
        if previous is None or previous.key != scan.key or previous.output != str(target) \
                or listing is None or not listing.keys() <= previous.pages.keys() \
                or not _folders_of(previous.pages).keys() >= folders:
            # Nothing to start from, or files or folders in the output that no build of ours
            # left there: a full build, which makes the folder exactly the site again (SPEC §8).
            return Work(None, (), tuple(sorted(scan.inputs)))
        changed = _changed(scan.inputs, previous.inputs)
        dirty = changed | _findings_changed(previous.findings, findings)
        render = frozenset(
            page.output for page in site_plan.pages
            if (written := previous.pages.get(page.output)) is None
            or not dirty.isdisjoint(page.depends) or not dirty.isdisjoint(written.depends)
            or listing.get(page.output) != (written.size, written.mtime_ns)
        )
        removed = tuple(sorted(output for output in previous.pages if output not in planned))
        return Work(render, removed, tuple(sorted(changed)))

    def changed_files(self, scan: Scan) -> frozenset[str] | None:
        """The vault files whose stamps differ from the last build's, added and removed ones
        included; None when there is no last build with the same key (config, code) and day."""
        previous = self._previous()
        if previous is None or previous.key != scan.key or previous.day != self.today.isoformat():
            return None
        files = {path: stamp for path, stamp in previous.inputs.items() if not is_symbol(path)}
        return frozenset(_changed(scan.inputs, files))

    def settled_records(self, scan: Scan) -> dict[str, str]:
        """The last build's lines of the `/goals` and `/entries` symbols (`BuildState.records`)
        of the files that read as they did then: the same key (config, code), the same stamps
        (content, day, first commit); a file's record depends on nothing else (load.py)."""
        previous = self._previous()
        if previous is None or previous.key != scan.key:
            return {}
        before, now = previous.inputs, scan.inputs
        return {path: line for path, line in previous.records.items()
                if (stamp := now.get(path)) is not None and stamp.same_input(before.get(path))}

    def remember(self, scan: Scan, site_plan: SitePlan, digests: Mapping[str, str],
                 findings: Iterable[Finding], target: Path,
                 records: Mapping[str, str] | None = None) -> None:
        """Record what this build wrote (`digests`: the SHA-256 of the files it rendered; the
        others are as the last build left them) and its goals' and entries' `records` lines,
        and save it for the next run."""
        previous = self._previous()
        old_pages = previous.pages if previous else {}
        pages: dict[str, Written] = {}
        for page in site_plan.pages:
            digest = digests.get(page.output)
            if digest is None and page.output in old_pages:
                pages[page.output] = replace(old_pages[page.output], depends=page.depends)
                continue
            try:
                stat = os.stat(target / page.output)
            except OSError:
                continue
            digest = digest or ""
            pages[page.output] = Written(digest, stat.st_size, stat.st_mtime_ns, page.depends)
        inputs = dict(scan.inputs)
        for path in self._kept & set(inputs):
            # Not what the file says: the next build must read it again (and a plain `goalsite
            # build` must not take the watch-mode page for its own).
            inputs[path] = replace(inputs[path], digest=KEPT)
        live = {path for path in scan.inputs}
        for path in [path for path in self._parsed if path not in live]:
            del self._parsed[path]
        self._save(BuildState(scan.key, str(target), scan.started_ns, inputs, pages,
                              tuple(sorted(findings)), scan.git, self.today.isoformat(),
                              scan.listing, dict(records or {})))

    def last_findings(self) -> Callable[[], tuple[Finding, ...]]:
        """What reads the findings of the last build, which a build that changes nothing
        reports again (decoded when called: most such builds never ask)."""
        summary = self._summarized()
        return (lambda: summary.findings) if summary is not None else (lambda: ())

    def wrote(self, target: Path, files: Mapping[str, bytes]) -> tuple[str, ...]:
        """Write `files` outside a build (watch mode's preview) where their bytes changed, and
        remember them, so that the build that follows leaves them be when it renders the same
        bytes. Returns the files written."""
        previous = self._previous()
        pages = dict(previous.pages) if previous is not None else {}
        digests = {output: hashlib.sha256(data).hexdigest() for output, data in files.items()}
        written, _ = write_changes(target, files, (), pages, digests)
        for output in written:
            stat = os.stat(target / output)
            depends = pages[output].depends if output in pages else frozenset()
            pages[output] = Written(digests[output], stat.st_size, stat.st_mtime_ns, depends)
        if previous is not None and written:
            self.state = replace(previous, pages=pages)
        return written

    def _previous(self) -> BuildState | None:
        if self.state is None and not self._loaded_disk:
            self._loaded_disk = True
            self.state = load_state(self.cache_dir)
        return self.state

    def _summarized(self) -> Summary | None:
        if self._summary is None:
            self._summary = load_summary(self.cache_dir)
        return self._summary

    def _save(self, state: BuildState) -> None:
        self.state = state
        self._summary = summarize(state, Path(state.output))
        save_state(self.cache_dir, state, self._summary)


def write_changes(target: Path, files: Mapping[str, bytes] | Iterable[tuple[str, bytes]],
                  removed: Iterable[str],
                  previous: Mapping[str, Written], digests: Mapping[str, str] | None = None
                  ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Write the rendered `files` whose bytes differ from what is on disk, delete the `removed`
    files goalsite wrote, and return (written, deleted); `digests`: the files' SHA-256 when
    the caller has them already. `files` may be rendered while they are iterated: each changed
    file goes to a temporary file beside its place, and only once every file has come are they
    all renamed over the old ones (`os.replace`), so a failure while rendering leaves the site
    as it was (SPEC §8). Folders left empty by a deletion are removed."""
    from goalsite.site.output import safe_destination

    staged: list[tuple[str, Path, Path]] = []
    try:
        for relative, data in (files.items() if isinstance(files, Mapping) else files):
            destination = safe_destination(target, relative)
            known = previous.get(relative)
            if known is not None and known.digest == _rendered_digest(relative, data, digests) \
                    and _intact(target, relative, known):
                continue
            if known is None and _same_bytes(destination, data):
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".goalsite-")
            staged.append((relative, Path(temporary), destination))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o644)
    except BaseException:
        for _, temporary, destination in staged:
            temporary.unlink(missing_ok=True)
            _prune_empty(destination.parent, target)
        raise
    for _, temporary, destination in staged:
        os.replace(temporary, destination)
    written = [relative for relative, _, _ in staged]
    deleted: list[str] = []
    for relative in sorted(removed):
        destination = safe_destination(target, relative)
        try:
            destination.unlink()
        except FileNotFoundError:
            pass
        deleted.append(relative)
        _prune_empty(destination.parent, target)
    return tuple(sorted(written)), tuple(deleted)


def stat_files(root: Path, paths: Iterable[str]) -> dict[str, FileStat]:
    """The size and modification time of each regular file of `paths` (under `root`); the
    others (gone, a folder, unreadable) are left out."""
    return {path: (info.st_size, info.st_mtime_ns)
            for path, info in _stats(root, paths) if S_ISREG(info.st_mode)}


def stamp_files(root: Path, found: Mapping[str, FileStat], previous: Mapping[str, Stamp],
                trusted_before_ns: int) -> dict[str, Stamp]:
    """The stamp of each file `found` (path → size and modification time) under `root`. A file
    whose size and modification time match its `previous` stamp, and whose time is before
    `trusted_before_ns`, keeps its digest without being read; every other file is hashed."""
    stamps: dict[str, Stamp] = {}
    for path, (size, mtime_ns) in found.items():
        old = previous.get(path)
        if old is not None and old.digest != KEPT and old.size == size \
                and old.mtime_ns == mtime_ns and mtime_ns < trusted_before_ns:
            # Without the day git first saw it: the caller adds this build's (it may be gone).
            stamps[path] = Stamp(old.digest, size, mtime_ns) if old.extra else old
            continue
        try:
            digest = _file_digest(root / path)
        except OSError:
            continue
        stamps[path] = Stamp(digest, size, mtime_ns)
    return stamps


def stat_folders(root: Path, folders: Iterable[str]) -> dict[str, int]:
    """The modification time of each of `folders` under `root` ("": `root` itself); folders
    that are gone or are not folders are left out."""
    return {folder: info.st_mtime_ns
            for folder, info in _stats(root, folders) if S_ISDIR(info.st_mode)}


def _stats(root: Path, paths: Iterable[str]) -> Iterator[tuple[str, os.stat_result]]:
    """Each of `paths` under `root` that exists, with its `os.stat` (links followed): the
    no-change check's inner loop, 120,000 files at 10k/50k (issue 10)."""
    prefix = os.path.join(root, "")
    for path in paths:
        try:
            yield path, os.stat(prefix + path)
        except (OSError, ValueError):
            continue


def fingerprint(inputs: Mapping[str, FileStat], outputs: Mapping[str, FileStat],
                folders: Mapping[str, int]) -> str:
    """A digest of the names, sizes and modification times of the input and output files and
    of the output's folders (in the order `watched_folders` gives them): the same digest, the
    same files at a glance."""
    # 180,000 entries for a big vault (issue 10): the names joined and the numbers packed,
    # each part made in C and hashed after its length (so no two different parts run into
    # each other).
    digest = hashlib.sha256()
    for names, numbers in (_columns(inputs), _columns(outputs),
                           (list(folders), list(folders.values()))):
        for part in ("\0".join(names).encode("utf-8", "surrogateescape"), _packed(numbers)):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return digest.hexdigest()


def _columns(stats: Mapping[str, FileStat]) -> tuple[list[str], list[int]]:
    """The names of `stats`, sorted, and their sizes and times, in that order."""
    names = sorted(stats)
    return names, [number for name in names for number in stats[name]]


def _packed(numbers: list[int]) -> bytes:
    """`numbers` as bytes, 8 a number (any that does not fit: their text instead)."""
    try:
        return array("q", numbers).tobytes()
    except OverflowError:
        return repr(numbers).encode("ascii")


def summarize(state: BuildState, target: Path) -> Summary:
    """What the no-change check needs of `state`, whose output is in `target` (see `Summary`):
    the output's folders are looked at now."""
    observed_ns = time_ns()
    files = [(path, stamp) for path, stamp in state.inputs.items() if not is_symbol(path)]
    pages = sorted(state.pages)
    watched = watched_folders(pages)
    folders = stat_folders(target, watched)
    trusted_before = state.started_ns - _RACY_NS
    return Summary(
        state.key, state.output, state.git,
        fingerprint({path: (stamp.size, stamp.mtime_ns) for path, stamp in files},
                    {output: (w.size, w.mtime_ns) for output, w in state.pages.items()}, folders),
        {path: stamp.digest for path, stamp in files
         if stamp.mtime_ns >= trusted_before or stamp.digest == KEPT},
        tuple(pages), watched,
        tuple(sorted(folder for folder, mtime_ns in folders.items()
                     if mtime_ns >= observed_ns - _RACY_NS)),
        _encode_findings(state.findings), state.day, state.listing)


# What reading a cache can raise when it is not one we wrote: it is then ignored.
_UNREADABLE = (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


def load_summary(cache_dir: Path | None) -> Summary | None:
    """The first two lines of the saved state (the second, the findings, is not decoded), or
    None when there is none or it is unreadable, truncated or foreign (the third line, the
    rest of the state, is not read)."""
    if cache_dir is None:
        return None
    try:
        with open(cache_dir / STATE_NAME, "rb") as stream:
            first, findings = stream.readline(), stream.readline()
        return _decode_summary(json.loads(first), findings)
    except FileNotFoundError:
        return None
    except _UNREADABLE as error:
        log.debug("build cache ignored: %s", error)
        return None


def load_state(cache_dir: Path | None) -> BuildState | None:
    """The saved state, or None when there is none or it is unreadable, truncated or foreign."""
    if cache_dir is None:
        return None
    try:
        first, findings, rest = (cache_dir / STATE_NAME).read_bytes().split(b"\n", 2)
        summary = _decode_summary(json.loads(first), findings + b"\n")
        return _decode(summary, _decode_findings(json.loads(findings)), json.loads(rest))
    except FileNotFoundError:
        return None
    except _UNREADABLE as error:
        log.debug("build cache ignored: %s", error)
        return None


def replace_summary(cache_dir: Path | None, summary: Summary) -> bool:
    """Write `summary` over the saved state's first line, keeping the others as they are
    (the findings are the summary's own); whether it was written (a cache that cannot be
    written only makes the next run slower)."""
    if cache_dir is None:
        return False
    try:
        rest = (cache_dir / STATE_NAME).read_bytes().split(b"\n", 2)[2]
        _write_atomically(cache_dir, _summary_line(summary) + summary.findings_json + rest)
    except OSError as error:
        log.debug("build cache not written: %s", error)
        return False
    return True


def save_state(cache_dir: Path | None, state: BuildState, summary: Summary | None = None) -> None:
    """Write the state atomically, its summary (`summarize(state)`) on the first line and its
    findings on the second; a cache that cannot be written only makes the next run slower."""
    if cache_dir is None:
        return
    try:
        if not cache_dir.is_dir():
            cache_dir.mkdir()
            # Never committed with the vault by accident.
            (cache_dir / ".gitignore").write_text("*\n", encoding="utf-8")
        summary = summary or summarize(state)
        _write_atomically(cache_dir, _summary_line(summary) + summary.findings_json
                          + _line(_encode(state)))
    except OSError as error:
        log.debug("build cache not written: %s", error)


def _summary_line(summary: Summary) -> bytes:
    return _line(_encode_summary(summary))


def _line(document: object) -> bytes:
    # dumps, not dump: only dumps runs the C encoder on the whole document. JSON text holds
    # no line break (they are escaped in strings), so each document is one line.
    return (json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def _encode_findings(findings: Iterable[Finding]) -> bytes:
    """The findings' line."""
    return _line([[f.path, f.line, f.column, f.code, f.severity, f.message, f.fix]
                  for f in findings])


def _write_atomically(cache_dir: Path, data: bytes) -> None:
    """Replace the saved state with `data` at once: a reader sees the old or the new."""
    handle, temporary = tempfile.mkstemp(dir=cache_dir, prefix=".build-", suffix=".json")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, cache_dir / STATE_NAME)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _encode_summary(summary: Summary) -> dict[str, object]:
    return {
        "format": FORMAT,
        "version": __version__,
        "key": summary.key,
        "output": summary.output,
        "git": summary.git,
        "day": summary.day,
        "fingerprint": summary.fingerprint,
        "unsure": dict(summary.unsure),
        "pages": list(summary.pages),
        "folders": list(summary.folders),
        "unsure_folders": list(summary.unsure_folders),
        "findings_sha256": hashlib.sha256(summary.findings_json).hexdigest(),
        "listing": None if summary.listing is None else
        {"files": list(summary.listing.files), "folders": dict(summary.listing.folders)},
    }


def _encode(state: BuildState) -> dict[str, object]:
    """The third line: what the first two do not hold."""
    names = sorted(state.inputs)
    index = {name: number for number, name in enumerate(names)}
    records = state.records
    return {
        "started_ns": state.started_ns,
        "inputs": [[name, s.digest, s.size, s.mtime_ns, s.extra, records.get(name, "")]
                   for name, s in ((name, state.inputs[name]) for name in names)],
        # Dependencies by input number: the dashboard reads every file, and a big vault has many.
        "pages": {output: [w.digest, w.size, w.mtime_ns,
                           sorted(index[path] for path in w.depends if path in index),
                           sorted(path for path in w.depends if path not in index)]
                  for output, w in state.pages.items()},
    }


def _decode_summary(raw: object, findings_json: bytes) -> Summary:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("version") != __version__:
        raise ValueError("written by another version of goalsite")
    if hashlib.sha256(findings_json).hexdigest() != raw["findings_sha256"]:
        raise ValueError("the findings are not those the summary was saved with")
    unsure = {_text(path): _text(digest) for path, digest in raw["unsure"].items()}
    pages, folders = tuple(raw["pages"]), tuple(raw["folders"])
    unsure_folders = tuple(raw["unsure_folders"])
    _texts(pages, folders, unsure_folders)
    return Summary(_text(raw["key"]), _text(raw["output"]), _text(raw["git"]),
                   _text(raw["fingerprint"]), unsure, pages, folders, unsure_folders,
                   findings_json, _text(raw["day"]), _decode_listing(raw["listing"]))


def _decode_listing(raw: object) -> Listing | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise TypeError("the listing is not an object")
    files, folders = tuple(raw["files"]), raw["folders"]
    if not isinstance(folders, dict):
        raise TypeError("the listing's folders are not an object")
    # Discovery never takes a name starting with a dot, nor an absolute path: a listing that
    # holds one (`..`, `/etc`) was not written by goalsite.
    names = _texts(files, folders)
    if "\0." in names or "/." in names or "\0/" in names:
        raise ValueError("a name no discovery gives")
    return Listing(files, {folder: _number(mtime_ns) for folder, mtime_ns in folders.items()})


def _decode_findings(rows: object) -> tuple[Finding, ...]:
    """The findings of the last build, each field checked (a big vault has tens of thousands:
    the checks are inline)."""
    findings: list[Finding] = []
    for path, line, column, code, severity, message, fix in rows:  # type: ignore[attr-defined]
        if not (type(path) is type(code) is type(message) is type(fix) is str
                and type(line) is type(column) is int and line >= 0 and column >= 0):
            raise TypeError("a finding with a field of the wrong type")
        if severity in SEVERITIES:
            findings.append(Finding(path, line, column, code, severity, message, fix))
    return tuple(findings)


def _decode(summary: Summary, findings: tuple[Finding, ...], raw: object) -> BuildState:
    if not isinstance(raw, dict):
        raise TypeError("the third line is not an object")
    names: list[str] = []
    inputs: dict[str, Stamp] = {}
    records: dict[str, str] = {}
    for name, digest, size, mtime_ns, extra, record in raw["inputs"]:
        names.append(_text(name))
        inputs[_text(name)] = Stamp(_text(digest), _number(size), _number(mtime_ns), _text(extra))
        if line := _text(record):
            records[names[-1]] = line
    pages = {
        _text(output): Written(_text(digest), _number(size), _number(mtime_ns),
                               frozenset([*(names[_number(i)] for i in by_index),
                                          *(_text(path) for path in by_name)]))
        for output, (digest, size, mtime_ns, by_index, by_name) in raw["pages"].items()
    }
    return BuildState(summary.key, summary.output, _number(raw["started_ns"]), inputs, pages,
                      findings, summary.git, summary.day, summary.listing, records)


def _rendered_digest(relative: str, data: bytes, digests: Mapping[str, str] | None) -> str:
    """The SHA-256 of a rendered file's `data`, from `digests` when the renderer sent it."""
    known = digests.get(relative) if digests is not None else None
    return known if known is not None else hashlib.sha256(data).hexdigest()


def _texts(*groups: Iterable[object]) -> str:
    """The names in `groups`, each between NULs (which no name holds); TypeError unless each
    is text (checked by `str.join`, in C: a big vault's cache holds 120,000 names)."""
    return "\0" + "\0".join("\0".join(group) for group in groups) + "\0"  # type: ignore[arg-type]


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {type(value).__name__}")
    return value


def _number(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError(f"expected a count, found {value!r}")
    return value


def _changed(inputs: Mapping[str, Stamp], before: Mapping[str, Stamp]) -> set[str]:
    """The inputs whose stamps differ between `before` and now, or that exist in only one."""
    return {path for path in inputs.keys() | before.keys()
            if not (stamp := inputs.get(path)) or not stamp.same_input(before.get(path))}


def _findings_changed(before: Iterable[Finding], after: Iterable[Finding]) -> set[str]:
    """The paths whose findings differ: a page showing a file's findings must be redrawn."""
    old: dict[str, list[Finding]] = {}
    new: dict[str, list[Finding]] = {}
    for table, findings in ((old, before), (new, after)):
        for finding in findings:
            table.setdefault(finding.path, []).append(finding)
    return {path for path in set(old) | set(new)
            if sorted(old.get(path, [])) != sorted(new.get(path, []))}


def _intact(target: Path, relative: str, written: Written) -> bool:
    """Whether the output file is still as the build left it (nobody deleted or edited it)."""
    try:
        stat = os.stat(target / relative)
    except OSError:
        return False
    return stat.st_size == written.size and stat.st_mtime_ns == written.mtime_ns


def _listing(target: Path) -> tuple[dict[str, FileStat], set[str]]:
    """Every file in the output folder but our marker, output-relative and `/`-separated, with
    its size and modification time (links are not followed), and every folder ("": the
    output folder)."""
    from goalsite.site.output import MARKER

    found: dict[str, FileStat] = {}
    seen = {""}
    folders = [("", str(target))]
    while folders:
        prefix, folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                seen.add(prefix + entry.name)
                folders.append((f"{prefix}{entry.name}/", entry.path))
                continue
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            found[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns)
    found.pop(MARKER, None)
    return found, seen


def _folders_of(outputs: Iterable[str]) -> dict[str, None]:
    """The folders holding the output files `outputs`, "" (the output folder) included, in an
    order that depends only on the order of `outputs` (a dict used as an ordered set)."""
    folders = {"": None}
    # Most pages are alone in their folder (`…/index.html`): their folders are taken at once,
    # and only those folders' parents walked up (issue 10: 62,500 at 10k/50k).
    for folder in dict.fromkeys([output.rpartition("/")[0] for output in outputs]):
        while folder not in folders:
            folders[folder] = None
            folder = folder.rpartition("/")[0]
    return folders


def watched_folders(pages: Iterable[str]) -> tuple[str, ...]:
    """The folders of the output files `pages` whose times the no-change check compares: all
    but those that hold one page and nothing else (`goals/x/` holding `goals/x/index.html`).
    Such a folder's page is statted anyway, which shows it deleted, edited or replaced; what
    the check does not see is a file added beside it by hand, which the next build that has
    anything to do removes (docs/watch.md). At 10,000 goals and 50,000 entries these are
    62,500 folders, a third of the check's system calls (issue 10)."""
    pages = list(pages)
    folders = _folders_of(pages)
    in_folder = Counter([page.rpartition("/")[0] for page in pages])
    holding = {folder.rpartition("/")[0] for folder in folders if folder}
    return tuple(folder for folder in folders
                 if not folder or in_folder[folder] != 1 or folder in holding)


def _folders_hold(target: Path, folders: Iterable[str], pages: Iterable[str],
                  all_folders: Iterable[str]) -> bool:
    """Whether each of the output `folders` holds exactly what the `pages` (and their
    `all_folders`) put there: the check for folders whose time proves nothing."""
    from goalsite.site.output import MARKER

    wanted = {folder: set() for folder in folders}
    if not wanted:
        return True
    if "" in wanted:
        wanted[""].add(MARKER)
    for name in (*pages, *all_folders):
        parent, _, child = name.rpartition("/")
        if name and parent in wanted:
            wanted[parent].add(child)
    return all({entry.name for entry in os.scandir(target / folder)} == children
               for folder, children in wanted.items())


def _marker(target: Path) -> bool:
    from goalsite.site.output import MARKER

    return (target / MARKER).is_file()


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _prune_empty(folder: Path, target: Path) -> None:
    while folder != target and target in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


@functools.cache
def code_digest() -> str:
    """goalsite's own code, as this process imported it (read once: it cannot change under a
    running process, and a development checkout moves on between runs)."""
    return _tree_digest(_PACKAGE, ".py")


def _tree_digest(root: Path, suffix: str = "", *, content: bool = False) -> str:
    """A digest of the names and contents (or sizes and modification times: enough to notice
    an upgraded goalsite) of the files under `root`."""
    if not root.is_dir():
        return ""
    entries: list[str] = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(names):
            if not name.endswith(suffix):
                continue
            path = Path(folder) / name
            try:
                stat = path.stat()
                seen = hashlib.sha256(path.read_bytes()).hexdigest() if content \
                    else f"{stat.st_size}\0{stat.st_mtime_ns}"
            except OSError:
                continue
            entries.append(f"{path.relative_to(root).as_posix()}\0{seen}")
    return _digest_of(entries)


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _digest_of(parts: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def time_ns() -> int:
    """The wall clock in nanoseconds, comparable with file modification times."""
    import time

    return time.time_ns()
