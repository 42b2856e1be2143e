"""Coverage-guided fuzzing of the whole decoder with atheris (libFuzzer for Python).

Invariant (the library's promise on hostile input): whatever the bytes, in either mode,
``parse``, ``to_typed_json``, the tree helpers and the HTML renderer either succeed or
raise a ``FlightError`` subclass — never another exception, never a hang, never
unbounded memory.

Run it (see fuzz/README.md)::

    pip install -e '.[fuzz]'
    python fuzz/fuzz_parse.py fuzz/corpus -max_total_time=600 -rss_limit_mb=2048

A crash writes ``crash-<sha1>`` in the working directory; add its bytes to
``tests/test_fuzz_regressions.py`` as a pinned case.
"""

from __future__ import annotations

import json
import sys

import atheris

with atheris.instrument_imports():
    from rsc_flight import FlightError, Limits, parse, render_html, render_page
    from rsc_flight.tree import iter_elements, text_content

# Smaller than the defaults so that one input stays fast; the limits themselves are
# tested separately.
LIMITS = Limits(max_row_bytes=1 << 20, max_rows=20_000, max_expansion=500_000)


def test_one_input(data: bytes) -> None:
    strict = bool(data[:1]) and data[0] & 1 == 1
    html = bool(data[:1]) and data[0] & 2 == 2
    body = data[1:]
    try:
        payload = parse(body, source="html" if html else "auto", limits=LIMITS, strict=strict)
        json.dumps(payload.to_typed_json())
        root = payload.root
        for _ in iter_elements(root, limits=LIMITS):
            pass
        text_content(root, limits=LIMITS)
        render_html(root, limits=LIMITS)
        render_page(root, limits=LIMITS)
    except FlightError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
