"""Next.js pages rendered as a person sees them: Next's own client components rebuilt
(``nextjs/components.py``), the head hoisted and the DOCTYPE written (``nextjs/head.py``),
every payload shape rendering the segment it carries (``render_page``).

The flight payloads here are hand-made, their ``I`` rows mimicking what Next's bundlers
write: bare numbers in production webpack builds, ``(app-pages-browser)/./node_modules/…``
paths in webpack development builds, ``[project]/node_modules/… [app-client] (ecmascript)``
in Turbopack builds.  Expected attributes come from real server renders in the corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import rsc_flight
from rsc_flight.model.values import ClientReference
from rsc_flight.nextjs.components import (
    ImageConfig,
    NextComponents,
    image_widths,
    loader_url,
    next_module,
)
from rsc_flight.nextjs.head import finish_document

DATA = Path(__file__).parent / "data" / "nextjs"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

TURBOPACK_LINK = "[project]/node_modules/next/dist/client/app-dir/link.js [app-client] (ecmascript)"
WEBPACK_DEV_IMAGE = "(app-pages-browser)/./node_modules/next/dist/shared/lib/image-external.js"


def html(rows: str, **options: object) -> str:
    """Render a payload's root with Next's components recognised."""
    payload = rsc_flight.parse(rows.encode())
    return rsc_flight.render_html(payload.root, client_hook=NextComponents(**options).hook)  # type: ignore[arg-type]


def page(name: str) -> str | None:
    return rsc_flight.render_page(rsc_flight.parse((DATA / name).read_bytes()).root)


# -- recognising Next's modules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("module_id", "path"),
    [
        (TURBOPACK_LINK, "client/app-dir/link"),
        (WEBPACK_DEV_IMAGE, "shared/lib/image-external"),
        ("(app-pages-browser)/./node_modules/next/dist/esm/client/script.js", "client/script"),
        (
            "[project]/node_modules/next/dist/client/components/client-page.js [app-client]",
            "client/components/client-page",
        ),
        (2972, None),
        ("./components/Button.tsx", None),
    ],
)
def test_next_module_reads_webpack_and_turbopack_ids(module_id: object, path: str | None) -> None:
    assert next_module(ClientReference(module_id, (), "")) == path


# -- next/link ----------------------------------------------------------------------------------


def test_link_from_a_numeric_webpack_id_is_an_anchor() -> None:
    """Production webpack ids are numbers: the ``href`` prop tells the link; Link's own
    props (prefetch, replace, scroll) are not attributes, the rest pass through."""
    rows = (
        '1:I[2972,["972","static/chunks/972-x.js"],""]\n'
        '0:["$","$L1",null,{"href":"/about","className":"nav","prefetch":false,'
        '"replace":true,"aria-label":"About us","children":"About"}]\n'
    )
    assert html(rows) == '<a class="nav" aria-label="About us" href="/about">About</a>'


def test_link_turbopack_url_object_href() -> None:
    rows = (
        f'1:I["{TURBOPACK_LINK}",["/_next/static/chunks/a.js"],"default"]\n'
        '0:["$","$L1",null,{"href":{"pathname":"/search","query":{"q":"a b","page":2},'
        '"hash":"top"},"children":["$","span",null,{"children":"Go"}]}]\n'
    )
    assert html(rows) == '<a href="/search?q=a+b&amp;page=2#top"><span>Go</span></a>'


def test_link_legacy_behavior_gives_href_to_its_child() -> None:
    rows = (
        '1:I[2972,[],""]\n'
        '0:["$","$L1",null,{"href":"/x","legacyBehavior":true,"passHref":true,'
        '"children":["$","a",null,{"className":"c","children":"X"}]}]\n'
    )
    assert html(rows) == '<a class="c" href="/x">X</a>'


# -- next/image ---------------------------------------------------------------------------------


def test_image_writes_the_loader_urls_next_writes() -> None:
    """The exact ``<img>`` of next-blog-starter's server render (Next 14.2): widths 1300
    and 2600 round up to 1920 and 3840 of the default sizes, ``q=75``."""
    rows = (
        '1:I[5878,[],"Image"]\n'
        '0:["$","$L1",null,{"src":"/static/blog/preview/cover.webp","alt":"Cover",'
        '"className":"shadow-sm w-full","width":1300,"height":630}]\n'
    )
    loader = "/_next/image?url=%2Fstatic%2Fblog%2Fpreview%2Fcover.webp"
    assert html(rows) == (
        '<img alt="Cover" loading="lazy" width="1300" height="630" decoding="async"'
        ' data-nimg="1" class="shadow-sm w-full" style="color:transparent"'
        f' srcSet="{loader}&amp;w=1920&amp;q=75 1x, {loader}&amp;w=3840&amp;q=75 2x"'
        f' src="{loader}&amp;w=3840&amp;q=75"/>'
    )


def test_image_fill_unoptimized_as_tailwind_blog_serves_it() -> None:
    rows = (
        f'1:I["{WEBPACK_DEV_IMAGE}",[],"default"]\n'
        '0:["$","$L1",null,{"src":"/static/images/canada/mountains.jpg","alt":"O Canada",'
        '"fill":true,"className":"object-cover","unoptimized":true}]\n'
    )
    assert html(rows) == (
        '<img alt="O Canada" loading="lazy" decoding="async" data-nimg="fill"'
        ' class="object-cover" style="position:absolute;height:100%;width:100%;left:0;'
        'top:0;right:0;bottom:0;color:transparent" src="/static/images/canada/mountains.jpg"/>'
    )


def test_image_static_import_object_gives_src_and_scaled_height() -> None:
    rows = (
        '1:I[3063,[],"Image"]\n'
        '0:["$","$L1",null,{"src":{"src":"/_next/static/media/a.1.png","width":800,'
        '"height":400,"blurDataURL":"data:x"},"alt":"A","width":400,"priority":true,'
        '"quality":90}]\n'
    )
    out = html(rows)
    assert ' width="400" height="200" ' in out
    assert "loading=" not in out  # priority images are not lazy
    assert out.endswith(
        'src="/_next/image?url=%2F_next%2Fstatic%2Fmedia%2Fa.1.png&amp;w=828&amp;q=90"/>'
    )


def test_image_widths_follow_sizes_and_width() -> None:
    config = ImageConfig()
    assert image_widths(config, 54, None) == ([64, 128], "x")
    assert image_widths(config, None, "50vw") == (
        [384, 640, 750, 828, 1080, 1200, 1920, 2048, 3840],
        "w",
    )
    assert image_widths(config, None, None) == (list(config.device_sizes), "w")
    assert loader_url(config, "https://a.b/c d.png", 64, None) == (
        "/_next/image?url=https%3A%2F%2Fa.b%2Fc%20d.png&w=64&q=75"
    )


def test_image_with_sizes_writes_sizes_and_w_descriptors() -> None:
    rows = (
        '1:I[3063,[],"Image"]\n'
        '0:["$","$L1",null,{"src":"/a.png","alt":"","fill":true,"sizes":"100vw"}]\n'
    )
    out = html(rows)
    assert 'sizes="100vw"' in out
    assert "&amp;w=640&amp;q=75 640w, " in out


# -- next/script --------------------------------------------------------------------------------


def test_script_after_interactive_is_a_preload_before_interactive_is_queued() -> None:
    rows = (
        '1:I["(app-pages-browser)/./node_modules/next/dist/client/script.js",[],"default"]\n'
        '2:I[53704,[],""]\n'
        '0:[["$","$L1","a",{"src":"/a.js","strategy":"afterInteractive"}],'
        '["$","$L1","b",{"src":"/b.js","strategy":"beforeInteractive","id":"b"}],'
        '["$","$L1","c",{"src":"/c.js","strategy":"lazyOnload"}],'
        '["$","$L2","d",{"id":"inline","strategy":"afterInteractive","children":"go()"}]]\n'
    )
    assert html(rows) == (
        '<link rel="preload" href="/a.js" as="script"/>'
        '<link rel="preload" href="/b.js" as="script"/>'
        '<script>(self.__next_s=self.__next_s||[]).push(["/b.js",{"id":"b"}])</script>'
    )


# -- the app router's own components ----------------------------------------------------------


def test_boundaries_render_their_content_and_outlets_nothing() -> None:
    rows = (
        '1:I[4431,[],"OutletBoundary"]\n2:I[5278,[],"AsyncMetadataOutlet"]\n'
        '3:I[9,[],"ErrorBoundary"]\n4:I[10,[],"HTTPAccessFallbackBoundary"]\n'
        '0:["$","$L3",null,{"errorComponent":"$undefined","children":["$","$L4",null,{'
        '"notFound":["$","p",null,{"children":"404"}],"children":[["$","p",null,{"children":"ok"}],'
        '["$","$L1",null,{"children":["$","$L2",null,{"promise":"$@5"}]}]]}]}]\n'
        "5:null\n"
    )
    assert html(rows) == "<p>ok</p>"


def test_suspense_renders_resolved_content_not_the_fallback() -> None:
    rows = (
        '0:["$","$Sreact.suspense",null,{"fallback":["$","p",null,{"children":"Loading"}],'
        '"children":"$L1"}]\n1:["$","p",null,{"children":"Done"}]\n'
    )
    assert html(rows) == "<p>Done</p>"


def test_client_page_renders_nothing_client_segment_its_children_slot() -> None:
    rows = (
        '1:I[66513,[],"ClientPageRoot"]\n2:I[7,[],"ClientSegmentRoot"]\n3:I[8,[],"default"]\n'
        '0:["$","$L2",null,{"Component":"$3","slots":{"children":["$","main",null,{'
        '"children":["$","$L1",null,{"Component":"$3","searchParams":{},"params":{}}]}]},"params":{}}]\n'
    )
    assert html(rows) == "<main></main>"


def test_next13_layout_router_renders_its_child_prop() -> None:
    rows = (
        '1:I[4707,[],""]\n'
        '0:["$","div",null,{"children":["$","$L1",null,{"parallelRouterKey":"children",'
        '"segmentPath":["children"],"childProp":{"current":["$L2",null],"segment":"x"}}]}]\n'
        '2:["$","main",null,{"children":"Thirteen"}]\n'
    )
    assert html(rows) == "<div><main>Thirteen</main></div>"


# -- third-party client components ------------------------------------------------------------


THIRD_PARTY = (
    '1:I[91,[],"Layout"]\n2:I[92,[],"Typography"]\n'
    '0:["$","$L1",null,{"title":"T","content":["$","p",null,{"children":"MDX body"}],'
    '"fallback":["$","p",null,{"children":"spinner"}],"children":["$","$L2",null,{'
    '"component":"h1","variant":"h3","className":"t","mt":2,"children":"Title"}]}]\n'
)


def test_third_party_renders_children_element_props_and_host_tags() -> None:
    assert html(THIRD_PARTY) == '<h1 class="t">Title</h1><p>MDX body</p>'


def test_third_party_children_mode_keeps_children_only() -> None:
    assert html(THIRD_PARTY, clients="children") == "Title"


def test_third_party_mark_option_names_the_module() -> None:
    assert html(THIRD_PARTY, mark=True) == (
        '<rsc-client data-client="91#Layout"><rsc-client data-client="92#Typography">'
        '<h1 class="t">Title</h1></rsc-client><p>MDX body</p></rsc-client>'
    )


def test_as_prop_naming_a_client_component_with_href_is_a_link() -> None:
    rows = (
        '1:I[9829,[],"Button"]\n2:I[2972,[],""]\n'
        '0:["$","$L1",null,{"as":"$2","href":"/signup","variant":"x","children":"Sign up"}]\n'
    )
    assert html(rows) == '<a variant="x" href="/signup">Sign up</a>'


# -- payload shapes, head and document --------------------------------------------------------


NEXT15_PAGE = (
    '1:I[4431,[],"ViewportBoundary"]\n2:I[4431,[],"MetadataBoundary"]\n3:I[9766,[],""]\n'
    '4:I[2619,[],""]\n'
    '0:{"b":"id","f":[[["",{"children":["__PAGE__",{}]},"$undefined","$undefined",true],'
    '["",["$","$Sreact.fragment",null,{"children":[[["$","link","0",{"rel":"stylesheet",'
    '"href":"/a.css","precedence":"next"}]],["$","html",null,{"lang":"en","children":'
    '["$","body",null,{"children":["$","$L3",null,{"parallelRouterKey":"children",'
    '"template":null}]}]}]]}],{"children":["__PAGE__",["$","$Sreact.fragment",null,{'
    '"children":["$","$L4",null,{"href":"/x","children":"X"}]}],{},null,false]},null,false],'
    '["$","$Sreact.fragment",null,{"children":[["$","$L1",null,{"children":[["$","meta","0",'
    '{"charSet":"utf-8"}]]}],["$","$L2",null,{"children":["$","div",null,{"hidden":true,'
    '"children":["$","$Sreact.suspense",null,{"fallback":null,"children":[["$","title","0",'
    '{"children":"Page title"}],["$","meta","1",{"name":"description","content":"D"}]]}]}]}]]}],'
    "false]]}\n"
)


def test_next15_page_is_a_document_with_its_head_hoisted() -> None:
    out = rsc_flight.render_page(rsc_flight.parse(NEXT15_PAGE.encode()).root)
    assert out == (
        '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>'
        '<link rel="stylesheet" href="/a.css" data-precedence="next"/><title>Page title</title>'
        '<meta name="description" content="D"/></head><body><div hidden=""></div>'
        '<a href="/x">X</a></body></html>'
    )


def test_client_components_option_reaches_render_page() -> None:
    """A third-party component's element-valued props are content by default, left out
    in ``"children"`` mode; ``mark_clients`` marks it in both."""
    rows = NEXT15_PAGE.replace('4:I[2619,[],""]', '4:I[77,[],"Card"]').replace(
        '{"href":"/x","children":"X"}', '{"body":["$","p",null,{"children":"B"}],"children":"X"}'
    )
    root = rsc_flight.parse(rows.encode()).root
    assert "X<p>B</p></body>" in (rsc_flight.render_page(root) or "")
    assert "X</body>" in (rsc_flight.render_page(root, client_components="children") or "")
    marked = rsc_flight.render_page(root, client_components="children", mark_clients=True)
    assert '<rsc-client data-client="77#Card">X</rsc-client>' in (marked or "")


def test_next142_page_renders_its_initial_seed_data_and_head() -> None:
    assert page("next142-page.txt") == (
        '<!DOCTYPE html><html lang="en"><head><title>Next 14.2 page</title>'
        '<meta name="description" content="seed data in the AppRouter"/></head>'
        '<body><main><a class="nav" href="/about">About</a></main></body></html>'
    )


def test_rsc_response_renders_its_segment_not_the_router_state() -> None:
    out = page("next14-rsc-response.txt")
    assert out is not None
    assert "<article>Post body</article>" in out
    assert "__PAGE__" not in out
    assert "slug" not in out


def test_next16_segment_file_renders_its_rsc_tree() -> None:
    assert (
        page("next16-segment.txt") == '<article><h1>Segment</h1><a href="/next">Next</a></article>'
    )


def test_payload_without_a_tree_says_so() -> None:
    assert page("next15-router-state-only.txt") == (
        "<!--rsc: no page tree in this payload (router state or head only)-->"
    )


def test_finish_document_moves_stray_head_content_into_body() -> None:
    document = '<html><head></head><body class="b"><p>x</p></body></html>'
    assert finish_document('<div hidden=""></div>' + document) == (
        "<!DOCTYPE html>" + document.replace("<p>", '<div hidden=""></div><p>')
    )
    assert finish_document("<p>fragment &lt;html&gt;</p>") == "<p>fragment &lt;html&gt;</p>"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no shared corpus")
def test_real_next15_page_has_the_servers_title_and_links() -> None:
    import re

    source = (CORPUS / "real" / "next15" / "posts" / "hello-world.html").read_bytes()
    out = rsc_flight.render_page(rsc_flight.parse(source).root)
    assert out is not None
    assert out.startswith("<!DOCTYPE html>")
    server = source.decode()
    assert (
        re.search(r"<title>[^<]*</title>", out)[0] == re.search(r"<title>[^<]*</title>", server)[0]
    )  # type: ignore[index]
    links = set(re.findall(r'<a [^>]*href="([^"]*)"', server))
    assert links
    assert links == set(re.findall(r'<a [^>]*href="([^"]*)"', out))


def test_image_wrapper_given_a_plain_url_is_an_img() -> None:
    rows = '1:I[26579,[],"ImageZoom"]\n0:["$","$L1",null,{"src":"https://a.b/c.png","alt":"C"}]\n'
    assert html(rows) == '<img src="https://a.b/c.png" alt="C"/>'
