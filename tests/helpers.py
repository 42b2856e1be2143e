"""Helpers shared by the tests: feeding the tokenizer in different ways, recording the
rows the resolver's Python intake takes, and checking for reference leaks."""

from __future__ import annotations

import gc
import itertools
import random
import sys
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from rsc_flight import Diagnostic, FlightDecoder
from rsc_flight.wire import Row


def tokenize(data: bytes, **kwargs: object) -> tuple[list[Row], list[Diagnostic]]:
    """Rows and diagnostics of one feed of the whole input."""
    return tokenize_chunks([data], **kwargs)


def tokenize_chunks(
    chunks: Iterable[bytes], **kwargs: object
) -> tuple[list[Row], list[Diagnostic]]:
    """Rows and diagnostics of feeding ``chunks`` in order, then closing."""
    decoder = FlightDecoder(**kwargs)  # type: ignore[arg-type]
    rows: list[Row] = []
    for chunk in chunks:
        rows += decoder.feed(chunk)
    rows += decoder.close()
    return rows, decoder.diagnostics


def bytewise(data: bytes) -> list[bytes]:
    """The input one byte at a time."""
    return [data[i : i + 1] for i in range(len(data))]


def split_at(data: bytes, points: Iterable[int]) -> list[bytes]:
    """The input cut at the given offsets."""
    cuts = sorted({p for p in points if 0 < p < len(data)})
    edges = [0, *cuts, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


def random_split(data: bytes, seed: int, pieces: int = 20) -> list[bytes]:
    """The input cut at ``pieces`` random offsets."""
    rng = random.Random(seed)
    return split_at(data, (rng.randrange(1, max(2, len(data))) for _ in range(pieces)))


def assert_same_every_way(data: bytes, **kwargs: object) -> list[Row]:
    """Tokenize whole, byte at a time and in random pieces; all must agree."""
    whole = tokenize(data, **kwargs)
    assert tokenize_chunks(bytewise(data), **kwargs) == whole
    for seed in range(3):
        assert tokenize_chunks(random_split(data, seed), **kwargs) == whole
    return whole[0]


def assert_every_byte_accounted(data: bytes, rows, diagnostics) -> None:
    """Every input byte lies in a row or in a diagnostic's raw bytes."""
    covered = bytearray(len(data))
    for row in rows:
        covered[row.offset : row.end] = b"\x01" * row.size
    for problem in diagnostics:
        if problem.raw and problem.offset is not None:
            end = problem.offset + len(problem.raw)
            covered[problem.offset : end] = b"\x01" * len(problem.raw)
    assert bytes(covered) == b"\x01" * len(data)


def record_adds(monkeypatch: Any) -> list[int | None]:
    """The ids of the rows the Python intake (``Resolver.add``) takes from now on, in order
    (a list that fills as rows are added)."""
    from rsc_flight.model.resolver import Resolver

    seen: list[int | None] = []
    add = Resolver.add

    def recording(self: Resolver, row: Row) -> None:
        seen.append(row.id)
        add(self, row)

    monkeypatch.setattr(Resolver, "add", recording)
    return seen


def assert_no_leak(
    run: Callable[[], object], *, runs: int, slack: int, warmups: int = 1, tries: int = 3
) -> None:
    """Fail when ``runs`` calls of ``run`` leave ``slack`` or more allocated blocks behind
    in each of ``tries`` attempts: a leak grows with every run, while caches (of strings,
    contexts) fill up during the ``warmups`` and then stop growing.

    Skips where the count means nothing: ``sys.getallocatedblocks`` counts the blocks of
    Python's own allocator, and under ``PYTHONMALLOC=malloc`` (the sanitizer job) it is 0
    whatever leaks."""
    if sys.getallocatedblocks() == 0:
        pytest.skip("sys.getallocatedblocks() counts nothing under this allocator")
    for _ in range(warmups):
        run()
    grown = 0
    for _ in range(tries):
        gc.collect()
        before = sys.getallocatedblocks()
        for _ in range(runs):
            run()
        gc.collect()
        grown = sys.getallocatedblocks() - before
        if grown < slack:
            return
    raise AssertionError(f"{grown} blocks more after {runs} runs: a reference leaks")
