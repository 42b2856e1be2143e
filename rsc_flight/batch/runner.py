"""Running a batch: results in input order on one or more processes, written as JSON Lines.

:func:`iter_results` is the engine (a process pool that keeps the input order);
:func:`run` adds what a long job needs around it: a JSON Lines file, resuming a killed
run (:mod:`.resume`), progress callbacks and a summary.  The ``rsc-flight batch``
command is a thin shell over :func:`run`; a script gets the same behaviour from it.
On a cluster, Dask (:func:`rsc_flight.batch.dask.article_bag`) and Spark do the
scheduling themselves and share :func:`~rsc_flight.batch.extract_input` instead.

Per-page failures are results (``"status": "error"``), never exceptions, so one bad page
cannot stop the batch; only I/O errors on the output itself propagate.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import textwrap
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, TypeVar

import attrs

from .inputs import BatchInput
from .outputs import OutputFormat, Rendered, page_file_names, render_input
from .results import extract_input
from .resume import done_sources, drop_torn_line

__all__ = ["BatchSummary", "iter_results", "run"]

_T = TypeVar("_T")
_R = TypeVar("_R")

#: ``progress(done, total)``, called after each result is written.
Progress = Callable[[int, int], None]


def _ignore_interrupts() -> None:
    # Ctrl-C reaches every process of the terminal's group: the workers leave it to the
    # parent, which stops the pool, instead of each printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _ordered_map(work: Callable[[_T], _R], items: Sequence[_T], jobs: int) -> Generator[_R]:
    """``work`` over ``items`` on ``jobs`` processes, results in the order of ``items``.

    When the consumer stops early (Ctrl-C, a closed pipe), the work not yet started is
    cancelled rather than run to the end.
    """
    if jobs == 1 or len(items) < 2:
        yield from map(work, items)
        return
    from concurrent.futures import ProcessPoolExecutor

    # Chunks amortise the inter-process round trip but must stay small enough that the
    # ordered output does not wait long behind one slow page.
    chunk = max(1, min(16, len(items) // (jobs * 8)))
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_interrupts)
    try:
        yield from pool.map(work, items, chunksize=chunk)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _check_jobs(jobs: int) -> None:
    # Checked before anything runs: a generator would only complain at its first result.
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")


def iter_results(inputs: Iterable[BatchInput], *, jobs: int = 1) -> Iterator[dict[str, Any]]:
    """The result of each input (see :func:`~rsc_flight.batch.extract_input`), in input
    order, made on ``jobs`` processes (``jobs=1``: in this process, one at a time)."""
    _check_jobs(jobs)
    if jobs == 1:
        return map(extract_input, inputs)  # lazy: a page is read only when asked for
    return _ordered_map(extract_input, list(inputs), jobs)


@attrs.frozen
class BatchSummary:
    """What a :func:`run` did.

    Attributes:
        total: the inputs given.
        skipped: those already in the output file (``resume=True``), not run again.
        counts: results written per kind: ``"ok"``, or the error's kind
            (``"NoFlightDataError"``, ``"FileNotFoundError"``…).
    """

    total: int
    skipped: int
    counts: Mapping[str, int]

    @property
    def ok(self) -> int:
        """The pages extracted."""
        return self.counts.get("ok", 0)

    @property
    def errors(self) -> int:
        """The pages that gave an error result."""
        return sum(n for kind, n in self.counts.items() if kind != "ok")


def _opened(
    output: str | os.PathLike[str] | IO[str], append: bool
) -> contextlib.AbstractContextManager[IO[str]]:
    if isinstance(output, (str, os.PathLike)):
        return open(output, "a" if append else "w", encoding="utf-8")
    return contextlib.nullcontext(output)  # the caller's stream: written, never closed


def _write_file(path: str, text: str) -> None:
    """Write a whole file or nothing: a run killed mid-write leaves no half page that a
    resumed run would take as done."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    partial = path + ".part"
    with open(partial, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(partial, path)


class _Stream:
    """Writes rendered pages to one stream: JSON lines as they are, JSON documents as
    the items of one array."""

    def __init__(self, out: IO[str], array: bool) -> None:
        self.out, self.array, self.first = out, array, True

    def write(self, page: Rendered, name: str | None) -> None:
        if page.text is None:
            return
        if self.array:
            item = textwrap.indent(page.text, "  ")
            self.out.write(("[\n" if self.first else ",\n") + item)
        else:
            self.out.write(page.text)
        # Each page reaches the file when it is done, so a killed run loses nothing that
        # finished and a resumed run (or a `tail -f`) sees every page so far.
        self.out.flush()
        self.first = False

    def close(self) -> None:
        if self.array:
            self.out.write("[]\n" if self.first else "\n]\n")


class _Folder:
    """Writes each rendered page to a file of its own under ``root``."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = os.fspath(root)

    def write(self, page: Rendered, name: str | None) -> None:
        if page.text is not None and name is not None:
            _write_file(os.path.join(self.root, name), page.text)

    def close(self) -> None:
        pass


def _check_run(
    output: object, output_dir: object, resume: bool, form: OutputFormat, jobs: int
) -> None:
    _check_jobs(jobs)
    if (output is None) == (output_dir is None):
        raise ValueError("give either output or output_dir")
    if output_dir is None and form.format == "markdown":
        raise ValueError("Markdown is written one file per page: give output_dir")
    if resume and output_dir is None:
        if not isinstance(output, (str, os.PathLike)):
            raise ValueError("resume needs an output file name, not a stream")
        if form.format == "json":
            raise ValueError("resume needs JSON Lines (or output_dir): a JSON array cannot grow")


def _done(
    items: Sequence[BatchInput],
    names: Sequence[str | None],
    output: str | os.PathLike[str] | IO[str] | None,
    output_dir: str | os.PathLike[str] | None,
) -> set[str]:
    """The sources a resumed run skips: those whose file exists in ``output_dir``, or
    those whose line is in ``output`` (whose torn last line is cut here)."""
    if output_dir is not None:
        return {
            item.source
            for item, name in zip(items, names, strict=True)
            if name is not None and os.path.exists(os.path.join(output_dir, name))
        }
    assert isinstance(output, (str, os.PathLike))  # _check_run made sure
    done = done_sources(output)
    drop_torn_line(output)
    return done


def run(
    inputs: Iterable[BatchInput],
    output: str | os.PathLike[str] | IO[str] | None = None,
    *,
    jobs: int = 1,
    resume: bool = False,
    progress: Progress | None = None,
    output_format: OutputFormat | None = None,
    output_dir: str | os.PathLike[str] | None = None,
    on_error: Callable[[Mapping[str, Any]], None] | None = None,
) -> BatchSummary:
    """Extract every input and write the results, in input order.

    Args:
        inputs: the pages, e.g. from :func:`~rsc_flight.batch.find_inputs`.
        output: a file name (created, or replaced unless ``resume``) or an open text
            stream (written, not closed): one JSON line per result, or one JSON array
            (``OutputFormat("json")``).
        jobs: processes to use; ``1`` runs in this process.
        resume: skip the inputs already done, and add the rest: for ``output``, the
            sources already in the file (its torn last line cut first); for
            ``output_dir``, the pages whose file exists.
        progress: called as ``progress(done, total)`` after each page is written
            (:class:`~rsc_flight.batch.ProgressBar` draws a bar on a terminal).
        output_format: what to write for each page (default: JSON Lines, every field).
        output_dir: instead of ``output``, a folder to write one file per page into,
            named from its URL or path (:func:`~rsc_flight.batch.page_file_names`).
        on_error: called with each failed page's result (source, url, error).

    Raises:
        ValueError: ``jobs`` below 1; both or neither of ``output`` and ``output_dir``;
            Markdown without ``output_dir``; ``resume`` with a stream or a JSON array.
        OSError: the output cannot be written.  A page that cannot be read or decoded
            is an error *result*, never an exception.
        KeyboardInterrupt: passed on, after the pages finished so far are written.
    """
    form = output_format or OutputFormat()
    _check_run(output, output_dir, resume, form, jobs)
    items = list(inputs)
    names: list[str | None] = [None] * len(items)
    if output_dir is not None:
        names = list(page_file_names(items, form.extension))
    done = _done(items, names, output, output_dir) if resume else set()
    todo = [
        (item, name) for item, name in zip(items, names, strict=True) if item.source not in done
    ]
    work = functools.partial(render_input, output=form)
    counts: Counter[str] = Counter()
    with contextlib.ExitStack() as stack:
        writer: _Stream | _Folder
        if output_dir is not None:
            writer = _Folder(output_dir)
        else:
            assert output is not None
            writer = _Stream(stack.enter_context(_opened(output, resume)), form.format == "json")
        pages = _ordered_map(work, [item for item, _ in todo], jobs)
        stack.callback(pages.close)  # on Ctrl-C too: cancel the work not yet started
        for count, (page, (_, name)) in enumerate(zip(pages, todo, strict=False), 1):
            writer.write(page, name)
            counts[page.kind] += 1
            if page.error is not None and on_error is not None:
                on_error(page.error)
            if progress is not None:
                progress(count, len(todo))
        writer.close()
    return BatchSummary(total=len(items), skipped=len(items) - len(todo), counts=dict(counts))
