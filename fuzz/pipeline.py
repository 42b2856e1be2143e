"""One fuzz input through the whole pipeline, and the invariant it must keep.

The library's promise on hostile input: whatever the bytes, every public stage either
returns or raises a ``FlightError``; the command line returns 0, 1 or 2 without raising.
:func:`run` checks exactly that and lets anything else escape, so that the fuzzer (or the
regression test, which imports this module) sees it.  It does not import atheris: the
harness ``fuzz_pipeline.py`` wraps it.

The first byte of an input is its *mode*; the rest is the page or payload:

* bit 0: strict mode;
* bit 1: read it as an HTML page (``source="html"``); else bit 2 picks ``"flight"`` over
  ``"auto"`` (raw payloads, sniffed or not);
* bits 3-5: which command line to run in-process (:data:`CLI_COMMANDS`; 6 and 7 run none).

Each library stage runs on its own, so that one stage refusing an input (a limit while
rendering, say) does not hide the stages after it.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from rsc_flight import (
    FlightError,
    FlightLimitError,
    Limits,
    extract_article,
    html_to_markdown,
    inspect_report,
    parse,
    render_html,
    render_page,
    to_typed_json,
)
from rsc_flight.cli import main as cli_main
from rsc_flight.model.typed_json import dumps
from rsc_flight.nextjs import render_document
from rsc_flight.tree import find_all, iter_elements, text_content

#: Small enough that the slowest input stays well under a second: a doubling chain stops
#: at 20,000 nodes, not 10 million.  The limits themselves are tested elsewhere.
LIMITS = Limits(
    max_row_bytes=1 << 18,
    max_rows=5_000,
    max_depth=64,
    max_path_length=64,
    max_expansion=20_000,
    max_bigint_digits=400,
    max_html_pushes=5_000,
)

#: The command lines run in-process, by bits 3-5 of the mode byte; ``-`` is the input.
CLI_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("rows", "--format", "jsonl"),
    ("decode",),
    ("html", "--mark-clients"),
    ("article", "--format", "markdown"),
    ("find", "article p"),
    ("inspect", "-o", "-"),
)

#: The exit statuses the command line may return: done, a FlightError, a usage error.
CLI_STATUSES = frozenset({0, 1, 2})

#: Inputs larger than this skip the command line, which runs with the default limits.
CLI_MAX_INPUT = 16 * 1024


class _Captured(io.StringIO):
    """Captured stderr that still has the process's file descriptor.

    atheris's timeout watchdog calls ``faulthandler.dump_traceback(sys.stderr)``, which
    needs ``fileno()``; a plain ``StringIO`` made it raise ``io.UnsupportedOperation``
    inside whatever the command line was running — a break of the harness, not of ours.
    """

    def fileno(self) -> int:
        return sys.__stderr__.fileno() if sys.__stderr__ is not None else 2


class InvariantError(AssertionError):
    """The command line broke its contract without raising (an unexpected status)."""


@dataclass(frozen=True)
class Mode:
    """What the mode byte asks for."""

    strict: bool
    source: Literal["auto", "flight", "html"]
    cli: tuple[str, ...] | None

    @classmethod
    def from_byte(cls, byte: int) -> Mode:
        source: Literal["auto", "flight", "html"] = "auto"
        if byte & 2:
            source = "html"
        elif byte & 4:
            source = "flight"
        index = (byte >> 3) & 7
        cli = CLI_COMMANDS[index] if index < len(CLI_COMMANDS) else None
        return cls(strict=bool(byte & 1), source=source, cli=cli)

    def flags(self) -> list[str]:
        """The command-line options that read the input as this mode does."""
        return ["--source", self.source, *(["--strict"] if self.strict else [])]


@dataclass
class Run:
    """What the stages of one input share: the payload, the outputs, the limits hit."""

    body: bytes
    mode: Mode
    payload: Any = None
    outputs: dict[str, Any] = field(default_factory=dict)
    limited: bool = False


def _parse(run: Run) -> None:
    mode = run.mode
    run.payload = parse(run.body, source=mode.source, limits=LIMITS, strict=mode.strict)


def _typed_json(run: Run) -> None:
    dumps(run.payload.to_typed_json())
    json.dumps(to_typed_json(run.payload.root, limits=LIMITS))


def _tree(run: Run) -> None:
    root = run.payload.root
    for _ in iter_elements(root, limits=LIMITS):
        pass
    text_content(root, limits=LIMITS)
    find_all(root, "p", limits=LIMITS)
    find_all(root, class_name="content", limits=LIMITS)


def _render(run: Run) -> None:
    run.outputs["html"] = render_html(run.payload.root, limits=LIMITS, mark_clients=True)
    render_html(run.payload.root, limits=LIMITS, sanitize=True)


def _page(run: Run) -> None:
    render_page(run.payload.root, limits=LIMITS)
    render_document(run.payload, limits=LIMITS)


def _markdown(run: Run) -> None:
    html = run.outputs.get("html")
    if html is not None:
        html_to_markdown(html)


def _article(run: Run) -> None:
    article = extract_article(run.payload, limits=LIMITS)
    json.dumps(article.to_dict())
    article.to_markdown()


def _inspect(run: Run) -> None:
    # inspect_report renders with the default limits, not the payload's: give it only
    # what stayed within the small ones (a 1 KiB doubling chain otherwise costs seconds).
    if not run.limited:
        inspect_report(run.payload)


#: The library stages after parsing, in pipeline order.
STAGES: tuple[Callable[[Run], None], ...] = (
    _typed_json,
    _tree,
    _render,
    _page,
    _markdown,
    _article,
    _inspect,
)


def _guarded(stage: Callable[[Run], None], run: Run) -> bool:
    """Run one stage; a ``FlightError`` is a right answer, anything else escapes."""
    try:
        stage(run)
    except FlightLimitError:
        run.limited = True
        return False
    except FlightError:
        return False
    return True


def run_cli(argv: list[str], data: bytes) -> tuple[int, str, str]:
    """``rsc-flight argv`` in-process with ``data`` on stdin: (status, stdout, stderr)."""
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace")
    out, err = io.StringIO(), _Captured()
    saved = sys.stdin
    sys.stdin = stdin
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = cli_main(argv)
            except SystemExit as exc:  # argparse's own exit: the argv is ours, so a bug
                raise InvariantError(f"rsc-flight {argv} exited: {exc.code}") from exc
    finally:
        sys.stdin = saved
    if status not in CLI_STATUSES:
        raise InvariantError(f"rsc-flight {argv} returned {status!r}")
    return status, out.getvalue(), err.getvalue()


def run(data: bytes) -> Run:
    """Check the invariant on one input (mode byte first); return what the stages did."""
    mode = Mode.from_byte(data[0] if data else 0)
    current = Run(body=data[1:], mode=mode)
    if _guarded(_parse, current):
        for stage in STAGES:
            _guarded(stage, current)
    # The command line runs with the default limits: only inputs that stayed within the
    # small ones are cheap enough to give it.
    if mode.cli is not None and not current.limited and len(current.body) <= CLI_MAX_INPUT:
        command, *rest = mode.cli
        run_cli([command, *mode.flags(), *rest, "-"], current.body)
    return current
