"""A goal file's front matter as a flat snapshot of values, to compare versions from git.

`snapshot_of(blob)` parses one historic version of a goal file and flattens its front matter
into dotted fields: `due`, `status`, `measures.presentations.target` (measures by their key, so
that reordering them changes nothing), `obstacles.0.plan`. Values are kept as written, in JSON
terms (dates as ISO text, lists as tuples), so snapshots can be cached as JSON. A version that
does not parse gives None: history skips it, it is never an error.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

from goalsite import frontmatter
from goalsite.readers import slugify

SnapshotValue = str | int | float | bool | None | tuple["SnapshotValue", ...]
Snapshot = Mapping[str, SnapshotValue]

# Bumped whenever a snapshot of the same bytes could come out differently (cache key).
PARSER_VERSION = 2
# A goal file this large is not a goal file; its history is not worth reading.
_MAX_BLOB = 1024 * 1024
_REFUSED = frozenset({"F001", "F008", "F012", "F013"})


def snapshot_of(blob: bytes, memo: dict[tuple[str, str], Snapshot | None] | None = None,
                ) -> Snapshot | None:
    """The flattened front matter of one version of a goal file, or None if it does not parse.

    `memo` keeps snapshots by front-matter text across the calls of one read: a version that
    changed only the body is not parsed again."""
    if len(blob) > _MAX_BLOB:
        return None
    text = frontmatter.decode(blob, "")
    if not isinstance(text, str):
        return None
    document = frontmatter.split(text)
    if document.front is None or document.format is None:
        return None
    key = (document.format, document.front)
    if memo is not None and key in memo:
        return memo[key]
    found = _flat(_front_matter(document))
    if memo is not None:
        memo[key] = found
    return found


def _front_matter(document: frontmatter.Document) -> Mapping[object, object] | None:
    """Parse with the loader's own pieces, so history reads a version exactly as the loader
    reads a file (TOML and JSON front matter; aliases, tags and depth refused)."""
    parsed = frontmatter.parse(document, "")
    # Refused or broken YAML yields no snapshot; a duplicate key or a bad value still does.
    if any(finding.code in _REFUSED for finding in parsed.findings):
        return None
    return parsed.data if isinstance(parsed.data, Mapping) else None


def _flat(front: Mapping[object, object] | None) -> Snapshot | None:
    if front is None:
        return None
    flat: dict[str, SnapshotValue] = {}
    for key, value in front.items():
        name = str(key)
        if name in ("measures", "measure"):
            measures = value if name == "measures" else [value]
            if isinstance(measures, list) and all(isinstance(m, Mapping) for m in measures):
                _flatten_measures(measures, flat)
                continue
        _flatten(name, value, flat)
    return flat


def _flatten_measures(measures: list[Mapping[object, object]],
                      flat: dict[str, SnapshotValue]) -> None:
    used: set[str] = set()
    for index, measure in enumerate(measures):
        key = _measure_key(measure, index, len(measures))
        if key in used:
            key = f"measure-{index + 1}"
        used.add(key)
        for name, value in measure.items():
            if str(name) != "key":
                _flatten(f"measures.{key}.{name}", value, flat)


def _measure_key(measure: Mapping[object, object], index: int, count: int) -> str:
    """The key as `load.py` gives it: `key`, else the slugified name, else `value` for a lone
    measure, else `measure-N`."""
    key = measure.get("key")
    if isinstance(key, str) and key:
        return key
    name = measure.get("name")
    if isinstance(name, str) and slugify(name):
        return slugify(name)
    return "value" if count == 1 else f"measure-{index + 1}"


def _flatten(name: str, value: object, flat: dict[str, SnapshotValue]) -> None:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _flatten(f"{name}.{key}", inner, flat)
    elif isinstance(value, list | tuple) and any(isinstance(item, Mapping) for item in value):
        for index, item in enumerate(value):
            _flatten(f"{name}.{index}", item, flat)
    else:
        flat[name] = _plain(value)


def _plain(value: object) -> SnapshotValue:
    """A value in JSON terms: the same meaning gives the same value, however it was written."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, list | tuple):
        return tuple(_plain(item) for item in value)
    return str(value)
