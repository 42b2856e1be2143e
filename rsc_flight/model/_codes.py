"""The one table of React's ``$``-string codes.

A model row's strings that start with ``$`` are not always strings: ``"$undefined"`` is
``undefined``, ``"$1f"`` is the value of row ``0x1f``, ``"$L1f"`` a lazy reference to it...
React's client decodes them in ``parseModelString``.  Three readers of this project need the
same reading: the resolver (which decodes them), the inspector (which only finds links) and
the inspector's page script (which labels them).  This module is the one place that says
what each code is, as data: the resolver's phase-1 reviver (:mod:`._revive`) dispatches on
it, and :func:`to_json` gives the same table to code outside Python.

The second character of a ``$``-string selects its code; a string that is exactly ``"$"``
is the element marker.  Anything not in the table (a hex digit, or an unknown letter) is a
reference to a row, written ``$<hex id>`` with an optional ``:``-separated path; React
writes ids in lowercase hex, and text that is not one stays the text it is (with a
``not-a-row-reference`` warning from the resolver).

Kinds:

* ``element`` — ``"$"``: React's element symbol, first field of an element tuple;
* ``escape`` — ``"$$..."``: the string without its first ``$``;
* ``value`` — decoded from the text alone, no other row involved (``$undefined``, ``$D``...);
* ``reference`` — the value of a row, maybe walked along a path (``$1f``, ``$1f:props``);
* ``built`` — the value of a row (maybe along a path) turned into an object: a ``Map``, a
  ``Set``, ``FormData``, a ``Blob``, an iterator, a server reference, an error;
* ``lazy`` — ``$L<id>``: a lazy wrapper of a row, no path;
* ``promise`` — ``$@<id>``: the row's promise, no path (``"$@"`` alone: one that never
  settles, a ``value``).

Two codes depend on the React client whose rules are followed: ``$Z`` carries a row id only
from React 19 on (before, and without an id, it is the production error, a ``value``), and
``$P`` is a server context provider for React 18 but a prototype marker (``undefined``) for
React 19.  The 2022 tag-first dialect has its own, smaller set (:data:`TAG_FIRST_CODES`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

import attrs

__all__ = [
    "CODES",
    "TAG_FIRST_CODES",
    "Classified",
    "CodeInfo",
    "Kind",
    "classify",
    "code_of",
    "parse_row_id",
    "to_json",
]

Kind = Literal["element", "escape", "value", "reference", "built", "lazy", "promise"]


@attrs.frozen
class CodeInfo:
    """One ``$`` code.

    Attributes:
        code: how it is written, for people (``"$Q"``, ``"$undefined"``, ``"$<hex id>"``).
        kind: what decoding it involves (see the module notes).
        meaning: one line on what it decodes to.
        char: the character after ``$`` that selects it (``""`` for the element marker and
            for ``$<hex id>``, which is the default).
        path: whether a ``:``-path may follow the row id.
        rules: ``"both"``, or the only React client (``"18"``/``"19"``) reading it this way.
    """

    code: str
    kind: Kind
    meaning: str
    char: str
    path: bool = False
    rules: Literal["both", "18", "19"] = "both"


def _info(
    code: str,
    kind: Kind,
    meaning: str,
    *,
    char: str | None = None,
    path: bool = False,
    rules: Literal["both", "18", "19"] = "both",
) -> CodeInfo:
    return CodeInfo(code, kind, meaning, code[1:2] if char is None else char, path, rules)


_TABLE = (
    _info("$", "element", "React's element symbol (the first field of an element tuple)"),
    _info("$$", "escape", "the string without its first '$'"),
    _info(
        "$<hex id>", "reference", "the value of that row, walked along the path", char="", path=True
    ),
    _info("$L", "lazy", "a lazy wrapper of the row (React.lazy)"),
    _info("$@", "promise", "the row's promise; '$@' alone: a promise that never settles"),
    _info("$Q", "built", "a Map built from the row's [key, value] pairs", path=True),
    _info("$W", "built", "a Set built from the row's values", path=True),
    _info("$K", "built", "a FormData built from the row's [name, value] pairs", path=True),
    _info("$B", "built", "a Blob built from the row's [type, ...parts]", path=True),
    _info("$i", "built", "an iterator over the row's values", path=True),
    _info("$h", "built", "a server reference described by the row", path=True),
    _info("$F", "built", "a server reference described by the row (React 18.3)", path=True),
    _info(
        "$Z",
        "built",
        "an error built from the row; without an id: the production error",
        path=True,
        rules="19",
    ),
    _info("$undefined", "value", "undefined (a hole in an array, an absent key in an object)"),
    _info("$NaN", "value", "NaN"),
    _info("$Infinity", "value", "Infinity"),
    _info("$-Infinity", "value", "-Infinity (any '$-' text but '$-0')"),
    _info("$-0", "value", "negative zero", char="-"),
    _info("$D", "value", "a Date, from the ISO text after the code"),
    _info("$n", "value", "a BigInt, from the decimal digits after the code"),
    _info("$S", "value", "the symbol Symbol.for(text after the code)"),
    _info("$T", "value", "a temporary reference (an opaque client value)"),
    _info("$E", "value", "the source text of a function (development builds)"),
    _info("$Y", "value", "a value the server left out (development builds)"),
    _info("$P", "value", "React 18: a server context provider; React 19: undefined"),
    _info("$w", "value", "undefined (a development-only marker)"),
    _info("$H", "value", "undefined (a development-only marker)"),
)

#: Every code, by how it is written.
CODES: Mapping[str, CodeInfo] = MappingProxyType({info.code: info for info in _TABLE})

#: The 2022 tag-first dialect (Next 13.0-13.3): ``@hex`` is the lazy reference, ``$`` and
#: ``@`` are escaped by a leading ``$``, and every other ``$``-string is a row reference.
TAG_FIRST_CODES: Mapping[str, CodeInfo] = MappingProxyType(
    {
        "$": CODES["$"],
        "@<hex id>": CodeInfo("@<hex id>", "lazy", "a lazy wrapper of the row", "@"),
        "$$": CODES["$$"],
        "$@": CodeInfo("$@", "escape", "the string without its first '$'", "@"),
        "$<hex id>": CODES["$<hex id>"],
    }
)

# The code selected by the character after "$" (a missing character: the hex reference).
_BY_CHAR: dict[str, CodeInfo] = {
    info.char: info for info in _TABLE if info.char and info.code not in ("$-0", "$-Infinity")
}


class Classified(NamedTuple):
    """What a string is, for :func:`classify`."""

    code: str | None  # the key in CODES (or TAG_FIRST_CODES); None for a plain string
    kind: Kind | None  # None for a plain string
    row_id: int | None  # the row a reference, built value, lazy or promise names
    path: tuple[str, ...]  # the path after the id, if any


_PLAIN = Classified(None, None, None, ())


def parse_row_id(text: str) -> int | None:
    """A row id as React writes it (lowercase hex, at most 16 digits), or ``None``."""
    # isalnum + (isdigit | islower) is far cheaper than a regex; int() then refuses the
    # letters past "f" that pass it.
    if len(text) <= 16 and text.isascii() and text.isalnum() and (text.isdigit() or text.islower()):
        try:
            return int(text, 16)
        except ValueError:
            return None
    return None


def code_of(text: str, *, rules: Literal["18", "19"] = "19") -> CodeInfo:
    """The code of a ``$``-string (id-first dialects), as the resolver selects it."""
    if len(text) == 1:
        return CODES["$"]
    char = text[1]
    if char == "-":
        return CODES["$-0" if text == "$-0" else "$-Infinity"]
    info = _BY_CHAR.get(char)
    if info is None:
        return CODES["$<hex id>"]
    if info.code == "$Z" and (rules == "18" or len(text) == 2):
        return _PROD_ERROR
    return info


_PROD_ERROR = CodeInfo("$Z", "value", "the production error (no row id)", "Z")


def classify(
    text: str, *, rules: Literal["18", "19"] = "19", tag_first: bool = False
) -> Classified:
    """What a string of a model row stands for: its code, kind, row id and path.

    ``row_id`` is ``None`` for values, escapes, plain strings and for text that looks like a
    reference but does not name a row (the resolver keeps that text as it is).
    """
    if tag_first:
        return _classify_tag_first(text)
    if not text or text[0] != "$":
        return _PLAIN
    info = code_of(text, rules=rules)
    kind = info.kind
    if kind == "reference" or kind == "built":
        parts = text[1 if kind == "reference" else 2 :].split(":")
        return Classified(info.code, kind, parse_row_id(parts[0]), tuple(parts[1:]))
    if kind == "lazy" or kind == "promise":
        if text == "$@":
            return Classified(info.code, "value", None, ())
        return Classified(info.code, kind, parse_row_id(text[2:]), ())
    return Classified(info.code, kind, None, ())


def _classify_tag_first(text: str) -> Classified:
    if not text or text[0] not in "$@":
        return _PLAIN
    if text[0] == "@":
        return Classified("@<hex id>", "lazy", parse_row_id(text[1:]), ())
    if text == "$":
        return Classified("$", "element", None, ())
    if text[1] in "$@":
        return Classified("$" + text[1], "escape", None, ())
    parts = text[1:].split(":")
    return Classified("$<hex id>", "reference", parse_row_id(parts[0]), tuple(parts[1:]))


def to_json() -> dict[str, Any]:
    """The tables as JSON-ready data (for the inspector's page script)."""
    return {
        "codes": [attrs.asdict(info) for info in CODES.values()],
        "tagFirst": [attrs.asdict(info) for info in TAG_FIRST_CODES.values()],
    }
