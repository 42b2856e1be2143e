"""``rsc-flight decode`` prints what React's client decodes, and every command survives
every string a payload can hold.

The conformance tests compare :meth:`Payload.to_typed_json`; these run the command
itself (in process, with a strict UTF-8 stdout like a real terminal's) so that what is
printed is checked too, and they cover what the corpus does not: streams and async
iterables named from several places (Next 16 pages), lone surrogates.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from rsc_flight import FlightDecoder, parse
from rsc_flight.cli import main as cli_main
from rsc_flight.model.js_strings import stringify_surrogates, well_formed
from rsc_flight.model.rule_set import choose_rules
from rsc_flight.model.typed_json import dumps

from .conftest import CORPUS, DATA, corpus_params


def run_cli(*args: str) -> tuple[int, bytes]:
    """Exit status and stdout bytes of ``rsc-flight ARGS``, stdout strict UTF-8."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = cli_main(list(args))
    out.flush()
    return status, raw.getvalue()


def oracle_document(path: Path) -> dict[str, Any]:
    oracle = json.loads(path.with_name(path.stem + ".oracle.json").read_text(encoding="utf-8"))
    return {k: v for k, v in oracle.items() if k in ("value", "rootError", "hints")}


# --- streams and async iterables are shared values ------------------------------------


@pytest.mark.parametrize(
    ("header", "kind"),
    [("X", "AsyncIterable"), ("x", "AsyncIterator"), ("R", "ReadableStream")],
)
def test_a_stream_row_named_twice_is_written_once(header: str, kind: str):
    """React's client resolves ``"$1"`` to the one object row 1 made; Next 16 names its
    empty ``X`` row from every segment, so without ``$ref`` most Next 16 pages differ."""
    payload = f'1:{header}\n1:C\n0:{{"a":"$1","b":["$1"]}}\n'.encode()
    value = parse(payload).to_typed_json()["value"]
    assert value["a"]["$type"] == kind
    assert value["b"] == [{"$ref": "/a"}]


def test_an_iterator_named_twice_is_two_iterators():
    """``$i`` builds a new iterator at each reference in React's client: no ``$ref``."""
    value = parse(b'1:[1]\n0:["$i1","$i1"]\n').to_typed_json()["value"]
    assert value == [{"$type": "Iterator", "values": [1]}] * 2


# --- lone surrogates ------------------------------------------------------------------

#: A lone high and low surrogate, a pair (one emoji), and them as a key.
SURROGATES = b'0:["\\ud800","a\\udc00b","\\ud83d\\ude00",{"k\\udbff":1}]\n'
#: What ``JSON.stringify`` prints for the value React decodes from SURROGATES.
STRINGIFIED = '["\\ud800", "a\\udc00b", "\U0001f600", {"k\\udbff": 1}]'


def test_dumps_writes_lone_surrogates_as_json_stringify_does():
    document = parse(SURROGATES).to_typed_json()
    text = dumps(document)
    assert text == '{"value": ' + STRINGIFIED + ', "hints": []}'
    text.encode("utf-8")  # strict: never raises
    assert json.loads(text) == document


def test_dumps_leaves_other_text_alone():
    document = {"é": ["한국어 🏳️‍🌈", "\u2028", "\\ud800"]}
    assert dumps(document, indent=1) == json.dumps(document, ensure_ascii=False, indent=1)


def test_a_surrogate_pair_of_code_points_is_one_character():
    """In JavaScript a high then a low surrogate is one character, in JSON and text."""
    assert stringify_surrogates('"\ud83d\ude00\ud83d"') == '"\U0001f600\\ud83d"'
    assert well_formed("a\ud83d\ude00\udc00b") == "a\U0001f600\ufffdb"


def test_the_decode_command_prints_lone_surrogates_escaped(tmp_path: Path):
    path = tmp_path / "s.txt"
    path.write_bytes(SURROGATES)
    status, out = run_cli("decode", str(path))
    assert status == 0
    assert out.decode("utf-8") == '{"value": ' + STRINGIFIED + ', "hints": []}\n'


PAGE = (
    b'0:["$","article",null,{"children":[["$","h1",null,{"children":"Title \\ud800 here"}],'
    b'["$","p",null,{"children":"Body a\\udc00b of the post, long enough to be a body."}]]}]\n'
)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("decode",), "Title \\ud800 here"),
        (("html",), "<h1>Title \ufffd here</h1>"),
        (("article",), '"title": "Title \\ud800 here"'),
        (("article", "--format", "markdown"), 'title: "Title \ufffd here"'),
        (("rows",), "Title \\\\ud800 here"),  # the row's own JSON text
        (("inspect", "-o", "-"), "Title"),
        (("find", "h1"), '"text": "Title \\ud800 here"'),
        (("batch",), '"title": "Title \\ud800 here"'),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, tuple) else None,
)
def test_every_command_survives_a_lone_surrogate(tmp_path: Path, args: tuple[str, ...], expected):
    """JSON output escapes it (``JSON.stringify``); text output (HTML, Markdown) shows
    U+FFFD, as a browser encoding the page does."""
    path = tmp_path / "page.txt"
    path.write_bytes(PAGE)
    status, out = run_cli(*args, str(path))
    assert status == 0
    assert expected in out.decode("utf-8")


# --- the command equals the oracle on the whole corpus --------------------------------


def _with_oracle(params: list[Any]) -> list[Any]:
    return [
        p
        for p in params
        if p.values[0] is None or p.values[0].with_name(p.values[0].stem + ".oracle.json").exists()
    ]


@pytest.mark.parametrize("path", _with_oracle(corpus_params("real/**/*.txt")))
def test_the_decode_command_prints_the_oracle(path: Path):
    """``rsc-flight decode FILE`` on every case of ``real/`` (all React versions, rules
    chosen by the command alone) prints React's decoding."""
    status, out = run_cli("decode", str(path))
    assert status == 0
    assert json.loads(out) == oracle_document(path)


# --- which client's rules -------------------------------------------------------------


def rules_of(payload: bytes) -> str:
    decoder = FlightDecoder()
    rows = decoder.feed(payload) + decoder.close()
    return choose_rules(decoder.dialect, rows)


@pytest.mark.parametrize(
    ("payload", "rules"),
    [
        # The 18.3 canary breaks a cycle by writing the object again as a row of its own
        # (the corpus cyclic case): a self-referencing row, mutual rows.
        (b'1:{"n":"self","self":"$1"}\n0:{"self":{"n":"self","self":"$1"}}\n', "18"),
        (
            b'3:{"n":"b","a":"$2"}\n2:{"n":"a","b":"$3"}\n0:{"a":{"n":"a","b":{"n":"b","a":"$2"}}}\n',
            "18",
        ),
        # Naming a row still to come is not enough: React 19 names an ancestor so.
        (b'1:[["k","$0"]]\n0:{"m":"$Q1"}\n', "19"),
        (b'0:{"then":"$1"}\n1:"data"\n', "19"),
        # React 19: a path reference; a value outlined as an error row.
        (b'0:{"a":{"x":1},"b":"$0:a"}\n', "19"),
        (b'0:{"bad":"$1"}\n1:E{"digest":"d"}\n', "19"),
        # Next 13.x: object-form I rows, with a T row (F2).
        (b'1:I{"id":"a","chunks":[],"name":""}\n2:T3,abc0:["$","$L1",null,{}]\n', "18"),
        # Nothing telling: Next 14's F3 is 18, model rows alone 19.
        (b'1:I["a",[],""]\n0:["$","$L1",null,{"x":"$2"}]\n2:{"y":1}\n', "18"),
        (b'1:{"y":1}\n0:{"x":"$1","z":"$@1"}\n', "19"),
        # Rows that only React 19 writes decide at once.
        (b'1:X\n1:C\n0:{"v":"$1"}\n', "19"),
    ],
)
def test_the_rules_follow_the_evidence_in_the_payload(payload: bytes, rules: str):
    assert rules_of(payload) == rules


def _version_of(path: Path) -> str:
    return "18" if path.relative_to(CORPUS).parts[1] in ("next14", "react18-canary") else "19"


@pytest.mark.parametrize("path", corpus_params("real/**/*.txt"))
def test_the_rules_are_right_or_do_not_matter(path: Path):
    """On every corpus case the rules chosen are those of the client that made it, or the
    payload has nothing version-specific and both rule sets decode it alike."""
    data = path.read_bytes()
    if rules_of(data) != _version_of(path):
        assert parse(data, rules="18").to_typed_json() == parse(data, rules="19").to_typed_json()


# --- Next 16 / React 19.3 canary: oracles of our own --------------------------------------

NEXT16 = sorted((DATA / "generated" / "next16").glob("*.oracle.json"))


@pytest.mark.parametrize("oracle", NEXT16, ids=lambda p: p.name.removesuffix(".oracle.json"))
def test_next16_payloads_decode_as_the_client_next16_vendors(oracle: Path):
    """The Next 16.4 blog build (pages and segment prefetches) decodes as the React 19.3
    canary Turbopack client Next 16 vendors decoded it (``scripts/node/next16-oracles``).
    Most of these name one ``X`` row from two segments."""
    recorded = json.loads(oracle.read_text(encoding="utf-8"))
    payload = DATA / recorded["source"]
    status, out = run_cli("decode", str(payload))
    assert status == 0
    assert json.loads(out) == {k: v for k, v in recorded.items() if k in ("value", "hints")}


def test_next16_oracles_are_present():
    """All 14 payloads of the Next 16 build have an oracle, so the check never shrinks."""
    assert len(NEXT16) == 14


# --- row ids: ints in Python, hex text in JSON and on the command line ----------------


def test_a_row_is_named_by_int_or_by_its_hex_text():
    payload = parse(b'1f:{"a":1}\n0:"$1f"\n')
    assert payload.value(0x1F) == payload.value("1f") == payload.value("1F") == {"a": 1}
    assert payload.chunk("1f") is payload.chunk(31)
    with pytest.raises(ValueError, match="not a row id"):
        payload.value("0x1f")


def test_decode_row_takes_the_hex_id_and_prints_it(tmp_path: Path):
    path = tmp_path / "p.txt"
    path.write_bytes(b'1f:{"a":1}\n0:"$1f"\n')
    status, out = run_cli("decode", "--row", "1f", str(path))
    assert status == 0
    assert json.loads(out) == {"row": "1f", "value": {"a": 1}}
