"""The page walk's compiled twin (``rsc_flight._cwalk``) against the reference walk.

Random value graphs (shared subtrees, cycles, lazies fulfilled or not, client
components, metadata boundaries, layout routers and segments, maps, sets and
subclasses the twin leaves to the reference) are walked by both engines with small
limits; the pages (every node's element, kind, props, parent, region, row, depth, size,
classes and children), the budget left, the ``truncated`` flag and any error must be the
same.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rsc_flight import FlightLimitError, Limits, _engine
from rsc_flight.model import ClientReference, Element, JSMap, JSPromise, JSSet, Lazy
from rsc_flight.model.values import JSSymbol
from rsc_flight.nextjs import walker as walker_module
from rsc_flight.nextjs.node import Node, Region
from rsc_flight.nextjs.page import read_page
from rsc_flight.nextjs.walker import Walker

native_only = pytest.mark.skipif(
    _engine.ENGINE != "native", reason="the native engine is not built"
)


class SubList(list):  # type: ignore[type-arg]
    """A list the twin does not take: it returns it to the reference."""


class SubDict(dict):  # type: ignore[type-arg]
    """A dict the twin does not take."""


KINDS = (
    "str", "int", "none", "float", "list", "dict", "host", "head", "client", "metadata",
    "router", "symbol", "suspense", "lazy_tag", "lazy_props", "lazy", "promise", "map",
    "set", "segment", "leaf_segment", "sublist", "subdict", "subelement",
)  # fmt: skip
CLASS_NAMES = (None, "a b", "a  b", "", "x", 5, "MISSING")


class SubElement(Element):
    """An element subclass: the reference's, not the twin's."""


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[Any], Limits]:
    """Objects whose links point anywhere among them (so: shared values and cycles)."""
    n = draw(st.integers(1, 24))
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=n, max_size=n))
    ref = st.integers(0, n - 1)
    links = [draw(st.lists(ref, min_size=3, max_size=3)) for _ in range(n)]
    picks = [draw(st.integers(0, 6)) for _ in range(n)]
    objects: list[Any] = [_make(kind, pick) for kind, pick in zip(kinds, picks, strict=True)]
    for obj, kind, (a, b, c), pick in zip(objects, kinds, links, picks, strict=True):
        _link(obj, kind, objects[a], objects[b], objects[c], pick)
    limits = Limits(max_expansion=draw(st.integers(1, 80)), max_depth=draw(st.integers(1, 8)))
    return objects, limits


def _make(kind: str, pick: int) -> Any:
    if kind == "str":
        return "text"
    if kind in ("int", "none", "float"):
        return {"int": pick, "none": None, "float": 1.5}[kind]
    if kind in ("list", "sublist"):
        return [] if kind == "list" else SubList()
    if kind in ("dict", "segment", "leaf_segment", "subdict"):
        return SubDict() if kind == "subdict" else {}
    if kind in ("lazy", "promise"):
        status = ("fulfilled", "fulfilled", "fulfilled", "pending", "rejected")[pick % 5]
        promise = JSPromise(status, None, "boom", (None, 1, 2, 3)[pick % 4])
        return Lazy(promise) if kind == "lazy" else promise
    if kind == "map":
        return JSMap([])
    if kind == "set":
        return JSSet([])
    tag: Any = {
        "host": ("div", "p", "span", "section")[pick % 4],
        "head": "head",
        "client": ClientReference(1, (), ("X", "", "Y")[pick % 3]),
        "metadata": ClientReference(2, (), "MetadataBoundary"),
        "router": ClientReference(3, (), "LayoutRouter"),
        "symbol": JSSymbol("react.fragment"),
        "suspense": JSSymbol("react.suspense"),
        "lazy_tag": Lazy(JSPromise("fulfilled", "em", None, 7)),
        "lazy_props": "div",
        "subelement": "b",
    }[kind]
    cls = SubElement if kind == "subelement" else Element
    return cls(tag, None, {})


def _link(obj: Any, kind: str, a: Any, b: Any, c: Any, pick: int) -> None:
    if isinstance(obj, list):
        obj.extend([a, b, c][: pick % 4])
    elif kind in ("dict", "subdict"):
        obj.update({"a": a, "fallback": b, "children": c})
    elif kind in ("segment", "leaf_segment"):
        slots = {"children": a} if kind == "segment" else {}
        obj.update({"s": "seg", "d": {"r": b}, "c": slots})
    elif isinstance(obj, (Lazy, JSPromise)):
        promise = obj.promise if isinstance(obj, Lazy) else obj
        promise.value = a
    elif isinstance(obj, JSMap):
        obj.entries = [("k", a), ("l", b)]
    elif isinstance(obj, JSSet):
        obj.values = [a, b]
    elif isinstance(obj, Element):
        props: dict[str, Any] = {"children": a, "title": "t"}
        names = CLASS_NAMES[pick]
        if names != "MISSING":
            props["className"] = names
        if kind == "router":
            props.update({"parallelRouterKey": "children", "template": b})
        elif kind == "suspense":
            props.update({"name": ("Next.Metadata", "Next.Viewport.x", "other", 3)[pick % 4]})
            props["fallback"] = c
        else:
            props["loading"] = b
        obj.props = Lazy(JSPromise("fulfilled", props, None, 9)) if kind == "lazy_props" else props


def _walk(objects: list[Any], limits: Limits, native: bool, seed: Any) -> tuple[Any, ...]:
    """Walk the graph as read_page does (a segment first when there is one), with one
    engine; everything the walk left, in words."""
    walker = Walker(limits)
    if not native:
        walker.native = None
    else:
        assert walker.native is not None
    error = None
    try:
        if seed is not None:
            walker.walk_segment(seed)
        walker.walk(objects[0], Region.OTHER if seed is not None else Region.PAGE, None, row=0)
    except Exception as exc:  # compared between the engines
        error = (type(exc), str(exc))
    index = {id(obj): k for k, obj in enumerate(objects)}
    first_info: dict[int, int] = {}
    nodes = []
    for node in walker.nodes:
        info = first_info.setdefault(id(node.class_info), node.order)
        nodes.append(
            (
                node.order,
                index.get(id(node.element)),
                repr(node.kind),
                node.tag,
                id(node.props) == id(node.element.props) or repr(node.props),
                node.parent.order if node.parent is not None else None,
                node.region,
                node.row,
                node.depth,
                node.size,
                node.class_info.names,
                info,
                [child.order for child in node.children],
            )
        )
    return error, nodes, walker.truncated, walker.budget.left, len(walker.seen)


@native_only
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.booleans())
def test_the_twin_walks_as_the_reference(graph: tuple[list[Any], Limits], segment: bool) -> None:
    objects, limits = graph
    seed = next((obj for obj in objects if isinstance(obj, dict) and "s" in obj), None)
    seed = seed if segment else None
    assert _walk(objects, limits, True, seed) == _walk(objects, limits, False, seed)


@native_only
def test_the_twin_is_used_and_hands_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """The twin takes the plain steps itself and returns a JSMap to the reference."""
    calls = []
    real = walker_module._native_walk()
    assert real is not None

    def counting(*args: Any) -> Any:
        place = real(*args)
        calls.append(args[1][-1] if args[1] else None)  # what it left to the reference
        return place

    monkeypatch.setattr(walker_module, "_native_walk", lambda: counting)
    inner = Element("p", None, {"children": "x"})
    root = [Element("div", None, {"children": [inner, JSMap([("k", inner)])]})]
    page = read_page(root)
    assert [node.kind for node in page.nodes] == ["div", "p"]
    assert len(calls) == 2
    assert isinstance(calls[0], JSMap)
    assert calls[1] is None


def test_the_twin_raises_the_reference_budget_error() -> None:
    root = [Element("div", None, {"children": ["a", "b", "c"]})]
    with pytest.raises(FlightLimitError, match=r"^page walk would exceed max_expansion=3 nodes$"):
        read_page(root, limits=Limits(max_expansion=3))


def test_the_twin_truncates_at_max_depth() -> None:
    inner = Element("p", None, {"children": Element("b", None, {})})
    page = read_page(Element("div", None, {"children": inner}), limits=Limits(max_depth=1))
    assert [node.kind for node in page.nodes] == ["div", "p"]
    assert page.truncated


@native_only
def test_prepare_checks_its_constants() -> None:
    module = _engine.native_module(walker_module.NATIVE_MODULE)
    with pytest.raises(TypeError):
        module.prepare(())
    with pytest.raises(TypeError):
        module.walk(Walker(Limits()), [], (), None)


@pytest.mark.parametrize("engine", ["python", "native"])
def test_a_leaf_gets_its_children_list_when_asked(engine: str, monkeypatch: pytest.MonkeyPatch):
    """Most nodes are leaves: neither walk makes them a list, the property makes it once."""
    if engine == "native" and _engine.ENGINE != "native":
        pytest.skip("the native engine is not built")
    monkeypatch.setattr(_engine, "ENGINE", engine)
    page = read_page(Element("div", None, {"children": [Element("p", None, {"children": "x"})]}))
    div, p = page.nodes
    assert div._children == [p]
    assert p._children is None
    assert p.children == []
    leaf = Node(Element("b", None, {}), "b", {}, p, Region.PAGE, None)
    p.children.append(leaf)
    assert p.children == [leaf]
    assert list(div.descendants()) == [p, leaf]
