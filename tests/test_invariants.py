"""The security promises as properties, over generated hostile payloads.

``docs/security.md`` promises that only :class:`~rsc_flight.FlightError` escapes the
public stages, that they are safe to run from several threads at once, and that strict
mode only ever refuses what lenient mode accepts.  Random bytes rarely reach the
resolver, so the payloads here are built as an attacker would: element trees deep and
wide, subtrees shared through outlined rows, reference chains written forwards and
backwards, chains of lazies (``$L``), Maps and Sets, rows that refer to themselves.

Also here: the regression tests of shared values written again (typed JSON's iterators,
``render_html``'s remembered subtrees), whose budgets must trip in time linear in the
input.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import given, strategies as st

import rsc_flight
from rsc_flight import FlightError, FlightLimitError, Limits, parse, render_html, to_typed_json
from rsc_flight.model.typed_json import dumps
from rsc_flight.nextjs import render_document

# -- generated payloads -------------------------------------------------------------------

_TAGS = ("div", "p", "span", "title", "meta", "html", "head", "body", "svg", "script", "a")
_REFS = ("$", "$L", "$@", "$Q", "$W", "$i")


@st.composite
def _values(draw: st.DrawFn, rows: int, depth: int = 0) -> Any:
    """A JSON value for a model row: elements, text, and references to any row (earlier
    or later, itself included), through any of the reference codes that read a row."""
    choice = draw(st.integers(0, 9 if depth < 6 else 3))
    if choice == 0:
        return draw(st.text(max_size=8))
    if choice == 1:
        return draw(st.integers(-5, 5) | st.none() | st.booleans())
    if choice in (2, 3):
        code = draw(st.sampled_from(_REFS))
        target = draw(st.integers(0, rows))  # rows: a row that never arrives
        path = draw(st.sampled_from(["", ":children", ":0", ":props:children", ":1:a"]))
        return f"{code}{target:x}{path}"
    children = draw(st.lists(_values(rows, depth + 1), max_size=4))
    if choice in (4, 5, 6):
        props: dict[str, Any] = {"children": children}
        if draw(st.booleans()):
            props["className"] = draw(st.text(max_size=4))
        tag = draw(st.sampled_from(_TAGS))
        return ["$", tag, None, props]
    if choice == 7:
        return {"a": children, "$b": draw(st.text(max_size=3))}
    return children


@st.composite
def payloads(draw: st.DrawFn) -> bytes:
    """A Flight payload of model rows in a random order, some shared, some chains."""
    count = draw(st.integers(1, 8))
    rows = [json.dumps(draw(_values(count)), ensure_ascii=False) for _ in range(count)]
    lines = [f"{i:x}:{text}" for i, text in enumerate(rows)]
    chain = draw(st.integers(0, 40))
    if chain:  # a long chain, each row naming the next or the one before
        forward = draw(st.booleans())
        base = count
        for k in range(chain):
            target = base + k + 1 if forward else (base + k - 1 if k else 0)
            code = draw(st.sampled_from(["$", "$L", "$@"]))
            lines.append(f'{base + k:x}:["{code}{target:x}","{code}{target:x}"]')
        lines.append(f'{base + chain:x}:"end"')
    if draw(st.booleans()):  # an outlined row shared by every row: written many times
        every = ",".join(json.dumps(f"${i:x}") for i in range(count))
        lines.append(f"{count + chain + 1:x}:[{every}]")
    order = draw(st.permutations(range(len(lines))))
    return "".join(lines[i] + "\n" for i in order).encode()


hostile = payloads() | st.binary(max_size=200)

_SMALL = Limits(max_expansion=20_000, max_output_bytes=200_000, max_depth=64)


def _pipeline(data: bytes) -> list[str]:
    """Every public stage over ``data``: what each gives, or the ``FlightError`` it raised
    (any other exception fails the test)."""
    results: list[str] = []

    def run(name: str, stage: Any) -> Any:
        try:
            value = stage()
        except FlightError as error:
            results.append(f"{name}: {type(error).__name__}")
            return None
        results.append(f"{name}: {value!r}"[:2000])
        return value

    payload = run("parse", lambda: parse(data, limits=_SMALL))
    if payload is not None:
        doc = run("to_typed_json", lambda: to_typed_json(payload.root, limits=_SMALL))
        if doc is not None:
            run("dumps", lambda: dumps(doc))
        run("payload.to_typed_json", lambda: payload.to_typed_json())
        run("render_html", lambda: render_html(payload.root, limits=_SMALL))
        run("render_page", lambda: rsc_flight.render_page(payload.root, limits=_SMALL))
        run("render_document", lambda: render_document(payload, limits=_SMALL))
        article = run("extract_article", lambda: rsc_flight.extract_article(payload, limits=_SMALL))
        if article is not None:
            run("to_dict", lambda: json.dumps(article.to_dict(), ensure_ascii=False))
            run("to_markdown", article.to_markdown)
        run("inspect_report(payload)", lambda: len(rsc_flight.inspect_report(payload)))
    run("inspect_report", lambda: len(rsc_flight.inspect_report(data)))
    return results


@given(hostile)
def test_only_flight_error_escapes(data: bytes) -> None:
    results = _pipeline(data)
    assert results[0].startswith("parse")


@given(st.lists(hostile, min_size=4, max_size=4))
def test_four_threads_give_what_one_gives(examples: list[bytes]) -> None:
    alone = [_pipeline(data) for data in examples]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(_pipeline, examples))
    assert together == alone


@given(hostile)
def test_strict_success_means_lenient_agrees(data: bytes) -> None:
    try:
        strict = parse(data, strict=True, limits=_SMALL)
    except FlightError:
        return
    lenient = parse(data, limits=_SMALL)
    assert lenient.rows == strict.rows
    assert [d for d in lenient.diagnostics if d.severity == "error"] == []
    try:
        strict_doc: Any = strict.to_typed_json()
    except FlightError as error:
        strict_doc = type(error)
    try:
        lenient_doc: Any = lenient.to_typed_json()
    except FlightError as error:
        lenient_doc = type(error)
    assert lenient_doc == strict_doc


# -- shared values written again: budgets that trip in time linear in the input -----------


def _doubling(levels: int, leaf: str = '"x"') -> bytes:
    """Row k holds two references to row k-1: 2**levels leaves in a few hundred bytes."""
    lines = [f"1:{leaf}"] + [f'{k:x}:["${k - 1:x}","${k - 1:x}"]' for k in range(2, levels + 1)]
    lines.append(f'0:["$","div",null,{{"children":"${levels:x}"}}]')
    return "".join(line + "\n" for line in lines).encode()


def test_render_billion_laughs_trips_at_once() -> None:
    # 2**60 leaves; node by node, a budget of 10**8 took ~50 s to spend.
    payload = parse(_doubling(60))
    with pytest.raises(FlightLimitError, match="max_expansion=100000000"):
        render_html(payload.root, limits=Limits(max_expansion=10**8, max_output_bytes=2**40))


def test_render_shared_subtree_written_again_is_the_same_html() -> None:
    payload = parse(_doubling(10, '["$","b",null,{"children":"x"}]'))
    assert render_html(payload.root) == "<div>" + "<b>x</b>" * 512 + "</div>"


def test_render_shared_subtree_written_deeper_still_meets_max_depth() -> None:
    # The subtree fits where it is first written, five levels too deep the second time.
    deep = '["$","i",null,{"children":"x"}]'
    for _ in range(6):
        deep = f'["$","i",null,{{"children":{deep}}}]'
    wrapped = '"$1"'
    for _ in range(5):
        wrapped = f'["$","p",null,{{"children":{wrapped}}}]'
    data = f'1:{deep}\n0:["$","div",null,{{"children":["$1",{wrapped}]}}]\n'.encode()
    root = parse(data).root
    assert render_html(root, limits=Limits(max_depth=13)).count("<i>") == 14
    with pytest.raises(FlightLimitError, match="max_depth=12"):
        render_html(root, limits=Limits(max_depth=12))


def test_render_shared_subtree_with_a_cycle_is_not_replayed_out_of_place() -> None:
    # Row 1 holds itself: it is never remembered, and each place it is written cuts the
    # cycle where it is open.
    data = b'1:["$","p",null,{"children":["a","$1"]}]\n0:["$1",["$","i",null,{"children":"$1"}]]\n'
    cut = "<p>a<!--rsc: cycle--></p>"
    assert render_html(parse(data).root) == cut + "<i>" + cut + "</i>"


def _iterators(paths: int, entries: int) -> bytes:
    row = json.dumps([[f"k{i}", i] for i in range(entries)])
    shared = ",".join(['"$1"'] * paths)
    refs = ",".join(f'"$i2:{i}"' for i in range(paths))
    return f"1:{row}\n2:[{shared}]\n0:[{refs}]\n".encode()


def test_typed_json_iterator_per_path_trips_at_once() -> None:
    # 4,000 paths to 4,000 entries: 16M nodes; node by node 10M took ~12 s to reach.
    payload = parse(_iterators(4000, 4000))
    with pytest.raises(FlightLimitError, match=r"max_expansion|max_output_bytes"):
        payload.to_typed_json()


def test_typed_json_iterator_written_again_is_the_same() -> None:
    doc = to_typed_json(parse(_iterators(3, 2)).root)
    first = {"$type": "Iterator", "values": [["k0", 0], ["k1", 1]]}
    again = {"$type": "Iterator", "values": [{"$ref": "/0/values/0"}, {"$ref": "/0/values/1"}]}
    assert doc == [first, again, again]


def test_typed_json_charges_ref_bytes() -> None:
    # 2,000 references to one list: only the {"$ref": ...} text they write is output.
    data = ("1:[1]\n0:[" + ",".join(['"$1"'] * 2000) + "]\n").encode()
    root = parse(data).root
    assert len(to_typed_json(root, limits=Limits(max_output_bytes=40_000))) == 2000
    with pytest.raises(FlightLimitError, match="max_output_bytes"):
        to_typed_json(root, limits=Limits(max_output_bytes=20_000))


def test_render_shared_client_components_ask_the_hook_once_per_subtree() -> None:
    # A client component at the bottom of 2**60 leaves, as a Next.js page would hold one.
    leaf = '["$","$L100",null,{"children":"x"}]'
    payload = parse(b'100:I["m",[],"X"]\n' + _doubling(60, leaf))
    calls: list[str] = []

    def hook(element: Any, ref: Any, props: dict[str, Any]) -> str:
        calls.append(ref.name)
        return "<x-client></x-client>"

    with pytest.raises(FlightLimitError, match="max_expansion"):
        render_html(payload.root, client_hook=hook)
    assert calls == ["X"]
    small = parse(b'100:I["m",[],"X"]\n' + _doubling(4, leaf))
    assert (
        render_html(small.root, client_hook=hook)
        == "<div>" + "<x-client></x-client>" * 8 + "</div>"
    )
