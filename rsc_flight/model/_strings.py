"""Phase 1's reading of one ``$``-string, driven by the code table of :mod:`._codes`.

A pure code is decoded on the spot; a reference, lazy or promise leaves its text in place
and a site on the tape (:mod:`._tape`); a string that names no row leaves a warning site.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from ..errors import FlightLimitError
from . import _builders as b
from ._chunks import HALTED
from ._codes import CODES, parse_row_id
from ._tape import ENTER, LAZY, PROMISE, REF, WARN, Tape, Thrown
from .values import (
    UNDEFINED,
    ErrorValue,
    FunctionSource,
    JSBigInt,
    JSDate,
    JSPromise,
    JSSymbol,
    Lazy,
    Omitted,
    ServerContextProvider,
    TemporaryReference,
)

if TYPE_CHECKING:
    from ._revive import ModelContext

__all__ = ["ENTER_SITE", "StringFn", "built_codes", "string_decoder"]

#: The one ENTER site (it carries nothing).
ENTER_SITE = (ENTER,)

# -- pure codes ----------------------------------------------------------------------------

_Decoder = Callable[[str, "ModelContext"], Any]


def _bigint(text: str, ctx: ModelContext) -> JSBigInt:
    digits = text[2:]
    if len(digits) > ctx.max_bigint_digits:
        raise FlightLimitError(
            f"BigInt of {len(digits)} digits, over max_bigint_digits={ctx.max_bigint_digits}"
        )
    try:
        return JSBigInt(int(digits))
    except ValueError:
        raise Thrown(ErrorValue(f"Cannot convert {digits} to a BigInt", "SyntaxError")) from None


def _provider(text: str, ctx: ModelContext) -> Any:
    # React 18: a server context provider; 19.2 development builds: a prototype marker
    # whose key is dropped.
    return UNDEFINED if ctx.rules19 else ServerContextProvider(text[2:])


def _undefined(text: str, ctx: ModelContext) -> Any:
    return UNDEFINED


def _minus(text: str, ctx: ModelContext) -> float:
    return -0.0 if text == "$-0" else float("-inf")


def _prod_error(text: str, ctx: ModelContext) -> ErrorValue:
    return ErrorValue(b.PROD_MESSAGE)


#: The decoder of each ``value`` code of the table.
_VALUES: dict[str, _Decoder] = {
    "$undefined": _undefined,
    "$NaN": lambda text, ctx: float("nan"),
    "$Infinity": lambda text, ctx: float("inf"),
    "$-Infinity": _minus,
    "$-0": _minus,
    "$n": _bigint,
    "$T": lambda text, ctx: TemporaryReference(text[1:]),
    "$P": _provider,
    "$w": _undefined,
    "$H": _undefined,
}

#: The ``value`` codes whose value is made from the text after the code alone: called with
#: it directly (dates are common: a call less each).
_FROM_REST: dict[str, Callable[[str], Any]] = {
    "$D": JSDate.parse,
    "$S": JSSymbol,
    "$E": FunctionSource,
    "$Y": Omitted,
}

#: What each ``built`` code builds from its row; ``$Z`` is the production error when it
#: has no id (or under React 18.3's rules, which know no ``$Z<id>``).
_BUILDS: dict[str, b.BuildFn] = {
    "$Q": b.create_map,
    "$W": b.create_set,
    "$K": b.create_form_data,
    "$B": b.create_blob,
    "$i": b.create_iterator,
    "$Z": b.create_error,
}
_WITHOUT_ID: dict[str, _Decoder] = {"$Z": _prod_error}

# Dispatch kinds, by the character after "$".
_ESCAPE, _VALUE, _REFERENCE, _LAZY, _PROMISE, _UNDEFINED, _REST = range(7)
_Entry = tuple[int, Any, Any]


def _dispatch(ctx: ModelContext) -> dict[str, _Entry]:
    """The table of :mod:`._codes`, as this context reads it: char -> (kind, fn, fallback)."""
    server = b.create_server_reference_19 if ctx.rules19 else b.create_server_reference_18
    table: dict[str, _Entry] = {}
    for info in CODES.values():
        if not info.char:
            continue  # "$" and "$<hex id>", handled by the walker
        if info.kind == "escape":
            table[info.char] = (_ESCAPE, None, None)
        elif info.kind == "value" and info.code in _FROM_REST:
            table[info.char] = (_REST, _FROM_REST[info.code], None)
        elif info.kind == "value":
            decode = _VALUES[info.code]
            if decode is _undefined or (decode is _provider and ctx.rules19):
                table[info.char] = (_UNDEFINED, None, None)  # common: no call needed
            else:
                table[info.char] = (_VALUE, decode, None)
        elif info.kind == "built" and info.rules == "19" and not ctx.rules19:
            table[info.char] = (_VALUE, _WITHOUT_ID[info.code], None)
        elif info.kind == "built":
            build = _BUILDS.get(info.code, server)
            table[info.char] = (_REFERENCE, build, _WITHOUT_ID.get(info.code))
        elif info.kind == "lazy":
            table[info.char] = (_LAZY, None, None)
        elif info.kind == "promise":
            table[info.char] = (_PROMISE, None, None)
    return table


def built_codes(ctx: ModelContext) -> dict[str, Any]:
    """The built codes ``_reference`` reads for every text longer than the code (``$Q``,
    ``$W``...): code character -> build function, for the native phase 1, which makes
    their sites itself (``$Z`` is left out: its bare form is a value)."""
    if ctx.tag_first:
        return {}
    return {
        char: fn
        for char, (kind, fn, fallback) in _dispatch(ctx).items()
        if kind == _REFERENCE and fn is not b.create_model and fallback is None
    }


# -- strings --------------------------------------------------------------------------------


def _reference(
    text: str, reference: str, holder: Any, key: Any, tape: Tape, build: Any, max_path: int
) -> str:
    """A site for a reference to a row (``getOutlinedModel``), or a warning if there is none."""
    path = reference.split(":")
    row_id = parse_row_id(path[0])
    if row_id is None:
        tape.append((WARN, text))  # not a reference after all: the text stays
        return text
    if len(path) - 1 > max_path:
        raise FlightLimitError(
            f"path reference of {len(path) - 1} steps, over max_path_length={max_path}",
            row_id=row_id,
        )
    tape.last_store = len(tape)
    tape.append((REF, holder, key, row_id, path, build, reference))
    return text


def _lazy(text: str, digits: str, tape: Tape) -> Any:
    """A lazy, whose chunk the replay looks up (in order: that records the mention)."""
    row_id = parse_row_id(digits)
    if row_id is None:
        tape.append((WARN, text))
        return text
    lazy = Lazy(_UNLINKED)
    tape.append((LAZY, lazy, row_id))
    return lazy


_UNLINKED = cast("JSPromise", None)  # a lazy's chunk until the replay links it


def _promise(text: str, holder: Any, key: Any, tape: Tape) -> Any:
    if len(text) == 2:
        return JSPromise(HALTED, None, None)  # a promise that never settles
    row_id = parse_row_id(text[2:])
    if row_id is None:
        tape.append((WARN, text))
        return text
    tape.last_store = len(tape)  # the value is the chunk itself: stored by the replay
    tape.append((PROMISE, holder, key, row_id))
    return text


StringFn = Callable[[str, Any, Any, Tape], Any]


def _string_decoder(ctx: ModelContext) -> StringFn:
    """``parseModelString`` for id-first dialects: one ``$``-string to its value (or to
    itself, with a site on the tape)."""
    table = _dispatch(ctx)
    element = ctx.element
    scoped = ctx.rules19
    max_path = ctx.max_path_length
    default = (_REFERENCE, b.create_model, None)
    model = b.create_model

    def string(text: str, holder: Any, key: Any, tape: Tape) -> Any:
        if text == "$":
            if scoped and key == "0":
                tape.append(ENTER_SITE)  # an element written as an object
            return element
        kind, fn, fallback = table.get(text[1], default)
        if kind == _LAZY:  # the commonest code: inlined (a lazy's id, as parse_row_id reads it)
            digits = text[2:]
            if len(digits) <= 16 and digits.isalnum() and (digits.isdigit() or digits.islower()):
                try:
                    lazy = Lazy(_UNLINKED)
                    tape.append((LAZY, lazy, int(digits, 16)))
                    return lazy
                except ValueError:
                    pass
            tape.append((WARN, text))
            return text
        if kind == _UNDEFINED:
            return UNDEFINED
        if kind == _REFERENCE:
            if fn is model:  # "$<hex id>": the id starts right after the "$"
                return _reference(text, text[1:], holder, key, tape, fn, max_path)
            if fallback is not None and len(text) == 2:
                return fallback(text, ctx)
            return _reference(text, text[2:], holder, key, tape, fn, max_path)
        if kind == _ESCAPE:
            return text[1:]
        if kind == _REST:
            return fn(text[2:])
        if kind == _VALUE:
            return fn(text, ctx)
        return _promise(text, holder, key, tape)

    return string


def _tag_first_decoder(ctx: ModelContext) -> StringFn:
    """The 2022 dialect: ``@hex`` lazies, ``$``/``@`` escaped by a leading ``$``."""
    element = ctx.element
    max_path = ctx.max_path_length
    model = b.create_model

    def string(text: str, holder: Any, key: Any, tape: Tape) -> Any:
        if text[0] == "@":
            return _lazy(text, text[1:], tape)
        if len(text) == 1:
            return element
        if text[1] in "$@":
            return text[1:]
        return _reference(text, text[1:], holder, key, tape, model, max_path)

    return string


def string_decoder(ctx: ModelContext) -> StringFn:
    """The ``$``-string reader for ``ctx``'s dialect."""
    return _tag_first_decoder(ctx) if ctx.tag_first else _string_decoder(ctx)
