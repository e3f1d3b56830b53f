"""The loader on real vault folders: good files become records, bad ones findings (SPEC §2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from goalsite import yamlnodes
from goalsite.dates import Duration
from goalsite.errors import UsageError
from goalsite.load import load_vault

GOOD_GOAL = """
---
title: Deliver 5 company presentations
horizon: quarterly
parent: leadership
start: 2026-01-05
due: 2026-03-31
measures:
  - key: talks
    name: Presentations delivered
    baseline: 0
    target: 5
    aggregate: sum
---
Body.
"""


def codes(vault) -> list[tuple[str, str, int, int]]:
    return [(f.path, f.code, f.line, f.column) for f in vault.findings]


def test_a_well_formed_vault_loads_with_defaults(tmp_path: Path, write) -> None:
    write("goalsite.toml", 'owner = "Alex Morgan"\ncoach = "Sam Lee"\nreview_every = "30d"\n')
    write("goals/talks.md", GOOD_GOAL)
    write("goals/leadership.md", """
        ---
        title: Move into senior leadership
        horizon: long-term
        status: draft
        owner: Someone Else
        ---
        """)
    write("notes/elsewhere.md", "---\ntype: goal\ntitle: Declared elsewhere\n---\n")
    write("journal/2026/02-14 second talk.md", """
        ---
        date: 2026-02-14
        goal: talks
        values:
          talks: 1
        ---
        # Second talk

        It went well.
        """)
    write("journal/2026/02-01.md", "---\ndate: 2026-02-01T18:30:00\ngoals: [talks, leadership]\nvalue: 1\nkind: review\n---\n")
    vault = load_vault(tmp_path)
    assert codes(vault) == []
    assert [goal.id for goal in vault.goals] == ["elsewhere", "leadership", "talks"]
    talks = vault.goal("talks")
    assert talks is not None
    assert (talks.title, talks.status, talks.owner, talks.coach) == (
        "Deliver 5 company presentations", "active", "Alex Morgan", "Sam Lee")
    assert talks.review_every == Duration(30, "d")
    assert (talks.start, talks.start_given, talks.due) == (dt.date(2026, 1, 5), True, dt.date(2026, 3, 31))
    assert talks.measures[0].key == "talks" and talks.measures[0].direction == "up"
    assert talks.position_of(("measures", 0, "target")).line == 11
    assert talks.body == "Body.\n" and talks.source.body_line == 14
    assert talks.given == frozenset({"title", "horizon", "parent", "start", "due", "measures"})
    lead = vault.goal("leadership")
    assert lead is not None and (lead.status, lead.owner) == ("draft", "Someone Else")
    assert [entry.id for entry in vault.entries] == ["2026-02-01", "2026-02-14-second-talk"]
    first, second = vault.entries
    assert (first.date, first.time, first.goals, first.kind) == (
        dt.date(2026, 2, 1), dt.time(18, 30), ("talks", "leadership"), "review")
    assert first.values[0].key is None and first.values[0].number == 1.0
    assert second.title == "Second talk"
    assert [e.id for e in vault.entries_for("talks")] == ["2026-02-01", "2026-02-14-second-talk"]
    assert vault.children("leadership") == (talks,)
    assert vault.files == ("goals/leadership.md", "goals/talks.md",
                           "journal/2026/02-01.md", "journal/2026/02-14 second talk.md",
                           "notes/elsewhere.md")


def test_start_comes_from_first_seen_then_from_the_file_date(tmp_path: Path, write) -> None:
    write("goals/a.md", "---\ntitle: A\n---\n")
    write("goals/b.md", "---\ntitle: B\n---\n")
    import os
    os.utime(tmp_path / "goals/b.md", (1767225600, 1767225600))  # 2026-01-01 00:00 UTC
    vault = load_vault(tmp_path, first_seen={"goals/a.md": dt.date(2025, 6, 1)})
    a, b = vault.goals
    assert (a.start, a.start_given) == (dt.date(2025, 6, 1), False)
    assert (b.start, b.start_given) == (dt.date(2026, 1, 1), False)


def test_a_root_that_is_not_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        load_vault(tmp_path / "missing")
    (tmp_path / "file.md").write_text("x")
    with pytest.raises(UsageError):
        load_vault(tmp_path / "file.md")


# -- bad input: each case is one broken file beside a good one (issue 3, SPEC §8) -------------

GOOD = b"---\ntitle: Good goal\ndue: 2026-12-31\n---\nStill loads.\n"
BAD_CASES = [
    pytest.param(b"---\ntitle: x\nstatus: [active\n---\n", [("F001", 4, 1)], False, id="invalid-yaml"),
    pytest.param(b"---\ntitle: Never closed\ndue: 2026-01-01\n", [("F007", 1, 1)], False,
                 id="unterminated-front-matter"),
    pytest.param(b"# Just a heading\n\nNo fields.\n", [("F007", 1, 1)], False, id="no-front-matter"),
    pytest.param(b"", [("F007", 1, 1)], False, id="empty-file"),
    pytest.param(b"---\ntitle: Caf\xe9 goal\n---\n", [("F009", 2, 11)], False, id="non-utf8-bytes"),
    pytest.param(b"\xef\xbb\xbf---\ntitle: BOM goal\ndue: 2026-02-30\n---\n", [("F003", 3, 6)], True,
                 id="utf8-bom"),
    pytest.param(b"---\r\ntitle: CRLF goal\r\ndue: 2026-02-30\r\n---\r\nbody\r\n", [("F003", 3, 6)], True,
                 id="crlf-line-ends"),
    pytest.param(b"---\ntitle: x\n---\nbody\n---\nstatus: off\n", [], True, id="dashes-inside-body"),
    pytest.param(b"---\ntitle: x\ndue: 2026-01-01\ndue: 2026-02-01\n---\n", [("F004", 4, 1)], True,
                 id="duplicate-keys"),
    pytest.param(b"---\ntitle: x\nstatus: off\ncategory: no\n---\n", [("F002", 3, 9), ("F002", 4, 11)],
                 True, id="yaml-boolean-where-text-is-expected"),
    pytest.param(b"---\ntitle: x\ndue: 2026-02-30\n---\n", [("F003", 3, 6)], True, id="invalid-date"),
    pytest.param(b"---\ntitle: x\ndue: \"2026-02-30\"\n---\n", [("F003", 3, 6)], True,
                 id="invalid-date-as-string"),
    pytest.param(b"---\ntitle: x\nstart: '2026-01-05'\ndue: \"2026-03-01\"\n---\n", [], True,
                 id="date-as-a-string-is-a-date"),
    pytest.param(b"---\ntitle: x\nweight: .nan\nmeasures:\n  - target: .inf\n    baseline: 1e999\n---\n",
                 [("F002", 3, 9), ("F002", 5, 13), ("F002", 6, 15)], True, id="nan-inf-huge"),
    pytest.param(b"---\ntitle: x\nweight: " + b"9" * 5000 + b"\n---\n", [("F002", 3, 9)], True,
                 id="5000-digit-integer"),
    pytest.param(b"---\ntitle: x\nweight: 1" + b"0" * 400 + b"\n---\n", [("F002", 3, 9)], True,
                 id="integer-too-large-for-a-float"),
    # YAML also breaks lines at NEL and U+2028; editors and goalsite count only line feeds.
    pytest.param("---\ntitle: \"a\x85b\u2028c\"\ndue: 2026-02-30\n---\n".encode(), [("F003", 3, 6)], True,
                 id="nel-and-line-separator-in-text"),
    pytest.param("---\ntitle: \"a\x85b\u2028c\"\nstatus: [active\n---\n".encode(), [("F001", 4, 1)], False,
                 id="nel-and-line-separator-before-a-syntax-error"),
    pytest.param(b"---\ntitle: x\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                 b"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                 b"d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n", [("F012", 3, 4)], True, id="alias-bomb"),
    pytest.param(b"---\ntitle: !!python/object/apply:os.system [touch /tmp/pwned]\n---\n",
                 [("F012", 2, 8)], True, id="python-object-tag"),
    pytest.param(b"---\ntitle: x\nid: goals/../../etc\n---\n", [("F006", 3, 5)], False, id="id-with-path"),
    pytest.param(b"---\ntitle: x\nid: ..\n---\n", [("F006", 3, 5)], False, id="id-dot-dot"),
    pytest.param(b"---\ntitle: x\n---\n\x00\x01\x02\xff binary", [("F009", 4, 1)], False,
                 id="binary-file-named-md"),
    pytest.param(b"---\n- title\n- due\n---\n", [("F008", 2, 1)], False, id="front-matter-is-a-list"),
    pytest.param(b"---\njust a sentence\n---\n", [("F008", 2, 1)], False, id="front-matter-is-a-scalar"),
    pytest.param(b"\n\n---\ntitle: Blank lines first\ndue: 2026-02-30\n---\n", [("F003", 5, 6)], True,
                 id="blank-lines-before-fence"),
    pytest.param(b"+++\ntitle = \"TOML\"\nweight = nan\n+++\n", [("F002", 3, 10)], True, id="toml-nan"),
    pytest.param(b'{\n  "title": "JSON",\n  "title": "again",\n  "weight": 1e999\n}\n',
                 [("F004", 3, 3), ("F002", 4, 13)], True, id="json-duplicate-and-infinity"),
]


@pytest.fixture(params=["c-loader", "pure-loader"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with PyYAML's C loader (when libyaml is there) and with its pure-Python one,
    the fallback of an install without libyaml: both must give the same findings."""
    if request.param == "c-loader":
        if not yaml.__with_libyaml__:
            pytest.skip("this PyYAML has no libyaml: only the pure loader can run")
        monkeypatch.setattr(yamlnodes, "_LOADER", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(yamlnodes, "_LOADER", yaml.SafeLoader)
    return request.param


@pytest.mark.parametrize(("data", "expected", "becomes_goal"), BAD_CASES)
def test_a_bad_file_is_a_finding_and_the_good_file_still_loads(
        tmp_path: Path, write, loader: str, data: bytes, expected: list[tuple[str, int, int]],
        becomes_goal: bool) -> None:
    write("goals/good.md", GOOD)
    write("goals/bad.md", data)
    vault = load_vault(tmp_path)
    found = [(f.code, f.line, f.column) for f in vault.findings
             if f.path == "goals/bad.md" and f.severity == "error"]
    assert found == expected
    assert all(f.path == "goals/bad.md" for f in vault.findings)
    assert vault.goal("good") is not None and vault.goal("good").due == dt.date(2026, 12, 31)
    assert (vault.goal("bad") is not None) == becomes_goal


def test_a_billion_laughs_is_refused_without_expanding(tmp_path: Path, write, loader: str) -> None:
    # Ten levels of ten aliases: 10**10 strings if anything expanded them (SPEC §8).
    lines = ["---", "title: Laughs", "a0: &a0 lol"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 11)]
    write("goals/good.md", GOOD)
    write("goals/laughs.md", "\n".join([*lines, "---", ""]))
    vault = load_vault(tmp_path)
    errors = [(f.path, f.code, f.line, f.column) for f in vault.findings if f.severity == "error"]
    assert errors == [("goals/laughs.md", "F012", 3, 5)]  # the first anchor; a0…a10 are F010 info
    laughs = vault.goal("laughs")
    assert laughs is not None and laughs.title == "Laughs"
    assert vault.goal("good") is not None


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system [\"touch {marker}\"]",
    "!!python/object/new:os.system [\"touch {marker}\"]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!<tag:yaml.org,2002:python/object/apply:os.system> [\"touch {marker}\"]",
    "!custom {{x: 1}}",
], ids=["apply", "new", "name", "module", "verbatim", "local-tag"])
def test_language_tags_are_never_constructed(tmp_path: Path, write, loader: str, tag: str) -> None:
    marker = tmp_path / "constructed"
    write("vault/goals/evil.md", f"---\ntitle: Evil\ncategory: {tag.format(marker=marker)}\n---\n")
    vault = load_vault(tmp_path / "vault")
    assert not marker.exists()
    assert codes(vault) == [("goals/evil.md", "F012", 3, 11)]
    evil = vault.goal("evil")
    assert evil is not None and evil.category is None


def test_messages_quote_the_users_words(tmp_path: Path, write) -> None:
    write("goals/bad.md", b"---\ntitle: x\nstatus: off\ndue: 2026-02-30\ndew: 2026-03-01\n---\n")
    messages = [(f.code, f.message, f.fix) for f in load_vault(tmp_path).findings]
    assert messages == [
        ("F002", "status: off is read by YAML as the boolean false, not as text",
         "Write status: active — one of draft, active, paused, achieved, missed, dropped."),
        ("F003", "due: 2026-02-30 is not a date: February has 28 days in 2026", "Write due: 2026-02-28."),
        ("F010", "`dew` is not a goal field — did you mean `due`?", "Rename it to `due`."),
    ]


def test_a_duplicate_json_key_names_the_line_of_the_first(tmp_path: Path, write) -> None:
    write("goals/a.json.md", '{\n  "title": "First",\n  "due": "2026-05-01",\n  "title": "Again"\n}\n')
    assert [(f.code, f.line, f.column, f.message, f.fix) for f in load_vault(tmp_path).findings] == [
        ("F004", 4, 3, "`title` is set twice (first on line 2); the last one is used",
         'Keep one "title" and delete the other.')]


def test_a_date_written_as_a_string_is_a_date(tmp_path: Path, write) -> None:
    write("goals/a.md", b"---\ntitle: A\nstart: '2026-01-05'\ndue: \"2026-03-01\"\n---\n")
    goal = load_vault(tmp_path).goal("a")
    assert goal is not None and (goal.start, goal.due) == (dt.date(2026, 1, 5), dt.date(2026, 3, 1))


def test_duplicate_ids_report_the_later_file(tmp_path: Path, write) -> None:
    write("goals/a.md", "---\ntitle: First\nid: talks\n---\n")
    write("goals/b/talks.md", "---\ntitle: Second\n---\n")
    write("goals/c.md", "---\ntitle: Third\n\nid: talks\n---\n")
    vault = load_vault(tmp_path)
    assert codes(vault) == [("goals/b/talks.md", "F005", 1, 1), ("goals/c.md", "F005", 4, 5)]
    assert [(goal.id, goal.title) for goal in vault.goals] == [("talks", "First")]


def test_a_symlink_out_of_the_vault_is_not_followed(tmp_path: Path, write) -> None:
    vault_root = tmp_path / "vault"
    write("outside/secret.md", "---\ntitle: Secret\n---\n")
    write("outside/dir/other.md", "---\ntitle: Other\n---\n")
    write("vault/goals/good.md", GOOD)
    (vault_root / "goals" / "secret.md").symlink_to(tmp_path / "outside" / "secret.md")
    (vault_root / "goals" / "dir").symlink_to(tmp_path / "outside" / "dir")
    vault = load_vault(vault_root)
    assert codes(vault) == [("goals/dir", "F009", 1, 1), ("goals/secret.md", "F009", 1, 1)]
    assert [(f.message, f.fix) for f in vault.findings] == [
        ("the symbolic link goals/dir points outside the vault; goalsite does not follow it",
         "Copy the folder into the vault, or delete the link."),
        ("the symbolic link goals/secret.md points outside the vault; goalsite does not follow it",
         "Copy the file into the vault, or delete the link."),
    ]
    assert [goal.id for goal in vault.goals] == ["good"]
    assert vault.files == ("goals/good.md",)


def test_a_symlink_loop_counts_no_file_twice(tmp_path: Path, write) -> None:
    write("goals/good.md", GOOD)
    write("goals/sub/deeper.md", "---\ntitle: Deeper\n---\n")
    (tmp_path / "goals" / "sub" / "loop").symlink_to(tmp_path / "goals")
    (tmp_path / "goals" / "alias.md").symlink_to(tmp_path / "goals" / "good.md")
    (tmp_path / "goals" / "self.md").symlink_to(tmp_path / "goals" / "self.md")
    vault = load_vault(tmp_path)
    assert codes(vault) == [("goals/sub/loop", "F009", 1, 1)]
    assert [(f.message, f.fix) for f in vault.findings] == [
        ("the symbolic link goals/sub/loop loops back to a folder that contains it; goalsite does "
         "not follow it", "Delete the link: goalsite already reads that folder.")]
    assert vault.files == ("goals/alias.md", "goals/sub/deeper.md")
    assert [goal.id for goal in vault.goals] == ["alias", "deeper"]


def test_a_5_mb_body_loads(tmp_path: Path, write) -> None:
    body = ("A line of a very long journal entry with [a link](https://example.com).\n" * 72000)
    write("goals/good.md", GOOD)
    write("goals/big.md", "---\ntitle: Big\ndue: 2026-02-30\n---\n" + body)
    assert len((tmp_path / "goals" / "big.md").read_bytes()) > 5_000_000
    vault = load_vault(tmp_path)
    assert codes(vault) == [("goals/big.md", "F003", 3, 6)]
    assert vault.goal("big") is not None and len(vault.goal("big").body) == len(body)


def test_a_file_over_16_mb_is_refused_unread(tmp_path: Path, write) -> None:
    write("goals/good.md", GOOD)
    with open(tmp_path / "goals" / "huge.md", "wb") as huge:
        huge.write(b"---\ntitle: Huge\n---\n")
        huge.truncate(17 * 1024 * 1024)  # a sparse file: 17 MB without writing them
    vault = load_vault(tmp_path)
    assert [(f.path, f.code, f.line, f.column, f.message) for f in vault.findings] == [
        ("goals/huge.md", "F013", 1, 1, "the file is 17 MB, over the 16 MB goalsite reads")]
    assert [goal.id for goal in vault.goals] == ["good"]


DEEP = """
import sys
if sys.argv[2] == "pure-loader":
    # An install whose PyYAML has no libyaml: the C extension cannot be imported at all.
    sys.modules["yaml._yaml"] = sys.modules["_yaml"] = None
from pathlib import Path
import yaml
from goalsite import yamlnodes
from goalsite.load import load_vault
vault = load_vault(Path(sys.argv[1]))
print(yamlnodes._LOADER.__name__)
print(sorted((f.path, f.code, f.line, f.column) for f in vault.findings), [g.id for g in vault.goals])
"""


@pytest.mark.parametrize("mode", ["c-loader", "pure-loader"])
def test_30000_levels_of_nesting_are_refused_before_parsing(tmp_path: Path, write, mode: str) -> None:
    # In a subprocess: were the guard missing, PyYAML's C loader would crash the whole process
    # (and the pure one would raise RecursionError).
    import subprocess
    import sys

    if mode == "c-loader" and not yaml.__with_libyaml__:
        pytest.skip("this PyYAML has no libyaml")
    write("goals/good.md", GOOD)
    write("goals/flow.md", b"---\ntitle: x\na: " + b"[" * 30000 + b"]" * 30000 + b"\n---\n")
    write("goals/block.md", b"---\ntitle: x\nk:\n" + b"- " * 30000 + b"x\n---\n")
    write("goals/indent.md", b"---\ntitle: x\n" + b"".join(b" " * i + b"k:\n" for i in range(200)) + b"---\n")
    write("goals/json.md", b"{\n\"a\": " + b"[" * 30000 + b"]" * 30000 + b"\n}\n")
    # TOML nests without brackets too: dotted keys and table headers
    write("goals/dotted.md", b"+++\ntitle = \"x\"\n" + b".".join([b"a"] * 30000) + b" = 1\n+++\n")
    write("goals/table.md", b"+++\ntitle = \"x\"\n[" + b".".join([b"a"] * 30000) + b"]\nb = 1\n+++\n")
    done = subprocess.run([sys.executable, "-c", DEEP, str(tmp_path), mode], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "CSafeLoader" if mode == "c-loader" else "SafeLoader",
        "[('goals/block.md', 'F013', 4, 127), ('goals/dotted.md', 'F013', 3, 1), "
        "('goals/flow.md', 'F013', 3, 67), ('goals/indent.md', 'F013', 67, 65), "
        "('goals/json.md', 'F013', 2, 69), ('goals/table.md', 'F013', 3, 1)] ['good']"]


def test_the_c_loader_is_chosen_when_libyaml_is_there() -> None:
    if not yaml.__with_libyaml__:
        pytest.skip("this PyYAML has no libyaml: the pure loader is the right choice")
    assert yamlnodes._LOADER is yaml.CSafeLoader


@pytest.mark.parametrize(("text", "where"), [
    pytest.param("---\ntitle: Big\nspecific: {words}\n---\nbody\n", (2, 1), id="yaml"),
    pytest.param('+++\ntitle = "Big"\nspecific = "{words}"\n+++\nbody\n', (2, 1), id="toml"),
    pytest.param('{{\n"title": "Big",\n"specific": "{words}"\n}}\nbody\n', (1, 1), id="json"),
])
def test_front_matter_over_512_kb_is_refused_unread(tmp_path: Path, write, text: str,
                                                    where: tuple[int, int]) -> None:
    write("goals/good.md", GOOD)
    write("goals/big.md", text.format(words="word " * 130_000))  # 650,000 characters: 634 KB
    vault = load_vault(tmp_path)
    assert [(f.code, f.line, f.column, f.message) for f in vault.findings] == [
        ("F013", *where, "the front matter is 634 KB, over the 512 KB goalsite reads")]
    assert vault.goal("big") is None and vault.goal("good") is not None


# -- any bytes at all: never an exception, every finding inside the file (SPEC §8) -------------

YAML_PIECES = ["---", "+++", "{", "}", "[", "]", ":", ": ", "- ", "&a ", "*a", "!!", "!!python/object ",
               "'", '"', "#", "|", ">", "\n", "\n  ", "\t", "\r\n", "\ufeff", "\x00", "\x85", "title",
               "due", "measures", "2026-02-30", "1e999", ".nan", "off", "9" * 50, "<<: *a", "? ", ",",
               "=", "\\", "%YAML 1.1\n", "é", "\ud7ff"]
text_pieces = st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join)
fenced = st.tuples(st.sampled_from(["---\n", "+++\n", "{\n", "\n---\n", ""]), text_pieces,
                   st.sampled_from(["\n---\n", "\n+++\n", "\n}\n", ""]), text_pieces).map("".join)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(fenced, min_size=1, max_size=3), raw=st.binary(max_size=200))
def test_nothing_in_a_file_makes_the_loader_raise(texts: list[str], raw: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "goals").mkdir()
        files = {f"goals/g{i}.md": text.encode("utf-8", "surrogatepass") for i, text in enumerate(texts)}
        files["goals/raw.md"] = raw
        files["goals/good.md"] = GOOD
        for name, data in files.items():
            (root / name).write_bytes(data)
        vault = load_vault(root)
    assert vault.goal("good") is not None
    for finding in vault.findings:
        lines = files[finding.path].count(b"\n") + files[finding.path].count(b"\r") + 1
        assert 1 <= finding.line <= lines and finding.column >= 1, finding
        assert finding.message and finding.fix.endswith((".", "?", ")", "`", '"')), finding


@pytest.mark.parametrize(("line", "message", "fix"), [
    ("status: done", "status: done is not one of draft, active, paused, achieved, missed, dropped — "
     "did you mean `achieved`?", "Write status: achieved."),
    ("horizon: quartrly", "horizon: quartrly is not one of long-term, yearly, quarterly, monthly, "
     "weekly — did you mean `quarterly`?", "Write horizon: quarterly."),
    ("horizon: Long Term", "horizon: Long Term is not one of long-term, yearly, quarterly, monthly, "
     "weekly — did you mean `long-term`?", "Write horizon: long-term."),
    ("measure: {target: 5, aggregate: average}", "measure.aggregate: average is not one of last, sum, "
     "mean, max, min — did you mean `mean`?", "Write measure.aggregate: mean."),
    ("measure: {target: 5, direction: decrease}", "measure.direction: decrease is not one of up, down — "
     "did you mean `down`?", "Write measure.direction: down."),
], ids=["synonym", "typo", "spaced-and-capitalised", "aggregate-synonym", "direction-synonym"])
def test_a_wrong_choice_suggests_the_one_meant(tmp_path: Path, write, line: str, message: str,
                                               fix: str) -> None:
    write("goals/a.md", f"---\ntitle: A\n{line}\n---\n")
    found = [(f.code, f.message, f.fix) for f in load_vault(tmp_path).findings]
    assert found == [("F002", message, fix)]


def test_toml_dotted_keys_and_inline_tables_together_are_too_deep(tmp_path: Path, write) -> None:
    # 40 dotted levels and 30 inline tables: neither check before parsing trips, the parsed
    # data is measured once more
    key = ".".join(["a"] * 40)
    write("goals/good.md", GOOD)
    write("goals/mixed.md", f'+++\ntitle = "x"\n{key} = ' + "{b = " * 30 + "1" + "}" * 30 + "\n+++\n")
    vault = load_vault(tmp_path)
    assert codes(vault) == [("goals/mixed.md", "F013", 2, 1)]
    assert vault.goal("good") is not None


def test_type_overrides_the_folder(tmp_path: Path, write) -> None:
    write("goals/entry-in-goals.md", "---\ntype: entry\ndate: 2026-02-01\ngoal: g\nvalue: 3\n---\n")
    write("journal/goal-in-journal.md", "---\ntype: goal\ntitle: G\nid: g\n---\n")
    write("notes/plain.md", "---\ntitle: A note, neither goal nor entry\n---\n")
    write("goals/task.md", "---\ntype: task\ntitle: T\n---\n")
    vault = load_vault(tmp_path)
    assert [goal.id for goal in vault.goals] == ["g", "task"]  # a wrong type keeps the folder's
    assert [(entry.id, entry.goals) for entry in vault.entries] == [("goals-entry-in-goals", ("g",))]
    assert [(f.path, f.code, f.line, f.column, f.message) for f in vault.findings] == [
        ("goals/task.md", "F002", 2, 7, "type: task is not one of goal, entry")]


def test_wrong_types_are_named_in_the_users_words(tmp_path: Path, write) -> None:
    write("goals/a.md", b"---\ntitle: [a, b]\nweight: no\nmeasures: 5\ncategory: {x: 1}\nparent: 2026-01-01\n---\n")
    write("goals/b.md", b"---\njust a sentence\n---\n")
    write("journal/c.md", b"---\ngoal: a\n---\n")
    messages = [(f.path, f.code, f.line, f.column, f.message) for f in load_vault(tmp_path).findings]
    assert messages == [
        ("goals/a.md", "F002", 2, 8, 'title: ["a", "b"] is a list, not text'),
        ("goals/a.md", "F002", 3, 9, "weight: no is read by YAML as true/false, not a number"),
        ("goals/a.md", "F002", 4, 11, "measures: 5 is a number, not a list of measures"),
        ("goals/a.md", "F002", 5, 11, 'category: {"x": 1} is a mapping, not text'),
        ("goals/a.md", "F002", 6, 9, "parent: 2026-01-01 is a date, not a goal id like senior-leadership"),
        ("goals/b.md", "F008", 2, 1, "the front matter is the single value `just a sentence`, not a set of fields"),
        ("journal/c.md", "F002", 1, 1, "the entry has no date"),
    ]


def test_a_vault_loaded_without_bodies_is_the_same_but_for_them(tmp_path: Path) -> None:
    # lint, status, review and export show no body, and load none (issue 10, memory).
    root = tmp_path / "vault"
    (root / "goals").mkdir(parents=True)
    (root / "journal").mkdir()
    (root / "goals" / "talks.md").write_text(
        "---\ntitle: Give talks\n---\nNotes, see [[other]].\n", encoding="utf-8")
    (root / "journal" / "2026-02-14.md").write_text(
        "---\ndate: 2026-02-14\ngoal: talks\n---\n# Gave a talk\n\nIt went well.\n", encoding="utf-8")
    full, lean = load_vault(root), load_vault(root, bodies=False)
    assert full.goals[0].body == "Notes, see [[other]].\n" and full.goals[0].source.links == ("other",)
    assert lean.goals[0].body == "" and lean.entries[0].body == ""
    assert lean.entries[0].title == full.entries[0].title == "Gave a talk"
    assert [(g.id, g.title, g.given) for g in lean.goals] == [(g.id, g.title, g.given) for g in full.goals]
    assert lean.findings == full.findings
