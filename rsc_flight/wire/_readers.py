"""The row grammar: one reader per framing, chosen from a table (as h11's ``READERS``).

A reader is a function ``(decoder, view, rows, final) -> used``: it appends every complete
row at the front of ``view`` (bytes from the decoder's :class:`~._buffer.RowBuffer`) to
``rows`` and returns how many bytes they took.  It stops early when a row is cut by the end
of the chunk; ``final`` says no more bytes will come, so a cut row is then read as far as
it goes (or set aside).  Problems go through the decoder (``_report``, ``_crlf``), which
raises or records them; rows are built by its factories (``_make_row``, ``_make_f0_row``),
which own the UTF-8 policy and the tag-to-class dispatch.

Framings:

* ``"id-first"``: ``<hex id>:<tag><payload>``, every dialect since Next 13.2.  Length tags
  (``T`` and the binary letters) declare their payload size in hex bytes and have no
  terminator; every other row runs to the next LF.
* ``"tag-first"``: ``<tag><hex id>:<payload>\\n``, React's 2022 experimental builds (Next
  13.0-13.1), newline rows only.
* ``"undecided"``: before the first header; it tells the two apart and hands over.

Two things keep the work linear however the input is chunked: a header (id, tag, hex
length) is at most 35 bytes, so re-reading an incomplete one costs a bounded amount; and an
incomplete newline row leaves an LF-search memo in the buffer, so each byte is searched once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, NoReturn

from .. import _engine
from ..errors import FlightLimitError, IncompleteFlightError
from .dialect import Dialect
from .rows import (
    JSON_ROW_KINDS,
    MAX_ID_DIGITS,
    BinaryRow,
    CloseRow,
    HintRow,
    ImportRow,
    ModelRow,
    Row,
    StreamRow,
    TextRow,
    fast_constructor,
)

if TYPE_CHECKING:
    from .decoder import FlightDecoder

__all__ = ["MAX_HEX_DIGITS", "READERS", "Framing", "Reader", "readers_for"]

#: Longest length header, in hex digits (as long as the longest id): enough for any real
#: length while bounding the work spent on a garbage header.
MAX_HEX_DIGITS = MAX_ID_DIGITS

# id-first header: an id as rows.parse_hex_id reads it, then ":".  The id may be empty
# (id-less hint, console and time-origin rows of React 19.1+).  The hot loop turns the
# matched digits into an int with int(digits, 16) instead of calling parse_hex_id: the
# regex has already checked them, and the call would cost about 10% on many-row payloads.
_HEADER = re.compile(rb"([0-9a-f]{0,%d}):" % MAX_ID_DIGITS)
# hex length of a length-prefixed row, then ",".
_LENGTH = re.compile(rb"([0-9a-f]{1,%d})," % MAX_HEX_DIGITS)
# a run of hex digits (used to tell an incomplete header from a broken one).
_HEX_RUN = re.compile(rb"[0-9a-f]*")
# 2022 tag-first header: tag letter, hex id, ":".
_F0_HEADER = re.compile(rb"([JMSPE])([0-9a-f]{1,%d}):" % MAX_ID_DIGITS)
_F0_PARTIAL = re.compile(rb"[JMSPE][0-9a-f]{0,%d}" % MAX_ID_DIGITS)

# What the byte after "<id>:" means (the ROW_TAG state of React's client).
_WAIT = -1  # not known until more bytes arrive
_MODEL = 0  # not a tag: the byte is the first byte of a JSON model row
_BY_LENGTH = 1  # length tag: hex length, ",", payload bytes
_BY_NEWLINE = 2  # newline tag: payload up to LF
_MAYBE_LENGTH = 3  # 2024 experimental typed-array letter if hex and "," follow

_TAG_KIND = [_MODEL] * 256
for _c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ#rx":
    _TAG_KIND[_c] = _BY_NEWLINE
for _c in b"TAOoUSsLlGgMmVb":
    _TAG_KIND[_c] = _BY_LENGTH
for _c in b"CcFdN":
    _TAG_KIND[_c] = _MAYBE_LENGTH
del _c

_NL = b"\n"
_NEW_MODEL = fast_constructor(ModelRow)

Buffer = bytes | bytearray
#: ``(decoder, view, rows, final) -> bytes used``.
Reader = Callable[["FlightDecoder", Buffer, list[Row], bool], int]
#: A decoder row factory: ``(row_id, tag, offset, size, raw payload) -> Row``.
_Factory = Callable[[int | None, str, int, int, Buffer], Row]


#: How rows are framed; decided by the first header, then fixed.  (Plain strings rather
#: than an enum: the table lookup happens once per decoder, and an enum's hash is a Python
#: call that made decoding a small payload measurably slower.)
Framing = Literal["undecided", "id-first", "tag-first"]


def decide_framing(buf: Buffer, final: bool) -> Framing | None:
    """Tell the 2022 tag-first framing from id-first rows by the first header.

    ``None`` means the bytes so far cannot tell (``"J"``, ``"J1"``: wait for the ``":"``).
    """
    i = 0
    n = len(buf)
    while i < n and buf[i] in b"\r\n":  # leading blank lines say nothing
        i += 1
    if i == n:
        return "id-first" if final else None
    if _F0_HEADER.match(buf, i):
        return "tag-first"
    if not final and _F0_PARTIAL.fullmatch(buf, i) and n - i <= MAX_ID_DIGITS + 1:
        return None
    return "id-first"


def read_undecided(dec: FlightDecoder, buf: Buffer, rows: list[Row], final: bool) -> int:
    """Before the first header: decide the framing, then read with its reader."""
    framing = decide_framing(buf, final)
    if framing is None:
        return 0
    reader = dec._set_framing(framing)
    return reader(dec, buf, rows, final)


def read_id_first(dec: FlightDecoder, buf: Buffer, rows: list[Row], final: bool) -> int:
    """Rows ``<hex id>:<tag><payload>``: the hot loop of the package.

    Names are bound to locals, and the commonest row (an untagged model row in valid UTF-8,
    LF-terminated) is built here without a call to the row factory; the rarer shapes are
    handled by the helpers below.
    """
    n = len(buf)
    pos = 0
    buffer = dec._buffer
    base = buffer.base
    max_row = dec.limits.max_row_bytes
    # Rows this call may still add before max_rows is reached.
    room = dec.limits.max_rows - dec._rows + len(rows)
    first = len(rows)
    resume = buffer.searched  # the memo is taken (a read that waits sets it anew)
    buffer.searched = 0
    header_match = _HEADER.match
    find = buf.find
    tag_kind = _TAG_KIND
    make = dec._make_row
    new_model = _NEW_MODEL
    while pos < n:
        if len(rows) >= room:
            _too_many_rows(dec, base + pos)
        m = header_match(buf, pos)
        if m is None:
            skip = _bad_header(dec, buf, pos, final, resume)
            if skip == 0:
                break
            pos += skip
            continue
        id_text = m.group(1)
        row_id = int(id_text, 16) if id_text else None
        q = m.end()
        if q >= n:
            if not final:
                break
            # "<id>:" at the very end: an empty (halted) model row.
            rows.append(make(row_id, "", base + pos, n - pos, b""))
            pos = n
            continue
        tag_byte = buf[q]
        kind = tag_kind[tag_byte]
        if kind == _MAYBE_LENGTH:
            kind = _length_or_not(buf, q, final)
            if kind == _WAIT:
                break
        if kind == _BY_LENGTH:
            step = _read_length_row(dec, buf, pos, q, row_id, final, resume, rows)
            if step == 0:
                break
            pos += step
            continue
        if kind == _BY_NEWLINE:
            tag = chr(tag_byte)
            q += 1
        else:
            tag = ""
        nl = find(_NL, resume if resume > q else q)
        if nl < 0:
            pos = _read_unterminated(dec, buf, pos, q, row_id, tag, final, rows)
            break
        if nl - q > max_row:
            _row_too_long(dec, nl - q, base + pos, row_id)
        if tag == "" and buf[nl - 1] != 13:
            # Fast path for the commonest row: a model row, valid UTF-8, LF-terminated.
            try:
                text = buf[q:nl].decode()
            except UnicodeDecodeError:
                pass
            else:
                rows.append(new_model(row_id, "", base + pos, nl + 1 - pos, text))
                pos = nl + 1
                continue
        rows.append(_line_row(dec, make, buf, pos, q, nl, nl + 1, row_id, tag))
        pos = nl + 1
    dec._rows += len(rows) - first
    return pos


def _length_or_not(buf: Buffer, q: int, final: bool) -> int:
    """The kind of a ``C c F d N`` tag at ``q``: a length row if ``<hex>,`` follows.

    Otherwise the upper-case letters are newline tags (``C`` close, ``N`` time origin) and
    the lower-case ones start a model row; ``_WAIT`` when the next chunk decides.
    """
    if _LENGTH.match(buf, q + 1) is not None:
        return _BY_LENGTH
    if not final and _incomplete_hex(buf, q + 1, len(buf)):
        return _WAIT
    return _BY_NEWLINE if 65 <= buf[q] <= 90 else _MODEL


def _read_length_row(
    dec: FlightDecoder,
    buf: Buffer,
    pos: int,
    q: int,
    row_id: int | None,
    final: bool,
    resume: int,
    rows: list[Row],
) -> int:
    """Read ``<tag><hex length>,<bytes>`` (tag at ``q``); return the bytes used, 0 to wait."""
    n = len(buf)
    tag_byte = buf[q]
    lm = _LENGTH.match(buf, q + 1)
    if lm is None:
        if not final and _incomplete_hex(buf, q + 1, n):
            return 0
        reason = f"bad length header after tag {chr(tag_byte)!r}"
        return _skip_line(dec, buf, pos, final, "bad-length", reason, row_id, resume)
    length = int(lm.group(1), 16)
    max_row = dec.limits.max_row_bytes
    offset = dec._buffer.base + pos
    if length > max_row:
        raise FlightLimitError(
            f"row declares {length} bytes, over max_row_bytes={max_row}",
            offset=offset,
            row_id=row_id,
        )
    start = lm.end()
    end = start + length
    if end > n:
        if not final:
            dec._buffer.wait_for_bytes(end)
            return 0
        dec._report(
            "truncated-row",
            f"{chr(tag_byte)!r} row declares {length} bytes but the input ends after {n - start}",
            offset,
            row_id,
            bytes(buf[pos:n]),
            error=IncompleteFlightError,
        )
        return n - pos
    rows.append(dec._make_row(row_id, chr(tag_byte), offset, end - pos, buf[start:end], True))
    return end - pos


def _read_unterminated(
    dec: FlightDecoder,
    buf: Buffer,
    pos: int,
    q: int,
    row_id: int | None,
    tag: str,
    final: bool,
    rows: list[Row],
) -> int:
    """A newline row with no LF yet: wait for it, or (at the end) take the rest as the row.

    Returns where reading stops: ``pos`` to wait, the end of ``buf`` once the row is taken.
    """
    n = len(buf)
    max_row = dec.limits.max_row_bytes
    if n - q > max_row:
        raise FlightLimitError(
            f"row runs over max_row_bytes={max_row} without a newline",
            offset=dec._buffer.base + pos,
            row_id=row_id,
        )
    if not final:
        dec._buffer.wait_for_lf(n)
        return pos
    # The stream ended inside a newline row: it was cut.  React's client never reads such
    # a row (it waits for the LF); a row read anyway could be a prefix that still parses
    # (``1:12345`` cut to ``1:12``).  So it is set aside like a length row cut short.
    dec._report(
        "truncated-row",
        "the stream ends inside a row (no newline): the row was cut and is not read",
        dec._buffer.base + pos,
        row_id,
        bytes(buf[pos:n]),
        error=IncompleteFlightError,
    )
    return n


def read_tag_first(dec: FlightDecoder, buf: Buffer, rows: list[Row], final: bool) -> int:
    """Rows ``<tag><hex id>:<payload>\\n`` of React's 2022 experimental builds."""
    n = len(buf)
    pos = 0
    buffer = dec._buffer
    base = buffer.base
    first = len(rows)
    room = dec.limits.max_rows - dec._rows + first
    resume = buffer.searched  # the memo is taken (a read that waits sets it anew)
    buffer.searched = 0
    make = dec._make_f0_row
    while pos < n:
        if len(rows) >= room:
            _too_many_rows(dec, base + pos)
        if buf[pos] == 10:  # F0 clients ignore empty lines; we note them
            _blank_line(dec, base + pos)
            pos += 1
            continue
        m = _F0_HEADER.match(buf, pos)
        if m is None:
            if not final and _F0_PARTIAL.fullmatch(buf, pos) and n - pos <= MAX_ID_DIGITS + 1:
                break
            reason = "not a tag-first row header"
            skip = _skip_line(dec, buf, pos, final, "bad-header", reason, None, resume)
            if skip == 0:
                break
            pos += skip
            continue
        tag = m.group(1).decode()
        row_id = int(m.group(2), 16)
        q = m.end()
        nl = buf.find(_NL, resume if resume > q else q)
        if nl < 0:
            if n - q > dec.limits.max_row_bytes:
                raise FlightLimitError(
                    f"row runs over max_row_bytes={dec.limits.max_row_bytes}",
                    offset=base + pos,
                    row_id=row_id,
                )
            if not final:
                buffer.wait_for_lf(n)
                break
            nl = n
        end = min(nl + 1, n)
        rows.append(_line_row(dec, make, buf, pos, q, nl, end, row_id, tag))
        pos = end
    dec._rows += len(rows) - first
    return pos


def _line_row(
    dec: FlightDecoder,
    make: _Factory,
    buf: Buffer,
    pos: int,
    q: int,
    nl: int,
    end: int,
    row_id: int | None,
    tag: str,
) -> Row:
    """The newline row from ``pos`` to ``end``: payload ``buf[q:nl]`` less a trailing CR."""
    offset = dec._buffer.base + pos
    payload = buf[q:nl]
    if payload.endswith(b"\r"):
        payload = payload[:-1]
        dec._crlf(offset, row_id)
    return make(row_id, tag, offset, end - pos, payload)


def _bad_header(dec: FlightDecoder, buf: Buffer, pos: int, final: bool, resume: int) -> int:
    """Handle bytes at ``pos`` that are not an id-first header; return how many to skip.

    Returns 0 when the header may still be completed by the next chunk.
    """
    if buf[pos] == 10:
        _blank_line(dec, dec._buffer.base + pos)
        return 1
    if not final and _incomplete_hex(buf, pos, len(buf)):
        return 0
    reason = "not a row header (expected '<hex id>:')"
    return _skip_line(dec, buf, pos, final, "bad-header", reason, None, resume)


def _skip_line(
    dec: FlightDecoder,
    buf: Buffer,
    pos: int,
    final: bool,
    code: str,
    reason: str,
    row_id: int | None,
    resume: int,
) -> int:
    """Set aside everything up to and including the next LF as a diagnostic.

    Returns 0 (and remembers how far it searched) when the LF has not arrived yet.
    """
    nl = buf.find(_NL, resume if resume > pos else pos)
    if nl < 0:
        if not final:
            max_row = dec.limits.max_row_bytes
            if len(buf) - pos > max_row:
                raise FlightLimitError(
                    f"garbage runs over max_row_bytes={max_row}",
                    offset=dec._buffer.base + pos,
                )
            dec._buffer.wait_for_lf(len(buf))
            return 0
        nl = len(buf) - 1
    raw = bytes(buf[pos : nl + 1])
    dec._report(code, reason, dec._buffer.base + pos, row_id, raw)
    return nl + 1 - pos


def _blank_line(dec: FlightDecoder, offset: int) -> None:
    dec._report("blank-line", "blank line between rows", offset, None, b"\n", severity="warning")


def _too_many_rows(dec: FlightDecoder, offset: int) -> NoReturn:
    raise FlightLimitError(f"more than max_rows={dec.limits.max_rows} rows", offset=offset)


def _row_too_long(dec: FlightDecoder, size: int, offset: int, row_id: int | None) -> NoReturn:
    max_row = dec.limits.max_row_bytes
    raise FlightLimitError(
        f"row of {size} bytes is over max_row_bytes={max_row}", offset=offset, row_id=row_id
    )


def _incomplete_hex(buf: Buffer, start: int, n: int) -> bool:
    """True when ``buf[start:n]`` could still grow into ``<hex digits>`` + separator."""
    return n - start <= MAX_HEX_DIGITS and _HEX_RUN.fullmatch(buf, start, n) is not None


#: The reader for each framing: the reference (pure-Python) engine.
READERS: dict[Framing, Reader] = {
    "undecided": read_undecided,
    "id-first": read_id_first,
    "tag-first": read_tag_first,
}

_NATIVE_READERS: dict[Framing, Reader] = {}

#: The id-first dialects by rank, as the native reader moves ``decoder._dialect`` forward.
_DIALECTS_BY_RANK = tuple(
    sorted((d for d in Dialect if d is not Dialect.F0), key=lambda dialect: dialect.rank)
)


def _tagged_rows(cscan: object) -> dict[str, tuple[type[Row], int]]:
    """The tagged newline rows the native reader builds: ``{tag: (class, kind)}``, the
    kind telling it which evidence of ``dialect.row_evidence`` the class gives."""

    def kind(cls: type[Row]) -> int:
        if cls is ImportRow:
            return int(cscan.ROW_IMPORT)  # type: ignore[attr-defined]
        if cls in (StreamRow, CloseRow):
            return int(cscan.ROW_STREAM)  # type: ignore[attr-defined]
        return int(cscan.ROW_PLAIN)  # type: ignore[attr-defined]

    table = {tag: (cls, kind(cls)) for tag, cls in JSON_ROW_KINDS.items()}
    table["H"] = (HintRow, int(cscan.ROW_HINT))  # type: ignore[attr-defined]
    table["#"] = (ModelRow, int(cscan.ROW_MODEL))  # type: ignore[attr-defined]
    return table


def readers_for(engine: _engine.Engine) -> dict[Framing, Reader]:
    """The reader table of ``engine``.

    The native one differs in one entry: ``"id-first"`` is the C reader of
    ``rsc_flight/wire/_cscan.c``, built (once, on first use) from this module's helpers,
    which it calls for every rare path, so that both engines report problems in the same
    words.  Undecided and tag-first framing stay in Python: they are rare and cheap.  It
    builds the tagged JSON rows (and hint rows) itself from the decoder's own table of
    classes, each with the kind of evidence ``dialect.row_evidence`` takes from it, and
    the complete length rows (``TextRow`` in valid UTF-8, ``BinaryRow``) as
    ``decoder._make_row`` builds them, dating the stream as ``row_evidence`` does.
    """
    if engine == "python":
        return READERS
    if not _NATIVE_READERS:
        cscan = _engine.native_module("rsc_flight.wire._cscan")
        native: Reader = cscan.IdFirstReader(
            model_row=ModelRow,
            tag_kinds=bytes(_TAG_KIND),
            max_digits=MAX_ID_DIGITS,
            bad_header=_bad_header,
            read_length_row=_read_length_row,
            read_unterminated=_read_unterminated,
            line_row=_line_row,
            too_many_rows=_too_many_rows,
            row_too_long=_row_too_long,
            tagged_rows=_tagged_rows(cscan),
            dialects=_DIALECTS_BY_RANK,
            text_row=TextRow,
            binary_row=BinaryRow,
        )
        _NATIVE_READERS.update(READERS)
        _NATIVE_READERS["id-first"] = native
    return _NATIVE_READERS
