"""Files → `Goal` and `Entry` records and findings (SPEC §2). Never raises on a user's file.

`load_vault` reads every Markdown file `discover` finds. A file under the goals folder (or with
`type: goal`) becomes a Goal, one under the journal folder (or `type: entry`) an Entry; other
notes are read only far enough to see whether they declare a type. One bad file never stops the
others: its problems become findings, and a goal whose id can be read is still shown.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Protocol, TypeVar

from goalsite.config import Config, load_config
from goalsite.discover import discover
from goalsite.errors import UsageError
from goalsite.fields import (
    ENTRY_FIELD, GOAL_FIELD, LINT_FIELD, MEASURE_FIELD, OBSTACLE_FIELD,
)
from goalsite.finding import Finding, finding_order
from goalsite.frontmatter import Document, decode, parse, split
from goalsite.model import (
    Entry, Goal, KeyPath, Measure, Obstacle, Position, PositionTable, Source, Value, Vault,
)
from goalsite.readers import FieldReader, as_number, is_slug, label, shown, slugify

# A Markdown file larger than this is not a note (SPEC §8: nothing exhausts memory).
MAX_FILE_BYTES = 16 * 1024 * 1024
_DECLARED_TYPE = re.compile(r"""^\s*"?type"?\s*[:=]\s*["']?(goal|entry)\b""", re.MULTILINE)
# O_BINARY: Windows would otherwise turn CRLF into LF (and the digest would differ).
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
# An entry or goal without unknown fields (most of them) shares this empty `extra`.
_NO_EXTRA: Mapping[str, object] = MappingProxyType({})
# Equal immutable parts of different files' records, kept once (see `_shared`).
_SHARED: dict[object, object] = {}
_SHARED_KEPT = 65536


@dataclass(frozen=True)
class LoadedFile:
    """What one file gave: a goal, an entry or neither, and its findings."""

    path: str
    goal: Goal | None = None
    entry: Entry | None = None
    findings: tuple[Finding, ...] = ()


def load_vault(root: Path, *, first_seen: Mapping[str, dt.date] | None = None,
               read_file: FileReader | None = None, bodies: bool = True) -> Vault:
    """Load the vault at `root`. Raise UsageError only when `root` is not a readable folder.

    `first_seen` maps a goal's path to the date of its first commit (from git history); a goal
    without `start:` starts then, else on its file's modification date. `read_file` replaces
    `load_file` (watch mode answers unchanged files from memory, see cache.py). Without
    `bodies`, the notes' Markdown is not kept (see `load_file`).
    """
    root = Path(root)
    if not root.is_dir() or not os.access(root, os.R_OK | os.X_OK):
        raise UsageError(f"{root} is not a readable folder")
    config, config_findings = load_config(root)
    discovery = discover(root, config)
    findings: list[Finding] = [*config_findings, *discovery.findings]
    goals: list[Goal] = []
    entries: list[Entry] = []
    with collector_paused():
        for path in discovery.files:
            loaded = read_file(root, path, config, first_seen=first_seen) if read_file \
                else load_file(root, path, config, first_seen=first_seen, bodies=bodies)
            findings.extend(loaded.findings)
            if loaded.goal is not None:
                goals.append(loaded.goal)
            if loaded.entry is not None:
                entries.append(loaded.entry)
        goals = _unique_goals(goals, findings)
        entries = _unique_entries(entries)
        return Vault(
            root=root,
            config=config,
            goals=tuple(sorted(goals, key=lambda goal: goal.id)),
            entries=tuple(sorted(entries, key=lambda entry: entry.sort_key)),
            findings=tuple(sorted(findings, key=finding_order)),
            files=discovery.files,
        )


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the files load, as it was afterwards.

    Loading makes millions of small objects that all live on (the model), and no cycles: every
    collection the allocations trigger would walk the growing model again, for nothing. This
    takes a quarter off the load of a large vault. Linting pauses it too (lint/engine.py).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class FileReader(Protocol):
    """Something that reads one vault file like `load_file`."""

    def __call__(self, root: Path, path: str, config: Config, *,
                 first_seen: Mapping[str, dt.date] | None = None) -> LoadedFile: ...


def load_file(root: Path, path: str, config: Config, *,
              first_seen: Mapping[str, dt.date] | None = None, bodies: bool = True) -> LoadedFile:
    """Read the vault file `path` (vault-relative). Never raises on the file's content.

    Without `bodies`, its Markdown body is not kept (`Source.body` is empty, and so are its
    links): only the site shows bodies, and the commands that make none (lint, status, review,
    export) then neither pack nor hold them (issue 10). An entry's title from its body's
    heading is read either way."""
    folder_kind = kind_by_folder(path, config)
    try:
        descriptor = os.open(os.path.join(root, path), _READ_FLAGS)
        try:
            status = os.fstat(descriptor)
            size = status.st_size
            if size > MAX_FILE_BYTES:
                return _only(path, folder_kind, Finding(
                    path, 1, 1, "F013", "error", f"the file is {size // (1024 * 1024)} MB, over "
                    f"the {MAX_FILE_BYTES // (1024 * 1024)} MB goalsite reads",
                    "Split the file, or move it out of the vault."))
            data = _read_all(descriptor, size)
        finally:
            os.close(descriptor)
    except OSError as error:
        return _only(path, folder_kind, Finding(
            path, 1, 1, "F009", "error", f"the file cannot be read: {error.strerror or error}",
            "Check the file's permissions, or remove it from the vault."))
    text = decode(data, path)
    if isinstance(text, Finding):
        return _only(path, folder_kind, text)
    document = split(text)
    if document.front is None:
        declared = document.unterminated and _DECLARED_TYPE.search(text) is not None
        if folder_kind is None and not declared:
            return LoadedFile(path)
        if document.unterminated:
            return LoadedFile(path, findings=(Finding(
                path, document.start.line, document.start.column, "F007", "error",
                f"the front matter opened on line {document.start.line} is never closed",
                "Close it with a `---` line after the last field."),))
        return LoadedFile(path, findings=(Finding(
            path, 1, 1, "F007", "error",
            "the file has no front matter" if text.strip() else "the file is empty",
            "Start the file with front matter between `---` lines, like ---⏎title: My goal⏎---."),))
    if folder_kind is None and not _DECLARED_TYPE.search(document.front):
        return LoadedFile(path)
    parsed = parse(document, path)
    if parsed.data is None:
        return LoadedFile(path, findings=tuple(parsed.findings))
    if not isinstance(parsed.data, dict):
        where = _first_content(document)
        kind = "a list" if isinstance(parsed.data, list) else f"the single value `{_written(document)}`"
        return LoadedFile(path, findings=(*parsed.findings, Finding(
            path, where.line, where.column, "F008", "error",
            f"the front matter is {kind}, not a set of fields",
            "Write the front matter as `key: value` lines, like title: My goal."),))
    source = Source(path, _shared(document.start), parsed.keys, parsed.values,
                    document.body if bodies else "", document.body_line)
    reader = FieldReader(path, parsed, document.start)
    kind = _document_type(parsed.data, folder_kind, reader)
    if kind is None:
        return LoadedFile(path)
    if kind == "goal":
        goal = _GoalBuilder(reader, source, config).build(
            parsed.data, _start_fallback(path, first_seen, status.st_mtime))
        return LoadedFile(path, goal=goal, findings=(*parsed.findings, *reader.findings))
    entry = _build_entry(reader, source, document.body, parsed.data, config)
    return LoadedFile(path, entry=entry, findings=(*parsed.findings, *reader.findings))


def _read_all(descriptor: int, size: int) -> bytes:
    """The file's bytes, `size` of them as its status said: one read asks for one byte more, so
    getting exactly `size` back means the end was reached; a file that grew or shrank since, or
    a read cut short, is read on to its end.

    Not `open(...).read()`: a large vault is tens of thousands of small files, and a plain
    descriptor spares each one a path lookup, a buffered file object and two system calls.
    """
    data = os.read(descriptor, size + 1)
    if len(data) == size:
        return data
    chunks = [data]
    while chunk := os.read(descriptor, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def kind_by_folder(path: str, config: Config) -> str | None:
    """`goal` under the goals folder, `entry` under the journal folder, else None."""
    for folder, kind in ((config.goals_dir, "goal"), (config.journal_dir, "entry")):
        prefix = folder.strip("/").replace("\\", "/")
        if prefix in ("", ".") or path.startswith(prefix + "/"):
            return kind
    return None


_T = TypeVar("_T")


def _shared(value: _T) -> _T:
    """`value`, or an equal one made for an earlier file: the set of fields a file gives, its
    front matter's first position, an entry's goals repeat from note to note, and each file's
    own copy cost a vault of 60,000 notes about 50 MB (issue 10, memory). Only immutable values
    come here; at most `_SHARED_KEPT` are remembered."""
    known = _SHARED.get(value)
    if known is not None:
        return known  # type: ignore[return-value]
    if len(_SHARED) < _SHARED_KEPT:
        _SHARED[value] = value
    return value


def _only(path: str, folder_kind: str | None, finding: Finding) -> LoadedFile:
    """A file that could not be read: reported when it should have been a goal or an entry."""
    return LoadedFile(path, findings=(finding,) if folder_kind else ())


def _first_content(document: Document) -> Position:
    front = document.front or ""
    for offset, line in enumerate(front.split("\n")):
        if line.strip() and not line.lstrip().startswith("#"):
            return Position(document.front_line + offset, len(line) - len(line.lstrip()) + 1)
    return document.start


def _written(document: Document) -> str:
    """The front matter as the user wrote it, on one line and shortened, to quote in a message."""
    lines = [line.strip() for line in (document.front or "").split("\n")
             if line.strip() and not line.lstrip().startswith("#")]
    return shown(" ".join(lines))


def _document_type(data: Mapping[str, object], folder_kind: str | None,
                   reader: FieldReader) -> str | None:
    """`type:` wins over the folder (SPEC §2); a wrong `type:` in a goal folder is reported."""
    declared = data.get("type")
    if declared in ("goal", "entry"):
        return str(declared)
    if declared is not None and folder_kind is not None:
        reader.read(GOAL_FIELD["type"], declared, ("type",))
    return folder_kind


def _start_fallback(path: str, first_seen: Mapping[str, dt.date] | None, mtime: float) -> dt.date:
    """The first commit's date, else the file's modification date (UTC, for stable output)."""
    if first_seen and path in first_seen:
        return first_seen[path]
    return dt.datetime.fromtimestamp(mtime, tz=dt.timezone.utc).date()


class _GoalBuilder:
    """Reads a goal's fields one by one; a bad field gets its default and a finding."""

    def __init__(self, reader: FieldReader, source: Source, config: Config) -> None:
        self.reader = reader
        self.source = source
        self.config = config

    def field(self, data: Mapping[str, object], name: str, default: object = None) -> object:
        return self.reader.field(GOAL_FIELD, data, name, (), default)

    def build(self, data: Mapping[str, object], start_fallback: dt.date | None) -> Goal | None:
        reader = self.reader
        goal_id = self.goal_id(data)
        extra = reader.unknown_fields(data, GOAL_FIELD, (), "goal")
        if goal_id is None:
            return None
        start = self.field(data, "start")
        measures = self.measures(data)
        lint = data.get("lint")
        return Goal(
            id=goal_id,
            source=self.source,
            title=self.field(data, "title"),  # type: ignore[arg-type]
            horizon=self.field(data, "horizon"),  # type: ignore[arg-type]
            parent=self.field(data, "parent"),  # type: ignore[arg-type]
            category=self.field(data, "category"),  # type: ignore[arg-type]
            status=self.field(data, "status", "active"),  # type: ignore[arg-type]
            owner=self.field(data, "owner", self.config.owner),  # type: ignore[arg-type]
            coach=self.field(data, "coach", self.config.coach),  # type: ignore[arg-type]
            start=start if start is not None else start_fallback,  # type: ignore[arg-type]
            start_given=start is not None,
            due=self.field(data, "due"),  # type: ignore[arg-type]
            deadline=self.field(data, "deadline"),  # type: ignore[arg-type]
            review_every=self.field(data, "review_every", self.config.review_every),  # type: ignore[arg-type]
            specific=self.field(data, "specific"),  # type: ignore[arg-type]
            measures=measures,
            achievable=self.field(data, "achievable"),  # type: ignore[arg-type]
            resources=self.field(data, "resources", ()),  # type: ignore[arg-type]
            relevant=self.field(data, "relevant"),  # type: ignore[arg-type]
            obstacles=self.obstacles(data.get("obstacles")),
            weight=self.field(data, "weight", 1.0),  # type: ignore[arg-type]
            tags=self.field(data, "tags", ()),  # type: ignore[arg-type]
            lint_ignore=_lint_ignore(reader, lint),
            url=self.field(data, "url"),  # type: ignore[arg-type]
            extra=extra or _NO_EXTRA,
            given=_shared(frozenset(data)),
        )

    def goal_id(self, data: Mapping[str, object]) -> str | None:
        """The explicit `id:`, else the file name slugified; None (with F006) when unusable."""
        reader = self.reader
        if data.get("id") is not None:
            raw = data["id"]
            text = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else None
            if text is not None and is_slug(text):
                return text
            if text is not None and ("/" in text or "\\" in text or ".." in text):
                reason = "contains a path separator or `..`"
            else:
                reason = "is not lowercase letters, digits and hyphens"
            better = slugify(str(raw).replace("..", "").replace("/", "-").replace("\\", "-")) or "my-goal"
            reader.report(("id",), "F006", f"id: {shown(raw)} {reason}",
                          f"Write id: {better}.")
            return None
        stem = self.source.path.rsplit("/", 1)[-1].removesuffix(".md")
        slug = slugify(stem)
        if not slug:
            reader.report((), "F006", f"the file name {stem!r} gives no id",
                          "Add an id of lowercase words joined by hyphens, like id: my-goal.")
            return None
        return slug

    def measures(self, data: Mapping[str, object]) -> tuple[Measure, ...]:
        """`measures:` (a list) or a single `measure:` mapping (SPEC §2.2)."""
        reader = self.reader
        listed, single = data.get("measures"), data.get("measure")
        if listed is not None and single is not None:
            reader.report(("measure",), "F002", "measure: and measures: are both set; measures: is used",
                          "Move the `measure:` mapping into the `measures:` list.", value=False)
        if listed is None and single is not None:
            if not isinstance(single, dict):
                reader.wrong(("measure",), single, "a mapping of name, unit, baseline and target")
                return ()
            _alias_positions(self.source, ("measure",), ("measures", 0))
            return self.measure_list([single], ("measure",))
        if listed is None:
            return ()
        if isinstance(listed, dict):
            listed = [listed]
        if not isinstance(listed, list):
            reader.wrong(("measures",), listed, "a list of measures")
            return ()
        return self.measure_list(listed, ("measures",))

    def measure_list(self, items: list[object], where: KeyPath) -> tuple[Measure, ...]:
        reader = self.reader
        measures: list[Measure] = []
        keys: set[str] = set()
        for index, item in enumerate(items):
            path = where + (index,) if where == ("measures",) else where
            if not isinstance(item, dict):
                reader.wrong(path, item, "a measure mapping (name, unit, baseline, target)")
                continue
            reader.unknown_fields(item, MEASURE_FIELD, path, "measure")

            def read(name: str, default: object = None, item: dict = item,
                     path: KeyPath = path) -> object:
                return reader.field(MEASURE_FIELD, item, name, path, default)

            name = read("name")
            key = read("key")
            if key is None:
                key = slugify(name) if isinstance(name, str) and slugify(name) else None
            if key is None:
                if len(items) == 1:
                    key = "value"
                else:
                    reader.report(path, "F002", f"{label(path)} has no key, and the goal has several measures",
                                  "Add a key that entries use in `values:`, like key: talks.", value=False)
                    key = f"measure-{index + 1}"
            if key in keys:
                reader.report(path + ("key",) if "key" in item else path, "F002",
                              f"{label(path)}: the key {key} is used by another measure",
                              f"Give each measure its own key, like key: {key}-2.")
                continue
            keys.add(str(key))
            baseline, target = read("baseline"), read("target")
            direction = read("direction")
            if direction is None and isinstance(baseline, float) and isinstance(target, float) \
                    and baseline != target:
                direction = "down" if target < baseline else "up"
            measures.append(Measure(
                key=str(key), index=len(measures), name=name, unit=read("unit"),  # type: ignore[arg-type]
                baseline=baseline, target=target,  # type: ignore[arg-type]
                aggregate=read("aggregate", "last"), direction=direction,  # type: ignore[arg-type]
            ))
        return tuple(measures)

    def obstacles(self, value: object) -> tuple[Obstacle, ...]:
        reader = self.reader
        if value is None:
            return ()
        found: list[Obstacle] = []
        for index, item in enumerate(reader.as_list(value)):
            path: KeyPath = ("obstacles", index)
            if isinstance(item, str):
                found.append(Obstacle(item.strip(), None, index))
                continue
            if not isinstance(item, dict):
                reader.wrong(path, item, "a mapping with obstacle: and plan:")
                continue
            reader.unknown_fields(item, OBSTACLE_FIELD, path, "obstacle")
            obstacle = reader.read(OBSTACLE_FIELD["obstacle"], item.get("obstacle"), path + ("obstacle",))
            plan = reader.read(OBSTACLE_FIELD["plan"], item.get("plan"), path + ("plan",))
            if isinstance(obstacle, str):
                found.append(Obstacle(obstacle, plan if isinstance(plan, str) else None, index))
            else:
                reader.report(path, "F002", f"{label(path)} has no obstacle: text",
                              "Describe it, like obstacle: Quarter-end crunch.", value=False)
        return tuple(found)


def _lint_ignore(reader: FieldReader, value: object) -> tuple[str, ...]:
    """`lint: {ignore: [codes]}` of a goal or an entry, as upper-case code prefixes."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        reader.wrong(("lint",), value, 'a mapping like {ignore: ["A002"]}')
        return ()
    reader.unknown_fields(value, LINT_FIELD, ("lint",), "lint")
    codes = reader.read(LINT_FIELD["ignore"], value.get("ignore"), ("lint", "ignore"))
    return tuple(code.strip().upper() for code in codes) if isinstance(codes, tuple) else ()


def _alias_positions(source: Source, old: KeyPath, new: KeyPath) -> None:
    """Let `("measures", 0, …)` find the positions of a single `measure:` mapping."""
    assert isinstance(source.keys, PositionTable)  # keys and values share one table
    source.keys.alias(old, new)


def _build_entry(reader: FieldReader, source: Source, body: str, data: Mapping[str, object],
                 config: Config) -> Entry | None:
    """An Entry, or None (with a finding) when its date is missing or impossible; `body` is
    its file's Markdown (a heading there titles an entry without `title:`)."""
    extra = reader.unknown_fields(data, ENTRY_FIELD, (), "entry")

    def read(name: str, default: object = None) -> object:
        return reader.field(ENTRY_FIELD, data, name, (), default)

    when = read("date")
    if when is None:
        if data.get("date") is None:
            reader.report((), "F002", "the entry has no date",
                          "Add the day it happened, like date: 2026-02-14.")
        return None
    day, time = when  # type: ignore[misc]
    goals: list[str] = []
    for name in ("goal", "goals"):
        found = read(name, ())
        for goal_id in (found,) if isinstance(found, str) else found:  # type: ignore[union-attr]
            if goal_id not in goals:
                goals.append(goal_id)
    title = read("title")
    if title is None:
        heading = _HEADING.search(body)
        # With neither, the site calls it by its kind and date (site/parts.py `entry_title`).
        title = heading.group(1).strip() if heading else None
    return Entry(
        id=_entry_id(source.path, config),
        source=source,
        date=day,
        time=time,
        title=title,  # type: ignore[arg-type]
        goals=_shared(tuple(goals)),
        kind=read("kind", "check-in"),  # type: ignore[arg-type]
        values=_values(reader, data),
        confidence=read("confidence"),  # type: ignore[arg-type]
        tags=read("tags", ()),  # type: ignore[arg-type]
        lint_ignore=_lint_ignore(reader, data.get("lint")),
        extra=extra or _NO_EXTRA,
        given=_shared(frozenset(data)),
    )


def _values(reader: FieldReader, data: Mapping[str, object]) -> tuple[Value, ...]:
    """`values:` by measure key, and the `value:` shorthand. Non-numbers are kept for the linter."""
    found: list[Value] = []
    mapping = data.get("values")
    if isinstance(mapping, dict):
        for key, raw in mapping.items():
            found.append(Value(str(key), raw, as_number(raw)))
    elif mapping is not None:
        reader.wrong(("values",), mapping, "a mapping of measure key → number, like {talks: 1}")
    if "value" in data and data["value"] is not None:
        found.append(Value(None, data["value"], as_number(data["value"])))
    return tuple(found)


def _entry_id(path: str, config: Config) -> str:
    """The slug of the entry's path under the journal folder: journal/2026/02-14.md → 2026-02-14."""
    prefix = config.journal_dir.strip("/") + "/"
    inner = path[len(prefix):] if path.startswith(prefix) else path
    return slugify(inner.removesuffix(".md")) or "entry"


def _unique_goals(goals: list[Goal], findings: list[Finding]) -> list[Goal]:
    """Keep the first goal of each id (by path); report the later ones (F005)."""
    owner: dict[str, Goal] = {}
    kept: list[Goal] = []
    for goal in sorted(goals, key=lambda goal: goal.path):
        first = owner.get(goal.id)
        if first is None:
            owner[goal.id] = goal
            kept.append(goal)
            continue
        where = goal.position_of(("id",), value=True) if "id" in goal.given else goal.source.start
        findings.append(Finding(
            goal.path, where.line, where.column, "F005", "error",
            f"the id {goal.id} is already the id of {first.path}; this goal is left out",
            f"Give this goal its own id, like id: {goal.id}-2."))
    return kept


def _unique_entries(entries: list[Entry]) -> list[Entry]:
    """Entry ids come from paths; the rare clash (`a b.md`, `a-b.md`) gets a number."""
    seen: set[str] = set()
    unique: list[Entry] = []
    for entry in sorted(entries, key=lambda entry: entry.path):
        entry_id, number = entry.id, 2
        while entry_id in seen:
            entry_id, number = f"{entry.id}-{number}", number + 1
        seen.add(entry_id)
        unique.append(entry if entry_id == entry.id else replace(entry, id=entry_id))
    return unique

