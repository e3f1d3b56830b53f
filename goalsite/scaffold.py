"""The text of the files `goalsite new` and `log` create, and of `goalsite.toml` (SPEC §9).

The goal template is laid out from `fields.GOAL_FIELDS` and `MEASURE_FIELDS`, each field with
its own description as a comment, and `goalsite.toml` from `config.TOP_LEVEL_KEYS` and
`LINT_KEYS` with `Config()`'s defaults, so neither drifts from what the loader reads (tests
check both). Values from the command line are written with PyYAML's quoting, never pasted raw.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING

import yaml

from goalsite.config import LINT_KEYS, TOP_LEVEL_KEYS, Config, LintConfig
from goalsite.dates import Duration
from goalsite.fields import GOAL_FIELD, MEASURE_FIELDS
from goalsite.model import EntryKind, Goal, Horizon

if TYPE_CHECKING:
    from goalsite.authoring import GoalDraft

# The template walks through the letters in order; `type` and `measure` are left out (the folder
# says what the file is; `measures:` is the general form of `measure:`).
GOAL_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("S — Specific: what exactly, who, where and why", ("title", "id", "specific")),
    ("M — Measurable: the numbers that show progress (goalsite log ID KEY=N adds one)",
     ("measures",)),
    ("A — Achievable: why it is realistic", ("achievable", "resources", "obstacles")),
    ("R — Relevant: why it matters now, and what it serves", ("horizon", "parent", "category",
                                                              "relevant", "weight")),
    ("T — Time-bound: when it starts, ends and is reviewed", ("start", "due", "deadline",
                                                              "review_every")),
    ("Who, and where it stands", ("status", "owner", "coach", "tags", "url", "lint")),
)
TEMPLATE_OMITS = frozenset({"type", "measure"})
_COMMENT_COLUMN = 26

# What each kind of entry asks (SPEC §2.3); the answers go under each question.
ENTRY_PROMPTS: Mapping[str, tuple[str, ...]] = {
    "check-in": ("What moved since the last check-in?", "What got in the way?",
                 "What is the next step, and when?"),
    "review": ("Where does each measure stand against its road?",
               "Is the goal still the right one? Still relevant to its parent?",
               "What will you keep, stop and start for the next period?",
               "Do the target, due date or resources need to change?"),
    "session": ("What did you talk about?", "What did you agree to do, by when?"),
    "reflection": ("What have you noticed?", "What does it mean for the goal?"),
    "obstacle": ("What is in the way?", "What is the plan to get past it?"),
    "win": ("What went well?", "What made it work, and how can you repeat it?"),
    "feedback": ("Who gave the feedback, and what did they say?", "What will you do with it?"),
}


# -- goal template ----------------------------------------------------------------------------

def goal_text(draft: GoalDraft, *, goal_id: str, horizon: Horizon, start: dt.date,
              due: dt.date, review_every: Duration) -> str:
    """A goal file: every field with a comment, filled from `draft` where it says something."""
    values: dict[str, object] = {
        "title": draft.title.strip(), "id": goal_id, "specific": draft.specific,
        "achievable": draft.achievable, "resources": list(draft.resources),
        "obstacles": [], "horizon": horizon, "parent": draft.parent,
        "category": draft.category, "relevant": draft.relevant, "weight": 1,
        "start": start, "due": due, "deadline": None, "review_every": str(review_every),
        "status": "active", "owner": None, "coach": None, "tags": [], "url": None, "lint": None,
    }
    lines = ["---"]
    for heading, names in GOAL_SECTIONS:
        lines.append(f"# {heading}")
        for name in names:
            if name == "measures":
                lines.extend(_measure_lines(draft))
            else:
                lines.append(_field_line(name, values[name], GOAL_FIELD[name].description))
    lines.append("---")
    body = (f"\n# {_one_line(draft.title)}\n\n"
            "Notes, plans and links for this goal go here, in Markdown. Run `goalsite lint` to\n"
            "see what the goal still needs to be S.M.A.R.T.\n")
    return "\n".join(lines) + "\n" + body


def _one_line(text: str) -> str:
    """`text` for a Markdown heading: its words on one line."""
    return " ".join(text.split())


def _measure_lines(draft: GoalDraft) -> list[str]:
    from goalsite.readers import slugify

    values: dict[str, object] = {
        "key": slugify(draft.measure) if draft.measure else None,
        "name": draft.measure, "unit": draft.unit, "baseline": draft.baseline,
        "target": draft.target, "aggregate": draft.aggregate or "last", "direction": None,
    }
    lines: list[str] = []
    for index, field in enumerate(MEASURE_FIELDS):
        line = _field_line(field.name, values[field.name], field.description, indent="    ")
        lines.append(("  - " + line[4:]) if index == 0 else line)
    heading = f"{'measures:':<{_COMMENT_COLUMN}}# {GOAL_FIELD['measures'].description}"
    given = (draft.measure, draft.unit, draft.baseline, draft.target, draft.aggregate)
    if any(value is not None for value in given):
        return [heading, *lines]
    # No measure given: an empty one would count as a measure and stop the goal's progress from
    # rolling up from its children (SPEC §3), so the skeleton stays commented out.
    return [heading, "  # Remove the `# ` before these lines to add a measure; a goal whose progress",
            "  # comes from its child goals needs none.",
            *(line[:2] + "# " + line[2:] for line in lines)]


def _field_line(name: str, value: object, comment: str, indent: str = "") -> str:
    """`name: value` with `# comment` after it (or above it when the line is long)."""
    if name in ("obstacles", "resources", "tags") and isinstance(value, list) and value:
        items = "".join(f"\n{indent}  - {yaml_scalar(item)}" for item in value)
        return f"{indent}# {comment}\n{indent}{name}:{items}"
    if name == "obstacles":
        comment = f"{comment}: - {{obstacle: …, plan: …}}"
    if isinstance(value, str):
        text = yaml_text(name, value, indent)
    else:
        text = f"{indent}{name}: {yaml_scalar(value)}".rstrip()
    if len(text) < _COMMENT_COLUMN - 1 and "\n" not in text:
        return f"{text:<{_COMMENT_COLUMN}}# {comment}"
    return f"{indent}# {comment}\n{text}"


def yaml_scalar(value: object) -> str:
    """`value` as one line of YAML that reads back as the same value (empty for None)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(float(value))
    if isinstance(value, list) and not value:
        return "[]"
    if isinstance(value, str) and any(_needs_escape(char) for char in value):
        return _double_quoted(value)
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10**9, default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...")


def _needs_escape(char: str) -> bool:
    """Line breaks (YAML folds them) and characters YAML does not allow raw in a file."""
    code = ord(char)
    return (code < 0x20 or 0x7F <= code <= 0x9F or char in "\u2028\u2029\ufeff"
            or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF))


_NAMED_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _double_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar on one line, escaping what must be escaped."""
    out = []
    for char in text:
        if char in "\"\\":
            out.append("\\" + char)
        elif char in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[char])
        elif _needs_escape(char):
            out.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def yaml_text(name: str, text: str, indent: str = "") -> str:
    """`name: text`, a long one-paragraph text folded (`>`) over lines of about 88 characters."""
    if len(text) < 60 or text != text.strip() or "  " in text \
            or any(_needs_escape(char) for char in text):
        return f"{indent}{name}: {yaml_scalar(text)}"
    wrapped = textwrap.wrap(text, width=86 - len(indent), break_long_words=False,
                            break_on_hyphens=False)
    return f"{indent}{name}: >\n" + "\n".join(f"{indent}  {line}" for line in wrapped)


def number_text(value: float) -> str:
    """5.0 → `5`, 4.5 → `4.5`."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


# -- journal entries --------------------------------------------------------------------------

def entry_template(goal: Goal, kind: EntryKind, day: dt.date) -> str:
    """An entry about `goal` to fill in: its measures listed (commented out) under `values:`."""
    lines = ["---", f"date: {day.isoformat()}", f"goal: {goal.id}", f"kind: {kind}"]
    if goal.measures:
        lines.append("values:                   # a number for each measure that moved; "
                     "remove the # to use a line")
        for measure in goal.measures:
            about = measure.label + (f", in {measure.unit}" if measure.unit else "")
            lines.append(f"  # {measure.key + ':':<{_COMMENT_COLUMN - 4}}# {about}")
    lines.append(f"{'confidence:':<{_COMMENT_COLUMN}}# 1–5: how sure you are the goal will be met")
    lines.append("---")
    title = _one_line(goal.title or goal.id)
    body = [f"# {kind.capitalize()}: {title}", ""]
    for prompt in ENTRY_PROMPTS[kind]:
        body.extend([f"## {prompt}", "", ""])
    return "\n".join(lines) + "\n\n" + "\n".join(body).rstrip() + "\n"


def check_in_text(goal: Goal, day: dt.date, values: Mapping[str, float], message: str | None,
                  confidence: int | None) -> str:
    """A check-in entry of `goalsite log`: the values, and the message as its body."""
    # The journal lists entries by title; without one it would show the file name.
    title = yaml_scalar(f"Check-in: {goal.title or goal.id}")
    lines = ["---", f"date: {day.isoformat()}", f"title: {title}", f"goal: {goal.id}",
             "kind: check-in"]
    if values:
        lines.append("values:")
        lines.extend(f"  {key}: {number_text(value)}" for key, value in values.items())
    if confidence is not None:
        lines.append(f"confidence: {confidence}")
    lines.append("---")
    text = "\n".join(lines) + "\n"
    if message and message.strip():
        text += "\n" + message.strip() + "\n"
    return text


# -- goalsite.toml ----------------------------------------------------------------------------

# The Config attribute that holds each key of goalsite.toml.
_ATTRIBUTE = {"goals": "goals_dir", "journal": "journal_dir"}


def config_text(*, title: str | None = None, owner: str | None = None,
                coach: str | None = None) -> str:
    """goalsite.toml with every key, its description as a comment, and its default value.

    A key without a default (owner, coach, today) is written commented out with an example,
    unless a value is given.
    """
    given = {"title": title or (f"{owner}'s goals" if owner else None), "owner": owner,
             "coach": coach}
    defaults = Config()
    lines = ["# The settings of this goalsite vault (SPEC §7). Every key is listed with its",
             "# default; change what you need. An unknown key is reported by `goalsite lint`.", ""]
    for key, (description, example) in TOP_LEVEL_KEYS.items():
        if key == "lint":
            continue
        value = given.get(key) or getattr(defaults, _ATTRIBUTE.get(key, key))
        lines.append(f"# {description}")
        if value is None:
            lines.append(f"# {key} = {example}")
        else:
            lines.append(f"{key} = {toml_value(value)}")
    lines.extend(["", f"# {TOP_LEVEL_KEYS['lint'][0]}", "[lint]"])
    lint_defaults = LintConfig()
    for key, (description, _) in LINT_KEYS.items():
        lines.append(f"# {description}")
        value = getattr(lint_defaults, key)
        if key == "horizons":  # spans in days: "90d", or ["365d", "1095d"] for a range
            value = {horizon: f"{low}d" if low == high else [f"{low}d", f"{high}d"]
                     for horizon, (low, high) in value.items()}
        lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def toml_value(value: object) -> str:
    """A TOML literal for a default value of Config."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (str, Duration)):
        return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_toml_key(k)} = {toml_value(v)}" for k, v in value.items()) \
            + " }" if value else "{}"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")



def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)
