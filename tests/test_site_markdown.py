"""Markdown bodies on the site's pages (SPEC §5): headings fall under the page's own, a leading
heading that repeats the page's title is not shown twice, and excerpts read as sentences."""

from __future__ import annotations

import pytest

from goalsite.site.markdown import MarkdownRenderer

RENDERER = MarkdownRenderer()


def render(text: str, **options: object) -> str:
    return str(RENDERER.render(text, lambda goal_id: None, **options))  # type: ignore[arg-type]


def test_headings_sit_under_the_page_headings() -> None:
    assert render("# One\n\n## Two\n\n###### Six", top=2) == (
        '<h2 id="one">One</h2>\n<h3 id="two">Two</h3>\n<h6>Six</h6>\n')
    assert render("# One") == '<h1 id="one">One</h1>\n'


@pytest.mark.parametrize("body", ["# Six months of coaching\n\nText.", "#   six MONTHS of  coaching\nText."],
                         ids=["same", "any-case-and-spacing"])
def test_a_leading_heading_repeating_the_title_is_left_out(body: str) -> None:
    assert render(body, top=2, title="Six months of coaching") == "<p>Text.</p>\n"


@pytest.mark.parametrize("body", ["# Another heading\n\nText.", "Text.\n\n# Six months of coaching"],
                         ids=["other-text", "not-leading"])
def test_other_headings_stay(body: str) -> None:
    assert "<h2" in render(body, top=2, title="Six months of coaching")


def test_excerpts_keep_spaces_at_line_breaks_and_skip_the_title() -> None:
    text = "# Session 9\n\nLaunch week pushed hours\nback to 55 — Sam: `look at the trend`.  \nOn course."
    assert RENDERER.excerpt(text) == "Launch week pushed hours back to 55 — Sam: look at the trend. On course."
    listed = "- Both rehearsals given\n- Four talks, average 4.2\n\n## Next\n\nConfidence is high!"
    assert RENDERER.excerpt(listed) == "Both rehearsals given. Four talks, average 4.2. Next. Confidence is high!"
    assert RENDERER.excerpt("word " * 100, limit=20) == "word word word…"


def test_wiki_links_in_front_matter_text_are_live_and_the_rest_is_escaped() -> None:
    from goalsite.site.markdown import link_wiki

    def known(goal_id: str) -> str | None:
        return "../lead/index.html" if goal_id == "lead" else None

    text = 'Serves [[lead]] and [[lead|the big one]]; <b>not</b> [[gone|"x"]] & [[<i>]]'
    assert str(link_wiki(text, known)) == (
        'Serves <a href="../lead/index.html" class="wiki-link">lead</a> and '
        '<a href="../lead/index.html" class="wiki-link">the big one</a>; &lt;b&gt;not&lt;/b&gt; '
        '<span class="wiki-missing" title="no goal with this id">&#34;x&#34;</span> &amp; '
        '<span class="wiki-missing" title="no goal with this id">&lt;i&gt;</span>')
    assert str(link_wiki("", known)) == ""
