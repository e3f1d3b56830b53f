"""Safe YAML: compose the node tree and turn it into plain Python, keeping every position.

PyYAML composes the nodes (its C parser when present: several times faster); this module
builds the Python values itself so that it can record where each key and value stands, refuse
what a vault must never contain (aliases, anchors, language tags: SPEC §8, alias bombs), and
turn every failure — including ValueError, RecursionError and OverflowError — into a finding.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from goalsite.finding import Finding
from goalsite.model import KeyPath, PlaceTable, Places, Position, PositionTable
from goalsite.plainyaml import KnownLines
from goalsite.plainyaml import read as read_plain

# The C loader crashes the process on very deep nesting, the Python one recurses: both are
# guarded by counting the depth before composing (SPEC §8: no input makes goalsite crash).
MAX_DEPTH = 64
MAX_FRONT_MATTER = 512 * 1024

_LOADER: type[yaml.SafeLoader]
try:
    _LOADER = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml exposes no CSafeLoader
    _LOADER = yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT = (_TAG + name for name in ("str", "null", "bool", "int", "float"))
_TIMESTAMP, _MAP, _SEQ = _TAG + "timestamp", _TAG + "map", _TAG + "seq"
_ALLOWED_TAGS = frozenset({_STR, _NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP, _MAP, _SEQ})
_CONSTRUCTOR = SafeConstructor()
_NEWLINE = re.compile("\n")
_UNPLAIN = ("\x85", "\u2028", "\u2029", "\ufeff")
# The plain lines read so far, by every `compose` of this process (see plainyaml.KnownLines).
_KNOWN_LINES = KnownLines()
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*\s*(#.*)?$")
# Numbers that PyYAML's constructor reads as Python does: no sign, `_`, base, sexagesimal or
# exponent, no leading zero (YAML 1.1 reads `017` as octal), and too short to overflow.
_USUAL_INT = re.compile(r"0|[1-9][0-9]{0,17}")
_USUAL_FLOAT = re.compile(r"[0-9]{1,18}\.[0-9]{0,18}")


@dataclass
class Parsed:
    """Front matter as plain Python (`data`), where each key path stands, and the problems.

    `data` is None when the text could not be parsed at all. `booleans` keeps how a YAML boolean
    was written (`off`), so that a message can quote it.
    """

    data: object
    places: Places = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    booleans: dict[KeyPath, str] = field(default_factory=dict)

    @functools.cached_property
    def table(self) -> PlaceTable:
        """`places` made compact once, for both `keys` and `values` (issue 10, memory)."""
        return PlaceTable(self.places)

    @property
    def keys(self) -> PositionTable:
        """Where each key path's key stands."""
        return PositionTable(self.table, value=False)

    @property
    def values(self) -> PositionTable:
        """Where each key path's value stands."""
        return PositionTable(self.table, value=True)


def compose(text: str, path: str, first_line: int) -> Parsed:
    """Parse YAML front matter `text` whose first line is line `first_line` of file `path`."""
    parsed = Parsed(None)
    report = _Reporter(parsed, path, first_line, text)
    if len(text) > MAX_FRONT_MATTER:
        report.add(1, 1, "F013", f"the front matter is {len(text) // 1024} KB, over the "
                   f"{MAX_FRONT_MATTER // 1024} KB goalsite reads",
                   "Move long text from the front matter into the body below it.")
        return parsed
    deep = None if cannot_nest_deeper(text) else too_deep(text)
    if deep is not None:
        report.add(deep.line, deep.column, "F013",
                   f"the front matter nests deeper than {MAX_DEPTH} levels",
                   "Flatten the front matter: goal fields nest at most three levels.")
        return parsed
    builder = _Builder(report)
    plain = read_plain(text, first_line, builder.plain_scalar, _KNOWN_LINES)
    if plain is not None:  # no anchor, alias or tag can stand in the plain subset
        parsed.data, parsed.places = plain
        return parsed
    parsed.findings.clear()  # a scalar's, made before the text left the subset: made again
    parsed.booleans.clear()
    if "&" in text or "*" in text:
        _refuse_anchors(text, report)
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = report.place(mark) if mark else (1, 1)
        problem = " ".join(part for part in (error.context, error.problem) if part)
        report.add(line, column, "F001", f"the front matter is not valid YAML: {problem}",
                   "Fix the YAML at this place; quote text that contains `: ` or starts with "
                   "a special character, like title: \"Plan: phase 1\".")
        return parsed
    except Exception as error:  # noqa: BLE001 - any parser failure is the file's problem
        report.add(1, 1, "F001", f"the front matter cannot be read as YAML: {error}",
                   "Rewrite the front matter as plain `key: value` lines.")
        return parsed
    if root is None:
        parsed.data = {}
        return parsed
    try:
        parsed.data = builder.build(root, ())
    except RecursionError:
        report.add(1, 1, "F013", f"the front matter nests deeper than {MAX_DEPTH} levels",
                   "Flatten the front matter: goal fields nest at most three levels.")
        parsed.data = None
    return parsed


def cannot_nest_deeper(text: str, limit: int = MAX_DEPTH) -> bool:
    """True when `too_deep` is sure to find nothing: a cheap test that spares most files the scan.

    `too_deep` counts at most one level per distinct column of a line's leading run of spaces
    and `- ` markers, plus one per bracket: with B brackets in all and no leading run of
    `limit - B` characters, the count cannot pass `limit`.
    """
    brackets = text.count("[") + text.count("{")
    if brackets >= limit:
        return False
    return _leading_run(limit - brackets).search(text) is None


@functools.lru_cache(maxsize=None)
def _leading_run(width: int) -> re.Pattern[str]:
    """A line that starts with `width` or more spaces and dashes."""
    return re.compile(f"^[ -]{{{width}}}", re.MULTILINE)


def too_deep(text: str, limit: int = MAX_DEPTH) -> Position | None:
    """Where YAML `text` first nests deeper than `limit`, cheaply and before any parsing.

    Block nesting is counted from indentation (and `- ` markers), flow nesting from brackets
    outside quotes. The count may run a little high, never low, on valid YAML.
    """
    indents: list[int] = []
    flow = 0
    quote = ""
    scalar_indent = -1
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if flow == 0 and not quote:
            if not stripped or stripped.startswith("#"):
                continue
            if scalar_indent >= 0 and indent > scalar_indent:
                continue  # the inside of a `|` or `>` block scalar
            scalar_indent = -1
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
            rest = stripped
            if len(indents) > limit:
                return Position(number, indent + 1)
            while rest == "-" or rest.startswith("- "):
                indents.append(len(line) - len(rest) + 1)
                if len(indents) > limit:
                    return Position(number, len(line) - len(rest) + 1)
                rest = rest[1:].lstrip(" ")
            value = rest.split(": ", 1)[1].lstrip(" ") if ": " in rest else rest
            if _BLOCK_SCALAR.match(value):
                scalar_indent = indent
                continue
            if not value.startswith(("[", "{")):
                continue
            start = len(line) - len(value)
        else:
            start = 0
        for column, char in enumerate(line[start:], start=start + 1):
            if quote:
                if char == quote:
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char in "[{":
                flow += 1
                if len(indents) + flow > limit:
                    return Position(number, column)
            elif char in "]}":
                flow = max(0, flow - 1)
            elif char == "#" and flow == 0:
                break
    return None


def bracket_depth(text: str, limit: int = MAX_DEPTH) -> Position | None:
    """Where JSON or TOML `text` first nests brackets deeper than `limit`."""
    depth = 0
    quote = ""
    escaped = False
    line, column = 1, 0
    for char in text:
        column += 1
        if char == "\n":
            line, column = line + 1, 0
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote or char == "\n":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > limit:
                return Position(line, column)
        elif char in "]}":
            depth -= 1
    return None


class _Reporter:
    """Adds findings at front-matter positions, shifted to file lines."""

    def __init__(self, parsed: Parsed, path: str, first_line: int, text: str) -> None:
        self.parsed = parsed
        self.path = path
        self.offset = first_line - 1
        self.text = text
        # Without the other YAML line breaks (and a BOM, which the pure reader does not count
        # as a column), the parser's own line and column are the editor's: no search needed.
        # (Not at the very end, where libyaml counts a line break that the text may not have.)
        self._newlines: list[int] | None = None

    @functools.cached_property
    def plain(self) -> bool:
        """No YAML line break but `\\n` (nor a BOM) in the text: see `position`. Asked only
        when PyYAML composed the text, never for the plain subset."""
        return not any(char in self.text for char in _UNPLAIN)

    def add(self, line: int, column: int, code: str, message: str, fix: str) -> None:
        self.parsed.findings.append(
            Finding(self.path, line + self.offset, column, code, "error", message, fix))

    def position(self, node: Node) -> Position:
        mark = node.start_mark
        if self.plain and mark.index < len(self.text):
            return Position(mark.line + self.offset + 1, mark.column + 1)
        line, column = self.place(mark)
        return Position(line + self.offset, column)

    def place(self, mark: yaml.Mark) -> tuple[int, int]:
        """The 1-based line and column of `mark` in the front matter, counting lines as the
        file's editor does: YAML also breaks lines at NEL, U+2028 and U+2029 (a fuzz find)."""
        if self._newlines is None:
            self._newlines = [match.start() for match in _NEWLINE.finditer(self.text)]
        index = min(max(mark.index, 0), len(self.text))
        line = bisect.bisect_left(self._newlines, index)
        start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, index - start + 1


def _refuse_anchors(text: str, report: _Reporter) -> None:
    """Report the first anchor or alias: goalsite never expands them (SPEC §8, alias bombs)."""
    try:
        for event in _events(text):
            alias = isinstance(event, yaml.AliasEvent)
            if alias or getattr(event, "anchor", None):
                line, column = report.place(event.start_mark)
                kind = "an alias `*" if alias else "an anchor `&"
                report.add(line, column, "F012",
                           f"the front matter uses {kind}{event.anchor}`; goalsite refuses "
                           "anchors and aliases and reads each alias as empty",
                           "Write the value out in full instead of `&name` and `*name`.")
                return
    except Exception:  # noqa: BLE001 - syntax errors are reported by compose()
        return


def _events(text: str) -> Iterator[yaml.Event]:
    return yaml.parse(text, Loader=_LOADER)


class _Builder:
    """Builds plain Python from nodes, recording positions; a node seen twice is an alias.

    Only text with a `*` can hold an alias, so only then are the nodes seen remembered.
    """

    def __init__(self, report: _Reporter) -> None:
        self.report = report
        self.parsed = report.parsed
        self.seen: set[int] | None = set() if "*" in report.text else None

    def build(self, node: Node, path: KeyPath) -> object:
        seen = self.seen
        if seen is not None:
            if id(node) in seen:
                return None  # an alias: already reported, never expanded
            seen.add(id(node))
        tag = node.tag
        if tag == _STR and type(node) is ScalarNode:
            return node.value
        if tag not in _ALLOWED_TAGS:
            self.add(self.report.position(node), "F012",
                     f"the tag `{tag.replace(_TAG, '!!')}` is refused",
                     "Remove the tag; write the value as plain text, a number or a date.")
            return None
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        if isinstance(node, SequenceNode):
            return self.sequence(node, path)
        assert isinstance(node, ScalarNode)
        return self.scalar(node, path)

    def sequence(self, node: SequenceNode, path: KeyPath) -> list[object]:
        places, position = self.parsed.places, self.report.position
        items = []
        for index, item in enumerate(node.value):
            item_path = path + (index,)
            where = position(item)
            places[item_path] = where + where
            items.append(self.build(item, item_path))
        return items

    def mapping(self, node: MappingNode, path: KeyPath) -> dict[str, object]:
        places, position = self.parsed.places, self.report.position
        seen = self.seen
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key_position = position(key_node)
            if type(key_node) is not ScalarNode or (seen is not None and id(key_node) in seen):
                self.add(key_position, "F002", "a key must be a plain word",
                         "Write the key as a plain word followed by a colon, like `title:`.")
                continue
            key = str(key_node.value)
            key_path = path + (key,)
            if key in result:
                first_line = places[key_path][0]
                self.add(key_position, "F004",
                         f"`{key}` is set twice (first on line {first_line}); the last one is used",
                         f"Keep one `{key}:` and delete the other.")
            places[key_path] = key_position + position(value_node)
            result[key] = self.build(value_node, key_path)
        return result

    def plain_scalar(self, tag: str, text: str, path: KeyPath, where: Position) -> object:
        """A scalar of the plain subset (plainyaml.py), built like any other.

        The usual numbers (`42`, `4.5`) are made here directly, as PyYAML's constructor would
        make them: a vault has one on most of its lines.
        """
        if tag == _INT and _USUAL_INT.fullmatch(text):
            return int(text)
        if tag == _FLOAT and _USUAL_FLOAT.fullmatch(text):
            return float(text)
        if tag == _TIMESTAMP and len(text) == 10:
            return _date(text)
        return self.scalar(ScalarNode(tag, text), path, where)

    def scalar(self, node: ScalarNode, path: KeyPath, where: Position | None = None) -> object:
        tag = node.tag
        if tag == _STR:
            return node.value
        try:
            if tag == _NULL:
                return None
            if tag == _BOOL:
                self.parsed.booleans[path] = node.value
                return _CONSTRUCTOR.construct_yaml_bool(node)
            if tag == _TIMESTAMP:
                if len(node.value) == 10:
                    return _date(node.value)
                try:
                    return _CONSTRUCTOR.construct_yaml_timestamp(node)
                except ValueError:
                    return node.value  # 2026-02-30: the loader explains it as a date
            number = (_CONSTRUCTOR.construct_yaml_int(node) if tag == _INT
                      else _CONSTRUCTOR.construct_yaml_float(node))
        except Exception as error:  # noqa: BLE001 - ValueError past 4300 digits, and the like
            reason = "is too large a number" if "digits" in str(error) else "is not a number"
            return self.bad_number(node, path, reason, where)
        if isinstance(number, float) and not math.isfinite(number):
            return self.bad_number(node, path, "is not a finite number", where)
        if isinstance(number, int):
            try:
                float(number)
            except OverflowError:
                return self.bad_number(node, path, "is too large a number", where)
        return number

    def bad_number(self, node: ScalarNode, path: KeyPath, reason: str,
                   where: Position | None) -> None:
        text = node.value
        shown = text if len(text) <= 20 else f"{text[:12]}… ({len(text)} digits)"
        self.add(where or self.report.position(node), "F002", f"{path_label(path)}: {shown} {reason}",
                 f"Write an ordinary number, like {path_label(path)}: 5.")
        return None

    def add(self, position: Position, code: str, message: str, fix: str) -> None:
        self.parsed.findings.append(
            Finding(self.report.path, position.line, position.column, code, "error", message, fix))


def _date(text: str) -> dt.date | str:
    """YYYY-MM-DD, the usual timestamp, as PyYAML's constructor reads it but faster; the text
    itself when the day does not exist (2026-02-30: the loader explains it as a date)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


def path_label(path: KeyPath) -> str:
    """A key path as the user would point at it: `measures[0].target`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "the front matter"
