"""Inputs (issue 20): URLs from a loopback HTTP server, gzip and brotli files, WARC files
and stdin, read by every command and by ``rsc_flight.wire.inputs.read_input``.

The server listens on 127.0.0.1 in a thread of this process; no test touches the network.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rsc_flight import Payload, extract_article, parse
from rsc_flight.wire.inputs import Input, InputError, read_input

from .test_cli import run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HTML = (EXAMPLES / "next15-post-hello.html").read_bytes()
RSC = (EXAMPLES / "next15-post-hello.txt").read_bytes()
TITLE = "Hello, Flight"


class _Handler(BaseHTTPRequestHandler):
    """Routes: /post (HTML, or the payload for RSC: 1), /gz (gzip-encoded), /br (brotli),
    /moved (302 to /post), /loop (redirects forever), /ftp (redirect to ftp:), /missing
    (404), /slow (answers after 3 s, only the first time)."""

    seen: list[dict[str, str]] = []  # noqa: RUF012 - shared with the tests on purpose
    slow_done = False

    def log_message(self, *args: object) -> None:  # keep pytest's output clean
        pass

    def _send(self, body: bytes, kind: str, encoding: str | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        _Handler.seen.append({**{k.lower(): v for k, v in self.headers.items()}, "path": self.path})
        path = self.path.split("?")[0]
        if path == "/post":
            if self.headers.get("RSC") == "1":
                self._send(RSC, "text/x-component")
            else:
                self._send(HTML, "text/html; charset=utf-8")
        elif path == "/gz":
            self._send(gzip.compress(HTML), "text/html", "gzip")
        elif path == "/br":
            import brotli

            self._send(brotli.compress(HTML), "text/html", "br")
        elif path == "/moved":
            self._redirect("/post")
        elif path == "/loop":
            n = int(self.path.split("=")[1]) if "=" in self.path else 0
            self._redirect(f"/loop?n={n + 1}")
        elif path == "/ftp":
            self._redirect("ftp://127.0.0.1/x")
        elif path == "/slow":
            if not _Handler.slow_done:
                _Handler.slow_done = True
                time.sleep(3)
            self._send(HTML, "text/html")
        else:
            self.send_error(404, "Not Found")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The base URL of a loopback HTTP server, for this module's tests."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# -- URLs ----------------------------------------------------------------------------------


def test_article_of_a_url(server: str) -> None:
    """Every command reads a URL; the article's URL falls back to the one fetched."""
    done = run("article", f"{server}/post")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == TITLE
    assert _Handler.seen[-1]["user-agent"].startswith("rsc_flight/")
    assert "rsc" not in _Handler.seen[-1]


def test_rsc_flag_asks_for_the_flight_payload(server: str) -> None:
    """--rsc sends `RSC: 1`: the server answers with the payload, not the HTML page."""
    page = run("rows", f"{server}/post", "--source", "flight")
    assert page.returncode == 1  # the HTML page is not a payload
    payload = run("rows", f"{server}/post", "--rsc", "--source", "flight")
    assert payload.returncode == 0, payload.stderr
    assert _Handler.seen[-1]["rsc"] == "1"
    assert _Handler.seen[-1]["accept"] == "text/x-component"
    assert [json.loads(x)["id"] for x in payload.stdout.splitlines()][:1] == ["1"]
    assert run("decode", f"{server}/post", "--rsc").stdout == run("decode", f"{server}/post").stdout


def test_redirects_gzip_and_errors(server: str) -> None:
    """Redirects are followed (at most 5, only to http(s)); gzip answers are decoded;
    HTTP errors and timeouts are one-line usage errors."""
    for path in ("/moved", "/gz"):
        done = run("article", f"{server}{path}")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["title"] == TITLE
    for path, message in [
        ("/missing", b"HTTP 404 Not Found"),
        ("/loop", b"more than 5 redirects"),
        ("/ftp", b"which is not http(s)"),
    ]:
        done = run("decode", f"{server}{path}")
        assert done.returncode == 2, path
        assert message in done.stderr
        assert done.stderr.count(b"\n") == 1  # one line, no traceback
    closed = run("decode", "http://127.0.0.1:9/", "--timeout", "2")
    assert closed.returncode == 2
    assert b"cannot read http://127.0.0.1:9/" in closed.stderr


def test_timeout(server: str) -> None:
    _Handler.slow_done = False  # the first request to /slow waits 3 s
    started = time.monotonic()
    with pytest.raises(InputError, match="cannot read"):
        read_input(f"{server}/slow", timeout=0.5)
    assert time.monotonic() - started < 2.5


def test_read_input_of_a_url(server: str) -> None:
    found = read_input(f"{server}/moved", user_agent="tester/1")
    assert found.data == HTML
    assert found.url == f"{server}/post"  # where the redirect led
    assert found.content_type == "text/html"
    assert _Handler.seen[-1]["user-agent"] == "tester/1"
    assert _Handler.seen[-1]["accept-encoding"].startswith("gzip")


def test_brotli_answer(server: str) -> None:
    pytest.importorskip("brotli")
    assert read_input(f"{server}/br").data == HTML


# -- files ---------------------------------------------------------------------------------


def test_gzip_file_and_gzip_on_stdin(tmp_path: Path) -> None:
    """A .gz file (and gzip bytes on stdin) is read as what it holds."""
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(HTML))
    plain = run("decode", str(EXAMPLES / "next15-post-hello.html"))
    for args, stdin in [(("decode", str(packed)), None), (("decode", "-"), gzip.compress(HTML))]:
        done = run(*args, stdin=stdin)
        assert done.returncode == 0, done.stderr
        assert done.stdout == plain.stdout
    rows = run("rows", str(packed))
    assert rows.returncode == 0, rows.stderr
    assert rows.stdout == run("rows", str(EXAMPLES / "next15-post-hello.html")).stdout
    broken = tmp_path / "broken.txt.gz"
    broken.write_bytes(gzip.compress(RSC)[:30])
    done = run("rows", str(broken))
    assert done.returncode == 2
    assert b"not valid gzip data" in done.stderr


def test_warc_file_given_to_one_page_commands() -> None:
    """A WARC file is its first page record; the record's URL is the page's URL."""
    warc = str(EXAMPLES / "next15-pages.warc.gz")
    rows = run("rows", warc)
    assert rows.returncode == 0, rows.stderr
    article = run("article", warc)
    assert article.returncode == 0, article.stderr
    found = read_input(warc)
    assert found.url is not None
    assert found.url.startswith("http")
    assert json.loads(article.stdout)["title"] == extract_article(found.data, url=found.url).title


def test_brotli_file(tmp_path: Path) -> None:
    brotli = pytest.importorskip("brotli")
    packed = tmp_path / "page.txt.br"
    packed.write_bytes(brotli.compress(RSC))
    assert read_input(packed).data == RSC
    env_path = os.pathsep.join(p for p in sys.path if p)
    done = run("decode", str(packed), env={"PYTHONPATH": env_path})
    assert done.returncode == 0, done.stderr
    assert done.stdout == run("decode", str(EXAMPLES / "next15-post-hello.txt")).stdout


def test_brotli_missing_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packed = tmp_path / "page.txt.br"
    packed.write_bytes(b"\x1b\x00\x00")
    monkeypatch.setitem(sys.modules, "brotli", None)  # import brotli now fails
    with pytest.raises(InputError, match=r"pip install 'rsc_flight\[brotli\]'"):
        read_input(packed)


def test_missing_file_names_it() -> None:
    done = run("article", "/nonexistent/page.html")
    assert done.returncode == 2
    assert done.stderr == (
        b"rsc-flight: error: cannot read /nonexistent/page.html: No such file or directory\n"
    )


# -- read_input from Python ------------------------------------------------------------------


def test_read_input_takes_bytes_str_path_and_streams(tmp_path: Path) -> None:
    page = EXAMPLES / "next15-post-hello.txt"
    for source in (RSC, bytearray(RSC), str(page), page, io.BytesIO(RSC), gzip.compress(RSC)):
        assert read_input(source).data == RSC
    found = read_input(page)
    assert (found.name, found.url, found.size) == (str(page), None, len(RSC))
    assert repr(found) == f"Input(name={str(page)!r}, url=None, content_type=None)"
    with pytest.raises(FileNotFoundError):
        read_input(tmp_path / "none.txt")


def test_sizes_are_bounded_after_decompression() -> None:
    bomb = gzip.compress(b"0" * 1_000_000)
    assert len(bomb) < 2000
    with pytest.raises(InputError, match="larger than 1000 bytes"):
        read_input(bomb, max_bytes=1000)


def test_a_warc_without_pages_is_a_clear_error(tmp_path: Path) -> None:
    from .test_batch import write_warc

    empty = tmp_path / "empty.warc.gz"
    write_warc(empty, [])
    done = run("rows", str(empty))
    assert done.returncode == 2
    assert b"holds no HTML or text/x-component response" in done.stderr


# -- Python functions and paths: the integration another change makes ------------------------


def test_extract_article_reads_a_path() -> None:
    article = extract_article(EXAMPLES / "next15-post-hello.txt")
    assert article.title == TITLE


def test_parse_reads_a_path() -> None:
    payload = parse(EXAMPLES / "next15-post-hello.html")
    assert isinstance(payload, Payload)
    assert payload.root is not None


def test_read_input_is_the_clear_way_to_read_a_file_today() -> None:
    found: Input = read_input(EXAMPLES / "next15-post-hello.html")
    assert extract_article(found.data, url=found.url).title == TITLE
