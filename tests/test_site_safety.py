"""Output safety (SPEC §8) and escaping by context (SPEC §5): refusals, the atomic swap, and no
value from a file reaching the page unescaped."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from goalsite.build import build
from goalsite.errors import RefusedError
from goalsite.site.output import MARKER, safe_destination, write_site
from tests.conftest import run_goalsite
from tests.site_vaults import TODAY, hostile_vault, small_vault

DAY = dt.date.fromisoformat(TODAY)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


# --- refusals -----------------------------------------------------------------------------------


def test_refuses_a_non_empty_folder_without_the_marker(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "vault")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/thesis.txt").write_text("years of work")
    done = run_goalsite("--today", TODAY, "build", str(vault), "-o", str(tmp_path / "docs"))
    assert done.returncode == 2
    assert "the folder is not empty and goalsite did not create it" in done.stderr
    assert snapshot(tmp_path / "docs") == {"thesis.txt": b"years of work"}


@pytest.mark.parametrize("where", ["vault", "parent", "root"], ids=["is-the-vault", "contains-the-vault", "root"])
def test_refuses_the_vault_a_folder_containing_it_and_root(tmp_path: Path, where: str) -> None:
    vault = small_vault(tmp_path / "vault")
    target = {"vault": vault, "parent": tmp_path, "root": Path("/")}[where]
    before = snapshot(vault)
    with pytest.raises(RefusedError):
        build(vault, target, DAY)
    assert snapshot(vault) == before
    assert not list(tmp_path.glob(".*goalsite*"))


def test_refuses_the_home_folder(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "vault")
    home = tmp_path / "home"
    home.mkdir()
    done = run_goalsite("--today", TODAY, "build", str(vault), "-o", str(home),
                        env={"HOME": str(home)})
    assert done.returncode == 2 and "it is your home folder" in done.stderr
    assert list(home.iterdir()) == []


def test_refuses_a_file(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "vault")
    (tmp_path / "site").write_text("not a folder")
    with pytest.raises(RefusedError, match="it is a file"):
        build(vault, tmp_path / "site", DAY)
    assert (tmp_path / "site").read_text() == "not a folder"


def test_an_empty_folder_and_our_own_site_are_accepted(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "vault")
    (tmp_path / "site").mkdir()
    build(vault, tmp_path / "site", DAY)
    (tmp_path / "site/stale.html").write_text("from an older build")
    build(vault, tmp_path / "site", DAY)
    assert (tmp_path / "site" / MARKER).is_file()
    assert not (tmp_path / "site/stale.html").exists()


@pytest.mark.parametrize("relative", ["../escape.html", "/etc/x", "a/../../b", "a\\..\\b", ""])
def test_never_writes_outside_the_output_folder(tmp_path: Path, relative: str) -> None:
    with pytest.raises(RefusedError):
        safe_destination(tmp_path, relative)
    with pytest.raises(RefusedError):
        write_site(tmp_path / "site", {relative: b"x"})
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# --- the atomic swap ------------------------------------------------------------------------------


def test_a_build_failing_midway_leaves_the_old_site_byte_identical(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "vault")
    build(vault, tmp_path / "site", DAY)
    before = snapshot(tmp_path / "site")
    (vault / "goals/talks.md").write_text((vault / "goals/talks.md").read_text().replace("4 talks", "5 talks"))
    (vault / "templates").mkdir()
    # The journal renders after the goal pages: the failure comes midway through the build.
    (vault / "templates/journal.html").write_text("{{ view.no_such_thing.at_all }}")
    done = run_goalsite("--today", TODAY, "build", str(vault), "-o", str(tmp_path / "site"))
    assert done.returncode == 1
    assert "template journal.html failed for journal/index.html" in done.stderr
    assert snapshot(tmp_path / "site") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "vault"]


def test_a_failure_while_writing_keeps_the_old_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, {"index.html": b"old"})
    with pytest.raises(RefusedError):
        write_site(site, {"index.html": b"new", "../outside": b"x"})
    assert snapshot(site) == {MARKER: snapshot(site)[MARKER], "index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# --- escaping -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    vault = hostile_vault(root / "vault")
    build(vault, root / "site", DAY)
    return root / "site"


def pages(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(site.rglob("*")) if path.suffix in (".html", ".xml", ".svg")}


def test_no_script_or_handler_from_a_file_appears_unescaped(hostile_site: Path) -> None:
    found = pages(hostile_site)
    assert "goals/evil/index.html" in found and "journal/e1/index.html" in found
    for name, text in found.items():
        assert "<script" not in text.lower(), name
        assert "<img src=x" not in text, name
        assert not re.search(r"<[a-z]+[^>]*\son[a-z]+\s*=", text, re.IGNORECASE), name
        assert "</script>" not in text, name


def test_unsafe_urls_are_inert_wherever_they_come_from(hostile_site: Path) -> None:
    for name, text in pages(hostile_site).items():
        for url in re.findall(r'(?:href|src)="([^"]*)"', text):
            assert not re.match(r"\s*(javascript|data|vbscript):", url, re.IGNORECASE), (name, url)
    goal = (hostile_site / "goals/evil/index.html").read_text()
    assert '<a href="#" rel="noopener noreferrer">javascript:alert(3)</a>' in goal
    assert "[click](javascript:alert(6))" in goal
    assert "&lt;script&gt;alert(7)&lt;/script&gt;" in goal


def test_class_names_made_from_values_are_slugs(hostile_site: Path) -> None:
    for name, text in pages(hostile_site).items():
        for classes in re.findall(r'class="([^"]*)"', text):
            assert re.fullmatch(r"[a-z0-9 _-]*", classes), (name, classes)


def test_the_feed_and_svg_escape_values(hostile_site: Path) -> None:
    import xml.etree.ElementTree as ET

    feed = (hostile_site / "feed.xml").read_bytes()
    ET.fromstring(feed)  # still well-formed XML
    goal = (hostile_site / "goals/evil/index.html").read_text()
    svg = goal[goal.index("<svg class=\"chart chart-measure"):]
    svg = svg[: svg.index("</svg>")]
    assert "&lt;script&gt;" in svg and "<script" not in svg


def test_raw_html_passes_only_when_the_vault_opts_in(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "vault")
    (vault / "goals/lead.md").write_text((vault / "goals/lead.md").read_text() + "\n<kbd>Ctrl</kbd>\n")
    build(vault, tmp_path / "safe", DAY)
    assert "&lt;kbd&gt;Ctrl&lt;/kbd&gt;" in (tmp_path / "safe/goals/lead/index.html").read_text()
    with (vault / "goalsite.toml").open("a") as config:
        config.write("unsafe_html = true\n")
    build(vault, tmp_path / "trusted", DAY)
    assert "<kbd>Ctrl</kbd>" in (tmp_path / "trusted/goals/lead/index.html").read_text()


def test_vault_templates_cannot_reach_python_internals(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "vault")
    (vault / "templates").mkdir()
    (vault / "templates/risks.html").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    done = run_goalsite("--today", TODAY, "build", str(vault), "-o", str(tmp_path / "site"))
    assert done.returncode == 1 and "unsafe" in done.stderr
    assert not (tmp_path / "site").exists()


def test_leftover_staging_folders_from_a_killed_build_are_cleared(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, {"index.html": b"one"})
    leftover = tmp_path / ".site.goalsite-new"
    leftover.mkdir()
    (leftover / MARKER).write_text("")
    write_site(site, {"index.html": b"two"})
    assert not leftover.exists() and (site / "index.html").read_bytes() == b"two"
    assert os.listdir(tmp_path) == ["site"]


def test_a_rewrite_keeps_unchanged_files_and_never_follows_a_link_in_the_old_site(
        tmp_path: Path) -> None:
    site, outside = tmp_path / "site", tmp_path / "outside.html"
    first = {"index.html": b"home", "goals/a/index.html": b"a", "goals/b/index.html": b"b",
             "journal/2026/x/index.html": b"x"}
    assert write_site(site, first) == tuple(sorted(first))
    kept = (site / "goals/a/index.html").stat().st_ino
    # A link put by hand in place of a page: the next build writes the page, never the target.
    outside.write_bytes(b"b")
    (site / "goals/b/index.html").unlink()
    (site / "goals/b/index.html").symlink_to(outside)
    second = {**first, "index.html": b"home, again", "goals/c/index.html": b"c"}
    assert write_site(site, second) == ("goals/b/index.html", "goals/c/index.html", "index.html")
    assert snapshot(site) == {**second, MARKER: snapshot(site)[MARKER]}
    assert (site / "goals/a/index.html").stat().st_ino == kept  # linked, not written again
    assert not (site / "goals/b/index.html").is_symlink() and outside.read_bytes() == b"b"
