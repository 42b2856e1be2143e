"""HTML rendering: React DOM's server output, byte for byte, and Next.js page assembly."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.etree
import pytest

from rsc_flight import FlightLimitError, Limits, parse, render_html, render_page
from rsc_flight.tree import find
from rsc_flight.wire import TextRow

from .conftest import CORPUS, DATA

EXPECTED = DATA / "render_html"
MANIFEST = json.loads((EXPECTED / "manifest.json").read_text(encoding="utf-8"))
ROOT = DATA.parent.parent


def _source(key: str) -> Path:
    if key.startswith("own/"):
        return ROOT / (key[4:] + ".txt")
    return CORPUS / (key + ".txt")


CASES = [pytest.param(key, id=key) for key, case in MANIFEST["cases"].items() if "target" in case]


@pytest.mark.parametrize("key", CASES)
def test_matches_react_render_to_static_markup(key):
    """Our output equals react-dom/server's renderToStaticMarkup for the same tree.

    The expected files were made by scripts/node/render-html (React 19.2.9): the target is
    the first <html> element of the payload, or the root; client components render their
    children.
    """
    source = _source(key)
    if not source.exists():
        pytest.skip(f"corpus input {source} not present")
    root = parse(source.read_bytes()).root
    html_element = find(root, "html")
    target = html_element.element if html_element else root
    expected = (EXPECTED / (key + ".html")).read_text(encoding="utf-8")
    assert render_html(target) == expected


def test_own_fixtures_are_part_of_the_differential_test():
    """Cases made from our own files keep the test meaningful without the corpus."""
    assert sum(key.startswith("own/") for key, *_ in (c.values for c in CASES)) >= 3


def _well_formed(html: str) -> None:
    parser = lxml.etree.HTMLParser(recover=False)
    lxml.etree.fromstring(html, parser)
    assert not [e for e in parser.error_log if e.level_name == "ERROR"]


def _pages() -> list[Path]:
    own = sorted(ROOT.glob("examples/*.txt"))
    seeds = sorted(CORPUS.glob("seeds/00[013]*.txt")) if CORPUS.is_dir() else []
    pages = sorted(CORPUS.glob("real/next1*/posts/*.txt")) if CORPUS.is_dir() else []
    return own + seeds + pages


@pytest.mark.parametrize("path", _pages(), ids=lambda p: p.name)
def test_next_pages_contain_their_body(path):
    """A Next.js page renders with its segments in place: the post body of the text row
    appears byte for byte inside its div, and lxml reads the whole page."""
    payload = parse(path.read_bytes())
    html = render_page(payload.root)
    assert html is not None
    if "escape-hatch" not in path.name:
        # escape-hatch puts "</script>" inside JSON-LD given as dangerouslySetInnerHTML;
        # React writes that verbatim, so the page is broken exactly as React's would be.
        _well_formed(html)
    bodies = [row.payload for row in payload.rows if isinstance(row, TextRow)]
    for body in bodies:
        assert f">{body}</div>" in html or f">{body}</" in html


def test_next_html_page_renders_like_its_payload():
    """A Next 15 page's inline flight data renders to the same page as its .txt."""
    html = (ROOT / "examples" / "next15-post-long-read.html").read_bytes()
    txt = (ROOT / "examples" / "next15-post-long-read.txt").read_bytes()
    assert render_page(parse(html).root) == render_page(parse(txt).root)


def test_render_page_is_none_for_other_payloads():
    """A payload that is not a Next.js router payload has no page to assemble."""
    assert render_page(parse(b'0:["$","p",null,{}]\n').root) is None


# -- unit -----------------------------------------------------------------------------------


def render(payload: bytes, **kwargs) -> str:
    return render_html(parse(payload).root, **kwargs)


def test_escaping_and_attribute_names():
    """Text and attributes are escaped; className/htmlFor map; handlers, key, ref drop."""
    html = render(
        b'0:["$","label","k",{"className":"a\\"b","htmlFor":"x","onClick":"$h1",'
        b'"ref":null,"title":"<&\'>","children":["<b>","&",1.5]}]\n'
    )
    assert html == (
        '<label class="a&quot;b" for="x" title="&lt;&amp;&#x27;&gt;">&lt;b&gt;&amp;1.5</label>'
    )


def test_style_booleans_and_void_elements():
    """Style objects become CSS (px except unitless), booleans follow React's rules."""
    html = render(
        b'0:["$","div",null,{"style":{"fontSize":14,"lineHeight":1.5,"marginTop":0,'
        b'"WebkitTransition":"none","--gap":"2px","color":null},"hidden":true,'
        b'"draggable":false,"data-on":true,"aria-hidden":false,"children":['
        b'["$","input",null,{"defaultChecked":true,"type":"checkbox","disabled":false}],'
        b'["$","br",null,{}]]}]\n'
    )
    assert html == (
        '<div style="font-size:14px;line-height:1.5;margin-top:0;-webkit-transition:none;'
        '--gap:2px" hidden="" draggable="false" data-on="true" aria-hidden="false">'
        '<input type="checkbox" checked=""/><br/></div>'
    )


def test_inner_html_and_script_text():
    """dangerouslySetInnerHTML is inserted as is; script text cannot close its tag."""
    html = render(
        b'0:[["$","div",null,{"dangerouslySetInnerHTML":{"__html":"<p>raw</p>"}}],'
        b'["$","script",null,{"children":"a</script><b>"}]]\n'
    )
    assert html == "<div><p>raw</p></div><script>a\\u003c/script><b></script>"


def test_fragments_suspense_pending_and_errors():
    """Fragments and Suspense render children; missing rows and errors become comments."""
    html = render(
        b'1:"$Sreact.suspense"\n'
        b'0:[["$","$1",null,{"fallback":"...","children":["$","i",null,{"children":"$L2"}]}],'
        b'"$L3","$L4"]\n2:"done"\n4:E{"digest":"NEXT_NOT_FOUND"}\n'
    )
    assert html == "<i>done</i><!--rsc: pending row 3--><!--rsc: error Error: NEXT_NOT_FOUND-->"


def test_client_components_render_children_and_can_be_marked():
    """A client component renders its children; mark_clients names its module."""
    payload = b'1:I["./Btn.js",[],"Btn"]\n0:["$","$L1",null,{"children":["$","b",null,{}]}]\n'
    assert render(payload) == "<b></b>"
    assert render(payload, mark_clients=True) == (
        '<rsc-client data-client="./Btn.js#Btn"><b></b></rsc-client>'
    )


def test_document_head_is_assembled_as_react_does():
    """With an <html> root, head tags are hoisted: charset first, then the rest."""
    html = render(
        b'0:["$","html",null,{"children":[["$","head",null,{"children":['
        b'["$","title",null,{"children":"T"}],["$","meta",null,{"charSet":"utf-8"}]]}],'
        b'["$","body",null,{"children":["$","meta",null,{"name":"x","content":"y"}]}]]}]\n'
    )
    assert html == (
        '<html><head><meta charSet="utf-8"/><title>T</title><meta name="x" content="y"/>'
        "</head><body></body></html>"
    )


def test_shared_subtrees_are_bounded():
    """A billion-laughs tree cannot make rendering exponential: the budget stops it."""
    rows = ['1:["$","b",null,{}]'] + [f'{i:x}:["${i - 1:x}","${i - 1:x}"]' for i in range(2, 60)]
    data = ("\n".join([*rows, '0:"$3b"']) + "\n").encode()
    with pytest.raises(FlightLimitError, match="max_expansion"):
        render_html(parse(data).root, limits=Limits(max_expansion=100_000))


def test_many_prop_names_do_not_grow_the_attribute_cache():
    """How each prop name is written is remembered, but only for so many names: a payload
    of endless distinct names must not grow a module-level cache without end."""
    from rsc_flight.tree import attributes as _html

    names = {f"data-n{i}": "v" for i in range(2 * _html._MAX_PLANS)}
    payload = b"0:" + json.dumps(["$", "i", None, names]).encode() + b"\n"
    html = render_html(parse(payload).root)
    assert html.count('="v"') == 2 * _html._MAX_PLANS
    assert len(_html._PLANS) <= _html._MAX_PLANS
    # names past the cap are still written as React writes them
    assert html.endswith(f' data-n{2 * _html._MAX_PLANS - 1}="v"></i>')


def test_sanitize_cleans_inner_html_only():
    """sanitize=True cleans dangerouslySetInnerHTML with nh3; the tree's own markup stays."""
    payload = (
        b'0:["$","div",null,{"title":"ok","children":['
        b'["$","section",null,{"dangerouslySetInnerHTML":{"__html":'
        b'"<p onclick=\\"x()\\">hi<script>alert(1)</script></p>"}}],'
        b'["$","script",null,{"dangerouslySetInnerHTML":{"__html":"track()"}}]]}]\n'
    )
    root = parse(payload).root
    assert "onclick" in render_html(root)
    assert render_html(root, sanitize=True) == (
        '<div title="ok"><section><p>hi</p></section><script></script></div>'
    )
    assert render_html(root, sanitize=str.upper).startswith('<div title="ok"><section><P ONCLICK')


@pytest.mark.parametrize(
    "path",
    sorted(CORPUS.glob("seeds/00[013]*.txt")) if CORPUS.is_dir() else [],
    ids=lambda p: p.name,
)
def test_seed_body_is_inside_its_div(path):
    """On the seeds, the text row's article body sits byte for byte inside its div."""
    payload = parse(path.read_bytes())
    html = render_page(payload.root)
    (body,) = [row.payload for row in payload.rows if isinstance(row, TextRow)]
    start = html.index(body)
    assert html[:start].endswith(">")
    assert html[html.rfind("<", 0, start) :].startswith("<div")
    assert html[start + len(body) :].startswith("</div>")


def test_page_assembly_cuts_segment_cycles():
    """A hostile payload making a segment its own child (twice) renders once, at once."""
    data = (
        b'1:I[1,[],""]\n0:["b",[[["",{}],"$2",null]]]\n'
        b'2:["",{"children":"$2","modal":"$2"},["$","div",null,{"children":['
        b'["$","$L1",null,{"parallelRouterKey":"children","template":null}],'
        b'["$","$L1",null,{"parallelRouterKey":"modal","template":null}]]}],null]\n'
    )
    assert render_page(parse(data).root) == "<div></div>"
