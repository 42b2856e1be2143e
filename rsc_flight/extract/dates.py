"""Dates as pages write them, kept with their raw text and how precise they are.

A page's date can be a full timestamp in an attribute (``<time dateTime="2025-10-21
13:08:30+0900">``, ``article:published_time``, JSON-LD ``datePublished``) or a day written
for people ("수정: 2025년 10월 21일", "Updated: May 8, 2025").  An archive must not invent
what the page did not say, so a :class:`Timestamp` keeps the raw string and a precision,
and a day stays a :class:`datetime.date`: no made-up midnight, no made-up timezone.
"""

from __future__ import annotations

import datetime as dt
import enum
import re

import attrs

__all__ = ["Precision", "Timestamp", "parse_date"]


class Precision(enum.Enum):
    """How much of a timestamp the page gave."""

    DAY = "day"
    MINUTE = "minute"
    SECOND = "second"


@attrs.frozen
class Timestamp:
    """A date or time found on a page.

    Attributes:
        value: a timezone-aware :class:`~datetime.datetime` when the page gave an offset,
            a naive one when it gave a time without one, a :class:`~datetime.date` for a day.
        precision: day, minute or second.
        raw: the text as found (``"2025-10-21 13:08:30+0900"``, ``"2025년 10월 21일"``).
    """

    value: dt.datetime | dt.date
    precision: Precision
    raw: str

    def isoformat(self) -> str:
        """ISO 8601 text of the value (``2025-10-21T13:08:30+09:00``, ``2025-10-21``)."""
        return self.value.isoformat()

    def to_dict(self) -> dict[str, str]:
        return {"value": self.isoformat(), "precision": self.precision.value, "raw": self.raw}


# ISO-like dates as sites write them: unpadded fields (slugs write 2025-9-1), a space or
# "T" before the time, fractions of a second, "Z", "+09:00" or "+0900".
_ISO = re.compile(
    r"""
    (?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})
    (?:[T\x20](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?
       \s?(?P<tz>Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?)?
    """,
    re.VERBOSE,
)
# Days written for people: 2025년 10월 21일, 2025年10月21日, 2025.10.21, 2025/10/21.
_NUMERIC_DAY = re.compile(
    r"(?P<y>\d{4})\s*(?:년|年|\.|/)\s*(?P<m>\d{1,2})\s*(?:월|月|\.|/)\s*(?P<d>\d{1,2})\s*(?:일|日)?"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_FIRST = re.compile(
    rf"\b(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)
_DAY_FIRST = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH})\.?,?\s+(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)


def parse_date(text: str, *, search: bool = False) -> Timestamp | None:
    """A :class:`Timestamp` from a date string, or ``None`` when it holds no valid date.

    With ``search=False`` (attribute values) the whole string must be the date; with
    ``search=True`` (running text such as "Updated: May 8, 2025") the first date in it
    is taken, and ``raw`` is the part that matched.
    """
    if not isinstance(text, str) or len(text) > 10_000:
        return None
    stripped = text.strip()
    match = _ISO.search(stripped) if search else _ISO.fullmatch(stripped)
    if match is not None:
        return _from_iso(match)
    for pattern in (_NUMERIC_DAY, _MONTH_FIRST, _DAY_FIRST):
        match = pattern.search(stripped) if search else pattern.fullmatch(stripped)
        if match is not None:
            month = match["m"] if "m" in match.groupdict() else _MONTHS[match["mon"].lower()]
            day = _day(match["y"], month, match["d"])
            if day is not None:
                return Timestamp(day, Precision.DAY, match[0].strip())
    return None


def _day(year: str, month: str | int, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _from_iso(match: re.Match[str]) -> Timestamp | None:
    day = _day(match["y"], match["m"], match["d"])
    if day is None:
        return None
    raw = match[0].strip()
    if match["H"] is None:
        return Timestamp(day, Precision.DAY, raw)
    fraction = (match["f"] or "").ljust(6, "0")[:6]
    try:
        value = dt.datetime(
            day.year,
            day.month,
            day.day,
            int(match["H"]),
            int(match["M"]),
            int(match["S"] or 0),
            int(fraction or 0),
            tzinfo=_zone(match["tz"]),
        )
    except ValueError:
        return None
    precision = Precision.MINUTE if match["S"] is None else Precision.SECOND
    return Timestamp(value, precision, raw)


def _zone(text: str | None) -> dt.tzinfo | None:
    if not text:
        return None
    if text == "Z":
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError("offset out of range")
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
