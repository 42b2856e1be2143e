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

from rsc_flight import parse
from rsc_flight.cli import main as cli_main
from rsc_flight.model.js_strings import stringify_surrogates, well_formed
from rsc_flight.model.typed_json import dumps


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
        (("inspect",), "Title"),
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
