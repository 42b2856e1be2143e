"""``inspect_report`` and ``rsc-flight inspect``, without a browser.

The report's page script is checked in a real browser by ``test_inspect_browser.py``; here
the HTML it starts from: the embedded model, the escaping, the CLI.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import lxml.html
import pytest

from rsc_flight import parse
from rsc_flight.extract.model import STATUSES
from rsc_flight.inspect.explain import DIALECTS, RULES, STATUSES_EXPLAINED
from rsc_flight.inspect.model import classify_for
from rsc_flight.inspect.report import _SCRIPT, build_model, inspect_report
from rsc_flight.model._codes import to_json
from rsc_flight.wire.dialect import Dialect

from .conftest import DATA, ROOT
from .test_cli import run

FIXTURES = sorted(
    [
        *ROOT.glob("examples/*.txt"),
        *ROOT.glob("examples/*.html"),
        *DATA.glob("next_blog/next1[456]/**/*.txt"),
        *DATA.glob("generated/react19/*.txt"),
        *DATA.glob("handmade/*.txt"),
    ]
)

_MODEL = re.compile(r'<script type="application/json" id="model">(.*?)</script>', re.DOTALL)


def model_of(report: str) -> dict:
    found = _MODEL.findall(report)
    assert len(found) == 1
    return json.loads(found[0])


def hostile_payload() -> bytes:
    """Markup and script in every place a payload can put text: values, keys, a text row,
    an import row's module and export names, a hint, raw HTML, line separators."""
    evil = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
    body = f"{evil}<p>T row</p>".encode()
    model = [
        "$",
        "div",
        evil,
        {
            "className": evil,
            evil: "key with markup",
            "title": "line\u2028separator\u2029and </SCRIPT > & <!-- comment",
            "children": [
                ["$", "$L1", None, {"label": evil}],
                ["$", "p", None, {"dangerouslySetInnerHTML": {"__html": evil}}],
                ["$", "script", None, {"children": "window.__pwned=3"}],
                "$2",
                "$L9",
            ],
        },
    ]
    return b"".join(
        [
            b"1:I" + json.dumps([evil, [evil], evil]).encode() + b"\n",
            b":HL" + json.dumps([evil, "style"]).encode() + b"\n",
            b"2:T" + format(len(body), "x").encode() + b"," + body,
            b"0:" + json.dumps(model).encode() + b"\n",
        ]
    )


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_report_for_every_fixture(path: Path):
    """Each fixture gives a report whose model reads back and matches the payload."""
    data = path.read_bytes()
    payload = parse(data)
    report = inspect_report(data, title=path.name)
    assert report.startswith("<!DOCTYPE html>")
    model = model_of(report)
    assert len(model["rows"]) == len(payload.rows)
    for entry, row in zip(model["rows"], payload.rows, strict=True):
        assert entry[0] == (None if row.id is None else format(row.id, "x"))
        assert entry[1:5] == [row.tag, entry[2], row.offset, row.size]
    present = {format(row.id, "x") for row in payload.rows if row.id is not None}
    assert set(model["pending"]).isdisjoint(present)
    assert set(model["shared"]) <= set(model["refs"])
    assert all(model["refs"][row_id] > 1 for row_id in model["shared"])
    assert len(model["diagnostics"]) == len(payload.diagnostics)
    assert sum(kind[2] for kind in model["stats"]["kinds"]) == sum(r.size for r in payload.rows)
    document = lxml.html.document_fromstring(report)
    assert [frame.get("sandbox") for frame in document.iter("iframe")] == ["", ""]


def test_model_of_a_shared_cyclic_payload():
    """References are counted per target; rows that reach themselves are cycles."""
    model, _ = build_model(
        parse((DATA / "generated/react19/dedup_shared.txt").read_bytes()), title="t"
    )
    # 0 refers to itself ("b": "$0:a"), 1 and 2 refer to 0; 0 refers to 1 ($Q1) and 2 ($L2).
    assert model["refs"] == {"0": 3}
    assert model["shared"] == ["0"]
    assert model["cycles"] == ["0", "1", "2"]
    assert model["pending"] == []
    assert sorted(model["from"]["0"]) == ["0", "1", "2"]
    assert model["values"]["0"] == [["k", "$0:a"]]  # keyed by row index: row 1 comes first


def test_model_marks_pending_and_literals():
    """Targets no row has are pending; ``$$`` strings and ``$`` values are no references."""
    payload = b'1:"x"\n0:["$L5","$@6","$$L7","$undefined","$7:a:b","$D2024-01-01","$1","$1"]\n'
    model, _ = build_model(parse(payload), title="t")
    assert model["pending"] == ["5", "6", "7"]
    assert model["shared"] == ["1"]
    assert model["refs"] == {"1": 2, "5": 1, "6": 1, "7": 1}
    assert model["cycles"] == []
    assert model["rows"][1][5] is None  # the page makes the preview from the value


def test_client_components_of_both_import_forms():
    """Array-form and 2022 object-form ``I``/``M`` rows give module and export."""
    f0, _ = build_model(parse((DATA / "handmade/f0-next13.1.txt").read_bytes()), title="t")
    assert f0["tagFirst"] is True
    assert f0["clients"] == {"1": ["./app/layout.js", "", 1, False]}
    assert f0["pending"] == []  # "@3" and "$2" point at rows that are there
    assert set(f0["from"]) == {"1", "2", "3"}
    r19, _ = build_model(parse((DATA / "handmade/r19.3-imports.txt").read_bytes()), title="t")
    assert r19["clients"]["2"] == [22016, "default", 1, True]
    assert r19["from"]["1"] == ["2"]  # the import row's chunk list refers to row 1


#: Strings of model rows and the row each names (``None``: no row), as React's client reads
#: them; the browser test checks that the page's script reads every one the same way.
SAMPLES = [
    ("$L1f", 0x1F),
    ("$@1f", 0x1F),
    ("$1f", 0x1F),
    ("$01f", 0x1F),
    ("$1f:props:children", 0x1F),
    ("$Q2", 2),
    ("$Q2:a", 2),
    ("$W2", 2),
    ("$K2", 2),
    ("$B2", 2),
    ("$i2", 2),
    ("$h2", 2),
    ("$F2", 2),
    ("$Z2", 2),
    ("$L1:a", None),
    ("$$L1", None),
    ("$$", None),
    ("$", None),
    ("$@", None),
    ("$Z", None),
    ("$Q", None),
    ("$undefined", None),
    ("$NaN", None),
    ("$Infinity", None),
    ("$-Infinity", None),
    ("$-0", None),
    ("$-5", None),
    ("$D2024-01-01T00:00:00.000Z", None),
    ("$n123", None),
    ("$Sreact.fragment", None),
    ("$T", None),
    ("$E", None),
    ("$Y", None),
    ("$P", None),
    ("$w", None),
    ("$H", None),
    ("$u", None),
    ("$L", None),
    ("$LXYZ", None),
    ("$1F", None),  # React writes lowercase hex; the resolver reads this as text too
    ("$12345678901234567", None),  # more than 16 digits
    ("@1", None),  # a reference only in the tag-first dialect
    ("plain", None),
    ("", None),
]
#: The 2022 tag-first dialect: ``@1`` is the reference, ``$@1`` and ``$$1`` escaped strings.
TAG_FIRST_SAMPLES = [
    ("@1", 1),
    ("@", None),
    ("$2", 2),
    ("$2:a", 2),
    ("$@1", None),
    ("$$1", None),
    ("$", None),
    ("$L1", None),  # "L1" is no hex id
    ("plain", None),
]


def _model(rules: str = "19", tag_first: bool = False) -> dict:
    return {"rules": rules, "tagFirst": tag_first}


@pytest.mark.parametrize(("text", "target"), SAMPLES)
def test_strings_name_rows_by_the_code_table(text, target):
    """The inspector reads ``$``-strings with the one code table (``model._codes``)."""
    row = None if target is None else format(target, "x")
    assert classify_for(_model(), text)[2] == row


@pytest.mark.parametrize(("text", "target"), TAG_FIRST_SAMPLES)
def test_strings_name_rows_tag_first(text, target):
    row = None if target is None else format(target, "x")
    assert classify_for(_model("18", tag_first=True), text)[2] == row


def test_non_ascii_digits_name_no_row():
    """``int("\u0661", 16)`` is 1 in Python; React's ``parseInt`` reads no digit there."""
    assert classify_for(_model(), "$\u0661")[2] is None
    decoded = parse('1:"one"\n0:["$\u0661"]\n'.encode())
    assert decoded.root == ["$\u0661"]
    assert [d.code for d in decoded.diagnostics] == ["not-a-row-reference"]


def test_z_names_a_row_only_for_react_19():
    """``$Z1`` is an error built from row 1 for React 19, the production error for 18."""
    assert classify_for(_model("19"), "$Z1")[:3] == ("$Z", "built", "1")
    assert classify_for(_model("18"), "$Z1")[:3] == ("$Z", "value", None)
    model, _ = build_model(parse(b'1:{"message":"x"}\n0:["$Z1"]\n'), title="t")
    assert model["rules"] == "19"
    assert model["from"] == {"1": ["0"]}


def test_model_carries_the_one_code_table():
    """The page's script reads ``$``-strings from the table the model carries, which is
    ``model._codes.to_json()``; the script itself names no code."""
    model, _ = build_model(parse(b'0:"$undefined"\n'), title="t")
    assert model["codes"] == to_json()
    assert model["bareKinds"] == {"$@": "value", "$Z": "value"}
    literals = re.findall(r"""["'](\$[^"']*|@[^"']*)["']""", _SCRIPT)
    assert literals == [], literals
    for name in ("Infinity", "NaN", "QWKB", "react.fragment", "startsWith"):
        assert name not in _SCRIPT


def test_dialect_and_rules_are_explained():
    """Every dialect has a description, and the model carries the payload's."""
    assert set(DIALECTS) == set(Dialect)
    assert all(len(text) > 30 for text in DIALECTS.values())
    model, _ = build_model(parse((DATA / "handmade/f0-next13.1.txt").read_bytes()), title="t")
    assert model["dialect"] == "F0"
    assert model["dialectNote"] == DIALECTS[Dialect.F0]
    assert "tag comes before" in model["dialectNote"]
    assert model["rulesNote"] == RULES[model["rules"]]


def test_article_pane_lists_fields_with_provenance():
    """The article pane: status, warnings and ``[field, value, provenance]`` rows, the
    body by size; the body's HTML goes to the frame, not into the model."""
    data = (ROOT / "examples/next15-post-long-read.txt").read_bytes()
    model, _ = build_model(parse(data), title="t")
    article = model["article"]
    assert article["status"] == "ok"
    assert article["statusNote"] == STATUSES_EXPLAINED["ok"]
    fields = {name: (value, found) for name, value, found in article["fields"]}
    assert fields["title"] == (
        "긴 글: Flight rows in depth 📚",
        {"rule": "generic", "source": "json_ld", "row": "5", "detail": "headline"},
    )
    assert fields["body"][0].startswith("2")  # its size
    assert fields["body"][1]["source"] == "inner_html"
    assert "modified" not in fields  # unset fields are left out
    assert "body_html" not in json.dumps(article)
    assert set(STATUSES_EXPLAINED) == set(STATUSES)


def test_article_pane_of_a_payload_without_article():
    """A payload that is no page: an empty article, with the reason as a warning."""
    model, _ = build_model(parse(b'0:"just text"\n'), title="t")
    assert model["article"]["status"] == "empty"
    assert model["article"]["warnings"]
    assert not any(name == "body" for name, _, _ in model["article"]["fields"])
    assert model["page"]["kind"] == "root"


def test_bad_json_row_is_flagged_not_fatal():
    """A row that is not JSON becomes an error entry; the rest is still there."""
    model, _ = build_model(parse(b'0:"$1"\n1:{broken\n2:[NaN]\n3:[1e400]\n'), title="t")
    assert set(model["bad"]) == {"1", "2", "3"}
    assert "0" in model["values"]
    assert model["diagnostics"]


def test_deep_value_is_flagged_not_embedded():
    """Nesting past the report's depth bound is flagged instead of embedded."""
    deep = "[" * 450 + "]" * 450  # past the report's bound, within the decoder's
    model, _ = build_model(parse(f"0:{deep}\n".encode()), title="t")
    assert "0" in model["bad"]
    assert "0" not in model["values"]


def test_hostile_payload_cannot_break_or_script_the_report():
    """Markup in a payload shows as text: the parsed report has exactly our two scripts, no
    element from the payload, and the payload's HTML only inside sandboxed srcdoc frames."""
    report = inspect_report(hostile_payload(), title='</title><script>alert("t")</script>')
    document = lxml.html.document_fromstring(report)
    scripts = document.xpath("//script")
    assert len(scripts) == 2
    assert (scripts[0].get("type"), scripts[0].get("id")) == ("application/json", "model")
    assert scripts[1].get("type") is None
    assert scripts[1].text == _SCRIPT
    ours = {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p",
        "nav", "noscript", "section", "div", "table", "thead", "tbody", "tr", "th", "iframe",
        "script",
    }  # fmt: skip
    assert {element.tag for element in document.iter() if isinstance(element.tag, str)} <= ours
    assert not [
        name for element in document.iter() for name in element.attrib if name.startswith("on")
    ]
    assert document.findtext(".//title") == '</title><script>alert("t")</script>'
    frames = document.xpath("//iframe")
    assert [frame.get("sandbox") for frame in frames] == ["", ""]
    assert "window.__pwned=1" in frames[0].get("srcdoc")  # shown, in the sandbox only
    # Nothing in the model block can end it: no "<" at all, and it reads back intact.
    block = _MODEL.findall(report)[0]
    assert "<" not in block
    assert "\u2028" not in block
    model = json.loads(block)
    assert model["clients"]["1"][1].startswith("</script>")
    assert model["values"]["2"].startswith("</script>")


def test_lone_surrogates_do_not_break_the_report():
    r"""JSON may hold a lone ``\ud800``; UTF-8 may not.  The report still encodes."""
    report = inspect_report(b'0:["\\ud800 alone","ok"]\n')
    report.encode("utf-8")
    assert model_of(report)["values"]["0"] == ["\ud800 alone", "ok"]


def test_report_of_a_parsed_payload_and_default_title():
    data = (DATA / "handmade/f3-next14.txt").read_bytes()
    report = inspect_report(parse(data))
    assert "<title>Flight payload</title>" in report
    assert model_of(report)["rows"] == model_of(inspect_report(data))["rows"]


def big_payload(rows: int) -> bytes:
    """A generated payload of about 130 bytes a row: elements, client references, text rows."""
    out = ['1:I[4431,["static/chunks/1.js"],"Widget"]\n']
    for i in range(2, rows):
        if i % 10 == 0:
            text = f"<p>row {i} &amp; text</p>" * 6
            out.append(f"{i:x}:T{len(text.encode()):x},{text}")
        else:
            out.append(
                f'{i:x}:["$","div","k{i}",{{"className":"item","children":[["$","$L1",null,'
                f'{{"n":{i}}}],"$L{i + 1:x}","item number {i}, a $$ sign"]}}]\n'
            )
    out.append(f'0:{{"items":["$2","$3","$L{rows + 5:x}"]}}\n')
    return "".join(out).encode()


def test_five_megabyte_payload():
    """50,000 rows build a report that stays within a small factor of the input's size."""
    data = big_payload(50_000)
    assert len(data) > 5_000_000
    start = time.perf_counter()
    report = inspect_report(data)
    elapsed = time.perf_counter() - start
    size = len(report.encode())
    assert size < 2.5 * len(data), (size, len(data), elapsed)
    model = model_of(report)
    assert len(model["rows"]) == 50_000
    assert model["pending"] == [f"{50_000:x}", f"{50_005:x}"]
    assert model["refs"]["1"] == 44_999  # every row from 2 on that is not a text row


def test_cli_writes_the_report(tmp_path):
    """``inspect FILE -o OUT`` writes the report; with ``-o -`` it goes to stdout."""
    out = tmp_path / "report.html"
    example = str(ROOT / "examples/next15-post-long-read.txt")
    result = run("inspect", example, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""
    report = out.read_text(encoding="utf-8")
    model = model_of(report)
    assert model["title"] == example
    assert model["article"]["title"] == "긴 글: Flight rows in depth 📚"
    assert model["page"]["kind"] == "next"
    html_page = run(
        "inspect", str(ROOT / "examples/next15-post-long-read.html"), "--title", "x", "-o", "-"
    )
    assert html_page.returncode == 0, html_page.stderr
    assert model_of(html_page.stdout.decode())["title"] == "x"


def test_cli_exit_codes(tmp_path):
    """Bad rows: the report is written and the status is 1, as for decode; an output that
    cannot be written or a missing file is a usage error."""
    out = tmp_path / "bad.html"
    result = run("inspect", "-", "-o", str(out), stdin=b'0:"$1"\n1:{broken\n')
    assert result.returncode == 1
    assert b"row 1" in result.stderr
    assert "1" in model_of(out.read_text(encoding="utf-8"))["bad"]
    assert run("inspect", "-", "--strict", stdin=b"0:1\nbad line\n").returncode == 1
    assert run("inspect", "/nonexistent/payload.txt").returncode == 2
    unwritable = run("inspect", "-", "-o", str(tmp_path / "no/such/dir.html"), stdin=b"0:1\n")
    assert unwritable.returncode == 2
    assert b"cannot write" in unwritable.stderr


def test_a_value_json_has_no_form_for_is_shown_by_its_type():
    """Found by fuzzing: an ``I`` row whose module id is an element put an ``Element``
    in the report's model, and writing the model raised ``TypeError``."""
    payload = parse(b'1:I[["$","div",null,{}],["x"],"default"]\n0:["$","$L1",null,{}]\n')
    report = inspect_report(payload)
    assert "\\u003cElement\\u003e" in report


def test_an_unexpected_failure_of_the_report_is_a_flight_error(monkeypatch):
    """The last net at the stage boundary: only ``FlightError`` escapes ``inspect_report``."""
    from rsc_flight import FlightError
    from rsc_flight.inspect import report

    def broken(*args, **kwargs):
        raise ValueError("a bug not yet known")

    monkeypatch.setattr(report, "build_report_model", broken)
    with pytest.raises(FlightError, match="inspect_report failed: ValueError"):
        report.inspect_report(b'0:"x"\n')
