"""The example site in a real browser (issue 6): each kind of page loads with no console error,
no request off the site and no sideways scrolling on a 360 px phone, with a screenshot at
desktop and phone width; every page passes the Nu HTML Checker and axe-core."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (
    DESKTOP, PHONE, Visitor, axe_violations, html_pages,
)
from tests.conftest import EXAMPLE_VAULT, REPO, run_goalsite

# One page of each template; `None` is found in the built site by `page_of_kind`.
PAGE_KINDS: dict[str, str | None] = {
    "dashboard": "index.html",
    "goal": None,  # a goal page that draws a measure chart
    "goal-with-children": "goals/director-of-engineering/index.html",
    "cascade": "cascade/index.html",
    "timeline": "timeline/index.html",
    "journal": "journal/index.html",
    "journal-page-2": "journal/page/2/index.html",
    "entry": None,  # one journal entry's page
    "reviews": "reviews/index.html",
    "risks": "risks/index.html",
    "lint": "lint/index.html",
}


def page_of_kind(site: Path, kind: str) -> Path:
    relative = PAGE_KINDS[kind]
    if relative is not None:
        path = site / relative
    elif kind == "goal":
        charted = [p for p in sorted((site / "goals").glob("*/index.html"))
                   if "chart-measure" in p.read_text(encoding="utf-8")]
        assert charted, "no goal page of the example site draws a measure chart"
        path = charted[-1]
    else:
        entries = [p for p in sorted((site / "journal").glob("*/index.html"))
                   if p.parent.name != "page"]
        assert entries, "the example site has no journal entry page"
        path = entries[-1]
    assert path.is_file(), f"{kind}: {path} was not built"
    return path


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_each_kind_of_page_loads_cleanly_and_fits(example_site: Path, visit: Visitor,
                                                  tmp_path: Path, kind: str, width: int) -> None:
    seen = visit(page_of_kind(example_site, kind), example_site, width=width)
    assert seen.problems() == []
    assert seen.scroll_width() <= width, f"{kind} scrolls sideways at {width} px"
    shot = tmp_path / f"{kind}-{width}.png"
    seen.page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 1000
    if kind == "dashboard" and width == DESKTOP and os.environ.get("GOALSITE_SCREENSHOT"):
        # `GOALSITE_SCREENSHOT=1 pytest tests/browser -k 'dashboard-desktop'` refreshes the
        # README's picture: the first screenful only, to keep it small.
        seen.page.screenshot(path=str(REPO / "docs" / "screenshot.png"))


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_each_kind_of_page_passes_axe_in_the_dark(example_site: Path, visit: Visitor,
                                                  axe_script: Path, tmp_path: Path,
                                                  kind: str, width: int) -> None:
    """The dark scheme changes only colours, so one page of each kind shows its contrast; on a
    phone, boxes that scroll sideways appear. (The light scheme: every page, below.)"""
    scheme = "dark"
    seen = visit(page_of_kind(example_site, kind), example_site, width=width,
                 color_scheme=scheme, axe=True)
    assert seen.problems() + axe_violations(seen) == []
    seen.page.screenshot(path=str(tmp_path / f"{kind}-{scheme}-{width}.png"), full_page=True)


def test_every_page_loads_cleanly_fits_a_phone_and_passes_axe(
        example_site: Path, visit: Visitor, axe_script: Path) -> None:
    """Every page, not one of each kind: the Markdown bodies differ. The journal's entry pages
    share one template, so axe checks colour contrast, its slowest rule, on one of them."""
    sample_entry = page_of_kind(example_site, "entry")
    problems: dict[str, list[str]] = {}
    for path in html_pages(example_site):
        seen = visit(path, example_site, axe=True)
        contrast = path.parent.parent != sample_entry.parent.parent or path == sample_entry
        found = seen.problems() + axe_violations(seen, contrast=contrast)
        # Narrowing the window lays the same page out again, without loading it again.
        seen.page.set_viewport_size({"width": PHONE, "height": 900})
        try:
            if seen.scroll_width() > PHONE:
                found.append(f"scrolls sideways at {PHONE} px: {seen.scroll_width()} px wide")
        finally:
            seen.page.set_viewport_size({"width": DESKTOP, "height": 900})
        if found:
            problems[path.relative_to(example_site).as_posix()] = found
    assert problems == {}


def test_every_page_passes_the_nu_html_checker(example_site: Path, vnu: Any) -> None:
    assert vnu(html_pages(example_site)) == []


def test_reviews_when_they_are_due(tmp_path_factory: pytest.TempPathFactory, visit: Visitor,
                                   axe_script: Path, vnu: Any, tmp_path: Path) -> None:
    """On the pinned day no review is due; three months later every goal's is: the reviews
    page then lists values and entries since the last review for each."""
    site = build_site_on(tmp_path_factory.mktemp("later") / "site", "2027-03-01")
    pages = [site / "reviews" / "index.html", site / "index.html"]
    assert pages[0].read_text(encoding="utf-8").count('<section class="review"') >= 3
    assert vnu(pages) == []
    for path in pages:
        for width, scheme in ((DESKTOP, "light"), (DESKTOP, "dark"), (PHONE, "light")):
            seen = visit(path, site, width=width, color_scheme=scheme, axe=True)
            assert seen.problems() + axe_violations(seen) == [], (path.name, width, scheme)
            assert seen.scroll_width() <= width
            name = "dashboard" if path.parent == site else path.parent.name
            seen.page.screenshot(path=str(tmp_path / f"{name}-{width}-{scheme}.png"), full_page=True)


def build_site_on(output: Path, today: str) -> Path:
    """The example vault's site as it reads on `today`."""
    done = run_goalsite("--today", today, "build", str(EXAMPLE_VAULT), "-o", str(output))
    assert done.returncode == 0, done.stderr
    return output


def test_print_hides_the_navigation_and_keeps_the_charts(example_site: Path,
                                                         visit: Visitor) -> None:
    seen = visit(page_of_kind(example_site, "goal"), example_site)
    seen.page.emulate_media(media="print")
    try:
        shown = seen.page.evaluate("""() => ({
          header: getComputedStyle(document.querySelector('.site-header')).display,
          chart: getComputedStyle(document.querySelector('.chart svg')).display,
        })""")
    finally:
        seen.page.emulate_media(media="screen")
    assert shown == {"header": "none", "chart": "block"}


def test_the_keyboard_skips_to_the_content_and_shows_where_it_is(example_site: Path,
                                                                  visit: Visitor) -> None:
    """SPEC §5: keyboard-usable. The first Tab shows the skip link; Enter moves to the content;
    the next Tab lands on a link of the page with a visible focus ring."""
    page = visit(page_of_kind(example_site, "goal"), example_site).page
    page.keyboard.press("Tab")
    skip = page.evaluate("""() => ({cls: document.activeElement.className,
                                   top: document.activeElement.getBoundingClientRect().top})""")
    assert skip["cls"] == "skip-link" and skip["top"] >= 0
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
      const element = document.activeElement;
      return {inMain: Boolean(element.closest('main')), tag: element.tagName,
              outline: getComputedStyle(element).outlineStyle};
    }""")
    assert focused == {"inMain": True, "tag": "A", "outline": "solid"}


def test_no_page_loads_anything_from_elsewhere(example_site: Path) -> None:
    """Stylesheets, scripts, images and fonts are all local (SPEC §5: no CDN, no web fonts)."""
    loads = re.compile(r"""<(?:link|script|img|source|iframe|video|audio)\b[^>]*\b(?:href|src)="([^"]+)""")
    remote: dict[str, list[str]] = {}
    for path in html_pages(example_site):
        found = [url for url in loads.findall(path.read_text(encoding="utf-8"))
                 if re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|/)", url, re.I)
                 and not url.startswith("data:")]
        if found:
            remote[path.relative_to(example_site).as_posix()] = found
    assert remote == {}
    for css in sorted(example_site.rglob("*.css")):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"""(?:url\(|@import)\s*['"]?(?:[a-z]+:)?//""", text, re.I), css


@pytest.fixture
def served_under_a_sub_path(example_site: Path, tmp_path: Path) -> Iterator[str]:
    """The example site served over HTTP at /deep/sub/path/ of a local server."""
    root = tmp_path / "www"
    (root / "deep" / "sub").mkdir(parents=True)
    (root / "deep" / "sub" / "path").symlink_to(example_site, target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/deep/sub/path/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — the base's name
        pass


def test_the_site_works_under_a_sub_path(browser: Any, served_under_a_sub_path: str) -> None:
    """Relative links: from the dashboard through the navigation, every page finds its
    stylesheet and every request stays under the sub-path."""
    base = served_under_a_sub_path
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    failed: list[str] = []
    context.on("requestfailed", lambda request: failed.append(request.url))
    context.on("response", lambda response: failed.append(response.url)
               if response.status >= 400 else None)
    outside: list[str] = []
    context.on("request", lambda request: outside.append(request.url)
               if not request.url.startswith(base) else None)
    try:
        page = context.new_page()
        page.goto(base, wait_until="load")
        targets = page.eval_on_selector_all(".site-nav a", "links => links.map(a => a.href)")
        assert len(targets) >= 6
        for target in targets:
            page.goto(target, wait_until="load")
            styled = page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle")
            assert styled == "solid", f"{target} has no stylesheet"
        page.goto(base, wait_until="load")
        goal = page.eval_on_selector(".goal-card a", "a => a.href")
        page.goto(goal, wait_until="load")
        page.click(".breadcrumb a")
        page.wait_for_load_state("load")
        assert page.url in (base, base + "index.html")
    finally:
        context.close()
    assert (failed, outside) == ([], [])
