"""The native replay (``Reviver.replay``) against the reference's loop in
``_references.replay``: the same values, shared objects, diagnostics, chunk states and
errors on payloads whose rows reach each other through Maps, Sets, FormData, Blobs,
iterators, server references and plain or path references, to rows that are fulfilled,
stored and unread, pending, missing, erroring, cyclic or shared, under both rule sets,
with budgets small enough to be overdrawn.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from rsc_flight import FlightError, parse
from rsc_flight._engine import ENGINE
from rsc_flight.limits import DEFAULT_LIMITS
from rsc_flight.model import _phase1, _references
from rsc_flight.model._builders import create_blob, create_model
from rsc_flight.model._revive import ModelContext
from rsc_flight.model.resolver import Resolver
from rsc_flight.model.values import UNDEFINED, JSMap, JSSet

from .helpers import assert_no_leak

pytestmark = pytest.mark.skipif(ENGINE != "native", reason="no native engine")

ROW_IDS = range(6)
CODES = ["$W", "$Q", "$", "$K", "$B", "$i", "$h", "$F", "$L", "$@"]

references = st.tuples(st.sampled_from(CODES), st.sampled_from(ROW_IDS), st.booleans()).map(
    lambda t: f"{t[0]}{t[1]:x}" + (":0" if t[2] and t[0] != "$L" else "")
)
leaves = (
    st.none()
    | st.integers(-2, 2)
    | st.sampled_from([1.0, -0.0, float("inf")])
    | st.sampled_from(["x", "y", "x", "é", "$$y", "$undefined", "$NaN", "$n1", "$Sa", "$W"])
)
values = st.recursive(
    leaves | references,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(st.lists(inner, min_size=0, max_size=3), max_size=3)  # Map entries
        | st.dictionaries(st.sampled_from(["a", "id", "bound", "__proto__", "then"]), inner,
                          max_size=3)
        | st.builds(lambda props: ["$", "div", None, props], st.dictionaries(
            st.sampled_from(["a", "children"]), inner, max_size=2))
    ),
    max_leaves=8,
)  # fmt: skip


def _row(row_id: int, kind: str, value: Any) -> str:
    if kind == "E":
        return f'{row_id:x}:E{{"digest":"d"}}'
    if kind == "0":
        return f"{row_id:x}:"  # halted (React 19), an empty model row
    return f"{row_id:x}:{json.dumps(value, ensure_ascii=False)}"


rows = st.lists(
    st.tuples(st.sampled_from(ROW_IDS), st.sampled_from(["", "", "", "", "E", "0"]), values),
    min_size=1,
    max_size=8,
)


def _shape(value: Any, seen: dict[int, int]) -> Any:
    """The value with every Map, Set and container numbered by first sight: shared
    objects (built once) show as the same number."""
    if isinstance(value, (list, dict, JSMap, JSSet)):
        if id(value) in seen:
            return ("seen", seen[id(value)])
        seen[id(value)] = len(seen)
    if isinstance(value, list):
        return [_shape(v, seen) for v in value]
    if isinstance(value, dict):
        return {k: _shape(v, seen) for k, v in value.items()}
    if isinstance(value, JSMap):
        return ("map", [(_shape(k, seen), _shape(v, seen)) for k, v in value.entries])
    if isinstance(value, JSSet):
        return ("set", [_shape(v, seen) for v in value.values])
    return re.sub(r" at 0x[0-9a-f]+", "", repr(value))


def outcome(data: bytes, engine: str, monkeypatch: pytest.MonkeyPatch, rules: str,
            budget: int) -> Any:  # fmt: skip
    monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
    monkeypatch.setattr(Resolver, "release_settled", lambda self: None)  # (links as read)
    limits = attrs.evolve(DEFAULT_LIMITS, max_expansion=budget)
    try:
        payload = parse(data, source="flight", rules=rules, limits=limits)
    except FlightError as exc:
        return type(exc), str(exc)
    resolver = payload._resolver
    chunks = {
        key: (chunk.status, [link.id for link in chunk._links or []])
        for key, chunk in resolver.chunks.items()
    }
    try:
        document = payload.to_typed_json()
    except FlightError as exc:
        document = (type(exc), str(exc))
    # (under 18.3 a built code on a pending chunk throws its reason, the list of its
    # rejecters, as React 18.3 does: typed JSON writes them without their addresses)
    document = json.loads(json.dumps(document, default=repr))
    root = resolver.chunks.get(0)
    shape = _shape(root.value, {}) if root is not None and root.status == "fulfilled" else None
    return document, shape, payload.diagnostics, resolver.dev, chunks, resolver.budget.left


@settings(max_examples=400)
@given(rows, st.sampled_from(["19", "18"]), st.sampled_from([10_000_000, 40, 12, 3]))
def test_maps_sets_and_references_replay_alike_in_both_engines(specs, rules, budget):
    data = "\n".join(_row(i, kind, value) for i, kind, value in specs).encode() + b"\n"
    with pytest.MonkeyPatch.context() as monkeypatch:
        native = outcome(data, "native", monkeypatch, rules, budget)
        python = outcome(data, "python", monkeypatch, rules, budget)
    assert native == python


CASES = [
    b'0:["$W1","$W1","$Q2","$Q2"]\n1:["a","b","a"]\n2:[["k",1],["k",2],["j"]]\n',
    b'0:{"a":"$W1","b":"$1"}\n1:["x",1,1.0,null,"x"]\n',  # not only strings: the function's
    b'0:["$W1"]\n',  # missing: pending at the end
    b'0:["$W1"]\n1:E{"digest":"d"}\n',  # erroring
    b'0:["$Q1"]\n1:[["a","$W0"]]\n',  # cyclic through the root
    b'0:{"__proto__":"$1","b":"$2"}\n1:"x"\n2:"$undefined"\n',
    b'0:["$B1","$K2","$i3"]\n1:["text/plain","ab"]\n2:[["f","v"]]\n3:[1,2]\n',
    b'0:["$1:0","$W1:0"]\n1:[["a"]]\n',
]


@pytest.mark.parametrize("rules", ["19", "18"])
@pytest.mark.parametrize("data", CASES)
def test_cases_replay_alike_in_both_engines(data, rules):
    with pytest.MonkeyPatch.context() as monkeypatch:
        for budget in (10_000_000, 5, 2):
            native = outcome(data, "native", monkeypatch, rules, budget)
            python = outcome(data, "python", monkeypatch, rules, budget)
            assert native == python


@pytest.mark.parametrize("engine", ["native", "python"])
def test_a_set_is_built_once_per_row_value_under_react_19_anew_under_18(engine, monkeypatch):
    monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
    data = b'1:["a","b","a"]\n2:[["k",1],["k",2],["j"]]\n0:["$W1","$W1","$Q2"]\n'
    first, second, mapping = parse(data, source="flight", rules="19").root
    assert first is second
    assert first.values == ["a", "b"]
    assert mapping.entries == [("k", 2), ("j", UNDEFINED)]
    first, second, _ = parse(data, source="flight", rules="18").root
    assert first is not second
    assert first.values == second.values == ["a", "b"]


def test_the_native_phase_1_makes_the_sites_of_built_codes():
    reviver = _phase1._build(ModelContext.of(rules19=True, tag_first=False, limits=DEFAULT_LIMITS))
    holder, tape = reviver('{"a":"$W1f:0","b":"$Q2","c":"$W","d":"$Wg"}')
    refs = [(s[0], s[2], s[3], s[4], s[5].__name__, s[6]) for s in tape if s[0] == 0]
    assert refs == [
        (0, "a", 0x1F, ["1f", "0"], "create_set", "1f:0"),
        (0, "b", 2, ["2"], "create_map", "2"),
    ]
    assert holder[""] == {"a": "$W1f:0", "b": "$Q2", "c": "$W", "d": "$Wg"}


def test_the_native_replay_checks_its_arguments():
    reviver = _phase1._build(ModelContext.of(rules19=True, tag_first=False, limits=DEFAULT_LIMITS))
    with pytest.raises(TypeError):
        reviver.replay(None, [], 0)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        reviver.replay(None, (), 0, (1, 2, 3, 4))
    with pytest.raises(TypeError):
        reviver.replay(None, [], 0, (1, 2, 3))
    with pytest.raises(ValueError, match="at < 0"):
        reviver.replay(None, [], -1, (1, 2, 3, 4))


@pytest.mark.parametrize("rules", ["19", "18"])
@pytest.mark.parametrize("max_depth", [1, 2, 3, 4, 50])
def test_references_at_the_depth_limit_fail_alike(rules, max_depth):
    """Stored rows read by references, each initialised inside the one before: at the
    depth limit the native replay hands the row to initialize, which raises."""
    data = b'4:["$L5"]\n3:{"a":"$W4"}\n2:["$3","$L3"]\n1:["$2",["$Q2"]]\n0:"$1"\n'
    limits = attrs.evolve(DEFAULT_LIMITS, max_depth=max_depth)
    results = []
    with pytest.MonkeyPatch.context() as monkeypatch:
        for engine in ("native", "python"):
            monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
            try:
                payload = parse(data, source="flight", rules=rules, limits=limits)
                results.append((payload.to_typed_json(), payload.diagnostics))
            except FlightError as exc:
                results.append((type(exc), str(exc)))
    assert results[0] == results[1]


def _strings(n: int, every: int) -> list[str]:
    """n strings, every ``every``-th one a repeat of an earlier one (a Set's duplicates)."""
    return [f"s{i // 2}" if i % every == 0 else f"s{i}é" * (i % 3) for i in range(n)]


# Sets and Maps on either side of the size up to which the native replay finds duplicates
# by comparing items (16), and stored rows read by references in an order that makes the
# replay reuse, give away and drop the holder and tape it reads stored rows into.
def _sets_and_maps(n: int) -> bytes:
    entries = [[k, i] for i, k in enumerate(_strings(n, 4))] + [["s0"]]
    rows = f"1:{json.dumps(_strings(n, 3))}\n2:{json.dumps(entries)}\n"
    return (rows + '0:["$W1","$Q2","$W1","$Q2"]\n').encode()


LARGER_CASES = [_sets_and_maps(n) for n in (0, 1, 15, 16, 17, 40)] + [
    b'1:["$L3"]\n2:{"a":"$W3"}\n3:["x","x"]\n4:["$L1","$L5"]\n5:"$L4"\n'
    b'6:["$","div",null,{},null,[],1]\n0:["$1","$2","$4","$1","$6","$5",{"b":"$2"}]\n',
    b'1:["a"]\n2:["$W1"]\n3:["b"]\n4:"$3"\n0:["$W1","$2","$W3","$4","$Q9"]\n',
]  # fmt: skip


@pytest.mark.parametrize("rules", ["19", "18"])
@pytest.mark.parametrize("data", LARGER_CASES)
def test_larger_sets_maps_and_stored_rows_replay_alike(data, rules):
    with pytest.MonkeyPatch.context() as monkeypatch:
        for budget in (10_000_000, 60, 20, 9, 4, 1):
            native = outcome(data, "native", monkeypatch, rules, budget)
            python = outcome(data, "python", monkeypatch, rules, budget)
            assert native == python


@pytest.mark.parametrize("rules", ["19", "18"])
def test_the_budget_python_sees_is_the_one_the_native_replay_charged(rules, monkeypatch):
    """The native replay keeps the budget in C while it works: what it leaves to Python
    (here a Blob between Sets) sees, and charges, the true budget."""
    data = b'1:["a","b"]\n2:["text/plain","ab"]\n3:["c"]\n0:["$W1","$B2","$W3","$B2","$W1"]\n'
    charge = _references.charge_build
    seen = {}
    lefts: list[int] = []

    def recording(r: Any, value: Any, build: Any) -> None:
        if build is create_blob:
            lefts.append(r.budget.left)
        charge(r, value, build)

    for engine in ("native", "python"):
        lefts.clear()

        monkeypatch.setattr("rsc_flight._engine.ENGINE", engine)
        monkeypatch.setattr(_references, "charge_build", recording)
        monkeypatch.setattr("rsc_flight.model._rules.charge_build", recording)
        payload = parse(data, source="flight", rules=rules)
        seen[engine] = (list(lefts), payload._resolver.budget.left, payload.to_typed_json())
    assert seen["native"] == seen["python"]
    assert len(seen["native"][0]) == (1 if rules == "19" else 2)  # (19: built once)


def test_the_budget_is_written_back_when_a_call_into_python_raises():
    """A REF site the native replay leaves to the rule set's follow function: the budget
    it charged before is written back before the call, and stays so when it raises."""
    from rsc_flight.model import _chunks as c
    from rsc_flight.model.walk import Budget

    reviver = _phase1._build(ModelContext.of(rules19=True, tag_first=False, limits=DEFAULT_LIMITS))
    budget = Budget(DEFAULT_LIMITS, "decoding")
    start = budget.left

    class Owner:
        pass

    owner = Owner()
    owner.chunks = {
        1: reviver.chunk(c.FULFILLED, "one", None, 1, owner),
        2: reviver.chunk(c.PENDING, None, None, 2, owner),
    }
    owner._current = None
    owner.budget = budget
    parent = ["$1", "$2"]
    tape = [(0, parent, 0, 1, ["1"], create_model, "1"),
            (0, parent, 1, 2, ["2"], create_model, "2")]  # fmt: skip
    lefts = []

    def follow(*args: Any) -> None:
        lefts.append(budget.left)
        raise ValueError("from follow")

    with pytest.raises(ValueError, match="from follow"):
        reviver.replay(owner, tape, 0, (c.PENDING, c.RESOLVED_MODEL, c.FULFILLED, follow))
    assert lefts == [start - 2]
    assert budget.left == start - 2
    assert parent == ["one", "$2"]
    tape.pop()
    budget.left = start
    assert reviver.replay(owner, tape, 0, (c.PENDING, c.RESOLVED_MODEL, c.FULFILLED, follow)) == 1
    assert budget.left == start - 1


def test_no_references_leak_in_the_replay():
    cases = [*LARGER_CASES, b'7:["$","div",null,{"a":"$W1"}]\n1:["a"]\n0:["$7","$L7","$W1"]\n']

    def run() -> None:
        for rules in ("18", "19"):
            for budget in (10_000_000, 9):
                limits = attrs.evolve(DEFAULT_LIMITS, max_expansion=budget)
                for data in cases:
                    with contextlib.suppress(FlightError):
                        parse(data, rules=rules, limits=limits).to_typed_json()

    assert_no_leak(run, runs=20, slack=50, warmups=10, tries=5)
