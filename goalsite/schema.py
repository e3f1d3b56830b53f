"""JSON Schema (draft 2020-12) of goal and entry front matter, made from `fields.py` (SPEC §9).

The schema describes front matter as an editor's YAML 1.2 reader sees it: dates are strings
(`due: 2026-03-31`), and an empty field (`due:`) is null, which goalsite reads as "not set".
It accepts what the loader accepts without a format error and rejects what it reports as F002,
F003 (with format assertion on) or F006; unknown fields stay allowed, as SPEC §2.1 keeps them
(the loader reports them as info). What no schema can check — unique ids, existing parents,
cycles, whether a goal is S.M.A.R.T. — stays with `goalsite lint`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any, Literal

from goalsite.fields import (
    ENTRY_FIELDS, GOAL_FIELDS, LINT_FIELDS, MEASURE_FIELDS, OBSTACLE_FIELDS, SLUG_PATTERN, Field,
)

SchemaKind = Literal["goal", "entry"]
DRAFT = "https://json-schema.org/draft/2020-12/schema"
# JSON Schema is JSON: a schema is a tree of plain values, built and dumped here only.
JsonObject = dict[str, Any]

_DATE = r"^\d{4}-\d{2}-\d{2}$"
_DATETIME = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
# dates.parse_duration: 1–4 digits, not all zeros, then d, w, m or y; spaces allowed around.
_DURATION = r"^\s*(?!0+\s*[dwmy])\d{1,4}\s*[dwmy]\s*$"
# readers: a number must be finite. These bounds refuse infinity and 5000-digit integers (NaN,
# which JSON cannot hold, passes every comparison: goalsite lint reports it).
_FINITE = {"minimum": -1.7976931348623157e308, "maximum": 1.7976931348623157e308}
# readers.reference: a parent may be written as an Obsidian link, `[[Goal name]]`.
_WIKI_LINK = r"^\[\[[^\]|#]+(#[^\]|]*)?(\|[^\]]*)?\]\]$"


def schema_json(kind: SchemaKind | None = None) -> str:
    """The schema as stable, indented JSON text ending with a newline."""
    return json.dumps(front_matter_schema(kind), indent=2, ensure_ascii=False) + "\n"


def front_matter_schema(kind: SchemaKind | None = None) -> JsonObject:
    """The goal schema, the entry schema, or (no kind) one that picks by `type:`, else either."""
    definitions = {"measure": _object(MEASURE_FIELDS, "One measure of a goal (docs/format.md, Measures)."),
                   "obstacle": _object(OBSTACLE_FIELDS, "An obstacle and the plan for it."),
                   "lint": _object(LINT_FIELDS, "Lint rules silenced in this file.")}
    goal = _object(GOAL_FIELDS, "The front matter of a goal file (docs/format.md).", document="goal")
    entry = _object(ENTRY_FIELDS, "The front matter of a journal entry (docs/format.md).",
                    document="entry")
    if kind is not None:
        chosen = goal if kind == "goal" else entry
        return {"$schema": DRAFT, "title": f"goalsite {kind} front matter", **chosen,
                "$defs": definitions}
    return {
        "$schema": DRAFT,
        "title": "goalsite front matter",
        "description": "A goal or a journal entry. The folder says which (goals/, journal/); "
                       "`type: goal` or `type: entry` overrides it.",
        "if": {"required": ["type"], "properties": {"type": {"const": "entry"}}},
        "then": {"$ref": "#/$defs/entry"},
        "else": {"if": {"required": ["type"], "properties": {"type": {"const": "goal"}}},
                 "then": {"$ref": "#/$defs/goal"},
                 "else": {"anyOf": [{"$ref": "#/$defs/goal"}, {"$ref": "#/$defs/entry"}]}},
        "$defs": {"goal": goal, "entry": entry, **definitions},
    }


def _object(fields: tuple[Field, ...], description: str, *, document: str | None = None) -> JsonObject:
    properties = {field.name: _property(field, document) for field in fields}
    required = [field.name for field in fields if field.required]
    schema: JsonObject = {"type": "object", "description": description,
                          "properties": properties, "additionalProperties": True}
    if required:
        schema["required"] = required
    return schema


def _property(field: Field, document: str | None) -> JsonObject:
    """One field: its value's schema with the field's words; null allowed unless required."""
    value = _value(field)
    if field.name == "type" and document is not None:
        value = {"const": document}
    if not field.required:
        value = {"anyOf": [value, {"type": "null"}]}
    notes = field.description + (f" (default: {field.default_label})" if field.default_label else "")
    annotated: JsonObject = {"description": notes, **value, "examples": [_json(field.example)]}
    if field.default is not None:
        annotated["default"] = field.default
    return annotated


def _value(field: Field) -> JsonObject:
    """The schema of one value of `field`'s kind, as readers.FieldReader accepts it."""
    kind = field.kind
    if kind == "text":
        # A number or a date as text is fine (readers._text keeps it as written).
        return {"type": ["string", "number"]}
    if kind == "slug":
        # The goal's own `id` is read as written; every other id may be an Obsidian link.
        return _slug() if field.name == "id" else _reference()
    if kind == "slug-list":
        return {"anyOf": [_reference(), {"type": "array", "items": _reference()}]}
    if kind == "date":
        return {"type": "string", "pattern": _DATE, "format": "date"}
    if kind == "date-or-datetime":
        return {"anyOf": [{"type": "string", "pattern": _DATE, "format": "date"},
                          {"type": "string", "pattern": _DATETIME}]}
    if kind == "duration":
        return {"type": "string", "pattern": _DURATION}
    if kind == "number":
        return {"type": "number", **_FINITE}
    if kind == "positive-number":
        return {"type": "number", "exclusiveMinimum": 0, "maximum": _FINITE["maximum"]}
    if kind == "integer-range":
        return {"type": "integer", "minimum": field.minimum, "maximum": field.maximum}
    if kind == "enum":
        return {"enum": list(field.choices)}
    if kind == "text-list":
        text = {"type": ["string", "number"]}
        return {"anyOf": [text, {"type": "array", "items": {"anyOf": [text, {"type": "null"}]}}]}
    if kind == "measures":
        measure = {"$ref": "#/$defs/measure"}
        return {"anyOf": [{"type": "array", "items": measure}, measure]}
    if kind == "measure":
        return {"$ref": "#/$defs/measure"}
    if kind == "obstacles":
        item = {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/obstacle"}]}
        return {"anyOf": [{"type": "array", "items": item}, item]}
    if kind == "values":
        return {"type": "object", "propertyNames": {"pattern": SLUG_PATTERN},
                "additionalProperties": {"type": "number", **_FINITE}}
    if kind == "lint":
        return {"$ref": "#/$defs/lint"}
    raise ValueError(f"no schema for the field kind {kind!r}")


def _slug() -> JsonObject:
    return {"anyOf": [{"type": "string", "pattern": SLUG_PATTERN},
                      {"type": "integer", "minimum": 0}]}


def _reference() -> JsonObject:
    """A goal id: a slug, an Obsidian link `[[goal-id]]`, or that link unquoted, which YAML
    reads as a list inside a list."""
    return {"anyOf": [*_slug()["anyOf"], {"type": "string", "pattern": _WIKI_LINK},
                      {"type": "array", "minItems": 1, "maxItems": 1,
                       "items": {"type": "array", "minItems": 1, "maxItems": 1,
                                 "items": {"type": "string"}}}]}


def _json(value: object) -> object:
    """An example value as JSON holds it: dates as ISO text."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(item) for item in value]
    return value
