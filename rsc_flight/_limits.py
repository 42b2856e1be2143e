"""Named bounds on the work and memory a payload may cost.

Flight payloads come from the open web.  Each bound below stops one way a hostile payload
can make a decoder run out of memory or time; the defaults are far above anything a real
Next.js page needs (the largest real pages are a few MB with a few thousand rows) and are
documented in ``docs/security.md``.  Going over a bound raises
:class:`~rsc_flight.FlightLimitError` in strict *and* lenient mode: a payload that
big is not a damaged page but a different problem.
"""

from __future__ import annotations

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
    """

    max_row_bytes: int = 64 * 1024 * 1024
    max_rows: int = 1_000_000
    max_depth: int = 512
    max_path_length: int = 256
    max_expansion: int = 10_000_000
    max_bigint_digits: int = 4300
    max_html_pushes: int = 1_000_000


DEFAULT_LIMITS = Limits()
