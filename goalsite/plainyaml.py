"""The plain subset of YAML front matter, read line by line without PyYAML (issue 10).

Most front matter is `key: value` lines, indented mappings, `- item` lists and `[a, b]` lists
of plain words. This module reads exactly that subset several times faster than composing
YAML nodes, and gives what `yamlnodes.compose` would give: the same values (tags resolved by
PyYAML's own resolver, scalars built by the caller), the same key and value positions. Any
line outside the subset — quoted text, comments, tabs, anchors, tags, block scalars, empty
values, flow mappings, duplicate keys, a text that continues on the next line — makes `read`
return None, and the caller composes the text with PyYAML as before. It never reports a
finding itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from goalsite.model import KeyPath, Places, Position

# What the caller makes of a scalar: (tag, text, key path, where its value stands) → value.
ScalarBuilder = Callable[[str, str, KeyPath, Position], object]

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)")
# A plain scalar in block context: no indicator first (a `-` only before a digit or a dot),
# printable, without `: `, ` #`, a final `:`, quotes or tabs (checked by `_Reader.inline`).
_PLAIN_START = re.compile(r"[A-Za-z0-9_.~/(+$]|[^\x00-\x7f]|-[0-9.]")
_FLOW_ITEM = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_ ./+-]*")
_STR = "tag:yaml.org,2002:str"
_RESOLVER = Resolver()
_IMPLICIT = (True, False)
_FIRSTS = frozenset(_RESOLVER.yaml_implicit_resolvers)
_TAGS: dict[str, str] = {}
_TAGS_KEPT = 65536


class _Outside(Exception):
    """The text leaves the subset: compose it with PyYAML instead."""


class KnownLines:
    """The `key: value` lines already read, each as (key column, key, value column, value).

    A vault repeats most of its front-matter lines (`kind: check-in`, `confidence: 4`, a date,
    a goal's id, `aggregate: sum`): a line read once is read again with one lookup. Only a line
    of spaces, a key and a plain scalar is kept, and only when its value is text, a number or
    a date that the scalar builder made without a word (no finding, no boolean to quote): a
    value that the same builder would make again, immutable and shareable between files. Short
    lines only (prose seldom repeats), and at most `limit` of them.
    """

    KEPT_TYPES = (str, int, float, dt.date, dt.datetime)

    def __init__(self, limit: int = 65536, longest: int = 80) -> None:
        self.lines: dict[str, tuple[int, str, int, object]] = {}
        self.limit = limit
        self.longest = longest

    def keep(self, line: str, key_column: int, key: str, value_column: int, value: object) -> None:
        if type(value) in self.KEPT_TYPES and len(line) <= self.longest \
                and len(self.lines) < self.limit and not line[:key_column].strip(" "):
            self.lines[line] = (key_column, key, value_column, value)


def read(text: str, first_line: int, scalar: ScalarBuilder,
         known: KnownLines | None = None) -> tuple[object, Places] | None:
    """(data, where each key path's key and value stand) of YAML `text`, or None outside the
    subset.

    `first_line` is the file line of the text's first line. `known` remembers the lines read
    with this `scalar` builder, for the next texts (see `KnownLines`).
    """
    if "\t" in text:
        return None
    reader = _Reader(text.split("\n"), first_line, scalar, known or KnownLines(limit=0))
    try:
        return reader.document(), reader.places
    except _Outside:
        return None


def tag_of(text: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar, remembered (vaults repeat their dates)."""
    if text[0] not in _FIRSTS and None not in _FIRSTS:
        return _STR  # no implicit resolver starts with this character: text
    tag = _TAGS.get(text)
    if tag is None:
        tag = _RESOLVER.resolve(ScalarNode, text, _IMPLICIT)
        if len(text) <= 40 and len(_TAGS) < _TAGS_KEPT:
            _TAGS[text] = tag
    return tag


class _Reader:
    """A cursor over the lines; every method reads one node and leaves the cursor after it.

    The loops keep the cursor in a local and store it back before reading a nested node: they
    run once per line of every file of the vault, and an attribute costs more than a local.
    """

    def __init__(self, lines: list[str], first_line: int, scalar: ScalarBuilder,
                 known: KnownLines) -> None:
        self.lines = lines
        self.offset = first_line
        self.scalar = scalar
        self.known = known
        self.places: Places = {}
        self.at = 0

    def document(self) -> object:
        self.skip_blank()
        if self.at == len(self.lines):
            raise _Outside  # empty front matter: rare, and PyYAML says what it is
        line = self.lines[self.at]
        indent = len(line) - len(line.lstrip(" "))
        if line.startswith(("---", "...", "%")):
            raise _Outside
        data = self.block(indent)
        self.skip_blank()
        if self.at != len(self.lines):
            raise _Outside  # a line less indented than the first one
        return data

    def skip_blank(self) -> None:
        lines = self.lines
        while self.at < len(lines) and not lines[self.at].strip(" "):
            self.at += 1

    def block(self, indent: int, path: KeyPath = ()) -> object:
        """The mapping or list whose lines start at column `indent`."""
        rest = self.lines[self.at][indent:]
        if rest == "-" or rest.startswith("- "):
            return self.sequence(indent, path)
        return self.mapping(indent, indent, path)

    def mapping(self, indent: int, start: int, path: KeyPath) -> dict[str, object]:
        """Keys at column `indent`; the first line's key may stand after a `- ` (`start`)."""
        lines, places, offset, known = self.lines, self.places, self.offset, self.known
        count = len(lines)
        result: dict[str, object] = {}
        column = start
        at = self.at
        while at < count:
            line = lines[at]
            seen = known.lines.get(line)
            if seen is not None and seen[0] == (indent if column < 0 else column):
                # A line read before, whose key stands where this mapping's keys do.
                _, key, value_column, value = seen
                if key in result:
                    raise _Outside  # a duplicate key: PyYAML's path reports it
                number = at + offset
                places[path + (key,)] = (number, seen[0] + 1, number, value_column + 1)
                result[key] = value
                at += 1
                column = -1
                continue
            if column < 0:  # not the first line: where does it start?
                stripped = line.lstrip(" ")
                if not stripped:
                    at += 1
                    continue
                column = len(line) - len(stripped)
                if column != indent:
                    if column < indent:
                        break
                    raise _Outside  # deeper: the value above goes on, or is an error
                if stripped[0] == "-" and (stripped == "-" or stripped[1] == " "):
                    break  # a list at the key's own column ends here: the caller decides
            found = _KEY.match(line, column)
            if found is None:
                raise _Outside
            key = found.group(1)
            if key in result:
                raise _Outside  # a duplicate key: PyYAML's path reports it
            key_path = path + (key,)
            number = at + offset
            at += 1
            value_column = found.end()
            if value_column < len(line):
                places[key_path] = (number, column + 1, number, value_column + 1)
                value = result[key] = self.inline(line, value_column, key_path, number)
                known.keep(line, column, key, value_column, value)
                column = -1
                continue
            self.at = at
            self.skip_blank()
            at = self.at
            if at == count:
                raise _Outside  # `key:` with nothing: an empty value
            below = lines[at]
            below_indent = len(below) - len(below.lstrip(" "))
            rest = below[below_indent:]
            is_list = rest == "-" or rest.startswith("- ")
            if below_indent < indent or (below_indent == indent and not is_list):
                raise _Outside  # an empty value
            places[key_path] = (number, column + 1, at + offset, below_indent + 1)
            result[key] = self.sequence(below_indent, key_path) if is_list else \
                self.mapping(below_indent, below_indent, key_path)
            at = self.at
            column = -1
        self.at = at
        return result

    def sequence(self, indent: int, path: KeyPath) -> list[object]:
        """`- item` lines at column `indent`."""
        lines, places, offset = self.lines, self.places, self.offset
        count = len(lines)
        items: list[object] = []
        at = self.at
        while at < count:
            line = lines[at]
            stripped = line.lstrip(" ")
            if not stripped:
                at += 1
                continue
            column = len(line) - len(stripped)
            if column != indent or not stripped.startswith("- "):
                if column > indent:
                    raise _Outside
                break
            item_column = column + 2
            while line.startswith(" ", item_column):
                item_column += 1
            if item_column == len(line) or line.startswith("-", item_column):
                raise _Outside  # an empty item, or a list in a list
            item_path = path + (len(items),)
            number = at + offset
            places[item_path] = (number, item_column + 1, number, item_column + 1)
            if _KEY.match(line, item_column):
                self.at = at
                items.append(self.mapping(item_column, item_column, item_path))
                at = self.at
                continue
            at += 1
            items.append(self.inline(line, item_column, item_path, number))
        self.at = at
        return items

    def inline(self, line: str, column: int, path: KeyPath, number: int) -> object:
        """The value that fills the rest of `line` (line `number` of the file) from `column`:
        a plain scalar or `[a, b]`."""
        text = line[column:]
        if text[-1] == " ":
            text = text.rstrip(" ")
        first = text[0]
        if first == "[":
            return self.flow_list(text, column, path, number)
        # A plain scalar (see _PLAIN_START), printable, without `: `, ` #` or a final `:`.
        if not text.isprintable() or ": " in text or " #" in text or text[-1] == ":" \
                or not _PLAIN_START.match(text):
            raise _Outside
        if first not in _FIRSTS and None not in _FIRSTS:
            return text  # `value`'s first test, without the call: most values are words
        return self.value(text, path, number, column + 1)

    def flow_list(self, text: str, column: int, path: KeyPath, number: int) -> list[object]:
        """`[a, b, c]` of plain words on one line."""
        if not text.endswith("]") or not text.isprintable():
            raise _Outside
        inner = text[1:-1]
        if not inner.strip(" "):
            if inner:
                raise _Outside  # `[ ]`: keep the subset small
            return []
        items: list[object] = []
        places = self.places
        at = column + 1
        for part in inner.split(","):
            word = part.strip(" ")
            lead = len(part) - len(part.lstrip(" "))
            if not word or _FLOW_ITEM.fullmatch(word) is None:
                raise _Outside
            item_path = path + (len(items),)
            places[item_path] = (number, at + lead + 1, number, at + lead + 1)
            items.append(self.value(word, item_path, number, at + lead + 1))
            at += len(part) + 1
        return items

    def value(self, text: str, path: KeyPath, number: int, column: int) -> object:
        """The plain scalar `text`, standing at line `number`, `column` (1-based)."""
        if text[0] not in _FIRSTS and None not in _FIRSTS:
            return text  # tag_of's first test, without the call: most values are words
        tag = tag_of(text)
        if tag == _STR:
            return text
        return self.scalar(tag, text, path, Position(number, column))
