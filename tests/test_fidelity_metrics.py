"""The render-fidelity metrics (``benchmarks/_fidelity.py``) and the summary of
``benchmarks/bench_fidelity.py``, on small hand-written pages: no corpus needed.

The metrics decide whether the renderer meets its fidelity targets, so each rule they
apply (what is dropped, how URLs are normalised, what a token is) is pinned here by a page
where getting it wrong changes the number.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import _fidelity as fid  # noqa: E402
import bench_fidelity  # noqa: E402

PAGE = (
    "<!DOCTYPE html><html><head><title>A  post</title>"
    '<meta name="description" content="About\n things"></head>'
    '<body><nav><a href="/">Home</a><a href="/blog/">Blog</a></nav>'
    "<article><h1>Hello</h1><p>One two <b>thr</b>ee.</p>"
    '<img src="/_next/image?url=%2Fimages%2Fa.png&amp;w=640&amp;q=75" srcset="/x.png 2x">'
    '<img src="https://cdn.example.com/b.jpg"></article></body></html>'
)


def test_identical_pages_score_one() -> None:
    score = fid.compare(PAGE, PAGE)
    assert (score.links, score.images, score.text) == (1.0, 1.0, 1.0)
    assert score.title_ok is True
    assert score.description_ok is True
    assert score.doctype is True
    assert score.counts["links_server"] == 2
    assert score.counts["images_server"] == 2


def test_a_missing_link_lowers_jaccard_by_its_share() -> None:
    server = '<a href="/a">a</a><a href="/b">b</a><a href="/c">c</a><a href="/d">d</a>'
    rendered = '<a href="/a">a</a><a href="/b">b</a><a href="/c">c</a>d'
    assert fid.compare(server, rendered).links == pytest.approx(3 / 4)
    # an extra link counts as much as a missing one
    extra = server + '<a href="/e">e</a>'
    assert fid.compare(server, extra).links == pytest.approx(4 / 5)


def test_jaccard_of_two_empty_sets_is_one() -> None:
    assert fid.jaccard(set(), set()) == 1.0
    assert fid.jaccard({"a"}, set()) == 0.0
    assert fid.jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)


def test_link_normalisation() -> None:
    assert fid.normalise_href(" /blog/ ") == "/blog"
    assert fid.normalise_href("/") == "/"
    assert fid.normalise_href("/blog/?page=2#top") == "/blog?page=2#top"
    assert fid.normalise_href("#section") == "#section"  # fragment links are kept
    assert fid.links('<a href="/blog/">x</a><a href="#s">y</a><a>no href</a>') == {
        "/blog",
        "#s",
    }


def test_next_image_urls_count_as_their_source() -> None:
    assert fid.normalise_src("/_next/image?url=%2Fimages%2Fa.png&w=640&q=75") == "/images/a.png"
    absolute = "https://site.dev/base/_next/image?url=https%3A%2F%2Fcdn.io%2Fb.jpg%3Fv%3D1&w=64&q=5"
    assert fid.normalise_src(absolute) == "https://cdn.io/b.jpg?v=1"
    assert fid.normalise_src("/static/c.png") == "/static/c.png"
    # the same image at another width and quality, or given by its own URL, is the same
    server = '<img src="/_next/image?url=%2Fa.png&amp;w=3840&amp;q=75">'
    assert (
        fid.compare(server, '<img src="/_next/image?url=%2Fa.png&amp;w=640&amp;q=90">').images
        == 1.0
    )
    assert fid.compare(server, '<img src="/a.png">').images == 1.0


def test_srcset_and_empty_src_are_ignored() -> None:
    assert fid.images('<img src="/a.png" srcset="/b.png 2x"><img src=""><img>') == {"/a.png"}


def test_hidden_script_template_noscript_text_is_dropped() -> None:
    html = (
        "<body><p>seen</p><div hidden>gone</div><script>var x = 1;</script>"
        "<template><p>tpl</p></template><noscript>ns</noscript><style>p{}</style>"
        '<p hidden="until-found">also gone</p>tail</body>'
    )
    assert fid.visible_text(html) == "seen tail"
    assert fid.links('<div hidden><a href="/x">x</a></div><a href="/y">y</a>') == {"/y"}
    assert fid.images('<noscript><img src="/n.png"></noscript>') == set()


def test_tails_of_dropped_elements_stay() -> None:
    assert fid.visible_text("<p>a<script>x</script>b<span hidden>c</span> d</p>") == "ab d"


def test_text_tokens_follow_blocks_not_inline_tags() -> None:
    # inline tags and React's <!-- --> text separators do not split a word; blocks do
    assert fid.visible_text("<p>Hel<b>lo</b><!-- -->!</p><p>next</p>") == "Hello! next"
    assert fid.visible_text("<ul><li>a</li><li>b</li></ul>c<br>d") == "a b c d"
    # head content (title, meta) is not page text
    assert fid.visible_text("<html><head><title>T</title></head><body>x</body></html>") == "x"
    # zero-width characters are not words
    assert fid.visible_text("<p>a \u200c \u200b</p><p>b\u00ad</p>") == "a b"


def test_text_f1_counts_tokens_as_a_multiset() -> None:
    assert fid.text_f1("", "") == 1.0
    assert fid.text_f1("a", "") == 0.0
    assert fid.text_f1("a b c d", "a b c d") == 1.0
    # 3 of 4 tokens found, nothing extra: precision 1, recall 3/4, F1 6/7
    assert fid.text_f1("a b c d", "a b c") == pytest.approx(6 / 7)
    # a repeated token counts as often as it appears
    assert fid.text_f1("a a a b", "a b") == pytest.approx(2 * 2 / 6)


def test_title_and_description() -> None:
    assert fid.title(PAGE) == "A post"
    assert fid.meta_description(PAGE) == "About things"
    # document.title: the first <title> anywhere but in SVG, even in a hidden div
    hidden = "<body><svg><title>icon</title></svg><div hidden><title>Real</title></div></body>"
    assert fid.title(hidden) == "Real"
    assert fid.title("<p>no title</p>") is None
    assert fid.meta_description('<meta name="Description" content=" x ">') == "x"
    score = fid.compare(PAGE, "<html><head><title>Other</title></head></html>")
    assert score.title_ok is False
    assert score.description_ok is False
    assert fid.compare("<p>no head</p>", "<p>no head</p>").title_ok is None


def test_doctype_must_come_first() -> None:
    assert fid.has_doctype("<!DOCTYPE html><html></html>")
    assert fid.has_doctype(b"\xef\xbb\xbf\n<!doctype HTML>\n<html></html>")
    assert not fid.has_doctype("<html><!DOCTYPE html></html>")
    assert not fid.has_doctype("<!-- c --><!DOCTYPE html>")


def test_streamed_content_replaces_its_fallback() -> None:
    # React's streaming: the fallback is shown in place, the content arrives hidden and
    # the inline $RC call swaps them; the person sees the content, not the fallback.
    server = (
        '<body><main><!--$?--><template id="B:0"></template><p>Loading...</p><!--/$--></main>'
        '<div hidden id="S:0"><p>Real <a href="/r">content</a></p></div>'
        '<script>$RC("B:0","S:0")</script></body>'
    )
    assert fid.visible_text(server) == "Real content"
    assert fid.links(server) == {"/r"}


def test_streamed_segment_fills_its_placeholder() -> None:
    server = (
        '<body><div>before <template id="P:1"></template> after</div>'
        '<div hidden id="S:1">middle</div><script>$RS("S:1","P:1")</script></body>'
    )
    assert fid.visible_text(server) == "before middle after"


def test_unresolved_boundary_keeps_its_fallback() -> None:
    server = (
        '<body><!--$?--><template id="B:0"></template><p>Loading</p><!--/$-->'
        '<div hidden id="S:0"><p>never swapped</p></div></body>'
    )
    assert fid.visible_text(server) == "Loading"


def test_blank_or_fragment_input() -> None:
    assert fid.visible_text("") == ""
    assert fid.links(b"") == set()
    score = fid.compare(PAGE, "")
    assert (score.links, score.images, score.text) == (0.0, 0.0, 0.0)
    assert score.doctype is False


def test_differences_name_what_is_lost_and_added() -> None:
    diff = fid.differences(
        '<a href="/a">one two</a><img src="/i.png">', '<a href="/b">one three</a>'
    )
    assert diff["links_missing"] == ["/a"]
    assert diff["links_extra"] == ["/b"]
    assert diff["images_missing"] == ["/i.png"]
    assert diff["words_missing"] == ["two"]
    assert diff["words_extra"] == ["three"]


# -- bench_fidelity: discovery, errors, verdicts -------------------------------------------


def test_discover_keeps_app_router_pages_only(tmp_path: Path) -> None:
    pages = tmp_path / "realworld" / "site" / "captured" / "posts"
    pages.mkdir(parents=True)
    (pages / "a.html").write_bytes(b"<html><script>self.__next_f.push([1,''])</script></html>")
    (pages / "b.html").write_bytes(b'<html><script id="__NEXT_DATA__">{}</script></html>')
    found = bench_fidelity.discover(tmp_path)
    assert [page.name for page in found] == ["site/posts/a"]


def test_a_failing_page_is_an_error_not_an_abort() -> None:
    def broken(data: bytes) -> str:
        raise ValueError("no flight here")

    page = bench_fidelity.Page("p", Path("p.html"), b"<html></html>")
    result = bench_fidelity.score_page(page, broken)
    assert result.rendered is None
    assert result.score.error is not None
    assert "ValueError" in result.score.error
    assert (result.score.links, result.score.text) == (0.0, 0.0)


def score(links: float, images: float, text: float, **counts: int) -> fid.PageScore:
    base = {"links_server": 1, "images_server": 1, "words_server": 1}
    return fid.PageScore("T", "T", None, None, True, links, images, text, {**base, **counts})


def verdicts(summary: dict[str, object]) -> dict[str, bool]:
    checks = summary["checks"]
    assert isinstance(checks, list)
    return {check["target"]: check["met"] for check in checks}


def test_summary_verdicts_follow_the_numbers() -> None:
    scores = [score(1.0, 1.0, 1.0), score(0.95, 0.9, 0.96), score(0.7, 0.0, 0.85)]
    summary = bench_fidelity.summarise(scores)
    got = verdicts(summary)
    assert got["title equal on every page that has one"] is True
    assert got["meta description equal on every page that has one"] is True  # none has one
    assert got["median links J >= 0.9"] is True
    assert got["median images J >= 0.9"] is True
    assert got["median text F1 >= 0.95"] is True
    assert got["no page under 0.6 links J"] is True
    assert got["no page under 0.8 text F1"] is True
    failing = bench_fidelity.summarise([*scores, score(0.5, 0.0, 0.7), score(0.2, 0.0, 0.1)])
    got = verdicts(failing)
    assert got["median links J >= 0.9"] is False
    assert got["no page under 0.6 links J"] is False
    assert got["no page under 0.8 text F1"] is False
    assert failing["stats"]["text"]["min"] == pytest.approx(0.1)


def test_pages_without_images_do_not_make_the_image_median() -> None:
    # two pages with no image on either side (1.0 by definition) and one that lost its image
    empty = {"images_server": 0, "images_rendered": 0}
    scores = [score(1, 1.0, 1, **empty), score(1, 1.0, 1, **empty), score(1, 0.0, 1)]
    stats = bench_fidelity.summarise(scores)["stats"]["images"]
    assert stats["median"] == 0.0
    assert stats["pages"] == 1
    assert stats["median_all"] == 1.0


def test_missing_title_fails_the_title_check() -> None:
    missed = fid.PageScore("T", None, "D", "D", False, 1.0, 1.0, 1.0, {})
    got = verdicts(bench_fidelity.summarise([score(1, 1, 1), missed]))
    assert got["title equal on every page that has one"] is False
    assert got["<!DOCTYPE html> first on every page"] is False
