"""Querying and terminal manners (issue 20): ``find``, ``decode --row``, ``article
--rules``, front matter choices, the subcommand's usage, ``--quiet``/``--verbose``,
colour, the rows table and ``inspect`` writing a file by default."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from rsc_flight import extract_article, parse, to_typed_json

from .test_cli import command, run

ROOT = Path(__file__).resolve().parent.parent
HELLO = str(ROOT / "examples" / "next15-post-hello.txt")
LONG = str(ROOT / "examples" / "next15-post-long-read.txt")


def lines(out: bytes) -> list[dict]:
    return [json.loads(line) for line in out.decode().splitlines()]


# -- find ----------------------------------------------------------------------------------


def test_find_prints_row_path_tag_and_text() -> None:
    done = run("find", "article h1", HELLO)
    assert done.returncode == 0, done.stderr
    assert lines(done.stdout) == [
        {
            "row": "5",
            "path": "html > body > div > main > $default(9766) > $default(9766) > "
            "$default(9766) > article > h1",
            "tag": "h1",
            "text": "Hello, Flight",
        }
    ]


def test_find_client_components_and_commas() -> None:
    found = lines(run("find", "$MetadataBoundary, nav p", HELLO).stdout)
    assert [m["tag"] for m in found] == ["$MetadataBoundary", "p"]
    assert found[0]["row"] is None  # decoded from the root row's outlined head
    assert run("find", "blink", HELLO).stdout == b""  # no match: nothing printed, status 0


def test_find_long_text_is_cut() -> None:
    texts = [m["text"] for m in lines(run("find", "article", LONG).stdout)]
    assert texts
    assert all(len(t) <= 80 for t in texts)
    assert texts[0].endswith("…")


def test_find_bad_selector_is_a_usage_error() -> None:
    done = run("find", "h1 >", HELLO)
    assert done.returncode == 2
    assert b"bad selector 'h1 >'" in done.stderr


# -- decode --row ----------------------------------------------------------------------------


def test_decode_one_row_in_hex() -> None:
    done = run("decode", HELLO, "--row", "5")
    assert done.returncode == 0, done.stderr
    payload = parse(Path(HELLO).read_bytes())
    assert json.loads(done.stdout) == {"row": "5", "value": to_typed_json(payload.value(5))}
    assert b"hex" in run("decode", "--help").stdout


def test_decode_row_errors() -> None:
    error_row = run("decode", "-", "--row", "1", stdin=b'0:"$1"\n1:E{"message":"boom"}\n')
    assert error_row.returncode == 0, error_row.stderr
    assert json.loads(error_row.stdout)["error"]["message"] == "boom"
    missing = run("decode", HELLO, "--row", "ff")
    assert (missing.returncode, missing.stderr) == (
        2,
        b"rsc-flight: error: the payload has no row ff\n",
    )
    assert run("decode", HELLO, "--row", "0x5").returncode == 2


# -- article --rules and Markdown ----------------------------------------------------------


RULE_TOML = """\
name = "notes-site"
[fields]
title = { select = "nav p" }
"extras.first_heading" = { select = "article h1" }
"""


@pytest.mark.parametrize("kind", ["toml", "json", "list"])
def test_article_rules_from_a_file(tmp_path: Path, kind: str) -> None:
    import tomllib

    data = tomllib.loads(RULE_TOML)
    path = tmp_path / f"rules.{'toml' if kind == 'toml' else 'json'}"
    if kind == "toml":
        path.write_text(RULE_TOML)
    else:
        path.write_text(json.dumps({"rules": [data]} if kind == "list" else data))
    done = run("article", HELLO, "--rules", str(path))
    assert done.returncode == 0, done.stderr
    article = json.loads(done.stdout)
    assert article["title"] == "Flight Notes"  # the file's rule runs last and wins
    assert article["provenance"]["title"]["rule"] == "notes-site"
    assert article["extras"]["first_heading"] == "Hello, Flight"


def test_article_bad_rules_are_usage_errors(tmp_path: Path) -> None:
    cases = {
        "bad.toml": "name = ",
        "nameless.json": '{"fields": {}}',
        "selector.json": '{"name": "x", "fields": {"title": {"select": "h1 >"}}}',
        "list.json": "[1, 2]",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
        done = run("article", HELLO, "--rules", str(tmp_path / name))
        assert done.returncode == 2, name
        assert done.stderr.startswith(f"rsc-flight: error: {tmp_path / name}: ".encode()), name
        assert done.stderr.count(b"\n") == 1
    assert run("article", HELLO, "--rules", str(tmp_path / "none.toml")).returncode == 2


def test_article_markdown_front_matter_and_date_styles() -> None:
    article = extract_article(Path(LONG).read_bytes())
    default = run("article", LONG, "--format", "markdown").stdout.decode()
    assert default == article.to_markdown()
    iso = run("article", LONG, "--format", "markdown", "--date-style", "iso").stdout.decode()
    assert f"\ndate: {article.published.isoformat()}\n" in iso
    day = run("article", LONG, "--format", "markdown", "--date-style", "date").stdout.decode()
    assert f"\ndate: {article.published.value.isoformat()[:10]}\n" in day
    toml = run("article", LONG, "--format", "markdown", "--front-matter", "toml").stdout.decode()
    assert toml.startswith("+++\ntitle = ")
    none = run("article", LONG, "--format", "markdown", "--front-matter", "none").stdout.decode()
    assert not none.startswith(("---", "+++"))
    assert default.endswith(none)


# -- terminal manners ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        (("rows", "--bogus", HELLO), b"usage: rsc-flight rows "),
        (("batch", "x", "--indent", "2"), b"usage: rsc-flight batch "),
        (("find", "h1"), b"usage: rsc-flight find "),
    ],
)
def test_wrong_arguments_show_the_commands_usage(args: tuple[str, ...], usage: bytes) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert done.stderr.startswith(usage)


def test_quiet_and_verbose() -> None:
    crlf = b'0:"a"\r\n1:"b"\r\n'  # CRLF line endings: a warning, not an error
    loud = run("rows", "-", stdin=crlf)
    assert loud.returncode == 0
    assert b"rsc-flight: " in loud.stderr
    quiet = run("rows", "-", "-q", stdin=crlf)
    assert (quiet.returncode, quiet.stderr) == (0, b"")
    assert quiet.stdout == loud.stdout
    verbose = run("decode", HELLO, "--verbose")
    assert f"rsc-flight: read {os.path.getsize(HELLO)} bytes from {HELLO}".encode() in (
        verbose.stderr
    )
    assert run("decode", HELLO, "-q", "-v").returncode == 2  # one or the other


def _on_terminal(*args: str, env: dict[str, str] | None = None) -> bytes:
    """Run with stdout and stderr on a pseudo-terminal; what it drew."""
    import pty

    leader, follower = pty.openpty()
    try:
        subprocess.run(
            [*command(), *args],
            stdout=follower,
            stderr=follower,
            timeout=60,
            check=False,
            env={**os.environ, "COLUMNS": "120", **(env or {})},
        )
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
    return seen


def test_rows_is_a_table_on_a_terminal() -> None:
    seen = _on_terminal("rows", HELLO, "--no-color").decode()
    header = seen.splitlines()[0]
    assert header.split() == ["id", "tag", "kind", "offset", "length", "preview"]
    assert seen.splitlines()[1].split()[:5] == ["1", "-", "model", "0", "21"]
    assert "{" not in seen.splitlines()[1][:40]  # not JSON
    table = run("rows", HELLO, "--format", "table").stdout.decode()
    assert table.splitlines()[0].split() == header.split()
    assert run("rows", HELLO).stdout.startswith(b'{"id": "1"')  # JSON Lines on a pipe


def test_colour_on_a_terminal_only_and_never_with_no_color() -> None:
    coloured = _on_terminal("decode", "/nonexistent.txt")
    assert b"\x1b[31;1merror:\x1b[0m" in coloured
    assert b"\x1b[" not in _on_terminal("decode", "/nonexistent.txt", env={"NO_COLOR": "1"})
    assert b"\x1b[" not in _on_terminal("decode", "/nonexistent.txt", "--no-color")
    assert b"\x1b[" not in run("decode", "/nonexistent.txt").stderr  # a pipe


def test_inspect_writes_a_file_and_says_where(tmp_path: Path) -> None:
    done = subprocess.run(
        [*command(), "inspect", HELLO], cwd=tmp_path, capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
    report = tmp_path / "next15-post-hello-report.html"
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert done.stderr.decode().startswith("rsc-flight: wrote next15-post-hello-report.html (")
    to_stdout = run("inspect", HELLO, "-o", "-")
    assert to_stdout.stdout.decode().startswith("<!DOCTYPE html>")
    assert run("inspect", HELLO, "-o", str(tmp_path)).returncode == 2  # a folder


def test_reprs_are_one_short_line():
    """``repr`` of a payload or an article fits on a line: counts and the main fields,
    never the rows or the body (a page's rows are often megabytes)."""
    payload = parse(Path(LONG).read_bytes())
    article = extract_article(payload)
    for text in (repr(payload), repr(article)):
        assert "\n" not in text
        assert len(text) < 300
    assert repr(payload).startswith(f"<Payload {len(payload.rows)} rows, dialect ")
    assert "rules 19" in repr(payload)
    assert repr(article).startswith("<Article ok title='")
    assert "body=" in repr(article)


def test_article_exits_1_on_a_page_it_cannot_read_in_full():
    """A page whose referenced rows never arrived is ``partial``: printed, and exit 1."""
    partial = ROOT / "tests" / "data" / "articles" / "partial.rsc"
    assert extract_article(partial.read_bytes()).status == "partial"
    done = run("article", str(partial))
    assert done.returncode == 1
    assert json.loads(done.stdout)["status"] == "partial"
    assert b"could not be read in full" in done.stderr
    assert run("article", HELLO).returncode == 0
