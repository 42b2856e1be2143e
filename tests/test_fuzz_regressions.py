"""Inputs the fuzzer (fuzz/fuzz_parse.py) found breaking the invariant, pinned.

Each file in tests/data/fuzz_regressions is an input as libFuzzer wrote it: the first
byte picks the mode as in the harness (bit 0 strict, bit 1 HTML), the rest is the input.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rsc_flight import FlightError, parse, render_html, render_page
from rsc_flight.tree import iter_elements, text_content

from .conftest import DATA

CASES = sorted((DATA / "fuzz_regressions").glob("*.bin"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_fuzz_regression(path: Path):
    """The input decodes, or fails with a FlightError; nothing else escapes."""
    data = path.read_bytes()
    strict = bool(data[0] & 1)
    source = "html" if data[0] & 2 else "auto"
    try:
        payload = parse(data[1:], source=source, strict=strict)
        json.dumps(payload.to_typed_json())
        root = payload.root
        list(iter_elements(root))
        text_content(root)
        render_html(root)
        render_page(root)
    except FlightError:
        return


def test_base64_push_that_is_not_ascii():
    """A `[3, …]` push whose text is not ASCII is a diagnostic, not a ValueError."""
    page = (
        '<script>self.__next_f.push([3,"ab\\u00e9c"])</script>'
        '<script>self.__next_f.push([1,"0:1\\n"])</script>'
    )
    payload = parse(page, source="html")
    assert payload.root == 1
    assert any("not base64" in d.reason for d in payload.diagnostics)
