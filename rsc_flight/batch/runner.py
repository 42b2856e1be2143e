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
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, TypeVar

import attrs

from ..model.typed_json import dumps
from .inputs import BatchInput
from .results import extract_input, result_kind
from .resume import done_sources, drop_torn_line

__all__ = ["BatchSummary", "iter_results", "run"]

_T = TypeVar("_T")
_R = TypeVar("_R")

#: ``progress(done, total)``, called after each result is written.
Progress = Callable[[int, int], None]


def _ordered_map(work: Callable[[_T], _R], items: Sequence[_T], jobs: int) -> Iterator[_R]:
    """``work`` over ``items`` on ``jobs`` processes, results in the order of ``items``."""
    if jobs == 1 or len(items) < 2:
        yield from map(work, items)
        return
    from concurrent.futures import ProcessPoolExecutor

    # Chunks amortise the inter-process round trip but must stay small enough that the
    # ordered output does not wait long behind one slow page.
    chunk = max(1, min(16, len(items) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(work, items, chunksize=chunk)


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


def _line(item: BatchInput) -> tuple[str, str]:
    """One input's output line and kind, serialised in the worker so the parent, which
    every result goes through, only writes."""
    result = extract_input(item)
    return dumps(result) + "\n", result_kind(result)


def _opened(
    output: str | os.PathLike[str] | IO[str], append: bool
) -> contextlib.AbstractContextManager[IO[str]]:
    if isinstance(output, (str, os.PathLike)):
        return open(output, "a" if append else "w", encoding="utf-8")
    return contextlib.nullcontext(output)  # the caller's stream: written, never closed


def run(
    inputs: Iterable[BatchInput],
    output: str | os.PathLike[str] | IO[str],
    *,
    jobs: int = 1,
    resume: bool = False,
    progress: Progress | None = None,
) -> BatchSummary:
    """Extract every input and write one JSON line per result to ``output``, in input order.

    Args:
        inputs: the pages, e.g. from :func:`~rsc_flight.batch.find_inputs`.
        output: a file name (created, or replaced unless ``resume``) or an open text
            stream (written, not closed).
        jobs: processes to use; ``1`` runs in this process.
        resume: skip the inputs whose source is already in the ``output`` file, cut the
            torn last line a killed run left, and append the rest.  Needs a file name.
        progress: called as ``progress(done, total)`` after each line is written
            (:class:`~rsc_flight.batch.ProgressBar` draws a bar on a terminal).

    Raises:
        ValueError: ``jobs`` below 1, or ``resume`` with a stream.
        OSError: the output cannot be written.  A page that cannot be read or decoded
            is an error *result*, never an exception.
    """
    _check_jobs(jobs)
    items = list(inputs)
    done: set[str] = set()
    if resume:
        if not isinstance(output, (str, os.PathLike)):
            raise ValueError("resume needs an output file name, not a stream")
        done = done_sources(output)
        drop_torn_line(output)
    todo = [item for item in items if item.source not in done]
    counts: Counter[str] = Counter()
    with _opened(output, append=resume) as out:
        for count, (line, kind) in enumerate(_ordered_map(_line, todo, jobs), 1):
            out.write(line)
            counts[kind] += 1
            if progress is not None:
                progress(count, len(todo))
    return BatchSummary(total=len(items), skipped=len(items) - len(todo), counts=dict(counts))
