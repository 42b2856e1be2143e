"""The renderer's loop in C against its Python twin, the reference.

``render_html`` writes host elements, text and lists in its own loop (``tree/loop.py``: a
leaf element in one go, attributes without a call each, close tasks as tuples), and with
the native engine hands those steps to its C twin (``tree/_crender.c``).  On random value
graphs (shared subtrees, cycles, lazies, client components, the tags with rules of their
own) and random small limits, both must give the same HTML, or the same error with the
same message.  (When the loop was introduced it was also checked against the plain walk
it replaced; the golden and fidelity tests pin the output since.)
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rsc_flight import FlightError, Limits, _engine, render_html
from rsc_flight.model.values import (
    UNDEFINED,
    ClientReference,
    Element,
    JSPromise,
    JSSymbol,
    Lazy,
    Pending,
)

TAGS = (
    "div span p a li ul code pre em strong img br hr svg path g title script style input "
    "meta link html head body math mi textarea"
).split()
TEXTS = st.sampled_from(["", "x", "a & b", "<i>", "\"q\" 'q'", "plain text", "--x-->"]) | (
    st.text(alphabet="ab<&>\"' -", max_size=12)
)
LONG_TEXTS = st.sampled_from(["a" * 300, "<&>" * 100])
PROP_VALUES = (
    TEXTS
    | st.none()
    | st.just(UNDEFINED)
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.lists(TEXTS | st.integers(0, 3), max_size=3)
    | st.dictionaries(
        st.sampled_from(["height", "marginTop", "--v", "lineHeight", "msFlex"]),
        TEXTS | st.integers(0, 9) | st.none() | st.booleans(),
        max_size=3,
    )
    | LONG_TEXTS
)
PROP_NAMES = st.sampled_from(
    "className htmlFor style hidden disabled checked value defaultValue data-x aria-y "
    "onClick key href id strokeWidth xlinkHref tabIndex rel precedence async src charSet "
    "name itemProp contentEditable dangerouslySetInnerHTML suppressHydrationWarning "
    "p1 p2 p3 p4 p5 p6 p7 p8".split()
)


@st.composite
def graphs(draw: st.DrawFn) -> Any:
    """A value graph: each node may hold any earlier one (shared), and a list or props
    object may be made to hold a later one (a cycle)."""
    pool: list[Any] = [draw(TEXTS)]
    lists: list[list[Any]] = []
    for _ in range(draw(st.integers(1, 14))):
        earlier = st.sampled_from(pool)
        kind = draw(st.sampled_from("element element element list text lazy other".split()))
        if kind == "text":
            node: Any = draw(TEXTS | LONG_TEXTS)
        elif kind == "list":
            node = draw(st.lists(earlier, max_size=4))
            lists.append(node)
        elif kind == "lazy":
            status = draw(st.sampled_from(["fulfilled", "fulfilled", "rejected", "pending"]))
            promise = JSPromise(status, draw(earlier), ValueError("no"), draw(st.integers(0, 40)))
            node = Lazy(promise) if draw(st.booleans()) else promise
        elif kind == "other":
            node = draw(
                st.sampled_from([None, True, 7, 2.5, Pending(3), JSSymbol("react.fragment")])
            )
        else:
            props: Any = draw(st.dictionaries(PROP_NAMES, PROP_VALUES, max_size=9))
            if "dangerouslySetInnerHTML" in props and draw(st.booleans()):
                props["dangerouslySetInnerHTML"] = {"__html": draw(TEXTS)}
            if draw(st.booleans()):
                props["children"] = draw(earlier)
            tag: Any = draw(
                st.sampled_from(TAGS)
                | st.just(JSSymbol("react.fragment"))
                | st.just(ClientReference("m", (), "C"))
            )
            if draw(st.integers(0, 9)) == 0:
                props = Lazy(JSPromise("fulfilled", props, None, 1))
            node = Element(tag, None, props)
        pool.append(node)
    root = pool[-1]
    if lists and draw(st.booleans()):  # a cycle: a list holds something holding it
        draw(st.sampled_from(lists)).append(draw(st.sampled_from(pool)))
    return root


LIMITS = st.builds(
    Limits,
    max_expansion=st.integers(1, 400) | st.just(10_000_000),
    max_depth=st.integers(1, 12) | st.just(512),
    max_output_bytes=st.integers(0, 3000) | st.just(256 * 1024 * 1024),
)


def outcome(render: Any, node: Any, **options: Any) -> tuple[str, str]:
    try:
        return "html", render(node, **options)
    except FlightError as exc:
        return type(exc).__name__, str(exc)


def engines() -> list[str]:
    """The loop's engines here: the Python loop, and its C twin when built."""
    return ["python", "native"] if _engine.ENGINE == "native" else ["python"]


def outcomes(node: Any, **options: Any) -> dict[str, tuple[str, str]]:
    """What each engine's loop makes of ``node``."""
    found: dict[str, tuple[str, str]] = {}
    chosen = _engine.ENGINE
    try:
        for engine in engines():
            _engine.ENGINE = engine  # read when a rendering starts (RenderLoop.native)
            found[engine] = outcome(render_html, node, **options)
    finally:
        _engine.ENGINE = chosen
    return found


def assert_all_agree(node: Any, **options: Any) -> None:
    found = outcomes(node, **options)
    assert len(set(found.values())) == 1, found


@pytest.mark.skipif(_engine.ENGINE != "native", reason="compares the C loop with Python's")
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), LIMITS, st.booleans())
def test_fast_loop_writes_what_the_reference_writes(node: Any, limits: Limits, marks: bool):
    assert_all_agree(node, limits=limits, mark_clients=marks)


def test_the_native_loop_is_used_when_built():
    """With the native engine a rendering hands its common steps to ``_crender``."""
    from rsc_flight.tree.loop import RenderLoop

    loop = RenderLoop(Limits(), False)
    assert (loop.native is not None) == (_engine.ENGINE == "native")


@pytest.mark.skipif(_engine.ENGINE != "native", reason="compares the C loop with Python's")
@pytest.mark.parametrize("limit", [0, 5, 17, 40, 41, 60, 200])
def test_output_budget_trips_where_the_reference_trips(limit: int):
    """A leaf is written in one go; its start tag, text and end tag are still measured
    against ``max_output_bytes`` as when they were written one by one."""
    leaf = Element("span", None, {"className": "a<b", "children": "text & more"})
    tree = Element("div", None, {"children": [leaf, leaf, Element("br", None, {})]})
    assert_all_agree(tree, limits=Limits(max_output_bytes=limit))


def test_a_leaf_costs_its_text_node():
    """A leaf element costs two nodes (itself and its text, or its absent children), a
    void element one, as when the children were pushed."""
    tree = [Element("p", None, {"children": "x"}), Element("p", None, {}), Element("br", None, {})]
    assert render_html(tree, limits=Limits(max_expansion=6)) == "<p>x</p><p></p><br/>"
    with pytest.raises(FlightError, match="max_expansion=5"):
        render_html(tree, limits=Limits(max_expansion=5))


def test_shared_subtrees_are_written_at_once():
    """A subtree shared many times is still written from its remembered output: a
    billion-laughs tree of elements reaches its budget after linear work."""
    node: Any = Element("b", None, {"children": "x"})
    for _ in range(40):
        node = Element("i", None, {"children": [node, node]})
    with pytest.raises(FlightError, match="max_expansion"):
        render_html(node, limits=Limits(max_expansion=2_000_000))
