"""Bad input never crashes the linter (SPEC §8, issue 4): every field of goals, measures and
entries, and every `[lint]` setting, gets values of every type — YAML's booleans, NaN, dates
that do not exist, deep lists, huge numbers, control characters — and lint must answer with
findings that point inside the file, in every output format."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalsite.config import LINT_KEYS
from goalsite.fields import ENTRY_FIELDS, GOAL_FIELDS, LINT_FIELDS, MEASURE_FIELDS, OBSTACLE_FIELDS
from goalsite.finding import SEVERITIES
from goalsite.lint import get_rule, lint_vault
from goalsite.lint.report import FORMATS, render
from goalsite.load import load_vault

TODAY = dt.date(2026, 11, 23)
IDS = ("alpha", "beta", "gamma")

# Scalars as YAML text that have tripped parsers and type checks before.
TRICKY_YAML = (
    "no", "yes", "on", "off", "~", "null", ".nan", ".inf", "-.inf", "2026-02-30", "2026-13-01",
    "2026-06-30", "2026-06-30T25:61:00", "2026-06-30 10:00:00+02:00", "1e400", "-0", "0",
    "99999999999999999999999999999", "0x1F", "0o17", "1_000", "3.5", "-2", "''", '" "', "[]",
    "{}", "[a, [b, {c: d}]]", "{ignore: [S, 5, null]}", "active", "draft", "quarterly", "sum",
    "down", "90d", "0d", "-3m", "2w", "talks", "alpha", "../etc", "Alpha Beta", "'\\t'",
    '"a\\u0000b"', '"\\u202eevil"', "|\n  block\n  text", ">\n  folded", "- a\n  - b", "!!str 5",
    "&a x", "*a",
)
LINT_TOML = (
    '["S", "M001"]', '["", "ALL"]', "[1, 2]", '"S"', "3", "-1", "0", "1e308", "nan", "inf", "true",
    '{ S001 = "info" }', '{ S001 = "loud" }', '{ quarterly = "13w" }',
    '{ long-term = ["3y", "1y"] }', '{ weekly = ["1d", "1y"], nope = "1d" }', '{ monthly = 30 }',
    '"90d"', "2026-11-23",
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
# A value as YAML text: a tricky scalar, or any JSON (JSON is YAML's flow style).
yaml_value = st.sampled_from(TRICKY_YAML) | json_values.map(lambda v: json.dumps(v, allow_nan=True))


# A goal and an entry that pass most rules, so that a random value reaches the rules' own
# arithmetic (dates, paces, buffers) instead of stopping at a missing field.
GOAL_BASE = {
    "title": "Deliver 5 company presentations", "horizon": "quarterly", "parent": "beta",
    "start": "2026-01-05", "due": "2026-12-31", "deadline": "2027-01-31",
    "measures": "[{key: talks, unit: talks, baseline: 0, target: 5, aggregate: sum}]",
    "specific": "I will present my team's results at 5 all-hands by December, so that they know",
    "achievable": "I present weekly", "resources": "[time]", "relevant": "It matters now",
}
ENTRY_BASE = {"kind": "check-in", "values": "{talks: 1}"}


def mapping_text(fields: tuple[str, ...], nested: st.SearchStrategy[str],
                 base: dict[str, str]) -> st.SearchStrategy[str]:
    """Front-matter lines setting some of `fields` (and an unknown one) to random values, over
    a `base` that is either kept for the fields not chosen or left out entirely."""
    names = st.lists(st.sampled_from((*fields, "tittle", "x")), max_size=8, unique=True)
    chosen_values = names.flatmap(lambda chosen: st.tuples(*(
        st.one_of(yaml_value, nested) if name in ("measures", "measure", "obstacles", "lint",
                                                   "values") else yaml_value
        for name in chosen
    )).map(lambda values, chosen=chosen: dict(zip(chosen, values))))
    return st.tuples(chosen_values, st.booleans()).map(lambda pair: "\n".join(
        f"{name}: {_indent(value)}"
        for name, value in ({**base, **pair[0]} if pair[1] else pair[0]).items()))


def _indent(value: str) -> str:
    return value.replace("\n", "\n  ") if "\n" in value else value


def _flow(fields: tuple[str, ...]) -> st.SearchStrategy[str]:
    """A flow mapping of some of `fields`, like `{key: talks, target: no}`."""
    return st.lists(st.tuples(st.sampled_from(fields), st.sampled_from(TRICKY_YAML[:50])),
                    max_size=5).map(lambda pairs: "{" + ", ".join(
                        f"{k}: {v}" for k, v in pairs if "\n" not in v) + "}")


measure = _flow(tuple(f.name for f in MEASURE_FIELDS))
nested = st.one_of(
    st.lists(measure, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
    measure,
    _flow(tuple(f.name for f in OBSTACLE_FIELDS)).map(lambda item: f"[{item}]"),
    _flow(tuple(f.name for f in LINT_FIELDS)),
    _flow(("talks", "hours", "value", "x")),
)
goal_text = mapping_text(tuple(f.name for f in GOAL_FIELDS), nested, GOAL_BASE)
entry_text = mapping_text(tuple(f.name for f in ENTRY_FIELDS), nested, ENTRY_BASE)
config_text = st.lists(st.tuples(st.sampled_from((*LINT_KEYS, "pace_factr")), st.sampled_from(LINT_TOML)),
                       max_size=4, unique_by=lambda pair: pair[0]).map(
    lambda pairs: "[lint]\n" + "".join(f"{k} = {v}\n" for k, v in pairs))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(goals=st.lists(goal_text, min_size=1, max_size=3), entries=st.lists(entry_text, max_size=3),
       config=config_text, wrapper=st.sampled_from(("yaml", "yaml", "yaml", "bom-crlf", "none")))
def test_lint_never_crashes_on_random_front_matter(goals: list[str], entries: list[str],
                                                   config: str, wrapper: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "goals").mkdir()
        (root / "journal").mkdir()
        (root / "goalsite.toml").write_text(config, encoding="utf-8")
        files: dict[str, bytes] = {}
        for index, text in enumerate(goals):
            files[f"goals/{IDS[index]}.md"] = _wrap(f"id: {IDS[index]}\n{text}", wrapper)
        for index, text in enumerate(entries):
            files[f"journal/e{index}.md"] = _wrap(f"date: 2026-0{index + 3}-01\ngoal: alpha\n{text}",
                                                  wrapper)
        for relative, data in files.items():
            (root / relative).write_bytes(data)

        vault = load_vault(root)
        report = lint_vault(vault, TODAY)

        for finding in report.findings:
            assert get_rule(finding.code) is not None, finding
            assert finding.severity in SEVERITIES
            assert finding.message and finding.fix
            assert "\n" not in finding.message and "\n" not in finding.fix, finding
            if finding.path in files:
                lines = files[finding.path].decode("utf-8", "replace").splitlines()
                assert 1 <= finding.line <= len(lines) + 1, finding
                assert finding.column >= 1, finding
        for output in FORMATS:
            render(report, output)
        for goal in vault.goals:
            assert len(report.smart(goal.id)) == 9


def _wrap(text: str, wrapper: str) -> bytes:
    if wrapper == "none":
        return text.encode("utf-8", "surrogatepass")
    document = f"---\n{text}\n---\n\nBody.\n"
    if wrapper == "bom-crlf":
        return "\ufeff".encode() + document.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    return document.encode("utf-8", "surrogatepass")
