"""The live-reload server: only the output folder, only its own Host, quiet, and SSE reloads."""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from goalsite.finding import Finding
from goalsite.serve import ALL_PAGES, LiveReload, SiteServer


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An output folder with a page, a stylesheet and secrets just outside it."""
    root = tmp_path / "site"
    (root / "goals" / "speaking").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><html><body><p>Dashboard</p></body></html>\n")
    (root / "goals" / "speaking" / "index.html").write_text("<html><body>Speaking</body></html>")
    (root / "style.css").write_text("body { color: black }\n")
    (root / "goals.json").write_text('{"goals": []}\n')
    (tmp_path / "secret.txt").write_text("the secret\n")
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "index.html").write_text("<html><body>private</body></html>")
    return root


@pytest.fixture
def server(site: Path) -> Iterator[SiteServer]:
    with SiteServer(site, port=0, live_reload=LiveReload()) as running:
        yield running


def request(server: SiteServer, target: str, *, method: str = "GET",
            host: str | None = "default") -> tuple[int, dict[str, str], bytes]:
    """Send one raw request (the target exactly as given) and return status, headers, body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        if host == "default":
            connection.putheader("Host", f"127.0.0.1:{server.port}")
        elif host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_port_zero_picks_a_free_port_and_reports_the_real_address(server: SiteServer) -> None:
    assert server.port > 0
    assert server.url == f"http://127.0.0.1:{server.port}/"


def test_a_directory_url_serves_its_index_with_the_reload_script(server: SiteServer) -> None:
    status, headers, body = request(server, "/goals/speaking/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-store"
    assert re.fullmatch(
        rb'<html><body>Speaking<script src="/__goalsite__/livereload.js" '
        rb'data-page="goals/speaking/index.html" data-version="0" data-server="[0-9a-f]{16}">'
        rb"</script></body></html>", body)
    assert int(headers["content-length"]) == len(body)


def test_the_script_is_added_only_to_responses_never_to_the_built_file(server: SiteServer,
                                                                        site: Path) -> None:
    request(server, "/")
    assert "script" not in (site / "index.html").read_text()


def test_a_directory_url_without_its_slash_is_redirected(server: SiteServer) -> None:
    status, headers, _ = request(server, "/goals/speaking?x=1")
    assert (status, headers["location"]) == (301, "/goals/speaking/?x=1")


def test_other_files_are_served_as_they_are(server: SiteServer, site: Path) -> None:
    status, headers, body = request(server, "/style.css")
    assert (status, headers["content-type"], body) == (200, "text/css; charset=utf-8",
                                                       (site / "style.css").read_bytes())
    assert request(server, "/goals.json")[1]["content-type"] == "application/json"


def test_head_sends_the_headers_of_get_without_a_body(server: SiteServer) -> None:
    get_status, get_headers, get_body = request(server, "/")
    status, headers, body = request(server, "/", method="HEAD")
    assert (status, body) == (200, b"")
    assert headers["content-length"] == get_headers["content-length"] == str(len(get_body))


def test_a_missing_page_is_a_small_404_page(server: SiteServer) -> None:
    status, headers, body = request(server, "/goals/nothing-here/")
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert b"<h1>Not found</h1>" in body
    assert b"<code>/goals/nothing-here/index.html</code>" in body
    assert b'data-page="goals/nothing-here/index.html"' in body
    assert request(server, "/nothing", method="HEAD")[::2] == (404, b"")


@pytest.mark.parametrize("target", [
    "/../secret.txt",
    "/goals/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/goals/%2e%2e/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/goals%2f..%2f..%2fsecret.txt",
    "/%252e%252e/secret.txt",
    "/..\\secret.txt",
    "/%5c..%5csecret.txt",
    "//etc/passwd",
    "/etc/passwd",
    "/%2fetc%2fpasswd",
    "/../private/",
    "/%00",
    "/%ff%fe",
], ids=lambda target: target)
def test_nothing_outside_the_output_folder_is_served(server: SiteServer, target: str) -> None:
    status, _, body = request(server, target)
    assert status == 404
    assert b"the secret" not in body and b"private</body>" not in body and b"root:" not in body


def test_a_request_target_that_is_not_a_path_is_refused(server: SiteServer) -> None:
    assert request(server, "http://127.0.0.1/secret.txt")[0] == 400


def test_a_symlink_out_of_the_folder_is_not_followed(server: SiteServer, site: Path) -> None:
    (site / "leak.txt").symlink_to(site.parent / "secret.txt")
    (site / "leak").symlink_to(site.parent / "private", target_is_directory=True)
    assert request(server, "/leak.txt")[0] == 404
    assert request(server, "/leak/")[0] == 404
    assert request(server, "/leak/index.html")[0] == 404


def test_a_symlink_that_stays_inside_the_folder_is_served(server: SiteServer, site: Path) -> None:
    (site / "latest.css").symlink_to(site / "style.css")
    assert request(server, "/latest.css")[0] == 200


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}", "LOCALHOST:{port}"])
def test_its_own_address_is_answered(server: SiteServer, host: str) -> None:
    assert request(server, "/", host=host.format(port=server.port))[0] == 200


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1", "localhost:1",
                                  "127.0.0.1:{port}.evil.example", "10.0.0.1:{port}"])
def test_another_host_is_refused_against_dns_rebinding(server: SiteServer, host: str) -> None:
    status, _, body = request(server, "/", host=host.format(port=server.port))
    assert (status, b"Dashboard" in body) == (403, False)


def test_a_request_without_host_is_refused(server: SiteServer) -> None:
    assert request(server, "/", host=None)[0] == 400


def test_requests_are_not_logged(server: SiteServer, capfd: pytest.CaptureFixture[str]) -> None:
    request(server, "/")
    request(server, "/missing")
    assert capfd.readouterr() == ("", "")


class EventStream:
    """A client of the live-reload stream reading one event at a time."""

    def __init__(self, server: SiteServer, page: str, version: int, token: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        self.connection.request("GET", f"/__goalsite__/events?page={page}&v={version}&s={token}",
                                headers={"Host": f"localhost:{server.port}"})
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream; charset=utf-8"

    def next(self) -> tuple[str, str]:
        name = data = ""
        while True:
            line = self.response.fp.readline().decode().rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "" and name:
                return name, data

    def close(self) -> None:
        self.connection.close()


def test_the_stream_tells_a_page_to_reload_when_its_file_changed(server: SiteServer) -> None:
    live = server.live
    assert live is not None
    stream = EventStream(server, "goals/speaking/index.html", live.version, live.token)
    try:
        assert stream.next() == ("errors", "[]")
        live.publish({"index.html"})  # another page: nothing to do
        live.publish({"goals/speaking/index.html"})
        assert stream.next() == ("reload", "{}")
    finally:
        stream.close()


def test_a_page_that_missed_a_build_reloads_when_it_connects(server: SiteServer) -> None:
    live = server.live
    assert live is not None
    shown = live.version
    live.publish({"index.html"})
    stream = EventStream(server, "index.html", shown, live.token)
    try:
        assert stream.next() == ("reload", "{}")
    finally:
        stream.close()


def test_a_page_from_an_earlier_server_reloads(server: SiteServer) -> None:
    stream = EventStream(server, "index.html", 0, "0123456789abcdef")
    try:
        assert stream.next() == ("reload", "{}")
    finally:
        stream.close()


def test_the_stream_carries_the_errors_for_its_page_as_json(server: SiteServer) -> None:
    live = server.live
    assert live is not None
    broken = Finding("goals/a.md", 3, 7, "F001", "error", "bad <b>YAML</b> & </script>", "Fix it.")
    everywhere = Finding("goalsite.toml", 1, 1, "F011", "error", "unknown setting", "Remove it.")
    stream = EventStream(server, "goals/a/index.html", live.version, live.token)
    try:
        assert stream.next() == ("errors", "[]")
        live.publish(set(), {"goals/a/index.html": [broken], ALL_PAGES: [everywhere]})
        name, data = stream.next()
        assert name == "errors"
        assert json.loads(data) == [
            {"path": "goals/a.md", "line": 3, "column": 7, "code": "F001", "severity": "error",
             "message": "bad <b>YAML</b> & </script>"},
            {"path": "goalsite.toml", "line": 1, "column": 1, "code": "F011", "severity": "error",
             "message": "unknown setting"},
        ]
        live.publish(set(), {})
        assert stream.next() == ("errors", "[]")
    finally:
        stream.close()


def test_the_script_never_parses_findings_as_html(server: SiteServer) -> None:
    status, headers, body = request(server, "/__goalsite__/livereload.js")
    assert (status, headers["content-type"]) == (200, "text/javascript; charset=utf-8")
    assert b"innerHTML" not in body and b"textContent" in body


def test_stopping_ends_open_streams(site: Path) -> None:
    running = SiteServer(site, live_reload=LiveReload())
    running.start()
    live = running.live
    assert live is not None
    stream = EventStream(running, "index.html", live.version, live.token)
    assert stream.next() == ("errors", "[]")
    running.stop()
    assert stream.response.fp.readline() == b""
    stream.close()


def test_without_live_reload_pages_are_served_untouched(site: Path) -> None:
    with SiteServer(site) as plain:
        status, _, body = request(plain, "/")
        assert (status, body) == (200, (site / "index.html").read_bytes())
        assert request(plain, "/__goalsite__/events")[0] == 404
