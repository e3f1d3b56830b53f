"""`goalsite schema`: JSON Schema 2020-12 of goal and entry front matter, from fields.py.

The schema must accept every file of the example vault and reject what the loader reports as a
wrong value (F002, F003, F006). Files are read as an editor's YAML reader would: dates are text.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml
from jsonschema import Draft202012Validator

from goalsite.fields import ENTRY_FIELDS, GOAL_FIELDS, MEASURE_FIELDS
from goalsite.frontmatter import decode, split
from goalsite.schema import front_matter_schema, schema_json
from tests.conftest import EXAMPLE_VAULT, run_goalsite
from tests.test_load import BAD_CASES

SCHEMA_CHECKED = {"F002", "F003", "F006"}


def validator(kind: str | None) -> Draft202012Validator:
    return Draft202012Validator(front_matter_schema(kind),  # type: ignore[arg-type]
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def editor_view(data: bytes) -> object:
    """The front matter as JSON would hold it (dates as ISO text), read with the format's plain
    parser; `...` (Ellipsis) when it cannot be read at all."""
    text = decode(data, "x.md")
    document = split(text) if isinstance(text, str) else None
    if document is None or document.front is None:
        return ...
    try:
        if document.format == "toml":
            value = tomllib.loads(document.front)
        elif document.format == "json":
            value = json.loads(document.front)
        else:
            value = yaml.load(document.front, Loader=_EditorLoader)  # noqa: S506 (a safe loader)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, json.JSONDecodeError):
        return ...
    return _as_json(value)


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's YAML 1.2 reader sees it: a date stays text, and an integer too long
    for a number is infinite (JavaScript reads it so)."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

    def construct_yaml_int(self, node: yaml.ScalarNode) -> object:
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            return math.inf


_EditorLoader.add_constructor("tag:yaml.org,2002:int", _EditorLoader.construct_yaml_int)


def _as_json(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    return value


def _has_nan(value: object) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, dict):
        return any(_has_nan(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_nan(item) for item in value)
    return False


@pytest.mark.parametrize("kind", [None, "goal", "entry"])
def test_the_schema_is_a_valid_2020_12_schema(kind: str | None) -> None:
    schema = front_matter_schema(kind)  # type: ignore[arg-type]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_field_of_fields_py_is_in_the_schema() -> None:
    schema = front_matter_schema()
    assert list(schema["$defs"]["goal"]["properties"]) == [f.name for f in GOAL_FIELDS]
    assert list(schema["$defs"]["entry"]["properties"]) == [f.name for f in ENTRY_FIELDS]
    assert list(schema["$defs"]["measure"]["properties"]) == [f.name for f in MEASURE_FIELDS]
    assert schema["$defs"]["goal"]["required"] == ["title"]
    assert schema["$defs"]["entry"]["required"] == ["date"]


EXAMPLE_FILES = sorted(path.relative_to(EXAMPLE_VAULT).as_posix()
                       for path in EXAMPLE_VAULT.rglob("*.md")
                       if path.relative_to(EXAMPLE_VAULT).parts[0] in ("goals", "journal"))


def test_the_example_vault_has_goals_and_entries() -> None:
    kinds = {path.split("/")[0] for path in EXAMPLE_FILES}
    assert kinds == {"goals", "journal"} and len(EXAMPLE_FILES) > 50


@pytest.mark.parametrize("path", EXAMPLE_FILES)
def test_every_file_of_the_example_vault_is_valid(path: str) -> None:
    data = editor_view((EXAMPLE_VAULT / path).read_bytes())
    kind = "goal" if path.startswith("goals/") else "entry"
    for checked in (validator(kind), validator(None)):
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in checked.iter_errors(data)]
        assert errors == []


@pytest.mark.parametrize(("data", "expected", "becomes_goal"), BAD_CASES)
def test_the_loaders_fixtures_are_rejected_exactly_when_a_value_is_wrong(
        data: bytes, expected: list[tuple[str, int, int]], becomes_goal: bool) -> None:
    view = editor_view(data)
    if view is ... or not isinstance(view, dict):
        pytest.skip("the front matter cannot be read as a mapping: no schema applies")
    if _has_nan(view):
        pytest.skip("JSON has no NaN: no JSON Schema can refuse it (goalsite lint does)")
    wrong_value = any(code in SCHEMA_CHECKED for code, _, _ in expected)
    assert validator("goal").is_valid(view) is not wrong_value


GOAL_BASE = {"title": "Deliver 5 talks"}
BAD_GOALS = [
    pytest.param({"title": None}, id="null-title"),
    pytest.param({"horizon": "quartely"}, id="unknown-horizon"),
    pytest.param({"status": "done"}, id="unknown-status"),
    pytest.param({"review_every": "3 months"}, id="duration-in-words"),
    pytest.param({"review_every": "0d"}, id="zero-duration"),
    pytest.param({"due": "31/03/2026"}, id="date-not-iso"),
    pytest.param({"due": "2026-04-31"}, id="date-that-does-not-exist"),
    pytest.param({"weight": 0}, id="zero-weight"),
    pytest.param({"weight": "heavy"}, id="text-weight"),
    pytest.param({"parent": "Senior Leadership"}, id="parent-not-an-id"),
    pytest.param({"measures": [{"target": "five"}]}, id="text-target"),
    pytest.param({"measures": [{"aggregate": "total"}]}, id="unknown-aggregate"),
    pytest.param({"measures": [{"key": "Talks Given"}]}, id="measure-key-not-a-slug"),
    pytest.param({"obstacles": [{"plan": "no obstacle"}]}, id="obstacle-without-text"),
    pytest.param({"tags": {"a": 1}}, id="tags-as-mapping"),
    pytest.param({"specific": True}, id="boolean-text"),
]
GOOD_GOALS = [
    pytest.param({}, id="title-only"),
    pytest.param({"parent": "[[senior-leadership]]"}, id="parent-as-wiki-link"),
    pytest.param({"parent": [["Senior Leadership"]]}, id="parent-as-unquoted-wiki-link"),
    pytest.param({"measure": {"target": 5}, "review_every": "2w", "due": None}, id="single-measure"),
    pytest.param({"tags": "speaking", "resources": ["a", 3], "obstacles": ["Nerves"]}, id="short-forms"),
    pytest.param({"mood": "great"}, id="a-field-of-my-own"),
]


@pytest.mark.parametrize("fields", BAD_GOALS)
def test_wrong_goal_values_are_rejected(fields: dict[str, object]) -> None:
    assert not validator("goal").is_valid({**GOAL_BASE, **fields})


@pytest.mark.parametrize("fields", GOOD_GOALS)
def test_goal_short_forms_and_own_fields_are_accepted(fields: dict[str, object]) -> None:
    assert validator("goal").is_valid({**GOAL_BASE, **fields})


ENTRY_BASE = {"date": "2026-11-20", "goal": "company-presentations"}
BAD_ENTRIES = [
    pytest.param({"date": None}, id="no-date"),
    pytest.param({"date": "2026-13-01"}, id="no-month-13"),
    pytest.param({"kind": "diary"}, id="unknown-kind"),
    pytest.param({"values": {"talks": "one"}}, id="text-value"),
    pytest.param({"values": [1, 2]}, id="values-as-list"),
    pytest.param({"value": "3 talks"}, id="text-shorthand-value"),
    pytest.param({"confidence": 6}, id="confidence-above-5"),
    pytest.param({"confidence": 3.5}, id="confidence-not-whole"),
    pytest.param({"goals": ["ok", "Not OK"]}, id="goal-list-with-a-bad-id"),
]


@pytest.mark.parametrize("fields", BAD_ENTRIES)
def test_wrong_entry_values_are_rejected(fields: dict[str, object]) -> None:
    assert not validator("entry").is_valid({**ENTRY_BASE, **fields})


def test_the_combined_schema_chooses_by_type() -> None:
    combined = validator(None)
    assert combined.is_valid({"type": "entry", "date": "2026-11-20"})
    assert not combined.is_valid({"type": "entry", "title": "No date"})
    assert not combined.is_valid({"type": "goal", "date": "2026-11-20"})
    assert not combined.is_valid({"status": "done", "kind": "diary"})


def test_the_command_prints_the_schema(tmp_path: Path) -> None:
    whole = run_goalsite("schema")
    assert (whole.returncode, whole.stderr) == (0, "")
    assert whole.stdout == schema_json()
    goal = run_goalsite("schema", "--kind", "goal")
    assert json.loads(goal.stdout) == front_matter_schema("goal")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "x", "horizon": "decade"}, json.loads(goal.stdout))
    wrong = run_goalsite("schema", "--kind", "measure")
    assert wrong.returncode == 2


def test_the_files_goalsite_writes_are_valid() -> None:
    from goalsite.authoring import GoalDraft
    from goalsite.dates import Duration
    from goalsite.scaffold import goal_text
    from goalsite.starter import init_files

    today = dt.date(2026, 11, 23)
    files = init_files(today, dt.date(2029, 11, 23), title=None, owner=None, coach=None)
    files["goals/template.md"] = goal_text(
        GoalDraft("Deliver 5 talks", resources=("no",)), goal_id="talks", horizon="quarterly",
        start=today, due=dt.date(2027, 2, 21), review_every=Duration(90, "d"))
    for path, text in files.items():
        if path.endswith(".md") and path.startswith(("goals/", "journal/")):
            kind = "goal" if path.startswith("goals/") else "entry"
            assert validator(kind).is_valid(editor_view(text.encode())), path
