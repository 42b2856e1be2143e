"""``rsc-flight batch``: :func:`rsc_flight.batch.run` with honest edges.

The batch itself is the library's; this command adds what a person running it needs:
inputs that name nothing (a typo'd path, a glob that matches no file) stop it before it
starts, with exit status 2, instead of a cheerful ``0 pages: 0 ok``; an output path that
is a folder is one line, not a traceback; a progress bar with rate, ETA and failures so
far on a terminal; a summary that counts right ("1 page"); ``--fail-on-error`` for
scripts that must notice failed pages; and Ctrl-C stops cleanly, saying that
``--resume`` goes on from there.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import IO, Any

import attrs

from ..batch import (
    BatchInput,
    BatchSummary,
    OutputFormat,
    find_inputs,
    read_input_list,
    run,
    unmatched_inputs,
)
from ..wire.inputs import read_input
from .errors import UsageError
from .progress import BatchProgress
from .terminal import Terminal

__all__ = ["batch_command", "summary_line"]

#: Exit status after Ctrl-C, as shells report a command ended by SIGINT.
INTERRUPTED = 130


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary_line(summary: BatchSummary, resume: bool) -> str:
    """``300 pages: 297 ok, 3 errors (NoFlightDataError 3)``; ``1 page: 1 ok, 0 errors``."""
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(summary.counts.items()) if kind != "ok")
    return (
        f"{_plural(summary.total - summary.skipped, 'page')}: {summary.ok} ok"
        + f", {_plural(summary.errors, 'error')}"
        + (f" ({kinds})" if kinds else "")
        + (f"; {summary.skipped} already done" if resume else "")
    )


def _names(args: argparse.Namespace) -> list[str]:
    names = list(args.inputs)
    if args.input_file:
        try:
            if args.input_file == "-":
                text = sys.stdin.read()
            else:
                with open(args.input_file, encoding="utf-8") as stream:
                    text = stream.read()
        except OSError as exc:
            raise UsageError(f"cannot read {args.input_file}: {exc.strerror or exc}") from exc
        names += read_input_list(text)
    if not names:
        raise UsageError("no inputs: name files, folders, globs, WARC files or URLs, or -i LIST")
    if names.count("-") > 1 or ("-" in names and args.input_file == "-"):
        raise UsageError("stdin can be read once: give '-' once, and not with -i -")
    return names


def _inputs(args: argparse.Namespace) -> list[BatchInput]:
    names = _names(args)
    problems = unmatched_inputs(names)
    if problems:
        raise UsageError("; ".join(problems))
    try:
        items = list(find_inputs(names))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot list the inputs: {exc}") from exc
    if not items:
        raise UsageError(f"no page found in {' '.join(names)}")
    if any(item.path == "-" for item in items):
        data = read_input("-").data
        items = [attrs.evolve(item, data=data) if item.path == "-" else item for item in items]
    return items


def _check(args: argparse.Namespace) -> OutputFormat:
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.output_dir is not None and args.output is not None:
        raise UsageError("give -o OUT (one file) or --output-dir DIR (a file per page), not both")
    if args.output is not None and os.path.isdir(args.output):
        raise UsageError(f"{args.output} is a folder: use --output-dir {args.output}")
    if args.output_dir is not None and os.path.isfile(args.output_dir):
        raise UsageError(f"{args.output_dir} is a file, not a folder")
    if args.format == "markdown" and args.output_dir is None:
        raise UsageError("--format markdown writes a file per page: give --output-dir DIR")
    if args.resume and args.output_dir is None and args.output in (None, "-"):
        raise UsageError("--resume needs an output file (-o OUT.jsonl) or --output-dir")
    if args.resume and args.format == "json" and args.output_dir is None:
        raise UsageError("--resume needs --format jsonl or --output-dir: a JSON array cannot grow")
    fields = None if args.fields is None else [f.strip() for f in args.fields.split(",")]
    try:
        return OutputFormat(
            args.format,
            fields=fields,
            front_matter=args.front_matter,
            date_style=args.date_style,
        )
    except ValueError as exc:
        raise UsageError(f"--fields: {exc}") from exc


def _error_text(result: Mapping[str, Any]) -> str:
    error = result["error"]
    return f"{result['source']}: {error['kind']}: {error['message']}"


def batch_command(args: argparse.Namespace) -> int:
    """``batch``: run the batch; 0 when it ran (1 with ``--fail-on-error`` and a failed
    page), 2 for usage errors, 130 after Ctrl-C."""
    terminal = Terminal.from_args(args)
    form = _check(args)
    items = _inputs(args)
    output: str | IO[str] | None = None
    if args.output_dir is None:
        output = sys.stdout if args.output in (None, "-") else args.output
    # With one file per page, a failed page leaves no trace but this message.
    show_errors = terminal.verbose or (args.output_dir is not None and not terminal.quiet)
    progress = BatchProgress(terminal, len(items))
    try:
        with progress:
            summary = run(
                items,
                output,
                jobs=args.jobs,
                resume=args.resume,
                progress=progress,
                output_format=form,
                output_dir=args.output_dir,
                on_error=lambda result: progress.failed(_error_text(result), show=show_errors),
            )
    except KeyboardInterrupt:
        terminal.error(
            f"interrupted after {progress.done} of {len(items)} pages; "
            + (
                "run the same command with --resume to go on"
                if args.output_dir is not None or output is not sys.stdout
                else "write to a file (-o OUT.jsonl) to be able to --resume"
            )
        )
        return INTERRUPTED
    except BrokenPipeError:
        raise  # the reader of stdout left: main() ends quietly
    except OSError as exc:
        target = args.output_dir or args.output
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    terminal.info(summary_line(summary, args.resume))
    return 1 if args.fail_on_error and summary.errors else 0
