"""Phase 1 of the reviver alone (values and tape, no chunk state), diagnostic codes, and
the rule set a payload was decoded with."""

from __future__ import annotations

import math

import pytest

from rsc_flight import FlightLimitError, Limits, parse
from rsc_flight.model import Element, ErrorValue, JSBigInt, Lazy, Resolver
from rsc_flight.model._revive import ModelContext, decode_model
from rsc_flight.model._tape import (
    ENTER,
    EXIT,
    LAZY,
    LIST_ELEMENT,
    PROMISE,
    RAISE,
    REF,
    THROW,
    WARN,
)
from rsc_flight.wire.rows import ModelRow

CTX19 = ModelContext(True)
CTX18 = ModelContext(False)


def ops(tape):
    return [site[0] for site in tape]


def test_plain_and_pure_codes_leave_an_empty_tape():
    """A row without references decodes in phase 1 alone: elements built, codes decoded."""
    holder, tape = decode_model(
        '["$","div",null,{"a":"$$x","n":"$NaN","b":"$n12","u":"$undefined","k":[1,"$-0"]}]',
        CTX19,
    )
    assert list(tape) == []
    element = holder[""]
    assert isinstance(element, Element)
    assert element.type == "div"
    props = element.props
    assert props["a"] == "$x"
    assert math.isnan(props["n"])
    assert props["b"] == JSBigInt(12)
    assert "u" not in props  # undefined drops the key
    assert math.copysign(1, props["k"][1]) == -1


def test_lazy_child_is_linked_by_the_replay_and_needs_no_scope():
    """`$L1` stores nothing and never waits: the element is built in phase 1 with a Lazy
    whose chunk the replay links (a LAZY site, no ENTER/EXIT)."""
    holder, tape = decode_model('["$","div",null,{"children":"$L1"}]', CTX19)
    assert ops(tape) == [LAZY]
    lazy = holder[""].props["children"]
    assert isinstance(lazy, Lazy)
    assert tape[0][1] is lazy
    assert tape[0][2] == 1


def test_reference_child_opens_the_element_scope():
    """`$1` may wait for its row: the element keeps its tuple, with ENTER before the
    reference and EXIT after it (React 19's element scope), in post-order."""
    holder, tape = decode_model('["$","div",null,{"children":"$1:a:b"}]', CTX19)
    assert ops(tape) == [ENTER, REF, EXIT]
    _, parent, key, row_id, path, _build, reference = tape[1]
    assert (key, row_id, path, reference) == ("children", 1, ["1", "a", "b"], "1:a:b")
    assert parent["children"] == "$1:a:b"  # the text waits for the replay
    _, exit_holder, exit_key, container, shape = tape[2]
    assert exit_holder is holder
    assert exit_key == ""
    assert shape == LIST_ELEMENT
    assert container is holder[""]


def test_nested_sites_come_in_post_order():
    """Sites are listed in the order the one-pass reviver met them: children first."""
    text = '["$","ul",null,{"children":[["$","li",null,{"children":"$2"}],"$@3","$L4"]}]'
    _, tape = decode_model(text, CTX19)
    assert ops(tape) == [ENTER, ENTER, REF, EXIT, PROMISE, LAZY, EXIT]


def test_react_18_rules_have_no_scopes_and_keep_proto():
    """Under React 18.3's rules an element with a reference gets only its EXIT, and a
    `__proto__` key is kept (React 19 drops it)."""
    _, tape = decode_model('["$","div",null,{"children":"$1"}]', CTX18)
    assert ops(tape) == [REF]  # built in phase 1: the replay fills the props it shares
    _, tape = decode_model('["$","$1",null,{}]', CTX18)
    assert ops(tape) == [REF, EXIT]  # the reference is a field of the tuple itself
    _, tape = decode_model('["$",["$","$1",null,{}],{"k":"$2"},{}]', CTX18)
    assert ops(tape) == [REF, EXIT, REF, EXIT]
    assert "__proto__" in decode_model('{"__proto__":1}', CTX18)[0][""]
    assert decode_model('{"__proto__":1}', CTX19)[0][""] == {}


def test_throw_warning_and_limit_end_or_mark_the_tape():
    """A BigInt that is not one throws (the tape ends with THROW); text naming no row leaves
    a WARN and stays text; nesting past max_depth ends the tape with RAISE."""
    _, tape = decode_model('["$1","$nabc","$2"]', CTX19)
    assert ops(tape) == [REF, THROW]  # "$2" is never reached, as in one pass
    assert isinstance(tape[1][1], ErrorValue)
    assert (tape[1][1].message, tape[1][1].name) == (
        "Cannot convert abc to a BigInt",
        "SyntaxError",
    )
    holder, tape = decode_model('["$Lzz"]', CTX19)
    assert ops(tape) == [WARN]
    assert holder[""] == ["$Lzz"]
    shallow = ModelContext.of(rules19=True, tag_first=False, limits=Limits(max_depth=3))
    _, tape = decode_model("[[[[1]]]]", shallow)
    assert ops(tape) == [RAISE]
    assert isinstance(tape[0][1], FlightLimitError)


def test_phase_one_is_pure():
    """The same text decodes to equal results twice, with nothing shared between them."""
    text = '["$","div",null,{"a":"$1","b":"$L2","c":"$Sx"}]'
    first, second = decode_model(text, CTX19), decode_model(text, CTX19)
    assert ops(first[1]) == ops(second[1])
    assert first[0] is not second[0]


def test_contexts_are_shared():
    """Contexts are immutable and shared per rules and limits (building one is costly)."""
    limits = Limits()
    assert ModelContext.of(rules19=True, tag_first=False, limits=limits) is ModelContext.of(
        rules19=True, tag_first=False, limits=Limits()
    )


# -- diagnostics ---------------------------------------------------------------------------

BAD_INPUTS = [
    b'0:["$Lzz","$G1","$@x","$Q"]\n',  # not row references
    b"0:[1,\n",  # not JSON
    b'0:"a"\n0:"b"\n',  # a second model row
    b"1:T1,a1:T1,b",  # a second row
    b"0:I[1\n",  # an import row that is not JSON
    b"0:I{}\n",  # an import row that describes no module
    b"0:HL[\n",  # a hint that is not JSON
    b"0:E{\n",  # an error row that is not JSON
]


@pytest.mark.parametrize("data", BAD_INPUTS)
def test_every_model_diagnostic_has_a_code(data):
    """Each problem the model stage records names its kind in a stable code."""
    payload = parse(data, source="flight")
    assert payload.diagnostics
    for diagnostic in payload.diagnostics:
        assert diagnostic.code, diagnostic
        assert diagnostic.code == diagnostic.code.lower()
        assert " " not in diagnostic.code


def test_model_diagnostic_codes_by_kind():
    """The codes say what went wrong."""

    def codes(data: bytes) -> set[str]:
        return {d.code for d in parse(data, source="flight").diagnostics}

    assert "not-a-row-reference" in codes(b'0:["$Lzz"]\n')
    assert "json-syntax" in codes(b"0:[1,\n")
    assert "duplicate-row" in codes(b'0:"a"\n0:"b"\n')
    assert "invalid-import-row" in codes(b"0:I[1\n")
    assert "import-not-a-module" in codes(b"0:I{}\n")
    assert "invalid-hint-row" in codes(b"0:HL[\n")
    assert "invalid-error-row" in codes(b"0:E{\n")


# -- rules ---------------------------------------------------------------------------------


def test_payload_names_its_rules():
    """Payload.rules is the React client whose rules decoded it: chosen from the dialect,
    or as asked."""
    assert parse(b'0:["$","div",null,{}]\n').rules == "19"
    assert parse(b'0:["$","div",null,{}]\n', rules="18").rules == "18"
    # A 2023 newline-only payload with an object-form import row: React 18.3 (Next 13.4).
    old = b'1:I{"id":"a","chunks":[],"name":""}\n0:["$","$L1",null,{}]\n'
    assert parse(old).rules == "18"


def test_resolver_rejects_unknown_rules():
    with pytest.raises(ValueError, match="rules must be"):
        Resolver(rules="17")


def test_rows_of_a_subclassed_kind_are_taken_by_their_base():
    """The row-kind table falls back on a row class's nearest known base."""

    class TracedRow(ModelRow):
        pass

    resolver = Resolver()
    resolver.add(TracedRow(0, "", 0, 6, '"hi"'))
    assert resolver.chunks[0].value == "hi"


def test_lazies_before_other_sites_are_linked_then_the_replay_goes_on_from_there(monkeypatch):
    """The resolver links the lazies at the head of a tape itself and replays the rest
    from the first other site (``replay(start=...)``): the same chunks, in the same order,
    as replaying the whole tape.  (The links are read as the walk saw them: ``parse``
    drops them once every chunk settled.)"""
    monkeypatch.setattr(Resolver, "release_settled", lambda self: None)
    text = '[["$","$L2",null,{}],"$L3",["$","div",null,{"r":"$1"}],"$L4"]'
    payload = parse(f'1:{{}}\n0:{text}\n2:"a"\n3:"b"\n4:"c"\n')
    root = payload.root
    assert [item.promise.id for item in (root[0].type, root[1], root[3])] == [2, 3, 4]
    assert root[2].props["r"] == {}
    mentions = [chunk.id for chunk in payload._resolver.chunks[0]._links]
    assert mentions == [2, 3, 1, 4]  # in document order: the lazies, the reference, a lazy


def test_replay_from_a_start_skips_the_sites_before_it():
    from rsc_flight.model._references import replay

    r = Resolver()
    holder, tape = decode_model('["$L1","$L2"]', CTX19)
    replay(r, holder, tape, 1)
    assert holder[""][0].promise is None  # not linked: the caller had done it
    assert holder[""][1].promise is r.chunks[2]
    assert 1 not in r.chunks
