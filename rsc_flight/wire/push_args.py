"""The arguments of one ``self.__next_f.push(...)`` call, read without recursion.

Next.js writes each push argument as JSON (``[0]``, ``[1,"text"]``, ``[2,state]``,
``[3,"base64"]``), so the arguments are read as JSON values, not as JavaScript.  The
standard ``json`` decoder recurses once per nesting level and raises ``RecursionError``
on an argument nested a few thousand deep, so the extent of each value is found first by
a flat token loop that counts its depth (linear, no recursion, stopped at ``max_depth``);
only a value known to be shallow enough is handed to ``json.loads``.

The token loop stops at the first character that cannot appear in JSON outside a string
(``(``, ``;``, ``_``, ``$``, ``<``...), so a malformed call costs no more than its own
text, and no later push can lie inside text already scanned: the scan stays linear over
a whole script however many calls it holds.
"""

from __future__ import annotations

import json
import re
from typing import Any

import attrs

__all__ = ["BadCall", "Call", "read_call"]

# A JSON string's shape (json.loads checks its escapes): a run of plain characters, then
# escapes each followed by such a run.  An escape starts with the backslash a run cannot
# hold, so the match is linear and fails in linear time; the runs are single-class
# repeats, which the regex engine steps through without a loop iteration per character.
_STRING = re.compile(r'"[^"\\\x00-\x1f]*(?:\\[^\x00-\x1f][^"\\\x00-\x1f]*)*"')
# One JSON token: a string's opening quote, a bracket, separators, or a bare word (numbers,
# true, false, null).  Character classes are disjoint, so each token is one linear match.
_TOKEN = re.compile(r'(")|([\[{])|([\]}])|([\s,:]+)|([-+.0-9A-Za-z]+)')
_GAP = re.compile(r"\s*")


def _skip_gap(text: str, at: int) -> int:
    """The index of the first non-whitespace character at or after ``at``."""
    gap = _GAP.match(text, at)
    assert gap is not None  # it matches the empty string
    return gap.end()


@attrs.frozen
class Call:
    """The JSON arguments of a push call and the index just after its ``)``."""

    args: tuple[tuple[int, int, Any], ...]  # (start, end, value) of each argument
    end: int


@attrs.frozen
class BadCall:
    """A push call whose arguments are not a list of JSON values.

    ``code`` is ``"bad-push-json"`` (not JSON) or ``"bad-push"`` (nested deeper than
    ``max_depth``); ``start``..``end`` is the text that was read, for the diagnostic.
    """

    code: str
    reason: str
    start: int
    end: int


class _NotJSONError(Exception):
    def __init__(self, code: str, reason: str, at: int) -> None:
        super().__init__(reason)
        self.code, self.reason, self.at = code, reason, at


def _value_end(text: str, start: int, max_depth: int) -> int:
    """The index just after the JSON value starting at ``start``: a flat loop over its
    tokens, one iteration per token, that keeps the depth as a counter."""
    depth, at = 0, start
    while True:
        token = _TOKEN.match(text, at)
        if token is None:
            raise _NotJSONError("bad-push-json", "push argument is not JSON", at)
        quote, opening, closing, gap, _ = token.groups()
        if gap is not None and depth == 0:
            raise _NotJSONError("bad-push-json", "push argument is not JSON", at)
        at = token.end()
        if quote is not None:
            string = _STRING.match(text, token.start())
            if string is None:
                raise _NotJSONError("bad-push-json", "push argument has an unterminated string", at)
            at = string.end()
        elif opening is not None:
            depth += 1
            if depth > max_depth:
                reason = f"push argument nested deeper than max_depth={max_depth}"
                raise _NotJSONError("bad-push", reason, at)
            continue
        elif closing is not None:
            depth -= 1
            if depth < 0:
                raise _NotJSONError("bad-push-json", "push argument is not JSON", at)
        if depth == 0:
            return at


def _argument(text: str, start: int, max_depth: int) -> tuple[int, Any]:
    end = _value_end(text, start, max_depth)
    try:
        return end, json.loads(text[start:end])
    except (ValueError, RecursionError) as exc:  # RecursionError: a deep caller's stack
        raise _NotJSONError("bad-push-json", f"push argument is not JSON: {exc}", end) from None


def read_call(text: str, at: int, max_depth: int) -> Call | BadCall:
    """Read the arguments of a call whose ``(`` ends just before ``at``, up to its ``)``.

    Arguments are JSON values separated by commas (a trailing comma is allowed, as in
    JavaScript).  Anything else, such as ``push([1,"a"]+x)`` or ``push(data)``, makes the
    whole call a :class:`BadCall`: JavaScript evaluates every argument before pushing, so
    a call with one unreadable argument pushes nothing that can be known.
    """
    args: list[tuple[int, int, Any]] = []
    pos = _skip_gap(text, at)
    try:
        while not text.startswith(")", pos):
            start = pos
            end, value = _argument(text, start, max_depth)
            args.append((start, end, value))
            pos = _skip_gap(text, end)
            if text.startswith(",", pos):
                pos = _skip_gap(text, pos + 1)
            elif not text.startswith(")", pos):
                raise _NotJSONError("bad-push-json", "push argument is not JSON", pos)
    except _NotJSONError as exc:
        return BadCall(exc.code, exc.reason, at, max(exc.at, at))
    return Call(tuple(args), pos + 1)
