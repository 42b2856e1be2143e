"""The installed ``rsc-flight`` command, run in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA

HANDMADE = DATA / "handmade"


def command() -> list[str]:
    script = Path(sys.executable).with_name("rsc-flight")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rsc_flight"]


def run(
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[bytes]:
    import os

    return subprocess.run(
        [*command(), *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
        env=None if env is None else {**os.environ, **env},
        cwd=cwd,
    )


def lines(out: bytes) -> list[dict]:
    return [json.loads(line) for line in out.decode().splitlines()]


def test_rows_prints_one_json_object_per_row():
    """`rows FILE` prints JSON Lines with id, tag, kind, offset, length and preview."""
    result = run("rows", str(HANDMADE / "f3-next14.txt"))
    assert result.returncode == 0, result.stderr
    rows = lines(result.stdout)
    assert [r["id"] for r in rows] == ["3", "4", "5", "0", "6", "2", "1"]
    text = rows[4]
    assert (text["tag"], text["kind"], text["offset"], text["length"]) == ("T", "text", 192, 763)
    assert text["preview"].startswith("<p>안녕하세요")
    assert text["preview"].endswith("…")
    assert set(rows[0]) == {"id", "tag", "kind", "offset", "length", "preview"}


def test_rows_reads_stdin_and_html():
    """`-` reads standard input; an HTML page is detected and its pushes are read."""
    html = (HANDMADE / "next15-page.html").read_bytes()
    result = run("rows", "-", stdin=html)
    assert result.returncode == 0, result.stderr
    rows = lines(result.stdout)
    assert rows[-1]["kind"] == "binary"
    assert rows[-1]["preview"] == "ff0a00"


def test_rows_id_less_rows_have_null_id():
    """Id-less rows print `"id": null`."""
    rows = lines(run("rows", str(HANDMADE / "r19.1-devrows.txt")).stdout)
    assert [r["id"] for r in rows[:2]] == [None, None]


def test_bad_input_exits_1_naming_offset_and_row():
    """A truncated text row: rows before it are printed, then exit 1 with its position."""
    result = run("rows", "-", stdin=b'0:"ok"\n1f:T20,short')
    assert result.returncode == 1
    assert lines(result.stdout)[0]["preview"] == '"ok"'
    assert b"at byte 7, row 1f" in result.stderr


def test_strict_stops_at_first_problem():
    """--strict stops at the first malformed row."""
    result = run("rows", "--strict", "-", stdin=b"0:1\nbad line\n1:2\n")
    assert result.returncode == 1
    assert b"at byte 4" in result.stderr
    assert "1" not in [row["id"] for row in lines(result.stdout)]


def test_not_flight_exits_1_with_clear_message():
    """Text that is neither a payload nor a page is bad input, said plainly."""
    result = run("rows", "-", stdin=b"---\ntitle: Markdown\n---\n")
    assert result.returncode == 1
    assert b"no flight data found" in result.stderr


def test_page_without_flight_data():
    """A page with no __next_f pushes is bad input."""
    result = run("rows", "-", stdin=b"<html><body><p>hi</p></body></html>")
    assert result.returncode == 1
    assert b"no self.__next_f.push" in result.stderr


@pytest.mark.parametrize(
    "args", [("rows",), ("frobnicate", "x"), ("rows", "--source", "xml", "f"), ()]
)
def test_usage_errors_exit_2(args):
    """Bad arguments are usage errors."""
    assert run(*args).returncode == 2


def test_missing_file_exits_2():
    """A file that cannot be read is a usage error, named in the message."""
    result = run("rows", "/nonexistent/payload.txt")
    assert result.returncode == 2
    assert b"cannot read /nonexistent/payload.txt" in result.stderr


def test_help_shows_an_example():
    """`rows --help` documents the output with an example."""
    result = run("rows", "--help")
    assert result.returncode == 0
    assert b"examples:" in result.stdout
    assert b"rsc-flight rows page.txt" in result.stdout


def test_python_dash_m_works():
    """`python -m rsc_flight` is the same command."""
    result = subprocess.run(
        [sys.executable, "-m", "rsc_flight", "--version"], capture_output=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith(b"rsc-flight ")


# -- decode ----------------------------------------------------------------------------------


def test_decode_prints_the_typed_json_document():
    """`decode FILE` prints one typed-JSON document with value and hints."""
    result = run("decode", str(HANDMADE / "r19.1-devrows.txt"))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["hints"] == [
        [
            "L",
            "/_next/static/media/font.woff2",
            "font",
            {"crossOrigin": "", "type": "font/woff2"},
        ]
    ]
    assert document["value"]["$type"] == "element"
    assert document["value"]["props"]["children"]["props"] == {"children": "Hi"}
    assert b"\n  " not in result.stdout  # compact on a pipe


def test_decode_of_a_page_and_indent():
    """`decode` reads HTML pages too; --indent pretty-prints."""
    html = (DATA.parent.parent / "examples" / "next15-post-hello.html").read_bytes()
    result = run("decode", "--indent", "2", "-", stdin=html)
    assert result.returncode == 0, result.stderr
    assert b'\n  "value": {' in result.stdout
    assert json.loads(result.stdout)["value"]["b"] == "rsc-flight-example"


def test_decode_root_error():
    """A root error row is a valid document (`rootError`), not a failure."""
    result = run("decode", "-", stdin=b'0:E{"digest":"NEXT_NOT_FOUND"}\n')
    assert result.returncode == 0
    assert json.loads(result.stdout)["rootError"]["digest"] == "NEXT_NOT_FOUND"


def test_decode_bad_row_exits_1():
    """A row that is not JSON is reported with its offset and row; exit 1."""
    result = run("decode", "-", stdin=b'0:"$1"\n1:{broken\n')
    assert result.returncode == 1
    assert b"at byte 7, row 1" in result.stderr
    # The root depends on the broken row, so, as in React, the root itself failed.
    assert json.loads(result.stdout)["rootError"]["name"] == "SyntaxError"


# -- html ------------------------------------------------------------------------------------


def test_html_renders_the_next_page():
    """`html FILE` renders a Next.js payload as its page: the document a browser gets,
    head tags hoisted, body included."""
    txt = DATA.parent.parent / "examples" / "next15-post-long-read.txt"
    result = run("html", str(txt))
    assert result.returncode == 0, result.stderr
    html = result.stdout.decode()
    assert html.startswith('<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>')
    assert "<title>" in html.split("</head>")[0]
    assert "<article" in html


def test_html_marks_client_components():
    """--mark-clients names the module of each client component."""
    payload = b'1:I["./Btn.js",[],"Btn"]\n0:["$","$L1",null,{"children":"hi"}]\n'
    result = run("html", "--mark-clients", "-", stdin=payload)
    assert result.stdout == b'<rsc-client data-client="./Btn.js#Btn">hi</rsc-client>\n'


BLOG = DATA / "next_blog"


def test_article_prints_the_article_as_json():
    """`article FILE` prints the article with its provenance; compact on a pipe."""
    result = run("article", str(BLOG / "next16" / "notes" / "site-defaults.html"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(b"\n") == 1  # one compact line on a pipe
    article = json.loads(result.stdout)
    assert article["title"] == "A Post Without Its Own Metadata"
    assert article["url"] == "https://journal.example.org/notes/site-defaults/"
    assert article["provenance"]["url"]["source"] == "route"
    assert article["warnings"]


def test_article_markdown_from_stdin_with_a_url():
    """`article - --format markdown` reads stdin and writes front matter and Markdown."""
    data = (BLOG / "next15" / "tutorials" / "element-body.txt").read_bytes()
    result = run("article", "-", "--format", "markdown", "--url", "https://x.example/p", stdin=data)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert text.startswith('---\ntitle: "Bodies Made of Elements"\n')
    # The head's canonical is the site root, so the URL given wins over the route.
    assert "\npermalink: /p\n" in text
    assert "Not every body is an HTML string." in text.split("---\n", 2)[2]


def test_article_bad_input_and_usage():
    """Exit 1 on input with no flight data, 2 on a bad option."""
    result = run("article", "-", stdin=b"")
    assert result.returncode == 1
    assert b"no flight data" in result.stderr
    assert run("article", "x.txt", "--format", "pdf").returncode == 2


@pytest.mark.parametrize("name", ["rows", "decode", "html", "article", "batch", "find", "inspect"])
def test_every_command_has_help_with_examples(name):
    result = run(name, "--help")
    assert result.returncode == 0
    assert b"examples:\n  rsc-flight " + name.encode() in result.stdout


def on_a_terminal(*args: str, env: dict | None = None) -> tuple[int, bytes]:
    """Run the command with stderr on a pseudo-terminal; its status and what it drew."""
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [*command(), *args],
            stderr=follower,
            stdout=subprocess.DEVNULL,
            timeout=60,
            check=False,
            env={**os.environ, **(env or {})},
        )
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
    return done.returncode, seen


def test_batch_draws_a_progress_bar_on_a_terminal(tmp_path):
    """With stderr on a terminal, batch draws a bar with the count, the rate, the ETA
    and the failures so far (issue 20: rich's bar replaces the plain one)."""
    site = tmp_path / "site"
    shutil.copytree(BLOG / "next14", site)
    (site / "broken.html").write_bytes(b"<html><body>no flight</body></html>")
    status, seen = on_a_terminal("batch", str(site), "-o", str(tmp_path / "o.jsonl"))
    assert status == 0
    assert b"12/12" in seen
    assert b"pages" in seen
    assert b"/s" in seen
    assert b"ETA" in seen
    assert b"1 failed" in seen
    assert b"\x1b[3" in seen  # coloured on a terminal...
    status, plain = on_a_terminal(
        "batch", str(site), "-o", str(tmp_path / "o.jsonl"), env={"NO_COLOR": "1"}
    )
    assert b"12/12" in plain
    assert b"\x1b[3" not in plain  # ...but not with NO_COLOR
    status, quiet = on_a_terminal("batch", str(site), "-o", str(tmp_path / "o.jsonl"), "-q")
    assert quiet == b""
