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

Only what a browser runs is read: lxml finds the ``<script>`` elements and
:mod:`.scripts` keeps those a browser executes; :mod:`.jsscan` reads each one's
JavaScript just far enough to find the push calls that are statements of their own
(never text in a comment or a string); :mod:`.push_args` reads their JSON arguments
without recursion.  Everything else that mentions ``__next_f`` is a ``push-not-executed``
diagnostic, never data.  Every step is linear in the page.
"""

from __future__ import annotations

import base64
import binascii
import codecs
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
from .fastpush import fast_scan
from .jsscan import PushCall, scan_script
from .push_args import BadCall, Call, read_call
from .scripts import PageScript, page_scripts

__all__ = [
    "InlineFlight",
    "detect_source",
    "flight_from_html",
    "load_flight",
    "read_inline_flight",
]

Source = Literal["auto", "flight", "html"]

#: The diagnostic code of push text a browser never runs.
NOT_EXECUTED = "push-not-executed"


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


def _page_text(html: str | bytes) -> tuple[str, bytes | None]:
    """The page's text, and its UTF-8 bytes when they are the input's (``None`` when they
    must be encoded from the text): a valid UTF-8 page is handed to lxml as it came,
    without encoding back the text just decoded from it."""
    if isinstance(html, str):
        return html, None
    if html.startswith(codecs.BOM_UTF8):
        html = html[3:]
    try:
        return html.decode("utf-8"), html if isinstance(html, bytes) else None
    except UnicodeDecodeError:
        # Next.js always serves UTF-8; a stray invalid byte must not lose the rest of the
        # page.
        return html.decode("utf-8", "replace"), None


class _Problems:
    """The strict/lenient policy for malformed pushes.

    A push's position is in the page, not in the flight stream (which is only being
    assembled), so a diagnostic's ``offset`` is ``None`` and its reason ends with
    ``(script N, character M)``; see :class:`~rsc_flight.Diagnostic`.  ``raw`` keeps at
    most ``limits.max_diagnostic_bytes`` of the text concerned, and the reason says how
    many bytes were left out: a 50 MB bad push must not be copied into every report.
    """

    def __init__(self, strict: bool, limits: Limits) -> None:
        self.strict = strict
        self.keep = limits.max_diagnostic_bytes
        self.found: list[Diagnostic] = []

    def report(
        self, code: str, reason: str, where: tuple[int, int], raw: str, severity: Severity = "error"
    ) -> None:
        script, at = where
        reason = f"{reason} (script {script}, character {at})"
        if self.strict and severity == "error":
            raise FlightSyntaxError(reason)
        raw_bytes = raw.encode("utf-8", "surrogatepass")
        if len(raw_bytes) > self.keep:
            reason += f"; {len(raw_bytes) - self.keep} more bytes not kept"
            raw_bytes = raw_bytes[: self.keep]
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


class _Reader:
    """The pushes of one page, read in the order a browser runs them."""

    def __init__(self, limits: Limits, strict: bool) -> None:
        self.limits = limits
        self.problems = _Problems(strict, limits)
        self.chunks: list[bytes] = []
        self.form_state: list[Any] = []
        self.pushes = 0
        self.started = False

    def read_call(self, text: str, at: int) -> Call | BadCall:
        return read_call(text, at, self.limits.max_depth)

    def script(self, script: PageScript) -> None:
        number, text = script.number, script.text
        if script.not_run is not None:
            reason = f"__next_f in a script a browser does not run: {script.not_run}"
            self.problems.report(NOT_EXECUTED, reason, (number, 0), text, "warning")
            return
        # The plain shape Next writes has a shortcut that gives the same scan.
        scan = fast_scan(text, self.limits.max_depth)
        if scan is None:
            scan = scan_script(text, self.read_call)
        if scan.error is not None:
            reason = f"a browser runs none of this script: it does not parse ({scan.error})"
            self.problems.report(NOT_EXECUTED, reason, (number, 0), text, "warning")
            return
        events: list[tuple[int, PushCall | tuple[int, str]]] = [
            (call.at, call) for call in scan.calls
        ]
        events += [(start, (end, what)) for start, end, what in scan.mentions]
        for start, event in sorted(events, key=lambda item: item[0]):
            if isinstance(event, PushCall):
                self.call(event, number, text)
            else:
                end, what = event
                reason = f"__next_f in {what}, which a browser does not run"
                self.problems.report(
                    NOT_EXECUTED, reason, (number, start), text[start:end], "warning"
                )

    def call(self, call: PushCall, number: int, text: str) -> None:
        read, where = call.read, (number, call.at)
        if not call.executed:
            end = read.end if isinstance(read, Call) else call.at
            reason = "push call is not a statement of its own at the top level of the script"
            self.problems.report(NOT_EXECUTED, reason, where, text[call.at : end], "warning")
            return
        if isinstance(read, BadCall):
            self.count()
            self.problems.report(read.code, read.reason, where, text[read.start : read.end])
            return
        if not read.args:
            self.count()
            self.problems.report("bad-push", "push() without an argument", where, "")
        for start, end, value in read.args:
            self.count()
            self.value(value, (number, start), text[start:end])

    def count(self) -> None:
        self.pushes += 1
        if self.pushes > self.limits.max_html_pushes:
            raise FlightLimitError(
                f"more than max_html_pushes={self.limits.max_html_pushes} __next_f pushes"
            )

    def value(self, arg: Any, where: tuple[int, int], raw: str) -> None:
        if not (isinstance(arg, list) and arg and type(arg[0]) is int):
            self.problems.report("bad-push", "push argument is not [kind, ...]", where, raw)
        elif arg[0] == 0:
            self.started = True
        elif arg[0] == 2:
            self.form_state.append(arg[1] if len(arg) > 1 else None)
        elif (chunk := _push_chunk(arg, where, raw, self.problems)) is not None:
            self.chunks.append(chunk)
            if not self.started:
                reason = "data push before the [0] bootstrap push"
                self.problems.report("push-before-bootstrap", reason, where, "", "warning")
                self.started = True


def read_inline_flight(
    html: str | bytes, *, limits: Limits = DEFAULT_LIMITS, strict: bool = False
) -> InlineFlight:
    """Read every ``self.__next_f.push([...])`` a browser would run on a page.

    Scripts a browser does not run (see :mod:`rsc_flight.wire.scripts`) and push calls
    it does not run (in comments, in functions, not statements of their own; see
    :mod:`rsc_flight.wire.jsscan`) give ``push-not-executed`` warnings and no data.
    Malformed pushes are skipped and reported in ``diagnostics`` (with their text,
    bounded by ``limits.max_diagnostic_bytes``), or raise
    :class:`~rsc_flight.FlightSyntaxError` in strict mode.  Those reports have no flight
    ``offset``: their reason names the ``<script>`` and the character in its text.

    Raises:
        NoFlightDataError: the page has no ``__next_f`` pushes a browser runs (a Pages
            Router page, a page that is not Next.js).
        FlightLimitError: more pushes than ``limits.max_html_pushes``.
        FlightSyntaxError: the page cannot be parsed as HTML at all, or (strict mode
            only) a malformed push.
    """
    reader = _Reader(limits, strict)
    text, data = _page_text(html)
    scripts = page_scripts(text, data)
    # Inline module scripts are deferred: they run after all classic scripts.
    for script in sorted(scripts, key=lambda script: script.module):
        reader.script(script)
    if not reader.chunks and not reader.pushes:
        skipped = sum(d.code == NOT_EXECUTED for d in reader.problems.found)
        if skipped:
            raise NoFlightDataError(
                f"no flight data found: the page's {skipped} mentions of self.__next_f "
                "are all in scripts or code a browser does not run"
            )
        raise NoFlightDataError(
            "no flight data found: the page has no self.__next_f.push scripts "
            "(not a Next.js app-router page?)"
        )
    return InlineFlight(
        b"".join(reader.chunks),
        tuple(reader.chunks),
        tuple(reader.form_state),
        reader.pushes,
        tuple(reader.problems.found),
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
    head = data[:4096].encode("utf-8", "replace") if isinstance(data, str) else data
    start = 3 if head.startswith(codecs.BOM_UTF8) else 0
    # (matched in place, within the first 4096 bytes: no copy of the head)
    if _HTML_START.match(head, start, 4096):
        return "html"
    if _FLIGHT_START.match(head, start, 4096):
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
