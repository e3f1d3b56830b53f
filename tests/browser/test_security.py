"""A vault whose every value is an attack, opened in the browser (SPEC §8, issue 6): titles,
bodies, measure names, units, tags and ids carry `<script>`, `"><img onerror=…>`, SVG handlers,
`javascript:` links and `</script>` inside values that land in inline JSON. No payload runs (each
would set `window.gsPwned`; dialogs and console errors are recorded), no live link has an unsafe
scheme, and the text reads back exactly as written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import PHONE, Visitor, build_site, html_pages
from tests.conftest import REPO

SCRIPT = "<script>window.gsPwned='script'</script>"
ATTRIBUTE = "\"><img src=x onerror=\"window.gsPwned='attribute'\">"
SINGLE = "'><svg onload=\"window.gsPwned='svg'\"></svg>"
CLOSE = "</script><script>window.gsPwned='json'</script><!--"
EVIL = SCRIPT + ATTRIBUTE + SINGLE + CLOSE
JS_URL = "javascript:window.gsPwned='url'"
# One unbroken word far wider than a phone: it must wrap, not widen the page.
LONG = "Supercalifragilistic" * 8
# What must never appear as markup in an HTML, XML or SVG file we wrote.
RAW_MARKERS = ("<script>window.gsPwned", "<img src=x", "<svg onload", "<!--")

# A vault's own base layout puts values in inline JSON, the one place `|tojson` belongs.
INLINE_JSON = """<script>
window.gsData = {{ {"title": view.shell.title, "site": view.shell.site_title}|tojson }};
window.gsDataOk = true;
</script>
</head>"""


def y(value: object) -> str:
    """A YAML scalar for any text: JSON's double-quoted strings are valid YAML."""
    return json.dumps(value)


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def hostile_vault(root: Path) -> Path:
    write(root, "goalsite.toml", f"title = {y('Site ' + EVIL)}\nowner = {y(EVIL)}\n")
    base = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    assert "</head>" in base
    write(root, "templates/base.html", base.replace("</head>", INLINE_JSON, 1))
    write(root, "goals/evil.md", f"""---
title: {y('Goal ' + EVIL)}
id: evil
horizon: quarterly
category: {y(EVIL)}
status: active
owner: {y(EVIL)}
coach: {y(EVIL)}
start: 2026-09-01
due: 2026-12-20
url: {y(JS_URL)}
specific: {y(EVIL)}
achievable: {y(EVIL)}
relevant: {y(EVIL)}
resources: [{y(EVIL)}, {y(JS_URL)}]
tags: [{y(EVIL)}, {y(JS_URL)}]
measures:
  - key: hits
    name: {y('Hits ' + EVIL)}
    unit: {y(CLOSE)}
    baseline: 0
    target: 10
  - key: misses
    name: {y(SINGLE)}
    unit: {y(ATTRIBUTE)}
    baseline: 10
    target: 0
obstacles:
  - obstacle: {y(EVIL)}
    plan: {y(EVIL)}
  - obstacle: {y(JS_URL)}
---
# Body {SCRIPT}

[a link]({JS_URL}) [data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox(1))
<{JS_URL}> ![image]({JS_URL}) ![x](x" onerror="window.gsPwned='image')

{SCRIPT} {ATTRIBUTE} {SINGLE}

<a href="{JS_URL}">raw link</a> <iframe src="{JS_URL}"></iframe>

[[evil|{EVIL}]] [[{EVIL}]]

| {EVIL} | cell |
|---|---|
| {CLOSE} | {ATTRIBUTE} |

- [ ] {SCRIPT}
""")
    write(root, "goals/child.md", f"""---
title: {y('Child ' + EVIL + ' ' + LONG)}
horizon: monthly
parent: evil
category: {y(LONG)}
start: 2026-11-01
due: 2026-11-30
tags: [{y(LONG)}]
measure: {{name: {y(EVIL + LONG)}, unit: {y(SINGLE + LONG)}, baseline: 0, target: 3}}
---
{LONG}
""")
    write(root, "journal/2026-11-21.md", f"""---
date: 2026-11-21
goal: child
title: {y(LONG)}
value: 2
tags: [{y(LONG)}]
---
{LONG}
""")
    # Ids that are attacks are refused (F006): the lint page still quotes them.
    write(root, "goals/bad-id.md", f"---\ntitle: {y(EVIL)}\nid: {y(EVIL)}\nhorizon: weekly\n---\n")
    write(root, "goals/bad-parent.md", f"---\ntitle: Orphan\nparent: {y(EVIL)}\n---\n{EVIL}\n")
    for day, value in (("2026-10-01", 3), ("2026-11-01", 6)):
        write(root, f"journal/{day}.md", f"""---
date: {day}
goal: evil
title: {y('Entry ' + EVIL)}
values: {{hits: {value}, misses: {10 - value}, {y(EVIL)}: 1}}
tags: [{y(EVIL)}]
---
{CLOSE}

{SCRIPT} [go]({JS_URL})
""")
    write(root, "journal/2026-11-20.md", f"""---
date: 2026-11-20
goals: [evil, {y(EVIL)}]
kind: {y(EVIL)}
---
{ATTRIBUTE}
""")
    return root


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    return build_site(hostile_vault(root / "vault"), root / "site")


INSPECT = """() => {
  const bad = [];
  if (window.gsPwned !== undefined) bad.push('a payload ran: ' + window.gsPwned);
  if (window.gsDataOk !== true) bad.push('the inline JSON script broke');
  const scripts = document.querySelectorAll('script').length;
  if (scripts !== 1) bad.push(scripts + ' script elements, only the layout\\'s one expected');
  for (const tag of ['iframe', 'object', 'embed', 'foreignObject', 'base', 'meta[http-equiv="refresh"]']) {
    if (document.querySelector(tag)) bad.push('a live ' + tag);
  }
  const linking = ['href', 'src', 'xlink:href', 'action', 'formaction', 'srcdoc', 'data'];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on')) bad.push(element.tagName + ' has ' + name);
      if (linking.includes(name)) {
        const scheme = new URL(attribute.value, document.baseURI).protocol;
        if (!['file:', 'http:', 'https:', 'mailto:'].includes(scheme)) {
          bad.push(element.tagName + ' ' + name + '=' + attribute.value);
        }
      }
    }
  }
  return bad;
}"""


def test_no_payload_runs_and_no_unsafe_link_is_live(hostile_site: Path, visit: Visitor) -> None:
    pages = html_pages(hostile_site)
    assert len(pages) >= 8, "the hostile vault should build every kind of page"
    problems: dict[str, list[str]] = {}
    for path in pages:
        seen = visit(path, hostile_site)
        found = seen.problems() + list(seen.page.evaluate(INSPECT))
        if found:
            problems[path.relative_to(hostile_site).as_posix()] = found
    assert problems == {}


def test_long_unbroken_values_wrap_on_a_phone(hostile_site: Path, visit: Visitor) -> None:
    wide = {path.relative_to(hostile_site).as_posix(): width for path in html_pages(hostile_site)
            if (width := visit(path, hostile_site, width=PHONE).scroll_width()) > PHONE}
    assert wide == {}


def test_values_read_back_exactly_as_written(hostile_site: Path, visit: Visitor) -> None:
    seen = visit(hostile_site / "goals" / "evil" / "index.html", hostile_site)
    shown = seen.page.evaluate("""() => ({
      h1: document.querySelector('h1').textContent,
      json: window.gsData.title,
      site: window.gsData.site,
      svg: [...document.querySelectorAll('svg title, svg text, svg desc')].map(t => t.textContent).join('\\n'),
      text: document.body.textContent,
    })""")
    assert shown["h1"] == "Goal " + EVIL
    assert shown["json"].startswith("Goal " + EVIL)
    assert shown["site"] == "Site " + EVIL
    # Measure names and units reach the charts' SVG text as text.
    assert "Hits " + EVIL in shown["svg"] or EVIL in shown["text"]
    assert CLOSE in shown["text"] and SINGLE in shown["text"]


@pytest.mark.parametrize("suffix", [".html", ".xml"])
def test_no_payload_appears_unescaped_in_the_files(hostile_site: Path, suffix: str) -> None:
    raw: dict[str, list[str]] = {}
    for path in sorted(hostile_site.rglob(f"*{suffix}")):
        text = path.read_text(encoding="utf-8")
        if suffix == ".html":
            # The vault's own layout script is the one place a <script> belongs.
            text = text.replace("<script>\nwindow.gsData", "", 1)
        found = [marker for marker in RAW_MARKERS if marker in text]
        if found:
            raw[path.relative_to(hostile_site).as_posix()] = found
    assert raw == {}


def test_the_hostile_site_is_still_valid_html(hostile_site: Path, vnu: Any) -> None:
    """Escaping keeps every document well formed: no value opens or closes an element."""
    assert vnu(html_pages(hostile_site)) == []
