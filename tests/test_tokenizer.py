"""Unit tests of the row tokenizer, each input fed whole, byte at a time and in pieces."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from rsc_flight import (
    Diagnostic,
    Dialect,
    FlightDecoder,
    FlightLimitError,
    FlightSyntaxError,
    IncompleteFlightError,
    Limits,
)
from rsc_flight.errors import DIAGNOSTIC_CODES
from rsc_flight.wire import (
    BinaryRow,
    CloseRow,
    DebugRow,
    ErrorRow,
    HintRow,
    ImportRow,
    ModelRow,
    PostponeRow,
    ProviderRow,
    StreamRow,
    SymbolRow,
    UnknownRow,
)
from rsc_flight.wire._buffer import RowBuffer
from rsc_flight.wire._readers import decide_framing

from .helpers import assert_same_every_way, bytewise, tokenize, tokenize_chunks


def summary(rows):
    return [(type(r).__name__, r.id, r.tag, r.payload) for r in rows]


def dialect_of(data: bytes) -> Dialect:
    decoder = FlightDecoder()
    decoder.feed(data)
    decoder.close()
    return decoder.dialect


def text_row(row_id: int, text: str) -> bytes:
    body = text.encode()
    return f"{row_id:x}:T{len(body):x},".encode() + body


# -- framing -----------------------------------------------------------------------------


def test_model_rows_keep_json_text():
    """Model rows carry their JSON text undecoded, ids are hex."""
    rows = assert_same_every_way(b'0:["$","div",null,{}]\n1f:{"a":"$$x"}\n')
    assert summary(rows) == [
        ("ModelRow", 0, "", '["$","div",null,{}]'),
        ("ModelRow", 0x1F, "", '{"a":"$$x"}'),
    ]


def test_offsets_and_sizes_tile_the_input():
    """Every byte belongs to exactly one row: offset + size is the next row's offset."""
    data = b'1:I["a",[],""]\n' + text_row(2, "héllo\n3:x") + b"0:[1]\n"
    rows = assert_same_every_way(data)
    assert [r.offset for r in rows] == [0, rows[0].end, rows[1].end]
    assert rows[-1].end == len(data)


def test_text_row_length_counts_utf8_bytes():
    """A T row's hex length counts bytes, so multi-byte text is cut at the right place."""
    body = "한국어 😀 text with\nnewlines and 9:fake rows"
    data = text_row(9, body) + b'2:{"__html":"$9"}\n'
    rows = assert_same_every_way(data)
    assert summary(rows) == [
        ("TextRow", 9, "T", body),
        ("ModelRow", 2, "", '{"__html":"$9"}'),
    ]


def test_binary_rows_are_raw_bytes_with_no_terminator():
    """Binary rows may hold LF, ':' and invalid UTF-8; the next row starts right after."""
    payload = b"\n\x00:\xff\xfe0:"
    data = b"1:o7," + payload + b"2:G4,\x00\x00\xc0?" + b'0:["$1","$2"]\n'
    rows = assert_same_every_way(data)
    assert [(type(r).__name__, r.id, r.tag, r.payload) for r in rows] == [
        ("BinaryRow", 1, "o", payload),
        ("BinaryRow", 2, "G", b"\x00\x00\xc0?"),
        ("ModelRow", 0, "", '["$1","$2"]'),
    ]
    assert rows[0].type_name == "Uint8Array"
    assert rows[1].type_name == "Float32Array"


@pytest.mark.parametrize(
    ("tag", "type_name"),
    [
        ("A", "ArrayBuffer"),
        ("O", "Int8Array"),
        ("o", "Uint8Array"),
        ("U", "Uint8ClampedArray"),
        ("S", "Int16Array"),
        ("s", "Uint16Array"),
        ("L", "Int32Array"),
        ("l", "Uint32Array"),
        ("G", "Float32Array"),
        ("g", "Float64Array"),
        ("M", "BigInt64Array"),
        ("m", "BigUint64Array"),
        ("V", "DataView"),
        ("b", "Uint8Array"),
    ],
)
def test_every_binary_tag_is_length_prefixed(tag, type_name):
    """Each binary tag reads exactly its declared byte count, even across LF bytes."""
    data = f"5:{tag}8,".encode() + b"\n\n\n\n\n\n\n\n" + b"0:1\n"
    rows = assert_same_every_way(data)
    assert isinstance(rows[0], BinaryRow)
    assert rows[0].payload == b"\n" * 8
    assert rows[0].type_name == type_name
    assert rows[1].payload == "1"


def test_empty_length_rows():
    """A zero-length text or binary row is valid and takes only its header."""
    rows = assert_same_every_way(b"1:T0,2:o0,0:null\n")
    assert summary(rows) == [
        ("TextRow", 1, "T", ""),
        ("BinaryRow", 2, "o", b""),
        ("ModelRow", 0, "", "null"),
    ]


def test_newline_tagged_rows_by_kind():
    """Each newline tag becomes its own row kind and keeps its payload text."""
    data = (
        b'1:I["m",["c","f.js"],"default",1]\n'
        b'2:HL["/a.css","style"]\n'
        b'3:E{"digest":"d1"}\n'
        b'3:D{"name":"Page","env":"Server"}\n'
        b'4:R\n4:{"a":1}\n4:C\n'
        b'5:r\n6:X\n7:x\n7:C"done"\n'
        b"8:P\n"
        b'9:#{"x":1}\n'
    )
    rows = assert_same_every_way(data)
    assert [type(r) for r in rows] == [
        ImportRow,
        HintRow,
        ErrorRow,
        DebugRow,
        StreamRow,
        ModelRow,
        CloseRow,
        StreamRow,
        StreamRow,
        StreamRow,
        CloseRow,
        PostponeRow,
        ModelRow,
    ]
    hint = rows[1]
    assert (hint.code, hint.payload) == ("L", '["/a.css","style"]')
    assert rows[-1].tag == "#"
    assert rows[-1].payload == '{"x":1}'
    assert rows[10].payload == '"done"'


def test_id_less_rows_are_not_row_zero():
    """`:HL...`, `:W...` and `:N...` have no id (None), never id 0."""
    data = b':HL["/f.woff2","font"]\n:N1732000000000.25\n:W["log",null,null,"Server","hi"]\n0:1\n'
    rows = assert_same_every_way(data)
    assert [(r.id, r.tag) for r in rows] == [(None, "H"), (None, "N"), (None, "W"), (0, "")]
    assert rows[1].payload == "1732000000000.25"
    assert dialect_of(data) is Dialect.R19_1


def test_several_rows_for_one_id_are_all_kept():
    """Debug rows, stream items (including T rows) and the close row share one id."""
    data = b'4:D{"time":1}\n4:D{"time":2}\n4:R\n' + text_row(4, "a") + b'4:{"b":1}\n4:C\n'
    rows = assert_same_every_way(data)
    assert [r.id for r in rows] == [4] * 6
    assert [r.tag for r in rows] == ["D", "D", "R", "T", "", "C"]


def test_last_row_without_newline_is_cut_not_read():
    """A final newline row with no LF was cut (``1:12345`` cut to ``1:12`` would still
    parse): React's client never reads it, so it is set aside with its bytes, and strict
    mode raises."""
    decoder = FlightDecoder()
    assert [row.id for row in decoder.feed(b"0:1\n1:12")] == [0]
    assert decoder.close() == []
    assert [(d.code, d.severity, d.offset, d.row_id, d.raw) for d in decoder.diagnostics] == [
        ("truncated-row", "error", 4, 1, b"1:12")
    ]
    strict = FlightDecoder(strict=True)
    strict.feed(b"0:1\n1:12")
    with pytest.raises(IncompleteFlightError, match="no newline"):
        strict.close()


def test_diagnostics_past_the_limit_are_counted_in_one():
    """Garbage cannot make a diagnostic per line without bound: past max_diagnostics one
    ``too-many-diagnostics`` diagnostic counts the rest and their bytes."""
    decoder = FlightDecoder(limits=Limits(max_diagnostics=3))
    decoder.feed(b"0:1\n" + b"x\n" * 10)
    decoder.close()
    codes = [d.code for d in decoder.diagnostics]
    assert codes == ["bad-header"] * 3 + ["too-many-diagnostics"]
    assert decoder.diagnostics[-1].reason.startswith("7 more problems (14 bytes of input)")


def test_invalid_utf8_keeps_the_whole_payload():
    """The row's text has U+FFFD in place of the bad bytes; the diagnostic keeps them all."""
    bad = b"\xff" * 1000
    decoder = FlightDecoder()
    rows = decoder.feed(b'0:"' + bad + b'"\n') + decoder.close()
    assert rows[0].payload == '"' + "\ufffd" * 1000 + '"'
    assert decoder.diagnostics[0].raw == b'"' + bad + b'"'


def test_halted_empty_model_row():
    """`id:` + LF is an empty model row (React 19.2+ dev: never resolves)."""
    rows = assert_same_every_way(b"5:\n0:1\n")
    assert summary(rows)[0] == ("ModelRow", 5, "", "")


def test_unknown_tag_is_kept_raw():
    """An uppercase tag no dialect defines is a raw row plus a warning, not dropped."""
    rows, problems = tokenize(b"3:Qsomething\xff\n0:1\n")
    assert isinstance(rows[0], UnknownRow)
    assert (rows[0].id, rows[0].tag, rows[0].payload) == (3, "Q", b"something\xff")
    assert [p.severity for p in problems] == ["warning"]
    assert "unknown row tag" in problems[0].reason


# -- dialects ----------------------------------------------------------------------------


def test_tag_first_dialect_of_2022():
    """`J0:` rows (React experimental 2022, Next 13.0-13.1) are read tag first."""
    data = (
        b'M1:{"id":"./app/page.js","chunks":["app/page:app/page.js"],"name":"default"}\n'
        b'S2:"react.suspense"\n'
        b"P3:ThemeContext\n"
        b'\nJ0:["$","@1",null,{"children":["$","$2",null,{}]}]\n'
        b'E4:{"digest":"NEXT_NOT_FOUND"}\n'
    )
    rows = assert_same_every_way(data)
    assert [type(r) for r in rows] == [ImportRow, SymbolRow, ProviderRow, ModelRow, ErrorRow]
    assert [(r.id, r.tag) for r in rows] == [(1, "M"), (2, "S"), (3, "P"), (0, "J"), (4, "E")]
    assert rows[2].payload == "ThemeContext"
    assert dialect_of(data) is Dialect.F0


def test_newline_only_dialect_of_next_13_2():
    """Next 13.2-13.3: id-first rows, object-form I rows, no length rows."""
    data = (
        b'1:I{"id":"123","chunks":["123:static/chunks/123.js"],"name":"","async":false}\n'
        b'0:[["$","$L1",null,{}]]\n'
        b'2:HL["/x.css","style"]\n'
    )
    rows = assert_same_every_way(data)
    assert [r.tag for r in rows] == ["I", "", "H"]
    assert rows[2].id == 2
    assert dialect_of(data) is Dialect.F1


def test_next_13_4_text_rows_with_object_imports():
    """Object-form I rows together with T rows date the payload to Next 13.4-13.5."""
    data = b'1:I{"id":"1","chunks":[],"name":""}\n' + text_row(2, "x" * 40) + b'0:"$2"\n'
    assert_same_every_way(data)
    assert dialect_of(data) is Dialect.F2


def test_next_14_array_imports():
    """Array-form I rows with hint ids are the 2024 18.3 canary of Next 14."""
    data = b'1:I[9275,[],""]\n2:HL["/a.css","style"]\n0:["$","$L1",null,{}]\n'
    assert dialect_of(data) is Dialect.F3


def test_react_19_0_binary_and_streams():
    """Typed-array and stream rows with hint ids are React 19.0."""
    assert dialect_of(b'1:o1,\x002:H D"x"\n3:R\n3:C\n') is Dialect.R19_0


def test_react_19_3_byte_stream_and_import_strings():
    """`b` rows and `$` references inside I rows are React 19.3."""
    assert dialect_of(b"1:r\n1:b2,ab1:C\n") is Dialect.R19_3
    data = b'1:"static/chunks/231-abcdef0123456789.js"\n2:I["231",["231","$1"],"default"]\n'
    rows = assert_same_every_way(data)
    assert isinstance(rows[1], ImportRow)
    assert dialect_of(data) is Dialect.R19_3


def test_experimental_typed_array_letters():
    """Next 14's experimental channel used C c F d N for typed arrays (hex length + ',')."""
    data = b"1:C2,\x01\x022:c1,\n3:F4,\x00\x00\x80?4:d0,5:N8,\x00\x00\x00\x00\x00\x00\x00\x00"
    data += b"0:1\n"
    rows = assert_same_every_way(data)
    assert [(r.tag, getattr(r, "type_name", None)) for r in rows] == [
        ("C", "Int8Array"),
        ("c", "Uint8Array"),
        ("F", "Float32Array"),
        ("d", "Float64Array"),
        ("N", "BigInt64Array"),
        ("", None),
    ]
    assert dialect_of(data) is Dialect.F3_EXPERIMENTAL


def test_close_and_time_origin_rows_are_not_mistaken_for_binary():
    """`C` and `N` followed by something other than hex + ',' stay newline rows."""
    rows = assert_same_every_way(b'4:C{"v":1}\n:N1732.5\n4:C\n:N12345678\n')
    assert [type(r) for r in rows] == [CloseRow, DebugRow, CloseRow, DebugRow]
    assert [r.payload for r in rows] == ['{"v":1}', "1732.5", "", "12345678"]


# -- bad input ---------------------------------------------------------------------------


def test_truncated_text_row_strict_raises_with_position():
    """A length row cut short is IncompleteFlightError naming its offset and row."""
    decoder = FlightDecoder(strict=True)
    decoder.feed(b"0:1\n1f:T10,abc")
    with pytest.raises(IncompleteFlightError) as info:
        decoder.close()
    assert info.value.offset == 4
    assert info.value.row_id == 0x1F
    assert "at byte 4, row 1f" in str(info.value)


def test_truncated_text_row_lenient_keeps_raw_bytes():
    """Lenient mode turns a truncated row into a diagnostic holding its bytes."""
    rows, problems = tokenize_chunks([b"0:1\n1f:T10,", b"abc"])
    assert summary(rows) == [("ModelRow", 0, "", "1")]
    assert len(problems) == 1
    assert problems[0].raw == b"1f:T10,abc"
    assert problems[0].offset == 4
    assert problems[0].row_id == 0x1F


def test_bad_header_is_set_aside_and_decoding_goes_on():
    """A line that is not a row becomes a diagnostic; the rows around it survive."""
    data = b"0:1\nnot a row\n1:2\n"
    rows = assert_same_every_way(data)
    assert summary(rows) == [("ModelRow", 0, "", "1"), ("ModelRow", 1, "", "2")]
    _, problems = tokenize(data)
    assert [(p.offset, p.raw) for p in problems] == [(4, b"not a row\n")]
    with pytest.raises(FlightSyntaxError, match="at byte 4"):
        tokenize(data, strict=True)


def test_uppercase_hex_id_is_a_syntax_error():
    """React folds any byte into the id; we refuse ids that are not lowercase hex."""
    rows, problems = tokenize(b"1F:1\n0:2\n")
    assert summary(rows) == [("ModelRow", 0, "", "2")]
    assert problems[0].raw == b"1F:1\n"


def test_bad_length_header():
    """A length tag must be followed by hex digits and ','."""
    rows, problems = tokenize(b"1:Tzz,abc\n0:1\n")
    assert summary(rows) == [("ModelRow", 0, "", "1")]
    assert "bad length header" in problems[0].reason
    assert problems[0].row_id == 1


def test_blank_line_is_a_warning():
    """A blank line between rows is skipped with a warning (F0/F1 used them freely)."""
    rows, problems = tokenize(b"0:1\n\n1:2\n")
    assert len(rows) == 2
    assert [(p.severity, p.offset) for p in problems] == [("warning", 4)]


def test_crlf_line_endings_are_reported_once():
    """A CRLF-converted file is readable but flagged: its text-row counts may be off."""
    rows, problems = tokenize(b'0:{"a":1}\r\n1:2\r\n')
    assert [r.payload for r in rows] == ['{"a":1}', "2"]
    assert len(problems) == 1
    assert "CRLF" in problems[0].reason


def test_invalid_utf8_in_text_row():
    """Invalid UTF-8 is replaced like TextDecoder does, and reported."""
    rows, problems = tokenize(b"1:T3,a\xffb0:1\n")
    assert rows[0].payload == "a\ufffdb"
    assert [(p.offset, p.severity) for p in problems] == [(0, "warning")]
    with pytest.raises(FlightSyntaxError, match="invalid UTF-8"):
        tokenize(b"1:T3,a\xffb0:1\n", strict=True)


def test_huge_declared_length_fails_before_allocating():
    """`ffffffff` bytes declared is over max_row_bytes in both modes, at once."""
    decoder = FlightDecoder()
    with pytest.raises(FlightLimitError) as info:
        decoder.feed(b"0:1\n5:Tffffffff,abc")
    assert info.value.row_id == 5
    assert info.value.offset == 4


def test_newline_row_over_the_limit():
    """A newline row that grows past max_row_bytes without LF is a limit error."""
    decoder = FlightDecoder(limits=Limits(max_row_bytes=100))
    decoder.feed(b"0:" + b"x" * 50)
    with pytest.raises(FlightLimitError):
        decoder.feed(b"x" * 60)


def test_too_many_rows():
    """max_rows bounds the number of rows in a stream."""
    with pytest.raises(FlightLimitError, match="max_rows=3"):
        tokenize(b"0:1\n" * 4, limits=Limits(max_rows=3))


def test_id_longer_than_16_hex_digits():
    """Ids are capped at 16 hex digits: a longer run is not a header."""
    rows, problems = tokenize(b"1" * 17 + b":1\n0:1\n")
    assert summary(rows) == [("ModelRow", 0, "", "1")]
    assert len(problems) == 1


# -- diagnostic codes --------------------------------------------------------------------

# Bad inputs, each with the codes of the diagnostics it must produce, in stream order.
BAD_INPUTS = [
    (b"0:1\nnot a row\n1:2\n", ["bad-header"]),
    (b"1F:1\n0:2\n", ["bad-header"]),
    (b"1" * 17 + b":1\n0:1\n", ["bad-header"]),
    (b"J0:1\nnonsense\nM1:{}\n", ["bad-header"]),
    (b"1:Tzz,abc\n0:1\n", ["bad-length"]),
    (b"0:1\n1f:T10,abc", ["truncated-row"]),
    (b"0:1\n\n1:2\n", ["blank-line"]),
    (b"J0:1\n\nM1:{}\n", ["blank-line"]),
    (b'0:{"a":1}\r\n1:2\r\n', ["crlf"]),
    (b"J0:1\r\n", ["crlf"]),
    (b"1:T3,a\xffb0:1\n", ["invalid-utf8"]),
    (b"0:\xff\n", ["invalid-utf8"]),
    (b"J0:\xff\n", ["invalid-utf8"]),
    (b"1:Qabc\n0:1\n", ["unknown-tag"]),
    (
        b"0:1\r\n\x00\n1:Qab\xff\n\nx\n2:T5,ab",
        ["crlf", "bad-header", "unknown-tag", "blank-line", "bad-header", "truncated-row"],
    ),
]


@pytest.mark.parametrize(("data", "codes"), BAD_INPUTS)
def test_every_diagnostic_has_a_code(data, codes):
    """Each problem carries the stable code of its kind, in any chunking."""
    _, problems = tokenize(data)
    assert [p.code for p in problems] == codes
    for split in (bytewise(data), [data[:3], data[3:]]):
        assert [p.code for p in tokenize_chunks(split)[1]] == codes
    for problem in problems:
        assert problem.code in DIAGNOSTIC_CODES
        assert DIAGNOSTIC_CODES[problem.code].startswith(problem.severity + ":")


# Pieces of rows, good and bad, so that random joins hit every kind of problem.
_PIECES = [b"0:", b"1f:", b":", b"J0:", b"M1:", b"T3,", b"T", b"C", b"b2,", b"Q", b"H", b"I"]
_PIECES += [b"[1]", b"ab", b"\xff", b"\xc3", b"\n", b"\r\n", b"\r", b"zz", b",", b"1F"]


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map(b"".join))
def test_every_diagnostic_on_garbage_has_a_known_code(data):
    """Whatever the input, a diagnostic's code is listed and matches its severity."""
    for problem in tokenize(data)[1]:
        assert problem.code in DIAGNOSTIC_CODES, problem
        assert DIAGNOSTIC_CODES[problem.code].startswith(problem.severity + ":")


def test_diagnostic_code_defaults_to_empty():
    """Diagnostics made elsewhere without a code still build (the field is last)."""
    problem = Diagnostic("reason", 3, 1, b"x", "warning")
    assert (problem.code, str(problem)) == ("", "warning: reason (at byte 3, row 1)")


# -- the receive buffer and the framing table --------------------------------------------


def test_row_buffer_slices_the_callers_bytes_when_empty():
    """With nothing buffered the view is the caller's bytes; only the rest is kept."""
    buffer = RowBuffer()
    data = b"0:1\n1:2"
    view = buffer.extend(data)
    assert view is data
    buffer.consume(view, 4)
    assert (bytes(buffer.pending()), buffer.base) == (b"1:2", 4)
    view = buffer.extend(b"3\n")
    assert view is buffer.pending()
    assert bytes(view) == b"1:23\n"


def test_row_buffer_memo_follows_the_consumed_bytes():
    """The LF-search memo is a buffer index: it moves back by what a read consumed."""
    buffer = RowBuffer()
    view = buffer.extend(b"0:1\n1:22")
    buffer.wait_for_lf(len(view))
    buffer.consume(view, 4)
    assert buffer.searched == 4  # "1:22" was searched already
    buffer.clear(4)
    assert (len(buffer), buffer.base) == (0, 8)


def test_a_pending_length_row_is_not_read_again_until_its_bytes_are_in():
    """While a ``T`` row's bytes trickle in, feeds only buffer; the row comes whole."""
    decoder = FlightDecoder()
    assert decoder.feed(b"0:1\n1:T8,ab") == [ModelRow(0, "", 0, 4, "1")]
    reads = []
    reader = decoder._reader
    decoder._reader = lambda *args: reads.append(1) or reader(*args)
    for byte in b"cdef":
        assert decoder.feed(bytes([byte])) == []
    assert reads == []
    (row,) = decoder.feed(b"gh0:2\n")[:1]
    assert (row.payload, row.offset, row.size, decoder.offset) == ("abcdefgh", 4, 13, 21)
    assert reads == [1]


@pytest.mark.parametrize(
    ("data", "final", "framing"),
    [
        (b"J0:1\n", False, "tag-first"),
        (b"\r\nM1:{}", False, "tag-first"),
        (b"0:1\n", False, "id-first"),
        (b"J1", False, None),
        (b"J1", True, "id-first"),
        (b"\n\n", False, None),
        (b"\n\n", True, "id-first"),
        (b"J" + b"1" * 17, False, "id-first"),
    ],
)
def test_the_first_header_decides_the_framing(data, final, framing):
    """Tag-first rows are recognised by their first header; a prefix waits for more."""
    assert decide_framing(data, final) == framing


def test_feed_after_close_is_a_usage_error():
    """The decoder cannot be reused after close()."""
    decoder = FlightDecoder()
    decoder.close()
    with pytest.raises(RuntimeError):
        decoder.feed(b"0:1\n")


# -- cost --------------------------------------------------------------------------------


def test_byte_at_a_time_on_a_large_newline_row_completes():
    """A 1 MB newline row fed byte by byte is searched once (quadratic would not finish)."""
    data = b'0:"' + b"a" * 1_000_000 + b'"\n'
    rows, _ = tokenize_chunks(bytewise(data))
    assert len(rows[0].payload) == 1_000_002


def test_byte_at_a_time_on_a_large_text_row_completes():
    """A 1 MB text row fed byte by byte waits on a byte count."""
    data = text_row(1, "b" * 1_000_000)
    rows, _ = tokenize_chunks(bytewise(data))
    assert len(rows[0].payload) == 1_000_000
