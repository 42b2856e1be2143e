"""Named bounds on the work and memory a payload may cost.

Flight payloads come from the open web.  Each bound below stops one way a hostile payload
can make a decoder run out of memory or time; the defaults are far above anything a real
Next.js page needs (the largest real pages are a few MB with a few thousand rows) and are
documented in ``docs/security.md``.  Going over a bound raises
:class:`~rsc_flight.FlightLimitError` in strict *and* lenient mode: a payload that
big is not a damaged page but a different problem.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import attrs

__all__ = ["DEFAULT_LIMITS", "Limits"]


@attrs.frozen
class Limits:
    """Bounds applied while decoding.

    Attributes:
        max_row_bytes: largest row payload, declared (``T``/binary headers) or buffered
            (newline rows).  64 MiB: the largest text row seen in the wild is under 2 MB, and
            a header claiming ``ffffffff`` bytes must fail before anything is allocated.
        max_rows: most rows in one stream.  1,000,000: real pages have thousands.
        max_depth: deepest nesting of JSON arrays/objects and of resolved values.  512, well
            below the point where recursive code would exhaust the Python stack.
        max_path_length: most segments in a ``$<id>:a:b`` path reference.  256.
        max_expansion: most nodes an operation that expands shared references into a tree
            (typed JSON, HTML rendering, text) may produce.  10,000,000: shared rows can
            describe 2**40 nodes in a few hundred bytes ("billion laughs").
        max_bigint_digits: most digits of a ``$n`` BigInt.  4300, Python's own default
            bound for ``int()`` of a decimal string.
        max_html_pushes: most ``self.__next_f.push`` calls read from one HTML page.
        max_diagnostic_bytes: most bytes of input a diagnostic of an HTML page keeps in
            its ``raw`` (its reason counts the rest).  64 KiB: enough to see what a bad
            push or a script that is not run holds, while a page of many such scripts
            cannot make its report as big as itself many times over.
    """

    max_row_bytes: int = 64 * 1024 * 1024
    max_rows: int = 1_000_000
    max_depth: int = 512
    max_path_length: int = 256
    max_expansion: int = 10_000_000
    max_bigint_digits: int = 4300
    max_html_pushes: int = 1_000_000
    max_diagnostic_bytes: int = 64 * 1024


DEFAULT_LIMITS = Limits()


#: Python frames one level of nesting may take: a value inside a value, or a row whose
#: parse reads another row (initialise, parse, revive, decode a string, reference, ...).
_FRAMES_PER_LEVEL = 32


@contextmanager
def recursion_room(limits: Limits) -> Iterator[None]:
    """Let the interpreter recurse as deep as ``limits.max_depth`` levels need.

    Decoding follows references the way React's client does, recursively, and a level
    costs a few dozen Python frames, so Python's default limit of 1000 frames would stop
    legitimate payloads after about 30 levels.  The limit is raised for the duration of
    the call (never lowered) and restored after; ``max_depth`` then stops hostile
    nesting with a :class:`~rsc_flight.FlightLimitError` long before the C stack is at
    risk (Python-to-Python calls do not use the C stack since 3.11).
    """
    needed = limits.max_depth * _FRAMES_PER_LEVEL + 2000
    previous = sys.getrecursionlimit()
    if needed <= previous:
        yield
        return
    sys.setrecursionlimit(needed)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)
