"""Errors and diagnostics.

Every problem the library finds in its input is either raised as a :class:`FlightError`
subclass (strict mode, or a limit) or recorded as a :class:`Diagnostic` (lenient mode).
Both carry ``offset``, the absolute byte offset in the flight stream, and ``row_id``, so a
user can open the payload at the right place; either is ``None`` where it is not known
(after decoding, or for a problem in an HTML page's scripts, which has no flight offset).
Any other exception escaping the library is a bug.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

__all__ = [
    "DIAGNOSTIC_CODES",
    "Diagnostic",
    "FlightError",
    "FlightLimitError",
    "FlightStageError",
    "FlightSyntaxError",
    "IncompleteFlightError",
    "NoFlightDataError",
    "SelectorError",
    "Severity",
]

#: ``"error"``: bytes were set aside (not turned into a row); ``"warning"``: the row was kept.
Severity = Literal["error", "warning"]

#: Every :attr:`Diagnostic.code` the wire stage gives, with what it means.  The codes are
#: the stable, machine-readable half of a diagnostic (the contract a second tokenizer must
#: meet, see ``tests/data/golden``); the reason's wording may change, the codes do not.
DIAGNOSTIC_CODES: Mapping[str, str] = {
    # The tokenizer (wire.decoder).  ``offset`` is a byte offset in the flight stream.
    "bad-header": "error: a line does not start with a row header ('<hex id>:', or "
    "'<tag><hex id>:' in the 2022 framing); the line up to its LF is set aside",
    "bad-length": "error: a length tag is not followed by '<hex length>,'; the line up to its "
    "LF is set aside",
    "truncated-row": "error: the input ends inside a row (before a length-prefixed row's "
    "declared length, or before a newline row's LF); the rest of the input is set aside "
    "(IncompleteFlightError in strict mode)",
    "too-many-diagnostics": "error or warning (the worst it stands for): more problems than "
    "Limits.max_diagnostics; it counts those not kept and their bytes",
    "blank-line": "warning: an empty line between rows, skipped",
    "crlf": "warning: a row ends with CRLF (reported once per stream); the CR is dropped",
    "invalid-utf8": "warning: a text payload is not valid UTF-8; bad bytes became U+FFFD "
    "(strict mode raises although the row is kept in lenient mode)",
    "unknown-tag": "warning: a newline row with a tag no dialect defines, kept as UnknownRow",
    # HTML pages (wire.sources).  ``offset`` is None: the problem is in the page, before
    # there are flight bytes; the reason names the <script> and the character in it.
    "bad-push-json": "error: the argument of a self.__next_f.push( call is not JSON",
    "bad-push": "error: a push argument is not a list [kind, ...] with an int kind",
    "unknown-push": "error: a push of a kind other than [0], [1, text], [2, state], [3, base64]",
    "bad-base64": "error: a [3, ...] push whose text is not base64",
    "push-before-bootstrap": "warning: a data push came before the [0] bootstrap push",
    "push-not-executed": "warning: __next_f push text a browser never runs (a script of "
    "another type, in <template> or <noscript>, with src, in a JavaScript comment, not a "
    "top-level statement, in a script that does not parse); not read as flight data",
}


def format_position(offset: int | None, row_id: int | None) -> str:
    """Return the `(at byte N, row 1f)` suffix used by every message."""
    parts = []
    if offset is not None:
        parts.append(f"byte {offset}")
    if row_id is not None:
        parts.append(f"row {row_id:x}")
    return f" (at {', '.join(parts)})" if parts else ""


class FlightError(ValueError):
    """Root of every error raised on bad input.

    Attributes:
        reason: the message without its position suffix.
        offset: absolute byte offset in the flight stream, or ``None`` when not known.
        row_id: the id of the row concerned (``None`` for id-less rows or when unknown).
    """

    def __init__(self, reason: str, *, offset: int | None = None, row_id: int | None = None):
        self.reason = reason
        self.offset = offset
        self.row_id = row_id
        super().__init__(reason + format_position(offset, row_id))

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments do not survive the default pickling of exceptions; errors
        # must pickle to cross process boundaries in batch runs.
        return (_rebuild_error, (type(self), self.reason, self.offset, self.row_id))


def _rebuild_error(
    cls: type[FlightError], reason: str, offset: int | None, row_id: int | None
) -> FlightError:
    return cls(reason, offset=offset, row_id=row_id)


class FlightSyntaxError(FlightError):
    """The bytes do not follow the row grammar (bad id, bad length header, bad UTF-8...)."""


class IncompleteFlightError(FlightError):
    """The input ended inside a row whose declared length was not reached."""


class FlightLimitError(FlightError):
    """A :class:`~rsc_flight.Limits` bound was exceeded.  Raised in lenient mode too."""


class NoFlightDataError(FlightError):
    """The input holds no flight data (a Pages Router page, a non-Next page, other text)."""


@attrs.frozen
class Diagnostic:
    """A problem that lenient mode set aside instead of raising.

    ``raw`` keeps the input bytes concerned, so nothing of the input is silently lost.
    ``severity`` is ``"error"`` for bytes that could not be turned into a row (``raw`` is
    then exactly those bytes, starting at ``offset``) and ``"warning"`` for rows that were
    kept but look wrong (CRLF line endings, invalid UTF-8, an unknown tag, a blank line).
    ``code`` names the kind of problem in a stable, machine-readable form
    (``"truncated-row"``, ``"invalid-utf8"``...): the reason's wording may change, the code
    does not.  :data:`DIAGNOSTIC_CODES` lists the codes of the wire stage.

    ``offset`` is always a byte offset in the flight stream, never a position in some other
    text.  Problems found in an HTML page's ``self.__next_f`` scripts (the ``*push*`` and
    ``bad-base64`` codes) happen before any flight byte exists, so their ``offset`` is
    ``None`` and their reason ends with ``(script N, character M)``: the N-th ``<script>``
    element of the page (counting from 1) and the character index in its text.
    """

    reason: str
    offset: int | None
    row_id: int | None = None
    raw: bytes = b""
    severity: Severity = "error"
    code: str = ""

    def __str__(self) -> str:
        return f"{self.severity}: {self.reason}{format_position(self.offset, self.row_id)}"


class SelectorError(ValueError):
    """A selector (of an extraction rule) that does not parse.

    Raised when a rule is built, never on input: it is a programming error in the rule,
    not a problem of the payload, so it is not a :class:`FlightError`.
    """


class FlightStageError(FlightError):
    """A stage (rendering, page assembly, extraction, Markdown) met an error it has no
    specific handling for: a bug, or a limit of lxml or the standard library.

    The last net at each stage boundary, so that only :class:`FlightError` escapes;
    ``__cause__`` is the original exception.  It has no position: the failure is in what
    the stage did with decoded values, not at a byte of the input.
    """
