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
import threading
from contextlib import AbstractContextManager

import attrs

__all__ = ["DEFAULT_LIMITS", "Limits"]


@attrs.frozen(cache_hash=True)  # (a key of the per-context caches every parse looks up)
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
        max_output_bytes: most bytes one operation may write out or build: typed JSON's
            strings and base64, and the bytes of the Blobs decoding builds.  256 MiB:
            output is written as strings are, once per occurrence (React's own format
            repeats a shared string), so a 64 KiB text row referenced 20,000 times is a
            1.3 GB document; and a Blob may list an earlier Blob twice, doubling per row.
            Real pages write a few MB.
        max_diagnostics: most diagnostics one decoder keeps.  10,000: a real page has a
            handful; past the bound a line of garbage would cost a diagnostic object each
            (many times its own size), so one ``too-many-diagnostics`` diagnostic counts the
            rest and their bytes instead.
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
    max_output_bytes: int = 256 * 1024 * 1024
    max_diagnostic_bytes: int = 64 * 1024
    max_diagnostics: int = 10_000


DEFAULT_LIMITS = Limits()


#: Python frames one level of nesting may take: a value inside a value, or a row whose
#: parse reads another row (initialise, parse, revive, decode a string, reference, ...).
_FRAMES_PER_LEVEL = 32

#: The highest the recursion limit is ever raised, whatever ``max_depth`` asks for.  The
#: limit also counts C-level recursion (the standard library's JSON scanner, ``repr``,
#: property getters...), which *does* use the C stack: 8 MiB (Linux's default, also for
#: threads) at a few hundred bytes per level leaves room for about this many.  Past it a
#: deep payload raises ``RecursionError``, which the stages turn into ``FlightLimitError``,
#: instead of overflowing the C stack.
MAX_RECURSION_LIMIT = 20_000


class _Room:
    """The process's recursion limit, shared by every thread that decodes.

    ``sys.setrecursionlimit`` is process-wide.  Raising it per call and restoring it after
    let one thread's restore lower the limit under another thread that was deep in a
    decode: a spurious ``RecursionError``, or on CPython 3.11 "Fatal Python error: Cannot
    recover from stack overflow" (the thread was already far past the new limit).  So the
    holders are counted under a lock: the limit is raised to the largest need of those
    inside, never lowered while anyone is inside, and put back when the last one leaves
    (unless someone else changed it meanwhile: then it is theirs).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._before = 0  # the limit before the first holder came in
        self._set = 0  # the limit last set here

    def enter(self, needed: int) -> None:
        with self._lock:
            if self._holders == 0:
                self._before = self._set = sys.getrecursionlimit()
            self._holders += 1
            if needed > sys.getrecursionlimit():
                sys.setrecursionlimit(needed)
                self._set = needed

    def leave(self) -> None:
        with self._lock:
            self._holders -= 1
            if self._holders > 0 or self._set == self._before:
                return
            if sys.getrecursionlimit() == self._set:
                try:
                    sys.setrecursionlimit(self._before)
                except RecursionError:  # pragma: no cover - left from deeper than before
                    return
            self._set = self._before

    @property
    def holders(self) -> int:
        """Calls inside :func:`recursion_room` now (for the tests)."""
        return self._holders


_ROOM = _Room()


def recursion_needed(limits: Limits) -> int:
    """The recursion limit ``limits.max_depth`` levels need, capped at
    :data:`MAX_RECURSION_LIMIT`."""
    return min(limits.max_depth * _FRAMES_PER_LEVEL + 2000, MAX_RECURSION_LIMIT)


def recursion_room(limits: Limits) -> AbstractContextManager[None]:
    """Let the interpreter recurse as deep as ``limits.max_depth`` levels need.

    Decoding follows references the way React's client does, recursively, and a level
    costs a few dozen Python frames, so Python's default limit of 1000 frames would stop
    legitimate payloads after about 30 levels.  The limit is raised while any call is
    inside (never lowered under a thread that is deep in a decode: see :class:`_Room`),
    and never above :data:`MAX_RECURSION_LIMIT`; ``max_depth`` then stops hostile nesting
    with a :class:`~rsc_flight.FlightLimitError` long before the C stack is at risk.
    Thread-safe and reentrant.  (A plain context manager: every ``parse()`` enters one,
    and a generator-based one cost as much as reading a small page's import rows.)
    """
    return _Hold(recursion_needed(limits))


class _Hold:
    """One stay inside :func:`recursion_room`."""

    __slots__ = ("_needed",)

    def __init__(self, needed: int) -> None:
        self._needed = needed

    def __enter__(self) -> None:
        _ROOM.enter(self._needed)

    def __exit__(self, *exc_info: object) -> None:
        _ROOM.leave()
