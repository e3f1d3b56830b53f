"""The browser harness: Debian's chromium driven headless by Playwright, the Nu HTML Checker
and axe-core, run on the example site built once per session.

Nothing here downloads a browser: Playwright launches `/usr/bin/chromium` (`make test`
installs Debian's package when missing). The checkers come from `tests/browser/package.json`
(`npm ci --prefix tests/browser`). A test skips, with the reason printed, only when chromium,
java or the npm packages cannot be found; with `GOALSITE_BROWSER_REQUIRED=1` (set by
`make test`) it fails instead, so CI never passes by skipping.

One browser serves all the browser tests, and one tab per viewport and colour scheme serves every
visit with those settings: a new browser context costs more than loading a page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE_VAULT, TODAY, run_goalsite

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
# Playwright adds --headless itself; the rest keeps chromium from calling home while we test.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
DESKTOP, PHONE = 1280, 360
# Schemes that never leave the machine: the site's own files and inline data.
LOCAL_SCHEMES = ("file://", "data:", "about:")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def unavailable(reason: str) -> None:
    """Skip with `reason`, or fail when the browser tests are required (`make test`)."""
    if os.environ.get("GOALSITE_BROWSER_REQUIRED") == "1":
        pytest.fail(f"browser tests are required but {reason}", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    """Debian's chromium: $GOALSITE_CHROMIUM, else `chromium` on PATH, else /usr/bin/chromium."""
    for candidate in (os.environ.get("GOALSITE_CHROMIUM"), shutil.which("chromium"),
                      "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One headless chromium for the browser tests. It closes, with Playwright's threads, when
    they are done: other tests (the render pool) fork only a single-threaded process."""
    executable = find_chromium()
    if executable is None:
        unavailable("chromium was not found (install Debian's package: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True,
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def vnu() -> Callable[[list[Path]], list[str]]:
    """`vnu(paths)`: the Nu HTML Checker's errors for `paths`, all checked in one JVM."""
    java = shutil.which("java")
    if java is None:
        unavailable("java was not found: the Nu HTML Checker needs a Java runtime")
    if not VNU_JAR.is_file():
        unavailable(f"{VNU_JAR} is missing: run `npm ci --prefix tests/browser`")

    def check(paths: list[Path]) -> list[str]:
        result = subprocess.run(
            [str(java), "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
             *map(str, paths)],
            capture_output=True, text=True, timeout=300,
        )
        # vnu writes its JSON report to stderr and exits 1 when it found errors.
        assert result.returncode in (0, 1), f"vnu failed ({result.returncode}): {result.stderr[-2000:]}"
        report = json.loads(result.stderr or result.stdout)
        return [f"{m.get('url', '').removeprefix('file:')}:{m.get('lastLine', '?')}: "
                f"{m.get('type')}: {m.get('message')}" for m in report["messages"]]

    return check


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE_JS.is_file():
        unavailable(f"{AXE_JS} is missing: run `npm ci --prefix tests/browser`")
    return AXE_JS


def build_site(vault: Path, output: Path) -> Path:
    """Build `vault` into `output` with the real CLI at the pinned date; fail with its output."""
    result = run_goalsite("--today", TODAY, "build", str(vault), "-o", str(output))
    assert result.returncode == 0, f"build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    assert (output / "index.html").is_file(), f"no index.html in {output}"
    return output


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example vault's site, built once per session."""
    return build_site(EXAMPLE_VAULT, tmp_path_factory.mktemp("example") / "site")


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site, sorted."""
    return sorted(site.rglob("*.html"))


@dataclass
class Visit:
    """A loaded page and what happened while it loaded."""

    page: Any
    url: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything that should never happen on our pages, as readable lines."""
        return ([f"console error: {text}" for text in self.console_errors]
                + [f"request off the site: {url}" for url in self.foreign_requests]
                + [f"dialog opened: {message}" for message in self.dialogs])

    def scroll_width(self) -> int:
        """How wide the page is drawn: wider than the viewport means sideways scrolling."""
        return int(self.page.evaluate("document.documentElement.scrollWidth"))


Visitor = Callable[..., Visit]


class Tab:
    """One page kept open for one viewport and colour scheme. Every request that leaves the
    machine is recorded and aborted, and so is a local file outside the site being visited (an
    absolute link that would break under a sub-path); console errors and dialogs are recorded."""

    def __init__(self, browser: Any, width: int, height: int, color_scheme: str,
                 init_script: Path | None = None) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=color_scheme,
        )
        if init_script is not None:
            # Compiled once for the context, instead of sent over with every page.
            self.context.add_init_script(path=str(init_script))
        self.current = Visit(None, "")
        self.root = ""
        # Only requests leaving the machine reach Python: local files load untouched.
        self.context.route(lambda url: not url.startswith(LOCAL_SCHEMES), self._refuse)
        self.page = self.context.new_page()
        self.page.on("request", self._request)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.current.console_errors.append(str(error)))
        self.page.on("dialog", self._dialog)

    def open(self, path: Path, root: Path) -> Visit:
        self.root = root.as_uri() + "/"
        self.current = Visit(self.page, path.as_uri())
        self.page.goto(self.current.url, wait_until="load")
        return self.current

    def _refuse(self, route: Any) -> None:
        self._record(route.request.url)
        route.abort()

    def _request(self, request: Any) -> None:
        url = request.url
        if not url.startswith(LOCAL_SCHEMES) or (
                url.startswith("file://") and not url.startswith(self.root)):
            self._record(url)

    def _record(self, url: str) -> None:
        if url not in self.current.foreign_requests:
            self.current.foreign_requests.append(url)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.current.console_errors.append(message.text)

    def _dialog(self, dialog: Any) -> None:
        self.current.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture(scope="package")
def visit(browser: Any) -> Iterator[Visitor]:
    """`visit(path, root, width=…, color_scheme=…, axe=…)` opens a page of the site built in
    `root` and returns what happened while it loaded; with `axe=True` the page carries axe-core
    (request the `axe_script` fixture too, so a missing npm package skips or fails clearly)."""
    tabs: dict[tuple[int, int, str, bool], Tab] = {}

    def _visit(path: Path, root: Path, *, width: int = DESKTOP, height: int = 900,
               color_scheme: str = "light", axe: bool = False) -> Visit:
        key = (width, height, color_scheme, axe)
        if key not in tabs:
            tabs[key] = Tab(browser, width, height, color_scheme, AXE_JS if axe else None)
        return tabs[key].open(path, root)

    yield _visit
    for tab in tabs.values():
        tab.context.close()


AXE_RUN = """async (contrast) => {
  const rules = contrast ? {} : {'color-contrast': {enabled: false}};
  const result = await axe.run(document, {resultTypes: ['violations'], rules});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
}"""


def axe_violations(visit: Visit, *, contrast: bool = True) -> list[str]:
    """axe-core's serious and critical violations on a page opened with `axe=True`, as
    readable lines; `contrast=False` leaves out colour contrast, axe's slowest rule."""
    return list(visit.page.evaluate(AXE_RUN, contrast))
