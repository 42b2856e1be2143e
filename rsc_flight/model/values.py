"""Decoded values: what the resolver turns flight rows into.

JSON objects and arrays decode to plain ``dict`` and ``list`` (mutable, because forward
references are patched in place once their rows arrive, exactly as React's client does);
strings, numbers, booleans and ``null`` decode to themselves.  Everything JSON cannot say
gets a small class here.  Objects shared on the wire stay shared (the same Python object),
and cycles are allowed, so these classes compare by identity (``eq=False``) and their
``repr`` guards against recursion.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any, ClassVar

import attrs

__all__ = [
    "UNDEFINED",
    "ClientReference",
    "Element",
    "ErrorValue",
    "FunctionSource",
    "JSAsyncIterable",
    "JSBigInt",
    "JSBlob",
    "JSDate",
    "JSFormData",
    "JSIterator",
    "JSMap",
    "JSPromise",
    "JSReadableStream",
    "JSSet",
    "JSSymbol",
    "JSTypedArray",
    "Lazy",
    "Omitted",
    "Pending",
    "ServerContextProvider",
    "ServerReference",
    "TemporaryReference",
    "js_number",
    "unwrap",
]


class _Undefined:
    """JavaScript ``undefined`` (``"$undefined"`` on the wire, or an array hole)."""

    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNDEFINED"


#: The one ``undefined`` value.  Object keys whose value is ``undefined`` are dropped, as
#: the JavaScript client drops them; in arrays the slot holds ``UNDEFINED``.
UNDEFINED = _Undefined()


class JSBigInt(int):
    """A JavaScript BigInt (``"$n…"``): an ``int`` that remembers it was one."""

    def __repr__(self) -> str:
        return f"BigInt({int(self)})"


@attrs.frozen
class JSSymbol:
    """``Symbol.for(key)``, e.g. ``Symbol("react.suspense")``."""

    key: str


#: ISO format JavaScript's ``Date.prototype.toISOString`` writes (and ``$D`` carries).
_ISO = re.compile(
    r"([+-]\d{6}|\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,3})\d*)?(Z|[+-]\d\d:\d\d)?\Z"
)
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_MAX_MS = 8.64e15


class _Unset:
    pass


_UNSET = _Unset()


def _parse_iso(text: str) -> int | None:
    """Milliseconds since 1970 for the ISO forms ``Date.parse`` reads, else ``None``."""
    m = _ISO.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    millis = int((m.group(7) or "0").ljust(3, "0"))
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour <= 24 and minute < 60 and second < 60):
        return None
    zone = m.group(8) or "Z"
    offset = 0
    if zone != "Z":
        offset = (int(zone[1:3]) * 60 + int(zone[4:6])) * (-1 if zone[0] == "-" else 1)
    ms = (
        (_days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second) * 1000
        + millis
        - offset * 60000
    )
    if abs(ms) > _MAX_MS:
        return None
    return ms


def _days_from_civil(year: int, month: int, day: int) -> int:
    # Days since 1970-01-01 in the proleptic Gregorian calendar, for any year.
    year -= month <= 2
    era = year // 400  # Python's // floors, so negative years need no adjustment
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(days: int) -> tuple[int, int, int]:
    days += 719468
    era = days // 146097
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + (3 if mp < 10 else -9)
    return yoe + era * 400 + (month <= 2), month, day


class JSDate:
    """A JavaScript ``Date`` (``"$D<iso>"``).

    Attributes:
        raw: the string that was on the wire.
        epoch_ms: milliseconds since 1970 UTC, or ``None`` for an invalid date (what
            ``Date.parse`` gives ``NaN`` for).  Worked out when first asked for: pages
            carry many dates and most are never read.
    """

    __slots__ = ("_ms", "_parsed", "raw")

    def __init__(self, raw: str, epoch_ms: int | _Unset | None = None) -> None:
        self.raw = raw
        self._parsed = isinstance(epoch_ms, int)
        self._ms: int | None = epoch_ms if isinstance(epoch_ms, int) else None

    @classmethod
    def parse(cls, text: str) -> JSDate:
        """A date from the ISO text ``toISOString`` writes (parsed lazily)."""
        return cls(text, _UNSET)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JSDate) and (self.raw, self.epoch_ms) == (
            other.raw,
            other.epoch_ms,
        )

    def __hash__(self) -> int:
        return hash((self.raw, self.epoch_ms))

    def __repr__(self) -> str:
        return f"JSDate({self.raw!r})"

    def __reduce__(self) -> tuple[object, ...]:
        return (JSDate, (self.raw, self.epoch_ms))

    @property
    def epoch_ms(self) -> int | None:
        if not self._parsed:
            self._ms = _parse_iso(self.raw)
            self._parsed = True
        return self._ms

    def isoformat(self) -> str | None:
        """What ``toISOString()`` gives, or ``None`` for an invalid date."""
        if self.epoch_ms is None:
            return None
        days, ms = divmod(self.epoch_ms, 86_400_000)
        year, month, day = _civil_from_days(days)
        seconds, millis = divmod(ms, 1000)
        hour, rest = divmod(seconds, 3600)
        minute, second = divmod(rest, 60)
        year_text = f"{year:04d}" if 0 <= year <= 9999 else f"{year:+07d}"
        return (
            f"{year_text}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{millis:03d}Z"
        )

    @property
    def datetime(self) -> _dt.datetime | None:
        """A timezone-aware ``datetime`` in UTC (``None`` if invalid or out of range)."""
        if self.epoch_ms is None:
            return None
        try:
            return _EPOCH + _dt.timedelta(milliseconds=self.epoch_ms)
        except OverflowError:
            return None


def _map_key(value: object) -> object:
    """A hashable stand-in with JavaScript's SameValueZero equality."""
    if isinstance(value, float):
        if math.isnan(value):
            return ("nan",)
        if math.isinf(value):
            return ("num", value)
        if value == int(value) and abs(value) < 2**63:
            return ("num", int(value))  # 1.0 and 1 and -0.0 and 0 are the same key
        return ("num", value)
    if isinstance(value, JSBigInt):
        return ("bigint", int(value))
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("num", value)
    if isinstance(value, (str, JSSymbol)) or value is None or value is UNDEFINED:
        return (type(value).__name__, value)
    return ("object", id(value))


@attrs.define(eq=False)
class JSMap:
    """A JavaScript ``Map`` (``"$Q…"``): entries in insertion order.

    Keys can be objects, so this is a list of ``(key, value)`` pairs rather than a ``dict``;
    a later entry with the same key (by JavaScript's SameValueZero) replaces the earlier
    value in place, as ``new Map(entries)`` does.
    """

    entries: list[tuple[Any, Any]]

    @classmethod
    def from_entries(cls, pairs: object) -> JSMap:
        out: list[tuple[Any, Any]] = []
        index: dict[object, int] = {}
        for pair in pairs if isinstance(pairs, list) else ():
            key = pair[0] if isinstance(pair, list) and pair else UNDEFINED
            value = pair[1] if isinstance(pair, list) and len(pair) > 1 else UNDEFINED
            slot = _map_key(key)
            if slot in index:
                out[index[slot]] = (out[index[slot]][0], value)
            else:
                index[slot] = len(out)
                out.append((key, value))
        return cls(out)

    def get(self, key: object, default: object = None) -> object:
        slot = _map_key(key)
        for k, v in self.entries:
            if _map_key(k) == slot:
                return v
        return default


@attrs.define(eq=False)
class JSSet:
    """A JavaScript ``Set`` (``"$W…"``): values in insertion order, SameValueZero-unique."""

    values: list[Any]

    @classmethod
    def from_values(cls, items: object) -> JSSet:
        out: list[Any] = []
        seen: set[object] = set()
        for item in items if isinstance(items, list) else ():
            slot = _map_key(item)
            if slot not in seen:
                seen.add(slot)
                out.append(item)
        return cls(out)


@attrs.define(eq=False)
class JSFormData:
    """A ``FormData`` (``"$K…"``): ``(name, value)`` entries in order."""

    entries: list[tuple[Any, Any]]


@attrs.frozen(eq=False)
class JSTypedArray:
    """An ``ArrayBuffer``, typed array or ``DataView`` from a binary row.

    ``data`` holds the bytes of the view (little-endian, as the server's platform wrote
    them); ``values`` decodes them to numbers.
    """

    type_name: str
    data: bytes

    _FORMATS: ClassVar[dict[str, str]] = {
        "Int8Array": "b",
        "Uint8Array": "B",
        "Uint8ClampedArray": "B",
        "Int16Array": "h",
        "Uint16Array": "H",
        "Int32Array": "i",
        "Uint32Array": "I",
        "Float32Array": "f",
        "Float64Array": "d",
        "BigInt64Array": "q",
        "BigUint64Array": "Q",
    }

    @property
    def values(self) -> list[int | float]:
        """The elements, for typed arrays (bytes for ``ArrayBuffer``/``DataView``)."""
        import struct

        fmt = self._FORMATS.get(self.type_name, "B")
        size = struct.calcsize(fmt)
        count = len(self.data) // size
        return list(struct.unpack(f"<{count}{fmt}", self.data[: count * size]))


@attrs.frozen(eq=False)
class JSBlob:
    """A ``Blob`` (``"$B…"``): MIME type and bytes."""

    type: str
    data: bytes


@attrs.define(eq=False)
class JSIterator:
    """A synchronous iterator (``"$i…"``): the values it yields."""

    values: list[Any]


@attrs.define(eq=False)
class JSReadableStream:
    """A ``ReadableStream`` (``R``/``r`` rows): its chunks in order.

    ``done`` is false when the stream had not closed by the end of the payload;
    ``error`` holds the error it failed with, if any.
    """

    byte_stream: bool = False
    chunks: list[Any] = attrs.Factory(list)
    done: bool = False
    error: Any = None


@attrs.define(eq=False)
class JSAsyncIterable:
    """An async iterable or iterator (``X``/``x`` rows): values, return value, error."""

    iterator: bool = False
    values: list[Any] = attrs.Factory(list)
    return_value: Any = UNDEFINED
    done: bool = False
    error: Any = None


@attrs.frozen
class ClientReference:
    """A client component or value exported by a client module (an ``I`` row).

    Attributes:
        id: the module id (a number or a string, as the bundler wrote it).
        chunks: the chunk list as written (``"id:file"`` strings in Next 13, a flat
            ``[id, file, ...]`` list in Next 14+, file paths with Turbopack).
        name: the export name (``""`` for the default export, ``"*"`` for the module).
        is_async: the module is an async (ESM) module.
    """

    id: Any
    chunks: tuple[Any, ...]
    name: str
    is_async: bool = False


@attrs.define(eq=False)
class ServerReference:
    """A Server Action (``"$h…"``, ``"$F…"``): its id and bound arguments.

    ``bound`` is ``None`` when unbound, otherwise the :class:`Promise` of the argument list.
    """

    id: Any
    bound: Any = None


@attrs.frozen
class ServerContextProvider:
    """A server-context provider (``"$P<name>"`` in Next 13, ``P`` rows in 2022)."""

    name: str


@attrs.frozen
class TemporaryReference:
    """``"$T…"``: an object the client passed to a Server Action, echoed back."""

    key: str


@attrs.frozen
class Omitted:
    """``"$Y…"`` (development): a value the server left out of debug data."""

    ref: str = ""


@attrs.frozen
class FunctionSource:
    """``"$E…"`` (development): a function sent as source text.  Never evaluated."""

    source: str


@attrs.define(eq=False)
class ErrorValue:
    """An ``Error`` the server sent (``E`` rows, ``"$Z"``).

    In production builds React sends only a ``digest``; the message is React's generic
    one.  Development builds add the real message, stack and environment name.
    """

    message: str
    name: str = "Error"
    digest: str | None = None
    environment_name: str | None = None
    stack: Any = None
    extra: dict[str, Any] = attrs.Factory(dict)


@attrs.define(eq=False)
class Element:
    """A React element ``["$", type, key, props, ...]``.

    ``type`` is a tag name (``"div"``), a :class:`Symbol` (``react.fragment``,
    ``react.suspense``...), a :class:`ClientReference` or a :class:`Lazy` of one.
    ``owner``, ``stack`` and ``validated`` are only sent by development builds.
    """

    type: Any
    key: Any
    props: Any
    ref: Any = None
    owner: Any = None
    stack: Any = None
    validated: Any = None


@attrs.frozen(eq=False)
class Pending:
    """A value whose row never arrived.

    Normal in partial payloads (Next 15/16 prerendered shells, PPR): React's client would
    wait forever, or report "Connection closed." at the end of the stream.
    """

    id: int | None


class JSPromise:
    """A chunk of the payload: what ``"$@<id>"`` decodes to, and what a :class:`Lazy` reads.

    After :func:`~rsc_flight.parse` the ``status`` is ``"fulfilled"`` (``value`` holds the
    value), ``"rejected"`` (``reason`` holds the error), ``"pending"`` (the row never
    arrived) or ``"halted"`` (React said it never will).  While decoding it also passes
    through React's internal states (``"blocked"``, ``"resolved_model"``...).
    """

    __slots__ = ("_links", "_owner", "id", "reason", "status", "value")

    def __init__(
        self, status: str, value: Any, reason: Any, id: int | None = None, owner: Any = None
    ) -> None:
        # (the native engine makes chunks in C, _crevive's Reviver.chunk: the same slots)
        self.status = status
        self.value = value
        self.reason = reason
        self.id = id
        self._owner: Any = owner  # the resolver that can initialise this chunk lazily
        self._links: list[JSPromise] | None = None  # chunks its model mentions, in order

    def _settle(self) -> None:
        if self._owner is not None and self.status == "resolved_model":
            self._owner.initialize(self)

    @property
    def result(self) -> Any:
        """The value, initialising the chunk if needed; :class:`Pending` if it never came.

        Raises:
            ErrorRaised: the chunk was rejected (an ``E`` row, a failed dependency).
        """
        self._settle()
        if self.status == "fulfilled":
            return self.value
        if self.status == "rejected":
            raise ErrorRaised(self.reason)
        return Pending(self.id)

    def __repr__(self) -> str:
        shown = f" id={self.id:x}" if self.id is not None else ""
        return f"<Promise{shown} {self.status}>"


class ErrorRaised(Exception):  # noqa: N818 - it carries a value, it is not a failure of ours
    """Reading a rejected :class:`Promise` or :class:`Lazy`: ``.value`` is what was thrown."""

    def __init__(self, value: Any) -> None:
        super().__init__(value)
        self.value = value


@attrs.define(eq=False)
class Lazy:
    """``"$L<id>"``: a value that stands for a chunk, read when needed (``React.lazy``).

    React also wraps an element in a lazy when something inside it is not there yet.
    ``result`` gives the value (:class:`Pending` if it never arrived) and raises
    :class:`ErrorRaised` if the chunk failed.
    """

    promise: JSPromise

    @property
    def id(self) -> int | None:
        return self.promise.id

    @property
    def result(self) -> Any:
        return self.promise.result


__all__ += ["ErrorRaised"]


def js_number(value: int | float) -> str:
    """A number as JavaScript's ``String(n)`` writes it (``1``, ``1.5``, ``1e+21``, ``NaN``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if abs(value) < 10**21:
            return str(value)
        try:
            value = float(value)  # JSON integers are doubles in JavaScript
        except OverflowError:  # beyond a double: JavaScript reads it as Infinity
            return "Infinity" if value > 0 else "-Infinity"
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)  # shortest round-trip digits, as JavaScript uses
    if "e" in text:
        mantissa, exponent = text.split("e")
        exp = int(exponent)
        if -7 < exp < 21:
            return format(value, "f").rstrip("0").rstrip(".") if exp < 0 else str(value)
        sign = "+" if exp > 0 else "-"
        return f"{mantissa.removesuffix('.0')}e{sign}{abs(exp)}"
    return text


def unwrap(value: Any) -> Any:
    """Read through lazies and promises to the value they stand for.

    A failed one reads as ``None`` (use ``.result`` to see the error); one whose row never
    arrived reads as :class:`Pending`.
    """
    if not isinstance(value, (Lazy, JSPromise)):
        return value  # the commonest case: nothing to read through
    seen: set[int] = set()
    while isinstance(value, (Lazy, JSPromise)):
        promise = value.promise if isinstance(value, Lazy) else value
        if id(promise) in seen:
            return None  # it resolves to itself: never settles
        seen.add(id(promise))
        try:
            value = promise.result
        except ErrorRaised:
            return None
    return value
