"""The excerpt cache: the start of each entry body's plain text, by the body's digest.

The dashboard, the reviews page, the journal and the feed list entries with an excerpt, and an
excerpt comes from parsing the body's Markdown. A build in a new process that redraws one of
those pages would parse every body it lists again: at 10,000 goals and 50,000 entries the
reviews page alone lists thousands, which made most of the time of a `goalsite build` after
one edit (issue 10). So the last build's excerpts are kept in `<cache_dir>/excerpts.json`, by
the digest of each body, for the renderer's options and for this exact goalsite code.

JSON, never pickle: the vault is untrusted input, and so is anything next to it. A file that
cannot be read, is malformed, or was written by other code or for other options is ignored. An
excerpt is plain text, escaped wherever it lands like any text from the vault.
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
FORMAT = "goalsite-excerpts/1"


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
            text = (folder / CACHE_NAME).read_text(encoding="utf-8")
            return cls(folder, options, _decode(json.loads(text), options))
        except FileNotFoundError:
            return cls(folder, options)
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
            log.debug("excerpt cache ignored: %s", error)
            return cls(folder, options)

    def save(self, excerpts: Mapping[bytes, str]) -> None:
        """Keep `excerpts` (the current bodies' ones), if they differ from what the file holds;
        a cache that cannot be written only makes the next build slower."""
        if self.folder is None or excerpts == self.saved:
            return
        document = {"format": FORMAT, "code": code_digest(), "options": _options(self.options),
                    "excerpts": {key.hex(): text for key, text in excerpts.items()}}
        temporary: str | None = None
        try:
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".excerpts-", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                # dumps, not dump: the C encoder makes the whole text at once.
                stream.write(json.dumps(document, sort_keys=True, separators=(",", ":")))
            os.replace(temporary, self.folder / CACHE_NAME)
        except OSError as error:
            log.debug("excerpt cache not written: %s", error)
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
            return
        self.saved = dict(excerpts)


def _options(options: MarkdownOptions) -> list[bool]:
    return [options.unsafe_html, options.linkify]


def _decode(raw: object, options: MarkdownOptions) -> dict[bytes, str]:
    """The excerpts of a cache file, checking every piece: anything unexpected raises."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("code") != code_digest():
        raise ValueError("written by another version of goalsite")
    if raw.get("options") != _options(options):
        raise ValueError("written for other Markdown options")
    excerpts = raw["excerpts"]
    if not isinstance(excerpts, dict):
        raise TypeError("excerpts")
    decoded: dict[bytes, str] = {}
    for key, text in excerpts.items():
        digest = bytes.fromhex(key)
        if len(digest) != DIGEST_SIZE or not isinstance(text, str):
            raise ValueError(f"excerpt {key!r}")
        decoded[digest] = text
    return decoded
