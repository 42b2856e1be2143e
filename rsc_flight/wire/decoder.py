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

The work is split as h11 splits an HTTP connection: :mod:`._buffer` holds the bytes, the
base offset and the LF-search memo; :mod:`._readers` holds the row grammar, one reader per
framing; :func:`.dialect.row_evidence` dates rows.  This module is the façade: the public
API, the strict/lenient policy for problems, the UTF-8 policy and the row factories.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import _engine
from ..errors import (
    Diagnostic,
    FlightError,
    FlightSyntaxError,
    Severity,
)
from ..limits import DEFAULT_LIMITS, Limits
from ._buffer import RowBuffer
from ._readers import Framing, Reader, readers_for
from .dialect import Dialect, row_evidence
from .rows import (
    JSON_ROW_KINDS,
    BinaryRow,
    ErrorRow,
    HintRow,
    ImportRow,
    ModelRow,
    ProviderRow,
    Row,
    SymbolRow,
    TextRow,
    UnknownRow,
    fast_constructor,
)

__all__ = ["FlightDecoder"]


class FlightDecoder:
    """Incremental tokenizer: bytes in, :class:`~rsc_flight.Row` objects out.

    Feed it chunks in any split; the rows are the same as for one ``feed`` of the whole.

    Args:
        limits: bounds on row size and count (:data:`~rsc_flight.DEFAULT_LIMITS`).
        strict: raise a :class:`~rsc_flight.FlightError` at the first problem instead of
            recording a :class:`~rsc_flight.Diagnostic` and going on.
        engine: ``"native"`` (the C row scanner) or ``"python"`` (the reference); by
            default :data:`rsc_flight.ENGINE`.  Both give the same rows, diagnostics and
            errors; asking for ``"native"`` where it is not built raises ``RuntimeError``.

    Example::

        >>> dec = FlightDecoder()
        >>> rows = dec.feed(b'1:I["7",[],""]\\n0:["$","$L1",null,{}]\\n2:T5,h')
        >>> rows += dec.feed("éllo".encode())
        >>> rows += dec.close()
        >>> [(r.id, r.tag, r.payload) for r in rows]
        [(1, 'I', '["7",[],""]'), (0, '', '["$","$L1",null,{}]'), (2, 'T', 'héllo')]
    """

    def __init__(
        self,
        *,
        limits: Limits = DEFAULT_LIMITS,
        strict: bool = False,
        engine: _engine.Engine | None = None,
    ) -> None:
        self.limits = limits
        self.strict = strict
        #: The engine this decoder reads with, ``"native"`` or ``"python"``.
        self.engine = _engine.resolve(engine)
        self._readers = readers_for(self.engine)
        #: Problems set aside in lenient mode, in stream order.
        self.diagnostics: list[Diagnostic] = []
        self._buffer = RowBuffer()
        self._reader: Reader = self._readers["undecided"]
        self._rows = 0  # rows produced so far (for max_rows)
        self._dialect = Dialect.GENERIC
        self._warned_crlf = False
        self._closed = False
        self._untold = [0, 0, False]  # diagnostics past max_diagnostics: count, bytes, errors

    # -- public API ---------------------------------------------------------------------

    @property
    def dialect(self) -> Dialect:
        """The newest dialect whose features have been seen so far."""
        return self._dialect

    @property
    def offset(self) -> int:
        """Absolute offset of the first byte not yet turned into a row."""
        return self._buffer.base

    def feed(self, data: bytes | bytearray | memoryview) -> list[Row]:
        """Add bytes; return the rows they complete (possibly none)."""
        if self._closed:
            raise RuntimeError("FlightDecoder.feed() called after close()")
        rows: list[Row] = []
        if not data:
            return rows
        buffer = self._buffer
        view = buffer.extend(data)
        if not buffer.starved(view):
            buffer.consume(view, self._reader(self, view, rows, False))
        return rows

    def close(self) -> list[Row]:
        """Signal the end of input; return the last rows.

        A row cut short -- a length-prefixed row missing bytes, or a newline row missing
        its LF -- raises :class:`~rsc_flight.IncompleteFlightError` in strict mode and
        becomes a ``truncated-row`` diagnostic holding its bytes in lenient mode, as React's
        client never reads such a row.
        """
        if self._closed:
            return []
        self._closed = True
        rows: list[Row] = []
        pending = self._buffer.pending()
        if pending:
            self._buffer.clear(self._reader(self, pending, rows, True))
        self._tell_untold()
        return rows

    # -- used by the readers ------------------------------------------------------------

    def _set_framing(self, framing: Framing) -> Reader:
        """Fix the framing the first header showed; return its reader."""
        self._reader = self._readers[framing]
        if framing == "tag-first":
            self._dialect = Dialect.F0
        return self._reader

    def _report(
        self,
        code: str,
        reason: str,
        offset: int,
        row_id: int | None,
        raw: bytes,
        *,
        error: type[FlightError] = FlightSyntaxError,
        severity: Severity = "error",
        fatal: bool | None = None,
    ) -> None:
        """Raise in strict mode, else record a diagnostic.

        ``severity`` "error" means the bytes in ``raw`` were not turned into a row;
        "warning" means the row was kept.  ``fatal`` says whether strict mode raises
        (by default: for errors only).  ``code`` is one of
        :data:`~rsc_flight.errors.DIAGNOSTIC_CODES`.
        """
        if self.strict and (severity == "error" if fatal is None else fatal):
            raise error(reason, offset=offset, row_id=row_id)
        if len(self.diagnostics) < self.limits.max_diagnostics:
            self.diagnostics.append(Diagnostic(reason, offset, row_id, raw, severity, code))
        else:  # counted, and told once at close(): never dropped silently
            untold = self._untold
            untold[0] += 1
            untold[1] += len(raw)
            untold[2] = untold[2] or severity == "error"

    def _tell_untold(self) -> None:
        """The one diagnostic that stands for those past ``max_diagnostics``."""
        count, size, errors = self._untold
        if count:
            self.diagnostics.append(
                Diagnostic(
                    f"{count} more problems ({size} bytes of input) not kept: over "
                    f"max_diagnostics={self.limits.max_diagnostics}",
                    None,
                    None,
                    b"",
                    "error" if errors else "warning",
                    "too-many-diagnostics",
                )
            )

    def _crlf(self, offset: int, row_id: int | None) -> None:
        """Note (once per stream) that rows end with CRLF; the reader drops the CR."""
        if not self._warned_crlf:
            self._warned_crlf = True
            self._report(
                "crlf",
                "row ends with CRLF: the file's line endings were converted, so text-row "
                "byte counts may be off",
                offset,
                row_id,
                b"\r\n",
                severity="warning",
            )

    # -- rows ---------------------------------------------------------------------------

    def _text(self, raw: bytes | bytearray, offset: int, row_id: int | None) -> str:
        """A payload as text: the UTF-8 policy.

        Invalid bytes become U+FFFD, as React's ``TextDecoder`` does, with an
        ``invalid-utf8`` warning; strict mode raises instead.
        """
        try:
            return raw.decode()
        except UnicodeDecodeError as exc:
            self._report(
                "invalid-utf8",
                f"invalid UTF-8 at payload byte {exc.start}; replaced with U+FFFD (raw: the "
                "row's payload as it came)",
                offset,
                row_id,
                bytes(raw),
                severity="warning",
                fatal=True,
            )
            return raw.decode("utf-8", "replace")

    def _make_row(
        self,
        row_id: int | None,
        tag: str,
        offset: int,
        size: int,
        raw: bytes | bytearray,
        by_length: bool = False,
    ) -> Row:
        """The row of an id-first tag (``by_length``: read by its declared length).

        Rows that date the stream move :attr:`dialect` forward.
        """
        row: Row
        if tag == "" or tag == "#":
            return ModelRow(row_id, tag, offset, size, self._text(raw, offset, row_id))
        elif tag == "T":
            row = _NEW_TEXT(row_id, tag, offset, size, self._text(raw, offset, row_id))
            if self._dialect.rank < _F2_RANK:  # (row_evidence's answer for a T row)
                self._dialect = Dialect.F2
            return row
        elif by_length:
            row = _NEW_BINARY(row_id, tag, offset, size, bytes(raw))
        elif tag == "H":
            text = self._text(raw, offset, row_id)
            row = HintRow(row_id, tag, offset, size, text[:1], text[1:])
        elif tag in _JSON_KINDS:
            row = _JSON_KINDS[tag](row_id, tag, offset, size, self._text(raw, offset, row_id))
        else:
            row = UnknownRow(row_id, tag, offset, size, bytes(raw))
            reason = f"unknown row tag {tag!r}; kept as a raw row"
            self._report("unknown-tag", reason, offset, row_id, b"", severity="warning")
        seen = row_evidence(row)
        if seen is not None and seen.rank > self._dialect.rank:
            self._dialect = seen
        return row

    def _make_f0_row(
        self, row_id: int | None, tag: str, offset: int, size: int, raw: bytes | bytearray
    ) -> Row:
        """The row of a 2022 tag-first tag.  The dialect is fixed at F0; rows prove nothing."""
        return _F0_KINDS[tag](row_id, tag, offset, size, self._text(raw, offset, row_id))


_RowFactory = Callable[[int | None, str, int, int, str], Row]

#: Row constructors that fill the slots directly (rows.fast_constructor): the reference
#: engine builds every text and binary row here (the native reader only the text rows in
#: invalid UTF-8, whose diagnostic and U+FFFD policy live in _text).
_NEW_TEXT = fast_constructor(TextRow)
_NEW_BINARY = fast_constructor(BinaryRow)
_F2_RANK = Dialect.F2.rank

#: Id-first newline tags whose payload is JSON text (the native reader builds these too).
_JSON_KINDS: dict[str, _RowFactory] = dict(JSON_ROW_KINDS)

#: The tags of the 2022 tag-first framing (its header regex admits no other).
_F0_KINDS: dict[str, _RowFactory] = {
    "J": ModelRow,
    "M": ImportRow,
    "S": SymbolRow,
    "P": ProviderRow,
    "E": ErrorRow,
}
