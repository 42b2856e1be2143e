"""The text walks in C against their Python twins, the reference.

``text_and_cost`` (``tree/query.py``, the text of a subtree, called thousands of times
per page by the rules) and ``read_tree_body`` (``extract/tree_body.py``, an article
body's text and links read from the tree it was rendered from) hand their loops to C
with the native engine (``tree/_ctext.c`` and ``tree/_cbody.c``, built into
``rsc_flight._crender``).  On random value graphs (shared subtrees, cycles, lazies
fulfilled, rejected, pending and chained, client components, ``dangerouslySetInnerHTML``,
numbers, dates, huge strings, characters the HTML parse drops, props that are lazies,
not dicts or dict subclasses) and random small budgets, and on what extraction asks of
every corpus page, both must give the same result, charge the same budget, or raise the
same error with the same message.
"""

from __future__ import annotations

import math
import signal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rsc_flight import FlightError, Limits, _engine, extract_article
from rsc_flight.extract import rules as rules_module, tree_body
from rsc_flight.extract.tree_body import read_tree_body
from rsc_flight.model.values import (
    UNDEFINED,
    ClientReference,
    Element,
    JSBigInt,
    JSDate,
    JSMap,
    JSPromise,
    JSSet,
    JSSymbol,
    Lazy,
    Pending,
)
from rsc_flight.model.walk import Budget
from rsc_flight.tree import query
from rsc_flight.tree.query import text_and_cost

from .conftest import corpus_files

NATIVE = _engine.ENGINE == "native"
needs_native = pytest.mark.skipif(not NATIVE, reason="compares the C walks with Python's")


class _Str(str):
    __slots__ = ()


class _Dict(dict):  # type: ignore[type-arg]
    pass


TAGS = (
    "div p a span li ul ol pre code br img hr h2 td tr table em b i s small dl dt dd "
    "blockquote figure svg path script style template textarea custom-x body"
).split()
TEXTS = (
    st.sampled_from(["", "x", "a b", " \n lead", "trail \t", "a\rb", "a\x01b", "\ud800", "\ufffe"])
    | st.sampled_from(["\x00", "\u2028x", "\x1c", "\xa0y", "é, ü", "javascript:x", "#top"])
    | st.text(alphabet="ab ,\n\t\xa0<&", max_size=10)
)
HUGE = st.sampled_from(["h" * 70_000, "w " * 40_000, "\n" * 5_000])
HREFS = st.sampled_from(
    [None, "/x", "#top", "javascript:x", "JavaScript:y", " /y ", "", "/a\x01", 7, "http://e/"]
)
NUMBERS = st.sampled_from(
    [0, 7, -3, 10**20, 10**21, 2**70, -(2**64), JSBigInt(5), 1.5, -0.0, 1e21, math.inf, math.nan]
)


def _promise(status: str, value: Any) -> JSPromise:
    return JSPromise(status, value, ValueError("no"), 3)


@st.composite
def readables(draw: st.DrawFn, value: Any) -> Any:
    """``value`` behind a lazy or promise, fulfilled or not, maybe chained or cyclic."""
    status = draw(st.sampled_from(["fulfilled"] * 4 + ["rejected", "pending", "resolved_model"]))
    promise = _promise(status, value)
    shape = draw(st.integers(0, 9))
    if shape == 0:  # a chain
        promise = _promise("fulfilled", Lazy(promise))
    elif shape == 1:  # a chunk that resolves to itself
        promise.value = promise
    return Lazy(promise) if draw(st.booleans()) else promise


@st.composite
def element_types(draw: st.DrawFn) -> Any:
    kind = draw(st.integers(0, 12))
    if kind <= 6:
        return draw(st.sampled_from(TAGS))
    if kind == 7:
        return ClientReference("m", (), "Box")
    if kind == 8:
        return JSSymbol("react.fragment")
    if kind == 9:
        return draw(readables(draw(st.sampled_from([*TAGS[:6], ClientReference("m", (), "C")]))))
    if kind == 10:
        return Pending(4)
    if kind == 11:
        return _Str(draw(st.sampled_from(TAGS)))
    return draw(st.sampled_from(["script", "style", "template"]))


@st.composite
def graphs(draw: st.DrawFn) -> Any:
    """A value graph: each node may hold earlier ones (shared), and a list or props object
    may be made to hold a later one (a cycle)."""
    pool: list[Any] = [draw(TEXTS)]
    holders: list[Any] = []
    for _ in range(draw(st.integers(1, 16))):
        earlier = st.sampled_from(pool)
        kind = draw(st.sampled_from("element element element element list text other".split()))
        node: Any
        if kind == "text":
            node = draw(TEXTS | HUGE) if draw(st.integers(0, 9)) == 0 else draw(TEXTS)
        elif kind == "list":
            node = draw(st.lists(earlier, max_size=5))
            holders.append(node)
        elif kind == "other":
            node = draw(_others(earlier))
        else:
            node = draw(_elements(earlier))
            if isinstance(node.props, dict):
                holders.append(node.props)
        pool.append(node)
    root = pool[-1]
    if holders and draw(st.booleans()):  # a cycle (or a later node shared)
        holder = draw(st.sampled_from(holders))
        target = draw(st.sampled_from(pool))
        if isinstance(holder, list):
            holder.append(target)
        else:
            holder["children"] = target
    return root


def _others(earlier: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return (
        NUMBERS
        | st.sampled_from([None, UNDEFINED, True, False, JSDate("2024-01-02"), Pending(2)])
        | st.sampled_from([("p",), (), {"a": "b"}, JSMap([("k", "v")]), JSSet(["s"])])
        | st.sampled_from([_Str("sub"), b"bytes", 1j])
        | earlier.flatmap(readables)
        | earlier.map(lambda value: JSMap([("k", value)]))
        | earlier.map(lambda value: {"children": value})
    )


@st.composite
def _elements(draw: st.DrawFn, earlier: st.SearchStrategy[Any]) -> Element:
    props: dict[str, Any] = {}
    if draw(st.integers(0, 4)):
        props["children"] = draw(earlier)
    tag = draw(element_types())
    if draw(st.integers(0, 2)) == 0 or tag == "a":
        href = draw(HREFS)
        if href is not None:
            props[draw(st.sampled_from(["href", "href", "HREF"]))] = href
        if draw(st.booleans()):
            props["rel"] = draw(st.sampled_from(["nofollow", "", None, "a\x02"]))
    if draw(st.integers(0, 7)) == 0:
        inner = draw(st.sampled_from(["<p>in <b>ner</b></p>", "", "  ", "plain", "<!-- c -->x"]))
        props["dangerouslySetInnerHTML"] = (
            {"__html": inner} if draw(st.integers(0, 4)) else draw(st.sampled_from([None, {}, 3]))
        )
    if draw(st.booleans()):
        props["className"] = "c"
    shape = draw(st.integers(0, 19))
    wrapped: Any = props
    if shape == 0:
        wrapped = draw(readables(props))
    elif shape == 1:
        wrapped = draw(st.sampled_from([None, "props", ["x"]]))
    elif shape == 2:
        wrapped = _Dict(props)
    return Element(tag, None, wrapped)


LIMITS = st.builds(
    Limits,
    max_expansion=st.integers(1, 300) | st.just(10_000_000),
    max_output_bytes=st.integers(0, 400) | st.just(256 * 1024 * 1024),
)


def _with_engine(engine: str, call: Any) -> Any:
    chosen = _engine.ENGINE
    _engine.ENGINE = engine  # type: ignore[assignment]  # read per call
    try:
        return call()
    finally:
        _engine.ENGINE = chosen


def _text_outcome(value: Any, limits: Limits, left: int | None) -> tuple[Any, ...]:
    budget = Budget(limits, "text")
    if left is not None:
        budget.left = left
    try:
        text, cost = text_and_cost(value, limits=limits, budget=budget)
    except Exception as exc:  # FlightLimitError, or whatever the reference raises
        return type(exc).__name__, str(exc), budget.left
    return "text", text, cost, budget.left


def _text_outcomes(value: Any, limits: Limits, left: int | None = None) -> list[tuple[Any, ...]]:
    return [
        _with_engine(engine, lambda: _text_outcome(value, limits, left))
        for engine in ("python", "native")
    ]


def _body_outcome(content: Any, max_values: int) -> tuple[Any, ...]:
    try:
        return "body", read_tree_body(content, "", max_values)
    except Exception as exc:  # (a tuple in the tree: the reference's IndexError, say)
        return type(exc).__name__, str(exc)


def _body_outcomes(content: Any, max_values: int) -> list[tuple[Any, ...]]:
    return [
        _with_engine(engine, lambda: _body_outcome(content, max_values))
        for engine in ("python", "native")
    ]


@needs_native
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), LIMITS, st.none() | st.integers(-2, 60))
def test_text_walk_is_the_reference(value: Any, limits: Limits, left: int | None) -> None:
    python, native = _text_outcomes(value, limits, left)
    assert python == native


@needs_native
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.integers(0, 200) | st.just(5_000))
def test_body_walk_is_the_reference(content: Any, max_values: int) -> None:
    # (the walk counts a shared subtree each time it is met, and a cycle until the
    # bound: a bound of millions would take the reference seconds)
    python, native = _body_outcomes(content, max_values)
    assert python == native


@needs_native
def test_the_c_walks_read_plain_trees_themselves() -> None:
    """A plain tree is walked in C (not handed back), so the comparisons above test C."""
    from rsc_flight import _crender

    link = Element("a", None, {"href": "/x", "children": ["go ", 1]})
    tree = Element(
        ClientReference("m", (), "Box"),
        None,
        {"children": [Element("p", None, {"children": ["Hi, ", link, True, None]})]},
    )
    lazy = Lazy(JSPromise("fulfilled", tree, None, 1))
    budget = Budget(Limits(), "text")
    found = _crender.text(lazy, budget, 1000, query._TEXT_CONSTS)
    assert found == "Hi, go 1"
    assert Limits().max_expansion - budget.left == text_and_cost(lazy)[1]
    body = _crender.read_body(lazy, 1000, tree_body._CONSTS)
    assert body == (["Hi, go 1"], [("/x", "go 1", None)])


@needs_native
@pytest.mark.parametrize(
    "value",
    [
        Element("p", None, _Dict(children="x")),  # a dict subclass: the reference's
        [Element("p", None, Lazy(JSPromise("fulfilled", _Dict(children="y"), None, 1)))],
    ],
)
def test_what_c_hands_back_is_read_by_the_reference(value: Any) -> None:
    from rsc_flight import _crender

    budget = Budget(Limits(), "text")
    assert _crender.text([value], budget, 1000, query._TEXT_CONSTS) is query._BAIL
    assert budget.left == Limits().max_expansion  # untouched
    assert _crender.read_body([value], 1000, tree_body._CONSTS) is tree_body._BAIL
    python, native = _text_outcomes(value, Limits())
    assert python == native
    assert python[0] == "text"


@needs_native
@pytest.mark.parametrize("left", [0, 1, 2, 3, 5, 8])
def test_budget_trips_where_the_reference_trips(left: int) -> None:
    """The same units charged: the walk stops at the same value with the same count."""
    tree = [Element("p", None, {"children": ["a", Element("b", None, {"children": "c"})]}), "d"]
    python, native = _text_outcomes(tree, Limits(), left)
    assert python == native


def test_huge_texts_are_bounded_alike() -> None:
    """A string shared by many children counts each time against max_output_bytes."""
    big = "x" * 50_000
    tree = Element("div", None, {"children": [big] * 30})
    engines = ["python", "native"] if NATIVE else ["python"]
    found = {
        engine: _with_engine(
            engine, lambda: _text_outcome(tree, Limits(max_output_bytes=10**6), None)
        )
        for engine in engines
    }
    assert {outcome[0] for outcome in found.values()} == {"FlightLimitError"}
    assert len(set(found.values())) == 1


_PAGES = corpus_files(
    "realworld/**/*.html",
    "realworld/**/*.txt",
    "real/**/*.html",
    "seeds/*.txt",
    "captured/**/*.html",
)


@needs_native
@pytest.mark.skipif(not _PAGES, reason="no corpus")
@pytest.mark.parametrize("path", _PAGES, ids=lambda p: p.name)
def test_corpus_walks_agree(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every text and body walk extraction makes on a corpus page, made by both."""
    texts: list[tuple[Any, Limits, int]] = []
    bodies: list[tuple[Any, int]] = []

    def record_text(value: Any, *, limits: Limits, budget: Budget | None = None) -> Any:
        texts.append((value, limits, budget.left if budget is not None else limits.max_expansion))
        return text_and_cost(value, limits=limits, budget=budget)

    def record_body(content: Any, html: str, max_values: int) -> Any:
        if "<!--" not in html:
            bodies.append((content, max_values))
        return read_tree_body(content, html, max_values)

    monkeypatch.setattr(rules_module, "text_and_cost", record_text)
    monkeypatch.setattr(rules_module, "read_tree_body", record_body)
    try:
        extract_article(path.read_bytes())
    except FlightError:
        return  # not a page (a negative control)
    for value, limits, left in texts:
        python, native = _text_outcomes(value, limits, left)
        assert python == native
    for content, max_values in bodies:
        python, native = _body_outcomes(content, max_values)
        assert python == native


def test_a_component_holding_itself_ends() -> None:
    """A component whose children is itself: the body walk stops at its bound (its
    component step skipped the bound's test, and looped forever), with either engine.
    (extract_article never asks: the rendering of such a tree says "cycle".)"""
    props: dict[str, Any] = {}
    box = Element(ClientReference("m", (), "Box"), None, props)
    props["children"] = Element(JSSymbol("react.fragment"), None, {"children": box})

    def timeout(*_: Any) -> None:
        raise TimeoutError("the walk did not end")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(20)
    try:
        for engine in ["python", "native"] if NATIVE else ["python"]:
            assert _with_engine(engine, lambda: read_tree_body(box, "", 50)) is None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
