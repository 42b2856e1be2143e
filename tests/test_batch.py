"""Batch extraction: inputs of a crawl (folders, globs, WARC files), one result per page,
the ``rsc-flight batch`` command, and a Dask cluster of two workers."""

from __future__ import annotations

import io
import json
import pickle
import shutil
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from rsc_flight import FlightError, extract_article, parse
from rsc_flight.batch import BatchInput, extract_bytes, extract_input, find_inputs

from .conftest import DATA
from .test_cli import run

BLOG = DATA / "next_blog" / "next15"


def write_warc(path: Path, pages: list[tuple[str, str, bytes]]) -> None:
    """A gzipped WARC of HTTP responses (url, content type, body), plus a request record
    and a non-page response that batch must skip."""
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        request = writer.create_warc_record(
            "https://journal.example.org/", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
        )
        writer.write_record(request)
        for url, kind, body in [
            *pages,
            ("https://journal.example.org/a.png", "image/png", b"\x89PNG"),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    """A folder of pages with one broken file, and a WARC file in a subfolder."""
    folder = tmp_path / "crawl"
    shutil.copytree(BLOG, folder / "site")
    (folder / "site" / "broken.html").write_bytes(b"<html><body>no flight here</body></html>")
    (folder / "site" / "notes.md").write_text("not a page")  # wrong extension: skipped
    (folder / "w").mkdir()
    write_warc(
        folder / "w" / "pages.warc.gz",
        [
            (
                "https://journal.example.org/notes/full-metadata/",
                "text/html; charset=utf-8",
                (BLOG / "notes" / "full-metadata.html").read_bytes(),
            ),
            (
                "https://journal.example.org/tutorials/element-body/?_rsc=1",
                "text/x-component",
                (BLOG / "tutorials" / "element-body.txt").read_bytes(),
            ),
            ("https://journal.example.org/empty/", "text/html", b"<html></html>"),
        ],
    )
    return folder


def test_find_inputs_expands_folders_globs_and_warc_records(crawl: Path) -> None:
    items = list(find_inputs([str(crawl)]))
    names = [Path(i.path).name for i in items]
    assert "notes.md" not in names
    assert names.count("pages.warc.gz") == 3  # three page responses; request and PNG skipped
    warc = [i for i in items if i.offset is not None]
    assert [i.url for i in warc] == [
        "https://journal.example.org/notes/full-metadata/",
        "https://journal.example.org/tutorials/element-body/?_rsc=1",
        "https://journal.example.org/empty/",
    ]
    assert warc[1].read() == (BLOG / "tutorials" / "element-body.txt").read_bytes()
    globbed = list(find_inputs([str(crawl / "site" / "**" / "*.txt")]))
    assert {Path(i.path).suffix for i in globbed} == {".txt"}
    assert items == list(find_inputs([str(crawl)]))  # stable order


def test_results_and_errors_pickle() -> None:
    result = extract_bytes(b"garbage", source="x")
    assert result["status"] == "error"
    assert result["error"]["kind"] == "NoFlightDataError"
    assert result["error"]["offset"] == 0
    payload = parse((BLOG / "notes" / "full-metadata.txt").read_bytes())
    article = extract_article(payload)
    for value in (payload, article, BatchInput("a", 3, "u"), result):
        assert pickle.loads(pickle.dumps(value)) is not None
    assert pickle.loads(pickle.dumps(article)) == article
    with pytest.raises(FlightError) as caught:
        parse(b"0:[1\n", strict=True)
    again = pickle.loads(pickle.dumps(caught.value))
    assert (type(again), str(again)) == (type(caught.value), str(caught.value))


def results(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_command_on_a_folder_and_a_warc(crawl: Path, tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "out.jsonl"
    done = run("batch", str(crawl), "-o", str(out), "--jobs", jobs)
    assert done.returncode == 0, done.stderr
    lines = results(out)
    assert [line["source"] for line in lines] == [i.source for i in find_inputs([str(crawl)])]
    by_source = {Path(line["source"]).name: line for line in lines}
    assert by_source["broken.html"]["status"] == "error"
    assert by_source["broken.html"]["error"]["kind"] == "NoFlightDataError"
    warc = [line for line in lines if "@" in line["source"]]
    assert [w["status"] for w in warc] == ["ok", "ok", "error"]
    assert warc[0]["article"]["title"] == "Everything in the Head: a Fully Described Post"
    # The RSC response's page says no URL of its own: the record's target URI is used.
    assert warc[1]["article"]["url"] == "https://journal.example.org/tutorials/element-body/?_rsc=1"
    ok = sum(line["status"] == "ok" for line in lines)
    assert f"{len(lines)} pages: {ok} ok, {len(lines) - ok} errors" in done.stderr.decode()
    assert b"\r" not in done.stderr  # no progress bar when stderr is not a terminal


def test_batch_resume_skips_what_is_done(crawl: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    first = run("batch", str(crawl / "site"), "-o", str(out))
    assert first.returncode == 0, first.stderr
    complete = results(out)
    # A run killed halfway: two results and a torn third line.
    lines = out.read_text().splitlines(keepends=True)
    out.write_text("".join(lines[:2]) + lines[2][:40])
    again = run("batch", str(crawl / "site"), "-o", str(out), "--resume")
    assert again.returncode == 0, again.stderr
    assert f"{len(complete) - 2} pages" in again.stderr.decode()
    assert "2 already done" in again.stderr.decode()
    resumed = [
        json.loads(x)
        for x in out.read_text().splitlines()
        if x.startswith('{"source"') and x.endswith("}")
    ]
    assert sorted(r["source"] for r in resumed) == sorted(r["source"] for r in complete)


def test_batch_usage_errors(tmp_path: Path) -> None:
    assert run("batch", str(tmp_path), "--resume").returncode == 2
    assert run("batch", str(tmp_path), "--jobs", "0").returncode == 2
    assert run("batch").returncode == 2
    # Issue 20: inputs that name no page are usage errors, not "0 pages: 0 ok".
    empty = run("batch", str(tmp_path))
    assert empty.returncode == 2
    assert empty.stdout == b""
    assert b"no page found in" in empty.stderr


def test_missing_file_is_a_usage_error_but_a_vanished_one_an_error_result(
    tmp_path: Path,
) -> None:
    """A path that does not exist stops the batch before it starts (issue 20); a page
    that cannot be read once the batch runs is still an error result."""
    out = run("batch", str(tmp_path / "gone.html"))
    assert out.returncode == 2
    assert out.stdout == b""
    assert b"gone.html: no such file or folder" in out.stderr
    result = extract_input(BatchInput(str(tmp_path / "gone.html")))
    assert (result["status"], result["error"]["kind"]) == ("error", "FileNotFoundError")


def test_dask_bag_on_a_local_cluster_of_two_workers(crawl: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from rsc_flight.dask import article_bag

    expected = [
        extract_bytes(i.read(), source=i.source, url=i.url) for i in find_inputs([str(crawl)])
    ]
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        got = article_bag([str(crawl)]).compute()
        workers = set(client.scheduler_info()["workers"])
    assert len(workers) == 2
    assert got == expected
