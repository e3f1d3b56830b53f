"""Decoding and splitting front matter: BOM, CRLF, bad bytes, fences, and python-frontmatter's
own fixtures (`../shared/corpora/python-frontmatter-tests`), which must all agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goalsite.finding import Finding
from goalsite.frontmatter import decode, parse, split
from goalsite.model import Position

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "python-frontmatter-tests" / "tests"


def metadata(text: str) -> object:
    document = split(text)
    assert document.front is not None
    parsed = parse(document, "x.md")
    assert parsed.findings == []
    return parsed.data


def fixture_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(path for path in CORPUS.rglob("*") if path.is_file()
                  and not path.name.endswith(".result.json") and path.name != "LICENSE"
                  and path.with_suffix(".result.json").exists())


@pytest.mark.parametrize("path", fixture_files(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_python_frontmatter_fixtures_give_their_metadata(path: Path) -> None:
    expected = json.loads(path.with_suffix(".result.json").read_text(encoding="utf-8"))
    content = expected.pop("content")
    text = decode(path.read_bytes(), path.name)
    assert isinstance(text, str)
    document = split(text)
    if document.front is None:
        assert expected == {}
    else:
        parsed = parse(document, path.name)
        assert parsed.findings == []
        assert parsed.data == expected
    assert document.body.strip() == content.strip()


def test_the_fixture_corpus_is_there_or_the_test_says_why() -> None:
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent (a user's clone has no ../shared/corpora)")
        pytest.skip(f"{CORPUS} is absent (a user's clone has no ../shared/corpora)")
    assert len(fixture_files()) == 11


def test_a_bom_is_dropped_and_crlf_becomes_lf() -> None:
    assert decode("\ufeff---\r\ntitle: a\r\n---\r\nbody\rmore".encode(), "x.md") == \
        "---\ntitle: a\n---\nbody\nmore"


@pytest.mark.parametrize(("data", "where"), [
    pytest.param(b"---\ntitle: caf\xe9\n---\n", (2, 11), id="latin-1"),
    pytest.param("---\ntitle: é".encode() + b"\xff\n", (2, 9), id="after-a-wide-character"),
    pytest.param(b"\xff\xfe-\x00-\x00", (1, 4), id="utf-16-has-nul"),
])
def test_bad_bytes_point_at_the_first_bad_byte(data: bytes, where: tuple[int, int]) -> None:
    found = decode(data, "x.md")
    assert isinstance(found, Finding)
    assert (found.code, found.line, found.column) == ("F009", *where)


def test_blank_lines_before_the_fence_are_allowed_and_lines_still_count() -> None:
    document = split("\n\n---\ntitle: a\n---\nbody\n")
    assert (document.format, document.front, document.front_line) == ("yaml", "title: a\n", 4)
    assert (document.start, document.body, document.body_line) == (Position(3, 1), "body\n", 6)
    assert parse(document, "x.md").keys[("title",)] == Position(4, 1)


def test_three_dashes_in_the_body_stay_in_the_body() -> None:
    document = split("---\na: 1\n---\nx\n---\ny\n")
    assert (document.front, document.body, document.body_line) == ("a: 1\n", "x\n---\ny\n", 4)


def test_unterminated_and_missing_front_matter() -> None:
    assert split("---\ntitle: a\n").unterminated
    missing = split("# Title\n")
    assert (missing.format, missing.front, missing.unterminated) == (None, None, False)
    assert split("").front is None


def test_toml_and_json_front_matter_keep_key_positions() -> None:
    toml = split('+++\ntitle = "T"\n[[measures]]\nkey = "a"\ntarget = 5\n+++\nbody')
    parsed = parse(toml, "x.md")
    assert parsed.data == {"title": "T", "measures": [{"key": "a", "target": 5}]}
    assert parsed.keys[("measures", 0, "target")] == Position(5, 1)
    assert parsed.values[("title",)] == Position(2, 9)
    js = split('{\n  "title": "J",\n  "due": "2026-01-01"\n}\nbody')
    parsed = parse(js, "x.md")
    assert parsed.data == {"title": "J", "due": "2026-01-01"}
    assert parsed.keys[("due",)] == Position(3, 3)
    assert js.body == "body"


def test_yaml_positions_cover_nested_keys_and_list_items() -> None:
    parsed = parse(split("---\nmeasures:\n  - key: a\n    target: 5\ntags: [x, y]\n---\n"), "x.md")
    assert parsed.keys[("measures", 0, "target")] == Position(4, 5)
    assert parsed.values[("measures", 0, "target")] == Position(4, 13)
    assert parsed.values[("tags", 1)] == Position(5, 11)


def test_yaml_booleans_keep_how_they_were_written() -> None:
    parsed = parse(split("---\nstatus: off\nok: yes\n---\n"), "x.md")
    assert parsed.data == {"status": False, "ok": True}
    assert parsed.booleans == {("status",): "off", ("ok",): "yes"}
