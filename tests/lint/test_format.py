"""The F codes whose failing examples are not text one can paste into Markdown (F009: bytes
that are not UTF-8; F013: front matter too deep or too large), through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goalsite.lint import get_rule
from tests.conftest import run_goalsite
from tests.lint.examples import TODAY


def lint_json(root: Path, *args: str) -> list[dict[str, object]]:
    result = run_goalsite("--today", str(TODAY), "lint", str(root), "--format", "json", *args)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(("data", "position"), [
    # `Présenter` saved as Latin-1: the byte E9 alone is not UTF-8.
    (b"---\ntitle: Pr\xe9senter 5 fois\n---\n", (2, 10)),
    (b"\x00\x01\x02\x03PNG", (1, 1)),
], ids=["latin-1", "binary"])
def test_f009_a_file_that_is_not_utf8_text(tmp_path: Path, write, data: bytes, position) -> None:
    write("goals/presenting.md", data)
    write("goals/other.md", "---\ntitle: Deliver 5 company presentations\n---\n")
    found = lint_json(tmp_path, "--select", "F")
    assert [(f["path"], f["line"], f["column"], f["code"], f["severity"]) for f in found] == [
        ("goals/presenting.md", *position, "F009", "error")]


def test_f009_the_documented_example_is_the_latin1_file(tmp_path: Path, write) -> None:
    rule = get_rule("F009")
    assert rule is not None and "50 72 E9 73 65 6E 74 65 72" in rule.doc
    write("goals/presenting.md", bytes.fromhex("2d2d2d0a7469746c653a20") + bytes.fromhex(
        "50 72 E9 73 65 6E 74 65 72") + b" 5 fois\n---\n")
    assert [f["code"] for f in lint_json(tmp_path, "--select", "F")] == ["F009"]


def test_f013_front_matter_nested_a_hundred_levels(tmp_path: Path, write) -> None:
    write("goals/presenting.md", "---\ntitle: Deep\ntags: " + "[" * 100 + "]" * 100 + "\n---\n")
    found = lint_json(tmp_path, "--select", "F")
    assert [(f["path"], f["line"], f["code"]) for f in found] == [("goals/presenting.md", 3, "F013")]


def test_f013_front_matter_too_large(tmp_path: Path, write) -> None:
    write("goals/presenting.md", '---\ntitle: Big\nnotes: "' + "a" * 600_000 + '"\n---\n')
    found = lint_json(tmp_path, "--select", "F")
    assert [(f["path"], f["line"], f["column"], f["code"]) for f in found] == [
        ("goals/presenting.md", 2, 1, "F013")]


def test_a_broken_file_costs_no_other_file_its_findings(tmp_path: Path, write) -> None:
    write("goals/broken.md", b"\xff\xfe---\x00")
    write("goals/vague.md", "---\ntitle: Get better at presenting\n---\n")
    found = lint_json(tmp_path, "--select", "F009,S002")
    assert [(f["path"], f["code"]) for f in found] == [
        ("goals/broken.md", "F009"), ("goals/vague.md", "S002")]
