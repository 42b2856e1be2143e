"""Phase 1 of the reviver by engine: the native one-pass parser-reviver, or the reference.

The reference (:func:`._revive.decode_model`) parses a row with ``json``/orjson and then
walks the result; the native engine (``_crevive.c``) does both in one pass over the text,
which is how it gets below the ``json.loads`` floor a two-pass design cannot beat.  It
gives the same ``(holder, tape)`` as the reference, or ``None`` for anything unusual (a
syntax error, a duplicate key, a limit, a throw...), and the reference then decodes the
row: so every error, limit and odd case is the reference's by construction.

:func:`native_decoder` gives the resolver the native function once per context;
:func:`decode_model` is phase 1 for one row with whichever engine is chosen.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .. import _engine
from ..limits import Limits
from . import _builders as b
from ._revive import ModelContext, _loads_stdlib, decode_model as reference_decode, loads
from ._strings import ENTER_SITE, built_codes, string_decoder
from ._tape import (
    DICT_ELEMENT,
    DICT_MAYBE,
    ENTER,
    EXIT,
    LAZY,
    LIST_ELEMENT,
    LIST_MAYBE,
    PROMISE,
    RAISE,
    REF,
    THROW,
    WARN,
    Tape,
)
from .values import UNDEFINED, Element, JSDate, JSMap, JSPromise, JSSet, JSSymbol, Lazy

__all__ = ["NATIVE_MODULE", "Decoder", "decode_model", "native_decoder", "resolver_parts"]

#: The compiled module of phase 1.
NATIVE_MODULE = "rsc_flight._crevive"

#: ``decoder(text) -> (holder, tape)``, or ``None`` when the reference must decide.
Decoder = Callable[[str], "tuple[dict[str, Any], Tape] | None"]

_OPS = (REF, LAZY, PROMISE, ENTER, EXIT, THROW, RAISE, WARN)
_SHAPES = (LIST_ELEMENT, DICT_ELEMENT, LIST_MAYBE, DICT_MAYBE)


@functools.lru_cache(maxsize=64)
def _build(ctx: ModelContext) -> Decoder:
    module = _engine.native_module(NATIVE_MODULE)
    if (module.OPS, module.SHAPES) != (_OPS, _SHAPES):  # the C file's copy of _tape's codes
        raise RuntimeError(f"{NATIVE_MODULE} was built for other tape codes; rebuild it")
    reviver: Decoder = module.Reviver(
        element=ctx.element,
        undefined=UNDEFINED,
        string=string_decoder(ctx),
        create_model=b.create_model,
        enter=ENTER_SITE,
        tape=Tape,
        element_cls=Element,
        lazy_cls=Lazy,
        symbol_cls=JSSymbol,
        date_cls=JSDate,
        chunk_cls=JSPromise,
        builds=built_codes(ctx),
        set_cls=JSSet,
        map_cls=JSMap,
        rules19=ctx.rules19,
        tag_first=ctx.tag_first,
        shortcut=ctx.shortcut,
        orjson=loads is not _loads_stdlib,  # numbers and escapes as the reference reads them
        max_depth=ctx.max_depth,
        max_path=ctx.max_path_length,
        reduce=(_build, (ctx,)),  # a pickled resolver rebuilds its reviver
    )
    return reviver


def native_decoder(ctx: ModelContext, engine: str | None = None) -> Decoder | None:
    """The native phase 1 for ``ctx`` (shared per context), or ``None`` when the engine
    (``engine``, else :data:`rsc_flight._engine.ENGINE`) is the reference."""
    if _engine.resolve(engine) != "native":
        return None
    return _build(ctx)


def resolver_parts(rules19: bool, tag_first: bool, limits: Limits) -> tuple[Any, ...]:
    """What a resolver needs of phase 1 with the current engine: the
    :class:`~._revive.ModelContext`, the native decoder (``None``: the reference), then
    what the resolver calls of it: its ``chunk`` factory (else
    :class:`~rsc_flight.model.values.JSPromise`), its ``resolve_all``, ``add_rows``,
    ``settle_plain``, ``link_lazies``, ``replay`` and ``release_settled`` (each ``None``
    without it).

    Found once per context and engine: the lookups were a third of a resolver's
    construction, which every parse pays.
    """
    return _parts(rules19, tag_first, limits, _engine.ENGINE)


@functools.lru_cache(maxsize=64)
def _parts(rules19: bool, tag_first: bool, limits: Limits, engine: str) -> tuple[Any, ...]:
    ctx = ModelContext.of(rules19=rules19, tag_first=tag_first, limits=limits)
    native = native_decoder(ctx, engine)
    names = ("resolve_all", "add_rows", "settle_plain", "link_lazies", "replay", "release_settled")
    methods = (getattr(native, name, None) for name in names)
    return (ctx, native, getattr(native, "chunk", JSPromise), *methods)


def decode_model(
    text: str, ctx: ModelContext, engine: str | None = None
) -> tuple[dict[str, Any], Tape]:
    """Phase 1 for one row with the chosen engine: what :func:`._revive.decode_model`
    gives (values, tape and exceptions alike)."""
    native = native_decoder(ctx, engine)
    if native is not None:
        decoded = native(text)
        if decoded is not None:
            return decoded
    return reference_decode(text, ctx)
