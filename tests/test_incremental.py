"""Incremental builds (SPEC §6): only what changed is redone, and the result is always the site a
clean build makes, byte for byte. The build cache is JSON and any bad cache is ignored."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from goalsite.build import Builder, build
from goalsite.cache import CACHE_FOLDER, STATE_NAME
from tests.conftest import run_goalsite
from tests.site_vaults import TODAY, small_vault, write

DAY = dt.date.fromisoformat(TODAY)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def clean_build(vault: Path, scratch: Path) -> dict[str, bytes]:
    """The site a first build of a copy of `vault` (no cache, same file dates) makes."""
    copy = scratch / "clean-vault"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(vault, copy, symlinks=True, ignore=shutil.ignore_patterns(CACHE_FOLDER, "_site"))
    shutil.rmtree(scratch / "clean-site", ignore_errors=True)
    build(copy, scratch / "clean-site", DAY)
    return tree(scratch / "clean-site")


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return small_vault(tmp_path / "vault")


@pytest.fixture
def builder(vault: Path, tmp_path: Path) -> Builder:
    made = Builder(vault, tmp_path / "site", DAY)
    made.build()
    return made


def test_a_second_build_with_nothing_changed_renders_and_writes_nothing(builder: Builder,
                                                                        tmp_path: Path) -> None:
    before = {path: os.stat(tmp_path / "site" / path).st_mtime_ns for path in tree(tmp_path / "site")}
    again = Builder(builder.vault_root, tmp_path / "site", DAY).build()  # a new process: the cache
    assert (again.pages_rendered, again.files_written, again.files_deleted) == (0, (), ())
    assert again.findings == builder.last.findings
    assert {path: os.stat(tmp_path / "site" / path).st_mtime_ns for path in before} == before


def test_the_cache_is_json_next_to_the_vaults_files_and_ignored_by_git(builder: Builder) -> None:
    folder = builder.vault_root / CACHE_FOLDER
    # Three lines: what the no-change check reads, the findings, then the rest.
    summary, findings, rest = [json.loads(line) for line in
                               (folder / STATE_NAME).read_text(encoding="utf-8").splitlines()]
    assert summary["format"] == "goalsite-build/5"
    assert {"fingerprint", "findings_sha256", "listing", "day"} <= summary.keys()
    assert findings == [list(vars(finding).values()) for finding in builder.last.findings]
    assert {"inputs", "pages"} <= rest.keys()
    assert (folder / ".gitignore").read_text() == "*\n"


def test_one_goals_edit_rewrites_its_page_and_the_pages_that_show_it(builder: Builder, vault: Path,
                                                                     tmp_path: Path) -> None:
    talks = vault / "goals" / "talks.md"
    talks.write_text(talks.read_text().replace("Give 4 talks by December", "Give 4 talks by Christmas"))
    result = builder.build()
    # The title shows on the goal's page, its parent's, its entries' and every list and export.
    assert result.files_written == (
        "calendar.ics", "cascade/index.html", "goals.json", "goals/lead/index.html",
        "goals/talks/index.html", "index.html", "journal/2026-10-01/index.html",
        "journal/2026-11-02/index.html", "journal/index.html", "reviews/index.html",
        "risks/index.html", "timeline/index.html",
    )
    # Not rendered at all: the entry that is not about the goal, the stylesheet.
    assert result.pages_rendered < len(tree(tmp_path / "site")) - 2
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_a_body_edit_rewrites_only_the_goals_page(builder: Builder, vault: Path,
                                                  tmp_path: Path) -> None:
    talks = vault / "goals" / "talks.md"
    talks.write_text(talks.read_text() + "\nOne more line.\n")
    result = builder.build()
    assert result.files_written == ("goals/talks/index.html",)
    # Rendered: its page, its parent's (its progress) and the risks; no page of the whole vault.
    assert result.pages_rendered == 3
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def long_journal(vault: Path) -> Path:
    """`vault` with 45 more entries, one a day in 2026: three pages of journal."""
    for day in range(1, 46):
        date = DAY - dt.timedelta(days=300 - day)
        write(vault, f"journal/old/{date}.md", f"""
            ---
            date: {date}
            ---
            Day {day} of practice.
            """)
    return vault


def test_an_entrys_edit_redraws_the_journal_page_that_lists_it_and_no_other(vault: Path,
                                                                           tmp_path: Path) -> None:
    builder = Builder(long_journal(vault), tmp_path / "site", DAY)
    builder.build()
    # Newest first: the 3 entries of the small vault, then days 45 to 1; day 10 is 39th, on page 2.
    entry = vault / "journal" / "old" / "2026-02-06.md"
    entry.write_text(entry.read_text().replace("Day 10 of practice.", "Day 10, and a breakthrough."))
    result = builder.build()
    assert result.files_written == ("feed.xml", "journal/old-2026-02-06/index.html",
                                    "journal/page/2/index.html")
    assert result.pages_rendered < 15  # of 65: the entry, its neighbours, one journal page, the lists
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


# The pages that list the whole vault (depends.py's `/entries`): they show an entry's excerpt.
WHOLE_VAULT_PAGES = ("calendar.ics", "cascade/index.html", "goals.json", "index.html",
                     "lint/index.html", "reviews/index.html", "timeline/index.html")
LATER_WORDS = "\nLater, at length: " + "more notes " * 60 + "\n"


@pytest.mark.parametrize("new_process", [False, True], ids=["watch mode", "a new process"])
def test_an_entrys_edit_below_its_excerpt_redraws_no_page_of_the_whole_vault(
        vault: Path, tmp_path: Path, new_process: bool) -> None:
    entry = vault / "journal" / "2026-11-02.md"
    entry.write_text(entry.read_text() + LATER_WORDS)
    builder = Builder(vault, tmp_path / "site", DAY, keep_last_good=not new_process)
    builder.build()
    entry.write_text(entry.read_text() + "\nOne more line, far below the excerpt.\n")
    result = (Builder(vault, tmp_path / "site", DAY) if new_process else builder).build()
    assert result.files_written == ("feed.xml", "journal/2026-11-02/index.html")
    # Its page, its neighbours', its journal page, its goal's, the feed; no list of the vault.
    assert result.pages_rendered == 7
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)
    # Then its excerpt edited: the lists show it.
    entry.write_text(entry.read_text().replace("people asked", "everyone asked"))
    result = (Builder(vault, tmp_path / "site", DAY) if new_process else builder).build()
    assert result.pages_rendered == 7 + len(WHOLE_VAULT_PAGES)
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_an_entrys_edit_to_its_excerpt_redraws_the_pages_that_list_it(builder: Builder,
                                                                      vault: Path,
                                                                      tmp_path: Path) -> None:
    entry = vault / "journal" / "2026-11-02.md"
    entry.write_text(entry.read_text().replace("people asked", "everyone asked"))
    result = Builder(vault, tmp_path / "site", DAY).build()
    assert "index.html" in result.files_written  # the dashboard lists it with its excerpt
    assert result.pages_rendered == 7 + len(WHOLE_VAULT_PAGES)
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_without_the_last_builds_excerpts_an_entrys_edit_still_makes_the_clean_site(
        vault: Path, tmp_path: Path) -> None:
    entry = vault / "journal" / "2026-11-02.md"
    entry.write_text(entry.read_text() + LATER_WORDS)
    Builder(vault, tmp_path / "site", DAY).build()
    (vault / CACHE_FOLDER / "excerpts.json").unlink()
    entry.write_text(entry.read_text() + "\nOne more line, far below the excerpt.\n")
    result = Builder(vault, tmp_path / "site", DAY).build()
    # The other entries are as they were (the build cache says so): no list is drawn again.
    assert result.pages_rendered == 7
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_with_its_own_templates_a_vault_redraws_the_whole_vaults_pages_on_any_entry_edit(
        vault: Path, tmp_path: Path) -> None:
    write(vault, "templates/dashboard.html", """
        {% extends "base.html" %}
        {% block content %}<p>{{ view.shell.today }}</p>{% endblock %}
        """)
    entry = vault / "journal" / "2026-11-02.md"
    entry.write_text(entry.read_text() + LATER_WORDS)
    Builder(vault, tmp_path / "site", DAY).build()
    entry.write_text(entry.read_text() + "\nOne more line, far below the excerpt.\n")
    result = Builder(vault, tmp_path / "site", DAY).build()
    # A vault's template may show anything of an entry, its whole body included.
    assert result.pages_rendered == 7 + len(WHOLE_VAULT_PAGES)
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


@pytest.mark.parametrize("edit", [
    lambda v: (v / "journal/old/2026-02-01.md").write_text(
        (v / "journal/old/2026-02-01.md").read_text().replace("date: 2026-02-01", "date: 2026-11-20")),
    lambda v: (v / "journal/old/2026-02-01.md").unlink(),
    lambda v: write(v, "journal/old/2026-02-01-b.md", "---\ndate: 2026-02-01\n---\nTwice that day.\n"),
], ids=["an entry moved to another page", "an entry deleted", "an entry added"])
def test_a_change_to_the_journals_order_redraws_every_page_it_moves(vault: Path, tmp_path: Path,
                                                                   edit) -> None:
    builder = Builder(long_journal(vault), tmp_path / "site", DAY)
    builder.build()
    edit(vault)
    builder.build()
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


EDITS: dict[str, Callable[[Path], None]] = {
    "a new goal a wiki link named": lambda v: write(v, "goals/nowhere.md", """
        ---
        title: Now somewhere
        parent: lead
        ---
        """),
    "an entry deleted": lambda v: (v / "journal" / "2026-11-02.md").unlink(),
    "a child's target raised (its parent's roll-up moves)": lambda v: (v / "goals" / "talks.md").write_text(
        (v / "goals" / "talks.md").read_text().replace("target: 4", "target: 9")),
    "a goal's parent removed": lambda v: (v / "goals" / "talks.md").write_text(
        (v / "goals" / "talks.md").read_text().replace("parent: lead\n", "")),
    "an entry moved to another goal": lambda v: (v / "journal" / "2026-10-01.md").write_text(
        (v / "journal" / "2026-10-01.md").read_text().replace("goal: talks", "goal: lead")),
    "a goal renamed by its id": lambda v: (v / "goals" / "talks.md").write_text(
        (v / "goals" / "talks.md").read_text().replace("title:", "id: speaking\ntitle:")),
    "a goal broken": lambda v: (v / "goals" / "talks.md").write_text("---\ntitle: [oops\n---\n"),
    "a folder moved": lambda v: (v / "goals").rename(v / "aims"),
    "the config changed": lambda v: (v / "goalsite.toml").write_text('title = "Other"\n'),
    "an asset added": lambda v: write(v, "assets/logo.svg", "<svg/>"),
    "a file touched on another day": lambda v: os.utime(v / "goals" / "talks.md", (0, 86400 * 400)),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_after_each_kind_of_change_the_site_equals_a_clean_build(builder: Builder, vault: Path,
                                                                 tmp_path: Path, edit) -> None:
    edit(vault)
    builder.build()
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)
    assert builder.build().pages_rendered == 0


def test_a_file_left_in_the_output_folder_is_removed_by_the_next_build(builder: Builder,
                                                                        tmp_path: Path) -> None:
    (tmp_path / "site" / "stray.html").write_text("not ours")
    (tmp_path / "site" / "index.html").write_text("edited by hand")
    builder.build()
    assert tree(tmp_path / "site") == clean_build(builder.vault_root, tmp_path)


OUTPUT_EDITS: dict[str, Callable[[Path], None]] = {
    "a page deleted": lambda site: (site / "goals/talks/index.html").unlink(),
    "a page edited in place, same size": lambda site: (site / "index.html").write_bytes(
        (site / "index.html").read_bytes().replace(b"<", b">", 1)),
    "a file added": lambda site: (site / "stray.html").write_text("not ours"),
    "a folder added": lambda site: (site / "goals/extra").mkdir(),
    "a page replaced by another file": lambda site: os.replace(
        write(site, "goals/talks/new.html", "<p>not ours</p>"), site / "goals/talks/index.html"),
    "a page's folder removed": lambda site: shutil.rmtree(site / "goals/talks"),
}


def set_folder_times(site: Path, when_ns: int) -> None:
    for folder in [site, *(path for path in site.rglob("*") if path.is_dir())]:
        os.utime(folder, ns=(when_ns, when_ns))


def test_a_file_added_to_an_old_folder_is_seen_by_the_folders_time(builder: Builder, vault: Path,
                                                                   tmp_path: Path) -> None:
    site = tmp_path / "site"
    set_folder_times(site, time.time_ns() - 3600 * 10**9)
    config = vault / "goalsite.toml"
    touched = config.stat().st_mtime_ns - 1000
    os.utime(config, ns=(touched, touched))
    Builder(vault, site, DAY).build()  # saves the folders' times: old enough to trust
    (site / "stray.html").write_text("not ours")
    Builder(vault, site, DAY).build()
    assert tree(site) == clean_build(vault, tmp_path)


def test_a_file_added_within_its_folders_clock_tick_is_seen(builder: Builder, vault: Path,
                                                            tmp_path: Path) -> None:
    # A folder's time moves when a file is added, unless the clock has not ticked since it
    # was last written: a time this recent proves nothing, and the check lists the folder.
    site = tmp_path / "site"
    now = time.time_ns()
    set_folder_times(site, now)
    Builder(vault, site, DAY).build()
    (site / "stray.html").write_text("not ours")
    os.utime(site, ns=(now, now))
    Builder(vault, site, DAY).build()
    assert tree(site) == clean_build(vault, tmp_path)


def test_a_file_put_later_in_a_folder_left_empty_is_removed(builder: Builder, vault: Path,
                                                             tmp_path: Path) -> None:
    (tmp_path / "site" / "goals" / "extra").mkdir()
    Builder(vault, tmp_path / "site", DAY).build()
    (tmp_path / "site" / "goals" / "extra").mkdir(exist_ok=True)
    (tmp_path / "site" / "goals" / "extra" / "stray.html").write_text("not ours")
    Builder(vault, tmp_path / "site", DAY).build()
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


@pytest.mark.parametrize("edit", OUTPUT_EDITS.values(), ids=OUTPUT_EDITS.keys())
def test_the_next_run_repairs_an_output_folder_changed_by_hand(builder: Builder, vault: Path,
                                                               tmp_path: Path, edit) -> None:
    edit(tmp_path / "site")
    Builder(vault, tmp_path / "site", DAY).build()  # a new process: only the saved state
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_a_file_changed_within_its_clock_tick_is_read_again(vault: Path, tmp_path: Path) -> None:
    # Git's "racily clean" files: saved again just after the build read them, same size, and
    # the clock too coarse to move the time. A time this close to the build proves nothing.
    talks = vault / "goals" / "talks.md"
    now = time.time_ns()
    os.utime(talks, ns=(now, now))
    build(vault, tmp_path / "site", DAY)
    talks.write_text(talks.read_text().replace("Give 4 talks", "Give 5 talks"))
    os.utime(talks, ns=(now, now))
    Builder(vault, tmp_path / "site", DAY).build()
    assert "Give 5 talks" in (tmp_path / "site/goals/talks/index.html").read_text()
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_files_touched_but_unchanged_render_nothing_and_are_known_next_time(
        builder: Builder, vault: Path, tmp_path: Path) -> None:
    for path in [*vault.rglob("*.md"), vault / "goalsite.toml"]:
        moved = path.stat().st_mtime_ns - 1000  # the same day, another time
        os.utime(path, ns=(moved, moved))
    state = vault / CACHE_FOLDER / STATE_NAME
    before = state.read_bytes()
    again = Builder(vault, tmp_path / "site", DAY).build()
    assert (again.pages_rendered, again.files_written) == (0, ())
    assert again.findings == builder.last.findings
    # The new times are saved, so the next run needs no file read to know nothing changed.
    assert (saved := state.read_bytes()) != before
    assert Builder(vault, tmp_path / "site", DAY).build().pages_rendered == 0
    assert state.read_bytes() == saved


def edit_line(cache: Path, number: int, change: Callable[[dict], dict]) -> None:
    """Rewrite line `number` of the saved state (0: the summary, 1: the findings, 2: the rest)
    through `change`."""
    lines = cache.read_text().splitlines()
    lines[number] = json.dumps(change(json.loads(lines[number])))
    cache.write_text("\n".join(lines) + "\n")


CORRUPTIONS: dict[str, Callable[[Path, Path], None]] = {
    "truncated": lambda cache, _: cache.write_bytes(cache.read_bytes()[:100]),
    "the second line cut": lambda cache, _: cache.write_text(
        cache.read_text().split("\n")[0] + "\n" + cache.read_text().split("\n")[1][:100]),
    "the third line cut": lambda cache, _: cache.write_text(
        "\n".join(cache.read_text().split("\n")[:2]) + "\n" + cache.read_text().split("\n")[2][:100]),
    "the findings changed": lambda cache, _: edit_line(cache, 1, lambda findings: findings[1:]),
    "a listing naming a file outside the vault": lambda cache, _: edit_line(cache, 0, lambda summary: {
        **summary, "listing": {"files": ["../outside.md"], "folders": {"": 1}}}),
    "one line": lambda cache, _: cache.write_text(cache.read_text().split("\n")[0] + "\n"),
    "garbage bytes": lambda cache, _: cache.write_bytes(os.urandom(3000)),
    "empty": lambda cache, _: cache.write_bytes(b""),
    "another version": lambda cache, _: cache.write_text(
        cache.read_text().replace('"goalsite-build/5"', '"goalsite-build/4"')),
    "wrong types": lambda cache, _: edit_line(cache, 2, lambda rest: {
        **rest, "inputs": [[1, 2, 3, 4, 5, 6]]}),
    "a record's line that is no text": lambda cache, _: edit_line(cache, 2, lambda rest: {
        **rest, "inputs": [[*row[:5], 7] for row in rest["inputs"]]}),
    "wrong types in the summary": lambda cache, _: edit_line(cache, 0, lambda summary: {
        **summary, "findings": [[1, 2, 3, 4, "error", 6, 7]], "unsure": {"x": 1}}),
    "a negative size": lambda cache, _: edit_line(cache, 2, lambda rest: {
        **rest, "inputs": [["x", "-1", -1, -1, "", ""], *rest["inputs"]]}),
    "deeply nested": lambda cache, _: cache.write_text("[" * 100_000),
    "a list": lambda cache, _: cache.write_text("[1, 2]"),
    "another vault's": lambda cache, other: shutil.copy(other / CACHE_FOLDER / STATE_NAME, cache),
}


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_bad_cache_is_ignored_and_the_site_rebuilt_in_full(builder: Builder, vault: Path,
                                                             tmp_path: Path, corrupt) -> None:
    other = small_vault(tmp_path / "other")
    write(other, "goals/talks.md", "---\ntitle: Different\n---\n")
    build(other, tmp_path / "site", DAY)  # the same output folder, another vault
    corrupt(vault / CACHE_FOLDER / STATE_NAME, other)
    result = Builder(vault, tmp_path / "site", DAY).build()
    assert result.pages_rendered == len(clean := clean_build(vault, tmp_path)) - 2  # but assets
    assert tree(tmp_path / "site") == clean


def read_excerpts(cache: Path) -> dict:
    """The excerpt cache's lines as one document: the header's fields, and the excerpts."""
    header, *rows = [json.loads(line) for line in cache.read_text().splitlines()]
    return {**header, "excerpts": dict(rows)}


def edit_excerpts(cache: Path, change: Callable[[dict], dict]) -> None:
    document = change(read_excerpts(cache))
    rows = document.pop("excerpts")
    cache.write_text("".join(json.dumps(line) + "\n" for line in [document, *rows.items()]))


EXCERPT_CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "truncated": lambda cache: cache.write_bytes(cache.read_bytes()[:100]),
    "garbage bytes": lambda cache: cache.write_bytes(os.urandom(3000)),
    "deeply nested": lambda cache: cache.write_text("[" * 100_000),
    "a list": lambda cache: cache.write_text("[1, 2]"),
    "another version": lambda cache: edit_excerpts(cache, lambda doc: {**doc, "code": "0" * 64}),
    "other Markdown options": lambda cache: edit_excerpts(cache, lambda doc: {
        **doc, "options": [True, False]}),
    "a key that is no digest": lambda cache: edit_excerpts(cache, lambda doc: {
        **doc, "excerpts": {**doc["excerpts"], "abc": "x"}}),
    "an excerpt that is no text": lambda cache: edit_excerpts(cache, lambda doc: {
        **doc, "excerpts": {key: 1 for key in doc["excerpts"]}}),
    "the last line cut short": lambda cache: cache.write_bytes(cache.read_bytes()[:-5]),
    "a row that is no pair": lambda cache: cache.write_text(
        cache.read_text() + json.dumps({"0" * 32: "x", "1" * 32: "y"}) + "\n"),
}


def excerpts_file(vault: Path) -> Path:
    return vault / CACHE_FOLDER / "excerpts.json"


@pytest.mark.parametrize("corrupt", EXCERPT_CORRUPTIONS.values(), ids=EXCERPT_CORRUPTIONS.keys())
def test_a_bad_excerpt_cache_is_ignored_and_written_again(builder: Builder, vault: Path,
                                                          tmp_path: Path, corrupt) -> None:
    corrupt(excerpts_file(vault))
    entry = vault / "journal" / "2026-11-02.md"
    entry.write_text(entry.read_text().replace("people asked", "everyone asked"))
    Builder(vault, tmp_path / "site", DAY).build()  # a new process: the lists drawn again
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)
    saved = read_excerpts(excerpts_file(vault))["excerpts"]
    assert "Second talk: everyone asked for the slides." in saved.values()


def test_a_new_process_takes_the_excerpts_of_the_last_build(builder: Builder, vault: Path,
                                                            tmp_path: Path) -> None:
    # Told apart by changing what the cache says of one body: the journal shows the cache's.
    edit_excerpts(excerpts_file(vault), lambda doc: {**doc, "excerpts": {
        key: text.replace("people asked", "the cache said") for key, text in doc["excerpts"].items()}})
    entry = vault / "journal" / "2026-10-01.md"  # redraws the journal page that lists both
    entry.write_text(entry.read_text().replace("went **well**", "went **very well**"))
    Builder(vault, tmp_path / "site", DAY).build()
    journal = (tmp_path / "site" / "journal" / "index.html").read_text(encoding="utf-8")
    assert "Second talk: the cache said for the slides." in journal
    assert "First talk done. It went very well." in journal


def test_new_excerpts_are_appended_and_a_cache_mostly_stale_written_anew(vault: Path,
                                                                        tmp_path: Path) -> None:
    entries = sorted((vault / "journal").glob("*.md"))
    Builder(vault, tmp_path / "site", DAY).build()
    first = excerpts_file(vault).read_bytes()
    entries[0].write_text(entries[0].read_text() + "\nAnd a postscript.\n")
    Builder(vault, tmp_path / "site", DAY).build()
    appended = excerpts_file(vault).read_bytes()
    assert appended.startswith(first) and appended.count(b"\n") == first.count(b"\n") + 1
    for entry in entries[1:]:  # two of three bodies changed: most lines stale
        entry.write_text(entry.read_text() + "\nAnd a postscript.\n")
    Builder(vault, tmp_path / "site", DAY).build()
    rows = excerpts_file(vault).read_text().splitlines()[1:]
    assert len(rows) == len(entries)
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_the_cache_of_another_output_folder_is_not_taken(builder: Builder, vault: Path,
                                                         tmp_path: Path) -> None:
    elsewhere = Builder(vault, tmp_path / "elsewhere", DAY).build()
    assert elsewhere.pages_rendered > 0
    assert tree(tmp_path / "elsewhere") == tree(tmp_path / "site")


def test_another_day_redraws_every_page_but_the_entries(builder: Builder, vault: Path,
                                                       tmp_path: Path) -> None:
    later = DAY + dt.timedelta(days=1)
    result = Builder(vault, builder.output, later).build()
    assert result.pages_rendered == builder.last.pages_rendered - 3  # the three entries' pages
    clean_site = tmp_path / "clean-site"
    build(vault, clean_site, later)
    assert tree(builder.output) == tree(clean_site)
    entry_page = (builder.output / "journal" / "2026-11-02" / "index.html").read_text(encoding="utf-8")
    assert "made with goalsite" in entry_page and DAY.isoformat() not in entry_page


def test_with_its_own_templates_a_vault_redraws_every_page_on_another_day(vault: Path,
                                                                          tmp_path: Path) -> None:
    write(vault, "templates/entry.html", """
        {% extends "base.html" %}
        {% block content %}<p>Seen on {{ view.shell.today }}: {{ view.row.title }}</p>{% endblock %}
        """)
    first = Builder(vault, tmp_path / "site", DAY).build()
    later = DAY + dt.timedelta(days=1)
    assert Builder(vault, tmp_path / "site", later).build().pages_rendered == first.pages_rendered
    entry_page = (tmp_path / "site" / "journal" / "2026-11-02" / "index.html").read_text(encoding="utf-8")
    assert f"Seen on {later.isoformat()}" in entry_page


def test_a_broken_file_keeps_its_last_page_in_watch_mode_and_a_plain_build_drops_it(
        vault: Path, tmp_path: Path) -> None:
    watching = Builder(vault, tmp_path / "site", DAY, keep_last_good=True)
    watching.build()
    (vault / "goals" / "talks.md").write_text("---\ntitle: [oops\n---\n")
    result = watching.build()
    assert result.kept == ("goals/talks.md",)
    assert "Give 4 talks by December" in (tmp_path / "site/goals/talks/index.html").read_text()
    assert [f.code for f in result.findings if f.path == "goals/talks.md"][:1] == ["F001"]
    build(vault, tmp_path / "site", DAY)  # not watching: the cache must not take the kept page
    assert not (tmp_path / "site/goals/talks/index.html").exists()
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_the_next_good_save_recovers(vault: Path, tmp_path: Path) -> None:
    watching = Builder(vault, tmp_path / "site", DAY, keep_last_good=True)
    watching.build()
    good = (vault / "goals" / "talks.md").read_text()
    (vault / "goals" / "talks.md").write_text("---\ntitle: [oops\n---\n")
    watching.build()
    (vault / "goals" / "talks.md").write_text(good.replace("December", "the holidays"))
    assert watching.build().kept == ()
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_the_cli_says_a_build_from_the_cache_rendered_nothing(vault: Path, tmp_path: Path) -> None:
    first = run_goalsite("--today", TODAY, "build", str(vault), "-o", str(tmp_path / "site"))
    second = run_goalsite("--today", TODAY, "build", str(vault), "-o", str(tmp_path / "site"))
    assert first.returncode == second.returncode == 0, first.stderr
    assert second.stdout.startswith("built 0 pages in ")


def test_a_template_failing_midway_leaves_the_site_as_it_was(vault: Path, tmp_path: Path) -> None:
    from goalsite.build import TemplateFailed

    goal_template = (Path(__file__).resolve().parent.parent / "templates" / "goal.html").read_text()
    write(vault, "templates/goal.html", goal_template.replace(
        "{% block content %}", "{% block content %}{% if 'BOOM' in view.goal.title %}"
        "{{ nothing.at.all }}{% endif %}", 1))
    builder = Builder(vault, tmp_path / "site", DAY)
    builder.build()
    before = tree(tmp_path / "site")
    lead, talks = vault / "goals" / "lead.md", vault / "goals" / "talks.md"
    lead.write_text(lead.read_text() + "\nA new paragraph.\n")  # goals/lead/ renders first
    talks.write_text(talks.read_text().replace("Give 4 talks", "BOOM talks"))
    with pytest.raises(TemplateFailed):
        builder.build()
    assert tree(tmp_path / "site") == before
    talks.write_text(talks.read_text().replace("BOOM talks", "Give 4 talks"))
    assert builder.build().files_written == ("goals/lead/index.html",)


# --- watch mode's preview: the saved file's own pages first (issue 10) -------------------------


def test_a_goals_save_is_previewed_on_its_page_and_the_build_agrees(builder: Builder, vault: Path,
                                                                    tmp_path: Path) -> None:
    talks = vault / "goals" / "talks.md"
    talks.write_text(talks.read_text().replace("Give 4 talks by December", "Give 5 talks by December")
                     .replace("target: 4", "target: 5"))
    assert builder.preview(["goals/talks.md"]) == ("goals/talks/index.html",)
    page = (tmp_path / "site" / "goals" / "talks" / "index.html").read_text(encoding="utf-8")
    assert "Give 5 talks by December" in page and "Give 4 talks" not in page
    # The parent's roll-up and the lists wait for the build, which leaves the page as previewed.
    assert "Give 4 talks by December" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    result = builder.build()
    assert "goals/talks/index.html" not in result.files_written
    assert "goals/talks/index.html" in result.files_changed and "index.html" in result.files_written
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_an_entrys_save_is_previewed_on_its_page_and_its_goals(builder: Builder, vault: Path,
                                                               tmp_path: Path) -> None:
    entry = vault / "journal" / "2026-11-02.md"
    entry.write_text(entry.read_text().replace("{talks: 1}", "{talks: 2}")
                     .replace("asked for the slides", "asked for the recording"))
    assert builder.preview(["journal/2026-11-02.md"]) == (
        "goals/talks/index.html", "journal/2026-11-02/index.html")
    assert "asked for the recording" in (
        tmp_path / "site" / "journal" / "2026-11-02" / "index.html").read_text(encoding="utf-8")
    result = builder.build()
    assert not {"goals/talks/index.html", "journal/2026-11-02/index.html"} & set(result.files_written)
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


NOT_PREVIEWED: dict[str, tuple[str, Callable[[Path], None]]] = {
    "a new goal": ("goals/new.md", lambda v: write(v, "goals/new.md", "---\ntitle: New\n---\n")),
    "a broken save": ("goals/talks.md", lambda v: write(v, "goals/talks.md", "---\ntitle: [oops\n---\n")),
    "a goal moved in the cascade": ("goals/talks.md", lambda v: (v / "goals/talks.md").write_text(
        (v / "goals/talks.md").read_text().replace("parent: lead\n", ""))),
    "an entry moved in time": ("journal/2026-10-01.md", lambda v: (v / "journal/2026-10-01.md").write_text(
        (v / "journal/2026-10-01.md").read_text().replace("date: 2026-10-01", "date: 2026-10-03"))),
    "a deleted goal": ("goals/talks.md", lambda v: (v / "goals/talks.md").unlink()),
    "the config": ("goalsite.toml", lambda v: write(v, "goalsite.toml", 'title = "Other"\n')),
}


@pytest.mark.parametrize("name", NOT_PREVIEWED)
def test_a_save_that_changes_the_sites_shape_is_left_to_the_build(builder: Builder, vault: Path,
                                                                  tmp_path: Path, name: str) -> None:
    path, edit = NOT_PREVIEWED[name]
    before = tree(tmp_path / "site")
    edit(vault)
    assert builder.preview([path]) == ()
    assert tree(tmp_path / "site") == before
    builder.build()
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_a_templates_edit_between_builds_is_seen_by_the_next_build(vault: Path, tmp_path: Path) -> None:
    # Templates are compiled once and not looked at again during a build (issue 10); a watch
    # build must still see the vault's partial as it is now, as a clean build would.
    pace = (Path(__file__).resolve().parent.parent / "goalsite" / "templates" / "partials"
            / "pace.html").read_text()
    partial = write(vault, "templates/partials/pace.html", pace.replace("{{ badge.label }}",
                                                                        "{{ badge.label }} (first)"))
    builder = Builder(vault, tmp_path / "site", DAY)
    builder.build()
    assert "(first)" in (tmp_path / "site" / "goals" / "talks" / "index.html").read_text()
    partial.write_text(pace.replace("{{ badge.label }}", "{{ badge.label }} (second)"))
    os.utime(partial, (1_900_000_000, 1_900_000_000))
    builder.build()
    page = (tmp_path / "site" / "goals" / "talks" / "index.html").read_text()
    assert "(second)" in page and "(first)" not in page
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


# -- the no-change check's listing of the vault (issue 10) ------------------------------------

def age_folders(root: Path, seconds: int = 3600) -> None:
    """Make every folder under `root` (and `root`) look last changed `seconds` ago: old enough
    for the build to trust its time."""
    when = time.time_ns() - seconds * 10**9
    for folder in [root, *(path for path in root.rglob("*") if path.is_dir())]:
        os.utime(folder, ns=(when, when))


def summary_of(vault: Path) -> dict:
    return json.loads((vault / CACHE_FOLDER / STATE_NAME).read_text().split("\n")[0])


VAULT_EDITS: dict[str, Callable[[Path], None]] = {
    "a goal added": lambda v: write(v, "goals/new.md", "---\ntitle: Brand new\n---\n"),
    "a goal added in a new folder": lambda v: write(v, "goals/deep/new.md", "---\ntitle: Brand new\n---\n"),
    "a goal removed": lambda v: (v / "goals" / "talks.md").unlink(),
    "a goal renamed": lambda v: (v / "goals" / "talks.md").rename(v / "goals" / "speaking.md"),
    "an entry moved to another folder": lambda v: (v / "journal" / "2026-10-01.md").rename(
        v / "goals" / "2026-10-01.md"),
}


@pytest.mark.parametrize("edit", VAULT_EDITS.values(), ids=VAULT_EDITS.keys())
def test_a_file_added_removed_or_renamed_under_old_folders_is_noticed(vault: Path, tmp_path: Path,
                                                                       edit) -> None:
    # Folders this old are trusted: the check takes the last build's listing of the vault
    # while no folder's time has moved, and edit moves one.
    age_folders(vault)
    Builder(vault, tmp_path / "site", DAY).build()
    assert summary_of(vault)["listing"] is not None
    assert Builder(vault, tmp_path / "site", DAY).build().pages_rendered == 0
    edit(vault)
    assert Builder(vault, tmp_path / "site", DAY).build().pages_rendered > 0
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_a_file_added_within_its_vault_folders_clock_tick_is_noticed(vault: Path,
                                                                     tmp_path: Path) -> None:
    # A folder's time within the clock tick of the walk proves nothing: the listing is not
    # trusted, and the next check walks the vault.
    Builder(vault, tmp_path / "site", DAY).build()
    age_folders(vault)
    goals = vault / "goals"
    now = time.time_ns()
    os.utime(goals, ns=(now, now))
    assert Builder(vault, tmp_path / "site", DAY).build().pages_rendered == 0
    write(vault, "goals/new.md", "---\ntitle: Brand new\n---\n")
    os.utime(goals, ns=(now, now))
    assert Builder(vault, tmp_path / "site", DAY).build().pages_rendered > 0
    assert tree(tmp_path / "site") == clean_build(vault, tmp_path)


def test_a_link_that_comes_to_point_at_a_file_is_noticed(vault: Path, tmp_path: Path) -> None:
    # A link's target can appear where the walk never looks, moving no folder it lists: a
    # vault with links is walked every time.
    (vault / ".drafts").mkdir()
    (vault / "goals" / "later.md").symlink_to(vault / ".drafts" / "later.md")
    Builder(vault, tmp_path / "site", DAY).build()
    age_folders(vault)
    assert Builder(vault, tmp_path / "site", DAY).build().pages_rendered == 0
    write(vault, ".drafts/later.md", "---\ntitle: Later\n---\n")
    assert Builder(vault, tmp_path / "site", DAY).build().pages_rendered > 0
    assert "Later" in (tmp_path / "site" / "goals" / "later" / "index.html").read_text()


def test_a_listing_is_learnt_by_a_check_that_walked(vault: Path, tmp_path: Path) -> None:
    # The site inside the vault: its atomic swap moves the vault's own time at each full
    # build, so the check after one walks, and saves what it saw for the next.
    Builder(vault, None, DAY).build()
    age_folders(vault)
    assert Builder(vault, None, DAY).build().pages_rendered == 0
    listing = summary_of(vault)["listing"]
    assert listing is not None and "goals/talks.md" in listing["files"]
    write(vault, "goals/new.md", "---\ntitle: Brand new\n---\n")
    assert Builder(vault, None, DAY).build().pages_rendered > 0


def test_files_whose_time_proved_nothing_are_trusted_once_old(vault: Path, tmp_path: Path) -> None:
    talks = "goals/talks.md"
    hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(vault / talks, ns=(hour_ago, hour_ago))
    Builder(vault, tmp_path / "site", DAY).build()
    digest = hashlib.sha256((vault / talks).read_bytes()).hexdigest()
    edit_line(vault / CACHE_FOLDER / STATE_NAME, 0,
              lambda summary: {**summary, "unsure": {talks: digest}})
    assert Builder(vault, tmp_path / "site", DAY).build().pages_rendered == 0
    # Hashed, found the same, and old enough: the next check only glances at it.
    assert summary_of(vault)["unsure"] == {}


def test_a_file_changed_within_its_clock_tick_is_read_again_after_a_check(vault: Path,
                                                                          tmp_path: Path) -> None:
    talks = vault / "goals" / "talks.md"
    now = time.time_ns()
    os.utime(talks, ns=(now, now))
    build(vault, tmp_path / "site", DAY)
    # The check between hashes the file, finds it the same, and must not start trusting it.
    assert Builder(vault, tmp_path / "site", DAY).build().pages_rendered == 0
    talks.write_text(talks.read_text().replace("Give 4 talks", "Give 5 talks"))
    os.utime(talks, ns=(now, now))
    Builder(vault, tmp_path / "site", DAY).build()
    assert "Give 5 talks" in (tmp_path / "site/goals/talks/index.html").read_text()


def test_a_no_change_build_with_strict_reads_the_findings_it_needs(builder: Builder, vault: Path,
                                                                  tmp_path: Path) -> None:
    again = Builder(vault, tmp_path / "site", DAY).build(strict=True)
    assert again.pages_rendered == 0 and again.findings == builder.last.findings
    assert again.errors and not again.written


def test_a_listing_naming_a_path_outside_the_vault_is_not_taken(builder: Builder,
                                                                vault: Path) -> None:
    from goalsite.cache import load_summary

    for name in ("../outside.md", "/etc/passwd", "goals/../../x.md", ".hidden/x.md"):
        edit_line(vault / CACHE_FOLDER / STATE_NAME, 0, lambda summary: {
            **summary, "listing": {"files": [name], "folders": {"": 1}}})
        assert load_summary(vault / CACHE_FOLDER) is None, name


def test_a_file_put_beside_a_page_in_its_own_folder_waits_for_a_build_with_work(
        builder: Builder, vault: Path, tmp_path: Path) -> None:
    # A folder holding a single page is not looked at by the no-change check (issue 10: a
    # third of its system calls at 10k/50k); its page is, and any build with something to do
    # lists the whole output and removes what no build of ours wrote (docs/watch.md).
    site = tmp_path / "site"
    (site / "goals/talks/notes.txt").write_text("not ours")
    assert Builder(vault, site, DAY).build().pages_rendered == 0
    talks = vault / "goals" / "talks.md"
    talks.write_text(talks.read_text() + "\nOne more line.\n")
    Builder(vault, site, DAY).build()
    assert tree(site) == clean_build(vault, tmp_path)
