"""What each ``rsc-flight`` command does: read the input, call the library, print.

Nothing here decodes, renders, extracts or schedules by itself: that is the library's
work, reachable from Python the same way (the ``batch`` command is
:func:`rsc_flight.batch.run`).  Only public names are used, so the command line is
also a check that the public API is enough.  Problems are printed on stderr; the exit
status is 1 when some bytes could not be read and 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from typing import IO

from .. import Diagnostic, FlightDecoder, extract_article, parse, read_inline_flight
from ..batch import BatchSummary, ProgressBar, find_inputs, run
from ..model.js_strings import well_formed
from ..model.typed_json import dumps
from ..nextjs import render_document
from ..wire import detect_source, row_json

__all__ = [
    "UsageError",
    "article_command",
    "batch_command",
    "decode_command",
    "html_command",
    "inspect_command",
    "rows_command",
]

_READ_SIZE = 1 << 16


class UsageError(Exception):
    """A bad argument or an unreadable file: exit status 2."""


def _open_input(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc


def _read_all(path: str) -> bytes:
    stream = _open_input(path)
    try:
        return stream.read()
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


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


def _indent(args: argparse.Namespace) -> int | None:
    if args.indent is not None:
        return int(args.indent) if args.indent > 0 else None
    return 2 if sys.stdout.isatty() else None


def rows_command(args: argparse.Namespace) -> int:
    """``rows``: one JSON line per row, streamed as the bytes arrive."""
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


def decode_command(args: argparse.Namespace) -> int:
    """``decode``: the payload as one typed-JSON document."""
    payload = parse(_read_all(args.file), source=args.source, strict=args.strict)
    document = payload.to_typed_json()
    sys.stdout.write(dumps(document, indent=_indent(args)) + "\n")
    return _report(payload.diagnostics)


def html_command(args: argparse.Namespace) -> int:
    """``html``: the page (or the root) as HTML."""
    payload = parse(_read_all(args.file), source=args.source, strict=args.strict)
    html = render_document(payload, mark_clients=args.mark_clients, sanitize=args.sanitize)
    sys.stdout.write(well_formed(html) + "\n")
    return _report(payload.diagnostics)


def article_command(args: argparse.Namespace) -> int:
    """``article``: the article as JSON, or as Markdown with front matter."""
    payload = parse(_read_all(args.file), source=args.source, strict=args.strict)
    article = extract_article(payload, url=args.url)
    if args.format == "markdown":
        sys.stdout.write(well_formed(article.to_markdown()))
    else:
        sys.stdout.write(dumps(article.to_dict(), indent=_indent(args)) + "\n")
    return _report(payload.diagnostics)


def inspect_command(args: argparse.Namespace) -> int:
    """``inspect``: the self-contained HTML report, to stdout or a file."""
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
            raise UsageError(f"cannot write {args.output}: {exc.strerror}") from exc
    return _report(payload.diagnostics)


def batch_command(args: argparse.Namespace) -> int:
    """``batch``: :func:`rsc_flight.batch.run` with a progress bar and a summary on stderr.

    The exit status is 0 whenever the batch ran: bad pages are lines of the output.
    """
    if args.resume and args.output == "-":
        raise UsageError("--resume needs an output file (-o OUT.jsonl)")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    try:
        inputs = list(find_inputs(args.inputs))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot list the inputs: {exc}") from exc
    output: str | IO[str] = sys.stdout if args.output == "-" else args.output
    progress = ProgressBar()
    try:
        summary = run(inputs, output, jobs=args.jobs, resume=args.resume, progress=progress)
    except BrokenPipeError:
        raise  # the reader of stdout left: main() ends quietly
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    finally:
        progress.close()
    print(_summary_line(summary, args.resume), file=sys.stderr)
    return 0


def _summary_line(summary: BatchSummary, resume: bool) -> str:
    """``rsc-flight: 300 pages: 297 ok, 3 errors (NoFlightDataError 3)``."""
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(summary.counts.items()) if kind != "ok")
    return (
        f"rsc-flight: {summary.total - summary.skipped} pages: "
        f"{summary.ok} ok, {summary.errors} errors"
        + (f" ({kinds})" if kinds else "")
        + (f"; {summary.skipped} already done" if resume else "")
    )
