"""The ``rsc-flight`` command.

It sits on the public API only.  Exit status: 0 success, 1 bad input (the message names the
byte offset and row), 2 usage error (bad arguments, unreadable file).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import IO, NoReturn

from .. import (
    Diagnostic,
    FlightDecoder,
    FlightError,
    __version__,
    extract_article,
    parse,
    read_inline_flight,
    render_html,
    render_page,
)
from ..batch import BatchInput, extract_input, find_inputs
from ..wire import detect_source, row_json

__all__ = ["main"]

_READ_SIZE = 1 << 16

_ROWS_EPILOG = """\
Each output line is one row, for example:
  {"id": "2", "tag": "T", "kind": "text", "offset": 812, "length": 3577,
   "preview": "<p>Hello…"}
"length" is the row's size on the wire, header included, so offset + length is
the offset of the next row.  Id-less rows (":HL[...]") have "id": null.

examples:
  rsc-flight rows page.txt
  curl -s -H 'RSC: 1' https://example.com/post | rsc-flight rows -
  rsc-flight rows saved-page.html --source html
"""


class _UsageError(Exception):
    pass


def _open_input(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except OSError as exc:
        raise _UsageError(f"cannot read {path}: {exc.strerror}") from exc


def _chunks(stream: IO[bytes], source: str) -> Iterator[bytes]:
    """The flight bytes of the input, streamed when the input is a raw payload."""
    first = stream.read(_READ_SIZE)
    kind = detect_source(first) if source == "auto" else source
    if kind == "html":
        rest = stream.read()
        inline = read_inline_flight(first + rest)
        for problem in inline.diagnostics:
            _warn(problem)
        yield inline.data
        return
    while first:
        yield first
        first = stream.read(_READ_SIZE)


def _warn(problem: Diagnostic) -> None:
    print(f"rsc-flight: {problem}", file=sys.stderr)


def _report(problems: Sequence[Diagnostic]) -> int:
    """Print every problem on stderr; exit status 1 if any bytes could not be read."""
    for problem in problems:
        _warn(problem)
    return 1 if any(problem.severity == "error" for problem in problems) else 0


def _cmd_rows(args: argparse.Namespace) -> int:
    decoder = FlightDecoder(strict=args.strict)
    out = sys.stdout
    stream = _open_input(args.file)
    try:
        for chunk in _chunks(stream, args.source):
            for row in decoder.feed(chunk):
                out.write(json.dumps(row_json(row), ensure_ascii=False) + "\n")
        for row in decoder.close():
            out.write(json.dumps(row_json(row), ensure_ascii=False) + "\n")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return _report(decoder.diagnostics)


_DECODE_EPILOG = """\
The output is one JSON document in the typed-JSON format (the format of the
corpus oracles, i.e. what React's own client decodes):
  {"value": <root value>, "hints": [[code, ...args], ...]}
or, when row 0 is an error row:
  {"rootError": {"$type": "Error", ...}, "hints": [...]}

examples:
  rsc-flight decode page.txt
  rsc-flight decode page.html --indent 2
  curl -s -H 'RSC: 1' https://example.com/post | rsc-flight decode -
"""


def _read_all(path: str) -> bytes:
    stream = _open_input(path)
    try:
        return stream.read()
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _indent(args: argparse.Namespace) -> int | None:
    if args.indent is not None:
        return int(args.indent) if args.indent > 0 else None
    return 2 if sys.stdout.isatty() else None


def _cmd_decode(args: argparse.Namespace) -> int:
    payload = parse(_read_all(args.file), source=args.source, strict=args.strict)
    document = payload.to_typed_json()
    json.dump(document, sys.stdout, ensure_ascii=False, indent=_indent(args))
    sys.stdout.write("\n")
    return _report(payload.diagnostics)


_HTML_EPILOG = """\
A Next.js app-router payload (or page) is rendered as the page: the root layout
with each segment put where its LayoutRouter stands.  Any other payload renders
its root.  Client components render their server-rendered children (with
--mark-clients, inside <rsc-client data-client="module#export">).  HTML from
dangerouslySetInnerHTML is copied as it is: it is the page's own, unsanitised.

examples:
  rsc-flight html page.txt > page.html
  rsc-flight html saved-page.html --mark-clients
"""


def _cmd_html(args: argparse.Namespace) -> int:
    payload = parse(_read_all(args.file), source=args.source, strict=args.strict)
    options = {"mark_clients": args.mark_clients, "sanitize": args.sanitize}
    html = render_page(payload.root, **options)
    if html is None:
        html = render_html(payload.root, **options)
    sys.stdout.write(html + "\n")
    return _report(payload.diagnostics)


_ARTICLE_EPILOG = """\
JSON output holds every field with its provenance (which rule, which source,
which row gave it), the raw head entries and JSON-LD, a snapshot of the site
(name, navigation counts) and warnings.  Markdown output is YAML front matter
(title, categories, tags, permalink, date, last_modified_at...) and the body
converted to Markdown, the form a static-site generator reads.

examples:
  rsc-flight article page.txt
  rsc-flight article page.txt --format markdown > post.md
  rsc-flight article saved.html --url https://example.com/posts/a
"""


def _cmd_article(args: argparse.Namespace) -> int:
    payload = parse(_read_all(args.file), source=args.source, strict=args.strict)
    article = extract_article(payload, url=args.url)
    if args.format == "markdown":
        sys.stdout.write(article.to_markdown())
    else:
        json.dump(article.to_dict(), sys.stdout, ensure_ascii=False, indent=_indent(args))
        sys.stdout.write("\n")
    return _report(payload.diagnostics)


_INSPECT_EPILOG = """\
The report is one HTML file that needs no network: the rows (filter by tag), the
rows' JSON as a tree whose references are links (pending, shared and cyclic
references marked), diagnostics, the rendered page in a sandboxed frame beside
the extracted article, and size statistics.  Open it in any browser.

examples:
  rsc-flight inspect page.txt -o report.html
  rsc-flight inspect saved-page.html -o report.html --title "saved page"
  curl -s -H 'RSC: 1' https://example.com/post | rsc-flight inspect - > report.html
"""


def _cmd_inspect(args: argparse.Namespace) -> int:
    from .. import inspect_report  # loaded here: only this command needs it

    payload = parse(_read_all(args.file), source=args.source, strict=args.strict)
    title = args.title or ("stdin" if args.file == "-" else args.file)
    report = inspect_report(payload, title=title)
    if args.output == "-":
        sys.stdout.write(report)
    else:
        try:
            with open(args.output, "w", encoding="utf-8") as out:
                out.write(report)
        except OSError as exc:
            raise _UsageError(f"cannot write {args.output}: {exc.strerror}") from exc
    return _report(payload.diagnostics)


_BATCH_EPILOG = """\
INPUTS are files, folders (searched recursively for .html, .htm, .txt, .rsc and
.flight files, and WARC files), glob patterns ('crawl/**/*.html') and WARC files
(.warc, .warc.gz: every HTML or text/x-component response is one page).

Each output line is one JSON object per page, in input order:
  {"source": "a/post.html", "status": "ok", "article": {...}}
  {"source": "crawl.warc.gz@1234", "url": "https://...", "status": "error",
   "error": {"kind": "NoFlightDataError", "message": "...", "offset": 0, "row": null}}
A bad page never stops the batch.  A summary goes to stderr at the end, and a
progress bar too when stderr is a terminal.

examples:
  rsc-flight batch crawl/ -o articles.jsonl --jobs 4
  rsc-flight batch 'site/**/*.txt' pages.warc.gz -o out.jsonl --resume
"""


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.start = time.monotonic()
        self.enabled = sys.stderr.isatty()

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        rate = self.done / max(time.monotonic() - self.start, 1e-9)
        filled = 30 * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (30 - filled)
        sys.stderr.write(f"\r[{bar}] {self.done}/{self.total} pages, {rate:.1f}/s")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _done_sources(path: str) -> set[str]:
    """Sources already in an output file (``--resume``); a torn last line is ignored."""
    done: set[str] = set()
    try:
        with open(path, encoding="utf-8") as stream:
            for line in stream:
                try:
                    done.add(json.loads(line)["source"])
                except (ValueError, KeyError, TypeError):
                    continue
    except FileNotFoundError:
        pass
    return done


def _cmd_batch(args: argparse.Namespace) -> int:
    if args.resume and args.output == "-":
        raise _UsageError("--resume needs an output file (-o OUT.jsonl)")
    if args.jobs < 1:
        raise _UsageError("--jobs must be at least 1")
    try:
        inputs = list(find_inputs(args.inputs))
    except (OSError, ValueError) as exc:
        raise _UsageError(f"cannot list the inputs: {exc}") from exc
    done = _done_sources(args.output) if args.resume else set()
    todo = [item for item in inputs if item.source not in done]
    out: IO[str]
    if args.output == "-":
        out = sys.stdout
    else:
        if args.resume and done:
            _drop_torn_line(args.output)
        out = open(args.output, "a" if args.resume else "w", encoding="utf-8")  # noqa: SIM115
    counts: Counter[str] = Counter()
    progress = _Progress(len(todo))
    try:
        for line, kind in _run_batch(todo, args.jobs):
            out.write(line)
            counts[kind] += 1
            progress.step()
    finally:
        progress.close()
        if out is not sys.stdout:
            out.close()
    errors = sum(n for kind, n in counts.items() if kind != "ok")
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()) if kind != "ok")
    print(
        f"rsc-flight: {len(todo)} pages: {counts['ok']} ok, {errors} errors"
        + (f" ({kinds})" if kinds else "")
        + (f"; {len(inputs) - len(todo)} already done" if args.resume else ""),
        file=sys.stderr,
    )
    return 0


def _drop_torn_line(path: str) -> None:
    """Before appending, cut the unfinished last line a killed run left behind."""
    with open(path, "rb+") as stream:
        data = stream.read()
        if data and not data.endswith(b"\n"):
            stream.truncate(data.rfind(b"\n") + 1)


def _batch_line(item: BatchInput) -> tuple[str, str]:
    """One input's output line and its kind (``ok`` or the error's); serialised in the
    worker, so the parent only writes."""
    result = extract_input(item)
    kind = "ok" if result["status"] == "ok" else str(result["error"]["kind"])
    return json.dumps(result, ensure_ascii=False) + "\n", kind


def _run_batch(todo: list[BatchInput], jobs: int) -> Iterator[tuple[str, str]]:
    """Output lines in input order, made on ``jobs`` processes."""
    if jobs == 1 or len(todo) < 2:
        yield from map(_batch_line, todo)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(16, len(todo) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_batch_line, todo, chunksize=chunk)


def _add_indent_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--indent",
        type=int,
        default=None,
        metavar="N",
        help="indent the JSON by N spaces (default: 2 on a terminal, compact on a pipe; "
        "0 for compact)",
    )


def _add_input_arguments(command: argparse.ArgumentParser) -> None:
    """FILE, --source and --strict: how every command reads its input."""
    command.add_argument("file", metavar="FILE", help="payload or HTML page; '-' reads stdin")
    command.add_argument(
        "--source",
        choices=("auto", "flight", "html"),
        default="auto",
        help="what FILE is (default: detected from its first bytes)",
    )
    command.add_argument(
        "--strict", action="store_true", help="stop at the first problem instead of going on"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rsc-flight",
        description="Read React Server Components (Flight) payloads and Next.js pages.",
        epilog="Run 'rsc-flight COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    rows = commands.add_parser(
        "rows",
        help="list the rows of a payload as JSON Lines",
        description="Tokenize a flight payload (or the flight data of a Next.js HTML page) "
        "and print one JSON object per row.",
        epilog=_ROWS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_input_arguments(rows)
    rows.set_defaults(run=_cmd_rows)

    decode = commands.add_parser(
        "decode",
        help="decode a payload to typed JSON",
        description="Decode a flight payload (or a Next.js page's flight data) the way React's "
        "client does, and print the result as typed JSON.",
        epilog=_DECODE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_input_arguments(decode)
    _add_indent_argument(decode)
    decode.set_defaults(run=_cmd_decode)

    html = commands.add_parser(
        "html",
        help="render the page's element tree to HTML",
        description="Render a payload's element tree to HTML as React DOM's server renderer would.",
        epilog=_HTML_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_input_arguments(html)
    html.add_argument(
        "--mark-clients",
        action="store_true",
        help="wrap what each client component renders in <rsc-client data-client=...>",
    )
    html.add_argument(
        "--sanitize",
        action="store_true",
        help="clean dangerouslySetInnerHTML content with nh3 (pip install 'rsc_flight[sanitize]')",
    )
    html.set_defaults(run=_cmd_html)

    article = commands.add_parser(
        "article",
        help="extract the article: metadata and body",
        description="Extract a Next.js page's article (title, dates, authors, tags, URL, body) "
        "with the built-in and installed rules.",
        epilog=_ARTICLE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_input_arguments(article)
    article.add_argument("--url", help="the URL the page was fetched from, if the page omits it")
    article.add_argument(
        "--format",
        choices=("json", "markdown"),
        default="json",
        help="JSON (default) or Markdown with YAML front matter",
    )
    _add_indent_argument(article)
    article.set_defaults(run=_cmd_article)

    inspect = commands.add_parser(
        "inspect",
        help="write a self-contained HTML report to explore a payload in a browser",
        description="Write one HTML file showing a payload's rows, its tree with references "
        "as links, diagnostics, the rendered page, the article and size statistics.",
        epilog=_INSPECT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_input_arguments(inspect)
    inspect.add_argument(
        "-o", "--output", default="-", metavar="OUT", help="HTML file (default: stdout)"
    )
    inspect.add_argument("--title", help="the report's title (default: FILE)")
    inspect.set_defaults(run=_cmd_inspect)

    batch = commands.add_parser(
        "batch",
        help="extract the articles of many pages (files, folders, globs, WARC) to JSON Lines",
        description="Extract the article of every page named by INPUTS, one JSON object per "
        "page, on one or more processes.",
        epilog=_BATCH_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    batch.add_argument("inputs", nargs="+", metavar="INPUTS", help="files, folders, globs, WARCs")
    batch.add_argument(
        "-o", "--output", default="-", metavar="OUT", help="JSON Lines file (default: stdout)"
    )
    batch.add_argument(
        "-j", "--jobs", type=int, default=1, metavar="N", help="processes to use (default: 1)"
    )
    batch.add_argument(
        "--resume", action="store_true", help="skip pages already in OUT and append the rest"
    )
    batch.set_defaults(run=_cmd_batch)
    return parser


def _fail(message: str, status: int) -> NoReturn:
    print(f"rsc-flight: error: {message}", file=sys.stderr)
    raise SystemExit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``rsc-flight`` console script."""
    args = _parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except _UsageError as exc:
        _fail(str(exc), 2)
    except FlightError as exc:
        _fail(str(exc), 1)
    except BrokenPipeError:
        # `rsc-flight rows big.txt | head`: the reader left; that is not an error.
        sys.stderr.close()
        return 0
    return status


if __name__ == "__main__":
    raise SystemExit(main())
