"""docs/site.md stays true: every address in its table of pages is built, every template it
names exists, and the colours it names are in the stylesheet."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from goalsite.build import build
from tests.conftest import REPO
from tests.site_vaults import TODAY, small_vault

DOC = (REPO / "docs" / "site.md").read_text(encoding="utf-8")


def test_every_address_in_the_table_of_pages_is_built(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(small_vault(tmp_path / "vault"), site, dt.date.fromisoformat(TODAY))
    built = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    rows = [line for line in DOC.splitlines() if line.startswith("| ") and "`" in line.split("|")[2]]
    addresses = [a for row in rows for a in re.findall(r"`([^`]+)`", row.split("|")[2])]
    assert len(addresses) >= 12
    for address in addresses:
        pattern = re.escape(address).replace(re.escape("<id>"), "[a-z0-9-]+").replace(re.escape("<n>"), r"\d+")
        if address == "journal/page/<n>/index.html":
            continue  # the small vault's journal fits one page
        assert any(re.fullmatch(pattern, path) for path in built), address


def test_the_templates_and_colours_it_names_exist() -> None:
    look = DOC[DOC.index("## Your own look"):DOC.index("## Where it is written")]
    names = re.findall(r"`((?:partials/)?[a-z_]+\.html)`", look)
    assert len(names) >= 4
    for name in names:
        assert (REPO / "templates" / name).is_file(), name
    stylesheet = (REPO / "templates" / "assets" / "style.css").read_text(encoding="utf-8")
    for variable in re.findall(r"`(--[a-z-]+)`", DOC):
        assert f"{variable}:" in stylesheet, variable
