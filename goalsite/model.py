"""The vault as frozen data: Position, Source, Measure, Obstacle, Goal, Entry and Vault (SPEC §2).

These records are made by `load.py` and read by every later stage. They hold only what the files
say (with defaults applied); progress, lint results and pages are computed from them elsewhere.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from goalsite.dates import Duration
from goalsite.finding import Finding

if TYPE_CHECKING:
    from goalsite.config import Config

Horizon = Literal["long-term", "yearly", "quarterly", "monthly", "weekly"]
Status = Literal["draft", "active", "paused", "achieved", "missed", "dropped"]
Aggregate = Literal["last", "sum", "mean", "max", "min"]
Direction = Literal["up", "down"]
EntryKind = Literal["check-in", "review", "session", "reflection", "obstacle", "win", "feedback"]

# Longest first: the order of the cascade (SPEC §2.1).
HORIZONS: tuple[Horizon, ...] = ("long-term", "yearly", "quarterly", "monthly", "weekly")
STATUSES: tuple[Status, ...] = ("draft", "active", "paused", "achieved", "missed", "dropped")
AGGREGATES: tuple[Aggregate, ...] = ("last", "sum", "mean", "max", "min")
DIRECTIONS: tuple[Direction, ...] = ("up", "down")
ENTRY_KINDS: tuple[EntryKind, ...] = (
    "check-in", "review", "session", "reflection", "obstacle", "win", "feedback",
)
# A review or a coaching session resets the goal's review clock (SPEC §2.3).
REVIEW_KINDS: frozenset[EntryKind] = frozenset({"review", "session"})
# Goals that are finished or set aside: not counted as active work.
CLOSED_STATUSES: frozenset[Status] = frozenset({"achieved", "missed", "dropped"})

# A key path into front matter: ("measures", 0, "target").
KeyPath = tuple[str | int, ...]


def horizon_rank(horizon: Horizon | None) -> int:
    """0 for long-term up to 4 for weekly; goals without a horizon sort last."""
    return HORIZONS.index(horizon) if horizon in HORIZONS else len(HORIZONS)


class Position(NamedTuple):
    """A 1-based line and column in a file.

    A named tuple, not a dataclass: the loader makes one for every key and every value of every
    file (over a million in a large vault), and a tuple is made in half the time, in a third of
    the memory. It is as immutable, and orders the same way (line, then column).
    """

    line: int
    column: int


# Where one file's front-matter keys stand: key path → (key line, key column, value line,
# value column). One table of four numbers serves both `Source.keys` and `Source.values`.
Places = dict[KeyPath, tuple[int, int, int, int]]


# Each distinct list of key paths, with each path's place in it: shared by every file whose
# front matter has the same keys in the same order (most of a vault's notes do).
_LAYOUTS: dict[tuple[KeyPath, ...], dict[KeyPath, int]] = {}


class PlaceTable:
    """One file's `Places`, compact: its key paths are a layout shared with the other files
    that have the same ones, and its numbers one array of four per key path.

    A key path tuple, a tuple of four numbers and a dict slot for each key of each file took
    about 1.5 KB a note, 90 MB at 60,000 notes; this takes about 8 bytes a key (issue 10).
    """

    __slots__ = ("index", "numbers")

    def __init__(self, places: Places) -> None:
        paths = tuple(places)
        index = _LAYOUTS.get(paths)
        if index is None:
            index = _LAYOUTS[paths] = {path: at for at, path in enumerate(paths)}
        self.index = index
        numbers = list(chain.from_iterable(places.values()))
        try:
            # Lines and columns of front matter fit two bytes, but in a file of 65,536 lines.
            self.numbers = array("H", numbers)
        except OverflowError:
            self.numbers = array("i", numbers)

    def alias(self, old: KeyPath, new: KeyPath) -> None:
        """Let `new + rest` find the numbers of `old + rest` (when it has none)."""
        added = {new + path[len(old):]: at for path, at in self.index.items()
                 if path[:len(old)] == old}
        added = {path: at for path, at in added.items() if path not in self.index}
        if not added:
            return
        places: Places = {path: self.place(at) for path, at in self.index.items()}
        places.update((path, self.place(at)) for path, at in added.items())
        fresh = PlaceTable(places)
        self.index, self.numbers = fresh.index, fresh.numbers

    def place(self, at: int) -> tuple[int, int, int, int]:
        numbers, start = self.numbers, 4 * at
        return (numbers[start], numbers[start + 1], numbers[start + 2], numbers[start + 3])


class PositionTable(Mapping[KeyPath, Position]):
    """The positions of one file's keys (or of their values), read from its `Places`.

    A large vault has over a million key paths: a Position object and a dict slot for each key
    and again for each value took as much memory as all the notes' text. A table holds four
    numbers per key path once (`PlaceTable`, which the key and the value tables of a file
    share), and makes a Position only when one is asked for.
    """

    __slots__ = ("_table", "_at")

    def __init__(self, places: Places | PlaceTable, *, value: bool) -> None:
        self._table = places if isinstance(places, PlaceTable) else PlaceTable(places)
        self._at = 2 if value else 0

    def __getitem__(self, path: KeyPath) -> Position:
        table = self._table
        at = 4 * table.index[path] + self._at
        return Position(table.numbers[at], table.numbers[at + 1])

    def __contains__(self, path: object) -> bool:
        return path in self._table.index

    def __iter__(self) -> Iterator[KeyPath]:
        return iter(self._table.index)

    def __len__(self) -> int:
        return len(self._table.index)

    def alias(self, old: KeyPath, new: KeyPath) -> None:
        """Let `new + rest` find the key and value positions of `old + rest` (when it has none);
        the file's other table (keys or values) shares the change."""
        self._table.alias(old, new)


@dataclass(frozen=True, slots=True, init=False)
class Source:
    """Where a goal or entry came from, and where each of its front-matter keys stands.

    `keys` maps a key path to the position of the key itself, `values` to the position of its
    value; `start` is the front matter's opening line (or 1:1 without front matter); `links`
    are the goal ids the body's `[[…]]` links may point at (`wiki_targets`).

    The Markdown body is kept compressed (`packed`) and unpacked each time `body` is asked for:
    the build process holds every note of the vault for the whole build, yet only the page of
    a note and the lists that show its excerpt read its body. Compressed, the bodies of 60,000
    notes take about a third of the 100 MB they took as text (issue 10, memory); unpacking one
    costs a few microseconds, next to the milliseconds of rendering it. The page plan asks only
    for `links`, which are read once here.
    """

    path: str
    start: Position
    keys: Mapping[KeyPath, Position]
    values: Mapping[KeyPath, Position]
    packed: bytes
    body_line: int
    links: tuple[str, ...]

    def __init__(self, path: str, start: Position, keys: Mapping[KeyPath, Position],
                 values: Mapping[KeyPath, Position], body: str, body_line: int) -> None:
        setting = object.__setattr__
        setting(self, "path", path)
        setting(self, "start", start)
        setting(self, "keys", keys)
        setting(self, "values", values)
        setting(self, "packed", pack_text(body))
        setting(self, "body_line", body_line)
        setting(self, "links", tuple(dict.fromkeys(map(sys.intern, wiki_targets(body)))))

    @property
    def body(self) -> str:
        """The Markdown after the front matter."""
        return unpack_text(self.packed)

    def position_of(self, key: KeyPath, *, value: bool = False) -> Position:
        """The position of `key` (or of its value), else its nearest known ancestor, else `start`."""
        table = self.values if value else self.keys
        path = tuple(key)
        while path:
            found = table.get(path) or self.keys.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return self.start


def pack_text(text: str) -> bytes:
    """`text` compressed: raw deflate at zlib's fastest level (Markdown shrinks to about a
    third), without the header and checksum of a zlib stream, which a text that never leaves
    the process does not need; b"" for no text."""
    if not text:
        return b""
    packer = zlib.compressobj(1, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(text.encode("utf-8")) + packer.flush()


def unpack_text(packed: bytes) -> str:
    """The text `pack_text` packed."""
    return zlib.decompress(packed, -zlib.MAX_WBITS).decode("utf-8") if packed else ""


# Wider than the Markdown renderer's own rule on purpose: any `[[x` may become a link to goal x.
_WIKI_TARGET = re.compile(r"\[\[([^\[\]|\n]+)")


def wiki_targets(text: str | None) -> Iterable[str]:
    """The goal ids `[[...]]` links in `text` may point at, as the renderer looks them up."""
    return (match.group(1).strip().lower() for match in _WIKI_TARGET.finditer(text or ""))


@dataclass(frozen=True, slots=True)
class Measure:
    """One measurable result of a goal (SPEC §2.2); `index` is its place in `measures:`."""

    key: str
    index: int
    name: str | None = None
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    aggregate: Aggregate = "last"
    direction: Direction | None = None

    @property
    def label(self) -> str:
        """What to call the measure in text: its name, else its key."""
        return self.name or self.key

    @property
    def effective_direction(self) -> Direction:
        """`down` when the target is under the baseline or declared so; `up` otherwise."""
        if self.baseline is not None and self.target is not None and self.target != self.baseline:
            return "down" if self.target < self.baseline else "up"
        return self.direction or "up"

    @property
    def key_path(self) -> KeyPath:
        """Where this measure stands in its goal's front matter."""
        return ("measures", self.index)


@dataclass(frozen=True, slots=True)
class Obstacle:
    """An anticipated obstacle and the plan for it (SPEC §2.1 `obstacles`)."""

    obstacle: str
    plan: str | None
    index: int


class FromSource:
    """What a goal and an entry answer from the file they were read from."""

    __slots__ = ()
    source: Source

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def body(self) -> str:
        return self.source.body

    def position_of(self, key: KeyPath, *, value: bool = False) -> Position:
        return self.source.position_of(key, value=value)


@dataclass(frozen=True, slots=True)
class Goal(FromSource):
    """A goal file, with SPEC §2.1's defaults applied."""

    id: str
    source: Source
    title: str | None
    horizon: Horizon | None = None
    parent: str | None = None
    category: str | None = None
    status: Status = "active"
    owner: str | None = None
    coach: str | None = None
    start: dt.date | None = None
    start_given: bool = False
    due: dt.date | None = None
    deadline: dt.date | None = None
    review_every: Duration = Duration(90, "d")
    specific: str | None = None
    measures: tuple[Measure, ...] = ()
    achievable: str | None = None
    resources: tuple[str, ...] = ()
    relevant: str | None = None
    obstacles: tuple[Obstacle, ...] = ()
    weight: float = 1.0
    tags: tuple[str, ...] = ()
    lint_ignore: tuple[str, ...] = ()
    url: str | None = None
    extra: Mapping[str, object] = field(default_factory=dict)
    # The fields the file sets, as written (top-level keys), for rules about absent fields.
    given: frozenset[str] = frozenset()

    def measure(self, key: str) -> Measure | None:
        """The measure named `key`, if the goal has one."""
        return next((m for m in self.measures if m.key == key), None)

    @property
    def is_active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True, slots=True)
class Value:
    """One number (or not-a-number as written) reported by an entry for a measure key.

    `key` is None for the shorthand `value: N`, which applies to a goal with one measure.
    """

    key: str | None
    raw: object
    number: float | None


@dataclass(frozen=True, slots=True)
class Entry(FromSource):
    """A journal entry (SPEC §2.3)."""

    id: str
    source: Source
    date: dt.date
    time: dt.time | None = None
    title: str | None = None
    goals: tuple[str, ...] = ()
    kind: EntryKind = "check-in"
    values: tuple[Value, ...] = ()
    confidence: int | None = None
    tags: tuple[str, ...] = ()
    # `lint: {ignore: [codes]}`: rules silenced for this file, as for goals (SPEC §2.1).
    lint_ignore: tuple[str, ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict)
    given: frozenset[str] = frozenset()

    @property
    def sort_key(self) -> tuple[dt.date, dt.time, str]:
        """Chronological order, then by path, so equal dates sort the same every time."""
        return (self.date, self.time or dt.time(0, 0), self.path)

    def values_for(self, goal: Goal) -> dict[str, Value]:
        """This entry's values for `goal`'s measures, by measure key (`value:` resolved)."""
        found: dict[str, Value] = {}
        for value in self.values:
            if value.key is None:
                if len(goal.measures) == 1:
                    found[goal.measures[0].key] = value
            elif goal.measure(value.key) is not None:
                found[value.key] = value
        return found


@dataclass(frozen=True)
class Vault:
    """Everything loaded from one vault folder, with its indexes.

    `findings` are the loader's (format) findings; lint adds the rest. Goals are sorted by id,
    entries chronologically.
    """

    root: Path
    config: Config
    goals: tuple[Goal, ...]
    entries: tuple[Entry, ...]
    findings: tuple[Finding, ...] = ()
    # Every Markdown file read, vault-relative, sorted: the files of the vault.
    files: tuple[str, ...] = ()

    @cached_property
    def goal_by_id(self) -> Mapping[str, Goal]:
        return {goal.id: goal for goal in self.goals}

    @cached_property
    def goal_by_path(self) -> Mapping[str, Goal]:
        return {goal.path: goal for goal in self.goals}

    @cached_property
    def children_by_parent(self) -> Mapping[str, tuple[Goal, ...]]:
        children: dict[str, list[Goal]] = {}
        for goal in self.goals:
            if goal.parent:
                children.setdefault(goal.parent, []).append(goal)
        return {parent: tuple(sorted(kids, key=_cascade_order)) for parent, kids in children.items()}

    @cached_property
    def entries_by_goal(self) -> Mapping[str, tuple[Entry, ...]]:
        by_goal: dict[str, list[Entry]] = {}
        for entry in self.entries:
            for goal_id in entry.goals:
                by_goal.setdefault(goal_id, []).append(entry)
        return {goal_id: tuple(found) for goal_id, found in by_goal.items()}

    @cached_property
    def entry_by_path(self) -> Mapping[str, Entry]:
        return {entry.path: entry for entry in self.entries}

    @cached_property
    def parent_cycles(self) -> tuple[tuple[str, ...], ...]:
        """The goals whose parents lead round to themselves, each cycle's ids in parent order.

        Each goal has one parent, so one walk up from every goal not yet seen finds every cycle
        in linear time (a chain of thousands of goals is a real vault's worst case)."""
        found: list[tuple[str, ...]] = []
        done: set[str] = set()
        for goal in self.goals:
            walk: dict[str, int] = {}
            current: str | None = goal.id
            while current is not None and current not in done and current not in walk:
                walk[current] = len(walk)
                parent = self.goal(current)
                up = parent.parent if parent is not None else None
                current = up if up is not None and self.goal(up) is not None else None
            if current is not None and current in walk:
                found.append(tuple(list(walk)[walk[current]:]))
            done.update(walk)
        return tuple(found)

    def goal(self, goal_id: str) -> Goal | None:
        return self.goal_by_id.get(goal_id)

    def replacing(self, goals: Iterable[Goal] = (), entries: Iterable[Entry] = (), *,
                  findings: tuple[Finding, ...] | None = None) -> Vault:
        """This vault with some of its goals and entries replaced by new readings of their
        files (`findings`, when given, replace the loader's findings), keeping the order: each
        goal keeps its id and parent, each entry its path and `sort_key`. The indexes already
        built are patched instead of rebuilt, which is what makes watch mode's preview of a save
        take milliseconds in a vault of 60,000 files (issue 10)."""
        new_goals, new_entries = list(self.goals), list(self.entries)
        goal_pairs: list[tuple[Goal, Goal]] = []
        entry_pairs: list[tuple[Entry, Entry]] = []
        for goal in goals:
            at = bisect.bisect_left(new_goals, goal.id, key=lambda g: g.id)
            old = new_goals[at]
            assert (old.id, old.parent) == (goal.id, goal.parent), "a goal moved in the cascade"
            new_goals[at] = goal
            goal_pairs.append((old, goal))
        for entry in entries:
            at = bisect.bisect_left(new_entries, entry.sort_key, key=lambda e: e.sort_key)
            old_entry = new_entries[at]
            assert old_entry.path == entry.path and old_entry.sort_key == entry.sort_key
            new_entries[at] = entry
            entry_pairs.append((old_entry, entry))
        vault = replace(self, goals=tuple(new_goals), entries=tuple(new_entries),
                        findings=self.findings if findings is None else findings)
        # cached_property keeps its value in the instance's __dict__: hand over patched copies
        # (the cycles as they are: no goal changed its parent).
        known = self.__dict__
        if "parent_cycles" in known:
            vault.__dict__["parent_cycles"] = known["parent_cycles"]
        if "goal_by_id" in known:
            vault.__dict__["goal_by_id"] = {**known["goal_by_id"],
                                            **{new.id: new for _, new in goal_pairs}}
        if "goal_by_path" in known:
            vault.__dict__["goal_by_path"] = {**known["goal_by_path"],
                                              **{new.path: new for _, new in goal_pairs}}
        if "entry_by_path" in known:
            vault.__dict__["entry_by_path"] = {**known["entry_by_path"],
                                               **{new.path: new for _, new in entry_pairs}}
        if "children_by_parent" in known:
            children = dict(known["children_by_parent"])
            for old, new in goal_pairs:
                if old.parent in children:
                    kids = [new if kid is old else kid for kid in children[old.parent]]
                    children[old.parent] = tuple(sorted(kids, key=_cascade_order))
            vault.__dict__["children_by_parent"] = children
        if "entries_by_goal" in known:
            by_goal = dict(known["entries_by_goal"])
            for old_entry, entry in entry_pairs:
                for goal_id in {*old_entry.goals, *entry.goals}:
                    found = [e for e in by_goal.get(goal_id, ()) if e is not old_entry]
                    for _ in range(entry.goals.count(goal_id)):
                        place = bisect.bisect_right(found, entry.sort_key, key=lambda e: e.sort_key)
                        found.insert(place, entry)
                    if found:
                        by_goal[goal_id] = tuple(found)
                    else:
                        by_goal.pop(goal_id, None)
            vault.__dict__["entries_by_goal"] = by_goal
        return vault

    def children(self, goal_id: str) -> tuple[Goal, ...]:
        return self.children_by_parent.get(goal_id, ())

    def entries_for(self, goal_id: str) -> tuple[Entry, ...]:
        """The entries about `goal_id`, oldest first."""
        return self.entries_by_goal.get(goal_id, ())

    def ancestors(self, goal: Goal) -> tuple[Goal, ...]:
        """The parent chain from the nearest parent up, stopping at a cycle or a missing parent."""
        chain: list[Goal] = []
        seen = {goal.id}
        current = goal
        while current.parent and current.parent not in seen:
            parent = self.goal(current.parent)
            if parent is None:
                break
            chain.append(parent)
            seen.add(parent.id)
            current = parent
        return tuple(chain)

    @cached_property
    def roots(self) -> tuple[Goal, ...]:
        """The tops of the cascade: goals without a parent that exists (or caught in a cycle)."""
        in_tree = set()
        for goal in self.goals:
            if goal.parent is None or goal.parent not in self.goal_by_id:
                in_tree.add(goal.id)
        tops = [goal for goal in self.goals if goal.id in in_tree]
        # A goal in a parent cycle has no root above it: show the cycle from its smallest id.
        reachable = set()
        stack = list(in_tree)
        while stack:
            goal_id = stack.pop()
            if goal_id in reachable:
                continue
            reachable.add(goal_id)
            stack.extend(child.id for child in self.children(goal_id))
        for goal in self.goals:
            if goal.id not in reachable:
                tops.append(goal)
                stack = [goal.id]
                while stack:
                    goal_id = stack.pop()
                    if goal_id not in reachable:
                        reachable.add(goal_id)
                        stack.extend(child.id for child in self.children(goal_id))
        return tuple(sorted(tops, key=_cascade_order))

    def cascade(self) -> tuple[tuple[Goal, int], ...]:
        """Every goal once, depth first from the roots, with its depth: the cascade as a list."""
        ordered: list[tuple[Goal, int]] = []
        seen: set[str] = set()
        # An explicit stack, not recursion: a chain of thousands of parents is still a vault
        # goalsite must show (SPEC §8: no input makes it crash).
        stack = [(root, 0) for root in reversed(self.roots)]
        while stack:
            goal, depth = stack.pop()
            if goal.id in seen:
                continue
            seen.add(goal.id)
            ordered.append((goal, depth))
            stack.extend((child, depth + 1) for child in reversed(self.children(goal.id)))
        return tuple(ordered)


def _cascade_order(goal: Goal) -> tuple[int, str, str]:
    return (horizon_rank(goal.horizon), goal.due.isoformat() if goal.due else "9999", goal.id)
