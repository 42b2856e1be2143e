"""Rows: what the tokenizer produces.

A flight stream is a sequence of rows ``<hex id>:<tag><payload>``.  Each row kind is a
small frozen attrs class; all share ``id``, ``tag``, ``offset`` (absolute byte offset of the
row's first byte in the stream) and ``size`` (bytes the row takes on the wire, header and
terminator included), and carry a ``payload`` whose type depends on the kind:

* JSON rows (model, import, hint, error, debug, stream...) keep their JSON **text** (``str``),
  undecoded: the resolver parses it when it needs it, as React's client does.
* ``T`` text rows keep the text (``str``), which is raw, never JSON or ``$``-escaped.
* binary rows keep ``bytes``.
* rows with a tag the tokenizer does not know keep their raw ``bytes``.

Dispatch with ``match``: ``case TextRow(id=i, payload=text): ...``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import attrs

__all__ = [
    "BINARY_TYPES",
    "JSON_ROW_KINDS",
    "BinaryRow",
    "CloseRow",
    "DebugRow",
    "ErrorRow",
    "HintRow",
    "ImportRow",
    "ModelRow",
    "PostponeRow",
    "ProviderRow",
    "Row",
    "StreamRow",
    "SymbolRow",
    "TextRow",
    "UnknownRow",
    "hex_id",
    "parse_hex_id",
    "row_json",
]

#: JavaScript type each binary row tag stands for.  ``C c F d N`` are the letters of the
#: 2024 experimental channel (Next 14 with experimental React), which later became
#: ``O o G g M``; ``b`` is a chunk of a byte stream (React 19.3+).
BINARY_TYPES: dict[str, str] = {
    "A": "ArrayBuffer",
    "O": "Int8Array",
    "o": "Uint8Array",
    "U": "Uint8ClampedArray",
    "S": "Int16Array",
    "s": "Uint16Array",
    "L": "Int32Array",
    "l": "Uint32Array",
    "G": "Float32Array",
    "g": "Float64Array",
    "M": "BigInt64Array",
    "m": "BigUint64Array",
    "V": "DataView",
    "b": "Uint8Array",
    "C": "Int8Array",
    "c": "Uint8Array",
    "F": "Float32Array",
    "d": "Float64Array",
    "N": "BigInt64Array",
}


@attrs.frozen
class Row:
    """Fields every row has.

    Attributes:
        id: the row id as an int, or ``None`` for id-less rows (``:HL[...]``, ``:W[...]``,
            ``:N...``), which never stand for row 0.
        tag: the tag as written (``""`` for an untagged model row).
        offset: absolute byte offset of the row's first byte.
        size: bytes the row occupies in the stream, header and terminator included.
    """

    id: int | None
    tag: str
    offset: int
    size: int

    @property
    def end(self) -> int:
        """Offset of the first byte after this row."""
        return self.offset + self.size


@attrs.frozen
class ModelRow(Row):
    """A JSON model value for chunk ``id`` (untagged, ``#``, or ``J`` in the 2022 dialect).

    An empty payload is React 19.2+'s "halted" marker: the chunk will never resolve.
    """

    payload: str


@attrs.frozen
class TextRow(Row):
    """A ``T`` row: a large string, length-prefixed in UTF-8 bytes, not JSON-encoded."""

    payload: str


@attrs.frozen
class BinaryRow(Row):
    """A typed-array, ArrayBuffer, DataView or byte-stream-chunk row (raw bytes)."""

    payload: bytes

    @property
    def type_name(self) -> str:
        """The JavaScript type the bytes decode to, e.g. ``"Float32Array"``."""
        return BINARY_TYPES[self.tag]


@attrs.frozen
class ImportRow(Row):
    """A client-reference (module) row: ``I`` (``M`` in the 2022 dialect); JSON text."""

    payload: str


@attrs.frozen
class HintRow(Row):
    """A resource hint (``H`` + one-letter ``code`` + JSON), e.g. ``:HL["/a.css","style"]``."""

    code: str
    payload: str


@attrs.frozen
class ErrorRow(Row):
    """An ``E`` row: the chunk ``id`` failed; JSON text with a digest (and more in dev)."""

    payload: str


@attrs.frozen
class DebugRow(Row):
    """Development rows kept as debug information: ``D`` debug info, ``W`` console replay,
    ``J`` I/O info, ``N`` time origin.  JSON text."""

    payload: str


@attrs.frozen
class StreamRow(Row):
    """Opens a stream for chunk ``id``: ``R`` ReadableStream, ``r`` byte stream,
    ``X`` AsyncIterable, ``x`` AsyncIterator.  The payload is normally empty."""

    payload: str


@attrs.frozen
class CloseRow(Row):
    """``C``: closes the stream ``id``; the payload is empty or a JSON return value."""

    payload: str


@attrs.frozen
class PostponeRow(Row):
    """``P``: a postponed (PPR) chunk; empty in production, JSON in development."""

    payload: str


@attrs.frozen
class SymbolRow(Row):
    """``S`` in the 2022 tag-first dialect: a symbol name as a JSON string."""

    payload: str


@attrs.frozen
class ProviderRow(Row):
    """``P`` in the 2022 tag-first dialect: a server-context provider; the raw name."""

    payload: str


@attrs.frozen
class UnknownRow(Row):
    """A newline row whose tag no known dialect defines.  Kept raw, never dropped."""

    payload: bytes


#: Id-first newline tags whose payload is JSON text, and the row class of each (the
#: decoder's factory and the native reader both build rows from it).
JSON_ROW_KINDS: dict[str, type[Row]] = {
    "I": ImportRow,
    "E": ErrorRow,
    "D": DebugRow,
    "W": DebugRow,
    "J": DebugRow,
    "N": DebugRow,
    "R": StreamRow,
    "r": StreamRow,
    "X": StreamRow,
    "x": StreamRow,
    "C": CloseRow,
    "P": PostponeRow,
}


def fast_constructor(cls: type[Row]) -> Callable[..., Row]:
    """A positional constructor for ``cls`` that fills its slots directly.

    attrs' ``__init__`` for a frozen class goes through ``object.__setattr__`` once per
    field, which makes building a row cost about as much as tokenizing it.  The tokenizer
    builds one object per row, so it uses this instead; the result is an ordinary,
    equal-comparing instance (``tests/test_rows.py`` checks that for every kind).
    """
    names = [field.name for field in attrs.fields(cls)]
    setters = tuple(getattr(cls, name).__set__ for name in names)
    new = object.__new__
    if len(setters) == 5:
        s0, s1, s2, s3, s4 = setters

        def make5(a: object, b: object, c: object, d: object, e: object) -> Row:
            row = new(cls)
            s0(row, a)
            s1(row, b)
            s2(row, c)
            s3(row, d)
            s4(row, e)
            return row

        return make5

    def make(*values: object) -> Row:
        if len(values) != len(setters):
            raise TypeError(f"{cls.__name__} takes {len(setters)} values")
        row = new(cls)
        for setter, value in zip(setters, values, strict=True):
            setter(row, value)
        return row

    return make


#: Longest row id, in hex digits.  React folds ids into 32-bit integers; 16 digits leave
#: room for any real id while bounding the work spent on a garbage one.
MAX_ID_DIGITS = 16


def hex_id(row_id: int) -> str:
    """A row id as React writes it: lowercase hex, no prefix, no leading zeros."""
    return format(row_id, "x")


def parse_hex_id(text: str | bytes) -> int | None:
    """The row id written as ``text``, or ``None`` when it is not one.

    An id is 1 to 16 lowercase ASCII hex digits, as React writes them: not ``"1F"``,
    ``"0x1f"`` or ``"\u0661"``, all three of which Python's ``int(text, 16)`` would take.
    The empty text is no id: in a row header it marks an id-less row, in a ``$`` reference
    it is malformed; either way the caller decides.
    """
    if isinstance(text, bytes):
        valid = _HEX_ID_BYTES.fullmatch(text) is not None
    else:
        valid = _HEX_ID.fullmatch(text) is not None
    return int(text, 16) if valid else None


_HEX_ID = re.compile(f"[0-9a-f]{{1,{MAX_ID_DIGITS}}}")
_HEX_ID_BYTES = re.compile(_HEX_ID.pattern.encode())

_PREVIEW_CHARS = 80


def _preview(row: Row) -> str:
    """The start of a row's payload, hex for bytes."""
    if isinstance(row, (BinaryRow, UnknownRow)):
        head = row.payload[: _PREVIEW_CHARS // 2]
        text = head.hex()
        return text + ("…" if len(row.payload) > len(head) else "")
    payload: str = getattr(row, "payload", "")
    if isinstance(row, HintRow):
        payload = row.code + payload
    return payload[:_PREVIEW_CHARS] + ("…" if len(payload) > _PREVIEW_CHARS else "")


_KIND_NAMES = {
    "ModelRow": "model",
    "TextRow": "text",
    "BinaryRow": "binary",
    "ImportRow": "import",
    "HintRow": "hint",
    "ErrorRow": "error",
    "DebugRow": "debug",
    "StreamRow": "stream",
    "CloseRow": "close",
    "PostponeRow": "postpone",
    "SymbolRow": "symbol",
    "ProviderRow": "provider",
    "UnknownRow": "unknown",
}


def row_json(row: Row) -> dict[str, Any]:
    """What ``rsc-flight rows`` prints for a row (and ``rsc-flight inspect`` shows)."""
    return {
        "id": None if row.id is None else hex_id(row.id),
        "tag": row.tag,
        "kind": _KIND_NAMES[type(row).__name__],
        "offset": row.offset,
        "length": row.size,
        "preview": _preview(row),
    }
