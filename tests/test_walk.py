"""The walk core shared by queries, text, rendering, page regions and typed JSON."""

from __future__ import annotations

import pytest

from rsc_flight import FlightLimitError, Limits, parse, render_html, to_typed_json
from rsc_flight.model import Element, ErrorValue, JSMap, JSPromise, Lazy, Pending
from rsc_flight.model.walk import Budget, OnPath, Walk, WalkWith, promise_of
from rsc_flight.nextjs.page import read_page
from rsc_flight.tree import iter_elements, text_content


def fulfilled(value: object, id: int | None = None) -> JSPromise:
    return JSPromise("fulfilled", value, None, id)


def test_budget_charges_each_visit_and_names_the_operation():
    """One unit per visit; the first visit past the bound raises, naming what was made."""
    budget = Budget(Limits(max_expansion=3), "HTML")
    for _ in range(3):
        budget.charge()
    assert budget.used == 3
    assert budget.left == 0
    with pytest.raises(FlightLimitError, match=r"^HTML would exceed max_expansion=3 nodes$"):
        budget.charge()


def test_budget_spend_shows_at_the_next_visit():
    """Work beside a visit (parsing inner HTML) is charged but checked at the next visit."""
    budget = Budget(Limits(max_expansion=5), "text")
    budget.spend(10)
    assert budget.used == 10
    with pytest.raises(FlightLimitError, match="text would exceed max_expansion=5"):
        budget.charge()


def test_budget_depth_message():
    budget = Budget(Limits(max_depth=4), "HTML", "elements")
    assert budget.max_depth == 4
    assert str(budget.too_deep()) == "elements nest deeper than max_depth=4"


def test_walk_charges_every_value_popped():
    """Each value taken from the stack costs one unit, leaves included."""
    budget = Budget(Limits(max_expansion=100), "walk")
    walk_all(Walk(budget, [1, [2, 3], "x"]))
    assert budget.used == 6  # the outer list, 1, the inner list, 2, 3, "x"
    with pytest.raises(FlightLimitError, match="walk would exceed max_expansion=5 nodes"):
        walk_all(Walk(Budget(Limits(max_expansion=5), "walk"), [1, [2, 3], "x"]))


def walk_all(walk: Walk) -> None:
    for value in walk:
        if isinstance(value, list):
            walk.stack.extend(reversed(value))


def test_walk_cuts_cycles_and_visits_shared_values_once():
    """A list that holds itself, and a dict reached twice, are each given once."""
    shared = {"a": 1}
    cyclic: list[object] = [shared, shared]
    cyclic.append(cyclic)
    walk = Walk(None, cyclic)
    met = []
    for value in walk:
        met.append(value)
        if isinstance(value, list):
            walk.stack.extend(reversed(value))
    assert [id(v) for v in met] == [id(cyclic), id(shared)]


def test_walk_reads_through_lazies_and_promises():
    """A lazy of a promise of a list is given as the list; a failed one as None, a
    missing one as Pending, and a promise that resolves to itself as None."""
    inner = ["x"]
    looping = JSPromise("fulfilled", None, None, 7)
    looping.value = looping
    start = [
        Lazy(fulfilled(fulfilled(inner))),
        JSPromise("rejected", None, ErrorValue("boom"), 2),
        JSPromise("pending", None, None, 3),
        looping,
    ]
    walk = Walk(None, start)
    met = []
    for value in walk:
        if value is start:
            walk.stack.extend(reversed(value))
        else:
            met.append(value)
    assert met[0] is inner
    assert met[1] is None
    assert isinstance(met[2], Pending)
    assert met[2].id == 3
    assert met[3] is None


def test_walk_with_context_and_on_read():
    """Contexts travel with values; on_read derives one from the chunk read through."""
    element = Element("p", None, {})
    walk: WalkWith[int] = WalkWith(None, lambda promise, row: promise.id or row)
    walk.push(Lazy(fulfilled(element, 0x2A)), 0)
    walk.push("first", 1)
    assert list(walk) == [("first", 1), (element, 0x2A)]


def test_walk_is_iterative():
    """A 100,000-deep nested list is walked without RecursionError."""
    deep: list[object] = []
    node = deep
    for _ in range(100_000):
        child: list[object] = []
        node.append(child)
        node = child
    walk = Walk(Budget(Limits(), "walk"), deep)
    count = 0
    for value in walk:
        count += 1
        walk.stack.extend(reversed(value))
    assert count == 100_001


def test_on_path_cuts_only_open_containers():
    """OnPath reports a cycle for a container open around the current one, not for one
    met before and closed (a shared subtree, which rendering writes again)."""
    path = OnPath()
    node = [1]
    assert path.enter(node)
    assert not path.enter(node)
    path.leave(node)
    assert path.enter(node)


def test_promise_of():
    promise = fulfilled(1)
    assert promise_of(Lazy(promise)) is promise
    assert promise_of(promise) is promise


BILLION_LAUGHS = (
    "\n".join(
        ['1:["$","b",null,{"children":"x"}]']
        + [f'{i:x}:["${i - 1:x}","${i - 1:x}"]' for i in range(2, 40)]
        + ['0:["$","div",null,{"children":"$27"}]']
    )
    + "\n"
).encode()


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (lambda root, limits: render_html(root, limits=limits), "HTML would exceed"),
        (lambda root, limits: to_typed_json(root, limits=limits), "typed JSON would exceed"),
        (lambda root, limits: text_content(root, limits=limits), "text would exceed"),
        (lambda root, limits: list(iter_elements(root, limits=limits)), "walk would exceed"),
        (lambda root, limits: read_page(root, limits=limits), "page walk would exceed"),
    ],
)
def test_every_walker_raises_the_budget_error_by_name(operation, message):
    """Each walker charges the shared budget and says which operation ran out."""
    root = parse(BILLION_LAUGHS).root
    with pytest.raises(FlightLimitError, match=f"^{message} max_expansion=50 nodes$"):
        operation(root, Limits(max_expansion=50))


def test_shared_values_cost_once_in_visit_once_walks_but_each_time_in_html():
    """Queries and text visit a shared row once; HTML writes it each time it appears."""
    root = parse(BILLION_LAUGHS).root
    assert len(list(iter_elements(root))) == 2
    assert text_content(root) == "x"
    with pytest.raises(FlightLimitError, match="HTML would exceed"):
        render_html(root, limits=Limits(max_expansion=10_000))


def test_typed_json_and_html_depth_errors():
    """Nesting past max_depth raises the depth error of the operation."""
    data = b'0:["$","a",null,{"children":["$","b",null,{"children":["$","c",null,{}]}]}]\n'
    root = parse(data).root
    with pytest.raises(FlightLimitError, match=r"^elements nest deeper than max_depth=2$"):
        render_html(root, limits=Limits(max_depth=2))
    with pytest.raises(FlightLimitError, match=r"^values nest deeper than max_depth=2$"):
        to_typed_json(root, limits=Limits(max_depth=2))


def test_page_walk_reads_rows_through_lazies():
    """The page walk's context names the row an element was read from."""
    data = b'1:["$","h1",null,{"children":"T"}]\n0:["$","main",null,{"children":"$L1"}]\n'
    page = read_page(parse(data).root)
    assert [(node.tag, node.row) for node in page.nodes] == [("main", 0), ("h1", 1)]


def test_map_in_walk_context():
    """Map values are walked (keys are not)."""
    element = Element("i", None, {})
    found = list(iter_elements(JSMap([(Element("key", None, {}), element)])))
    assert [f.element for f in found] == [element]
