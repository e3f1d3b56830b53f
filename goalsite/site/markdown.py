"""Markdown bodies → safe HTML (SPEC §5): CommonMark, tables, footnotes, task lists, heading
anchors and `[[goal-id]]` wiki links, with raw HTML escaped and unsafe link schemes inert."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markupsafe import Markup, escape
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from goalsite.site.urls import is_remote_url, is_safe_url

# Given a goal id, the link to its page from the page being rendered, or None if unknown.
GoalLinker = Callable[[str], "str | None"]

# Characters of plain text kept per body for excerpts: one more than the longest excerpt shown
# (240 in lists, 400 in the feed), enough to tell whether it was cut. The build keeps one per
# entry (issue 10, memory), so no more than that.
EXCERPT_KEPT = 401
# Bytes of the digest that names a body in the excerpt memory (and excerptcache.py).
DIGEST_SIZE = 16
_WIKI_LINK = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")


@dataclass(frozen=True)
class MarkdownOptions:
    """The vault's choices (SPEC §7): raw HTML passes only with `unsafe_html`."""

    unsafe_html: bool = False
    linkify: bool = False


class MarkdownRenderer:
    """The vault's markdown-it parsers, reused for every body of a build.

    Each body goes through a parser with only the syntax it can contain (issue 10: markdown-it
    tries every enabled rule at every line, and the optional ones cost about half its time):
    tables only when the body has a `|`, footnotes only with `[^` or `^[`, task lists only with
    `[ ]` or `[x]`, strikethrough only with `~~`, and CommonMark's own block rules likewise
    (fences only with three backticks or tildes, block quotes only with `>`, …: see
    `_BLOCK_MARKERS`). A rule without its marker matches nothing, so the HTML is exactly what a
    parser with every rule on makes. Linkify is on only when the vault's `linkify` setting asks
    for it.
    """

    def __init__(self, options: MarkdownOptions = MarkdownOptions()) -> None:
        self.options = options
        self._parsers: dict[frozenset[str], MarkdownIt] = {}
        # The start of each body's plain text, by the body's digest: every list that shows an
        # entry asks for its excerpt, and rendering the body has parsed it already.
        self._plain: dict[bytes, str] = {}
        self._new: dict[bytes, str] = {}

    def _parser(self, text: str) -> MarkdownIt:
        features = _features(text)
        md = self._parsers.get(features)
        if md is None:
            md = self._parsers[features] = _make_parser(self.options, features)
        return md

    def render(self, text: str, goal_link: GoalLinker, *, top: int = 1,
               title: str | None = None, excerpt: bool = True) -> Markup:
        """`text` as HTML; wiki links resolved through `goal_link` (relative to the page).

        The body's `#` heading becomes `<h{top}>` (and the others follow), so it sits under the
        page's own headings; a leading heading that only repeats `title` is left out, since the
        page shows the title already (Obsidian notes often start with one). The start of its
        plain text is kept for `excerpt` unless `excerpt` is False (a body no list shows)."""
        if not text.strip():
            return Markup("")
        env = {"goal_link": goal_link}
        md = self._parser(text)
        tokens = md.parse(text, env)
        if excerpt:
            self._remember(text, tokens)
        if title is not None and _leads_with_heading(tokens, title):
            tokens = tokens[3:]
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(int(token.tag[1:]) + top - 1, 6)}"
        html = md.renderer.render(tokens, md.options, env)
        return Markup(html)  # noqa: S704 — markdown-it escapes text; raw HTML only when opted in

    def excerpt(self, text: str, limit: int = 240) -> str:
        """The first `limit` characters of the body's plain text (for summaries and feeds)."""
        if limit < EXCERPT_KEPT:
            words = self._plain.get(_digest(text)) or self._remember(
                text, self._parser(text).parse(text, {"goal_link": _no_link}))
        else:
            words = _plain_text(self._parser(text).parse(text, {"goal_link": _no_link}))
        return words if len(words) <= limit else words[: limit - 1].rsplit(" ", 1)[0] + "…"

    def take_excerpts(self) -> dict[bytes, str]:
        """The plain-text starts learned since the last call (a render worker hands them back,
        and the build gives them to the workers of the pages that list entries)."""
        new, self._new = self._new, {}
        return new

    def add_excerpts(self, known: Mapping[bytes, str]) -> None:
        """Plain-text starts learned by another renderer with the same options."""
        self._plain.update(known)

    def excerpts_of(self, bodies: Iterable[str]) -> dict[bytes, str]:
        """The plain-text starts known for `bodies`, by digest (what excerptcache.py keeps)."""
        return {key: words for body in bodies
                if (words := self._plain.get(key := _digest(body))) is not None}

    def _remember(self, text: str, tokens: Sequence[Token]) -> str:
        key = _digest(text)
        words = self._plain.get(key)
        if words is None:
            words = self._plain[key] = self._new[key] = _plain_text(tokens)[:EXCERPT_KEPT]
        return words


# CommonMark block rules and the strings without which each cannot match. markdown-it tries
# every block rule at every line (and again at every line of a paragraph, to end it), so a body
# without `>` is parsed without `blockquote`, and so on (issue 10).
_BLOCK_MARKERS: Mapping[str, tuple[str, ...]] = {
    "fence": ("```", "~~~"),
    "blockquote": (">",),
    # Indented code starts four columns in: four spaces, or a tab somewhere in the indent.
    "code": ("    ", "\t"),
    "reference": ("]:",),
    "heading": ("#",),
    "lheading": ("=", "-"),
}
# A thematic break is three of `*`, `-` or `_` with only spaces or tabs between.
_THEMATIC_BREAK = re.compile(r"([*_-])[ \t]*\1[ \t]*\1")
# Every rule `_features` may name: a parser with all of them on is a CommonMark parser.
ALL_FEATURES = frozenset({"table", "strikethrough", "footnote", "tasklists", "hr", *_BLOCK_MARKERS})


def _features(text: str) -> frozenset[str]:
    """The optional syntax `text` may use, judged by the characters each rule needs."""
    found = [rule for rule, markers in _BLOCK_MARKERS.items()
             if any(marker in text for marker in markers)]
    if _THEMATIC_BREAK.search(text):
        found.append("hr")
    if "|" in text:
        found.append("table")
    if "~~" in text:
        found.append("strikethrough")
    if "[^" in text or "^[" in text:
        found.append("footnote")
    if "[ ]" in text or "[x]" in text or "[X]" in text:
        found.append("tasklists")
    return frozenset(found)


def _make_parser(options: MarkdownOptions, features: frozenset[str]) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": options.unsafe_html, "linkify": False})
    md.disable([rule for rule in ("hr", *_BLOCK_MARKERS) if rule not in features])
    if not options.unsafe_html:
        # Both return at once without the `html` option; not calling them at all is faster.
        md.disable(["html_block", "html_inline"])
    if "table" in features:
        md.enable("table")
    if "strikethrough" in features:
        md.enable("strikethrough")
    if "footnote" in features:
        md.use(footnote_plugin)
    if "tasklists" in features:
        md.use(tasklists_plugin, enabled=False, label=True)
    md.use(anchors_plugin, min_level=1, max_level=4, permalink=False)
    if options.linkify:
        md.use(gfm_autolink_plugin)
    md.inline.ruler.before("link", "wiki_link", _wiki_link_rule)
    # SPEC §5: only http(s), mailto and relative links live; anything else stays text.
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    md.add_render_rule("wiki_missing", _render_wiki_missing)
    md.add_render_rule("image", _render_image)
    return md


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=DIGEST_SIZE).digest()


def _no_link(goal_id: str) -> str | None:
    return None


def link_wiki(text: str, goal_link: GoalLinker) -> Markup:
    """Plain text from front matter, escaped, with its `[[goal-id]]` wiki links made live as
    in a body (Obsidian shows them so in a note's properties)."""
    parts: list[Markup] = []
    last = 0
    for match in _WIKI_LINK.finditer(text):
        parts.append(escape(text[last:match.start()]))
        target = match.group(1).strip()
        label = (match.group(2) or match.group(1)).strip()
        href = goal_link(target)
        parts.append(Markup('<a href="{}" class="wiki-link">{}</a>').format(href, label) if href
                     else Markup('<span class="wiki-missing" title="no goal with this id">{}</span>')
                     .format(label))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def _wiki_link_rule(state: StateInline, silent: bool) -> bool:
    """`[[goal-id]]` and `[[goal-id|text]]`: a link to the goal's page, else plain text."""
    if not state.src.startswith("[[", state.pos):
        return False
    match = _WIKI_LINK.match(state.src, state.pos)
    if match is None:
        return False
    target = match.group(1).strip()
    label = (match.group(2) or match.group(1)).strip()
    if not silent:
        href = state.env["goal_link"](target) if "goal_link" in state.env else None
        if href is None:
            token = state.push("wiki_missing", "span", 0)
            token.content = label
            token.meta = {"target": target}
        else:
            opening = state.push("link_open", "a", 1)
            opening.attrs = {"href": href, "class": "wiki-link"}
            state.push("text", "", 0).content = label
            state.push("link_close", "a", -1)
    state.pos = match.end()
    return True


def _render_wiki_missing(self: RendererHTML, tokens: Sequence[Token], idx: int,
                         options: Any, env: Any) -> str:
    token = tokens[idx]
    return f'<span class="wiki-missing" title="no goal with this id">{escape(token.content)}</span>'


def _render_image(self: RendererHTML, tokens: Sequence[Token], idx: int,
                  options: Any, env: Any) -> str:
    # SPEC §5: no request to any other host — a remote image becomes a link to it.
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    if is_remote_url(src):
        return f'<a href="{escape(src)}">{escape(alt or src)}</a>'
    return f'<img src="{escape(src)}" alt="{escape(alt)}" loading="lazy">'


def _leads_with_heading(tokens: Sequence[Token], title: str) -> bool:
    """Whether the first block is a heading whose text is `title` (any case and spacing)."""
    if len(tokens) < 3 or tokens[0].type != "heading_open":
        return False
    said = " ".join("".join(child.content for child in tokens[1].children or []
                            if child.type in ("text", "code_inline")).split()).casefold()
    return said == " ".join(title.split()).casefold()


def _plain_text(tokens: Sequence[Token]) -> str:
    parts: list[str] = []
    in_title = False
    for token in tokens:
        # A level-1 heading repeats the entry's title, which a summary already shows.
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            in_title = token.type == "heading_open"
        elif token.type == "inline" and not in_title:
            # A line break inside a paragraph separates words too: "the\nDecember".
            parts.append("".join(" " if child.type in ("softbreak", "hardbreak") else child.content
                                 for child in token.children or []
                                 if child.type in ("text", "code_inline", "wiki_missing",
                                                   "softbreak", "hardbreak")))
    # Blocks (paragraphs, list items, headings) read as sentences once run together.
    sentences = [text if text[-1] in ".!?:;,…" else text + "."
                 for part in parts if (text := " ".join(part.split()))]
    return " ".join(sentences)
