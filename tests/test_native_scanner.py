"""The native row scanner against the reference: differential tests, and its own guards.

Both engines must give identical rows, diagnostics, errors, dialect and offset for every
input in every chunking.  Three sources of input: random bytes, random bytes built from
the grammar's own tokens (headers, tags, lengths, CR, LF, invalid UTF-8: they reach the
rare paths that uniform random bytes seldom do), valid row streams, and every corpus
payload split at random points.  Limits are drawn small too, so that both engines meet
the same limit at the same byte.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, strategies as st

from rsc_flight import FlightDecoder, FlightError, Limits, _engine
from rsc_flight.wire import ModelRow
from rsc_flight.wire._readers import _TAG_KIND, MAX_HEX_DIGITS
from rsc_flight.wire.rows import MAX_ID_DIGITS

from .conftest import DATA, corpus_files
from .flight_writer import write
from .helpers import assert_no_leak, bytewise, split_at
from .strategies import rows as row_specs

pytestmark = pytest.mark.skipif(
    _engine.ENGINE != "native", reason=f"no native engine: {_engine.ENGINE_NOTE}"
)

SPLITS = st.lists(st.integers(min_value=0, max_value=1 << 20), max_size=30)

# Pieces of the grammar, joined at random: every rare path is a few pieces away.
TOKENS = [
    *(b"0", b"1", b"a", b"f", b"1f", b"ffffffffffffffff", b"10000000000000000", b"g", b"A"),
    *(b":", b"::", b"\n", b"\r\n", b"\r", b"\n\n", b",", b"T", b"T3,", b"T0,", b"Tff,"),
    *(b"Tffffffffffffffff,", b"o2,", b"b1,", b"C", b"C1,", b"c", b"c2,", b"F", b"N", b"d"),
    *(b"I", b"H", b"HL", b"E", b"D", b"W", b"X", b"x", b"R", b"#", b"J", b"M", b"S", b"P"),
    *(b"Q", b"Z", b"[1]", b'"x"', b"{}", b"null", b"\xff", b"\xc3", b"\xa9", "é😀".encode()),
    *(b"T2,", b"T6,", b"T8,", "한".encode(), "한국".encode(), b"\xed\xa0\x80", b"\r\n\r\n"),
    *(b"J0:", b"M1:", b"0:", b":N1", b":HL", b"1:T", b"2:o", b"3:C", b"4:c"),
]
flightish = st.lists(st.sampled_from(TOKENS), max_size=40).map(b"".join)
small_limits = st.builds(
    Limits,
    max_row_bytes=st.integers(min_value=0, max_value=40),
    max_rows=st.integers(min_value=0, max_value=12),
)


def outcome(chunks: Iterable[bytes], engine: str, **kwargs: Any) -> tuple[Any, ...]:
    """Everything a decoder tells about one input: rows, problems, error, dialect, offset."""
    decoder = FlightDecoder(engine=engine, **kwargs)  # type: ignore[arg-type]
    rows: list[Any] = []
    error = None
    try:
        for chunk in chunks:
            rows += decoder.feed(chunk)
        rows += decoder.close()
    except FlightError as exc:
        error = (type(exc), str(exc), exc.offset, exc.row_id)
    return rows, decoder.diagnostics, error, decoder.dialect, decoder.offset, decoder._rows


def assert_engines_agree(chunks: list[bytes], **kwargs: Any) -> tuple[Any, ...]:
    native = outcome(chunks, "native", **kwargs)
    python = outcome(chunks, "python", **kwargs)
    assert native == python
    return python


# -- differential properties -------------------------------------------------------------


@given(st.binary(max_size=300), SPLITS, st.booleans())
def test_random_bytes_same_in_both_engines(data, cuts, strict):
    assert_engines_agree(split_at(data, cuts), strict=strict)


@given(flightish, SPLITS, st.booleans())
@example(b"1:Tffffffffffffffff,", [], False)
@example(b"1:T3,ab", [4], False)
@example(b"0:\r\n1:x\r\n", [2], False)
@example(b"1:c2,ab2:C\n3:N1,", [3, 9], False)
@example("1:T6,한국2:T4,😀".encode(), [6, 7, 9, 15], False)
@example(b"1:T3,\xc3(x\r\n2:T2,\r\n3:[1]\r\n", [5, 12], True)
@example(b"1:T3,\xc3(x\r\n2:T2,\r\n3:[1]\r\n", [5, 12], False)
@example(b"ffffffffffffffff:[1]\n10000000000000000:[1]\n", [], True)
def test_flightish_bytes_same_in_both_engines(data, cuts, strict):
    assert_engines_agree(split_at(data, cuts), strict=strict)


@given(flightish, SPLITS, st.booleans(), small_limits)
def test_limits_hold_alike_in_both_engines(data, cuts, strict, limits):
    assert_engines_agree(split_at(data, cuts), strict=strict, limits=limits)


@given(row_specs, SPLITS)
def test_valid_row_streams_same_in_both_engines(specs, cuts):
    data = write(specs)
    rows = assert_engines_agree(split_at(data, cuts), strict=True)[0]
    assert len(rows) == len(specs)


def test_byte_at_a_time_same_in_both_engines():
    data = b'1:I["7",[],""]\n0:["$","$L1",null,{}]\n2:T6,h\xc3\xa9llo3:"x"\r\n:HL["a"]\n4:\xff\n'
    assert assert_engines_agree(bytewise(data)) == assert_engines_agree([data])


def _corpus_payloads() -> list[Path]:
    files = corpus_files("**/*.txt", "**/*.rsc")
    own = sorted(DATA.rglob("*.txt")) if DATA.is_dir() else []
    return files + own


PAYLOADS = _corpus_payloads()


@pytest.mark.parametrize(
    "path", [pytest.param(p, id=p.name) for p in PAYLOADS] or [pytest.param(None)]
)
def test_corpus_payloads_same_in_both_engines_under_random_chunkings(path):
    """Every corpus payload, whole, in 64-byte feeds and split at random points."""
    if path is None:
        pytest.skip("no payloads")
    data = path.read_bytes()
    rng = random.Random(path.name)
    chunkings = [[data], [data[i : i + 64] for i in range(0, len(data), 64)]]
    for _ in range(2):
        chunkings.append(split_at(data, (rng.randrange(1, len(data) + 1) for _ in range(25))))
    whole = assert_engines_agree(chunkings[0])
    for chunks in chunkings[1:]:
        assert assert_engines_agree(chunks) == whole


def test_bytearray_and_memoryview_feeds_read_alike():
    data = b'0:["a"]\n1:T3,abc2:I[1]\n'
    expected = assert_engines_agree([data])
    assert assert_engines_agree([bytearray(data)]) == expected
    assert assert_engines_agree([memoryview(data)]) == expected


# -- the native scanner's own guards ------------------------------------------------------


def test_the_scanner_shares_the_reference_tables():
    """One digit bound serves ids and lengths in C; the tag table is passed in from Python."""
    assert MAX_HEX_DIGITS == MAX_ID_DIGITS
    assert _engine.native_module("rsc_flight.wire._cscan").MAX_DIGITS >= MAX_ID_DIGITS
    assert max(_TAG_KIND) <= 3


def _context(**changes: Any) -> dict[str, Any]:
    def helper(*args: object) -> int:
        return 0

    context: dict[str, Any] = {
        "model_row": ModelRow,
        "tag_kinds": bytes(256),
        "max_digits": 16,
        **dict.fromkeys(
            [
                "bad_header",
                "read_length_row",
                "read_unterminated",
                "line_row",
                "too_many_rows",
                "row_too_long",
            ],
            helper,
        ),
    }
    context.update(changes)
    return context


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"tag_kinds": bytes(255)}, TypeError),
        ({"tag_kinds": bytes([4]) * 256}, ValueError),
        ({"max_digits": 0}, ValueError),
        ({"max_digits": 17}, ValueError),
        ({"bad_header": None}, TypeError),
        ({"model_row": int}, TypeError),  # no slots to fill
        ({"model_row": "ModelRow"}, TypeError),
    ],
)
def test_a_bad_context_is_refused(changes, error):
    cscan = _engine.native_module("rsc_flight.wire._cscan")
    with pytest.raises(error):
        cscan.IdFirstReader(**_context(**changes))


def test_a_helper_returning_out_of_range_is_an_error_not_a_crash():
    """The C side checks every count a helper returns against the view before using it."""
    cscan = _engine.native_module("rsc_flight.wire._cscan")
    reader = cscan.IdFirstReader(**_context(bad_header=lambda *args: 10**6))
    decoder = FlightDecoder(engine="native")
    with pytest.raises(SystemError, match="not in"):
        reader(decoder, b"zz\n", [], True)


def test_wrong_arguments_are_type_errors():
    decoder = FlightDecoder(engine="native")
    reader = decoder._readers["id-first"]
    with pytest.raises(TypeError):
        reader(decoder, "not bytes", [], True)
    with pytest.raises(TypeError):
        reader(decoder, b"0:1\n", (), True)
    with pytest.raises(TypeError):
        reader(decoder, b"0:1\n", [], final=True)


def test_no_references_leak():
    """Decoding the same inputs again and again allocates nothing that stays: a leaked
    reference (on any path, errors included) would keep its object alive."""
    inputs = [
        b'1:I["7",[],""]\n0:["$","$L1",null,{}]\n2:T6,h\xc3\xa9llo3:"x"\r\n4:\xff\n:HL[1]\n5:',
        b"1:Tffffffffffffffff,",
        b"zz\n1:o3,ab",
        b"0:" + b"x" * 100,
    ]

    def run() -> None:
        for data in inputs:
            for strict in (False, True):
                for chunks in ([data], bytewise(data)):
                    outcome(chunks, "native", strict=strict, limits=Limits(max_row_bytes=50))

    assert_no_leak(run, runs=30, slack=30)
