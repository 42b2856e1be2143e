"""The native reader's tagged rows (import, hint, error, debug, stream, close, postpone,
``#`` model rows) and length rows (``T`` text, binary) against the reference: same rows,
diagnostics, errors and dialect.

The C reader builds these rows itself and dates the stream once per call (the newest
evidence of its rows) where the reference dates it row by row; the inputs here put every
tag of the table, with and without an id, in valid and invalid UTF-8, with CR endings,
empty, and mixed with rows the reference still builds (``T``, unknown tags), in every
chunking, so that both the rows and the dialect the decoder ends on are compared.  The
length rows are drawn with their true byte counts (multi-byte UTF-8 that random cuts split,
CR and LF inside, invalid UTF-8 the reference must report) and with wrong ones.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, strategies as st

from rsc_flight import FlightDecoder, Limits, _engine
from rsc_flight.wire import Dialect
from rsc_flight.wire.rows import (
    BINARY_TYPES,
    JSON_ROW_KINDS,
    BinaryRow,
    HintRow,
    ImportRow,
    TextRow,
)

from .helpers import assert_no_leak, bytewise, split_at
from .test_native_scanner import SPLITS, assert_engines_agree, outcome

pytestmark = pytest.mark.skipif(
    _engine.ENGINE != "native", reason=f"no native engine: {_engine.ENGINE_NOTE}"
)

TAGS = [*JSON_ROW_KINDS, "H", "#"]
PAYLOADS = [
    b"",
    b"[]",
    b'["7",[],""]',
    b'{"id":"7","chunks":[],"name":""}',
    b'["7",[],"$x"]',
    b'"$',
    b'L["/a.css","style"]',
    "é[1]".encode(),
    "😀".encode(),
    b"\xff[1]",
    b"[1]\r",
    b"\r",
    b"\xc3",
]
IDS = [b"", b"0", b"1f", b"ffffffffffffffff"]

tagged_row = st.builds(
    lambda row_id, tag, payload: row_id + b":" + tag.encode() + payload + b"\n",
    st.sampled_from(IDS),
    st.sampled_from(TAGS),
    st.sampled_from(PAYLOADS),
)
other_row = st.sampled_from([b'0:["a"]\n', b"2:T3,abc", b"3:Q[1]\n", b"4:o2,ab", b":N1\n"])
stream = st.lists(st.one_of(tagged_row, other_row), max_size=12).map(b"".join)


@given(stream, SPLITS, st.booleans())
def test_tagged_rows_same_in_both_engines(data, cuts, strict):
    assert_engines_agree(split_at(data, cuts), strict=strict)


@given(stream, SPLITS, st.booleans(), st.integers(min_value=0, max_value=12))
def test_tagged_rows_meet_limits_alike(data, cuts, strict, max_rows):
    limits = Limits(max_rows=max_rows, max_row_bytes=20)
    assert_engines_agree(split_at(data, cuts), strict=strict, limits=limits)


@pytest.mark.parametrize("tag", TAGS)
@pytest.mark.parametrize("row_id", IDS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_tag_id_and_payload(tag, row_id, payload):
    data = row_id + b":" + tag.encode() + payload + b"\n"
    assert assert_engines_agree([data]) == assert_engines_agree(bytewise(data))


@pytest.mark.parametrize(
    ("data", "dialect"),
    [
        (b'1:I["7",[],""]\n', Dialect.F3),
        (b'1:I{"id":"7"}\n', Dialect.F1),
        (b'1:I["7",[],"$x"]\n', Dialect.R19_3),
        (b'1:R\n2:I["7",[],""]\n', Dialect.R19_0),
        (b':HL["a"]\n1:I["7",[],""]\n', Dialect.R19_1),
        (b'2:T1,a1:I{"id":"7"}\n', Dialect.F2),
        (b'1:E{"digest":"x"}\n', Dialect.GENERIC),
        (b"1:#[1]\n", Dialect.GENERIC),
    ],
)
def test_the_dialect_is_the_newest_evidence(data, dialect):
    assert assert_engines_agree([data])[3] is dialect


def test_rows_are_the_reference_classes():
    rows = outcome([b':HL["a"]\n1:I[1]\n:H\n'], "native")[0]
    assert [type(row) for row in rows] == [HintRow, ImportRow, HintRow]
    assert (rows[0].code, rows[0].payload) == ("L", '["a"]')
    assert (rows[2].code, rows[2].payload) == ("", "")


def test_a_bad_table_is_refused():
    cscan = _engine.native_module("rsc_flight.wire._cscan")
    reader = FlightDecoder(engine="native")._readers["id-first"]
    assert reader is not None
    from .test_native_scanner import _context

    dialects = tuple(Dialect)[:8]
    for tagged in ({"T": (ImportRow, 1)}, {"I": (ImportRow, 99)}, {"I": ImportRow}, []):
        with pytest.raises((TypeError, ValueError)):
            cscan.IdFirstReader(**_context(tagged_rows=tagged, dialects=dialects))
    with pytest.raises(TypeError):
        cscan.IdFirstReader(**_context(tagged_rows={"I": (int, 1)}, dialects=dialects))
    with pytest.raises(TypeError):  # rows to date need the dialects
        cscan.IdFirstReader(**_context(tagged_rows={"I": (ImportRow, 2)}))
    with pytest.raises(TypeError):
        cscan.IdFirstReader(**_context(dialects=dialects[:3]))


def test_an_error_keeps_the_dialect_of_the_rows_before_it():
    data = b':HL["a"]\n1:I[1]\n2:' + b"x" * 60 + b"\n"
    native = outcome([data], "native", strict=True, limits=Limits(max_row_bytes=50))
    assert native[2] is not None
    assert native[3] is Dialect.R19_1
    assert native == outcome([data], "python", strict=True, limits=Limits(max_row_bytes=50))


def test_no_references_leak_on_tagged_rows():
    inputs = [
        b':HL["a"]\n1:I["7",[],""]\n2:E{}\n3:D\xff\n4:W[1]\r\n5:#[1]\n:H\n6:R\n7:C\n8:P\n',
        b"1:I" + b"x" * 60 + b"\n",
    ]

    def run() -> None:
        for data in inputs:
            for strict in (False, True):
                for chunks in ([data], bytewise(data)):
                    outcome(chunks, "native", strict=strict, limits=Limits(max_row_bytes=50))

    assert_no_leak(run, runs=30, slack=30)


# -- length rows: T text rows and binary rows, built in C as _make_row builds them --------

TEXTS = [
    b"",
    b"abc",
    "한국어 텍스트".encode(),
    "😀 👩‍💻 🇰🇷".encode(),
    "é\r\n😀\n".encode(),
    b"\r",
    b"a\xffb",
    "한".encode()[:2],  # a cut sequence: invalid UTF-8
    b"\xed\xa0\x80",  # a surrogate: invalid UTF-8
    "😀".encode()[1:],
]
LENGTH_TAGS = ["T", *BINARY_TYPES]


def _length_row(row_id: bytes, tag: str, payload: bytes, skew: int) -> bytes:
    """``<id>:<tag><hex length>,<payload>``, the length off by ``skew`` (0: the true one)."""
    return b"%s:%s%x,%s" % (row_id, tag.encode(), max(0, len(payload) + skew), payload)


length_row = st.builds(
    _length_row,
    st.sampled_from(IDS),
    st.sampled_from(LENGTH_TAGS),
    st.sampled_from(TEXTS),
    st.sampled_from([0, 0, 0, -1, 1]),
)
crlf_row = st.sampled_from([b'0:["a"]\r\n', b":HL[1]\r\n", b"5:I[1]\r\n", b"\r\n", b"\n"])
length_stream = st.lists(st.one_of(length_row, tagged_row, other_row, crlf_row), max_size=12).map(
    b"".join
)


@given(length_stream, SPLITS, st.booleans())
@example("1:T6,한국:T4,😀".encode(), [5, 6, 8, 14], False)
@example(b"0:[1]\r\n1:T4,\xc3(\r\n2:o2,\r\n", [9, 11, 12], False)
@example(b"0:[1]\r\n1:T4,\xc3(\r\n2:o2,\r\n", [9, 11, 12], True)
def test_length_rows_same_in_both_engines(data, cuts, strict):
    assert_engines_agree(split_at(data, cuts), strict=strict)


@given(length_stream, SPLITS, st.booleans(), st.integers(min_value=0, max_value=12))
def test_length_rows_meet_limits_alike(data, cuts, strict, max_rows):
    limits = Limits(max_rows=max_rows, max_row_bytes=12)
    assert_engines_agree(split_at(data, cuts), strict=strict, limits=limits)


@pytest.mark.parametrize("tag", LENGTH_TAGS)
@pytest.mark.parametrize("row_id", IDS)
@pytest.mark.parametrize("payload", TEXTS)
@pytest.mark.parametrize("strict", [False, True])
def test_every_length_tag_id_and_payload(tag, row_id, payload, strict):
    data = _length_row(row_id, tag, payload, 0) + b'0:"x"\r\n'
    whole = assert_engines_agree([data], strict=strict)
    assert assert_engines_agree(bytewise(data), strict=strict) == whole


@pytest.mark.parametrize(
    ("data", "dialect"),
    [
        (b"1:T1,a", Dialect.F2),
        (b":T1,a", Dialect.F2),
        (b"1:o2,ab", Dialect.R19_0),
        (b":o2,ab", Dialect.R19_1),
        (b"1:b1,a", Dialect.R19_3),
        (b":b1,a", Dialect.R19_1),
        (b"1:c2,ab", Dialect.F3_EXPERIMENTAL),
        (b"1:N1,a", Dialect.F3_EXPERIMENTAL),
        (b"1:b1,a2:T1,a", Dialect.R19_3),
        (b"1:T1,\xff2:I{}\n", Dialect.F2),
    ],
)
def test_length_rows_date_the_stream(data, dialect):
    assert assert_engines_agree([data])[3] is dialect


def test_valid_length_rows_are_built_in_c_and_invalid_text_by_the_reference():
    """Only a text row in invalid UTF-8 reaches the decoder's factory, which reports it."""
    decoder = FlightDecoder(engine="native")
    made: list[str] = []
    factory = decoder._make_row

    def spy(*args: object) -> object:
        made.append(str(args[1]))
        return factory(*args)  # type: ignore[arg-type]

    decoder._make_row = spy  # type: ignore[method-assign]
    rows = decoder.feed("1:T6,한국2:o2,ab".encode() + b"3:T2,\xc3(4:T0,") + decoder.close()
    assert made == ["T"]
    assert [type(row) for row in rows] == [TextRow, BinaryRow, TextRow, TextRow]
    assert [row.payload for row in rows] == ["한국", b"ab", "\ufffd(", ""]
    assert [d.code for d in decoder.diagnostics] == ["invalid-utf8"]


def test_a_text_row_in_invalid_utf8_raises_alike_in_strict_mode():
    chunks = ["1:T3,한".encode(), b"2:T2,\xc3("]
    native = outcome(chunks, "native", strict=True)
    assert native[2] is not None
    assert native[2][1].startswith("invalid UTF-8")
    assert [row.payload for row in native[0]] == ["한"]
    assert native[3] is Dialect.F2
    assert native == outcome(chunks, "python", strict=True)


def test_a_bad_length_row_class_is_refused():
    cscan = _engine.native_module("rsc_flight.wire._cscan")
    from .test_native_scanner import _context

    dialects = tuple(Dialect)[:8]
    for key in ("text_row", "binary_row"):
        with pytest.raises(TypeError):
            cscan.IdFirstReader(**_context(**{key: int}, dialects=dialects))
        with pytest.raises(TypeError):
            cscan.IdFirstReader(**_context(**{key: "TextRow"}, dialects=dialects))
        with pytest.raises(TypeError):  # rows to date need the dialects
            cscan.IdFirstReader(**_context(**{key: TextRow}))


def test_no_references_leak_on_length_rows():
    inputs = [
        "1:T6,한국2:o2,ab".encode() + b"3:T2,\xc3(:b1,a4:c2,ab5:T0,6:T3,\r\n\n",
        b"1:T" + b"40," + b"x" * 64,
    ]

    def run() -> None:
        for data in inputs:
            for strict in (False, True):
                for chunks in ([data], bytewise(data)):
                    outcome(chunks, "native", strict=strict, limits=Limits(max_row_bytes=50))

    assert_no_leak(run, runs=30, slack=30)
