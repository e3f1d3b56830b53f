"""Speed must not change a byte (issue 10): Markdown with only the rules a body needs renders as
with every rule on; excerpts from the cache equal excerpts parsed afresh; rendering with one
process and with several, cache cold and warm, makes the same site."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalsite.frontmatter import split
from goalsite.site import markdown
from goalsite.site.markdown import MarkdownOptions, MarkdownRenderer

EXAMPLE = Path(__file__).resolve().parent.parent / "example-vault"
EVERYTHING = frozenset({"table", "strikethrough", "footnote", "tasklists"})
CRAFTED = {
    "table": "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "pipe-not-table": "a | b\n\nno table here\n",
    "footnote": "Said[^1] and ^[inline note].\n\n[^1]: The note.\n",
    "tasks": "- [ ] to do\n- [x] done\n- [X] done too\n",
    "strike": "~~gone~~ and ~single~\n",
    "wiki": "See [[goal-a|the goal]] and [[missing]].\n",
    "headings": "# One\n\ntext\n\nTwo\n===\n\n## One\n",
    "html": "<b>bold</b> <script>x()</script>\n",
}


def _bodies() -> dict[str, str]:
    bodies = dict(CRAFTED)
    for path in sorted(EXAMPLE.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        bodies[path.relative_to(EXAMPLE).as_posix()] = split(text).body if text.startswith("---") else text
    return bodies


@pytest.mark.parametrize("options", [MarkdownOptions(), MarkdownOptions(unsafe_html=True, linkify=True)],
                         ids=["default", "html-linkify"])
def test_a_parser_with_only_the_rules_a_body_needs_renders_the_same(options: MarkdownOptions) -> None:
    full = markdown._make_parser(options, EVERYTHING)
    renderer = MarkdownRenderer(options)
    for name, body in _bodies().items():
        env = {"goal_link": lambda goal_id: f"../{goal_id}/" if goal_id == "goal-a" else None}
        chosen = renderer._parser(body)
        assert chosen.render(body, dict(env)) == full.render(body, dict(env)), name


def test_excerpts_from_a_render_equal_excerpts_parsed_afresh() -> None:
    for name, body in _bodies().items():
        fresh = MarkdownRenderer().excerpt(body, 240)
        warmed = MarkdownRenderer()
        warmed.render(body, lambda goal_id: None, top=2, title="Anything")
        assert warmed.excerpt(body, 240) == fresh, name
        handed = MarkdownRenderer()
        handed.add_excerpts(warmed.take_excerpts())
        assert handed.excerpt(body, 240) == fresh, name
        assert handed.excerpt(body, 1000) == MarkdownRenderer().excerpt(body, 1000), name
