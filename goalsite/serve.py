"""Serve the output folder on 127.0.0.1 with live reload (SPEC §6).

The standard library's threaded HTTP server, locked down: it serves only files inside the output
folder (no traversal, no encoded `..`, no symlink out of it), answers only requests addressed to
it by `Host` (no DNS rebinding), and stays quiet unless something breaks. In serve mode each HTML
response gets one `<script>` tag that listens on a Server-Sent Events stream and reloads the page
when the build says the file it shows changed; the built files themselves never contain it.
"""

from __future__ import annotations

import html
import ipaddress
import json
import logging
import mimetypes
import secrets
import socket
import threading
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from goalsite.finding import Finding

log = logging.getLogger(__name__)

RESERVED_PREFIX = "/__goalsite__/"
EVENTS_PATH = RESERVED_PREFIX + "events"
SCRIPT_PATH = RESERVED_PREFIX + "livereload.js"
# Every page is told about errors that belong to no page of its own (a broken new file).
ALL_PAGES = "*"
# How many builds a reconnecting page can have missed and still be answered exactly.
_HISTORY = 512
# A comment line on an idle stream, so a closed browser tab frees its thread.
_KEEPALIVE_SECONDS = 15.0

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".atom": "application/atom+xml",
    ".ics": "text/calendar; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
}

# The live-reload client: reloads when its page changed, shows the build's errors for it.
# Findings arrive as JSON and land in the page only through textContent: never parsed as HTML.
LIVERELOAD_JS = """\
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.EventSource) { return; }
  var url = "/__goalsite__/events?page=" + encodeURIComponent(me.getAttribute("data-page")) +
    "&v=" + encodeURIComponent(me.getAttribute("data-version")) +
    "&s=" + encodeURIComponent(me.getAttribute("data-server"));
  var source = new EventSource(url);
  source.addEventListener("reload", function () {
    source.close();
    window.location.reload();
  });
  source.addEventListener("errors", function (event) {
    var findings = JSON.parse(event.data);
    var old = document.getElementById("goalsite-overlay");
    if (old) { old.parentNode.removeChild(old); }
    if (!findings.length) { return; }
    var box = document.createElement("aside");
    box.id = "goalsite-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;z-index:2147483647;left:1rem;right:1rem;bottom:1rem;" +
      "max-height:50vh;overflow:auto;padding:1rem;border:2px solid #b00020;border-radius:6px;" +
      "background:#fff4f4;color:#3b0008;font:14px/1.4 ui-monospace,monospace;" +
      "box-shadow:0 4px 16px rgba(0,0,0,.3)";
    var title = document.createElement("strong");
    title.textContent = "goalsite: the last build found errors; this page shows the last good version.";
    box.appendChild(title);
    var list = document.createElement("ul");
    findings.forEach(function (f) {
      var item = document.createElement("li");
      item.textContent = f.path + ":" + f.line + ":" + f.column + ": " + f.code + " " + f.message;
      list.appendChild(item);
    });
    box.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.addEventListener("click", function () { box.parentNode.removeChild(box); });
    box.appendChild(close);
    document.body.appendChild(box);
  });
}());
"""


class LiveReload:
    """What open pages need to hear: which output files each build changed, and its errors.

    Pages are output paths relative to the output folder, `/`-separated
    (`goals/speaking/index.html`). Thread-safe: the builder publishes, stream threads wait.
    """

    def __init__(self) -> None:
        self.token = secrets.token_hex(8)
        self._condition = threading.Condition()
        self._version = 0
        self._history: deque[tuple[int, frozenset[str]]] = deque(maxlen=_HISTORY)
        self._errors: Mapping[str, tuple[Finding, ...]] = {}
        self._closed = False

    @property
    def version(self) -> int:
        """How many builds have been published."""
        with self._condition:
            return self._version

    def publish(self, changed: Iterable[str],
                errors: Mapping[str, Sequence[Finding]] | None = None) -> int:
        """Tell the pages that `changed` output files were rewritten (or deleted) and what errors
        the build found per page (`ALL_PAGES` for every page; None keeps those last published:
        a preview, which builds nothing broken). Call only once the output is complete: the
        browser reloads at once."""
        with self._condition:
            self._version += 1
            self._history.append((self._version, frozenset(changed)))
            if errors is not None:
                self._errors = {page: tuple(found) for page, found in errors.items()}
            self._condition.notify_all()
            return self._version

    def close(self) -> None:
        """Wake every waiting stream so that it ends."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    @property
    def closed(self) -> bool:
        with self._condition:
            return self._closed

    def wait(self, after: int, timeout: float) -> int:
        """Block until a build newer than `after` is published, the hub closes, or `timeout`."""
        with self._condition:
            self._condition.wait_for(lambda: self._version > after or self._closed, timeout)
            return self._version

    def changed_since(self, version: int, page: str) -> tuple[bool, int]:
        """Whether a build after `version` rewrote `page` (true when that is too long ago to
        know), and the latest build's number, read together."""
        with self._condition:
            current = self._version
            if version > current:
                return True, current
            oldest = self._history[0][0] if self._history else current + 1
            if version < oldest - 1:
                return True, current
            hit = any(number > version and page in changed for number, changed in self._history)
            return hit, current

    def errors_for(self, page: str) -> tuple[Finding, ...]:
        """The last build's errors shown on `page`: its own, then those shown on every page."""
        with self._condition:
            return self._errors.get(page, ()) + (self._errors.get(ALL_PAGES, ()) if page else ())


class SiteServer:
    """Serves `root` on `host:port` (port 0 picks a free one) until `stop()`."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0, *,
                 live_reload: LiveReload | None = None) -> None:
        self.root = Path(root)
        self.live = live_reload
        server_class = _IPv6Server if ":" in host else _Server
        self._httpd = server_class((host, port), _Handler)
        self._httpd.site = self
        self.host = host
        self.port = int(self._httpd.server_address[1])
        self._allowed_hosts = _allowed_hosts(host, self.port)
        self._wildcard = _is_wildcard(host)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        name = "127.0.0.1" if self._wildcard else self.host
        if ":" in name:
            name = f"[{name}]"
        return f"http://{name}:{self.port}/"

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="goalsite-serve", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, end the open event streams and close the socket."""
        if self.live is not None:
            self.live.close()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> SiteServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def host_allowed(self, header: str | None) -> bool:
        """Whether a request's `Host` names this server (defeats DNS rebinding)."""
        if not header:
            return False
        value = header.strip().lower()
        if value in self._allowed_hosts:
            return True
        if not self._wildcard:
            return False
        # Bound to every interface: any address literal of this port is ours; names are not.
        name, _, port = value.rpartition(":")
        if port != str(self.port):
            return False
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            return False
        return True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Dual-stack or not, a restarted `goalsite serve` must get its port back at once.
    allow_reuse_address = True
    site: SiteServer

    def handle_error(self, request: object, client_address: object) -> None:
        # Quiet: a browser closing a tab mid-response is not an error worth a traceback.
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        log.exception("error while serving %s", client_address)


class _IPv6Server(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "goalsite"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        # Quiet logs: no line per request.
        return

    def do_GET(self) -> None:  # noqa: N802 - the base class's naming
        self._respond(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(head=True)

    def _respond(self, *, head: bool) -> None:
        site = self.server.site
        if self.headers.get("Host") is None:
            return self._text(HTTPStatus.BAD_REQUEST, "A Host header is required.\n", head)
        if not site.host_allowed(self.headers.get("Host")):
            return self._text(HTTPStatus.FORBIDDEN, "This server answers only to its own address.\n", head)
        if not self.path.startswith("/"):
            return self._text(HTTPStatus.BAD_REQUEST, "Bad request target.\n", head)
        target = urlsplit(self.path)
        if target.path.startswith(RESERVED_PREFIX):
            return self._reserved(target.path, target.query, head)
        segments = _segments(target.path)
        if segments is None:
            return self._not_found("", head)
        slash = target.path.endswith("/") or not segments
        found = _resolve(site.root, segments, slash=slash)
        if found == "directory":
            location = "/" + "/".join(quote(segment) for segment in segments) + "/"
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location + (f"?{target.query}" if target.query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        page = "/".join(segments)
        if slash:
            page = f"{page}/index.html" if page else "index.html"
        if not isinstance(found, Path):
            return self._not_found(page, head)
        try:
            body = found.read_bytes()
        except OSError:
            return self._not_found(page, head)
        content_type = _TYPES.get(found.suffix.lower()) or mimetypes.guess_type(found.name)[0]
        content_type = content_type or "application/octet-stream"
        if content_type.startswith("text/html") and site.live is not None:
            body = inject(body, page, site.live)
        self._send(HTTPStatus.OK, content_type, body, head)
        return None

    def _reserved(self, path: str, query: str, head: bool) -> None:
        live = self.server.site.live
        if live is None:
            return self._not_found(path.lstrip("/"), head)
        if path == SCRIPT_PATH:
            return self._send(HTTPStatus.OK, _TYPES[".js"], LIVERELOAD_JS.encode("utf-8"), head)
        if path == EVENTS_PATH and not head:
            return self._events(live, parse_qs(query))
        return self._not_found(path.lstrip("/"), head)

    def _events(self, live: LiveReload, query: Mapping[str, list[str]]) -> None:
        page = (query.get("page") or [""])[0]
        try:
            version = int((query.get("v") or ["0"])[0])
        except ValueError:
            version = 0
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        # A page from an earlier server run has missed everything: reload it.
        if (query.get("s") or [""])[0] != live.token:
            self._event("reload", "{}")
            return
        shown: tuple[Finding, ...] | None = None
        while not live.closed:
            changed, current = live.changed_since(version, page)
            if changed:
                self._event("reload", "{}")
                return
            version = current
            errors = live.errors_for(page)
            if errors != shown:
                self._event("errors", json.dumps([_finding_json(f) for f in errors], sort_keys=True))
                shown = errors
            if live.wait(version, _KEEPALIVE_SECONDS) == version and not live.closed:
                self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()

    def _event(self, name: str, data: str) -> None:
        self.wfile.write(f"event: {name}\ndata: {data}\n\n".encode())
        self.wfile.flush()

    def _not_found(self, page: str, head: bool) -> None:
        body = (
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title>"
            "</head>\n<body><h1>Not found</h1><p>There is no page at <code>"
            f"{html.escape('/' + page)}</code> in this site. <a href=\"/\">Go to the dashboard</a>.</p>"
            "</body></html>\n"
        ).encode("utf-8")
        live = self.server.site.live
        if live is not None:
            # The page may appear with the next build: the open tab then reloads.
            body = inject(body, page, live)
        self._send(HTTPStatus.NOT_FOUND, _TYPES[".html"], body, head)

    def _text(self, status: HTTPStatus, text: str, head: bool) -> None:
        self._send(status, _TYPES[".txt"], text.encode("utf-8"), head)

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        # Always fresh: a reload must show the new build, never a cached page.
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)


def inject(document: bytes, page: str, live: LiveReload) -> bytes:
    """`document` with the live-reload script tag before its last `</body>` (or at its end)."""
    tag = (
        f'<script src="{SCRIPT_PATH}" data-page="{html.escape(page, quote=True)}" '
        f'data-version="{live.version}" data-server="{live.token}"></script>'
    ).encode("utf-8")
    at = document.lower().rfind(b"</body>")
    if at < 0:
        return document + tag
    return document[:at] + tag + document[at:]


def _segments(raw_path: str) -> tuple[str, ...] | None:
    """The decoded path segments of a request, or None for anything that tries to leave the
    folder: `..` (also percent-encoded), encoded slashes, backslashes, NUL, drive letters."""
    if "\\" in raw_path or "\0" in raw_path:
        return None
    segments: list[str] = []
    for raw in raw_path.split("/"):
        if not raw:
            continue
        try:
            segment = unquote(raw, errors="strict") if "%" in raw else raw
        except UnicodeDecodeError:
            return None
        if segment in (".", "..") or any(c in segment for c in "/\\\0") or ":" in segment:
            return None
        segments.append(segment)
    return tuple(segments)


def _resolve(root: Path, segments: Sequence[str], *, slash: bool) -> Path | str | None:
    """The regular file inside `root` that `segments` name (a directory's `index.html` when the
    URL ends with `/`), `"directory"` when a directory's URL lacks its slash, else None.
    Symlinks are followed only while they stay inside `root`."""
    try:
        base = root.resolve(strict=True)
        candidate = base.joinpath(*segments).resolve(strict=True)
        if not _inside(candidate, base):
            return None
        if candidate.is_dir():
            if not slash:
                return "directory"
            candidate = (candidate / "index.html").resolve(strict=True)
            if not _inside(candidate, base):
                return None
        elif slash:
            return None
        return candidate if candidate.is_file() else None
    except (OSError, RuntimeError, UnicodeEncodeError, ValueError):
        return None


def _inside(path: Path, base: Path) -> bool:
    return path == base or base in path.parents


def _allowed_hosts(host: str, port: int) -> frozenset[str]:
    names = {"localhost", "127.0.0.1", "[::1]", f"[{host}]" if ":" in host else host}
    return frozenset(f"{name.lower()}:{port}" for name in names) | (
        frozenset(names) if port == 80 else frozenset()
    )


def _is_wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::")


def _finding_json(finding: Finding) -> Mapping[str, object]:
    return {"path": finding.path, "line": finding.line, "column": finding.column,
            "code": finding.code, "severity": finding.severity, "message": finding.message}
