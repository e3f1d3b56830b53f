"""The plain-subset reader (plainyaml.py) must give exactly what composing with PyYAML gives:
the same values, key and value positions, booleans as written and findings — or step aside."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalsite import plainyaml, yamlnodes

# Read by the plain reader: what generated and hand-written front matter mostly looks like.
INSIDE = [
    "title: Give 4 talks\ndate: 2026-02-14\ngoal: talks\nkind: check-in\nvalue: 1\n",
    "title: Plan\nmeasures:\n  - name: Talks given\n    key: talks\n    baseline: 0\n    target: 4.5\n"
    "  - name: Feedback\n    key: feedback\nobstacles:\n  - obstacle: Crunch\n    plan: Book early\n"
    "tags: [speaking, career, 2026]\nresources:\n- Toastmasters membership\n- a mentor\n",
    "values:\n  talks: 1\n  feedback: 4.5\nconfidence: 4\n\n\ndue: 2026-02-30\n",
    "flag: yes\nother: off\nn: ~\nbig: 123456789012345678901234567890\nrate: .inf\nclock: 1:30\n",
    "title: R&D it's *the* plan, with [brackets] and C#\nurl: http://example.com/a?b=c\n",
    "when: 2026-02-14 10:30\nempty: []\nitems: [ a ,b,  c d ]\nlist:\n  - - \n",
    "  indented: 1\n  second: two\n",
    "- a\n- b\n",
    "title: é and 😀 and ünïcode\nsecond: Ça va €5\nnumber: -5\nsci: 1e5\nunderscored: 1_000\nhex: 0x1F\n",
]

# Outside the subset: the reader declines and PyYAML reads them, findings and all.
OUTSIDE = [
    'title: "quoted"\n', "title: 'quoted'\n", "title: x # comment\n", "# comment\ntitle: x\n",
    "title: a: b\n", "title:\n", "title:\ndue: 2026-01-01\n", "a: 1\na: 2\n", "text: |\n  block\n",
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: {b: 1}\n", "a: [x, [y]]\n", "a: [x,]\n", "title: one\n  two\n",
    "\ta: 1\n", "just a sentence\n", "", "a: x\u2028y\n", "a: 1\n--- b\n", "a b: 1\n",
    "- a\nb: 1\n", "a:\n  - b\n - c\n", "a: x:\n", "a: @x\n", "a: %x\n", "a: `x`\n",
]


def _parsed(text: str, *, plain: bool, monkeypatch: pytest.MonkeyPatch) -> yamlnodes.Parsed:
    with monkeypatch.context() as patch:
        if not plain:
            patch.setattr(yamlnodes, "read_plain", lambda *args: None)
        return yamlnodes.compose(text, "goals/x.md", 2)


def _same(first: yamlnodes.Parsed, second: yamlnodes.Parsed) -> None:
    assert repr(first.data) == repr(second.data)  # repr: True is not 1, a date not a string
    assert list(first.keys.items()) == list(second.keys.items())
    assert list(first.values.items()) == list(second.values.items())
    assert first.findings == second.findings
    assert first.booleans == second.booleans


@pytest.mark.parametrize("text", INSIDE)
def test_the_plain_reader_reads_the_common_front_matter_as_pyyaml_does(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if "- - " in text:  # a list in a list: outside, checked below all the same
        assert plainyaml.read(text, 2, lambda *args: None) is None
    else:
        assert plainyaml.read(text, 2, lambda *args: None) is not None
    _same(_parsed(text, plain=True, monkeypatch=monkeypatch),
          _parsed(text, plain=False, monkeypatch=monkeypatch))


@pytest.mark.parametrize("text", OUTSIDE)
def test_the_plain_reader_steps_aside_for_the_rest_of_yaml(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert plainyaml.read(text, 2, lambda *args: None) is None
    _same(_parsed(text, plain=True, monkeypatch=monkeypatch),
          _parsed(text, plain=False, monkeypatch=monkeypatch))


def test_a_finding_made_before_the_reader_steps_aside_is_not_made_twice(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # `.nan` is reported while reading line 1; line 2 leaves the subset; PyYAML reports it once.
    text = "rate: .nan\ntitle: 'quoted'\n"
    parsed = _parsed(text, plain=True, monkeypatch=monkeypatch)
    assert [(f.code, f.line, f.column) for f in parsed.findings] == [("F002", 2, 7)]
    _same(parsed, _parsed(text, plain=False, monkeypatch=monkeypatch))


# Lines that recur in other places: the second text of each pair meets lines the first one left
# in yamlnodes' KnownLines, at another depth, after `- `, twice in one mapping, or with a value
# that must be made again (a boolean to quote, a number to report).
RECURRING = [
    ("a: 1\nb: x\n", "c:\n  a: 1\n  b: x\na: 1\n"),
    ("  a: 1\n  b: 2\n", "a: 1\nm:\n  a: 1\n  b: 2\n"),
    ("name: Talks\nkey: talks\n", "measures:\n  - name: Talks\n    key: talks\n  - key: talks\n"),
    ("a: 2026-02-14\nb: 4.5\n", "a: 2026-02-14\nb: 4.5\na: 2026-02-14\n"),
    ("flag: yes\nrate: .nan\n", "flag: yes\nrate: .nan\nother: 1\n"),
    ("day: 2026-02-30\n", "x:\n  day: 2026-02-30\nday: 2026-02-30\n"),
    ("a: 1\n", "a: 1\n  b: 2\n"),
    ("b: 1\n", "a:\n- b: 1\n  b: 1\n"),
]


@pytest.mark.parametrize(("first", "second"), RECURRING)
def test_a_line_read_before_reads_the_same_in_another_place(
        first: str, second: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for text in (first, second, second):
        _same(_parsed(text, plain=True, monkeypatch=monkeypatch),
              _parsed(text, plain=False, monkeypatch=monkeypatch))


def test_only_lines_whose_value_says_nothing_more_are_remembered() -> None:
    yamlnodes.compose("kept: 1\nflag: yes\nrate: .nan\n- not: a key line\n", "goals/x.md", 2)
    yamlnodes.compose("kept2: 1\nflag2: yes\nrate2: .nan\nnothing: ~\n", "goals/x.md", 2)
    known = yamlnodes._KNOWN_LINES.lines
    assert known["kept2: 1"] == (0, "kept2", 7, 1)
    assert not {"flag2: yes", "rate2: .nan", "nothing: ~"} & set(known)


_PLAIN = st.text(alphabet="abxyz0129 .-/:_é", min_size=1, max_size=10)
_KEYS = st.sampled_from(["title", "due", "a", "b_c", "key-2", "value", "tags"])


def _block(draw, depth: int, indent: str) -> list[str]:
    """Lines of a mapping in the subset's shape: scalars, [a, b] lists, - lists, nested maps."""
    lines = []
    for key in draw(st.lists(_KEYS, min_size=1, max_size=4, unique=True)):
        kind = draw(st.sampled_from(["scalar", "flow", "list", "map"] if depth < 2 else ["scalar", "flow"]))
        if kind == "scalar":
            lines.append(f"{indent}{key}: {draw(_PLAIN)}")
        elif kind == "flow":
            lines.append(f"{indent}{key}: [{', '.join(draw(st.lists(_PLAIN, max_size=3)))}]")
        elif kind == "list":
            lines.append(f"{indent}{key}:")
            lines.extend(f"{indent}  - {item}" for item in draw(st.lists(_PLAIN, min_size=1, max_size=3)))
        else:
            lines.append(f"{indent}{key}:")
            lines.extend(_block(draw, depth + 1, indent + "  "))
    return lines


@st.composite
def _front_matter(draw) -> str:
    """Front matter in the plain subset, sometimes with one character put in that may end it
    (a quote, a comment, a tab, an anchor, a line separator...)."""
    lines = _block(draw, 0, "")
    if draw(st.booleans()):
        # Put a character or two that may end the subset in a line: before its last
        # character (inside a value), in its middle, or in front of it.
        number = draw(st.integers(0, len(lines) - 1))
        line = lines[number]
        at = draw(st.sampled_from([max(0, len(line) - 1), len(line) // 2, 0]))
        ends = [" #", ": ", "- ", "? ", *"#'\"&*!|>%@`~[]{},:-\t\u2028 "]
        lines[number] = line[:at] + draw(st.sampled_from(ends)) + line[at:]
    text = "".join(line + "\n" for line in lines)
    return text


@settings(max_examples=1500, deadline=None)
@given(text=_front_matter())
def test_on_any_text_the_plain_reader_agrees_with_pyyaml_or_steps_aside(text: str) -> None:
    """A differential test over texts made of the subset's pieces and the characters that end
    it: whatever the plain reader reads, it reads as composing with PyYAML does."""
    original = yamlnodes.read_plain
    try:
        plain = yamlnodes.compose(text, "goals/x.md", 2)
        yamlnodes.read_plain = lambda *args: None  # type: ignore[assignment]
        composed = yamlnodes.compose(text, "goals/x.md", 2)
    finally:
        yamlnodes.read_plain = original  # type: ignore[assignment]
    _same(plain, composed)
