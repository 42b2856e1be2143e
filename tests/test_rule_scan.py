"""The one-scan choice of rules (``rule_set.settle``) against the row-by-row search it
replaced, under both engines (the native one reads the rows in C,
``_crevive.rule_evidence``), and the Python scan that finds the rows worth reading: a
superset of the rows the two patterns match in.

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


ENGINES = ["python", "native"] if _engine.ENGINE == "native" else ["python"]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The engine the rule choice runs on for the test (the C reading of the rows or its
    Python twin)."""
    monkeypatch.setattr(_engine, "ENGINE", request.param)
    return str(request.param)


def test_every_corpus_payload_gets_the_rules_the_row_by_row_search_gave(engine):
    payloads = _payloads()
    if not payloads:
        pytest.skip("no corpus")
    for payload in payloads:
        dialect, rows = rows_of(payload)
        expected = reference_settle(dialect, rows)
        assert settle(dialect, rows) == expected
        assert choose_rules(expected[0], rows) == expected[1]
        assert settle(dialect, rows, "18") == (expected[0], "18")


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
    with pytest.MonkeyPatch.context() as patch:
        for engine in ENGINES:
            patch.setattr(_engine, "ENGINE", engine)
            for start in (dialect, Dialect.GENERIC, Dialect.F2, Dialect.F3):
                expected = reference_settle(start, rows)
                assert settle(start, rows) == expected, engine
                assert settle(start, rows, "19") == (expected[0], "19"), engine


_CHARS = st.lists(
    st.sampled_from(['"', "$", ":", "Q", "W", "K", "h", "i", "a", "0", "g", "\n", "é", "ő", "😀"]),
    max_size=24,
).map("".join)


def exact_scan(texts: list[str]) -> tuple[list[int], bool]:
    """The rows in which either pattern matches, and whether a path reference does."""
    found = [k for k, text in enumerate(texts) if _PATH.search(text) or _ROW.search(text)]
    return found, any(_PATH.search(text) for text in texts)


def test_the_facts_of_a_row_are_its_searches():
    expected = [("", 1), ("Q", 0x1F), ("", 2)]
    assert rule_set._row_facts_python('["$1","$Q1f","$L3","$2"]') == (False, expected)
    assert rule_set._row_facts_python('["$1","$2:a"]') == (True, [])


@given(st.lists(_CHARS, max_size=5))
@example(['"$1"$2:x"', "$1", '"$L1"'])
def test_the_python_scan_finds_a_superset_and_the_same_paths(texts):
    found, paths = rule_set._scan_python(texts)
    exact, exact_paths = exact_scan(texts)
    assert set(exact) <= set(found)
    assert paths == exact_paths


@pytest.mark.skipif(_engine.ENGINE != "native", reason="no native engine")
@given(st.lists(_CHARS, max_size=5), st.integers(0, 5))
@example(['"$1:', '"$Q1"'], 0)
@example(['"$1"$2:x"'], 0)  # a path reference behind a row reference's closing quote
@example(['"$' + "0" * 16 + '"', '"$' + "0" * 17 + '"'], 0)
@example(['"$\u0151', '"$\u0151""$1"'], 1)  # a code unit whose low byte is "Q"
@example(['\U0001f600"$1"', '\U0001f600x"$1:a', '"$\U00010024"$2"'], 2)  # 4-byte strs
def test_the_c_reading_of_random_text_is_the_python_one(texts, error_id):
    # the texts as model rows 0, 1, ..., and an error row: what the patterns find in them
    rows: list[Row] = [ModelRow(k, "", 0, 0, text) for k, text in enumerate(texts)]
    rows.append(ErrorRow(error_id, "E", 0, 0, "{}"))
    module = _engine.native_module("rsc_flight._crevive")
    for want in (1, 2, 3):
        found = module.rule_evidence(rows, want, rule_set._NATIVE_CONTEXT)
        assert found == rule_set._evidence_python(rows, want)
        if want & 1:
            assert found[0] == exact_scan(texts)[1]
