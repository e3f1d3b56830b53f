"""The excerpt cache: the start of each entry body's plain text, by the body's digest.

The dashboard, the reviews page, the journal and the feed list entries with an excerpt, and an
excerpt comes from parsing the body's Markdown. A build in a new process that redraws one of
those pages would parse every body it lists again: at 10,000 goals and 50,000 entries the
reviews page alone lists thousands, which made most of the time of a `goalsite build` after
one edit (issue 10). So the last build's excerpts are kept in `<cache_dir>/excerpts.json`, by
the digest of each body, for the renderer's options and for this exact goalsite code.

The file is JSON lines: a header (the format, the code, the options), then one `[digest,
excerpt]` a line. A build that learnt a few new excerpts appends them, rather than writing
tens of thousands again (issue 10: 2 s of a one-edit build at 50,000 entries); the file is
written anew only when most of its lines name bodies no entry has any more.

JSON, never pickle: the vault is untrusted input, and so is anything next to it. A file that
cannot be read, is malformed (a line cut short by a crash included), or was written by other
code or for other options is ignored. An excerpt is plain text, escaped wherever it lands like
any text from the vault.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from goalsite.cache import code_digest
from goalsite.site.markdown import DIGEST_SIZE, MarkdownOptions

log = logging.getLogger(__name__)

CACHE_NAME = "excerpts.json"
FORMAT = "goalsite-excerpts/2"


@dataclass
class ExcerptCache:
    """The excerpts `excerpts.json` holds for these options (`saved`), and where it lives."""

    folder: Path | None
    options: MarkdownOptions
    saved: Mapping[bytes, str] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path | None, options: MarkdownOptions) -> ExcerptCache:
        """The cache in `folder`, or an empty one (no folder or file, corrupt or foreign)."""
        if folder is None:
            return cls(folder, options)
        try:
            lines = (folder / CACHE_NAME).read_bytes().split(b"\n")
            return cls(folder, options, _decode(lines, options))
        except FileNotFoundError:
            return cls(folder, options)
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
            log.debug("excerpt cache ignored: %s", error)
            return cls(folder, options)

    def save(self, excerpts: Mapping[bytes, str]) -> None:
        """Keep `excerpts` (the current bodies' ones): those the file lacks are appended, or
        the file is written anew when fewer than half of its lines are still current; a cache
        that cannot be written only makes the next build slower."""
        if self.folder is None:
            return
        new = {key: text for key, text in excerpts.items() if self.saved.get(key) != text}
        mostly_current = (len(excerpts) - len(new)) * 2 >= len(self.saved)
        if not new and mostly_current:
            return
        if self.saved and mostly_current and (self.folder / CACHE_NAME).is_file():
            try:
                with open(self.folder / CACHE_NAME, "ab") as stream:
                    stream.write(_lines(new))
            except OSError as error:
                log.debug("excerpt cache not written: %s", error)
                return
            self.saved = {**self.saved, **new}
            return
        header = {"format": FORMAT, "code": code_digest(), "options": _options(self.options)}
        temporary: str | None = None
        try:
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".excerpts-", suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(_line(header) + _lines(excerpts))
            os.replace(temporary, self.folder / CACHE_NAME)
        except OSError as error:
            log.debug("excerpt cache not written: %s", error)
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
            return
        self.saved = dict(excerpts)


def _line(document: object) -> bytes:
    # JSON text holds no line break (they are escaped in strings): one document, one line.
    return (json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def _lines(excerpts: Mapping[bytes, str]) -> bytes:
    # One dumps of all the rows (the C encoder), then split where the rows meet: one a line.
    if not excerpts:
        return b""
    rows = json.dumps([[key.hex(), text] for key, text in excerpts.items()],
                      separators=(",", ":"))
    return (rows[1:-1].replace('"],["', '"]\n["') + "\n").encode("utf-8")


def _options(options: MarkdownOptions) -> list[bool]:
    return [options.unsafe_html, options.linkify]


def _decode(lines: list[bytes], options: MarkdownOptions) -> dict[bytes, str]:
    """The excerpts of a cache file's lines, checking every piece: anything unexpected raises."""
    header = json.loads(lines[0])
    if not isinstance(header, dict) or header.get("format") != FORMAT \
            or header.get("code") != code_digest():
        raise ValueError("written by another version of goalsite")
    if header.get("options") != _options(options):
        raise ValueError("written for other Markdown options")
    if lines[-1]:
        raise ValueError("the last line is cut short")
    # All the rows at once (the C decoder): the lines joined back into one JSON list.
    rows = json.loads(b"[" + b",".join(lines[1:-1]) + b"]")
    decoded: dict[bytes, str] = {}
    for row in rows:
        if type(row) is not list or len(row) != 2:
            raise TypeError("a row that is not [digest, excerpt]")
        key, text = row
        digest = bytes.fromhex(key)
        if len(digest) != DIGEST_SIZE or not isinstance(text, str):
            raise ValueError(f"excerpt {key!r}")
        decoded[digest] = text
    return decoded
