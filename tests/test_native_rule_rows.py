"""The rule choice's reading of the rows in C (``_crevive.rule_evidence``) against its Python
twin (``rule_set._evidence_python``): the same answer, whether a path reference is in a model
row and what the first telling row says, on random rows (references with and without codes
to model, error and other rows, path references, objects written twice, object-form ``I``
rows, 1-, 2- and 4-byte text), under every search budget, on written row streams and on the
corpus."""

from __future__ import annotations

import pytest
from hypothesis import example, given, strategies as st

from rsc_flight import FlightDecoder, _engine
from rsc_flight.model import rule_set
from rsc_flight.wire.dialect import Dialect
from rsc_flight.wire.rows import ErrorRow, HintRow, ImportRow, ModelRow, Row, TextRow

from .conftest import corpus_files
from .flight_writer import write
from .strategies import rows as row_specs

pytestmark = pytest.mark.skipif(_engine.ENGINE != "native", reason="no native engine")

WANTS = (rule_set._PATHS, rule_set._VERDICT, rule_set._PATHS | rule_set._VERDICT)
DEFAULT_SEARCH = (rule_set._SEARCH_PASSES, rule_set._SEARCH_FLOOR)


def _native(rows: list[Row], want: int, search: tuple[int, int] = DEFAULT_SEARCH) -> object:
    module = _engine.native_module("rsc_flight._crevive")
    return module.rule_evidence(rows, want, (ModelRow, ImportRow, ErrorRow, *search))


def _alike(rows: list[Row], search: tuple[int, int] = DEFAULT_SEARCH) -> None:
    for want in WANTS:
        expected = rule_set._evidence_python(rows, want, search)
        assert _native(rows, want, search) == expected, (want, search)


def _decoded(data: bytes) -> list[Row]:
    decoder = FlightDecoder()
    return [*decoder.feed(data), *decoder.close()]


# -- random rows --------------------------------------------------------------------------

_IDS = st.integers(0, 7)
_reference = st.builds(
    lambda code, row_id: f'"${code}{row_id:x}"',
    st.sampled_from(["", "", "Q", "W", "K", "h", "i", "L", "@"]),
    _IDS,
)
_piece = st.one_of(
    _reference,
    st.sampled_from(
        [
            '"$3:a"',  # a path reference
            '"$"',
            '"$$"',
            '"$' + "a" * 17 + '"',  # an id too long
            '"$' + "f" * 16 + '"',
            '{"a":',
            "[",
            "]",
            "}",
            ",",
            '"x"',
            '"é"',
            '"😀"',
            '"\u0124"',  # a code unit whose low byte is "$"
            "\U00010024",  # a code point whose low bits are "$"
            '"$1"$2:"',  # a path reference at a row reference's closing quote
        ]
    ),
)
_text = st.lists(_piece, max_size=10).map("".join)


_KINDS = ["model", "model", "model", "error", "array", "object", "text", "hint"]


@st.composite
def _random_rows(draw: st.DrawFn) -> list[Row]:
    """Rows of every kind the choice tells apart, some model rows holding another's text."""
    kinds = draw(st.lists(st.sampled_from(_KINDS), max_size=10))
    texts: list[str] = []
    rows: list[Row] = []
    for kind in kinds:
        row_id = draw(st.one_of(_IDS, st.sampled_from([None, 1 << 64, (1 << 64) + 1, 1 << 70])))
        text = draw(_text)
        again: bool = draw(st.booleans())  # another's text, inside this one: written twice
        if texts and again:
            text = draw(st.sampled_from(["", "[", '{"a":'])) + draw(st.sampled_from(texts)) + text
        if kind == "model":
            texts.append(text)
            rows.append(ModelRow(row_id, "", 0, 0, text))
        elif kind == "error":
            rows.append(ErrorRow(row_id, "E", 0, 0, '{"digest":""}'))
        elif kind in ("array", "object"):
            payload = '["m",[],""]' if kind == "array" else '{"id":"m"}'
            rows.append(ImportRow(row_id, "I", 0, 0, payload))
        elif kind == "text":
            rows.append(TextRow(row_id, "T", 0, 0, text))
        else:
            rows.append(HintRow(None, "H", 0, 0, "L", '["a"]'))
    return rows


_searches = st.one_of(st.just(DEFAULT_SEARCH), st.tuples(st.integers(0, 2), st.integers(0, 60)))


@given(_random_rows(), _searches)
@example([ModelRow(0, "", 0, 0, '["$1"]'), ErrorRow(1, "E", 0, 0, "{}")], DEFAULT_SEARCH)
@example(
    [ModelRow(0, "", 0, 0, '["$W1","$2"]'), ModelRow(1, "", 0, 0, '["$W1","$2"]')], DEFAULT_SEARCH
)
@example(  # the budget runs out before the row that holds the text again
    [
        ModelRow(0, "", 0, 0, '["$1"]'),
        ModelRow(1, "", 0, 0, "0123456789"),
        ModelRow(2, "", 0, 0, '[["$1"]]'),
    ],
    (0, 15),
)
@example([ImportRow(1, "I", 0, 0, '{"id":"x"}'), ModelRow(0, "", 0, 0, '"$1:a"')], DEFAULT_SEARCH)
@example(  # an error named after the row is told; a path reference later in the same row
    [ModelRow(0, "", 0, 0, '["$1","$2:a"]'), ErrorRow(1, "E", 0, 0, "{}")], DEFAULT_SEARCH
)
def test_random_rows_say_the_same_in_c_and_python(rows, search):
    _alike(rows, search)


@given(row_specs)
def test_written_rows_say_the_same(specs):
    _alike(_decoded(write(specs) + b':HL["a"]\n'))


def test_corpus_rows_say_the_same():
    paths = corpus_files("real/**/*.txt", "captured/**/*.rsc", "realworld/**/*.txt", "seeds/*.txt")
    for path in paths:
        _alike(_decoded(path.read_bytes()))


def test_a_payload_that_cannot_tell_says_nothing():
    rows = _decoded(b"0:null\n")
    assert _native(rows, 3) == (False, None)
    assert _native([], 3) == (False, None) == rule_set._evidence_python([], 3)
    assert _native(rows, rule_set._VERDICT) == (None, None)


def test_the_first_object_import_says_18_and_paths_are_still_found():
    rows = _decoded(b'1:I["1",[],""]\n2:I{"id":"2"}\n0:"x"\n3:"$0:a"\n')
    assert _native(rows, 3) == (True, "18") == rule_set._evidence_python(rows, 3)
    assert _native(rows, rule_set._VERDICT) == (None, "18")


@pytest.mark.parametrize("before", range(10))
def test_a_reference_is_found_at_every_position_of_a_2_and_a_4_byte_str(before):
    # 2- and 4-byte strs are searched for "$" many code units at a time: each position,
    # and code units whose low bits are "$" (U+0124, U+10024) next to it
    for filler in ("\u0151", "\u0124", "\U0001f600", "\U00010024"):
        text = filler * before + '"$1f"' + filler * 3
        rows: list[Row] = [ModelRow(0, "", 0, 0, text), ErrorRow(0x1F, "E", 0, 0, "{}")]
        assert _native(rows, 3) == (False, "19") == rule_set._evidence_python(rows, 3)
        rows = [ModelRow(0, "", 0, 0, filler * before + '"$2:a"' + filler)]
        assert _native(rows, 3) == (True, "19") == rule_set._evidence_python(rows, 3)


def test_odd_rows_are_left_to_the_twin():
    # (not what a decoder makes: an id that is not an int, a payload that is not a str)
    rows: list[Row] = [ModelRow(0, "", 0, 0, '["$1"]'), ErrorRow("1", "E", 0, 0, "{}")]  # type: ignore[arg-type]
    assert _native(rows, 3) is NotImplemented
    assert rule_set._evidence(rows, 3) == rule_set._evidence_python(rows, 3) == (False, None)
    assert _native([ModelRow(0, "", 0, 0, b"[]")], 3) is NotImplemented  # type: ignore[arg-type]
    assert rule_set.settle(Dialect.GENERIC, rows) == (Dialect.GENERIC, "19")


def test_bad_arguments_are_errors():
    module = _engine.native_module("rsc_flight._crevive")
    with pytest.raises(TypeError):
        module.rule_evidence([], 3)
    with pytest.raises(TypeError):
        module.rule_evidence(5, 3, (ModelRow, ImportRow, ErrorRow, 4, 0))
    with pytest.raises(TypeError):
        module.rule_evidence([], 3, ("ModelRow", ImportRow, ErrorRow, 4, 0))
    with pytest.raises(TypeError):
        module.rule_evidence([], "3", (ModelRow, ImportRow, ErrorRow, 4, 0))
    with pytest.raises(ValueError, match="negative"):
        module.rule_evidence([], 3, (ModelRow, ImportRow, ErrorRow, -1, 0))


class _Shadowed(ModelRow):
    """A model row whose payload and id are properties, not the slots the C reads in the
    decoder's own rows: the C must read what a getattr gives."""

    @property
    def payload(self) -> str:
        return '["$1","$W2"]'

    @property
    def id(self) -> int:
        return 2


def _shadowed() -> _Shadowed:
    """A _Shadowed row whose slots hold id 5 and "null" (attrs' __init__ would set the
    properties)."""
    row = object.__new__(_Shadowed)
    for name, value in (("id", 5), ("tag", ""), ("offset", 0), ("size", 0)):
        getattr(Row, name).__set__(row, value)
    ModelRow.payload.__set__(row, "null")  # type: ignore[attr-defined]
    return row


def test_rows_whose_attributes_are_not_slots_are_read_by_getattr():
    shadowed = _shadowed()
    rows: list[Row] = [shadowed, ErrorRow(1, "E", 0, 0, "{}")]
    assert _native(rows, 3) == (False, "19") == rule_set._evidence_python(rows, 3)
    # its id is 2 (the property), so "$W2" names it: a cycle in the making, written again
    rows = [ModelRow(0, "", 0, 0, '["$W2"]'), shadowed, ModelRow(3, "", 0, 0, '[["$W2"]]')]
    _alike(rows)
    assert _native(rows, 2) == (None, "18")
