"""URLs in the site: the one scheme check (SPEC §5) and links relative between output pages.

Every URL a user wrote — in Markdown or in front matter (`url:`) — passes `is_safe_url`; only
http(s), mailto and relative URLs stay live, so `javascript:`, `data:`, `vbscript:` and every
other scheme render inert. Links between our own pages are relative, so the site works from
`file://` and under any sub-path.
"""

from __future__ import annotations

import functools
import posixpath
import re

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers drop ASCII tab and newline anywhere in a URL and trim control characters and spaces,
# so `java\tscript:` is `javascript:` to them: strip the same before reading the scheme.
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]")


def is_safe_url(url: str) -> bool:
    """True for http(s), mailto and relative URLs; False for any other scheme."""
    cleaned = _IGNORED_BY_BROWSERS.sub("", url).lower()
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1) in SAFE_SCHEMES


def is_remote_url(url: str) -> bool:
    """True when following `url` would leave the site (a scheme or a `//host` prefix)."""
    cleaned = _IGNORED_BY_BROWSERS.sub("", url).lower()
    return cleaned.startswith("//") or _SCHEME.match(cleaned) is not None


def relative(from_page: str, to_path: str) -> str:
    """The link from output page `from_page` to output file `to_path`, both output-relative.

    `relative("goals/a/index.html", "goals/b/index.html") == "../b/index.html"`; a folder
    target (ending `/`) gets `index.html` so the link works from `file://`.
    """
    if to_path.endswith("/") or to_path == "":
        to_path += "index.html"
    # posixpath.relpath would do, but it asks the OS for the working folder on every call, and
    # the site makes a dozen links per page (issue 10): the same arithmetic on strings only.
    start = _folder_parts(posixpath.dirname(from_page))
    target = _parts(to_path)
    common = 0
    for here, there in zip(start, target):
        if here != there:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:]) or "."


@functools.lru_cache(maxsize=256)
def _folder_parts(folder: str) -> tuple[str, ...]:
    # A page asks for all its links from one folder, and most pages share a few folders.
    return tuple(_parts(folder))


def _parts(path: str) -> list[str]:
    if path.startswith(".") or "/." in path:
        # Only a `.` or `..` segment needs normpath; our own paths have none.
        path = posixpath.normpath(path)
    return [part for part in path.split("/") if part not in ("", ".")]


def goal_path(goal_id: str) -> str:
    """The output path of a goal's page."""
    return f"goals/{goal_id}/index.html"


def entry_path(entry_id: str) -> str:
    """The output path of a journal entry's page."""
    return f"journal/{entry_id}/index.html"


def journal_page_path(number: int) -> str:
    """The output path of page `number` (1-based) of the journal."""
    return "journal/index.html" if number == 1 else f"journal/page/{number}/index.html"
