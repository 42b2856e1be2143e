"""Batch outputs and honest edges (issue 20): Markdown and JSON files per page, a JSON
array, chosen fields, input lists, URLs and stdin as inputs, usage errors for inputs that
name nothing, ``--fail-on-error``, Ctrl-C with a ``--resume`` hint."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from rsc_flight import extract_article
from rsc_flight.batch import (
    BatchInput,
    OutputFormat,
    article_markdown,
    find_inputs,
    page_file_names,
    run,
    unmatched_inputs,
)

from .conftest import CORPUS, DATA, corpus_params
from .test_cli import command, run as cli
from .test_cli_inputs import HTML, server  # noqa: F401 - the loopback server fixture

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
BLOG = DATA / "next_blog" / "next15"


def test_a_folder_to_markdown_files(tmp_path: Path) -> None:
    """`--format markdown --output-dir`: one file per page named from its URL or path,
    each what `article --format markdown` prints."""
    out = tmp_path / "posts"
    done = cli("batch", "examples/", "--format", "markdown", "--output-dir", str(out), cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
    assert done.stderr == b"rsc-flight: 6 pages: 6 ok, 0 errors\n"
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*.md"))
    assert files == [
        "example.org/posts/hello.md",  # WARC records: named from their URL
        "example.org/posts/long-read.md",  # `?_rsc=1` dropped
        "examples/next15-post-hello-2.md",  # the .txt of the same page
        "examples/next15-post-hello.md",
        "examples/next15-post-long-read-2.md",
        "examples/next15-post-long-read.md",
    ]
    page = (EXAMPLES / "next15-post-long-read.txt").read_bytes()
    written = (out / "examples" / "next15-post-long-read-2.md").read_text(encoding="utf-8")
    assert written == extract_article(page).to_markdown()


@pytest.mark.parametrize("path", corpus_params("seeds/00[013]_*.txt"))
def test_markdown_files_take_the_form_of_the_blog_export(tmp_path: Path, path: Path) -> None:
    """The seed 002 of the shared corpus is the blog's own Markdown export: batch writes
    the same keys and the same date form (`2025-09-10 13:11:01+0900`)."""
    seed = next(CORPUS.glob("seeds/002_*.txt")).read_text(encoding="utf-8")
    want = yaml.safe_load(seed.split("---\n")[1])
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(path, site / "post.txt")
    out = tmp_path / "out"
    done = cli("batch", str(site), "--format", "markdown", "--output-dir", str(out))
    assert done.returncode == 0, done.stderr
    (written,) = out.rglob("*.md")
    text = written.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert set(want) - set(front) == {"excerpt", "toc", "toc_sticky", "published"}
    date_line = next(line for line in text.splitlines() if line.startswith("date: "))
    seed_date = next(line for line in seed.splitlines() if line.startswith("date: "))
    assert len(date_line) == len(seed_date)  # date: YYYY-MM-DD HH:MM:SS+0900
    assert date_line[16] == " "
    assert date_line[-5] == "+"
    day = cli(
        "batch",
        str(site),
        "--format",
        "markdown",
        "--output-dir",
        str(tmp_path / "day"),
        "--date-style",
        "date",
    )
    assert day.returncode == 0, day.stderr
    (dated,) = (tmp_path / "day").rglob("*.md")
    assert yaml.safe_load(dated.read_text().split("---\n")[1])["date"] == dt.date.fromisoformat(
        date_line[6:16]
    )


def test_front_matter_choices_from_python() -> None:
    article = extract_article((EXAMPLES / "next15-post-long-read.txt").read_bytes())
    assert article.published is not None
    assert article_markdown(article) == article.to_markdown()
    toml = article_markdown(article, front_matter="toml", date_style="iso")
    import tomllib

    data = tomllib.loads(toml.split("+++\n")[1])
    assert data["title"] == article.title
    assert data["tags"] == list(article.tags)
    assert data["date"] == article.published.value  # a TOML date-time, not a string
    jekyll = article_markdown(article, date_style="jekyll")
    stamp = article.published.value
    assert isinstance(stamp, dt.datetime)
    assert f"\ndate: {stamp:%Y-%m-%d %H:%M:%S %z}\n" in jekyll
    body = article_markdown(article, front_matter="none")
    assert article.to_markdown().endswith(body)
    assert not body.startswith("---")
    with pytest.raises(ValueError, match="front_matter"):
        article_markdown(article, front_matter="json")  # type: ignore[arg-type]


def test_json_array_json_files_and_fields(tmp_path: Path) -> None:
    array = cli("batch", str(BLOG / "notes"), "--format", "json", "--fields", "url,title")
    assert array.returncode == 0, array.stderr
    results = json.loads(array.stdout)
    assert [r["source"] for r in results] == [i.source for i in find_inputs([str(BLOG / "notes")])]
    assert all(set(r["article"]) == {"url", "title"} for r in results)
    one = cli("batch", str(BLOG / "notes"), "--format", "json", "--output-dir", str(tmp_path))
    assert one.returncode == 0, one.stderr
    files = sorted(tmp_path.rglob("*.json"))
    assert len(files) == len(results)
    assert json.loads(files[0].read_text())["status"] == "ok"
    lines = cli("batch", str(BLOG / "notes"), "--fields", "title")
    assert [set(json.loads(x)["article"]) for x in lines.stdout.splitlines()] == [{"title"}] * len(
        results
    )
    bad = cli("batch", str(BLOG / "notes"), "--fields", "title,colour")
    assert bad.returncode == 2
    assert b"unknown article field colour" in bad.stderr


def test_input_list_urls_and_stdin(tmp_path: Path, server: str) -> None:  # noqa: F811
    """`-i LIST` reads inputs one a line (URLs too); `-` is one page from stdin."""
    listing = tmp_path / "inputs.txt"
    listing.write_text(f"# pages\n{BLOG / 'notes' / 'full-metadata.txt'}\n\n{server}/post\n")
    done = cli("batch", "-i", str(listing), "-", stdin=HTML)
    assert done.returncode == 0, done.stderr
    results = [json.loads(x) for x in done.stdout.splitlines()]
    assert [r["source"] for r in results] == [  # INPUTS first, then the list
        "-",
        str(BLOG / "notes" / "full-metadata.txt"),
        f"{server}/post",
    ]
    assert [r["status"] for r in results] == ["ok"] * 3
    assert results[2]["url"] == f"{server}/post"
    assert results[0]["article"]["title"] == results[2]["article"]["title"] == "Hello, Flight"
    from_stdin = cli("batch", "-i", "-", stdin=f"{server}/post\n".encode())
    assert json.loads(from_stdin.stdout)["status"] == "ok"


def test_inputs_that_name_nothing_are_usage_errors(tmp_path: Path) -> None:
    """A missing path or a glob that matches nothing: exit 2 before anything runs."""
    for args, message in [
        ((str(tmp_path / "gone"),), b"gone: no such file or folder"),
        ((str(tmp_path / "*.html"),), b"*.html: the pattern matches no file"),
        (("-i", str(tmp_path / "none.txt")), b"cannot read"),
        ((str(tmp_path),), b"no page found in"),
    ]:
        done = cli("batch", *args, "-o", str(tmp_path / "out.jsonl"))
        assert done.returncode == 2, args
        assert message in done.stderr
        assert done.stderr.count(b"\n") == 1
        assert not (tmp_path / "out.jsonl").exists()
    assert unmatched_inputs([str(BLOG), "https://x.org/", "-", str(tmp_path / "a*")]) == [
        f"{tmp_path / 'a*'}: the pattern matches no file"
    ]


def test_output_that_is_a_folder_and_other_usage_errors(tmp_path: Path) -> None:
    page = str(BLOG / "notes" / "full-metadata.txt")
    folder = cli("batch", page, "-o", str(tmp_path))
    assert (folder.returncode, folder.stderr) == (
        2,
        f"rsc-flight: error: {tmp_path} is a folder: use --output-dir {tmp_path}\n".encode(),
    )
    for args in [
        ("--format", "markdown"),  # Markdown needs --output-dir
        ("-o", "x.json", "--output-dir", str(tmp_path)),
        ("--format", "json", "-o", str(tmp_path / "x.json"), "--resume"),
    ]:
        assert cli("batch", page, *args).returncode == 2, args


def test_summary_counts_and_fail_on_error(tmp_path: Path) -> None:
    page = str(BLOG / "notes" / "full-metadata.txt")
    one = cli("batch", page, "-o", str(tmp_path / "a.jsonl"))
    assert one.stderr == b"rsc-flight: 1 page: 1 ok, 0 errors\n"
    broken = tmp_path / "broken.html"
    broken.write_bytes(b"<html><body>no flight</body></html>")
    mixed = cli("batch", page, str(broken), "-o", str(tmp_path / "b.jsonl"))
    assert mixed.returncode == 0
    assert mixed.stderr == b"rsc-flight: 2 pages: 1 ok, 1 error (NoFlightDataError 1)\n"
    strict = cli("batch", page, str(broken), "-o", str(tmp_path / "c.jsonl"), "--fail-on-error")
    assert strict.returncode == 1
    assert cli("batch", page, "--fail-on-error", "-q").returncode == 0
    quiet = cli("batch", page, str(broken), "-o", str(tmp_path / "d.jsonl"), "-q")
    assert quiet.stderr == b""
    # With a file per page, a failed page is said on stderr (it has no file to be in).
    md = cli(
        "batch", page, str(broken), "--format", "markdown", "--output-dir", str(tmp_path / "m")
    )
    assert f"rsc-flight: {broken}: NoFlightDataError: ".encode() in md.stderr


def test_resume_with_an_output_folder_skips_written_pages(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("batch", str(BLOG), "--format", "markdown", "--output-dir", str(out))
    first = cli(*args)
    assert first.returncode == 0, first.stderr
    files = sorted(out.rglob("*.md"))
    files[0].unlink()
    (out / "stray.md.part").write_text("half")  # a write that a kill cut short
    again = cli(*args, "--resume")
    assert again.returncode == 0, again.stderr
    assert again.stderr.decode().endswith(f"; {len(files) - 1} already done\n")
    assert again.stderr.startswith(b"rsc-flight: 1 page: 1 ok")
    assert sorted(out.rglob("*.md")) == files


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_cleanly_and_resume_goes_on(
    tmp_path: Path,
    server: str,  # noqa: F811
    jobs: str,
) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while a page
    is slow: exit 130, one line saying --resume goes on, no traceback; resuming then
    writes exactly the pages that were missing."""
    from .test_cli_inputs import _Handler

    _Handler.slow_done = False
    notes = sorted(str(p) for p in (BLOG / "notes").glob("*.txt"))
    inputs = [*notes[:2], f"{server}/slow", *notes[2:]]
    out = tmp_path / "out.jsonl"
    batch = subprocess.Popen(
        [*command(), "batch", *inputs, "-o", str(out), "--jobs", jobs],
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (
        out.exists() and out.read_text().count("\n") >= 2 and _Handler.slow_done
    ):
        time.sleep(0.05)
    os.killpg(batch.pid, signal.SIGINT)
    _, err = batch.communicate(timeout=30)
    assert batch.returncode == 130, err
    assert b"Traceback" not in err
    assert err.count(b"\n") == 1
    assert b"interrupted after 2 of " in err
    assert b"run the same command with --resume to go on" in err
    assert out.read_text().count("\n") == 2
    again = cli("batch", *inputs, "-o", str(out), "--jobs", jobs, "--resume")
    assert again.returncode == 0, again.stderr
    sources = [json.loads(x)["source"] for x in out.read_text().splitlines()]
    assert sources == inputs


# -- the library -----------------------------------------------------------------------------


def test_run_checks_its_output_arguments(tmp_path: Path) -> None:
    items = list(find_inputs([str(BLOG / "notes")]))
    with pytest.raises(ValueError, match="output_dir"):
        run(items, io.StringIO(), output_format=OutputFormat("markdown"))
    with pytest.raises(ValueError, match="either"):
        run(items, io.StringIO(), output_dir=tmp_path)
    with pytest.raises(ValueError, match="either"):
        run(items)
    with pytest.raises(ValueError, match="JSON array"):
        run(items, tmp_path / "x.json", resume=True, output_format=OutputFormat("json"))
    with pytest.raises(ValueError, match="unknown article field"):
        OutputFormat(fields=["nope"])
    with pytest.raises(ValueError, match="format"):
        OutputFormat("xml")  # type: ignore[arg-type]
    stream = io.StringIO()
    errors: list[dict] = []
    summary = run(
        [*items[:2], BatchInput(str(tmp_path / "gone.txt"))],
        stream,
        output_format=OutputFormat("json", fields=("title",)),
        on_error=errors.append,
    )
    assert [r["status"] for r in json.loads(stream.getvalue())] == ["ok", "ok", "error"]
    assert [e["error"]["kind"] for e in errors] == ["FileNotFoundError"]
    assert summary.errors == 1
    empty = io.StringIO()
    run([], empty, output_format=OutputFormat("json"))
    assert json.loads(empty.getvalue()) == []


def test_page_file_names_are_stable_and_unique() -> None:
    """Named from the URL (a WARC record's, a fetched page's) or the path; a name met
    twice (case aside: macOS and Windows) gets a number; nothing escapes the folder."""
    items = [
        BatchInput("w.warc.gz", 10, "https://ex.org/a/b/?_rsc=1x"),
        BatchInput("w.warc.gz", 20, "https://ex.org/a/b/"),
        BatchInput("w.warc.gz", 30, None),
        BatchInput("site/p.html.gz"),
        BatchInput("site/P.txt"),
        BatchInput("-"),
        BatchInput("x", url="https://ex.org/?q=1&_rsc=2"),
        BatchInput("x", url="https://ex.org/../../etc/passwd"),
    ]
    names = page_file_names(items, ".md")
    assert names == [
        "ex.org/a/b/index.md",
        "ex.org/a/b/index-2.md",
        "w.warc/30.md",
        "site/p.md",
        "site/P-2.md",
        "stdin.md",
        "ex.org/index-q-1.md",
        "ex.org/_/_/etc/passwd.md",
    ]
    assert page_file_names(items, ".md") == names
