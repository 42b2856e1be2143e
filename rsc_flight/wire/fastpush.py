"""The push scripts Next.js writes, read without the general JavaScript scanner.

Almost every script that carries flight data is one of two exact shapes::

    (self.__next_f=self.__next_f||[]).push([0])
    self.__next_f.push([1,"...the chunk, as a JSON string..."])

(older Next versions join a few such statements with ``;``).  The general reader
(:mod:`.jsscan` token by token, then :mod:`.push_args` JSON token by JSON token) costs
a regular-expression match per token and per string character run, which on real pages
was most of the time spent reading a page's flight data.  This module recognises the
plain shape with anchored matches that consume it left to right, once, and reads a
``[kind,"text"]`` argument with orjson (the last statement of a script) or the standard
library's C string scanner (``json.decoder.scanstring``, the one ``json.loads`` uses), so
the cost is a few C calls per script whatever its length.

It is only a shortcut: :func:`fast_scan` answers for a script it reads *whole* and
returns ``None`` for anything else (other receivers, comments, other spacing, other
quoting, a string with an escape JSON does not accept, a trailing expression...), and
the caller then runs the general scanner, which stays the reference.  Whenever it
answers, its :class:`~.jsscan.ScriptScan` is the one :func:`~.jsscan.scan_script` gives
(a property test in ``tests/test_fastpush.py`` checks this on generated scripts): the
shapes accepted are a subset of what the general scanner reads as executed push
statements, and the argument values are exactly ``json.loads`` of their text.
"""

from __future__ import annotations

import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # json.loads's own; not typed
from typing import Any

from .jsscan import PushCall, ScriptScan
from .push_args import Call, read_call

__all__ = ["fast_scan"]


def _no_orjson(text: object) -> Any:  # pragma: no cover - orjson is a dependency
    raise ValueError("orjson is not installed")


try:
    from orjson import loads as _orjson_loads
except ImportError:  # pragma: no cover - orjson has wheels for every common platform
    _orjson_loads = _no_orjson

# The statement up to the call's `(`: Next's plain push or its bootstrap.  A literal
# prefix, so the match is linear and fails at the first differing character.
_HEAD = re.compile(r"(?:self\.__next_f|\(self\.__next_f=self\.__next_f\|\|\[\]\))\.push\(")
# A `[kind,"` argument opening: one digit is always a valid JSON integer.
_STRING_ARG = re.compile(r'\[([0-9]),"')
# Between statements: `;` and ASCII spaces (both readers agree on these), or the end.
_GAP = re.compile(r"[ \t\n\r]*")
_SEPARATOR = re.compile(r"[ \t]*;[ \t\n\r]*")


def _gap_end(text: str, at: int) -> int:
    gap = _GAP.match(text, at)
    assert gap is not None  # it matches the empty string
    return gap.end()


# A short argument without a string (`[0]`, `[2,null]`): the general JSON reader is cheap
# on it.  Anything longer or with a quote goes to the general path as a whole.
_SHORT = 64


def _last_string_call(text: str, at: int) -> Call | None:
    """A ``[digit,"string"])`` call starting at ``at`` that is the script's last
    statement (its ``"])`` is the script's last one), read by orjson, or ``None``.

    orjson reads a long string about twice as fast as the standard library's scanner;
    it decodes a JSON string as ``json.loads`` does, and refuses what ``json.loads``
    would not return the same (lone surrogates, escaped or raw: a ``ValueError``).
    The whole argument is handed to it, so the text must be exactly one
    ``[digit,"string"]`` array; anything else is left to :func:`_string_call`.
    """
    close = text.rfind('"])')
    if close < at or _STRING_ARG.match(text, at) is None:
        return None
    end = close + 2  # just after the argument's `]`
    try:
        value = _orjson_loads(text[at:end])
    except ValueError:
        return None
    if not (type(value) is list and len(value) == 2 and type(value[1]) is str):
        return None
    return Call(((at, end, value),), end + 1)


def _string_call(text: str, at: int) -> Call | None:
    """A ``[digit,"string"])`` call starting at ``at`` (just after ``push(``), or ``None``."""
    opening = _STRING_ARG.match(text, at)
    if opening is None:
        return None
    try:
        value, end = scanstring(text, opening.end(), True)
    except ValueError:  # not JSON (an escape such as \x, a raw control character...)
        return None
    if not text.startswith("])", end):
        return None
    return Call(((at, end + 1, [int(opening.group(1)), value]),), end + 2)


def _short_call(text: str, at: int, max_depth: int) -> Call | None:
    """A call whose argument text is short and has no string, read by the general JSON
    reader, or ``None``."""
    close = text.find(")", at, at + _SHORT)
    if close < 0 or text.find('"', at, close) >= 0:
        return None
    read = read_call(text, at, max_depth)
    return read if isinstance(read, Call) else None


def fast_scan(text: str, max_depth: int) -> ScriptScan | None:
    """The scan of a script made only of plain push statements, or ``None`` when the
    script is anything else (then :func:`~.jsscan.scan_script` must read it)."""
    if max_depth < 1:  # every argument is an array: the general reader reports it
        return None
    calls: list[PushCall] = []
    pos, size = _gap_end(text, 0), len(text)
    while True:
        head = _HEAD.match(text, pos)
        if head is None:
            return None
        at = head.end()
        # orjson is tried on the first statement only: its argument is cut up to the
        # script's last `"])`, a copy that must not be made once per statement.
        read = _last_string_call(text, at) if not calls else None
        if read is None:
            read = _string_call(text, at)
        if read is None:
            read = _short_call(text, at, max_depth)
        if read is None:
            return None
        calls.append(PushCall(at, True, read))
        pos = read.end
        separator = _SEPARATOR.match(text, pos)
        if separator is not None:
            pos = separator.end()
        else:
            pos = _gap_end(text, pos)
            if pos < size:
                return None
        if pos >= size:
            return ScriptScan(tuple(calls), (), None)
