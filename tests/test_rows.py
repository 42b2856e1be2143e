"""Row objects: value semantics, the tokenizer's fast constructor, pickling."""

from __future__ import annotations

import pickle

import attrs
import pytest
from hypothesis import given, strategies as st

import rsc_flight.wire
from rsc_flight import FlightSyntaxError, IncompleteFlightError
from rsc_flight.wire import ModelRow, Row, row_json
from rsc_flight.wire._readers import _HEADER
from rsc_flight.wire.rows import MAX_ID_DIGITS, fast_constructor, hex_id, parse_hex_id

from .conftest import DATA
from .helpers import tokenize

# The row kinds are public in rsc_flight.wire: go through its __all__.
ROW_KINDS = [
    cls
    for cls in (getattr(rsc_flight.wire, name) for name in rsc_flight.wire.__all__)
    if isinstance(cls, type) and issubclass(cls, Row) and cls is not Row
]


def sample_values(cls: type[Row]) -> list[object]:
    values: list[object] = []
    for field in attrs.fields(cls):
        values.append(
            {
                "id": 31,
                "tag": "X",
                "offset": 7,
                "size": 9,
                "code": "L",
                "payload": b"\x00" if field.type in ("bytes", bytes) else "text",
            }[field.name]
        )
    return values


@pytest.mark.parametrize("cls", ROW_KINDS, ids=lambda c: c.__name__)
def test_fast_constructor_builds_equal_rows(cls):
    """The tokenizer's slot-filling constructor gives the same value as attrs' __init__."""
    values = sample_values(cls)
    fast = fast_constructor(cls)(*values)
    assert type(fast) is cls
    assert fast == cls(*values)
    assert hash(fast) == hash(cls(*values))
    assert repr(fast) == repr(cls(*values))


def test_rows_are_frozen():
    """Rows cannot be changed after they are made."""
    row = ModelRow(0, "", 0, 4, "1")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        row.payload = "2"  # type: ignore[misc]


def test_rows_and_errors_pickle():
    """Rows and errors cross process boundaries (batch runs use several processes)."""
    rows, _ = tokenize((DATA / "handmade" / "r19.3-imports.txt").read_bytes())
    assert pickle.loads(pickle.dumps(rows)) == rows
    for error in (
        FlightSyntaxError("bad", offset=3, row_id=4),
        IncompleteFlightError("cut", offset=9, row_id=None),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert (copy.reason, copy.offset, copy.row_id, str(copy)) == (
            error.reason,
            error.offset,
            error.row_id,
            str(error),
        )


def test_every_row_kind_is_public_and_covered():
    from rsc_flight.wire import rows as _rows

    defined = {
        cls
        for cls in vars(_rows).values()
        if isinstance(cls, type) and issubclass(cls, Row) and cls is not Row
    }
    assert set(ROW_KINDS) == defined


# -- hex row ids --------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=16**MAX_ID_DIGITS - 1))
def test_hex_id_round_trips(row_id):
    """parse_hex_id reads back what hex_id writes, for every id a header can hold."""
    assert parse_hex_id(hex_id(row_id)) == row_id
    assert parse_hex_id(hex_id(row_id).encode()) == row_id


@pytest.mark.parametrize(
    "text", ["", "1F", "0x1f", "-1", " 1", "1_0", "g", "\u0661", "\uff11", "1" * 17, "1f:"]
)
def test_parse_hex_id_refuses_what_react_never_writes(text):
    """Upper case, prefixes, signs, non-ASCII digits (int() takes them) and long runs."""
    assert parse_hex_id(text) is None


@given(st.text(alphabet="0123456789abcdefABCDEFgxz_ \u0661", max_size=18))
def test_parse_hex_id_is_the_row_header_grammar(text):
    """The tokenizer's header regex accepts exactly the ids parse_hex_id reads."""
    data = text.encode() + b":"
    m = _HEADER.fullmatch(data)
    expected = parse_hex_id(text) if text else None
    assert (m is not None) == (expected is not None or text == "")
    if m is not None and text:
        assert int(m.group(1), 16) == expected


def test_row_json_writes_ids_with_hex_id():
    """`rsc-flight rows` shows ids as React writes them, id-less rows as null."""
    assert row_json(ModelRow(0x1F, "", 0, 6, "1"))["id"] == "1f"
    assert row_json(ModelRow(None, "", 0, 6, "1"))["id"] is None
