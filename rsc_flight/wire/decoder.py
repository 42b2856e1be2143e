"""Stage 1: bytes to rows, sans-I/O.

Theory of operation
-------------------
A flight stream is a sequence of rows ``<hex id>:<tag><payload>``.  Rows whose tag is a
*length tag* (``T`` and the binary tags) declare their payload size in hex **bytes** and are
not terminated; every other row runs to the next LF.  React's client reads the stream with a
byte state machine (``processBinaryChunk`` in ``ReactFlightClient.js``); chunk boundaries mean
nothing, so a row, its id, its length header or a UTF-8 sequence may be cut anywhere.

:class:`FlightDecoder` keeps one ``bytearray`` of not-yet-complete input and an absolute
offset of its first byte.  Each call to :meth:`FlightDecoder.feed` appends the new bytes and
takes every complete row off the front.  Two things keep the total work linear in the input
size however it is chunked:

* a header (id, tag, hex length) is at most 35 bytes, so re-reading an incomplete header on
  the next feed costs a bounded amount;
* while a newline row is incomplete, the offset up to which the buffer has been searched for
  LF is remembered, so every byte is searched once; a length row waits for a byte count.

When the whole input arrives in one ``feed`` (the common case) the rows are sliced straight
out of the caller's ``bytes`` without copying it into the buffer first.

The 2022 tag-first dialect (``J0:[...]``) is recognised on the first row and read with its
own, newline-only framing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import (
    Diagnostic,
    FlightError,
    FlightLimitError,
    FlightSyntaxError,
    IncompleteFlightError,
)
from ..limits import DEFAULT_LIMITS, Limits
from .dialect import Dialect
from .rows import (
    BinaryRow,
    CloseRow,
    DebugRow,
    ErrorRow,
    HintRow,
    ImportRow,
    ModelRow,
    PostponeRow,
    ProviderRow,
    Row,
    StreamRow,
    SymbolRow,
    TextRow,
    UnknownRow,
    fast_constructor,
)

__all__ = ["FlightDecoder"]

#: Longest id or length header, in hex digits.  React folds ids into 32-bit integers; 16
#: digits leave room for any real id while bounding the work spent on a garbage header.
MAX_HEX_DIGITS = 16

# id-first header: up to 16 lowercase hex digits, then ":".  The id may be empty (id-less
# hint, console and time-origin rows of React 19.1+).
_HEADER = re.compile(rb"([0-9a-f]{0,%d}):" % MAX_HEX_DIGITS)
# hex length of a length-prefixed row, then ",".
_LENGTH = re.compile(rb"([0-9a-f]{1,%d})," % MAX_HEX_DIGITS)
# a run of hex digits (used to tell an incomplete header from a broken one).
_HEX_RUN = re.compile(rb"[0-9a-f]*")
# 2022 tag-first header: tag letter, hex id, ":".
_F0_HEADER = re.compile(rb"([JMSPE])([0-9a-f]{1,%d}):" % MAX_HEX_DIGITS)
_F0_PARTIAL = re.compile(rb"[JMSPE][0-9a-f]{0,%d}" % MAX_HEX_DIGITS)

# What the byte after "<id>:" means (the ROW_TAG state of React's client).
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


def _evidence(row: Row) -> Dialect | None:
    """The dialect a row proves the stream to be at least, if it proves anything."""
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


class FlightDecoder:
    """Incremental tokenizer: bytes in, :class:`~rsc_flight.Row` objects out.

    Feed it chunks in any split; the rows are the same as for one ``feed`` of the whole.

    Args:
        limits: bounds on row size and count (:data:`~rsc_flight.DEFAULT_LIMITS`).
        strict: raise a :class:`~rsc_flight.FlightError` at the first problem instead of
            recording a :class:`~rsc_flight.Diagnostic` and going on.

    Example::

        >>> dec = FlightDecoder()
        >>> rows = dec.feed(b'1:I["7",[],""]\\n0:["$","$L1",null,{}]\\n2:T5,h')
        >>> rows += dec.feed("éllo".encode())
        >>> rows += dec.close()
        >>> [(r.id, r.tag, r.payload) for r in rows]
        [(1, 'I', '["7",[],""]'), (0, '', '["$","$L1",null,{}]'), (2, 'T', 'héllo')]
    """

    def __init__(self, *, limits: Limits = DEFAULT_LIMITS, strict: bool = False) -> None:
        self.limits = limits
        self.strict = strict
        #: Problems set aside in lenient mode, in stream order.
        self.diagnostics: list[Diagnostic] = []
        self._buf = bytearray()
        self._base = 0  # absolute offset of self._buf[0]
        self._scan = 0  # buffer index up to which the pending newline row was searched
        self._rows = 0
        self._dialect = Dialect.GENERIC
        self._tag_first: bool | None = None  # decided by the first row
        self._warned_crlf = False
        self._closed = False

    # -- public API ---------------------------------------------------------------------

    @property
    def dialect(self) -> Dialect:
        """The newest dialect whose features have been seen so far."""
        return self._dialect

    @property
    def offset(self) -> int:
        """Absolute offset of the first byte not yet turned into a row."""
        return self._base

    def feed(self, data: bytes | bytearray | memoryview) -> list[Row]:
        """Add bytes; return the rows they complete (possibly none)."""
        if self._closed:
            raise RuntimeError("FlightDecoder.feed() called after close()")
        rows: list[Row] = []
        if not data:
            return rows
        if self._buf:
            self._buf += data
            used = self._parse(self._buf, rows, final=False)
            del self._buf[:used]
        else:
            # Fast path: slice rows straight out of the caller's bytes.
            whole = bytes(data)
            used = self._parse(whole, rows, final=False)
            self._buf = bytearray(whole[used:])
        self._base += used
        if self._scan:
            # The search memo is an index into the buffer, which just lost `used` bytes.
            self._scan -= used
        return rows

    def close(self) -> list[Row]:
        """Signal the end of input; return the last rows.

        A final newline row without its LF is accepted.  A length-prefixed row cut short
        raises :class:`~rsc_flight.IncompleteFlightError` in strict mode and becomes a
        diagnostic holding its bytes in lenient mode.
        """
        if self._closed:
            return []
        self._closed = True
        rows: list[Row] = []
        if self._buf:
            used = self._parse(self._buf, rows, final=True)
            self._base += used
            self._buf = bytearray()
        return rows

    # -- problems ---------------------------------------------------------------------

    def _problem(
        self,
        reason: str,
        offset: int,
        row_id: int | None,
        raw: bytes,
        *,
        error: type[FlightError] = FlightSyntaxError,
        severity: str = "error",
        fatal: bool | None = None,
    ) -> None:
        """Raise in strict mode, else record a diagnostic.

        ``severity`` "error" means the bytes in ``raw`` were not turned into a row;
        "warning" means the row was kept.  ``fatal`` says whether strict mode raises
        (by default: for errors only).
        """
        if self.strict and (severity == "error" if fatal is None else fatal):
            raise error(reason, offset=offset, row_id=row_id)
        self.diagnostics.append(Diagnostic(reason, offset, row_id, raw, severity))

    # -- the state machine ------------------------------------------------------------

    def _parse(self, buf: bytes | bytearray, rows: list[Row], *, final: bool) -> int:
        """Append every complete row of ``buf`` to ``rows``; return the bytes consumed."""
        if self._tag_first is None and not self._decide_framing(buf, final):
            return 0
        if self._tag_first:
            return self._parse_tag_first(buf, rows, final=final)
        n = len(buf)
        pos = 0
        base = self._base
        max_row = self.limits.max_row_bytes
        # Rows this call may still add before max_rows is reached.
        room = self.limits.max_rows - self._rows + len(rows)
        first = len(rows)
        # Where the search for the pending row's LF stopped last time.  It never lies past
        # that row's LF, so it can only help the first row and never skips a later one.
        resume = self._scan
        self._scan = 0
        header_match = _HEADER.match
        length_match = _LENGTH.match
        find = buf.find
        tag_kind = _TAG_KIND
        make = self._make_row
        new_model = _NEW_MODEL
        while pos < n:
            if len(rows) >= room:
                self._too_many_rows(base + pos)
            m = header_match(buf, pos)
            if m is None:
                skip = self._bad_header(buf, pos, final, resume)
                if skip == 0:
                    break
                pos += skip
                continue
            colon = m.end() - 1
            id_text = m.group(1)
            row_id = int(id_text, 16) if id_text else None
            q = colon + 1
            if q >= n:
                if not final:
                    break
                # "<id>:" at the very end: an empty (halted) model row.
                rows.append(make(row_id, "", pos, n - pos, b""))
                pos = n
                continue
            tag_byte = buf[q]
            kind = tag_kind[tag_byte]
            if kind == _MAYBE_LENGTH:
                lm = length_match(buf, q + 1)
                if lm is not None:
                    kind = _BY_LENGTH
                elif not final and _incomplete_hex(buf, q + 1, n):
                    break
                else:
                    kind = _BY_NEWLINE if 65 <= tag_byte <= 90 else _MODEL
            if kind == _BY_LENGTH:
                lm = length_match(buf, q + 1)
                if lm is None:
                    if not final and _incomplete_hex(buf, q + 1, n):
                        break
                    skip = self._skip_line(
                        buf,
                        pos,
                        final,
                        f"bad length header after tag {chr(tag_byte)!r}",
                        row_id,
                        resume,
                    )
                    if skip == 0:
                        break
                    pos += skip
                    continue
                length = int(lm.group(1), 16)
                if length > max_row:
                    raise FlightLimitError(
                        f"row declares {length} bytes, over max_row_bytes={max_row}",
                        offset=base + pos,
                        row_id=row_id,
                    )
                start = lm.end()
                end = start + length
                if end > n:
                    if not final:
                        break
                    self._problem(
                        f"{chr(tag_byte)!r} row declares {length} bytes but the input ends "
                        f"after {n - start}",
                        base + pos,
                        row_id,
                        bytes(buf[pos:n]),
                        error=IncompleteFlightError,
                    )
                    pos = n
                    break
                rows.append(make(row_id, chr(tag_byte), pos, end - pos, buf[start:end], True))
                pos = end
                continue
            if kind == _BY_NEWLINE:
                tag = chr(tag_byte)
                q += 1
            else:
                tag = ""
            nl = find(_NL, resume if resume > q else q)
            if nl < 0:
                if n - q > max_row:
                    raise FlightLimitError(
                        f"row runs over max_row_bytes={max_row} without a newline",
                        offset=base + pos,
                        row_id=row_id,
                    )
                if not final:
                    self._scan = n
                    break
                rows.append(make(row_id, tag, pos, n - pos, buf[q:n]))
                pos = n
                break
            if nl - q > max_row:
                raise FlightLimitError(
                    f"row of {nl - q} bytes is over max_row_bytes={max_row}",
                    offset=base + pos,
                    row_id=row_id,
                )
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
            payload = buf[q:nl]
            if payload.endswith(b"\r"):
                payload = payload[:-1]
                self._crlf(pos, row_id)
            rows.append(make(row_id, tag, pos, nl + 1 - pos, payload))
            pos = nl + 1
        self._rows += len(rows) - first
        return pos

    def _too_many_rows(self, offset: int) -> None:
        raise FlightLimitError(f"more than max_rows={self.limits.max_rows} rows", offset=offset)

    def _decide_framing(self, buf: bytes | bytearray, final: bool) -> bool:
        """Tell the 2022 tag-first dialect from id-first rows by the first header."""
        i = 0
        n = len(buf)
        while i < n and buf[i] in b"\r\n":  # leading blank lines say nothing
            i += 1
        if i == n:
            if final:
                self._tag_first = False
            return final
        if _F0_HEADER.match(buf, i):
            self._tag_first = True
            self._dialect = Dialect.F0
            return True
        if not final and _F0_PARTIAL.fullmatch(buf, i) and n - i <= MAX_HEX_DIGITS + 1:
            return False  # "J" or "J1": wait for the ":"
        self._tag_first = False
        return True

    def _parse_tag_first(self, buf: bytes | bytearray, rows: list[Row], *, final: bool) -> int:
        """Rows ``<tag><hex id>:<payload>\\n`` of React's 2022 experimental builds."""
        n = len(buf)
        pos = 0
        first = len(rows)
        room = self.limits.max_rows - self._rows + first
        resume = self._scan
        self._scan = 0
        while pos < n:
            if len(rows) >= room:
                self._too_many_rows(self._base + pos)
            if buf[pos] == 10:  # F0 clients ignore empty lines; we note them
                self._problem(
                    "blank line between rows", self._base + pos, None, b"\n", severity="warning"
                )
                pos += 1
                continue
            m = _F0_HEADER.match(buf, pos)
            if m is None:
                if not final and _F0_PARTIAL.fullmatch(buf, pos) and n - pos <= 17:
                    break
                skip = self._skip_line(buf, pos, final, "not a tag-first row header", None, resume)
                if skip == 0:
                    break
                pos += skip
                continue
            tag = m.group(1).decode()
            row_id = int(m.group(2), 16)
            q = m.end()
            nl = buf.find(_NL, resume if resume > q else q)
            if nl < 0:
                if n - q > self.limits.max_row_bytes:
                    raise FlightLimitError(
                        f"row runs over max_row_bytes={self.limits.max_row_bytes}",
                        offset=self._base + pos,
                        row_id=row_id,
                    )
                if not final:
                    self._scan = n
                    break
                nl = n
            payload = buf[q:nl]
            if payload.endswith(b"\r"):
                payload = payload[:-1]
                self._crlf(pos, row_id)
            rows.append(self._make_row(row_id, tag, pos, min(nl + 1, n) - pos, payload))
            pos = min(nl + 1, n)
        self._rows += len(rows) - first
        return pos

    def _bad_header(self, buf: bytes | bytearray, pos: int, final: bool, resume: int) -> int:
        """Handle bytes at ``pos`` that are not a row header; return how many to skip.

        Returns 0 when the header may still be completed by the next chunk.
        """
        n = len(buf)
        if buf[pos] == 10:
            self._problem(
                "blank line between rows", self._base + pos, None, b"\n", severity="warning"
            )
            return 1
        if not final and _incomplete_hex(buf, pos, n):
            return 0
        return self._skip_line(
            buf, pos, final, "not a row header (expected '<hex id>:')", None, resume
        )

    def _skip_line(
        self,
        buf: bytes | bytearray,
        pos: int,
        final: bool,
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
                if len(buf) - pos > self.limits.max_row_bytes:
                    raise FlightLimitError(
                        f"garbage runs over max_row_bytes={self.limits.max_row_bytes}",
                        offset=self._base + pos,
                    )
                self._scan = len(buf)
                return 0
            nl = len(buf) - 1
        raw = bytes(buf[pos : nl + 1])
        self._problem(reason, self._base + pos, row_id, raw)
        return nl + 1 - pos

    def _crlf(self, pos: int, row_id: int | None) -> None:
        if not self._warned_crlf:
            self._warned_crlf = True
            self._problem(
                "row ends with CRLF: the file's line endings were converted, so text-row "
                "byte counts may be off",
                self._base + pos,
                row_id,
                b"\r\n",
                severity="warning",
            )

    # -- rows -------------------------------------------------------------------------

    def _text(self, raw: bytes | bytearray, pos: int, row_id: int | None) -> str:
        try:
            return raw.decode()
        except UnicodeDecodeError as exc:
            self._problem(
                f"invalid UTF-8 at payload byte {exc.start}; replaced with U+FFFD",
                self._base + pos,
                row_id,
                bytes(raw[exc.start : exc.start + 16]),
                severity="warning",
                fatal=True,
            )
            return raw.decode("utf-8", "replace")

    def _make_row(
        self,
        row_id: int | None,
        tag: str,
        pos: int,
        size: int,
        raw: bytes | bytearray,
        by_length: bool = False,
    ) -> Row:
        offset = self._base + pos
        row: Row
        if self._tag_first:
            # The dialect is fixed at F0; its rows prove nothing more.
            return _F0_KINDS[tag](row_id, tag, offset, size, self._text(raw, pos, row_id))
        if tag == "" or tag == "#":
            return ModelRow(row_id, tag, offset, size, self._text(raw, pos, row_id))
        elif tag == "T":
            row = TextRow(row_id, tag, offset, size, self._text(raw, pos, row_id))
        elif by_length:
            row = BinaryRow(row_id, tag, offset, size, bytes(raw))
        elif tag == "H":
            text = self._text(raw, pos, row_id)
            row = HintRow(row_id, tag, offset, size, text[:1], text[1:])
        elif tag in _JSON_KINDS:
            row = _JSON_KINDS[tag](row_id, tag, offset, size, self._text(raw, pos, row_id))
        else:
            row = UnknownRow(row_id, tag, offset, size, bytes(raw))
            self._problem(
                f"unknown row tag {tag!r}; kept as a raw row",
                offset,
                row_id,
                b"",
                severity="warning",
            )
        seen = _evidence(row)
        if seen is not None and seen.rank > self._dialect.rank:
            self._dialect = seen
        return row


_RowFactory = Callable[[int | None, str, int, int, str], Row]
_NEW_MODEL = fast_constructor(ModelRow)

_JSON_KINDS: dict[str, _RowFactory] = {
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

_F0_KINDS: dict[str, _RowFactory] = {
    "J": ModelRow,
    "M": ImportRow,
    "S": SymbolRow,
    "P": ProviderRow,
    "E": ErrorRow,
}


def _incomplete_hex(buf: bytes | bytearray, start: int, n: int) -> bool:
    """True when ``buf[start:n]`` could still grow into ``<hex digits>`` + separator."""
    return n - start <= MAX_HEX_DIGITS and _HEX_RUN.fullmatch(buf, start, n) is not None
