"""Unit tests of the resolver: every `$` code, every dialect, sharing, cycles, holes."""

from __future__ import annotations

import json
import math

import pytest

from rsc_flight import Element, FlightLimitError, FlightSyntaxError, Limits, parse, to_typed_json
from rsc_flight.model import (
    UNDEFINED,
    ClientReference,
    ErrorRaised,
    ErrorValue,
    FunctionSource,
    JSAsyncIterable,
    JSBigInt,
    JSBlob,
    JSDate,
    JSFormData,
    JSIterator,
    JSMap,
    JSPromise,
    JSReadableStream,
    JSSet,
    JSSymbol,
    JSTypedArray,
    Lazy,
    Omitted,
    Pending,
    ServerContextProvider,
    ServerReference,
    TemporaryReference,
)


def root(payload: bytes | str, **kwargs):
    return parse(payload.encode() if isinstance(payload, str) else payload, **kwargs).root


def typed(payload: bytes | str, **kwargs):
    data = payload.encode() if isinstance(payload, str) else payload
    return json.loads(json.dumps(parse(data, **kwargs).to_typed_json()))


# -- scalars and escapes -------------------------------------------------------------------


def test_plain_json_stands_for_itself():
    """JSON without `$` strings decodes to the same Python values."""
    assert root('0:{"a":[1,2.5,true,null,"x"],"b":{}}\n') == {
        "a": [1, 2.5, True, None, "x"],
        "b": {},
    }


def test_dollar_escapes():
    """`$$x` is the string `$x`; only a leading `$` is special; keys are never decoded."""
    assert root('0:{"a":"$$1","b":"$$$","c":"a$b","$k":"$$"}\n') == {
        "a": "$1",
        "b": "$$",
        "c": "a$b",
        "$k": "$",
    }


def test_special_numbers_and_undefined():
    """`$NaN`, `$Infinity`, `$-Infinity`, `$-0`; `$undefined` drops a key, fills a slot."""
    value = root(
        '0:{"n":"$NaN","i":"$Infinity","m":"$-Infinity","z":"$-0","u":"$undefined",'
        '"arr":["$undefined",1]}\n'
    )
    assert math.isnan(value["n"])
    assert value["i"] == math.inf
    assert value["m"] == -math.inf
    assert value["z"] == 0
    assert math.copysign(1, value["z"]) == -1
    assert "u" not in value
    assert value["arr"] == [UNDEFINED, 1]


def test_dates_and_bigints():
    """`$D` is a JavaScript Date (ISO, extended years); `$n` a BigInt."""
    value = root('0:["$D2024-03-15T12:34:56.789Z","$D+275760-09-13T00:00:00.000Z","$n-12"]\n')
    date, far, big = value
    assert isinstance(date, JSDate)
    assert date.isoformat() == "2024-03-15T12:34:56.789Z"
    assert date.datetime is not None
    assert date.datetime.microsecond == 789000
    assert far.epoch_ms == 8.64e15
    assert isinstance(big, JSBigInt)
    assert big == -12
    assert typed('0:"$Dnot a date"\n')["value"] is None


def test_bigint_digit_limit():
    """A BigInt longer than max_bigint_digits is a limit error."""
    with pytest.raises(FlightLimitError, match="max_bigint_digits"):
        parse(b'0:"$n' + b"9" * 50 + b'"\n', limits=Limits(max_bigint_digits=20))


def test_symbols_and_dev_codes():
    """`$S` symbols, `$E` function source (never run), `$Y` omitted, `$T` temporary refs."""
    value = root('0:["$Sreact.suspense","$Efunction f(){}","$Y","$T1","$w","$H"]\n')
    assert value[:4] == [
        JSSymbol("react.suspense"),
        FunctionSource("function f(){}"),
        Omitted(""),
        TemporaryReference("T1"),
    ]
    assert value[4:] == [UNDEFINED, UNDEFINED]


# -- references ----------------------------------------------------------------------------


def test_forward_reference_and_sharing():
    """`$1` may come before row 1; two references give the very same object."""
    value = root('0:{"a":"$1","b":"$1"}\n1:{"x":[1]}\n')
    assert value == {"a": {"x": [1]}, "b": {"x": [1]}}
    assert value["a"] is value["b"]


def test_path_references_and_cycles():
    """`$0:a:b` walks keys of a row; a path into the row being parsed makes a cycle."""
    value = root('0:{"a":{"b":[10,{"c":1}]},"d":"$0:a:b:1","self":"$0"}\n')
    assert value["d"] is value["a"]["b"][1]
    assert value["self"] is value


def test_path_through_element_fields():
    """Path steps through an element use its field names: type, key, props."""
    value = root('0:{"el":["$","div","k",{"title":"t"}],"t":"$0:el:props:title","k":"$0:el:key"}\n')
    assert value["t"] == "t"
    assert value["k"] == "k"


def test_path_never_reaches_python_attributes():
    """`__class__` and friends are just missing keys: nothing but data is walked."""
    value = root('1:{"a":1}\n0:{"x":"$1:__class__:__init__","y":"$1:constructor","z":"$1:a"}\n')
    assert value == {"z": 1}


def test_path_length_limit():
    """A path longer than max_path_length is a limit error."""
    with pytest.raises(FlightLimitError, match="max_path_length"):
        parse(b'1:{}\n0:"$1' + b":a" * 20 + b'"\n', limits=Limits(max_path_length=10))


def test_lazy_and_promise():
    """`$L` gives a Lazy (a new wrapper each time); `$@` gives the chunk itself."""
    value = root('0:{"l":"$L1","m":"$L1","p":"$@1","q":"$@1"}\n1:"one"\n')
    assert isinstance(value["l"], Lazy)
    assert value["l"] is not value["m"]
    assert value["l"].result == "one"
    assert isinstance(value["p"], JSPromise)
    assert value["p"] is value["q"]
    assert (value["p"].status, value["p"].value) == ("fulfilled", "one")


def test_missing_rows_are_pending_values():
    """Rows that never arrive are explicit Pending values, not exceptions."""
    value = root('0:{"a":"$5","b":"$L6","c":"$@7","d":["$","p",null,{"x":"$8"}]}\n')
    assert isinstance(value["a"], Pending)
    assert value["a"].id == 5
    assert isinstance(value["b"].result, Pending)
    assert value["c"].status == "pending"
    element = value["d"].result  # the element waited on row 8: React wraps it in a lazy
    assert isinstance(element, Element)
    assert isinstance(element.props["x"], Pending)
    doc = typed('0:{"a":"$5","c":"$@7"}\n')
    assert doc["value"] == {
        "a": {"$type": "pending", "id": "5"},
        "c": {"$type": "Promise", "status": "pending"},
    }


def test_error_rows():
    """An `E` row rejects its chunk; lazies and promises carry the error value."""
    payload = parse(b'0:{"l":"$L1","p":"$@1"}\n1:E{"digest":"NEXT_NOT_FOUND"}\n')
    value = payload.root
    with pytest.raises(ErrorRaised) as raised:
        _ = value["l"].result
    error = raised.value.value
    assert isinstance(error, ErrorValue)
    assert error.digest == "NEXT_NOT_FOUND"
    assert "omitted in production" in error.message
    assert value["p"].status == "rejected"


def test_root_error():
    """A root that is an error row gives root_error and a rootError document."""
    payload = parse(b'0:E{"digest":"d","message":"boom","name":"TypeError","env":"Server"}\n')
    assert payload.root is None
    assert payload.root_error.message == "boom"
    assert payload.to_typed_json()["rootError"] == {
        "$type": "Error",
        "name": "TypeError",
        "message": "boom",
        "digest": "d",
        "environmentName": "Server",
    }


def test_error_inside_element_is_confined_to_it():
    """A failed reference in an element's props turns only that element into a thrown lazy."""
    doc = typed(
        '0:["$","div",null,{"children":[["$","p",null,{"x":"$1"}],"ok"]}]\n1:E{"digest":"x"}\n'
    )
    children = doc["value"]["props"]["children"]
    assert children[0]["$type"] == "thrown"
    assert children[1] == "ok"


# -- built-ins -----------------------------------------------------------------------------


def test_map_and_set_follow_same_value_zero():
    """Maps keep insertion order and replace duplicate keys; Sets keep unique values."""
    value = root('1:[["a",1],["a",2],[1,"x"]]\n2:["a","a",1]\n0:{"m":"$Q1","s":"$W2"}\n')
    assert isinstance(value["m"], JSMap)
    assert value["m"].entries == [("a", 2), (1, "x")]
    assert isinstance(value["s"], JSSet)
    assert value["s"].values == ["a", 1]


def test_form_data_blob_iterator_typed_arrays():
    """`$K` FormData, `$B` Blob of binary rows, `$i` iterators, binary rows as typed arrays."""
    value = root(
        b'1:[["a","1"],["a","2"]]\n2:o3,abc3:["text/plain","$2"]\n4:[1,2]\n5:G4,\x00\x00\x80?'
        b'0:{"f":"$K1","b":"$B3","i":"$i4","g":"$5"}\n'
    )
    assert isinstance(value["f"], JSFormData)
    assert value["f"].entries == [("a", "1"), ("a", "2")]
    assert isinstance(value["b"], JSBlob)
    assert (value["b"].type, value["b"].data) == (
        "text/plain",
        b"abc",
    )
    assert isinstance(value["i"], JSIterator)
    assert value["i"].values == [1, 2]
    assert isinstance(value["g"], JSTypedArray)
    assert value["g"].values == [1.0]


def test_streams_and_async_iterables():
    """`R`/`x` rows open a stream; items (model, text, binary rows) and `C` close it."""
    value = root(b'0:{"s":"$1","it":"$2"}\n1:R\n2:x\n1:{"a":1}\n2:1\n1:T3,abc1:C\n2:C"done"\n')
    stream, iterator = value["s"], value["it"]
    assert isinstance(stream, JSReadableStream)
    assert stream.chunks == [{"a": 1}, "abc"]
    assert stream.done
    assert isinstance(iterator, JSAsyncIterable)
    assert iterator.iterator
    assert (iterator.values, iterator.return_value) == ([1], "done")


def test_server_references():
    """`$h` (and the older `$F`) name a Server Action and its bound arguments."""
    value = root('1:{"id":"act#1","bound":"$@2"}\n2:["x",1]\n0:["$h1","$F1"]\n')
    assert all(isinstance(v, ServerReference) for v in value)
    assert value[0].id == "act#1"
    assert value[0].bound.value == ["x", 1]


# -- elements and client references --------------------------------------------------------


def test_elements_production_and_development_tuples():
    """4-tuples are production elements; 7-tuples add owner, stack and validation."""
    value = root(
        '1:{"name":"Page"}\n0:[["$","a","k",{"href":"/"}],["$","b",null,{},"$1",null,1]]\n'
    )
    prod, dev = value
    assert (prod.type, prod.key, prod.props) == ("a", "k", {"href": "/"})
    assert dev.owner == {"name": "Page"}
    assert dev.validated == 1


def test_client_references_of_every_form():
    """Array `I` rows (with async flag), 13.x object rows, and 19.3 import strings."""
    value = root(
        '1:"static/chunks/abc-0123456789.js"\n'
        '2:I["231",["231","$1"],"default",1]\n'
        '3:I{"id":"9","chunks":["9:a.js"],"name":"Btn","async":false}\n'
        '0:[["$","$L2",null,{}],"$3"]\n'
    )
    component = value[0].type.result
    assert component == ClientReference(
        "231", ("231", "static/chunks/abc-0123456789.js"), "default", True
    )
    assert value[1] == ClientReference("9", ("9:a.js",), "Btn", False)


def test_tag_first_dialect_of_2022():
    """F0: `@hex` is a lazy, `$@x` is the escaped string `@x`, `M`/`S`/`P` rows."""
    value = root(
        'M1:{"id":"./app.js","chunks":[],"name":""}\nS2:"react.suspense"\nP3:ThemeCtx\n'
        'J0:["$","@1",null,{"a":"$@home","s":"$2","p":"$3"}]\n'
    )
    assert value.type.result.id == "./app.js"
    assert value.props == {
        "a": "@home",
        "s": JSSymbol("react.suspense"),
        "p": ServerContextProvider("ThemeCtx"),
    }


def test_next13_server_context_provider():
    """In the 2023 dialect `$P<name>` is a server-context provider."""
    value = root('1:I{"id":"1","chunks":[],"name":""}\n0:"$PThemeContext"\n')
    assert value == ServerContextProvider("ThemeContext")


# -- hints, debug rows, bad rows -----------------------------------------------------------


def test_hints_in_order_as_dom_calls():
    """Hints become `[code, *arguments]` as ReactDOM would be called, in order."""
    payload = parse(b':HL["/a.css","style"]\n:HS["/b.css","default"]\n:HD"https://x"\n0:1\n')
    assert payload.hints == [
        ["L", "/a.css", "style"],
        ["S", "/b.css", "default", None],
        ["D", "https://x"],
    ]


def test_debug_rows_are_kept():
    """Development rows are kept as debug information by id."""
    payload = parse(b'1:D{"name":"Page"}\n:W["log",null,null,"Server","hi"]\n0:1\n')
    assert [r.tag for r in payload.debug[1]] == ["D"]
    assert [r.tag for r in payload.debug[None]] == ["W"]


def test_invalid_json_row():
    """A model row that is not JSON (JSON.parse rules: no NaN literal) is reported."""
    payload = parse(b"0:[NaN]\n")
    assert payload.root is None
    assert "not valid JSON" in payload.diagnostics[0].reason
    with pytest.raises(FlightSyntaxError, match=r"at byte 0, row 0"):
        parse(b"0:[NaN]\n", strict=True)


def test_duplicate_model_row():
    """A second model row for an ordinary chunk is a diagnostic (strict: an error)."""
    payload = parse(b'0:"$1"\n1:"a"\n1:"b"\n')
    assert payload.root == "a"
    assert any("second model row" in d.reason for d in payload.diagnostics)
    with pytest.raises(FlightSyntaxError, match="second model row"):
        parse(b'0:"$1"\n1:"a"\n1:"b"\n', strict=True)


def test_deep_nesting_is_a_limit_not_a_crash():
    """JSON nested past max_depth raises FlightLimitError, never RecursionError."""
    deep = b"0:" + b"[" * 5000 + b"]" * 5000 + b"\n"
    with pytest.raises(FlightLimitError):
        parse(deep)


# -- typed JSON -----------------------------------------------------------------------------


def test_shared_and_cyclic_values_become_refs():
    """Shared values are written once; later occurrences are JSON pointers."""
    doc = typed('0:{"a":{"x":1},"b":"$0:a","c":["$0:a"],"me":"$0","$k":1}\n')
    assert doc["value"] == {
        "$type": "object",
        "value": {
            "a": {"x": 1},
            "b": {"$ref": "/value/a"},
            "c": [{"$ref": "/value/a"}],
            "me": {"$ref": ""},
            "$k": 1,
        },
    }


def test_billion_laughs_stays_linear():
    """Rows doubling a shared row 60 times encode to a small document with refs."""
    rows = ['1:["x"]']
    rows += [f'{i:x}:["${i - 1:x}","${i - 1:x}"]' for i in range(2, 62)]
    rows.append('0:"$3d"')
    data = ("\n".join(rows) + "\n").encode()
    text = json.dumps(to_typed_json(parse(data).root))
    assert len(text) < 10_000
    assert text.count("$ref") >= 59


def test_typed_json_expansion_limit():
    """max_expansion bounds the nodes typed JSON writes."""
    with pytest.raises(FlightLimitError, match="max_expansion"):
        to_typed_json(list(range(100)), limits=Limits(max_expansion=50))


def test_map_keys_may_be_infinite():
    """Infinity and NaN are Map keys like any number (found by the fuzzer)."""
    value = root('1:[["$Infinity",1],["$-Infinity",2],["$NaN",3],["$NaN",4]]\n0:"$Q1"\n')
    assert [v for _, v in value.entries] == [1, 2, 4]
