"""Errors and diagnostics.

Every problem the library finds in its input is either raised as a :class:`FlightError`
subclass (strict mode, or a limit) or recorded as a :class:`Diagnostic` (lenient mode).
Both name the absolute byte offset in the stream and the row id, so a user can open the
payload at the right place.  Any other exception escaping the library is a bug.
"""

from __future__ import annotations

import attrs

__all__ = [
    "Diagnostic",
    "FlightError",
    "FlightLimitError",
    "FlightSyntaxError",
    "IncompleteFlightError",
    "NoFlightDataError",
    "SelectorError",
]


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
    does not.
    """

    reason: str
    offset: int | None
    row_id: int | None = None
    raw: bytes = b""
    severity: str = "error"
    code: str = ""

    def __str__(self) -> str:
        return f"{self.severity}: {self.reason}{format_position(self.offset, self.row_id)}"


class SelectorError(ValueError):
    """A selector (of an extraction rule) that does not parse.

    Raised when a rule is built, never on input: it is a programming error in the rule,
    not a problem of the payload, so it is not a :class:`FlightError`.
    """
