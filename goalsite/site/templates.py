"""The jinja2 environment: autoescape for every template, the vault's `templates/` overriding
ours file by file, and the few filters templates need (SPEC §5, STYLE habit 13)."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from goalsite.site.svg import slug
from goalsite.site.urls import is_safe_url

PACKAGED_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
VAULT_TEMPLATES = "templates"


def make_environment(vault_root: Path | None) -> jinja2.Environment:
    """An environment reading the vault's `templates/` first, then ours.

    Autoescape is on for every template whatever its extension — `.html`, `.xml`, `.svg` — so
    a value from a file is escaped wherever it lands (SPEC §5). When the vault has templates the
    environment is sandboxed: they are untrusted input, and a cloned vault must never run code
    (STYLE). Ours alone need no sandbox, which checks every attribute a template reads and took
    a third of the time of a large site's build (issue 10).
    """
    loaders: list[jinja2.BaseLoader] = []
    if vault_root is not None and (vault_root / VAULT_TEMPLATES).is_dir():
        loaders.append(jinja2.FileSystemLoader(vault_root / VAULT_TEMPLATES, followlinks=False))
    loaders.append(jinja2.FileSystemLoader(PACKAGED_TEMPLATES))
    kind = ImmutableSandboxedEnvironment if len(loaders) > 1 else jinja2.Environment
    environment = kind(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A page includes a dozen partials, and checking each file's time on every include
        # cost a `stat` per include (issue 10): `forget_changed` looks once per build instead.
        auto_reload=False,
    )
    environment.filters["slug"] = slug
    environment.filters["url"] = safe_url
    environment.filters["percent"] = percent
    environment.filters["signed"] = signed
    environment.filters["code_spans"] = code_spans
    # jinja's own tojson escapes <, >, & and ' — safe inside <script> and single-quoted
    # attributes only; templates use it nowhere else.
    return environment


def forget_changed(environment: jinja2.Environment) -> None:
    """Drop the compiled templates whose file changed since they were read, so the next build
    (watch mode) reads them again."""
    cache = environment.cache
    if cache is None:
        return
    for key, template in list(cache.items()):
        if not template.is_up_to_date:
            del cache[key]


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def code_spans(value: object) -> Markup:
    """`value` escaped, with its `backticked` parts set as code (findings quote fields so)."""
    escaped = str(escape(value))
    return Markup(_CODE_SPAN.sub(lambda match: f"<code>{match.group(1)}</code>", escaped))


def safe_url(value: object) -> str:
    """A URL from front matter, or `#` when its scheme is not http(s), mailto or relative."""
    text = "" if value is None else str(value).strip()
    return text if text and is_safe_url(text) else "#"


def percent(fraction: float | None) -> str:
    """`0.456` → `46%`-style text, clamped to 0–100 for display (SPEC §3: kept raw, shown clamped)."""
    if fraction is None:
        return "–"
    return f"{round(max(0.0, min(1.0, fraction)) * 100)}%"


def signed(days: int | None) -> Markup | str:
    """Days ahead/behind in words: `12 days ahead`, `3 days behind`, `on the road`."""
    if days is None:
        return "–"
    if days == 0:
        return "on the road"
    word = "day" if abs(days) == 1 else "days"
    return f"{abs(days)} {word} {'ahead' if days > 0 else 'behind'}"
