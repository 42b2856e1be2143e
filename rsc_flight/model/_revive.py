"""Phase 1 of the reviver: a model row's JSON text to values and a tape of stateful sites.

React parses a model row with ``JSON.parse`` and a reviver that visits every value after its
children.  Almost everything the reviver does depends on the text alone: ``$$`` escapes,
``$undefined``, dates, BigInts, symbols, element tuples whose fields are plain.  A few
steps depend on the state of other chunks and may even parse other rows in the middle of
the walk: references to rows (``$1f``, ``$Q1f``...), lazies (``$L1f``), promises
(``$@1f``), and the *element scope* React opens around an element's fields so that a
missing reference blocks only that element.

This module does the first part, with no chunk state at all: :func:`decode_model` returns
the decoded tree and a **tape**: the stateful sites, in the order the one-pass reviver
would have reached them (post-order, an element's ``ENTER`` before its fields and its
``EXIT`` after).  The resolver then replays the tape with React's chunk semantics
(``_references.replay``).  Because pure decoding has no observable effect and every
stateful step sits on the tape at its own post-order position, replaying performs the same
``get_chunk`` calls, nested initialisations, handler pushes and pops, throws and warnings,
in the same order, as a one-pass reviver would.

Two shortcuts keep the tape short (about 3% of the nodes of a large page are sites):

* a lazy is created here and only *linked* to its chunk by the replay (``get_chunk`` is
  stateful: it creates the chunk and records the mention for :meth:`Resolver.resolve_all`),
  so it stores nothing at replay time;
* an element whose fields hold no site that stores a value (a reference, a promise, an
  element built by the replay) is built here: its scope would open and close with nothing
  waiting, which changes nothing.  Otherwise its ``ENTER`` is inserted where its scope
  opened and its ``EXIT`` pushed after its fields.  ``ModelContext(shortcut=False)``
  turns this off (every element on the tape), which the tests compare with.

The walk recurses once per level of nesting, as the one-pass reviver did, and applies
``max_depth`` at the same levels with the same message.

A step that throws (``$n`` text that is no BigInt) or exceeds a limit ends the walk: the
rest of the row is never reached by a one-pass reviver either, so the tape ends with the
throw, raised when the replay reaches it.

The tape format is described in :mod:`._tape`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any

import attrs

from ..errors import FlightLimitError
from ..limits import Limits
from ._strings import ENTER_SITE, StringFn, string_decoder
from ._tape import (
    DICT_ELEMENT,
    DICT_MAYBE,
    ELEMENT_18,
    ELEMENT_19,
    EXIT,
    LIST_ELEMENT,
    LIST_MAYBE,
    RAISE,
    THROW,
    Tape,
    Thrown,
    build_element,
)
from .values import UNDEFINED, Element, JSSymbol

__all__ = ["ModelContext", "decode_model", "loads", "nesting_over", "quick_loads", "revive"]


# -- JSON as JSON.parse reads it -----------------------------------------------------------


def _reject_constant(name: str) -> Any:
    # JSON.parse rejects NaN and Infinity; Python's json accepts them unless told not to.
    raise ValueError(f"invalid JSON literal {name}")


_JSON = json.JSONDecoder(parse_constant=_reject_constant)
_scan_once = _JSON.scan_once  # type: ignore[attr-defined]  # set in __init__, not in typeshed
_JSON_SPACE = " \t\n\r"


#: The tokens that decide nesting: a string (skipped whole, closed or running to the end
#: of an invalid text) or a bracket.  The two alternatives of a string's body start with
#: different characters, so the match is linear.
_NESTING_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.S)

#: Nesting the caller did not bound: Limits.max_depth's default.
_DEFAULT_DEPTH = 512


def nesting_over(text: str, max_depth: int) -> int | None:
    """Where ``text``'s JSON nests deeper than ``max_depth`` arrays and objects (the index
    of the first bracket too deep), or ``None``.

    One linear pass outside strings, and none at all for the common text with fewer
    brackets than ``max_depth``.  The standard library's scanner recurses on the C stack
    once per level, so a text too deep for the limits must never reach it.
    """
    if text.count("[") + text.count("{") <= max_depth:
        return None
    depth = 0
    for match in _NESTING_TOKENS.finditer(text):
        at = match.start()
        char = text[at]
        if char == "[" or char == "{":
            depth += 1
            if depth > max_depth:
                return at
        elif char != '"':
            depth -= 1
    return None


def _loads_stdlib(text: str, max_depth: int = _DEFAULT_DEPTH) -> Any:
    """``json.loads`` as ``JSON.parse`` reads it, without the wrapper's per-call cost.

    Most rows are small, and ``JSONDecoder.decode`` spends more on its Python wrapper than
    the C scanner spends on them, so the scanner is called directly.  A text nested deeper
    than ``max_depth`` is refused before the scanner sees it (:func:`nesting_over`).

    Raises:
        ValueError: not JSON as ``JSON.parse`` reads it.
        FlightLimitError: nested deeper than ``max_depth`` (no position: the caller knows
            the row).
    """
    if nesting_over(text, max_depth) is not None:
        raise FlightLimitError(f"values nest deeper than max_depth={max_depth}")
    start = 0
    if text[:1] in _JSON_SPACE:  # also "" (then the scanner reports the error)
        start = len(text) - len(text.lstrip(_JSON_SPACE))
    try:
        value, end = _scan_once(text, start)
    except StopIteration as stop:
        raise json.JSONDecodeError("Expecting value", text, stop.value) from None
    if end != len(text) and text[end:].strip(_JSON_SPACE):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def _no_quick_loads(text: str) -> Any:
    raise ValueError("orjson is not installed")


try:
    from orjson import JSONDecodeError as _OrjsonError, loads as _orjson_loads
except ImportError:  # pragma: no cover - orjson has wheels for every common platform
    loads = _loads_stdlib
    quick_loads: Callable[[str], Any] = _no_quick_loads
else:
    #: orjson's parser alone, for a caller that sends whatever it refuses (a ``ValueError``)
    #: to :func:`loads`: one call less per row than :func:`loads`.
    quick_loads = _orjson_loads

    def loads(text: str, max_depth: int = _DEFAULT_DEPTH) -> Any:
        """Parse with orjson (2-3x faster than the standard library on flight rows).

        orjson is stricter than ``JSON.parse`` in two ways: it refuses escaped lone
        surrogates and integers beyond 64 bits.  Whatever it refuses goes through the
        standard library, which reads both as JavaScript does and rejects everything else
        ``JSON.parse`` rejects (``NaN``, trailing commas...), so the accepted language is
        exactly JavaScript's.  orjson stops at 1024 levels on its own (without recursing
        on the C stack); the standard library is given nothing deeper than ``max_depth``.
        """
        try:
            return _orjson_loads(text)
        except _OrjsonError:
            return _loads_stdlib(text, max_depth)


# -- the context ---------------------------------------------------------------------------


@attrs.frozen(cache_hash=True)  # (a cache key in every parse)
class ModelContext:
    """What phase 1 depends on besides the text: built once per resolver.

    Attributes:
        rules19: React 19's reading (element scopes, ``__proto__`` dropped, ``$Z<id>``,
            ``$P`` as undefined); else React 18.3's.
        tag_first: the 2022 tag-first dialect (``@hex`` lazies, ``$@`` escapes).
        max_depth, max_bigint_digits, max_path_length: the :class:`~rsc_flight.Limits`.
        shortcut: build elements whose scope holds nothing stateful in phase 1 (else every
            element gets an ``ENTER``/``EXIT`` pair: the plain one-pass order, which the
            tests compare the shortcut with).
    """

    rules19: bool
    tag_first: bool = False
    max_depth: int = 512
    max_bigint_digits: int = 4300
    max_path_length: int = 256
    shortcut: bool = True
    _walk: Callable[[Any], tuple[dict[str, Any], Tape]] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_walk", _make_walker(self))

    def __reduce__(self) -> tuple[Any, ...]:
        # The walker is a closure: a pickled payload rebuilds it from the fields.
        fields = (self.rules19, self.tag_first, self.max_depth)
        rest = (self.max_bigint_digits, self.max_path_length, self.shortcut)
        return (ModelContext, (*fields, *rest))

    @classmethod
    def of(cls, *, rules19: bool, tag_first: bool, limits: Limits) -> ModelContext:
        """The context for these rules and limits, shared: building one costs as much as
        decoding a small payload, and a context is immutable (its walk is reentrant)."""
        return _context(rules19, tag_first, limits)

    @property
    def element(self) -> JSSymbol:
        """The symbol the element marker ``"$"`` decodes to."""
        return ELEMENT_19 if self.rules19 else ELEMENT_18


@functools.lru_cache(maxsize=64)
def _context(rules19: bool, tag_first: bool, limits: Limits) -> ModelContext:
    return ModelContext(
        rules19, tag_first, limits.max_depth, limits.max_bigint_digits, limits.max_path_length
    )


def decode_model(text: str, ctx: ModelContext) -> tuple[dict[str, Any], Tape]:
    """Phase 1: ``(holder, tape)`` for one row's JSON text.

    The value is ``holder[""]`` once the tape is replayed (``UNDEFINED`` if the key is
    gone); with an empty tape it is final already.  Pure: it reads no chunk and changes
    nothing but the objects it creates.

    Raises:
        ValueError: the text is not JSON as ``JSON.parse`` reads it.
        FlightLimitError: the JSON nests deeper than ``ctx.max_depth``.
        RecursionError: the JSON nests deeper than the interpreter's recursion limit.
    """
    return ctx._walk(loads(text, ctx.max_depth))


def revive(raw: Any, ctx: ModelContext) -> tuple[dict[str, Any], Tape]:
    """Phase 1 without the parsing: ``(holder, tape)`` for ``JSON.parse``'s output ``raw``
    (changed in place)."""
    return ctx._walk(raw)


# -- the walk ------------------------------------------------------------------------------


def _pure_element(fields: list[Any], holder: Any, key: Any, tape: Tape) -> None:
    element, dev = build_element(fields)
    if dev:
        tape.dev = True
    holder[key] = element


def _exit(tape: Tape, holder: Any, key: Any, value: Any, shape: int) -> None:
    tape.last_store = len(tape)
    tape.append((EXIT, holder, key, value, shape))


def _walk_items(
    value: list[Any],
    start: int,
    depth: int,
    tape: Tape,
    string: StringFn,
    prefixes: str,
    walk_list: _Walk,
    walk_dict: _Walk,
    end: int = -1,
) -> None:
    """The items of a list from ``start`` to ``end`` (an element tuple's fields)."""
    for i in range(start, len(value) if end < 0 else end):
        item = value[i]
        t = type(item)
        if t is str:
            if item and item[0] in prefixes:
                new = string(item, value, i, tape)
                if new is not item:
                    value[i] = new
        elif t is dict:
            walk_dict(item, depth, value, i, tape)
        elif t is list:
            walk_list(item, depth, value, i, tape)


def _finish_element(
    value: list[Any], holder: Any, key: Any, tape: Tape, mark: int, scoped: bool, pure: bool
) -> None:
    """An element tuple's fields are walked: build it, or open its scope at ``mark`` and
    leave its ``EXIT`` for the replay."""
    if pure and (len(tape) == mark or tape.last_store < mark):
        _pure_element(value[1:], holder, key, tape)
    else:
        if scoped:
            tape.insert(mark, ENTER_SITE)  # its fields wait or store: it needs its scope
        _exit(tape, holder, key, value, LIST_ELEMENT)


_Walk = Callable[[Any, int, Any, Any, Tape], None]
_Entry = Callable[[Any], tuple[dict[str, Any], Tape]]


def _unbound(value: Any, depth: int, holder: Any, key: Any, tape: Tape) -> None:
    raise AssertionError("the tuple walker is bound by _make_walker")  # pragma: no cover


def _make_walker(ctx: ModelContext) -> _Entry:
    """The reviver's walk over ``JSON.parse``'s output, specialised for ``ctx``.

    One Python frame per level of nesting, as the one-pass reviver had.  Containers are
    changed in place; a container that becomes an element stores the element in its holder.
    An element tuple is built here unless a site after its start stores a value (a
    reference, a promise, an element built by the replay): only those can wait and so need
    the element's scope, or write into the tuple.  Lazies and warnings store nothing.
    """
    string = string_decoder(ctx)
    element = ctx.element
    max_depth = ctx.max_depth
    prefixes = "$@" if ctx.tag_first else "$"
    scoped = ctx.rules19 and not ctx.tag_first  # "$" first opens an element scope
    # (with React 19's rules in the tag-first dialect every element closes a scope)
    pure = ctx.shortcut and not (ctx.rules19 and ctx.tag_first)
    too_deep = f"values nest deeper than max_depth={max_depth}"

    def walk_list(value: list[Any], depth: int, holder: Any, key: Any, tape: Tape) -> None:
        if depth >= max_depth:
            raise FlightLimitError(too_deep)
        n = len(value)
        if n == 4 and value[0] == "$":  # ["$", type, key, props]: the commonest array
            walk_tuple(value, depth + 1, holder, key, tape)
            return
        depth += 1
        start = maybe = 0
        if n and type(value[0]) is str:
            if value[0] == "$":  # an element tuple of another length
                mark = len(tape)
                try:
                    value[0] = element
                    _walk_items(value, 1, depth, tape, string, prefixes, walk_list, walk_dict)
                except (FlightLimitError, Thrown):
                    if scoped:
                        tape.insert(mark, ENTER_SITE)  # the walk ends inside this element's scope
                    raise
                _finish_element(value, holder, key, tape, mark, scoped, pure)
                return
            maybe = value[0][:1] == "$"  # a reference first may be the element marker
            mark = len(tape)
        for i in range(start, n):
            item = value[i]
            t = type(item)
            if t is str:
                if item and item[0] in prefixes:
                    new = string(item, value, i, tape)
                    if new is not item:
                        value[i] = new
            elif t is dict:
                walk_dict(item, depth, value, i, tape)
            elif t is list:
                if depth < max_depth and len(item) == 4 and item[0] == "$":
                    walk_tuple(item, depth + 1, value, i, tape)  # (walk_list's first step)
                else:
                    walk_list(item, depth, value, i, tape)
        if maybe and tape.last_store >= mark and type(value[0]) is str and value[0][:1] == "$":
            _exit(tape, holder, key, value, LIST_MAYBE)

    walk_dict, bind = _dict_walker(ctx, string, walk_list)
    walk_tuple = _tuple_walker(ctx, string, walk_list, walk_dict)
    bind(walk_tuple)
    return _entry(ctx, string, walk_list, walk_dict, walk_tuple)


def _entry(
    ctx: ModelContext, string: StringFn, walk_list: _Walk, walk_dict: _Walk, walk_tuple: _Walk
) -> _Entry:
    prefixes = "$@" if ctx.tag_first else "$"
    tuples = ctx.max_depth > 0  # (an element tuple as the root is walk_list's first step)

    def walk(raw: Any) -> tuple[dict[str, Any], Tape]:
        tape = Tape()
        holder = {"": raw}
        try:
            t = type(raw)
            if t is list:
                if tuples and len(raw) == 4 and raw[0] == "$":
                    walk_tuple(raw, 1, holder, "", tape)
                else:
                    walk_list(raw, 0, holder, "", tape)
            elif t is dict:
                walk_dict(raw, 0, holder, "", tape)
            elif t is str and raw and raw[0] in prefixes:
                holder[""] = string(raw, holder, "", tape)
        except FlightLimitError as exc:
            tape.append((RAISE, exc))
        except Thrown as thrown:
            tape.append((THROW, thrown.value))
        return holder, tape

    return walk


def _dict_walker(
    ctx: ModelContext, string: StringFn, walk_list: _Walk
) -> tuple[_Walk, Callable[[_Walk], None]]:
    """The walk of one object: values decoded, ``undefined`` keys dropped, ``__proto__``
    dropped (React 19), and an object with the element marker at ``"0"`` made an element
    (by the replay: such objects are rare, and their scope opened at ``"0"``).

    Returned with the function that gives it the tuple walker (which needs this walk: made
    after it), so that an element tuple as a value (``"children": ["$", ...]``) is walked
    without walk_list's call: a call per element is a tenth of the walk.
    """
    walk_tuple: _Walk = _unbound

    def bind(tuple_walker: _Walk) -> None:
        nonlocal walk_tuple
        walk_tuple = tuple_walker

    element = ctx.element
    max_depth = ctx.max_depth
    prefixes = "$@" if ctx.tag_first else "$"
    drop_proto = ctx.rules19
    too_deep = f"values nest deeper than max_depth={max_depth}"

    def walk_dict(value: dict[str, Any], depth: int, holder: Any, key: Any, tape: Tape) -> None:
        if depth >= max_depth:
            raise FlightLimitError(too_deep)
        depth += 1
        drop = None
        for k, item in value.items():
            t = type(item)
            if t is str:
                if item and item[0] in prefixes:
                    new = string(item, value, k, tape)
                    if new is not item:
                        if new is UNDEFINED:  # (appended: a copy per key was quadratic)
                            if drop is None:
                                drop = [k]
                            else:
                                drop.append(k)
                        else:
                            value[k] = new
            elif t is dict:
                walk_dict(item, depth, value, k, tape)
            elif t is list:
                if depth < max_depth and len(item) == 4 and item[0] == "$":
                    walk_tuple(item, depth + 1, value, k, tape)
                else:
                    walk_list(item, depth, value, k, tape)
        if drop is not None:
            for k in drop:
                del value[k]
        if drop_proto and "__proto__" in value:
            del value["__proto__"]
        if "0" in value:
            zero = value["0"]
            if zero is element:
                _exit(tape, holder, key, value, DICT_ELEMENT)
            elif type(zero) is str and zero[:1] == "$" and tape:
                _exit(tape, holder, key, value, DICT_MAYBE)  # a reference may be the marker

    return walk_dict, bind


def _tuple_walker(ctx: ModelContext, string: StringFn, walk_list: _Walk, walk_dict: _Walk) -> _Walk:
    """The walk of the commonest array by far, the element tuple ``["$", type, key, props]``
    (its depth already counted), unrolled; the element is built here unless a site inside
    needs the replay."""
    if ctx.rules19 and not ctx.tag_first:
        return _scoped_tuple_walker(ctx, string, walk_list, walk_dict)
    element = ctx.element
    prefixes = "$@" if ctx.tag_first else "$"
    pure = ctx.shortcut and not ctx.rules19

    def walk_tuple(value: list[Any], depth: int, holder: Any, key: Any, tape: Tape) -> None:
        mark = len(tape) if tape else 0
        value[0] = element
        direct = False  # whether a site stores into the tuple itself (not a container in it)
        kind = value[1]
        t = type(kind)
        if t is str:
            if kind and kind[0] in prefixes:
                new = string(kind, value, 1, tape)
                if new is not kind:
                    value[1] = new
                else:
                    direct = tape.last_store == len(tape) - 1
        elif t is list or t is dict:
            _walk_items(value, 1, depth, tape, string, prefixes, walk_list, walk_dict, 2)
            direct = tape.last_store >= mark
        name = value[2]
        t = type(name)
        if t is str:
            if name and name[0] in prefixes:
                new = string(name, value, 2, tape)
                if new is not name:
                    value[2] = new
                elif tape.last_store == len(tape) - 1:
                    direct = True
        elif t is list or t is dict:
            _walk_items(value, 2, depth, tape, string, prefixes, walk_list, walk_dict, 3)
            direct = direct or tape.last_store >= mark
        props = value[3]
        t = type(props)
        if t is dict:
            walk_dict(props, depth, value, 3, tape)
            if tape.last_store >= mark and tape[tape.last_store][1] is value:
                direct = True  # the props object became an element
        elif t is str:
            if props and props[0] in prefixes:
                new = string(props, value, 3, tape)
                if new is not props:
                    value[3] = new
                elif tape.last_store == len(tape) - 1:
                    direct = True
        elif t is list:
            walk_list(props, depth, value, 3, tape)
            direct = direct or tape.last_store >= mark
        # No scopes (React 18): built here also when nothing stores into the tuple itself,
        # as containers inside are shared with it.
        if pure and (not tape or tape.last_store < mark or not direct):
            holder[key] = Element(value[1], value[2], value[3])
        else:
            _finish_element(value, holder, key, tape, mark, False, pure)

    return walk_tuple


def _scoped_tuple_walker(
    ctx: ModelContext, string: StringFn, walk_list: _Walk, walk_dict: _Walk
) -> _Walk:
    """The element tuple under React 19's rules (id-first dialects): every element has its
    scope, so only whether a site inside stores a value decides where it is built, and the
    commonest case, a tape that did not grow, is one length check."""
    element = ctx.element
    pure = ctx.shortcut

    def walk_tuple(value: list[Any], depth: int, holder: Any, key: Any, tape: Tape) -> None:
        mark = len(tape) if tape else 0  # (an empty tape, the commonest, needs no call)
        value[0] = element
        try:
            kind = value[1]
            t = type(kind)
            if t is str:
                if kind and kind[0] == "$":
                    new = string(kind, value, 1, tape)
                    if new is not kind:
                        value[1] = new
            elif t is list or t is dict:
                _walk_items(value, 1, depth, tape, string, "$", walk_list, walk_dict, 2)
            name = value[2]
            t = type(name)
            if t is str:
                if name and name[0] == "$":
                    new = string(name, value, 2, tape)
                    if new is not name:
                        value[2] = new
            elif t is list or t is dict:
                _walk_items(value, 2, depth, tape, string, "$", walk_list, walk_dict, 3)
            props = value[3]
            t = type(props)
            if t is dict:
                walk_dict(props, depth, value, 3, tape)
            elif t is str:
                if props and props[0] == "$":
                    new = string(props, value, 3, tape)
                    if new is not props:
                        value[3] = new
            elif t is list:
                walk_list(props, depth, value, 3, tape)
        except (FlightLimitError, Thrown):
            tape.insert(mark, ENTER_SITE)  # the walk ends inside this element's scope
            raise
        # (a tape that did not grow has its last store before the mark: no len call)
        if pure and (not tape or tape.last_store < mark):
            holder[key] = Element(value[1], value[2], value[3])
        else:
            tape.insert(mark, ENTER_SITE)  # its fields wait or store: it needs its scope
            _exit(tape, holder, key, value, LIST_ELEMENT)

    return walk_tuple
