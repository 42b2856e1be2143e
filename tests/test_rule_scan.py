"""The one-scan choice of rules (``rule_set.settle``) against the row-by-row search it
replaced, and the scans that find the rows worth reading: the C one (``_crevive.telling``)
exactly the rows the two patterns match in, the Python one a superset of them.

``settle`` refines the dialect and chooses the rules from one scan of the model rows that
finds the rows which may tell (a path reference, a whole-string row reference); only those
rows are then read.  It must answer exactly what searching every row did: the reference
below is that search, kept here as it was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from hypothesis import example, given, strategies as st

from rsc_flight import FlightDecoder, _engine
from rsc_flight.model import rule_set
from rsc_flight.model.rule_set import choose_rules, settle
from rsc_flight.wire.dialect import Dialect
from rsc_flight.wire.rows import ErrorRow, ImportRow, ModelRow, Row
from rsc_flight.wire.sources import detect_source, read_inline_flight

from .conftest import corpus_files

_PATH = re.compile(r'"\$[0-9a-f]{1,16}:')
_ROW = re.compile(r'"\$([QWKhi]?)([0-9a-f]{1,16})"')


def reference_settle(dialect: Dialect, rows: Sequence[Row]) -> tuple[Dialect, str]:
    """Every model row searched for a path reference, then every row read in order."""
    if dialect in (Dialect.GENERIC, Dialect.F3) and any(
        isinstance(row, ModelRow) and _PATH.search(row.payload) for row in rows
    ):
        dialect = Dialect.R19_0
    if dialect in (Dialect.F0, Dialect.F1, Dialect.F2, Dialect.F3_EXPERIMENTAL):
        return dialect, "18"
    if dialect not in (Dialect.GENERIC, Dialect.F2, Dialect.F3):
        return dialect, "19"
    first: dict[int, tuple[int, Row]] = {}
    for index, row in enumerate(rows):
        if row.id is not None and row.id not in first:
            first[row.id] = (index, row)
    models = [row for row in rows if isinstance(row, ModelRow)]
    for index, row in enumerate(rows):
        if isinstance(row, ImportRow) and row.payload.startswith("{"):
            return dialect, "18"
        if not isinstance(row, ModelRow) or "$" not in row.payload:
            continue
        if _PATH.search(row.payload):
            return dialect, "19"
        cycle = False
        for match in _ROW.finditer(row.payload):
            target = first.get(int(match.group(2), 16))
            if target is None:
                continue
            at, named = target
            if isinstance(named, ErrorRow) and match.group(1) == "":
                return dialect, "19"
            cycle = cycle or (at >= index and isinstance(named, ModelRow))
        text = row.payload
        if (
            cycle
            and text[:1] in ("{", "[")
            and any(other is not row and text in other.payload for other in models)
        ):
            return dialect, "18"
    return dialect, "19" if dialect is Dialect.GENERIC else "18"


def rows_of(payload: bytes) -> tuple[Dialect, list[Row]]:
    decoder = FlightDecoder()
    rows = decoder.feed(payload) + decoder.close()
    return decoder.dialect, rows


def _payloads() -> list[bytes]:
    found = []
    for path in corpus_files("**/*.txt", "**/*.html"):
        data = path.read_bytes()
        try:
            found.append(read_inline_flight(data).data if detect_source(data) == "html" else data)
        except Exception:  # not flight data: nothing to choose
            continue
    return found


def test_every_corpus_payload_gets_the_rules_the_row_by_row_search_gave():
    payloads = _payloads()
    if not payloads:
        pytest.skip("no corpus")
    for payload in payloads:
        dialect, rows = rows_of(payload)
        expected = reference_settle(dialect, rows)
        assert settle(dialect, rows) == expected
        assert choose_rules(expected[0], rows) == expected[1]


_PIECES = [
    '"$',
    '"$1"',
    '"$Q2"',
    '"$h3"',
    '"$1:props"',
    '"$5:a"',
    '"$L1"',
    '"$$"',
    '"$"',
    '"x"',
    '"$' + "a" * 17 + '"',
    '"$' + "a" * 16 + '"',
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    '"é"',
    '"ő$1"',
    '"😀"',
]

_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["model", "import", "error"]),
        st.integers(0, 6),
        st.lists(st.sampled_from(_PIECES), max_size=8).map("".join),
    ),
    max_size=8,
)


def _payload(spec: list[tuple[str, int, str]]) -> bytes:
    lines = []
    for kind, row_id, text in spec:
        tag = {"model": "", "import": "I", "error": "E"}[kind]
        lines.append(f"{row_id:x}:{tag}{text}\n")
    return "".join(lines).encode()


@given(_ROWS)
@example([("model", 0, '["$1"]'), ("model", 1, '["$1"]')])
@example([("model", 0, '["$1"]'), ("error", 1, "{}")])
@example([("import", 1, '{"id":"x"}'), ("model", 0, '"$1:a"')])
@example([("model", 0, '"$1"$2:"')])  # a path reference that starts at a closing quote
def test_random_rows_get_the_rules_the_row_by_row_search_gave(spec):
    dialect, rows = rows_of(_payload(spec))
    for start in (dialect, Dialect.GENERIC, Dialect.F2, Dialect.F3):
        assert settle(start, rows) == reference_settle(start, rows)


_CHARS = st.lists(
    st.sampled_from(['"', "$", ":", "Q", "W", "K", "h", "i", "a", "0", "g", "\n", "é", "ő", "😀"]),
    max_size=24,
).map("".join)


def exact_scan(texts: list[str]) -> tuple[list[int], bool]:
    """The rows in which either pattern matches, and whether a path reference does."""
    found = [k for k, text in enumerate(texts) if _PATH.search(text) or _ROW.search(text)]
    return found, any(_PATH.search(text) for text in texts)


@pytest.mark.skipif(_engine.ENGINE != "native", reason="no native engine")
@given(st.lists(_CHARS, max_size=5))
@example(['"$1:', '"$Q1"'])
@example(['"$1"$2:x"'])  # a path reference behind a row reference's closing quote
@example(['"$' + "0" * 16 + '"', '"$' + "0" * 17 + '"'])
@example(['"$\u0151', '"$\u0151""$1"'])  # a code unit whose low byte is "Q"
@example(['\U0001f600"$1"', '\U0001f600x"$1:a', '"$\U00010024"$2"'])  # 4-byte strs, odd/even
def test_the_c_scan_finds_exactly_the_rows_the_patterns_match(texts):
    module = _engine.native_module("rsc_flight._crevive")
    found, paths, facts = module.telling(texts)
    assert (found, paths) == exact_scan(texts)
    assert len(facts) == len(found)
    for k, fact in zip(found, facts, strict=True):  # what it learnt: what its search says
        assert fact is None or fact == rule_set._row_facts_python(texts[k])
    if not paths:  # every text read to its end: everything learnt
        assert None not in facts


@pytest.mark.skipif(_engine.ENGINE != "native", reason="no native engine")
@given(_CHARS)
@example('"$1""$2"')
@example('"$1"$2""$3"')  # the second starts at the first's closing quote: not a match
@example('"$Q1f","$' + "f" * 16 + '","$h0"')
@example('"$1","$2:a"')
@example('"\u0151$1"')
def test_the_c_facts_of_a_row_are_the_python_ones(text):
    module = _engine.native_module("rsc_flight._crevive")
    assert module.row_facts(text) == rule_set._row_facts_python(text)


def test_the_facts_of_a_row_are_its_searches():
    expected = [("", 1), ("Q", 0x1F), ("", 2)]
    assert rule_set._row_facts_python('["$1","$Q1f","$L3","$2"]') == (False, expected)
    assert rule_set._row_facts_python('["$1","$2:a"]') == (True, [])


@given(st.lists(_CHARS, max_size=5))
@example(['"$1"$2:x"', "$1", '"$L1"'])
def test_the_python_scan_finds_a_superset_and_the_same_paths(texts):
    found, paths, facts = rule_set._scan_python(texts)
    assert facts == [None] * len(found)
    exact, exact_paths = exact_scan(texts)
    assert set(exact) <= set(found)
    assert paths == exact_paths


@pytest.mark.skipif(_engine.ENGINE != "native", reason="no native engine")
@pytest.mark.parametrize("before", range(6))
def test_the_c_scan_finds_a_reference_at_every_position_of_a_4_byte_str(before):
    # a 4-byte str is searched for "$" two code points a word: each position of the
    # word, and a code point whose low bits are "$" (U+10024) next to it
    module = _engine.native_module("rsc_flight._crevive")
    for filler in ("\U0001f600", "\U00010024"):
        texts = [filler * before + '"$1f"' + filler, filler * before + '"$2:a"']
        assert module.telling(texts)[:2] == exact_scan(texts)
        assert module.row_facts(texts[0]) == rule_set._row_facts_python(texts[0])


@pytest.mark.skipif(_engine.ENGINE != "native", reason="no native engine")
def test_the_c_scan_takes_only_a_list_of_str():
    telling = _engine.native_module("rsc_flight._crevive").telling
    with pytest.raises(TypeError):
        telling(("a",))
    with pytest.raises(TypeError):
        telling([b"a"])
