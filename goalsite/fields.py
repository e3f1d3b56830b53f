"""The front-matter fields of goals, measures, obstacles and entries (SPEC §2.1–§2.3).

This is the one list of fields: `load.py` checks types against it and suggests a field for a
typo, `schema.py` turns it into JSON Schema, and `docs/format.md` shows it as tables (a test
keeps the page in step). A `Field` says what a value must be; it does not read files.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import yaml

from goalsite.model import AGGREGATES, DIRECTIONS, ENTRY_KINDS, HORIZONS, STATUSES

Kind = Literal[
    "text",            # a string (a YAML boolean such as `no` is refused: quote it)
    "slug",            # a string matching SLUG_PATTERN
    "slug-list",       # one slug, or a list of slugs
    "date",            # YYYY-MM-DD, unquoted or quoted
    "date-or-datetime",  # YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]
    "duration",        # 14d, 2w, 3m, 1y
    "number",          # int or float, finite
    "positive-number",  # a number > 0
    "integer-range",   # a whole number from `minimum` to `maximum`
    "enum",            # one of `choices`
    "text-list",       # one text, or a list of text
    "measures",        # a list of measure mappings (MEASURE_FIELDS)
    "measure",         # one measure mapping
    "obstacles",       # a list of obstacle mappings (OBSTACLE_FIELDS)
    "values",          # a mapping of measure key → number
    "lint",            # a mapping {ignore: [codes]}
]

# SPEC §2.1: ids are lowercase ASCII words joined by hyphens.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
DOCUMENT_TYPES: tuple[str, ...] = ("goal", "entry")


@dataclass(frozen=True)
class Field:
    """One front-matter field: its name, what its value must be, and how to explain it.

    `default` is the value used when the field is absent, as JSON would hold it (None when the
    default is computed, then `default_text` says how); `example` is a value as YAML reads it
    (a date is a `datetime.date`).
    """

    name: str
    kind: Kind
    description: str
    example: object
    required: bool = False
    default: object = None
    default_text: str | None = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    @property
    def default_label(self) -> str:
        """The default in words, for docs: `active`, `from goalsite.toml`, or empty."""
        if self.default_text:
            return self.default_text
        if self.default is None:
            return ""
        if isinstance(self.default, bool):
            return "true" if self.default else "false"
        return str(self.default)

    @property
    def type_label(self) -> str:
        """The value's kind in words, for docs and messages."""
        if self.kind == "enum":
            return " | ".join(f"`{choice}`" for choice in self.choices)
        if self.kind == "integer-range":
            return f"whole number {self.minimum:g}–{self.maximum:g}"
        return _KIND_LABELS[self.kind]


_KIND_LABELS: Mapping[str, str] = {
    "text": "text",
    "slug": "id (`a-z`, `0-9`, `-`)",
    "slug-list": "id or list of ids",
    "date": "date `YYYY-MM-DD`",
    "date-or-datetime": "date or date and time",
    "duration": "duration (`14d`, `2w`, `3m`, `1y`)",
    "number": "number",
    "positive-number": "number > 0",
    "integer-range": "whole number",
    "enum": "one of",
    "text-list": "list of text",
    "measures": "list of measures",
    "measure": "one measure",
    "obstacles": "list of `{obstacle, plan}`",
    "values": "mapping measure key → number",
    "lint": "`{ignore: [codes]}`",
}

_GOAL_TYPE = Field("type", "enum", "what the file is; overrides the folder it is in", "goal",
                   choices=DOCUMENT_TYPES, default_text="from the folder")
_ENTRY_TYPE = Field("type", "enum", "what the file is; overrides the folder it is in", "entry",
                    choices=DOCUMENT_TYPES, default_text="from the folder")

GOAL_FIELDS: tuple[Field, ...] = (
    Field("title", "text", "what the goal is, in one line", "Deliver 5 company presentations",
          required=True),
    Field("id", "slug", "the goal's id, unique in the vault; entries and children refer to it",
          "company-presentations", default_text="the file name, slugified"),
    _GOAL_TYPE,
    Field("horizon", "enum", "the cascade level: 1–3 years, 12 months, 90 days, 30 days, 7 days",
          "quarterly", choices=HORIZONS),
    Field("parent", "slug", "the id of the longer-horizon goal this one serves",
          "senior-leadership"),
    Field("category", "text", "a group such as leadership, career, work-life or skills",
          "leadership"),
    Field("status", "enum", "where the goal stands", "active", choices=STATUSES,
          default="active"),
    Field("owner", "text", "whose goal it is", "Alex Morgan",
          default_text="`owner` of goalsite.toml"),
    Field("coach", "text", "who coaches it", "Sam Lee", default_text="`coach` of goalsite.toml"),
    Field("start", "date", "when work on the goal began", dt.date(2026, 1, 5),
          default_text="first commit of the file in git, else its modification date"),
    Field("due", "date", "the planned finish", dt.date(2026, 3, 31)),
    Field("deadline", "date", "a hard external date; `due` should leave a buffer before it",
          dt.date(2026, 4, 30)),
    Field("review_every", "duration", "how often to review the goal", "30d", default="90d",
          default_text="`review_every` of goalsite.toml, else 90d"),
    Field("specific", "text", "what exactly, who, where and why",
          "Present our team's roadmap at five all-hands meetings."),
    Field("measures", "measures", "the measurable results (see Measures)",
          [{"key": "talks", "name": "Presentations delivered", "baseline": 0, "target": 5,
            "aggregate": "sum"}]),
    Field("measure", "measure", "a single measure, instead of a `measures` list",
          {"name": "Presentations delivered", "baseline": 0, "target": 5, "aggregate": "sum"}),
    Field("achievable", "text", "why it is realistic: skills, time, money, support",
          "I present monthly to my own team already."),
    Field("resources", "text-list", "what is needed: training, a mentor, budget",
          ["Toastmasters membership", "slot in the all-hands agenda"]),
    Field("relevant", "text", "why it matters now and how it serves the parent goal",
          "Visibility with senior leaders is the gap named in my last review."),
    Field("obstacles", "obstacles", "anticipated obstacles and the plan for each",
          [{"obstacle": "Stage fright", "plan": "Rehearse twice with a colleague"}]),
    Field("weight", "positive-number", "weight in the parent's roll-up", 1, default=1),
    Field("tags", "text-list", "free labels", ["speaking"]),
    Field("lint", "lint", "silence lint rules for this file", {"ignore": ["A002"]}),
    Field("url", "text", "a link to more about the goal", "https://example.com/okr/42"),
)

MEASURE_FIELDS: tuple[Field, ...] = (
    Field("key", "slug", "the name entries use in `values:`; needed with more than one measure",
          "talks", default_text="the name, slugified; `value` for a lone measure"),
    Field("name", "text", "what is measured", "Company presentations delivered"),
    Field("unit", "text", "the unit of the numbers", "presentations"),
    Field("baseline", "number", "where it stood at `start`", 0),
    Field("target", "number", "where it must be at `due`", 5),
    Field("aggregate", "enum", "how journal values combine", "sum", choices=AGGREGATES,
          default="last"),
    Field("direction", "enum", "whether more is better; needed only without a baseline", "up",
          choices=DIRECTIONS, default_text="from baseline → target, else up"),
)

OBSTACLE_FIELDS: tuple[Field, ...] = (
    Field("obstacle", "text", "what may get in the way", "Quarter-end crunch", required=True),
    Field("plan", "text", "what you will do when it happens", "Book the slots in advance"),
)

LINT_FIELDS: tuple[Field, ...] = (
    Field("ignore", "text-list", "rule codes or prefixes to silence in this file", ["A002"]),
)

ENTRY_FIELDS: tuple[Field, ...] = (
    Field("date", "date-or-datetime", "when it happened", dt.date(2026, 2, 14), required=True),
    Field("title", "text", "the entry's title", "Second all-hands talk",
          default_text="the first `# heading`, else its kind and date (`Check-in · 2026-11-22`)"),
    _ENTRY_TYPE,
    Field("goal", "slug", "the id of the goal the entry is about", "company-presentations"),
    Field("goals", "slug-list", "the ids of several goals the entry is about",
          ["company-presentations", "senior-leadership"]),
    Field("kind", "enum", "what sort of entry it is; `review` and `session` reset the review clock",
          "check-in", choices=ENTRY_KINDS, default="check-in"),
    Field("values", "values", "numbers for the goals' measures, by measure key",
          {"talks": 1, "feedback": 4.5}),
    Field("value", "number", "the number for a goal with a single measure", 1),
    Field("confidence", "integer-range", "how sure you are the goal will be met", 4,
          minimum=1, maximum=5),
    Field("tags", "text-list", "free labels", ["speaking"]),
    Field("lint", "lint", "silence lint rules for this file", {"ignore": ["J002"]}),
)

GOAL_FIELD = {field.name: field for field in GOAL_FIELDS}
MEASURE_FIELD = {field.name: field for field in MEASURE_FIELDS}
OBSTACLE_FIELD = {field.name: field for field in OBSTACLE_FIELDS}
LINT_FIELD = {field.name: field for field in LINT_FIELDS}
ENTRY_FIELD = {field.name: field for field in ENTRY_FIELDS}


def suggest(name: str, known: Mapping[str, Field] | tuple[str, ...]) -> str | None:
    """The known field `name` is most likely a typo of, if any (`dew` → `due`)."""
    return _closest_field(name, tuple(known))


@functools.lru_cache(maxsize=4096)
def _closest_field(name: str, names: tuple[str, ...]) -> str | None:
    """`suggest`, remembered: a vault repeats its unknown keys in every file (difflib is slow)."""
    folded = name.strip().lower().replace(" ", "_").replace("-", "_")
    if folded != name and folded in names:
        return folded
    found = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.6)
    return found[0] if found else None


# Words people write for a choice that are no typo of it (`average` is far from `mean`).
CHOICE_SYNONYMS: Mapping[str, str] = {
    "average": "mean", "avg": "mean", "total": "sum", "count": "sum", "latest": "last",
    "current": "last", "maximum": "max", "highest": "max", "best": "max", "minimum": "min",
    "lowest": "min", "increase": "up", "higher": "up", "more": "up", "decrease": "down",
    "lower": "down", "less": "down", "done": "achieved", "complete": "achieved",
    "completed": "achieved", "finished": "achieved", "met": "achieved", "failed": "missed",
    "abandoned": "dropped", "cancelled": "dropped", "canceled": "dropped", "on-hold": "paused",
    "hold": "paused", "idea": "draft", "annual": "yearly", "year": "yearly", "quarter": "quarterly",
    "month": "monthly", "week": "weekly", "vision": "long-term", "3-year": "long-term",
    "retro": "review", "retrospective": "review", "coaching": "session", "note": "reflection",
}


def suggest_choice(value: str, choices: tuple[str, ...]) -> str | None:
    """The choice `value` most likely means: a synonym (`average` → `mean`), else a typo's
    closest choice (`quartrly` → `quarterly`)."""
    folded = value.strip().lower().replace("_", "-").replace(" ", "-")
    synonym = CHOICE_SYNONYMS.get(folded)
    if synonym in choices:
        return synonym
    if folded in choices:
        return folded
    found = difflib.get_close_matches(folded, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


# -- docs/format.md: its field tables are generated from the lists above (STYLE habit 7) ------

FIELD_TABLES: Mapping[str, tuple[Field, ...]] = {
    "goal": GOAL_FIELDS,
    "measure": MEASURE_FIELDS,
    "obstacle": OBSTACLE_FIELDS,
    "entry": ENTRY_FIELDS,
}
_TABLE_BLOCK = re.compile(r"(<!-- fields:(\w+) -->\n).*?(<!-- /fields -->)", re.DOTALL)


def example_yaml(field: Field) -> str:
    """`field`'s example as one line of YAML: `due: 2026-03-31`."""
    text = yaml.safe_dump({field.name: field.example}, default_flow_style=True, sort_keys=False,
                          allow_unicode=True, width=10**6).strip()
    return text[1:-1]


def field_table(fields: tuple[Field, ...]) -> str:
    """A Markdown table of `fields`: name, type, default, meaning, example."""
    rows = ["| field | type | default | what it is | example |", "|---|---|---|---|---|"]
    for field in fields:
        default = "**required**" if field.required else field.default_label
        if field.default is not None and not field.default_text:
            default = f"`{default}`"
        cells = (f"`{field.name}`", field.type_label, default, field.description,
                 f"`{example_yaml(field)}`")
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"


def render_format_doc(text: str) -> str:
    """`text` (docs/format.md) with every `<!-- fields:NAME -->` block regenerated."""
    return _TABLE_BLOCK.sub(
        lambda match: match.group(1) + field_table(FIELD_TABLES[match.group(2)]) + match.group(3),
        text)
