"""Hostile inputs against the batch and the command line: one bad input (a damaged WARC
record, an article that cannot be written) is that input's error, never the end of the
run, and no command ever ends in a traceback."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from rsc_flight.batch import BatchInput, extract_input, find_inputs, page_file_names, run
from rsc_flight.cli import main
from rsc_flight.extract.model import Article
from rsc_flight.wire import warc as warc_module
from rsc_flight.wire.warc import DamagedRecordError, page_records, scan_records

PAYLOAD = b'0:["$","article",null,{"children":["$","h1",null,{"children":"Hello"}]}]\n'
DAMAGED = b"WARC/1.0\r\nWARC-Type: response\r\n\r\n\x00garbage\r\n\r\n"


def record(url: str, body: bytes, gzipped: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/x-component")], protocol="HTTP/1.1"
    )
    writer.write_record(
        writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
    )
    return out.getvalue()


def damaged(gzipped: bool) -> bytes:
    return gzip.compress(DAMAGED) if gzipped else DAMAGED


@pytest.fixture(params=[False, True], ids=["plain", "gzip"])
def broken_warc(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Good record, damaged record, good record."""
    gz = request.param
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(
        record("https://a.example/1", PAYLOAD, gz)
        + damaged(gz)
        + record("https://a.example/2", PAYLOAD, gz)
    )
    return path


def test_a_damaged_record_is_reported_and_the_rest_is_read(broken_warc: Path) -> None:
    """warcio's AttributeError on the damaged record stopped the listing, and the batch."""
    entries = list(scan_records(str(broken_warc)))
    assert [e.url for e in entries] == ["https://a.example/1", None, "https://a.example/2"]
    assert isinstance(entries[1].error, DamagedRecordError)
    assert entries[1].error.offset == entries[1].offset
    assert "\n" not in str(entries[1].error)
    with pytest.raises(DamagedRecordError):
        list(page_records(str(broken_warc)))


def test_the_batch_writes_an_error_line_for_the_damaged_record(
    broken_warc: Path, tmp_path: Path
) -> None:
    (tmp_path / "page.txt").write_bytes(PAYLOAD)
    items = list(find_inputs([str(broken_warc), str(tmp_path / "page.txt")]))
    out = io.StringIO()
    summary = run(items, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["status"] for line in lines] == ["ok", "error", "ok", "ok"]
    error = lines[1]["error"]
    assert error["kind"] == "DamagedRecordError"
    assert error["offset"] == items[1].offset
    assert summary.counts == {"ok": 3, "DamagedRecordError": 1}


def test_a_file_of_damage_costs_a_bounded_number_of_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warc_module, "MAX_DAMAGED_RECORDS", 5)
    path = tmp_path / "junk.warc"
    path.write_bytes(DAMAGED * 50)
    entries = list(scan_records(str(path)))
    assert len(entries) == 6
    assert all(entry.error is not None for entry in entries)
    assert "more than 5 damaged" in str(entries[-1].error)


def test_read_record_wraps_what_warcio_raises(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc"
    path.write_bytes(DAMAGED)
    with pytest.raises(DamagedRecordError, match="at byte 0"):
        warc_module.read_record(str(path), 0)


@contextlib.contextmanager
def failing_to_dict(exc: BaseException) -> Iterator[None]:
    original = Article.to_dict

    def to_dict(self: Article, *args: Any, **kwargs: Any) -> Any:
        if self.title == "Boom":
            raise exc
        return original(self, *args, **kwargs)

    Article.to_dict = to_dict  # type: ignore[method-assign]
    try:
        yield
    finally:
        Article.to_dict = original  # type: ignore[method-assign]


@pytest.mark.parametrize("form", ["jsonl", "markdown"])
def test_an_article_that_cannot_be_written_is_its_pages_error(form: str, tmp_path: Path) -> None:
    """A RecursionError from one page's to_dict() killed the whole batch."""
    from rsc_flight.batch import OutputFormat

    boom = PAYLOAD.replace(b"Hello", b"Boom")
    items = [
        BatchInput("a", data=PAYLOAD),
        BatchInput("b", data=boom),
        BatchInput("c", data=PAYLOAD),
    ]
    errors: list[Any] = []
    with failing_to_dict(RecursionError("deep")):
        if form == "jsonl":
            out = io.StringIO()
            summary = run(items, out, on_error=errors.append)
            lines = [json.loads(line) for line in out.getvalue().splitlines()]
            assert [line["status"] for line in lines] == ["ok", "error", "ok"]
            assert lines[1]["error"] == {
                "kind": "RecursionError",
                "message": "deep",
                "internal": True,
            }
        else:
            summary = run(
                items,
                output_dir=tmp_path,
                output_format=OutputFormat("markdown"),
                on_error=errors.append,
            )
        result = extract_input(items[1])
    assert summary.counts == {"ok": 2, "RecursionError": 1}
    assert [e["source"] for e in errors] == ["b"]
    assert result["status"] == "error"
    assert result["error"]["internal"] is True


def test_a_lone_surrogate_in_a_page_is_written() -> None:
    surrogate = b'0:["$","article",null,{"children":["$","h1",null,{"children":"\\ud800"}]}]\n'
    out = io.StringIO()
    summary = run([BatchInput("s", data=surrogate), BatchInput("a", data=PAYLOAD)], out)
    assert summary.ok == 2
    out.getvalue().encode("utf-8")  # strict: what a file opened as UTF-8 must accept


def test_unparsable_urls_still_get_file_names() -> None:
    items = [BatchInput("w.warc", 0, "http://[::1"), BatchInput("w.warc", 9, "http://[")]
    names = page_file_names(items, ".md")
    assert len(set(names)) == 2
    assert all(name.endswith(".md") for name in names)


# -- the command line ---------------------------------------------------------------------


def call(argv: list[str]) -> tuple[int, str]:
    """Run the CLI in this process with strict UTF-8 stdout, as a pipe has; the exit
    status and what it wrote on stderr."""
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse
            status = exc.code if isinstance(exc.code, int) else 2
        stderr.flush()
    return status, stderr.buffer.getvalue().decode()  # type: ignore[attr-defined]


def test_an_internal_error_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from rsc_flight.cli import commands

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded\nwhile doing things")

    monkeypatch.setattr(commands, "extract_article", broken)
    page = tmp_path / "p.txt"
    page.write_bytes(PAYLOAD)
    status, errors = call(["article", str(page)])
    assert status == 1
    assert errors.count("\n") == 1
    assert "internal error (RecursionError)" in errors
    monkeypatch.setenv("RSC_FLIGHT_TRACEBACK", "1")
    with pytest.raises(RecursionError):
        call(["article", str(page)])


def test_a_damaged_warc_given_to_a_one_page_command(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc"
    path.write_bytes(DAMAGED)
    status, errors = call(["rows", str(path)])
    assert status == 2
    assert "damaged WARC record" in errors


HOSTILE_PAGES = [
    b"",
    b"\x00\xff\xfe",
    PAYLOAD,
    PAYLOAD.replace(b"Hello", b"\\ud800"),
    b"0:" + b"[" * 5000 + b"\n",
    b'0:"$1"\n1:"$0"\n',
    b"<html><script>self.__next_f.push([1," + b"[" * 3000 + b"])</script>",
    b'<?xml version="1.0" encoding="UTF-8"?><html><script>(self.__next_f=self.__next_f||[])'
    b'.push([0]);self.__next_f.push([1,"0:\\"x\\"\\n"])</script></html>',
    b"<script>self.__next_f" + b" " * 20000 + b"</script>",
    b'<script type="text/plain">self.__next_f.push([1,"0:1\\n"])</script>',
    b'<script>self.__next_f.push([1,"0:[\\"$\\",\\"h1\\",null,{\\"children\\":\\"\\ud800\\"}]\\n"])'
    b"</script>",
    DAMAGED,
    b"\x1f\x8b\x08garbage",
]
COMMANDS = [
    ["rows"],
    ["rows", "--strict"],
    ["decode"],
    ["decode", "--source", "flight"],
    ["html"],
    ["html", "--source", "html"],
    ["article"],
    ["article", "--format", "markdown"],
    ["find", "h1"],
    ["inspect", "-o", "-"],
    ["batch", "-o", "-"],
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(COMMANDS),
    st.one_of(st.sampled_from(HOSTILE_PAGES), st.binary(max_size=300)),
    st.sampled_from(["page.txt", "page.html", "page.warc", "page.gz"]),
)
def test_every_command_ends_with_a_status_never_an_exception(
    command: list[str], data: bytes, name: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        argv = [command[0], str(path), *command[1:]]
        status, errors = call(argv)
    assert status in (0, 1, 2), (argv, errors)
    assert "Traceback" not in errors
    assert sys.getrecursionlimit() < 10**6
