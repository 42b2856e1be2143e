"""Where flight bytes come from: raw payloads and Next.js HTML pages.

A Next.js app-router page inlines its flight stream as a series of scripts::

    <script>(self.__next_f=self.__next_f||[]).push([0])</script>
    <script>self.__next_f.push([1,"1:HL[\\"/a.css\\",\\"style\\"]\\n0:..."])</script>
    <script>self.__next_f.push([3,"<base64>"])</script>

``[0]`` starts the stream, ``[1, text]`` carries a network chunk decoded as UTF-8 (with a
streaming decoder, so it always holds whole characters), ``[3, base64]`` carries a chunk
that was not valid UTF-8 (binary rows, Next 15+), and ``[2, state]`` is the server-action
form state, which is not flight data.  Chunk boundaries do not line up with rows, so the
bytes of all pushes are joined in document order and tokenized as one stream, exactly as
Next's client does.

lxml finds the scripts (its HTML parser knows where a ``<script>`` ends); the argument of
each ``push(`` call is read with ``json``'s ``raw_decode``, never with a regex running to
``)</script>``, so the scan stays linear on hostile pages.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import json
import re
from typing import Any, Literal

import attrs

from ..errors import (
    Diagnostic,
    FlightLimitError,
    FlightSyntaxError,
    NoFlightDataError,
    Severity,
)
from ..limits import DEFAULT_LIMITS, Limits

__all__ = [
    "InlineFlight",
    "detect_source",
    "flight_from_html",
    "load_flight",
    "read_inline_flight",
]

Source = Literal["auto", "flight", "html"]

# `self.__next_f.push(`, also in the bootstrap form `(self.__next_f=self.__next_f||[]).push(`.
_PUSH = re.compile(
    r"__next_f\s*(?:=\s*(?:self|window)\.__next_f\s*\|\|\s*\[\s*\]\s*\))?\s*\.push\("
)
_JSON = json.JSONDecoder()


def _js_replace(exc: UnicodeError) -> tuple[str | bytes, int]:
    # TextEncoder turns each lone surrogate into U+FFFD.  The UTF-8 codec only takes ASCII
    # text from an error handler, so hand it the encoded bytes.
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return "\ufffd".encode() * (exc.end - exc.start), exc.end


codecs.register_error("rsc_flight.js", _js_replace)


@attrs.frozen
class InlineFlight:
    """What a page's ``self.__next_f`` scripts carry.

    Attributes:
        data: the flight bytes, ``[1]`` and ``[3]`` chunks joined in document order.
        chunks: each chunk's bytes, in order (the original network chunks).
        form_state: the JSON values of ``[2, ...]`` pushes (server-action form state).
        pushes: how many ``push`` calls were read.
        diagnostics: malformed pushes that were skipped.
    """

    data: bytes
    chunks: tuple[bytes, ...]
    form_state: tuple[Any, ...]
    pushes: int
    diagnostics: tuple[Diagnostic, ...]


def _page_text(html: str | bytes) -> str:
    if isinstance(html, str):
        return html
    if html.startswith(codecs.BOM_UTF8):
        html = html[3:]
    # Next.js always serves UTF-8; a stray invalid byte must not lose the rest of the page.
    return html.decode("utf-8", "replace")


def _script_texts(text: str) -> list[tuple[int, str]]:
    """The ``__next_f`` scripts of a page, each with its number among all ``<script>``
    elements (counting from 1, in document order), which diagnostics name."""
    import lxml.etree  # imported here so that the tokenizer alone never loads lxml

    parser = lxml.etree.HTMLParser(huge_tree=True, no_network=True, remove_comments=True)
    root = lxml.etree.fromstring(text, parser)
    if root is None:
        return []
    return [
        (number, s.text)
        for number, s in enumerate(root.iter("script"), 1)
        if s.text and "__next_f" in s.text
    ]


class _Problems:
    """The strict/lenient policy for malformed pushes.

    A push's position is in the page, not in the flight stream (which is only being
    assembled), so a diagnostic's ``offset`` is ``None`` and its reason ends with
    ``(script N, character M)``; see :class:`~rsc_flight.Diagnostic`.
    """

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.found: list[Diagnostic] = []

    def report(
        self, code: str, reason: str, where: tuple[int, int], raw: str, severity: Severity = "error"
    ) -> None:
        script, at = where
        reason = f"{reason} (script {script}, character {at})"
        if self.strict and severity == "error":
            raise FlightSyntaxError(reason)
        raw_bytes = raw.encode("utf-8", "surrogatepass")
        self.found.append(Diagnostic(reason, None, None, raw_bytes, severity, code))


def _push_chunk(arg: Any, where: tuple[int, int], text: str, problems: _Problems) -> bytes | None:
    """The flight bytes of a ``[1, text]`` or ``[3, base64]`` push, or ``None`` (reported)."""
    kind = arg[0]
    if kind not in (1, 3) or len(arg) != 2 or not isinstance(arg[1], str):
        problems.report("unknown-push", f"unknown push form [{kind}, ...]", where, text)
        return None
    if kind == 1:
        return arg[1].encode("utf-8", "rsc_flight.js")
    try:
        return base64.b64decode(arg[1], validate=True)
    except (binascii.Error, ValueError) as exc:  # ValueError: not even ASCII
        problems.report("bad-base64", f"[3] push is not base64: {exc}", where, arg[1])
        return None


def read_inline_flight(
    html: str | bytes, *, limits: Limits = DEFAULT_LIMITS, strict: bool = False
) -> InlineFlight:
    """Read every ``self.__next_f.push([...])`` of a page.

    Malformed pushes are skipped and reported in ``diagnostics`` (with their text), or
    raise :class:`~rsc_flight.FlightSyntaxError` in strict mode.  Those reports have no
    flight ``offset``: their reason names the ``<script>`` and the character in its text.

    Raises:
        NoFlightDataError: the page has no ``__next_f`` pushes (a Pages Router page,
            a page that is not Next.js).
        FlightLimitError: more pushes than ``limits.max_html_pushes``.
    """
    chunks: list[bytes] = []
    form_state: list[Any] = []
    problems = _Problems(strict)
    pushes = 0
    started = False
    for number, script in _script_texts(_page_text(html)):
        for match in _PUSH.finditer(script):
            pushes += 1
            if pushes > limits.max_html_pushes:
                raise FlightLimitError(
                    f"more than max_html_pushes={limits.max_html_pushes} __next_f pushes"
                )
            at = match.end()
            where = (number, at)
            try:
                arg, end = _JSON.raw_decode(script, at)
            except ValueError as exc:
                reason = f"push argument is not JSON: {exc}"
                problems.report("bad-push-json", reason, where, script[at : at + 200])
                continue
            if not (isinstance(arg, list) and arg and type(arg[0]) is int):
                reason = "push argument is not [kind, ...]"
                problems.report("bad-push", reason, where, script[at:end])
                continue
            if arg[0] == 0:
                started = True
            elif arg[0] == 2:
                form_state.append(arg[1] if len(arg) > 1 else None)
            elif (chunk := _push_chunk(arg, where, script[at:end], problems)) is not None:
                chunks.append(chunk)
                if not started:
                    reason = "data push before the [0] bootstrap push"
                    problems.report("push-before-bootstrap", reason, where, "", "warning")
                    started = True
    if not chunks and not pushes:
        raise NoFlightDataError(
            "no flight data found: the page has no self.__next_f.push scripts "
            "(not a Next.js app-router page?)"
        )
    return InlineFlight(
        b"".join(chunks), tuple(chunks), tuple(form_state), pushes, tuple(problems.found)
    )


def flight_from_html(html: str | bytes, *, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The flight bytes inlined in a Next.js page, ready for :class:`FlightDecoder`.

    Raises:
        NoFlightDataError: the page carries no flight data.
    """
    return read_inline_flight(html, limits=limits).data


# A flight payload starts with a row header: hex id (possibly empty) and ":", or the 2022
# tag-first form.  Leading blank lines are tolerated.
_FLIGHT_START = re.compile(rb"\s*(?:[0-9a-f]{0,16}:|[JMSPE][0-9a-f]{1,16}:)")
_HTML_START = re.compile(rb"\s*<", re.IGNORECASE)


def detect_source(data: bytes | str) -> Literal["flight", "html"]:
    """Tell a raw flight payload from an HTML page by how it starts.

    Raises:
        NoFlightDataError: it is neither (for example Markdown or JSON).
    """
    head = data[:4096]
    if isinstance(head, str):
        head = head.encode("utf-8", "replace")
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    if _HTML_START.match(head):
        return "html"
    if _FLIGHT_START.match(head):
        return "flight"
    raise NoFlightDataError(
        "no flight data found: the input is neither a flight payload (rows '<hex id>:...') "
        "nor an HTML page",
        offset=0,
    )


def load_flight(
    data: bytes | str, *, source: Source = "auto", limits: Limits = DEFAULT_LIMITS
) -> bytes:
    """The flight bytes of ``data``, a raw payload or an HTML page.

    ``source`` forces the kind (``"flight"`` or ``"html"``) instead of detecting it.
    """
    if source not in ("auto", "flight", "html"):
        raise ValueError(f"source must be 'auto', 'flight' or 'html', not {source!r}")
    kind = detect_source(data) if source == "auto" else source
    if kind == "html":
        return flight_from_html(data, limits=limits)
    if isinstance(data, str):
        return data.encode("utf-8", "rsc_flight.js")
    return bytes(data)
