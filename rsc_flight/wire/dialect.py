"""Flight dialects and how the tokenizer tells them apart.

The wire format changed several times between the React build Next 13.0 vendored and React
19.3 (see ``docs/format.md``).  Only the 2022 tag-first dialect frames rows differently; the
others differ in which tags and ``$`` codes appear.  The tokenizer records the newest dialect
whose features it has seen, so ``Dialect`` is a best guess that only ever moves forward:
:func:`row_evidence` says what one row proves.
"""

from __future__ import annotations

import enum

from .rows import BinaryRow, CloseRow, ImportRow, Row, StreamRow

__all__ = ["Dialect", "row_evidence"]


class Dialect(enum.Enum):
    """A family of flight payloads, named after the protocol notes (F0-F3, React 19.x)."""

    #: Id-first rows with no feature that dates them (plain model rows only).
    GENERIC = "generic"
    #: Tag before the id (``J0:``, ``M1:``), ``@hex`` lazies.
    #: React experimental 2022, Next 13.0-13.1.
    F0 = "F0"
    #: Id-first, newline-only rows, object-form ``I`` rows.
    #: Next 13.2-13.3 (or a 13.4 payload that happens to have no ``T`` row).
    F1 = "F1"
    #: Length-prefixed ``T`` rows with object-form ``I`` rows; Next 13.4-13.5.
    F2 = "F2"
    #: Array-form ``I`` rows, hints with ids; React 18.3 canary of 2024 / 19.0, Next 14.1-14.2.
    F3 = "F3"
    #: The 2024 experimental channel's typed-array letters (``C c F d N``); Next 14 experimental.
    F3_EXPERIMENTAL = "F3-experimental"
    #: Typed-array and stream rows with hint ids: React 19.0.
    R19_0 = "19.0"
    #: Id-less hint, console and time-origin rows: React 19.1-19.2, Next 15 and 16.0.
    R19_1 = "19.1"
    #: ``b`` byte-stream rows or import-string references in ``I`` rows: React 19.3, Next 16.4.
    R19_3 = "19.3"

    @property
    def rank(self) -> int:
        """Order used to move the guess forward; ``F0`` stands apart (it is fixed at once)."""
        return _RANK[self._value_]


#: Ranks by the dialects' values (an enum member's own hash is a Python-level call, and
#: ranks are compared for every row that dates the stream).
_RANK = {
    Dialect.GENERIC.value: 0,
    Dialect.F0.value: 0,
    Dialect.F1.value: 1,
    Dialect.F2.value: 2,
    Dialect.F3.value: 3,
    Dialect.F3_EXPERIMENTAL.value: 4,
    Dialect.R19_0.value: 5,
    Dialect.R19_1.value: 6,
    Dialect.R19_3.value: 7,
}


def row_evidence(row: Row) -> Dialect | None:
    """The dialect an id-first row proves the stream to be at least, if it proves anything.

    Model rows prove nothing; ``I`` rows tell F1 (object form), F3 (array form) and 19.3
    (import-string references) apart; a ``T`` row needs F2; id-less rows need 19.1; typed
    arrays and streams need 19.0 (or the 2024 experimental letters); ``b`` needs 19.3.
    """
    tag = row.tag
    if tag == "" or tag == "#":
        return None
    if isinstance(row, ImportRow):
        text = row.payload
        if text.startswith("{"):
            return Dialect.F1
        return Dialect.R19_3 if '"$' in text else Dialect.F3
    if tag == "T":
        return Dialect.F2
    if row.id is None:
        return Dialect.R19_1
    if tag == "b":
        return Dialect.R19_3
    if isinstance(row, BinaryRow):
        return Dialect.F3_EXPERIMENTAL if tag in "CcFdN" else Dialect.R19_0
    if isinstance(row, (StreamRow, CloseRow)):
        return Dialect.R19_0
    return None
