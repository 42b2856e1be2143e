"""The batch runner as a library: ``rsc_flight.batch.run`` and ``iter_results`` keep the
input order on several processes, record each failure as a result, and resume a killed
run without losing or repeating a page."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from rsc_flight.batch import (
    BatchInput,
    ProgressBar,
    done_sources,
    drop_torn_line,
    extract_input,
    find_inputs,
    iter_results,
    run,
)

from .conftest import DATA

BLOG = DATA / "next_blog" / "next15"


@pytest.fixture
def pages(tmp_path: Path) -> list[BatchInput]:
    """Good pages with a broken page and a missing file in the middle."""
    folder = tmp_path / "site"
    shutil.copytree(BLOG, folder)
    (folder / "notes" / "broken.html").write_bytes(b"<html><body>no flight</body></html>")
    items = list(find_inputs([str(folder)]))
    items.insert(3, BatchInput(str(folder / "gone.txt")))
    return items


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def kinds(results: list[dict]) -> list[str]:
    return ["ok" if r["status"] == "ok" else r["error"]["kind"] for r in results]


def test_iter_results_keeps_input_order_on_two_processes(pages: list[BatchInput]) -> None:
    expected = [extract_input(item) for item in pages]
    got = list(iter_results(pages, jobs=2))
    assert [r["source"] for r in got] == [item.source for item in pages]
    assert got == expected
    assert "FileNotFoundError" in kinds(got)
    assert "NoFlightDataError" in kinds(got)


def test_run_writes_every_input_in_order_and_records_failures(
    pages: list[BatchInput], tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    seen: list[tuple[int, int]] = []
    summary = run(pages, out, jobs=2, progress=lambda done, total: seen.append((done, total)))
    lines = read_lines(out)
    assert [line["source"] for line in lines] == [item.source for item in pages]
    assert lines == [extract_input(item) for item in pages]
    assert kinds(lines).count("FileNotFoundError") == 1
    assert kinds(lines).count("NoFlightDataError") == 1  # broken.html
    assert (summary.total, summary.skipped) == (len(pages), 0)
    assert summary.ok == kinds(lines).count("ok") > 0
    assert summary.errors == len(pages) - summary.ok
    assert summary.counts["FileNotFoundError"] == 1
    assert seen == [(n, len(pages)) for n in range(1, len(pages) + 1)]


def test_run_writes_to_a_stream_and_leaves_it_open(pages: list[BatchInput]) -> None:
    stream = io.StringIO()
    summary = run(pages[:3], stream)
    assert not stream.closed
    assert [json.loads(line)["source"] for line in stream.getvalue().splitlines()] == [
        item.source for item in pages[:3]
    ]
    assert summary.total == 3


def test_resume_after_a_torn_last_line_appends_only_the_missing(
    pages: list[BatchInput], tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    run(pages, out)
    complete = out.read_bytes()
    lines = complete.splitlines(keepends=True)
    # Killed halfway: three results and a torn fourth line.
    out.write_bytes(b"".join(lines[:3]) + lines[3][:25])
    summary = run(pages, out, jobs=2, resume=True)
    assert (summary.total, summary.skipped) == (len(pages), 3)
    assert sum(summary.counts.values()) == len(pages) - 3
    assert out.read_bytes() == complete  # torn line cut, the rest appended in order


def test_resume_cuts_a_torn_first_line_and_redoes_everything(
    pages: list[BatchInput], tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    run(pages, out)
    complete = out.read_bytes()
    out.write_bytes(complete[:10])  # killed while writing the very first line
    summary = run(pages, out, resume=True)
    assert summary.skipped == 0
    assert out.read_bytes() == complete


def test_resume_redoes_a_last_line_without_its_newline(
    pages: list[BatchInput], tmp_path: Path
) -> None:
    """A last line that is whole JSON but lacks its newline is cut as torn, so it must
    not count as done either, or its page would be lost."""
    out = tmp_path / "out.jsonl"
    run(pages, out)
    complete = out.read_bytes()
    lines = complete.splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:2]) + lines[2].rstrip(b"\n"))
    assert len(done_sources(out)) == 2
    summary = run(pages, out, resume=True)
    assert summary.skipped == 2
    assert out.read_bytes() == complete


def test_resume_of_a_missing_file_runs_everything(pages: list[BatchInput], tmp_path: Path) -> None:
    out = tmp_path / "new.jsonl"
    summary = run(pages[:2], out, resume=True)
    assert (summary.skipped, sum(summary.counts.values())) == (0, 2)
    assert len(read_lines(out)) == 2


def test_bad_arguments_raise_before_anything_runs(pages: list[BatchInput], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="resume"):
        run(pages, io.StringIO(), resume=True)
    with pytest.raises(ValueError, match="jobs"):
        run(pages, tmp_path / "out.jsonl", jobs=0)
    with pytest.raises(ValueError, match="jobs"):
        iter_results(pages, jobs=0)  # not only at the first result
    assert not (tmp_path / "out.jsonl").exists()


def test_drop_torn_line_reads_back_over_several_blocks(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    head = b'{"source": "a"}\n' * 3
    path.write_bytes(head + b"x" * 200_000)  # a torn tail longer than one read block
    assert drop_torn_line(path) == 200_000
    assert path.read_bytes() == head
    assert drop_torn_line(path) == 0
    path.write_bytes(b"y" * 70_000)  # no newline at all: everything is torn
    assert drop_torn_line(path) == 70_000
    assert path.read_bytes() == b""
    assert drop_torn_line(tmp_path / "none.jsonl") == 0


def test_done_sources_skips_damaged_lines(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text('{"source": "a"}\nnot json\n[1]\n{"source": 3}\n{"source": "b"}\n{"sou')
    assert done_sources(path) == {"a", "b"}
    assert done_sources(tmp_path / "none.jsonl") == set()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_only_on_a_terminal() -> None:
    terminal = _Terminal()
    bar = ProgressBar(terminal)
    bar(1, 4)
    bar(4, 4)
    bar.close()
    drawn = terminal.getvalue()
    assert drawn.startswith("\r[#######")
    assert "\r[" + "#" * 30 + "] 4/4 pages" in drawn
    assert drawn.endswith("\n")
    pipe = io.StringIO()
    quiet = ProgressBar(pipe)
    quiet(1, 1)
    quiet.close()
    assert pipe.getvalue() == ""


def test_dask_bag_skips_the_sources_given(tmp_path: Path) -> None:
    pytest.importorskip("dask.bag")
    from rsc_flight.batch.dask import article_bag

    items = list(find_inputs([str(BLOG / "notes")]))
    skip = {items[0].source}
    got = article_bag([str(BLOG / "notes")], skip=skip).compute(scheduler="sync")
    assert [r["source"] for r in got] == [item.source for item in items[1:]]
    assert got == [extract_input(item) for item in items[1:]]
