"""``render_document``: the one "Next.js page, else the root" decision that the ``html``
command and the inspector share."""

from __future__ import annotations

from rsc_flight import parse, render_html, render_page
from rsc_flight.inspect.report import build_model
from rsc_flight.nextjs import render_document

from .conftest import DATA
from .test_cli import run

BLOG = DATA / "next_blog" / "next15"
PLAIN = b'0:["$","div",null,{"children":["$","p",null,{"children":"hi"}]}]\n'


def test_a_next_payload_renders_as_its_page() -> None:
    payload = parse((BLOG / "notes" / "full-metadata.txt").read_bytes())
    page = render_page(payload.root)
    assert page is not None
    assert render_document(payload) == page
    assert render_document(payload) != render_html(payload.root)  # not the router state
    marked = render_document(payload, mark_clients=True)
    assert marked == render_page(payload.root, mark_clients=True)
    assert "<rsc-client" in marked


def test_any_other_payload_renders_its_root() -> None:
    payload = parse(PLAIN)
    assert render_page(payload.root) is None
    assert render_document(payload) == render_html(payload.root) == "<div><p>hi</p></div>"


def test_the_html_command_and_the_inspector_show_the_same_document() -> None:
    for data in ((BLOG / "tutorials" / "element-body.txt").read_bytes(), PLAIN):
        payload = parse(data)
        expected = render_document(payload)
        shown = run("html", "-", stdin=data)
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.decode() == expected + "\n"
        model, page = build_model(payload, title="t")
        assert page == expected
        assert model["page"]["kind"] == ("root" if data == PLAIN else "next")
