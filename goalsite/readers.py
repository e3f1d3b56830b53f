"""Check one front-matter value against its `Field` and turn it into the model's type.

A `FieldReader` works on one file: it knows the parsed front matter's positions and collects a
finding for each value it cannot use (F002 wrong type, F003 impossible date, F006 bad id,
F010 unknown field). Messages quote the user's own key and value (STYLE habit 8).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Final, get_args

from goalsite.dates import last_valid_day, parse_date, parse_duration
from goalsite.fields import SLUG_PATTERN, Field, Kind, suggest, suggest_choice
from goalsite.finding import Finding
from goalsite.model import KeyPath, Position
from goalsite.yamlnodes import Parsed
from goalsite.yamlnodes import path_label as label


class _Absent:
    """The marker for "no usable value": the field is missing, empty or wrong."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()
_SLUG = re.compile(SLUG_PATTERN)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# YAML 1.1 reads 1e5 (no dot) as text; YAML 1.2 and people read it as a number.
_EXPONENT_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+$")
_WIKI_LINK = re.compile(r"^\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]$")


def slugify(text: str) -> str:
    """`Deliver 5 Presentations!` → `deliver-5-presentations` (accents folded, ASCII only)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def is_slug(text: str) -> bool:
    return bool(_SLUG.match(text))


def shown(value: object) -> str:
    """A value as it would read in YAML, shortened."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat()
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def kind_of(value: object) -> str:
    """What a parsed value is, in the user's words (never a Python type name)."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty" if value is None else "a value"


class FieldReader:
    """Reads typed values out of one file's parsed front matter, recording findings."""

    def __init__(self, path: str, parsed: Parsed, start: Position) -> None:
        self.path = path
        self.parsed = parsed
        self.start = start
        self.findings: list[Finding] = []

    # -- findings --------------------------------------------------------------------------

    def position(self, path: KeyPath, *, value: bool = True) -> Position:
        table = self.parsed.values if value else self.parsed.keys
        probe = path
        while probe:
            if probe in table:
                return table[probe]
            probe = probe[:-1]
        return self.start

    def report(self, path: KeyPath, code: str, message: str, fix: str, *,
               value: bool = True, severity: str = "error") -> object:
        where = self.position(path, value=value) if path else self.start
        self.findings.append(Finding(self.path, where.line, where.column, code,
                                     severity, message, fix))  # type: ignore[arg-type]
        return ABSENT

    def unknown_fields(self, data: Mapping[str, object], known: Mapping[str, Field],
                       where: KeyPath, what: str) -> dict[str, object]:
        """Report keys that are not fields (F010, info, with a guess); return them as `extra`."""
        extra: dict[str, object] = {}
        for key, value in data.items():
            if key in known:
                continue
            extra[key] = value
            guess = suggest(key, known)
            hint = f" — did you mean `{guess}`?" if guess else ""
            self.report(where + (key,), "F010", f"`{key}` is not a {what} field{hint}",
                        f"Rename it to `{guess}`." if guess else
                        f"Keep it if it is yours (goalsite keeps it as is), or remove `{key}`.",
                        value=False, severity="info")
        return extra

    # -- one value of one kind ---------------------------------------------------------------

    def read(self, field: Field, value: object, path: KeyPath) -> object:
        """`value` as the model type of `field`, or ABSENT (with a finding when it was wrong)."""
        if value is None:
            return ABSENT
        return _READ_KIND[field.kind](self, field, value, path)

    def field(self, fields: Mapping[str, Field], data: Mapping[str, object], name: str,
              path: KeyPath, default: object = None) -> object:
        """The field `name` of the mapping `data` (at `path`), read as `fields` says, or
        `default` when it is absent, empty or wrong (with a finding)."""
        value = data.get(name)
        if value is None:  # absent or empty: what `read` would say, without the call
            return default
        value = _READ_KIND[fields[name].kind](self, fields[name], value, path + (name,))
        return default if value is ABSENT else value

    def _text(self, field: Field, value: object, path: KeyPath) -> object:
        if isinstance(value, str):
            return value.strip() or ABSENT
        if isinstance(value, bool):
            raw = self.parsed.booleans.get(path, shown(value))
            self.boolean(path, raw, f'Quote it: {label(path)}: "{raw}".')
            return raw
        if isinstance(value, (int, float, dt.date)):
            return shown(value)
        return self.wrong(path, value, "text")

    def _slug(self, field: Field, value: object, path: KeyPath) -> object:
        return self.reference(value, path)

    def _slug_list(self, field: Field, value: object, path: KeyPath) -> object:
        items = self.as_list(value)
        found = [self.reference(item, path + (index,)) for index, item in enumerate(items)]
        return tuple(item for item in found if isinstance(item, str))

    def _enum(self, field: Field, value: object, path: KeyPath) -> object:
        choices = ", ".join(field.choices)
        if isinstance(value, bool):
            raw = self.parsed.booleans.get(path, shown(value))
            self.boolean(path, raw, f"Write {label(path)}: {field.example} — one of {choices}.")
            return ABSENT
        if isinstance(value, str) and value in field.choices:
            return value
        guess = suggest_choice(value, field.choices) if isinstance(value, str) else None
        hint = f" — did you mean `{guess}`?" if guess else ""
        example = guess or field.example
        return self.report(path, "F002", f"{label(path)}: {shown(value)} is not one of {choices}{hint}",
                           f"Write {label(path)}: {example}.")

    def _date(self, field: Field, value: object, path: KeyPath) -> object:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            return self.date_text(value, path)
        return self.wrong(path, value, "a date like 2026-03-31")

    def _date_or_datetime(self, field: Field, value: object, path: KeyPath) -> object:
        if isinstance(value, dt.datetime):
            return (value.date(), value.time().replace(tzinfo=None))
        if isinstance(value, dt.date):
            return (value, None)
        if isinstance(value, str):
            text = value.strip()
            if len(text) > 10 and text[:4].isdigit():
                try:
                    moment = dt.datetime.fromisoformat(text)
                except ValueError:
                    pass
                else:
                    return (moment.date(), moment.time().replace(tzinfo=None))
            day = self.date_text(text[:10] if len(text) > 10 and text[10:11] in "T " else text, path)
            return ABSENT if day is ABSENT else (day, None)
        return self.wrong(path, value, "a date like 2026-03-31 or 2026-03-31T18:30")

    def date_text(self, text: str, path: KeyPath) -> object:
        try:
            return parse_date(text)
        except ValueError as error:
            reason = str(error).split("is not a date: ", 1)[-1]
            better = last_valid_day(text)
            fix = (f"Write {label(path)}: {better}." if better and reason.startswith(
                ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December"))
                   else f"Write {label(path)}: as YYYY-MM-DD, like 2026-03-31.")
            return self.report(path, "F003", f"{label(path)}: {text.strip()} is not a date: {reason}", fix)

    def _duration(self, field: Field, value: object, path: KeyPath) -> object:
        if isinstance(value, str):
            try:
                return parse_duration(value)
            except ValueError:
                pass
        example = f"{value}d" if isinstance(value, int) and not isinstance(value, bool) else "90d"
        return self.report(path, "F002", f"{label(path)}: {shown(value)} is not a duration",
                           f"Write a number and a unit (d, w, m or y), like {label(path)}: {example}.")

    def _number(self, field: Field, value: object, path: KeyPath) -> object:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:
                number = math.inf
            if math.isfinite(number):
                return number
            return self.report(path, "F002", f"{label(path)}: {shown(value)} is too large",
                               f"Write an ordinary number, like {label(path)}: {field.example}.")
        if isinstance(value, str) and _EXPONENT_NUMBER.match(value.strip()):
            if math.isfinite(float(value)):
                return float(value)
            return self.report(path, "F002", f"{label(path)}: {value.strip()} is too large",
                               f"Write an ordinary number, like {label(path)}: {field.example}.")
        if isinstance(value, str):
            return self.report(path, "F002", f"{label(path)}: {shown(value)} is text, not a number",
                               f"Write the number without quotes or words, like {label(path)}: {field.example}; "
                               "put the unit in the measure's `unit:`.")
        return self.wrong(path, value, "a number")

    def _positive_number(self, field: Field, value: object, path: KeyPath) -> object:
        number = self._number(field, value, path)
        if isinstance(number, float) and number <= 0:
            return self.report(path, "F002", f"{label(path)}: {shown(value)} must be more than 0",
                               f"Write a positive number, like {label(path)}: {field.example}.")
        return number

    def _integer_range(self, field: Field, value: object, path: KeyPath) -> object:
        low, high = int(field.minimum or 0), int(field.maximum or 0)
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        return self.report(path, "F002", f"{label(path)}: {shown(value)} is not a whole number from {low} to {high}",
                           f"Write a whole number from {low} to {high}, like {label(path)}: {field.example}.")

    def _text_list(self, field: Field, value: object, path: KeyPath) -> object:
        found = []
        for index, item in enumerate(self.as_list(value)):
            text = self._text(field, item, path + (index,)) if item is not None else ABSENT
            if isinstance(text, str):
                found.append(text)
        return tuple(found)

    # -- shared helpers ----------------------------------------------------------------------

    def as_list(self, value: object) -> list[object]:
        """A list as is; one value as a list of one (`tags: speaking`)."""
        if isinstance(value, list):
            return value
        return [value]

    def reference(self, value: object, path: KeyPath) -> object:
        """A goal id, from `an-id` or an Obsidian link `[[An Id]]` (YAML may read it as [[…]])."""
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list) \
                and len(value[0]) == 1 and isinstance(value[0][0], str):
            value = f"[[{value[0][0]}]]"
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return self.wrong(path, value, "a goal id like senior-leadership")
        text = value.strip()
        link = _WIKI_LINK.match(text)
        if link:
            target = link.group(1).rsplit("/", 1)[-1].removesuffix(".md")
            text = slugify(target)
        if is_slug(text):
            return text
        better = slugify(text.replace("..", "").replace("/", "-")) or "my-goal"
        return self.report(path, "F006", f"{label(path)}: {shown(value)} is not an id",
                           f"Write ids in lowercase words joined by hyphens, like {label(path)}: {better}.")

    def boolean(self, path: KeyPath, raw: str, fix: str) -> None:
        truth = "true" if raw.lower() in _TRUE else "false"
        self.report(path, "F002",
                    f"{label(path)}: {raw} is read by YAML as the boolean {truth}, not as text", fix)

    def wrong(self, path: KeyPath, value: object, expected: str) -> object:
        if isinstance(value, bool):
            # Quote what the user wrote (`no`), not what YAML made of it (false).
            raw = self.parsed.booleans.get(path, shown(value))
            return self.report(path, "F002", f"{label(path)}: {raw} is read by YAML as true/false, "
                               f"not {expected}", f"Write {label(path)} as {expected}.")
        return self.report(path, "F002", f"{label(path)}: {shown(value)} is {kind_of(value)}, "
                           f"not {expected}", f"Write {label(path)} as {expected}.")


_TRUE = frozenset({"y", "yes", "true", "on"})
# The method that reads each kind of field: `date-or-datetime` → `_date_or_datetime` (the
# kinds that are mappings and lists of mappings are read by load.py).
_READ_KIND = {kind: getattr(FieldReader, "_" + kind.replace("-", "_"))
              for kind in get_args(Kind) if hasattr(FieldReader, "_" + kind.replace("-", "_"))}



def as_number(raw: object) -> float | None:
    """A journal value as a finite number, or None when it is not one (the linter says so)."""
    if isinstance(raw, str) and _EXPONENT_NUMBER.match(raw.strip()):
        raw = float(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        try:
            number = float(raw)
        except OverflowError:
            return None
        return number if math.isfinite(number) else None
    return None
