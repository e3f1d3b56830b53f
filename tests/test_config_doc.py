"""docs/configuration.md stays in step with goalsite/config.py (STYLE habit 7): one section per
key of `TOP_LEVEL_KEYS` and `LINT_KEYS` and no other, each default as `Config()` has it, every
TOML example read cleanly by goalsite's own loader, and its F011 example's output exact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from goalsite.config import HORIZON_SPANS, LINT_KEYS, TOP_LEVEL_KEYS, Config, LintConfig, parse_config
from goalsite.lint.engine import settings_findings
from goalsite.scaffold import toml_value
from tests.conftest import REPO, run_goalsite

DOC = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
# `### \`key\``, then its text up to the next heading.
SECTIONS = dict(re.findall(r"^### `([^`]+)`\n(.*?)(?=^#)", DOC + "\n#", re.MULTILINE | re.DOTALL))
TOML_BLOCKS = re.findall(r"^```toml\n(.*?)^```", DOC, re.MULTILINE | re.DOTALL)
_ATTRIBUTE = {"goals": "goals_dir", "journal": "journal_dir"}


def documented_keys() -> set[str]:
    return set(SECTIONS)


def config_keys() -> set[str]:
    # `lint` is the table itself: its keys are documented as `lint.KEY` under "The [lint] table".
    return {key for key in TOP_LEVEL_KEYS if key != "lint"} | {f"lint.{key}" for key in LINT_KEYS}


def test_every_key_of_config_py_has_a_section_and_no_section_names_another() -> None:
    assert "## The `[lint]` table" in DOC
    assert sorted(config_keys() - documented_keys()) == [], "keys missing from the doc"
    assert sorted(documented_keys() - config_keys()) == [], "the doc documents keys config.py lacks"


@pytest.mark.parametrize("key", sorted(config_keys()))
def test_each_section_gives_type_default_and_an_example_of_its_own_key(key: str) -> None:
    text = SECTIONS[key]
    default = re.search(r"\*\*Type:\*\* .+ · \*\*Default:\*\* (.+)", text)
    assert default, f"{key}: no **Type:** … · **Default:** … line"
    name = key.removeprefix("lint.")
    value = getattr(LintConfig() if key.startswith("lint.") else Config(), _ATTRIBUTE.get(name, name))
    if key == "lint.horizons":
        assert default.group(1) == "the table below"
    elif value is None:
        assert default.group(1).startswith("none")
    else:
        assert default.group(1).startswith(f"`{toml_value(value)}`"), key
    examples = re.findall(r"^```toml\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert len(examples) == 1, key
    # The example sets this key (in its table when it is a [lint] key).
    written = re.compile(rf"^(\[{re.escape(key)}\]|{re.escape(name)} = )", re.MULTILINE)
    assert written.search(examples[0]), key
    if key.startswith("lint."):
        assert examples[0].startswith("[lint"), key


def test_the_horizon_table_is_the_default_spans() -> None:
    rows = re.findall(r"^\| `([a-z-]+)` \| (\d+)(?: to (\d+))? days? \|$", SECTIONS["lint.horizons"],
                      re.MULTILINE)
    assert {name: (int(low), int(high or low)) for name, low, high in rows} == dict(HORIZON_SPANS)


@pytest.mark.parametrize("block", TOML_BLOCKS, ids=[block.split("\n")[-2] for block in TOML_BLOCKS])
def test_every_toml_example_is_read_without_findings(block: str) -> None:
    config, findings = parse_config(block)
    assert findings == ()
    assert settings_findings(config.lint) == ()
    assert config != Config()  # it changed something: each example shows a setting at work


def test_the_mistakes_example_prints_what_the_doc_shows(tmp_path: Path) -> None:
    console = re.search(r"^```console\n\$ cat goalsite.toml\n(.*?)^\$ (goalsite .*?)\n(.*?)^```",
                        DOC, re.MULTILINE | re.DOTALL)
    assert console
    toml, command, output = console.groups()
    (tmp_path / "goalsite.toml").write_text(toml, encoding="utf-8")
    args = command.split()[1:]
    done = run_goalsite(*args, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, output)
