"""The site's machine-readable files (SPEC §5, issue 6): `goals.json` is the document of
`goalsite export --format json`, `calendar.ics` that of `--format ics`, and `feed.xml` is Atom
as RFC 4287 defines it."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_VAULT, TODAY, run_goalsite
from tests.site_vaults import small_vault

ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 3339 date-time, as RFC 4287 §3.3 requires for atom:updated.
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")
# An absolute IRI (RFC 4287 §4.2.6: atom:id is an IRI and must not be relative).
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
ATOM_ELEMENTS = {
    "feed", "entry", "id", "title", "updated", "author", "name", "email", "uri", "link",
    "generator", "summary", "content", "category", "contributor", "icon", "logo", "published",
    "rights", "source", "subtitle",
}


@pytest.fixture(scope="module", params=["example", "small"])
def vault(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if request.param == "example":
        return EXAMPLE_VAULT
    return small_vault(tmp_path_factory.mktemp("small") / "vault")


@pytest.fixture(scope="module")
def site(vault: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("site") / "site"
    done = run_goalsite("--today", TODAY, "build", str(vault), "-o", str(output))
    assert done.returncode == 0, done.stderr
    return output


@pytest.mark.parametrize(("name", "form"), [("goals.json", "json"), ("calendar.ics", "ics")])
def test_exports_are_the_export_commands_documents(site: Path, vault: Path, tmp_path: Path,
                                                   name: str, form: str) -> None:
    exported = tmp_path / name
    done = run_goalsite("--today", TODAY, "export", str(vault), "--format", form,
                        "-o", str(exported))
    assert done.returncode == 0, done.stderr
    assert (site / name).read_bytes() == exported.read_bytes()


def test_calendar_parses_with_a_due_event_per_dated_goal(site: Path) -> None:
    import icalendar

    calendar = icalendar.Calendar.from_ical((site / "calendar.ics").read_bytes())
    events = [c for c in calendar.walk("VEVENT")]
    assert events and all(event.get("UID") and event.get("DTSTART") for event in events)
    assert len({str(event["UID"]) for event in events}) == len(events)


def test_feed_is_atom_as_rfc_4287_defines_it(site: Path) -> None:
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    assert feed.tag == f"{ATOM}feed"
    unknown = {e.tag for e in feed.iter() if e.tag.startswith(ATOM)} - {ATOM + n for n in ATOM_ELEMENTS}
    assert unknown == set()
    # §4.1.1: exactly one id, title and updated; an author, here at the feed level.
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    assert ABSOLUTE_IRI.fullmatch(feed.findtext(f"{ATOM}id", ""))
    assert RFC3339.fullmatch(feed.findtext(f"{ATOM}updated", ""))
    alternates = [link for link in feed.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
    assert len(alternates) == 1 and alternates[0].get("href")
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    ids = [entry.findtext(f"{ATOM}id", "") for entry in entries]
    assert len(set(ids)) == len(ids) and all(ABSOLUTE_IRI.fullmatch(i) for i in ids)
    newest = max(entry.findtext(f"{ATOM}updated", "") for entry in entries)
    assert feed.findtext(f"{ATOM}updated") == newest
    for entry in entries:
        # §4.1.2: exactly one id, title, updated; a link or content to read it by.
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, (name, ids)
        assert RFC3339.fullmatch(entry.findtext(f"{ATOM}updated", ""))
        dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated", "").replace("Z", "+00:00"))
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href", "").endswith("/index.html")
        assert (site / link.get("href", "")).is_file()
        content = entry.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html"
