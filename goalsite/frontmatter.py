"""Read a Markdown file's bytes: decode them, split the front matter from the body, parse it.

Front matter is YAML between `---` lines (SPEC §2), TOML between `+++` lines, or a JSON object
between a `{` line and a `}` line. The fences are python-frontmatter's (a test runs its fixtures
through both), but the code is ours: that library returns empty metadata without a word for a
BOM, an unterminated block or a list, and keeps no line numbers.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from goalsite.finding import Finding
from goalsite.model import KeyPath, Position
from goalsite.yamlnodes import MAX_DEPTH, MAX_FRONT_MATTER, Parsed, bracket_depth, compose, path_label

Format = Literal["yaml", "toml", "json"]

# `[ \t]*`, not `\s*`: a fence never reaches into the next line.
_YAML_FENCE = re.compile(r"^-{3,}[ \t]*$", re.MULTILINE)
_TOML_FENCE = re.compile(r"^\+{3,}[ \t]*$", re.MULTILINE)
_JSON_OPEN = re.compile(r"^\{[ \t]*$", re.MULTILINE)
_JSON_CLOSE = re.compile(r"^\}[ \t]*$", re.MULTILINE)
_FENCES: tuple[tuple[Format, re.Pattern[str]], ...] = (
    ("yaml", _YAML_FENCE), ("toml", _TOML_FENCE), ("json", _JSON_OPEN))
_TOML_ERROR = re.compile(r"at line (\d+), column (\d+)")


@dataclass(frozen=True)
class Document:
    """A file split in two. `front` is None without front matter, or when it is not closed.

    `front_line` is the file line of the front matter's first line; `start` is the opening
    fence; `unterminated` says the fence was opened and never closed.
    """

    format: Format | None
    front: str | None
    front_line: int
    start: Position
    body: str
    body_line: int
    unterminated: bool = False


def decode(data: bytes, path: str) -> str | Finding:
    """The file's text (BOM dropped, line ends as `\\n`), or an F009 finding saying why not."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _byte_position(data, nul)
        return Finding(path, line, column, "F009", "error",
                       "the file holds binary data (a NUL byte), not text",
                       "Save it as UTF-8 text; if it is not a note, move it out of the vault.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(data, error.start)
        return Finding(path, line, column, "F009", "error",
                       f"the file is not UTF-8: byte 0x{data[error.start]:02x} cannot be read",
                       "Save the file as UTF-8 (most editors: File → Save with encoding → UTF-8).")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split(text: str) -> Document:
    """Find the front matter: after any blank lines, a `---`, `+++` or `{` line opens it."""
    kind: Format
    if text.startswith("---\n"):  # the usual first line: what the search below would find
        line_number, end, kind, fence = 1, 3, "yaml", _YAML_FENCE
    else:
        offset = 0
        line_number = 1
        while True:
            end = text.find("\n", offset)
            line = text[offset:] if end < 0 else text[offset:end]
            if line.strip() or end < 0:
                break
            offset = end + 1
            line_number += 1
        for kind, fence in _FENCES:
            if fence.match(line):
                break
        else:
            return Document(None, None, 1, Position(1, 1), text, 1)
    start = Position(line_number, 1)
    inner = end + 1 if end >= 0 else len(text)
    found = _closing_fence(text, kind, fence, inner) if end >= 0 else None
    if found is None:
        return Document(kind, None, line_number, start, text, 1, unterminated=True)
    if kind == "json":
        front = "{\n" + text[inner:found.start()] + "}"
        first = line_number
    else:
        front = text[inner:found.start()]
        first = line_number + 1
    body_start = min(found.end() + 1, len(text))
    body_line = line_number + 1 + text.count("\n", inner, found.start()) + 1
    return Document(kind, front, first, start, text[body_start:], body_line)


def _closing_fence(text: str, kind: Format, fence: re.Pattern[str], inner: int) -> re.Match[str] | None:
    """The first line from offset `inner` (a line's start) on that closes the front matter.

    For YAML and TOML, only the lines that start with the fence's first three characters are
    tried: a search of the fence's pattern would try every line of the file.
    """
    if kind == "json":
        return _JSON_CLOSE.search(text, inner)
    head = "---" if kind == "yaml" else "+++"
    if text.startswith(head, inner):
        found = fence.match(text, inner)
        if found is not None:
            return found
    mark = "\n" + head
    at = text.find(mark, inner)
    while at >= 0:
        found = fence.match(text, at + 1)
        if found is not None:
            return found
        at = text.find(mark, at + 1)
    return None


def parse(document: Document, path: str) -> Parsed:
    """The front matter as plain Python with positions; `data` is None when it cannot be read."""
    assert document.front is not None and document.format is not None
    if document.format == "yaml":
        return compose(document.front, path, document.front_line)
    parsed = Parsed(None)
    report = _Scanner(parsed, path, document.front, document.front_line)
    if len(document.front) > MAX_FRONT_MATTER:
        report.add(Position(document.front_line, 1), "F013",
                   f"the front matter is {len(document.front) // 1024} KB, over the "
                   f"{MAX_FRONT_MATTER // 1024} KB goalsite reads",
                   "Move long text from the front matter into the body below it.")
        return parsed
    deep = bracket_depth(document.front)
    if deep is not None:
        report.add(Position(deep.line + document.front_line - 1, deep.column), "F013",
                   f"the front matter nests deeper than {MAX_DEPTH} levels",
                   "Flatten the front matter: goal fields nest at most three levels.")
        return parsed
    if document.format == "toml":
        report.toml()
    else:
        report.json()
    return parsed


class _Scanner:
    """Parses TOML or JSON and finds key positions by scanning the lines (neither parser keeps them)."""

    def __init__(self, parsed: Parsed, path: str, text: str, first_line: int) -> None:
        self.parsed = parsed
        self.path = path
        self.text = text
        self.first_line = first_line

    def add(self, position: Position, code: str, message: str, fix: str) -> None:
        self.parsed.findings.append(
            Finding(self.path, position.line, position.column, code, "error", message, fix))

    def toml(self) -> None:
        # Dotted keys (`a.b.c = 1`, `[a.b.c]`) nest without brackets, and tomllib takes time
        # quadratic in their depth: refuse them before parsing, like brackets (SPEC §8).
        deep = self._deep_toml_line()
        if deep is not None:
            self.add(deep, "F013", f"the front matter nests deeper than {MAX_DEPTH} levels",
                     "Flatten the front matter: goal fields nest at most three levels.")
            return
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as error:
            match = _TOML_ERROR.search(str(error))
            line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
            self.add(Position(line + self.first_line - 1, column), "F001",
                     f"the front matter is not valid TOML: {str(error).split(' (at ')[0]}",
                     'Fix the TOML at this place; text values need quotes, like title = "Plan".')
            return
        except Exception as error:  # noqa: BLE001 - e.g. ValueError past 4300 digits
            self.add(Position(self.first_line, 1), "F002", f"the front matter cannot be read: {error}",
                     "Write ordinary numbers, like 5 or 4.5.")
            return
        if _depth(data) > MAX_DEPTH:  # tables, dotted keys and brackets mixed: checked once more
            self.add(Position(self.first_line, 1), "F013",
                     f"the front matter nests deeper than {MAX_DEPTH} levels",
                     "Flatten the front matter: goal fields nest at most three levels.")
            return
        self.scan_toml()
        self.parsed.data = self.finite(data, ())

    def _deep_toml_line(self) -> Position | None:
        """The first line whose `[table]` and dotted key together pass MAX_DEPTH (counting every
        dot before `=`, so it may run high, never low)."""
        table = 0
        for number, line in enumerate(self.text.split("\n"), start=self.first_line):
            stripped = line.strip()
            header = re.match(r"^\[\[?([^\]]*)\]", stripped)
            if header:
                table = header.group(1).count(".") + 1
                depth = table
            else:
                depth = table + stripped.split("=", 1)[0].count(".") + 1
            if depth > MAX_DEPTH:
                return Position(number, len(line) - len(line.lstrip()) + 1)
        return None

    def json(self) -> None:
        duplicates: list[str] = []

        def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
            result: dict[str, object] = {}
            for key, value in items:
                if key in result:
                    duplicates.append(key)
                result[key] = value
            return result

        try:
            data = json.loads(self.text, object_pairs_hook=pairs)
        except json.JSONDecodeError as error:
            self.add(Position(error.lineno + self.first_line - 1, error.colno), "F001",
                     f"the front matter is not valid JSON: {error.msg}",
                     'Fix the JSON at this place; keys and text need double quotes, like "title": "Plan".')
            return
        except Exception as error:  # noqa: BLE001 - ValueError past 4300 digits, RecursionError
            self.add(Position(self.first_line, 1), "F002",
                     f"the front matter cannot be read: {str(error)[:80]}",
                     "Write ordinary numbers, like 5 or 4.5.")
            return
        self.scan_json(data)
        for key in duplicates:
            found = [m for m in re.finditer(rf'"{re.escape(key)}"\s*:', self.text)]
            where = self.offset(found[1].start()) if len(found) > 1 else Position(self.first_line, 1)
            first = f" (first on line {self.offset(found[0].start()).line})" if len(found) > 1 else ""
            self.add(where, "F004", f"`{key}` is set twice{first}; the last one is used",
                     f'Keep one "{key}" and delete the other.')
        self.parsed.data = self.finite(data, ())

    def scan_toml(self) -> None:
        """Key paths of `key = value` lines under `[table]` and `[[array]]` headers."""
        table: KeyPath = ()
        counts: dict[str, int] = {}
        for number, line in enumerate(self.text.split("\n"), start=self.first_line):
            stripped = line.strip()
            column = len(line) - len(line.lstrip()) + 1
            header = re.match(r"^\[\[\s*([A-Za-z0-9_-]+)\s*\]\]", stripped)
            if header:
                name = header.group(1)
                index = counts.get(name, 0)
                counts[name] = index + 1
                table = (name, index)
                self.record((name,), Position(number, column), Position(number, column))
                self.record(table, Position(number, column), Position(number, column))
                continue
            header = re.match(r"^\[\s*([A-Za-z0-9_.-]+)\s*\]", stripped)
            if header:
                table = tuple(header.group(1).split("."))
                self.record(table, Position(number, column), Position(number, column))
                continue
            pair = re.match(r"^([\"']?)([^\"'=\s]+)\1\s*=\s*", line.lstrip())
            if pair:
                value_column = column + pair.end()
                self.record(table + (pair.group(2),), Position(number, column),
                            Position(number, value_column))

    def scan_json(self, data: object) -> None:
        """Top-level key positions: the first `"key":` of each key (nested keys fall back)."""
        if not isinstance(data, dict):
            return
        for key in data:
            found = re.search(rf'"{re.escape(key)}"\s*:\s*', self.text)
            if found:
                self.record((key,), self.offset(found.start()), self.offset(found.end()))

    def record(self, path: KeyPath, key: Position, value: Position) -> None:
        self.parsed.places.setdefault(path, key + value)

    def offset(self, index: int) -> Position:
        line = self.text.count("\n", 0, index)
        column = index - (self.text.rfind("\n", 0, index) + 1) + 1
        return Position(line + self.first_line, column)

    def finite(self, value: object, path: KeyPath) -> object:
        """The value with NaN and infinities reported (F002) and dropped."""
        if isinstance(value, float) and not math.isfinite(value):
            at = _nearest(self.parsed.values, path) or Position(self.first_line, 1)
            self.add(at, "F002", f"{path_label(path)}: {value} is not a finite number",
                     f"Write an ordinary number, like {path_label(path)}: 5.")
            return None
        if isinstance(value, dict):
            return {key: self.finite(item, path + (key,)) for key, item in value.items()}
        if isinstance(value, list):
            return [self.finite(item, path + (index,)) for index, item in enumerate(value)]
        return value


def _depth(data: object) -> int:
    """How deep `data` nests (a scalar is 0), counted without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        deepest = max(deepest, depth)
    return deepest


def _nearest(table: Mapping[KeyPath, Position], path: KeyPath) -> Position | None:
    while path:
        if path in table:
            return table[path]
        path = path[:-1]
    return None


def _byte_position(data: bytes, index: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of byte `index`."""
    line_start = data.rfind(b"\n", 0, index) + 1
    line = data.count(b"\n", 0, index) + 1
    prefix = data[line_start:index].decode("utf-8", errors="replace").lstrip("\ufeff")
    return line, len(prefix) + 1
