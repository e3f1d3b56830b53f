"""`goalsite build`: the pages exist, say what they should, and links resolve (SPEC §5)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from goalsite.build import build
from tests.conftest import EXAMPLE_VAULT, run_goalsite
from tests.site_vaults import TODAY, small_vault

DAY = dt.date.fromisoformat(TODAY)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    vault = small_vault(tmp_path / "vault")
    build(vault, tmp_path / "site", DAY)
    return tmp_path / "site"


def read(site: Path, relative: str) -> str:
    return (site / relative).read_text(encoding="utf-8")


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_cli_prints_one_line_and_writes_the_site(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "vault")
    done = run_goalsite("--today", TODAY, "build", str(vault), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"built 16 pages in \d+\.\d\d s → vault/_site/\n", done.stdout), done.stdout
    assert (vault / "_site" / ".goalsite-site").is_file()


def test_every_planned_file_is_written(site: Path) -> None:
    assert sorted(files_of(site)) == [
        ".goalsite-site", "assets/style.css", "calendar.ics", "cascade/index.html", "feed.xml",
        "goals.json", "goals/broken/index.html", "goals/lead/index.html", "goals/talks/index.html", "index.html",
        "journal/2026-10-01/index.html", "journal/2026-11-02/index.html",
        "journal/2026-11-10/index.html", "journal/index.html", "lint/index.html",
        "reviews/index.html", "risks/index.html", "timeline/index.html",
    ]


def test_dashboard_shows_goals_by_horizon_with_pace_in_words(site: Path) -> None:
    page = read(site, "index.html")
    assert page.index("Long term") < page.index("Lead a team of ten by 2028") < page.index("Quarterly")
    assert 'href="goals/talks/index.html">Give 4 talks by December</a>' in page
    assert re.search(r'class="pace pace-[a-z-]+"><span class="pace-symbol" aria-hidden="true">.</span> [A-Z]', page)
    assert "Second talk: people asked for the slides." in page
    assert 'lint errors' in page


def test_goal_page_has_card_chart_table_breadcrumb_obstacles_journal_and_body(site: Path) -> None:
    page = read(site, "goals/talks/index.html")
    assert '<a href="../lead/index.html">Lead a team of ten by 2028</a>' in page  # breadcrumb
    assert "S.M.A.R.T." in page and re.search(r'<span class="score">\d/5</span>', page)
    assert '<svg class="chart chart-measure' in page and '<table class="chart-data">' in page
    assert "<dt>Stage fright</dt><dd>Rehearse with a friend the day before</dd>" in page
    assert "<dt>No slot available</dt><dd><em class=\"missing\">No plan yet.</em></dd>" in page
    assert 'href="../../journal/2026-11-02/index.html"' in page
    # The body sits under the page's "Notes" (h2): its `#` is an h3, so `## Plan` is an h4.
    assert '<h4 id="plan">Plan</h4>' in page and 'type="checkbox"' in page and "<table>" in page


def test_wiki_links_resolve_and_unknown_ones_stay_text(site: Path) -> None:
    page = read(site, "goals/lead/index.html")
    assert '<a href="../talks/index.html" class="wiki-link">talks</a>' in page
    assert '<span class="wiki-missing" title="no goal with this id">a missing goal</span>' in page


def test_a_goal_with_errors_is_on_the_lint_page_and_still_has_a_page(site: Path) -> None:
    lint = read(site, "lint/index.html")
    assert "<code>goals/broken.md</code>" in lint and "F003" in lint
    assert (site / "goals/broken/index.html").is_file()


def test_journal_reviews_risks_and_exports(site: Path) -> None:
    journal = read(site, "journal/index.html")
    assert "chart-heatmap" in journal
    journal = journal[journal.index('<ol class="entries">'):]
    assert journal.index("2026-11-10") < journal.index("2026-11-02") < journal.index("2026-10-01")
    risks = read(site, "risks/index.html")
    assert "Stage fright" in risks and "1 without a plan." in risks
    reviews = read(site, "reviews/index.html")
    assert "Questions for a 90-day review" in reviews
    assert read(site, "goals.json").startswith("{\n")
    assert read(site, "calendar.ics").startswith("BEGIN:VCALENDAR")
    feed = read(site, "feed.xml")
    assert feed.startswith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')
    assert "<updated>2026-11-10T00:00:00Z</updated>" in feed


def test_feed_is_well_formed_atom(site: Path) -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring((site / "feed.xml").read_bytes())
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.find(f"{atom}id") is not None and root.find(f"{atom}updated") is not None
    entries = root.findall(f"{atom}entry")
    assert len(entries) == 3
    assert all(e.find(f"{atom}id") is not None and e.find(f"{atom}updated") is not None for e in entries)
    assert "<strong>well</strong>" in entries[-1].find(f"{atom}content").text  # type: ignore[union-attr]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend(value for name, value in attrs if name in ("href", "src") and value)


def broken_links(site: Path) -> list[str]:
    broken = []
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.found:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{page.relative_to(site)} → {link}")
    return broken


def test_every_relative_link_points_at_a_file_of_the_site(site: Path) -> None:
    assert broken_links(site) == []


def test_same_vault_and_today_give_byte_identical_sites(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "vault")
    build(vault, tmp_path / "one", DAY)
    build(vault, tmp_path / "two", DAY)
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")


def test_a_second_build_rewrites_only_what_changed(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "vault")
    first = build(vault, tmp_path / "site", DAY)
    assert "goals/talks/index.html" in first.files_written
    before = (tmp_path / "site/risks/index.html").stat().st_mtime_ns
    assert build(vault, tmp_path / "site", DAY).files_written == ()
    (vault / "journal/2026-11-10.md").write_text("---\ndate: 2026-11-10\n---\nChanged.\n")
    third = build(vault, tmp_path / "site", DAY)
    assert "journal/2026-11-10/index.html" in third.files_written
    assert "risks/index.html" not in third.files_written
    assert (tmp_path / "site/risks/index.html").stat().st_mtime_ns == before


def test_strict_keeps_the_old_site_and_exits_1(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "vault")
    done = run_goalsite("--today", TODAY, "build", str(vault), "--strict", cwd=tmp_path)
    assert done.returncode == 1
    assert "with --strict" in done.stderr and not (vault / "_site").exists()


def test_vault_templates_override_ours_and_assets_are_copied(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "vault")
    (vault / "templates/partials").mkdir(parents=True)
    (vault / "templates/partials/pace.html").write_text("<b>{{ badge.label }}!</b>")
    (vault / "assets").mkdir()
    (vault / "assets/logo.svg").write_text("<svg/>")
    (vault / "assets/secret").symlink_to("/etc/hostname")
    build(vault, tmp_path / "site", DAY)
    assert "<b>" in read(tmp_path / "site", "goals/talks/index.html")
    assert (tmp_path / "site/assets/logo.svg").read_text() == "<svg/>"
    assert not (tmp_path / "site/assets/secret").exists()


@pytest.mark.skipif(not (EXAMPLE_VAULT / "goals").is_dir(), reason="example vault not there yet")
def test_the_example_vault_builds_with_working_links(tmp_path: Path) -> None:
    done = run_goalsite("--today", TODAY, "build", str(EXAMPLE_VAULT), "-o", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    assert broken_links(tmp_path / "site") == []


def test_a_chain_of_a_thousand_parents_builds_and_the_cascade_nests_flat(tmp_path: Path) -> None:
    # Deeper than Python's recursion limit: the cascade view and template must not recurse per
    # level. (A 5,000-deep chain builds too, but its pages' dependency sets are quadratic.)
    depth = 1100
    vault = tmp_path / "vault"
    (vault / "goals").mkdir(parents=True)
    for i in range(depth):
        parent = f"parent: g{i - 1}\n" if i else ""
        (vault / "goals" / f"g{i}.md").write_text(f"---\ntitle: Goal {i}\n{parent}---\n", encoding="utf-8")
    result = run_goalsite("--today", TODAY, "build", str(vault), "-o", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    cascade = read(tmp_path / "site", "cascade/index.html").split('<ul class="tree">')[1].split("</main>")[0]
    assert cascade.count('<li class="tree-node') == depth
    # Lists nest 16 deep at most; deeper goals are listed at that indent.
    assert cascade.count("<ul>") == 16 and cascade.count("</ul>") == 17
    crumbs = read(tmp_path / "site", "goals/g1099/index.html").split('<nav class="breadcrumb"')[1].split("</nav>")[0]
    assert re.findall(r">([^<>]+)</(?:a|span)>", crumbs) == [
        "Dashboard", "Goal 0", "…", "Goal 1092", "Goal 1093", "Goal 1094", "Goal 1095", "Goal 1096",
        "Goal 1097", "Goal 1098", "Goal 1099"]


def test_an_entry_without_title_or_heading_is_named_by_its_kind_and_date(tmp_path: Path, write) -> None:
    write("goals/talks.md", "---\ntitle: Give 3 talks\n---\n")
    write("journal/2026-11-02-notes.md", "---\ndate: 2026-11-02\ngoal: talks\nkind: win\n---\nIt went well.\n")
    write("journal/2026-11-03-more.md", "---\ndate: 2026-11-03\ngoal: talks\n---\n# Second talk\n\nBetter.\n")
    result = run_goalsite("--today", TODAY, "build", str(tmp_path), "-o", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    journal = (tmp_path / "site" / "journal" / "index.html").read_text(encoding="utf-8")
    assert "Win · 2026-11-02" in journal and "Second talk" in journal
    assert "2026-11-02-notes<" not in journal


def test_journal_pages_list_every_page_as_a_vault_template_looping_over_view_pages_would(
        tmp_path: Path) -> None:
    # Our journal.html prints `view.page_list`, made from items shared between pages (issue 10);
    # a vault's own journal.html may still loop over `view.pages`: both give the same bytes.
    vault = small_vault(tmp_path / "vault")
    for day in range(1, 46):  # three journal pages with the three entries already there
        (vault / "journal" / f"2026-08-{day % 31 + 1:02d}-{day}.md").write_text(
            f"---\ndate: 2026-08-{day % 31 + 1:02d}\ngoal: talks\n---\nNote {day}.\n")
    build(vault, tmp_path / "ours", DAY)
    ours = files_of(tmp_path / "ours")
    template = (Path(__file__).resolve().parent.parent / "templates" / "journal.html").read_text()
    looped = template.replace("{% if view.count > 1 %}", "{% if view.pages|length > 1 %}").replace(
        "<ul>{{ view.page_list }}</ul>",
        '<ul>{% for link in view.pages %}<li>{% if link.current %}<span aria-current="page">'
        '{{ link.text }}</span>{% else %}<a href="{{ link.href }}">{{ link.text }}</a>{% endif %}'
        "</li>{% endfor %}</ul>")
    assert looped != template
    (vault / "templates").mkdir()
    (vault / "templates" / "journal.html").write_text(looped)
    build(vault, tmp_path / "looped", DAY)
    theirs = files_of(tmp_path / "looped")
    pages = [path for path in ours if path.startswith("journal/") and "page" in path or
             path == "journal/index.html"]
    assert pages == ["journal/index.html", "journal/page/2/index.html", "journal/page/3/index.html"]
    assert '<span aria-current="page">2</span>' in ours["journal/page/2/index.html"].decode()
    assert {path: ours[path] for path in pages} == {path: theirs[path] for path in pages}
