"""One-call decoding: ``parse()`` and the :class:`Payload` it returns."""

from __future__ import annotations

import os
from typing import Any, Literal

import attrs

from ..errors import Diagnostic, FlightError, FlightLimitError
from ..limits import DEFAULT_LIMITS, Limits, recursion_room
from ..wire.decoder import FlightDecoder
from ..wire.dialect import Dialect
from ..wire.inputs import read_input
from ..wire.rows import Row, parse_hex_id
from ..wire.sources import Source, detect_source, read_inline_flight
from .resolver import Resolver
from .rule_set import settle
from .typed_json import encode_document
from .values import Element, ErrorRaised, ErrorValue, JSPromise, Pending

__all__ = ["Payload", "parse"]


@attrs.define(eq=False, repr=False)
class Payload:
    """A decoded flight payload.

    Attributes:
        rows: every row, in stream order.
        hints: resource hints as ``[code, *arguments]`` (the ReactDOM calls they stand for).
        diagnostics: problems lenient mode set aside (page, tokenizer and resolver).
        dialect: the dialect the tokenizer recognised.
        debug: development rows (``D``, ``W``, ``J``, ``N``) by row id (``None`` for id-less).
    """

    rows: list[Row]
    hints: list[list[Any]]
    diagnostics: list[Diagnostic]
    dialect: Dialect
    debug: dict[int | None, list[Row]]
    _resolver: Resolver = attrs.field(repr=False)

    def __repr__(self) -> str:
        """One line a person can read: counts and the root's shape, not the whole graph
        (a page's rows are often megabytes)."""
        try:
            root = self.root
        except FlightError:
            root = None
        shape = type(root).__name__
        if isinstance(root, Element) and isinstance(root.type, str):
            shape = f"Element({root.type!r})"
        return (
            f"<Payload {len(self.rows)} rows, dialect {self.dialect.value}, rules "
            f"{self.rules}, {len(self.diagnostics)} diagnostics, root {shape}>"
        )

    @property
    def rules(self) -> Literal["18", "19"]:
        """Which React client's resolution rules decoded the payload.

        ``"19"``: React 19.x (Next 15/16); ``"18"``: the React 18.3 canaries of Next
        13.4-14.2, also used for the older 2022/2023 dialects.  :func:`parse` picks them
        from evidence in the rows (see :func:`rsc_flight.model.rule_set.choose_rules`)
        unless its ``rules`` argument names them.
        """
        return self._resolver.rules

    @property
    def pending_rows(self) -> list[int]:
        """Ids of the rows something referenced that never arrived (their chunks are still
        pending), in increasing order: an empty list means every referenced row came."""
        return sorted(
            row_id for row_id, chunk in self._resolver.chunks.items() if chunk.status == "pending"
        )

    def chunk(self, row_id: int | str) -> JSPromise | None:
        """The chunk of a row id (``None`` if the id never appeared).

        ``row_id`` is an ``int`` or its hex text, as the JSON outputs write it (``"1f"``).
        """
        return self._resolver.chunks.get(row_number(row_id))

    def value(self, row_id: int | str) -> Any:
        """The decoded value of a row (:class:`~rsc_flight.Pending` if it never arrived).

        ``row_id`` is an ``int`` or its hex text, as the JSON outputs write it (``"1f"``).

        Raises:
            ErrorRaised: the row is an error row, or depends on one.
            ValueError: ``row_id`` is text that is not a hex row id.
        """
        row_id = row_number(row_id)
        chunk = self._resolver.chunks.get(row_id)
        if chunk is None:
            return Pending(row_id)
        with recursion_room(self._resolver.limits):
            try:
                return chunk.result
            except RecursionError:  # rows read lazily that wake each other, too deep
                raise FlightLimitError(
                    "references wake each other deeper than the recursion limit allows",
                    row_id=row_id,
                ) from None

    @property
    def root(self) -> Any:
        """Row 0 decoded; ``None`` when row 0 is an error (see :attr:`root_error`)."""
        try:
            return self.value(0)
        except ErrorRaised:
            return None

    @property
    def root_error(self) -> Any:
        """The error value when row 0 failed, else ``None``."""
        try:
            self.value(0)
        except ErrorRaised as thrown:
            return thrown.value
        return None

    def to_typed_json(self) -> dict[str, Any]:
        """The decode document: ``{"value": ...}`` or ``{"rootError": ...}``, and ``hints``.

        As a consumer awaiting the root would, a root that is a promise is unwrapped.
        """
        value: Any = None
        error: Any = None
        failed = False
        limits = self._resolver.limits
        with recursion_room(limits):
            try:
                value = self.value(0)
                seen: set[int] = set()
                while isinstance(value, JSPromise):
                    if id(value) in seen:
                        # What awaiting a promise that resolves to itself throws in JS.
                        raise ErrorRaised(
                            ErrorValue(
                                "Chaining cycle detected for promise #<Promise>", "TypeError"
                            )
                        )
                    seen.add(id(value))
                    value = value.result
            except ErrorRaised as thrown:
                error, failed = thrown.value, True
            return encode_document(value, error, self.hints, limits=limits, failed=failed)


def row_number(row_id: int | str) -> int:
    """A row id as the Python API holds it (an ``int``), from an ``int`` or its hex text.

    Python ids are ints; the command line and every JSON output write them in hex as
    React does (``"1f"``).  Both are taken wherever an id is an argument.
    """
    if isinstance(row_id, str):
        number = parse_hex_id(row_id.lower())
        if number is None:
            raise ValueError(f"not a row id: {row_id!r} (hex digits, as the rows are written)")
        return number
    return row_id


def parse(
    data: bytes | str | os.PathLike[str],
    *,
    source: Source = "auto",
    limits: Limits = DEFAULT_LIMITS,
    strict: bool = False,
    rules: str = "auto",
) -> Payload:
    """Decode a flight payload, or the flight data of a Next.js HTML page.

    Args:
        data: the payload bytes (a ``str`` is payload text, encoded as UTF-8), or a page;
            a :class:`~pathlib.Path` (any ``os.PathLike``) is a file to read, plain,
            gzipped, brotli or WARC (:func:`rsc_flight.wire.read_input`).
        source: ``"auto"`` (detect), ``"flight"`` or ``"html"``.
        limits: bounds on size, depth and expansion.
        strict: raise at the first problem instead of recording diagnostics.
        rules: ``"auto"`` (from the payload: :func:`~rsc_flight.model.rule_set.choose_rules`),
            ``"19"`` or ``"18"``: which React client's resolution rules to follow.

    Raises:
        FlightError: the input is not flight data, or (strict) is malformed.
        FlightLimitError: a limit was exceeded.
    """
    if type(data) is not bytes and isinstance(data, os.PathLike):  # (an ABC: tested last)
        data = read_input(data).data
    problems: list[Diagnostic] = []
    kind = detect_source(data) if source == "auto" else source
    if kind == "html":
        inline = read_inline_flight(data, limits=limits, strict=strict)
        problems.extend(inline.diagnostics)
        flight = inline.data
    elif kind == "flight":
        flight = data.encode("utf-8", "rsc_flight.js") if isinstance(data, str) else bytes(data)
    else:
        raise ValueError(f"source must be 'auto', 'flight' or 'html', not {source!r}")
    decoder = FlightDecoder(limits=limits, strict=strict)
    rows = decoder.feed(flight)
    rows += decoder.close()
    problems.extend(decoder.diagnostics)
    dialect, chosen = settle(decoder.dialect, rows, rules)
    resolver = Resolver(rules=chosen, tag_first=dialect is Dialect.F0, limits=limits, strict=strict)
    with recursion_room(limits):
        resolver.add_rows(rows)
        resolver.close()
        resolver.resolve_all()
        resolver.release_settled()
    problems.extend(resolver.diagnostics)
    return Payload(rows, resolver.hints, problems, dialect, resolver.debug, resolver)
