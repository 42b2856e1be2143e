"""What each one-page ``rsc-flight`` command does: read the input, call the library, print.

Nothing here decodes, renders, extracts or fetches by itself: that is the library's
work, reachable from Python the same way (inputs are read by
:func:`rsc_flight.wire.inputs.read_input`, so a URL, a gzip file or a WARC capture is a
page like any file).  Only public names are used, so the command line is also a check
that the public API is enough.  Problems are printed on stderr; the exit status is 1
when some bytes could not be read and 0 otherwise.  ``batch`` lives in :mod:`.batch`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Any

from .. import Diagnostic, FlightDecoder, Payload, extract_article, parse, read_inline_flight
from ..batch import article_markdown
from ..extract import SelectorError, compile_selector, select
from ..model import ErrorRaised
from ..model.js_strings import well_formed
from ..model.typed_json import dumps
from ..nextjs import Node, read_page, render_document
from ..tree import text_content
from ..wire import detect_source, row_json
from ..wire.inputs import Input, InputError, is_url, read_input
from ..wire.warc import is_warc
from .errors import UsageError
from .rules import load_rules
from .terminal import RowTable, Terminal, colour_wanted

__all__ = [
    "UsageError",
    "article_command",
    "decode_command",
    "find_command",
    "html_command",
    "inspect_command",
    "read_args_input",
    "rows_command",
]

_READ_SIZE = 1 << 16
_TEXT_WIDTH = 80


def read_args_input(args: argparse.Namespace, terminal: Terminal) -> Input:
    """The input a one-page command names (``args.file``), read with its ``--rsc``,
    ``--timeout`` and ``--user-agent``; an unreadable input is a usage error."""
    try:
        found = read_input(
            args.file, rsc=args.rsc, timeout=args.timeout, user_agent=args.user_agent
        )
    except InputError as exc:
        raise UsageError(str(exc)) from exc
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror or exc}") from exc
    where = found.url or ("stdin" if found.name == "-" else found.name)
    kind = f" ({found.content_type})" if found.content_type else ""
    terminal.detail(f"read {found.size} bytes from {where}{kind}")
    return found


def _whole(args: argparse.Namespace) -> bool:
    """Whether the input must be read whole before decoding: a URL, a compressed file or
    a WARC file (a plain file or stdin is decoded as it streams in)."""
    name = args.file.lower()
    return is_url(name) or is_warc(name) or name.endswith((".gz", ".br"))


def _raw_chunks(args: argparse.Namespace, terminal: Terminal) -> Iterator[bytes]:
    if _whole(args):
        yield read_args_input(args, terminal).data
        return
    try:
        stream: IO[bytes] = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")  # noqa: SIM115
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror or exc}") from exc
    try:
        first = stream.read(_READ_SIZE)
        if first.startswith((b"\x1f\x8b", b"WARC/")):  # gzip or WARC on stdin: unwrap it
            try:
                yield read_input(first + stream.read()).data
            except InputError as exc:
                raise UsageError(f"{args.file}: {exc}") from exc
            return
        while first:
            yield first
            first = stream.read(_READ_SIZE)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _flight_chunks(args: argparse.Namespace, terminal: Terminal) -> Iterator[bytes]:
    """The flight bytes of the input, streamed when the input is a raw payload."""
    chunks = _raw_chunks(args, terminal)
    first = next(chunks, b"")
    kind = detect_source(first) if args.source == "auto" else args.source
    if kind == "html":
        inline = read_inline_flight(first + b"".join(chunks))
        for problem in inline.diagnostics:
            terminal.problem(str(problem), severity=problem.severity)
        yield inline.data
        return
    yield first
    yield from chunks


def _report(problems: Sequence[Diagnostic], terminal: Terminal) -> int:
    """Print every problem on stderr; exit status 1 if any bytes could not be read."""
    for problem in problems:
        terminal.problem(str(problem), severity=problem.severity)
    return 1 if any(problem.severity == "error" for problem in problems) else 0


def _indent(args: argparse.Namespace) -> int | None:
    if args.indent is not None:
        return int(args.indent) if args.indent > 0 else None
    return 2 if sys.stdout.isatty() else None


def _parsed(args: argparse.Namespace, terminal: Terminal) -> tuple[Payload, Input]:
    found = read_args_input(args, terminal)
    return parse(found.data, source=args.source, strict=args.strict), found


def rows_command(args: argparse.Namespace) -> int:
    """``rows``: one JSON line (or table line, on a terminal) per row, streamed."""
    terminal = Terminal.from_args(args)
    decoder = FlightDecoder(strict=args.strict)
    out = sys.stdout
    table = args.format == "table" or (args.format == "auto" and out.isatty())
    writer = RowTable(out, colour=colour_wanted(out, no_color=args.no_color)) if table else None

    def emit(rows: Sequence[Any]) -> None:
        for row in rows:
            if writer is not None:
                writer.write(row_json(row))
            else:
                out.write(json.dumps(row_json(row), ensure_ascii=False) + "\n")

    for chunk in _flight_chunks(args, terminal):
        emit(decoder.feed(chunk))
    emit(decoder.close())
    return _report(decoder.diagnostics, terminal)


def _row_id(text: str) -> int:
    if not re.fullmatch(r"[0-9a-fA-F]{1,16}", text):
        raise UsageError(f"--row takes a row id in hex, as `rows` prints it (not {text!r})")
    return int(text, 16)


def decode_command(args: argparse.Namespace) -> int:
    """``decode``: the payload as one typed-JSON document, or one row's value."""
    from .. import to_typed_json

    terminal = Terminal.from_args(args)
    row = None if args.row is None else _row_id(args.row)
    payload, _ = _parsed(args, terminal)
    if row is None:
        document = payload.to_typed_json()
    elif payload.chunk(row) is None:
        raise UsageError(f"the payload has no row {args.row}")
    else:
        try:
            document = {"row": format(row, "x"), "value": to_typed_json(payload.value(row))}
        except ErrorRaised as thrown:
            document = {"row": format(row, "x"), "error": to_typed_json(thrown.value)}
    sys.stdout.write(dumps(document, indent=_indent(args)) + "\n")
    return _report(payload.diagnostics, terminal)


def html_command(args: argparse.Namespace) -> int:
    """``html``: the page (or the root) as HTML."""
    terminal = Terminal.from_args(args)
    payload, _ = _parsed(args, terminal)
    html = render_document(payload, mark_clients=args.mark_clients, sanitize=args.sanitize)
    sys.stdout.write(well_formed(html) + "\n")
    return _report(payload.diagnostics, terminal)


def article_command(args: argparse.Namespace) -> int:
    """``article``: the article as JSON, or as Markdown with front matter."""
    from ..extract import default_rules

    terminal = Terminal.from_args(args)
    rules = None
    if args.rules:
        rules = (*default_rules(), *load_rules(args.rules))
        terminal.detail(f"rules from {args.rules}: {', '.join(r.name for r in rules[-1:])}")
    payload, found = _parsed(args, terminal)
    try:
        article = extract_article(payload, url=args.url or found.url, rules=rules)
    except SelectorError as exc:
        raise UsageError(f"{args.rules}: a bad selector: {exc}") from exc
    if args.format == "markdown":
        markdown = article_markdown(
            article, front_matter=args.front_matter, date_style=args.date_style
        )
        sys.stdout.write(well_formed(markdown))
    else:
        sys.stdout.write(dumps(article.to_dict(), indent=_indent(args)) + "\n")
    status = _report(payload.diagnostics, terminal)
    if article.status == "partial":  # rows it refers to never arrived: not read in full
        terminal.problem("the page could not be read in full (status: partial)", severity="error")
        status = 1
    return status


def _default_report_name(found: Input) -> str:
    """``page.txt`` → ``page-report.html``, ``https://x.org/posts/a/`` →
    ``a-report.html``, stdin → ``stdin-report.html``: in the current folder."""
    if found.name == "-":
        stem = "stdin"
    elif is_url(found.name):
        parts = [p for p in re.split(r"[/?#]", found.name.split("://", 1)[1]) if p]
        stem = parts[-1] if parts else "page"
    else:
        stem = os.path.basename(found.name)
        for _ in range(2):
            stem, ext = os.path.splitext(stem)
            if not ext:
                break
    return re.sub(r"[^\w.@+-]+", "-", stem).strip("-.") + "-report.html"


def inspect_command(args: argparse.Namespace) -> int:
    """``inspect``: the self-contained HTML report, to a file (said where) or stdout."""
    from .. import inspect_report  # loaded here: only this command needs it

    terminal = Terminal.from_args(args)
    payload, found = _parsed(args, terminal)
    title = args.title or ("stdin" if args.file == "-" else args.file)
    report = inspect_report(payload, title=title)
    if args.output == "-":
        sys.stdout.write(report)
        return _report(payload.diagnostics, terminal)
    output = args.output or _default_report_name(found)
    if os.path.isdir(output):
        raise UsageError(f"{output} is a folder: give a file name with -o")
    try:
        with open(output, "w", encoding="utf-8") as out:
            out.write(report)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from exc
    status = _report(payload.diagnostics, terminal)
    size = len(report.encode("utf-8"))
    terminal.info(f"wrote {output} ({size // 1024} KiB); open it in a browser")
    return status


def _node_name(node: Node) -> str:
    """``h1``; ``$Share`` for a client component (``$default(1234)`` for a module's
    default export); ``Symbol(react.suspense)``."""
    if node.tag is not None:
        return node.tag
    if node.client is not None:
        return f"${node.client.name or f'default({node.client.id})'}"
    key = getattr(node.kind, "key", None)
    return f"Symbol({key})" if isinstance(key, str) else str(node.kind)


def _path(node: Node) -> str:
    """Where a node stands: its ancestors' names, fragments left out (they add nothing
    a reader can see)."""
    names = [_node_name(n) for n in reversed(list(node.ancestors()))]
    return " > ".join([n for n in names if n != "Symbol(react.fragment)"] + [_node_name(node)])


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TEXT_WIDTH else text[: _TEXT_WIDTH - 1] + "…"


def find_command(args: argparse.Namespace) -> int:
    """``find``: one JSON line per element the selector matches, in document order."""
    terminal = Terminal.from_args(args)
    try:
        selector = compile_selector(args.selector)
    except SelectorError as exc:
        raise UsageError(f"bad selector {args.selector!r}: {exc}") from exc
    payload, _ = _parsed(args, terminal)
    page = read_page(payload.root)
    for node in select(selector, page.nodes):
        match = {
            "row": None if node.row is None else format(node.row, "x"),
            "path": _path(node),
            "tag": _node_name(node),
            "text": _short(text_content(node.element)),
        }
        sys.stdout.write(dumps(match) + "\n")
    return _report(payload.diagnostics, terminal)
