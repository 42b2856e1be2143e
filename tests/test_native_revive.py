"""The native phase 1 of the reviver (``model/_crevive.c``) against the reference.

Both engines must give the same ``(holder, tape)`` for every row text, or the same
exception: the same values (compared by :func:`canon`, which tells ``1`` from ``1.0``,
``-0.0`` from ``0.0``, knows the value classes and records which objects are shared, so a
site on the tape must name the very container in the tree the reference names), the same
sites in the same order, and the same ``last_store``/``dev`` marks.  Inputs: random JSON
full of ``$`` codes and element tuples, as ``json.dumps`` writes it (escaped or not),
texts cut and spliced at random (syntax errors), random text, nesting around
``max_depth``, and every text row of every corpus payload under both rule sets.  The
native engine may decline a row (``None``: the reference decides); the tests also check
it declines only what it should, so the fast path is what is tested.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import example, given, strategies as st

from rsc_flight import FlightDecoder, Limits, _engine, load_flight, parse
from rsc_flight.model import _phase1
from rsc_flight.model._revive import ModelContext, _loads_stdlib, decode_model as reference, revive
from rsc_flight.model._tape import REF
from rsc_flight.model.values import Element

from .conftest import corpus_files

pytestmark = pytest.mark.skipif(
    _engine.ENGINE != "native", reason=f"no native engine: {_engine.ENGINE_NOTE}"
)

CONTEXTS = [
    ModelContext(True),
    ModelContext(False),
    ModelContext(True, shortcut=False),
    ModelContext(False, tag_first=True),
    ModelContext(True, tag_first=True),
]

# -- comparing outcomes ---------------------------------------------------------------------

_SCALARS = (str, int, bool, type(None))


def canon(root: Any) -> Any:
    """A plain, comparable picture of a value graph: types explicit, floats by ``repr``,
    and an object met again (by identity) written as a back-reference to its first visit."""
    seen: dict[int, int] = {}

    def walk(obj: Any) -> Any:
        t = type(obj)
        if t in _SCALARS:
            return (t.__name__, obj)
        if t is float:
            return ("float", repr(obj))
        if t is tuple:
            return ("tuple", [walk(x) for x in obj])
        if id(obj) in seen:
            return ("@", seen[id(obj)])
        seen[id(obj)] = len(seen)
        if t is dict:
            return ("dict", [(walk(k), walk(v)) for k, v in obj.items()])
        if isinstance(obj, list):  # a list, or the tape (whose marks are compared apart)
            return (t.__name__, [walk(x) for x in obj])
        if isinstance(obj, int):
            return (t.__name__, int(obj))
        if attrs.has(t):
            return (t.__name__, [walk(getattr(obj, f.name)) for f in attrs.fields(t)])
        if callable(obj):
            return ("fn", obj.__module__, obj.__qualname__)
        slots = [s for k in t.__mro__ for s in getattr(k, "__slots__", ())]
        return (t.__name__, [walk(getattr(obj, s, None)) for s in slots] or repr(obj))

    return walk(root)


def outcome(decode: Any, text: str, ctx: ModelContext) -> Any:
    try:
        holder, tape = decode(text, ctx)
    except Exception as exc:  # the reference's exception, which the native path must repeat
        return ("raises", type(exc), str(exc))
    return canon((holder, tape, tape.last_store, tape.dev))


def native_only(text: str, ctx: ModelContext) -> Any:
    """The native function alone: ``None`` when it leaves the row to the reference."""
    return _phase1.native_decoder(ctx, "native")(text)  # type: ignore[misc]


def assert_same(text: str, ctx: ModelContext) -> bool:
    """Both engines agree on ``text``; whether the native one decoded it itself."""
    native = native_only(text, ctx)
    expected = outcome(reference, text, ctx)
    if native is not None:
        holder, tape = native
        assert canon((holder, tape, tape.last_store, tape.dev)) == expected, text
    assert outcome(lambda t, c: _phase1.decode_model(t, c, "native"), text, ctx) == expected
    return native is not None


# -- random inputs ----------------------------------------------------------------------------

CODES = [
    *("$", "$$", "$$x", "$@", "$@x", "$undefined", "$u", "$NaN", "$Infinity", "$-Infinity"),
    *("$-0", "$-x", "$D2020-01-02T03:04:05.000Z", "$Dnope", "$n12", "$nabc", "$n" + "9" * 40),
    *("$Sreact.fragment", "$S", "$Z", "$Z1", "$P", "$Pctx", "$w", "$H", "$Tabc", "$Ecode"),
    *("$Yx", "$L", "$L1", "$Lzz", "$L0x1f", "$Lé", "$L١٢", "$G1", "$1F", "$1", "$ff:a:b"),
    *("$0", "$abc", "$1:", "$:x", "$1::", "$0x2", "$ffffffffffffffff", "$10000000000000000"),
    *("$Q1", "$W2", "$K3", "$B4", "$i5", "$h6", "$F7", "$@1", "$@zz", "$1:a" + ":b" * 300),
    *("@1", "@", "@zz", "$é", "$😀", "$1:é", "$\ud800", "x\ud83d", "\ud83d\ude00", "\x00"),
    *("", "a", "div", "children", "0", "__proto__", "$$", "text é 😀", '\n\t\\"'),
]
KEYS = st.sampled_from(["a", "b", "children", "props", "0", "1", "2", "__proto__", "$", "é"])
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 1e308, 5e-324, 1.5]),
)
LEAVES = st.one_of(
    st.sampled_from(CODES),
    st.text(max_size=6),
    st.sampled_from(CODES).flatmap(lambda c: st.text(max_size=4).map(lambda t: c + t)),
    NUMBERS,
    st.sampled_from([None, True, False]),
)


def _elements(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    props = st.dictionaries(KEYS, children, max_size=4)
    fields = st.tuples(st.one_of(LEAVES, children), st.one_of(LEAVES, children), props)
    tuple4 = fields.map(lambda f: ["$", *f])
    other = st.lists(children, max_size=7).map(lambda items: ["$", *items])
    as_object = st.dictionaries(KEYS, children, max_size=5).map(lambda d: {"0": "$", **d})
    return st.one_of(tuple4, other, as_object)


VALUES = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(KEYS, children, max_size=5),
        _elements(children),
    ),
    max_leaves=40,
)


@st.composite
def json_texts(draw: st.DrawFn) -> str:
    """JSON as a server writes it: compact or spaced, escaped or raw UTF-8."""
    value = draw(VALUES)
    ascii_only = draw(st.booleans())
    spaced = draw(st.booleans())
    return json.dumps(value, ensure_ascii=ascii_only, indent=1 if spaced else None)


@st.composite
def damaged(draw: st.DrawFn) -> str:
    """A JSON text cut, spliced or patched at random points (mostly syntax errors)."""
    text = draw(json_texts())
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        cut = draw(st.integers(min_value=0, max_value=3))
        patch = draw(
            st.sampled_from(
                ["", ",", "]", "}", '"', "\\", "\\u", "\\ud800", "1e999", "-", " ", "{", "["]
            )
        )
        text = text[:at] + patch + text[at + cut :]
    return text


@given(text=json_texts(), ctx=st.sampled_from(CONTEXTS))
@example(text='["$","div",null,{"children":["$","span","k",{"x":"$1"}]}]', ctx=CONTEXTS[0])
@example(text='[{"0":"$1","a":"$2"},["$3",1],["$$x",{"a":"$4"}]]', ctx=CONTEXTS[1])
@example(text='{"a":"$undefined","__proto__":{"b":"$1"},"0":"$"}', ctx=CONTEXTS[0])
def test_random_json_decodes_alike(text: str, ctx: ModelContext):
    assert_same(text, ctx)


@given(text=damaged(), ctx=st.sampled_from(CONTEXTS))
def test_damaged_json_decodes_alike(text: str, ctx: ModelContext):
    assert_same(text, ctx)


@given(text=st.text(max_size=40), ctx=st.sampled_from(CONTEXTS))
@example(text="", ctx=CONTEXTS[0])
@example(text=" \t\n", ctx=CONTEXTS[0])
@example(text='"\\ud800"', ctx=CONTEXTS[0])
@example(text="\ud800", ctx=CONTEXTS[0])
@example(text="1" * 5000, ctx=CONTEXTS[0])
@example(text="[1e400, 12345678901234567890123]", ctx=CONTEXTS[0])
@example(text='{"a":1,"a":"$1"}', ctx=CONTEXTS[0])
def test_random_text_decodes_alike(text: str, ctx: ModelContext):
    assert_same(text, ctx)


@given(bytes_=st.binary(max_size=60), ctx=st.sampled_from(CONTEXTS))
def test_random_bytes_as_text_decode_alike(bytes_: bytes, ctx: ModelContext):
    assert_same(bytes_.decode("utf-8", "surrogateescape"), ctx)


@given(
    depth=st.integers(min_value=0, max_value=12),
    max_depth=st.integers(min_value=0, max_value=10),
    opener=st.sampled_from(['["$","div",null,', "[", '{"a":', '["$1",']),
    leaf=st.sampled_from(['"$1"', '"$L2"', "1", '{"0":"$"}', '"$nx"']),
)
def test_nesting_around_max_depth_decodes_alike(depth, max_depth, opener, leaf):
    """Rows nesting below, at and past ``max_depth``: the native engine stops exactly where
    the reference raises, and leaves that row to it."""
    closer = {"[": "]", "{": "}"}
    text = (
        opener * depth
        + leaf
        + "".join(closer[c] for c in reversed(opener.replace('"', "")) if c in closer) * depth
    )
    for ctx in (ModelContext(True, max_depth=max_depth), ModelContext(False, max_depth=max_depth)):
        assert_same(text, ctx)


def test_very_deep_rows_are_left_to_the_reference():
    """Past MAX_LEVELS (below orjson's own limit) the reference decides, even when
    max_depth allows more: no C stack, no recursion, whatever the payload."""
    ctx = ModelContext(True, max_depth=100_000)
    deep = "[" * 5000 + "]" * 5000
    assert native_only(deep, ctx) is None
    assert native_only("[" * 50 + "]" * 50, ctx) is not None


# -- the common path is native --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '["$","div",null,{"className":"a","children":["$","$L1",null,{}]}]',
        '{"a":"$1:props:children","b":"$@2","c":"$$x","d":"$undefined","e":"$Sreact.suspense"}',
        '["$","p","k",{"children":"caf\\u00e9 \\ud83d\\ude00 \\"q\\" \\\\ \\n"}]',
        '[1,-2,3.5,1e10,-0.0,12345678901234567890,true,false,null,"$D2020-01-01T00:00:00.000Z"]',
    ],
)
def test_common_rows_are_decoded_natively(text):
    for ctx in CONTEXTS[:3]:
        assert native_only(text, ctx) is not None
        assert_same(text, ctx)


#: References of every shape the native phase 1 builds a REF site for: ids below 0x100
#: (their strings shared through its cache) and above, bare and with paths (short steps
#: shared), plain and built, the same one twice.
_REFERENCE_ROWS = [
    '["$1","$ff","$100","$1a2b3","$1","$0"]',
    '{"a":"$1:props:children","b":"$1:props:children","c":"$fff:a:","d":"$2::x"}',
    '["$Q1","$Q1","$W2a:0","$K3ff","$Wabc","$Q1:' + "k" * 40 + '","$1:' + "p" * 40 + '"]',
]


@pytest.mark.parametrize("text", _REFERENCE_ROWS)
def test_reference_sites_are_the_reference_s(text):
    """Decoded again (its strings now shared through the cache), each REF site has the
    reference's fields, a path list of its own and the text after the code."""
    for ctx in CONTEXTS[:3]:
        for _ in range(2):
            assert native_only(text, ctx) is not None
            assert_same(text, ctx)
        _holder, tape = native_only(text, ctx)
        sites = [site for site in tape if site[0] == REF]
        assert len({id(site[4]) for site in sites}) == len(sites) >= 4
        for site in sites:
            assert ":".join(site[4]) == site[6]


#: The same rows in each width of str (1 byte: ASCII and Latin-1, 2 bytes, 4 bytes): the
#: row is read in the str's own storage, its ASCII strings narrowed, the others sliced.
_WIDE_ROWS = [
    '["$","div",null,{"className":"a","children":["$","$L1",null,{"title":"%s"}]}]',
    '{"%s":"$1:props:children","k%s":["$@2",-12.5e3,"$$%s","$S%s"],"x":"a\\n%s\\u00e9"}',
    '["$","p","%s",{"children":["$1","$L2","%s","$Dx%s","$%s"],"0":"$"}]',
    '[12345678901234567890123, 1.5, "$undefined", "\\ud83d\\ude00%s", {"%s": "plain"}]',
]


_WIDTHS = ["", "caf\u00e9 \u00ff", "\ud55c\uad6d\uc5b4", "\U0001f600 \u00e9"]


@pytest.mark.parametrize("wide", _WIDTHS)
@pytest.mark.parametrize("row", _WIDE_ROWS)
def test_rows_of_every_str_width_are_decoded_natively(row, wide):
    text = row.replace("%s", wide)
    for ctx in CONTEXTS:
        assert native_only(text, ctx) is not None
        assert_same(text, ctx)


@pytest.mark.parametrize(
    "text",
    ['["\ud800"]', '{"a\udc00":1}', '["\ud83d\ude00"]', '["x\\n\ud800"]', '["\u00e9\udfff"]'],
)
def test_a_raw_surrogate_in_a_wide_row_is_left_to_the_reference(text):
    """A lone surrogate in the text itself (not escaped) is not UTF-8: orjson refuses the
    row, the reference decides, whatever the str's width or where the string has it."""
    assert native_only(text, CONTEXTS[0]) is None
    assert_same(text, CONTEXTS[0])


@pytest.mark.parametrize(
    "text",
    ['{"a":1,"a":2}', '["$nabc"]', "[1,]", '"\\ud800"', "[1e400]", '["$1:a' + ":b" * 300 + '"]'],
)
def test_unusual_rows_are_left_to_the_reference(text):
    """Duplicate keys, a throw, a syntax error, what orjson refuses, a limit: ``None``."""
    assert native_only(text, CONTEXTS[0]) is None
    assert_same(text, CONTEXTS[0])


def test_the_stdlib_reading_is_followed_when_orjson_is_absent():
    """Without orjson the reference reads with ``json`` alone (big ints exact, lone
    surrogates kept): a reviver built for that reading gives the same as the walk of it."""
    module = _engine.native_module(_phase1.NATIVE_MODULE)
    ctx = CONTEXTS[0]
    built = _phase1._build(ctx)
    args = built.__reduce__()[1]
    assert args == (ctx,)
    from rsc_flight.model import _builders as b
    from rsc_flight.model._strings import ENTER_SITE, string_decoder
    from rsc_flight.model._tape import Tape
    from rsc_flight.model.values import UNDEFINED, JSSymbol, Lazy

    stdlib = module.Reviver(
        element=ctx.element, undefined=UNDEFINED, string=string_decoder(ctx),
        create_model=b.create_model, enter=ENTER_SITE, tape=Tape, element_cls=Element,
        lazy_cls=Lazy, symbol_cls=JSSymbol, rules19=True, tag_first=False, shortcut=True,
        orjson=False, max_depth=ctx.max_depth, max_path=ctx.max_path_length, reduce=(),
    )  # fmt: skip
    for text in ['[12345678901234567890123, 1e400, -1e999, "\\ud800x", "\\udc00\\ud800"]']:
        holder, tape = stdlib(text)
        expected_holder, expected_tape = revive(_loads_stdlib(text), ctx)
        assert canon((holder, tape)) == canon((expected_holder, expected_tape))
        assert holder[""][0] == 12345678901234567890123


# -- the corpus -----------------------------------------------------------------------------


def corpus_texts() -> Iterator[tuple[Path, str]]:
    files = corpus_files(
        "real/**/*.txt", "real/**/*.html", "captured/**/*.rsc", "captured/**/*.html"
    )
    files += corpus_files("seeds/*.txt", "realworld/**/*.txt", "realworld/**/*.html")
    for path in files:
        try:
            flight = load_flight(path.read_bytes())
        except Exception:  # the negative controls: no flight data
            continue
        decoder = FlightDecoder()
        for row in [*decoder.feed(flight), *decoder.close()]:
            payload = getattr(row, "payload", None)
            if isinstance(payload, str):
                yield path, payload


@pytest.mark.skipif(not corpus_files("real/**/*.txt"), reason="no corpus")
def test_every_corpus_row_decodes_alike_under_both_rule_sets():
    native = total = 0
    for _path, text in corpus_texts():
        for ctx in CONTEXTS[:2]:
            native += assert_same(text, ctx)
            total += 1
    assert total > 1000
    assert native > 0.95 * total  # the corpus is the common path


@pytest.mark.skipif(not corpus_files("real/**/*.txt"), reason="no corpus")
def test_every_corpus_payload_decodes_alike_end_to_end(monkeypatch):
    """``parse()`` with native phase 1 and with the reference: the same typed JSON."""
    paths = corpus_files("real/**/*.txt", "captured/**/*.rsc", "realworld/**/*.txt")
    for path in paths:
        data = path.read_bytes()
        results = []
        for engine in ("python", "native"):
            monkeypatch.setattr(_engine, "ENGINE", engine)
            payload = parse(data)
            results.append((payload.to_typed_json(), payload.diagnostics))
        assert results[0] == results[1], path


# -- the object itself ----------------------------------------------------------------------


def test_a_resolver_with_the_native_reviver_pickles():
    payload = parse(b'0:["$","div",null,{"children":"$L1"}]\n1:"x"\n')
    assert pickle.loads(pickle.dumps(payload)).to_typed_json() == payload.to_typed_json()


def test_no_reference_leaks_on_any_path():
    """Success, a rare code, a decline and a syntax error leave no object behind."""
    ctx = CONTEXTS[0]
    texts = [
        '["$","div",null,{"a":["$1","$L2","$@3","$Dx"],"b":"$$c","0":"$"}]',
        '{"a":1,"a":2}',
        '["$nabc",{"x":[1,2,"$1"]}]',
        '[{"a":[1,2,3]},',
        '{"\u00e9":["$\u00e9","$1:\u00e9","caf\u00e9","a\\u00e9\\n",1.5]}',
        '["\ud55c\uad6d",{"k":"$L1","\ud55c":"$\ud55c"},"\\ud83d\\ude00"]',
        '["\U0001f600","\ud800"]',
        '["\u00e9",1,]',
    ]
    for _ in range(3):
        for text in texts:
            native_only(text, ctx)
    gc.collect()
    before = sys.gettotalrefcount() if hasattr(sys, "gettotalrefcount") else len(gc.get_objects())
    for _ in range(200):
        for text in texts:
            native_only(text, ctx)
    gc.collect()
    after = sys.gettotalrefcount() if hasattr(sys, "gettotalrefcount") else len(gc.get_objects())
    assert after - before < 50


def test_a_reviver_rejects_classes_without_slots():
    module = _engine.native_module(_phase1.NATIVE_MODULE)

    class Plain:
        pass

    with pytest.raises(TypeError, match="not a slot"):
        module.Reviver(
            element=None, undefined=None, string=print, create_model=print, enter=(3,),
            tape=list, element_cls=Plain, lazy_cls=Plain, symbol_cls=Plain, rules19=True,
            tag_first=False, shortcut=True, orjson=True, max_depth=5, max_path=5, reduce=(),
        )  # fmt: skip


def test_limits_reach_the_native_engine():
    limits = Limits(max_depth=3, max_path_length=1)
    ctx = ModelContext.of(rules19=True, tag_first=False, limits=limits)
    assert native_only("[[[1]]]", ctx) is not None  # levels 0, 1, 2
    assert native_only("[[[[1]]]]", ctx) is None  # level 3: the reference raises
    assert native_only('["$1:a:b"]', ctx) is None
    assert_same('["$1:a:b"]', ctx)
    assert_same("[[[[1]]]]", ctx)


@pytest.mark.parametrize("first", ["rsc_flight.wire", "rsc_flight.cli", "rsc_flight.model"])
def test_the_engine_is_native_whichever_package_is_imported_first(first):
    """``_engine`` imports the compiled modules while the package that imported it may be
    half-imported: the reviver's module must not pull in ``rsc_flight.model`` then (it
    did, as ``rsc_flight.model._crevive``, and the engine quietly fell back to Python)."""
    code = f"import {first}; from rsc_flight import _engine as e; print(e.ENGINE, e.ENGINE_NOTE)"
    env = {k: v for k, v in os.environ.items() if k != _engine.PURE_PYTHON_VARIABLE}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.startswith("native "), out.stdout + out.stderr


def test_dates_are_made_natively_as_the_reference_makes_them():
    """``$D`` is decoded in C (a ``JSDate`` whose slots are filled as ``JSDate.parse``
    fills them), not handed to the reference's string reader."""
    from rsc_flight.model.values import JSDate

    ctx = CONTEXTS[0]
    for text in ['["$D2020-01-02T03:04:05.000Z"]', '"$D"', '{"a":"$Dnope é"}', '"$D\\u00e9x"']:
        decoded = native_only(text, ctx)
        assert decoded is not None
        assert_same(text, ctx)
        root = decoded[0][""]
        date = (
            root
            if isinstance(root, JSDate)
            else next(iter(root.values() if isinstance(root, dict) else root))
        )
        expected = JSDate.parse(date.raw)
        assert (date.raw, date._parsed, date._ms) == (expected.raw, False, None)
        assert date.epoch_ms == expected.epoch_ms


def test_a_reviver_without_a_date_class_leaves_dates_to_the_reference():
    module = _engine.native_module(_phase1.NATIVE_MODULE)
    ctx = CONTEXTS[0]
    from rsc_flight.model import _builders as b
    from rsc_flight.model._strings import ENTER_SITE, string_decoder
    from rsc_flight.model._tape import Tape
    from rsc_flight.model.values import UNDEFINED, JSDate, JSSymbol, Lazy

    kwargs: dict[str, Any] = {
        "element": ctx.element, "undefined": UNDEFINED, "string": string_decoder(ctx),
        "create_model": b.create_model, "enter": ENTER_SITE, "tape": Tape,
        "element_cls": Element, "lazy_cls": Lazy, "symbol_cls": JSSymbol, "rules19": True,
        "tag_first": False, "shortcut": True, "orjson": _phase1.loads is not _loads_stdlib,
        "max_depth": ctx.max_depth, "max_path": ctx.max_path_length, "reduce": (),
    }  # fmt: skip
    text = '["$D2020-01-02T03:04:05.000Z"]'
    without = module.Reviver(**kwargs)(text)
    with_class = module.Reviver(**kwargs, date_cls=JSDate)(text)
    assert canon(without) == canon(with_class) == canon(reference(text, ctx))

    class Plain:
        pass

    with pytest.raises(TypeError, match="not a slot"):
        module.Reviver(**kwargs, date_cls=Plain)


def test_chunks_are_made_natively_as_jspromise_makes_them():
    """``Reviver.chunk`` fills JSPromise's slots as its ``__init__`` does (the resolver
    makes every chunk through it in the native engine)."""
    from rsc_flight.model.values import JSPromise

    make = _phase1._build(CONTEXTS[0]).chunk
    owner, value = object(), ["x"]
    made, expected = (
        make("pending", value, None, 7, owner),
        JSPromise("pending", value, None, 7, owner),
    )
    assert type(made) is JSPromise
    for name in JSPromise.__slots__:
        assert getattr(made, name) is getattr(expected, name), name
    with pytest.raises(TypeError):
        make("pending", None, None, 7)
    before = sys.gettotalrefcount() if hasattr(sys, "gettotalrefcount") else None
    for _ in range(1000):
        make("pending", value, None, 7, owner)
    assert sys.getrefcount(value) < 10
    assert sys.getrefcount(owner) < 10
    if before is not None:
        assert sys.gettotalrefcount() - before < 50


def test_a_reviver_without_a_chunk_class_makes_no_chunks():
    module = _engine.native_module(_phase1.NATIVE_MODULE)
    from rsc_flight.model import _builders as b
    from rsc_flight.model._strings import ENTER_SITE, string_decoder
    from rsc_flight.model._tape import Tape
    from rsc_flight.model.values import UNDEFINED, JSSymbol, Lazy

    ctx = CONTEXTS[0]
    reviver = module.Reviver(
        element=ctx.element, undefined=UNDEFINED, string=string_decoder(ctx),
        create_model=b.create_model, enter=ENTER_SITE, tape=Tape, element_cls=Element,
        lazy_cls=Lazy, symbol_cls=JSSymbol, rules19=True, tag_first=False, shortcut=True,
        orjson=True, max_depth=ctx.max_depth, max_path=ctx.max_path_length, reduce=(),
    )  # fmt: skip
    with pytest.raises(TypeError):
        reviver.chunk("pending", None, None, 1, None)
