"""Every doc that goalsite's code, templates, example vault, README and docs point people at
exists: a fix or a comment that says "see docs/x.md" must lead somewhere."""

from __future__ import annotations

import re

from tests.conftest import EXAMPLE_VAULT, REPO

# `docs/name.md` in any text; `](name.md)` (a relative link) inside docs/.
NAMED = re.compile(r"\bdocs/([A-Za-z0-9_-]+\.(?:md|png))")
LINKED = re.compile(r"\]\(([A-Za-z0-9_-]+\.md)(?:#[^)]*)?\)")


def test_every_doc_named_exists() -> None:
    sources = [*(REPO / "goalsite").rglob("*.py"), *(REPO / "templates").rglob("*.html"),
               *EXAMPLE_VAULT.rglob("*.md"), EXAMPLE_VAULT / "goalsite.toml", REPO / "README.md",
               *(REPO / "docs").glob("*.md")]
    missing = sorted(
        (str(path.relative_to(REPO)), f"docs/{name}")
        for path in sources
        for name in NAMED.findall(path.read_text(encoding="utf-8"))
        if not (REPO / "docs" / name).is_file()
    )
    missing += sorted(
        (str(path.relative_to(REPO)), f"docs/{name}")
        for path in (REPO / "docs").glob("*.md")
        for name in LINKED.findall(path.read_text(encoding="utf-8"))
        if not (REPO / "docs" / name).is_file()
    )
    assert missing == []
