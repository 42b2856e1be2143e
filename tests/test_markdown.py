"""HTML to Markdown: hand-written cases per construct, and round trips.

A round trip renders our Markdown again with markdown-it-py (CommonMark plus GFM tables
and strikethrough) and compares a structural signature of that HTML with the signature
of the input: the blocks with their nesting and text, the links, images, code spans and
emphasised spans.  Inline runs outside any paragraph count as a paragraph (browsers give
them an anonymous block box), so a tight ``<li>a</li>`` and a loose ``<li><p>a</p></li>``
compare equal; tightness is covered by the hand-written cases instead.
"""

from __future__ import annotations

import functools
import html
import string
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import lxml.html
import pytest
from hypothesis import given, strategies as st
from markdown_it import MarkdownIt

from rsc_flight import parse, render_html
from rsc_flight.export.markdown import html_to_markdown
from rsc_flight.model.values import unwrap
from rsc_flight.tree import find, find_all

from .conftest import ROOT, corpus_params

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])

# --------------------------------------------------------------------------------------
# Structural signature

_LEAVES = {"p", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
_CONTAINERS = {"blockquote", "ul", "ol", "li"}
_TRANSPARENT = set(
    "div section article main header footer aside nav figure figcaption address hgroup "
    "center body html search details summary dl dt dd form fieldset legend menu dialog "
    "caption thead tbody tfoot tr td th colgroup col optgroup option".split()
)
_SKIPPED = {"script", "style", "template", "noscript"}
_EMPHASIS = {"strong": "strong", "b": "strong", "em": "em", "i": "em"}
_EMPHASIS.update({"del": "del", "s": "del", "strike": "del"})


def _norm(text: str) -> str:
    return " ".join(text.split())


def _text(element: Any) -> str:
    """Text of an element, a ``<br>`` counting as a space."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and child.tag not in _SKIPPED:
                if child.tag == "br":
                    parts.append(" ")
                elif child.tag in _LEAVES or child.tag in _CONTAINERS or child.tag in _TRANSPARENT:
                    parts.append(" ")  # a block inside inline content starts a new line
                    walk(child)
                    parts.append(" ")
                else:
                    walk(child)
            parts.append(child.tail or "")

    walk(element)
    return "".join(parts)


def _is_block(tag: str) -> bool:
    return tag in _LEAVES or tag in _CONTAINERS or tag in _TRANSPARENT or tag in ("hr", "table")


def _nodes(element: Any) -> list[Any]:
    nodes: list[Any] = [element.text or ""]
    for child in element:
        nodes += [child, child.tail or ""]
    return nodes


def _list_items(element: Any) -> list[list[Any]]:
    """A list's items as node lists; stray content between items counts as an item."""
    items: list[list[Any]] = []
    stray: list[Any] = []
    for node in _nodes(element):
        if not isinstance(node, str) and (not isinstance(node.tag, str) or node.tag in _SKIPPED):
            continue
        if not isinstance(node, str) and node.tag == "li":
            if stray:
                items.append(stray)
                stray = []
            items.append(_nodes(node))
        elif not isinstance(node, str) or node.strip(" \t\n\r\f"):
            stray.append(node)
    if stray:
        items.append(stray)
    return items


def _blocks(container: Any, path: tuple[str, ...], out: list[tuple[str, ...]]) -> None:
    """Blocks in document order; an inline element holding blocks is split around them,
    as a browser does."""
    nodes = container if isinstance(container, list) else _nodes(container)
    run: list[str] = []

    def flush() -> None:
        text = _norm("".join(run))
        if text:
            out.append(("p", *path, text))
        run.clear()

    stack = nodes[::-1]
    while stack:
        child = stack.pop()
        if isinstance(child, str):
            run.append(child)
            continue
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _SKIPPED or not tag:
            pass
        elif tag in _LEAVES:
            flush()
            text = _norm(_text(child))
            if text or tag == "pre":
                out.append(("p" if tag == "p" else tag, *path, text))
        elif tag == "hr":
            flush()
            out.append(("hr", *path))
        elif tag in ("ul", "ol"):
            flush()
            items = _list_items(child)
            if not items:
                continue  # an empty list shows nothing, but still separates what is around it
            name = tag if tag == "ul" else f"ol:{(child.get('start') or '1').strip()}"
            out.append((name, *path))
            for item in items:
                out.append(("li", *path, name))
                _blocks(item, (*path, name, "li"), out)
        elif tag == "li":
            flush()  # an item outside a list is just a block
            _blocks(child, path, out)
        elif tag == "blockquote":
            flush()
            out.append((tag, *path))
            _blocks(child, (*path, tag), out)
        elif tag == "table":
            flush()
            for row in child.iter("tr"):
                cells = [c for c in row if c.tag in ("td", "th")]
                texts = [_norm(_text(c)) for c in cells]
                while texts and not texts[-1]:
                    texts.pop()  # short rows are padded with empty cells
                if not texts:
                    continue  # empty rows: GFM tables need a header row, made up if missing
                out.append(("row", *path, *texts))
        elif tag in _TRANSPARENT:
            flush()
            _blocks(child, path, out)
        elif tag == "br":
            run.append(" ")
        elif any(_is_block(d.tag) for d in child.iterdescendants() if isinstance(d.tag, str)):
            stack += reversed(_nodes(child))
        else:
            run.append(_text(child))
    flush()


def _unsafe(href: str) -> bool:
    """Links CommonMark renderers refuse to make (and the converter writes as text)."""
    return href.strip().lower().startswith(("javascript:", "vbscript:", "file:", "data:"))


def signature(fragment: str) -> dict[str, list[Any]]:
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    blocks: list[tuple[str, ...]] = []
    _blocks(root, (), blocks)
    links, images, emphasis, code = [], [], [], []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "a" and element.get("href") is not None and not _unsafe(element.get("href")):
            links.append((_norm(_text(element)), unquote(element.get("href"))))
        elif tag == "img":
            images.append((_norm(element.get("alt") or ""), unquote(element.get("src") or "")))
        elif tag in _EMPHASIS and _norm(_text(element)):
            emphasis.append((_EMPHASIS[tag], _norm(_text(element))))
        elif (
            tag == "code"
            and not any(a.tag in ("pre", "code") for a in element.iterancestors())
            and _norm(_text(element))
        ):
            code.append(_norm(_text(element)))
    return {"blocks": blocks, "links": links, "images": images, "emphasis": emphasis, "code": code}


def assert_round_trip(fragment: str) -> str:
    markdown = html_to_markdown(fragment)
    rendered = MD.render(markdown)
    assert signature(rendered) == signature(fragment), markdown
    return markdown


# --------------------------------------------------------------------------------------
# Hand-written cases

CASES = {
    # blocks
    "paragraphs": ("<p>one</p>\n<p>two</p>", "one\n\ntwo\n"),
    "headings": ("<h1>A</h1><h3>B c</h3><h6>D</h6>", "# A\n\n### B c\n\n###### D\n"),
    "heading closing hashes": (
        "<h2>C#</h2><h2>a #</h2><h2>#</h2>",
        "## C#\n\n## a \\#\n\n## \\#\n",
    ),
    "heading with a line break is html": ("<h2>a<br>b</h2>", "<h2>a<br>b</h2>\n"),
    "blank text is nothing": ("  \n ", ""),
    "text only": ("just text", "just text\n"),
    "bare text and blocks": ("a<p>b</p>c", "a\n\nb\n\nc\n"),
    "hr": ("<p>a</p><hr><p>b</p>", "a\n\n---\n\nb\n"),
    "blockquote": (
        "<blockquote><p>a</p><p>b</p></blockquote>",
        "> a\n>\n> b\n",
    ),
    "nested blockquote": (
        "<blockquote><p>a</p><blockquote>b</blockquote></blockquote>",
        "> a\n>\n> > b\n",
    ),
    "blockquote with list and code": (
        "<blockquote><ul><li>x</li></ul><pre><code>y\n\nz</code></pre></blockquote>",
        "> - x\n>\n> ```\n> y\n>\n> z\n> ```\n",
    ),
    "containers dissolve": (
        "<article><section><div><p>a</p></div><figure><img src='i.png' alt='I'>"
        "<figcaption>cap <span>tion</span></figcaption></figure></section></article>",
        "a\n\n![I](i.png)\n\ncap tion\n",
    ),
    "script style comment dropped": (
        "<p>a<!-- hidden --><script>x()</script>b</p><style>p{}</style><template>t</template>",
        "ab\n",
    ),
    # lists
    "tight list": ("<ul><li>a</li><li>b</li></ul>", "- a\n- b\n"),
    "loose list": ("<ul><li><p>a</p></li><li><p>b</p></li></ul>", "- a\n\n- b\n"),
    "ordered with start": ("<ol start='7'><li>a</li><li>b</li></ol>", "7. a\n8. b\n"),
    "nested lists": (
        "<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul></li><li>d</li></ul>",
        "- a\n  - b\n    1. c\n- d\n",
    ),
    "item with several blocks": (
        "<ol><li><p>a</p><pre><code>x\n  y</code></pre><p>b</p></li><li><p>c</p></li></ol>",
        "1. a\n\n   ```\n   x\n     y\n   ```\n\n   b\n\n2. c\n",
    ),
    "wide ordered markers": (
        "<ol start='9'><li>a<ul><li>b</li></ul></li><li>c<ul><li>d</li></ul></li></ol>",
        "9. a\n   - b\n10. c\n    - d\n",
    ),
    "nested ordered list not starting at 1 makes the list loose": (
        "<ul><li>a<ol start='3'><li>b</li></ol></li></ul>",
        "- a\n\n  3. b\n",
    ),
    "adjacent lists get different markers": (
        "<ul><li>a</li></ul><ul><li>b</li></ul><ol><li>c</li></ol><ol><li>d</li></ol>",
        "- a\n\n* b\n\n1. c\n\n1) d\n",
    ),
    "empty item": ("<ul><li>a</li><li></li></ul>", "- a\n-\n"),
    "hr first in item": ("<ul><li><hr></li></ul>", "- ___\n"),
    "hr after a heading in a tight item": (
        "<ul><li><h3>a|b</h3><hr></li></ul>",
        "- ### a\\|b\n  ___\n",
    ),
    "empty nested lists are not a thematic break": (
        "<ul><li><ul><li><ul><li></li></ul></li></ul></li></ul>",
        "* - -\n",
    ),
    "stray text in a list is an item": ("<ul>a<li>b</li></ul>", "- a\n- b\n"),
    "empty list": ("<p>a</p><ul></ul><ol> </ol>", "a\n"),
    # code
    "code block with language": (
        '<pre><code class="language-js">let a = 1;\n</code></pre>',
        "```js\nlet a = 1;\n```\n",
    ),
    "language on pre": ('<pre class="lang-py">x</pre>', "```py\nx\n```\n"),
    "code block containing fences": (
        "<pre><code>```\n````\nx</code></pre>",
        "`````\n```\n````\nx\n`````\n",
    ),
    "code block verbatim": (
        "<pre><code>*a* &lt;b&gt; \\ #c\n  - d</code></pre>",
        "```\n*a* <b> \\ #c\n  - d\n```\n",
    ),
    "pre drops its first newline": ("<pre>\nx\n</pre>", "```\nx\n```\n"),
    "inline code": ("<p>a <code>b*c</code> d</p>", "a `b*c` d\n"),
    "inline code with backticks": (
        "<p><code>a`b</code> <code>`x</code> <code>``</code></p>",
        "``a`b`` `` `x `` ` `` `\n",
    ),
    "adjacent code spans": ("<p><code>a</code><code>b</code></p>", "`a`<code>b</code>\n"),
    # inline
    "strong em del": (
        "<p><strong>a</strong> <b>b</b> <em>c</em> <i>d</i> <del>e</del> <s>f</s></p>",
        "**a** **b** *c* *d* ~~e~~ ~~f~~\n",
    ),
    "nested emphasis": (
        "<p><strong><em>a</em></strong> <em>x<em>y</em></em></p>",
        "**_a_** *x<em>y</em>*\n",
    ),
    "adjacent emphasis": ("<p><em>a</em><em>b</em></p>", "*a*_b_\n"),
    "intraword emphasis": ("<p>x<strong>y</strong>z</p>", "x**y**z\n"),
    "spaces move out of emphasis": ("<p>a<strong> b </strong>c</p>", "a **b** c\n"),
    "empty emphasis dropped": ("<p>a<em></em><strong> </strong>b</p>", "a b\n"),
    "korean flanking": (
        "<p>본 논문은 <strong>다중 모달 대규모 언어 모델(MLLM)</strong>이 객체</p>",
        "본 논문은 <strong>다중 모달 대규모 언어 모델(MLLM)</strong>이 객체\n",
    ),
    "opener after a letter before punctuation": (
        "<p>x<em>(y)</em> <strong>z</strong>.</p>",
        "x<em>(y)</em> **z**.\n",
    ),
    "intraword em uses asterisks": ("<p>a<em>b</em>c</p>", "a*b*c\n"),
    "emoji is punctuation since CommonMark 0.31": (
        "<p>x<strong>😀</strong> <strong>😀</strong> y</p>",
        "x<strong>😀</strong> **😀** y\n",
    ),
    "code with a link inside": (
        '<p><code>f(<a href="/x">x</a>)</code></p>',
        "<code>f([x](/x))</code>\n",
    ),
    "link": (
        '<p><a href="https://example.com/a?b=1&amp;c=2" title="T &quot;q&quot;">x</a></p>',
        '[x](https://example.com/a?b=1&c=2 "T \\"q\\"")\n',
    ),
    "link needing angle brackets": (
        '<p><a href="/a b(c)">x</a> <a href="">y</a></p>',
        "[x](</a b(c)>) [y](<>)\n",
    ),
    "link without href": ('<p><a name="x">text</a></p>', "text\n"),
    "javascript link is text": ('<p><a href="javascript:alert(1)">x</a></p>', "x\n"),
    "image": ('<p><img src="a.png" alt="A [b]" title="t"></p>', '![A \\[b\\]](a.png "t")\n'),
    "image in link": ('<p><a href="/x"><img src="i.png" alt=""></a></p>', "[![](i.png)](/x)\n"),
    "bang before link": ('<p>Wow!<a href="/x">y</a></p>', "Wow\\![y](/x)\n"),
    "hard break": ("<p>a <br> b<br>c<br></p>", "a\\\nb\\\nc\n"),
    "text after wbr is kept": ("<p>long<wbr>word<wbr>s and more</p>", "longwords and more\n"),
    "text after embed is kept": (
        '<p>x<embed src="a.swf">y <b>z</b> w</p>',
        'x<embed src="a.swf">y **z** w\n',
    ),
    "video fallback after source is kept": (
        "<video><source src='a.mp4'>no <b>video</b></video>",
        '<div><video><source src="a.mp4">no <b>video</b></video></div>\n',
    ),
    "kept inline html": (
        "<p>x<sup>2</sup> and <kbd>C</kbd></p>",
        "x<sup>2</sup> and <kbd>C</kbd>\n",
    ),
    # escaping
    "escapes": (
        "<p>*a* _b_ snake_case [c] `d` \\ &lt;e&gt; ~f~ a|b &amp;amp; &amp; x</p>",
        "\\*a\\* \\_b\\_ snake_case \\[c\\] \\`d\\` \\\\ \\<e> \\~f\\~ a\\|b \\&amp; & x\n",
    ),
    "line starts": (
        "<p>1. a</p><p># b</p><p>- c</p><p>+ d</p><p>&gt; e</p><p>2) f</p>",
        "1\\. a\n\n\\# b\n\n\\- c\n\n\\+ d\n\n\\> e\n\n2\\) f\n",
    ),
    "line starts after a break": ("<p>a<br>=<br>10. b</p>", "a\\\n\\=\\\n10\\. b\n"),
    "literal asterisks in text": (
        "<p>**Bi-mode (BPO)**라는</p>",
        "\\*\\*Bi-mode (BPO)\\*\\*라는\n",
    ),
    "table delimiter row look-alike": ("<p>a|b<br>:-:</p>", "a\\|b\\\n\\:-:\n"),
    "leading no-break space kept": ("<p>&nbsp;a&#x3000;</p>", "&#xA0;a&#x3000;\n"),
    # tables
    "table": (
        "<table><thead><tr><th>a</th><th align='center'>b|c</th></tr></thead>"
        "<tbody><tr><td><code>x|y</code></td><td><p>p1</p><p>p2</p></td></tr>"
        "<tr><td>1</td></tr></tbody></table>",
        "| a | b\\|c |\n| --- | :---: |\n| `x\\|y` | p1<br>p2 |\n| 1 |  |\n",
    ),
    "table with th first row": (
        "<table><tr><th>h</th></tr><tr><td>d</td></tr></table>",
        "| h |\n| --- |\n| d |\n",
    ),
    "table without header": (
        "<table><tr><td>a</td><td>b</td></tr></table>",
        "|  |  |\n| --- | --- |\n| a | b |\n",
    ),
    "table with colspan is html": (
        "<table><tr><td colspan='2'>a</td></tr></table>",
        '<table><tr><td colspan="2">a</td></tr></table>\n',
    ),
    # raw html
    "iframe block": (
        '<iframe src="https://v.example/1"></iframe>',
        '<iframe src="https://v.example/1"></iframe>\n',
    ),
    "video wrapped": (
        "<video src='v.mp4' controls></video>",
        '<div><video src="v.mp4" controls></video></div>\n',
    ),
    "details keeps blank lines inside": (
        "<details><summary>S</summary>\n\n<p>x</p></details>",
        "<details><summary>S</summary>&#10;\n<p>x</p></details>\n",
    ),
    "inline iframe": (
        '<p>see <iframe src="y"></iframe> here</p>',
        'see <iframe src="y"></iframe> here\n',
    ),
    "span around blocks dissolves": (
        "<div>a<span>b<p>c</p>d</span>e</div>",
        "ab\n\nc\n\nde\n",
    ),
    "link around blocks is html": (
        '<a href="/p"><h3>T</h3><p>d</p></a>',
        '<div><a href="/p"><h3>T</h3><p>d</p></a></div>\n',
    ),
    "pre with a link is html": (
        '<pre>see <a href="/x">x</a></pre>',
        '<pre>see <a href="/x">x</a></pre>\n',
    ),
    "iframes in a row stay apart": (
        '<iframe src="a"></iframe><p></p><iframe src="b"></iframe>',
        '<iframe src="a"></iframe>\n\n<div><iframe src="b"></iframe></div>\n',
    ),
    "empty li keeps its end tag in raw html": (
        "<dl><dt>t</dt><dd><ul><li></li></ul>x</dd></dl>",
        "<dl><dt>t</dt><dd><ul><li></li></ul>x</dd></dl>\n",
    ),
    "iframe at a line start makes the paragraph html": (
        '<p>a<br><iframe src="y"></iframe></p>',
        '<p>a<br><iframe src="y"></iframe></p>\n',
    ),
}


@pytest.mark.parametrize(("fragment", "expected"), list(CASES.values()), ids=list(CASES))
def test_case(fragment, expected):
    markdown = html_to_markdown(fragment)
    assert markdown == expected
    if expected:
        assert signature(MD.render(markdown)) == signature(fragment)


def test_blog_body_target_form():
    """The shape of a real post's Markdown source."""
    body = (
        '<blockquote>\n<p><strong>링크:</strong> <a href="https://arxiv.org/abs/2509.07979">'
        "논문 PDF로 바로 열기</a></p>\n</blockquote>\n"
        "<p><strong>저자:</strong> Heeji Yoon, Jaewoo Jung, Junwan Kim</p>\n"
        "<h2>핵심 연구 목표</h2>\n<p>본 논문은 … "
        "<strong>다중 모달 대규모 언어 모델(MLLM)</strong>이 객체 …</p>\n"
        "<blockquote>\n<p>⚠️ <strong>알림:</strong> 이 리뷰는 AI로 작성되었습니다.</p>\n"
        "</blockquote>\n"
    )
    assert assert_round_trip(body) == (
        "> **링크:** [논문 PDF로 바로 열기](https://arxiv.org/abs/2509.07979)\n\n"
        "**저자:** Heeji Yoon, Jaewoo Jung, Junwan Kim\n\n"
        "## 핵심 연구 목표\n\n"
        "본 논문은 … <strong>다중 모달 대규모 언어 모델(MLLM)</strong>이 객체 …\n\n"
        "> ⚠️ **알림:** 이 리뷰는 AI로 작성되었습니다.\n"
    )


def test_output_ends_in_one_newline():
    assert html_to_markdown("<p>a</p>\n\n\n").endswith("a\n")
    assert html_to_markdown("<!-- only a comment -->") == ""
    assert html_to_markdown("<p> </p><div>\n</div>") == ""


def test_deep_nesting_does_not_exhaust_the_stack():
    depth = 250  # lxml drops what nests deeper than 255 levels
    markdown = html_to_markdown("<blockquote>" * depth + "x" + "</blockquote>" * depth)
    assert markdown.rstrip().endswith("> x")
    assert html_to_markdown("<b><i>" * 120 + "y" + "</i></b>" * 120).count("y") == 1


def test_control_characters_and_lone_surrogates():
    assert html_to_markdown("a\x00b\x01c\ud800d") == "abcd\n"


# --------------------------------------------------------------------------------------
# Real bodies


def _bodies(path: Path) -> list[str]:
    """Post bodies in a payload: long ``dangerouslySetInnerHTML`` strings outside scripts,
    or, for pages whose body is made of elements, the rendered ``<article>``."""

    def has_body(found: Any) -> bool:
        props = unwrap(found.element.props)
        if found.tag == "script" or not isinstance(props, dict):
            return False
        inner = unwrap(props.get("dangerouslySetInnerHTML"))
        return isinstance(inner, dict) and len(str(unwrap(inner.get("__html")) or "")) > 500

    root = parse(path.read_bytes()).root
    found = find_all(root, predicate=has_body)
    bodies = [unwrap(unwrap(f.element.props)["dangerouslySetInnerHTML"])["__html"] for f in found]
    article = find(root, "article")
    if not bodies and article is not None:
        bodies.append(render_html(article.element))
    return bodies


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(ROOT / "examples" / "next15-post-long-read.txt", id="own/next15-long-read"),
        *corpus_params("seeds/00[013]_*.txt", "real/next1[45]/posts/*.txt"),
    ],
)
def test_real_bodies_round_trip(path):
    bodies = _bodies(path)
    assert bodies
    for body in bodies:
        markdown = assert_round_trip(body)
        assert markdown.endswith("\n")
        assert not markdown.endswith("\n\n")


def test_seed_body_reads_like_its_source():
    """A seed post's body comes out in the form its Markdown source had."""
    [path] = corpus_params("seeds/000_*.txt")[0].values
    if path is None:
        pytest.skip("no corpus")
    markdown = html_to_markdown(_bodies(path)[0])
    assert markdown.startswith(
        "> **링크:** [논문 PDF로 바로 열기](https://arxiv.org/abs/2510.16333)\n\n"
        "**저자:** Junha Song, Sangdoo Yun, Dongyoon Han, Jaegul Choo, Byeongho Heo\n\n"
        "## 핵심 연구 목표\n\n"
    )
    assert "**LLM 백본** 에 대한" in markdown
    assert markdown.endswith("> ⚠️ **알림:** 이 리뷰는 AI로 작성되었습니다.\n")


# --------------------------------------------------------------------------------------
# Property: random small documents survive the round trip

_KOREAN = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
_CHARS = st.one_of(
    st.sampled_from(string.ascii_letters[:8] + "019"),
    st.sampled_from("*_[]#<>!`\\-+=.()&;|~:'\" "),
    st.sampled_from("\t\n\xa0😀€。「」\u0301"),  # whitespace, symbols, CJK punctuation
    _KOREAN,
)
_WORDS = st.text(_CHARS, max_size=10).map(html.escape)
_URLS = st.sampled_from(
    ["https://example.com/x", "/a b", "/p(1)", "#frag", "https://ex.org/?a=1&b=2", "", "x\\y"]
)
_CODE = st.text(st.sampled_from("ab`* _\\|"), min_size=1, max_size=6).map(
    lambda t: f"<code>{html.escape(t)}</code>"
)
_IMAGES = st.tuples(_URLS, _WORDS).map(lambda t: f'<img src="{html.escape(t[0])}" alt="{t[1]}">')
_TAGS = ["strong", "em", "del", "b", "i", "s", "span", "sup"]


@functools.cache
def _inline(depth: int, in_link: bool = False) -> st.SearchStrategy[str]:
    leaves = [_WORDS, _WORDS, _CODE, _IMAGES, st.just("<br>")]
    if depth == 0:
        return st.one_of(leaves)
    runs = st.lists(_inline(depth - 1, in_link), max_size=3).map("".join)
    wrapped = [st.tuples(st.sampled_from(_TAGS), runs).map(lambda t: f"<{t[0]}>{t[1]}</{t[0]}>")]
    if not in_link:  # no link inside a link: HTML forbids it and parsers take them apart
        texts = st.lists(_inline(depth - 1, True), max_size=3).map("".join)
        titles = st.one_of(st.just(""), _WORDS.map(lambda w: f' title="{w}"'))
        wrapped.append(
            st.tuples(_URLS, titles, texts).map(
                lambda t: f'<a href="{html.escape(t[0])}"{t[1]}>{t[2]}</a>'
            )
        )
    return st.one_of(*leaves, *wrapped, *wrapped)


_INLINES = st.lists(_inline(3), min_size=1, max_size=4).map("".join)
_PRE = st.tuples(
    st.sampled_from(["", ' class="language-py"']), st.text("ab`~ \n*#", max_size=12)
).map(lambda t: f"<pre><code{t[0]}>{html.escape(t[1])}</code></pre>")
_CELLS = st.lists(_inline(2).map(lambda c: f"<td>{c}</td>"), min_size=1, max_size=3).map("".join)
_TABLES = st.tuples(st.booleans(), st.lists(_CELLS, min_size=1, max_size=3)).map(
    lambda t: (
        "<table>"
        + (f"<thead><tr>{t[1][0].replace('td>', 'th>')}</tr></thead>" if t[0] else "")
        + "".join(f"<tr>{row}</tr>" for row in t[1][t[0] :])
        + "</table>"
    )
)


@functools.cache
def _blocks_strategy(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        _INLINES.map(lambda s: f"<p>{s}</p>"),
        st.tuples(st.integers(1, 6), _INLINES).map(lambda t: f"<h{t[0]}>{t[1]}</h{t[0]}>"),
        _PRE,
        _TABLES,
        st.just("<hr>"),
    )
    if depth == 0:
        return leaf
    inner = _blocks_strategy(depth - 1)
    nested_list = _lists(inner, None)
    item = st.one_of(
        _INLINES,
        st.tuples(_INLINES, nested_list).map("".join),
        st.lists(inner, min_size=1, max_size=3).map("".join),
    )
    lists = _lists(inner, item)
    quotes = st.lists(inner, max_size=3).map(lambda b: f"<blockquote>{''.join(b)}</blockquote>")
    divs = st.lists(st.one_of(inner, _INLINES), max_size=3).map(
        lambda b: f"<div>{''.join(b)}</div>"
    )
    return st.one_of(leaf, leaf, lists, quotes, divs)


def _lists(inner, item) -> st.SearchStrategy[str]:
    if item is None:
        item = st.one_of(_INLINES, inner)
    start = st.one_of(st.just(""), st.integers(0, 12).map(lambda n: f' start="{n}"'))
    return st.tuples(
        st.sampled_from(["ul", "ol"]), start, st.lists(item, min_size=1, max_size=3)
    ).map(
        lambda t: (
            f"<{t[0]}{t[1] if t[0] == 'ol' else ''}>"
            + "".join(f"<li>{i}</li>" for i in t[2])
            + f"</{t[0]}>"
        )
    )


_DOCUMENTS = st.lists(_blocks_strategy(2), min_size=1, max_size=4).map("".join)


@given(_DOCUMENTS)
def test_round_trip_property(fragment):
    assert_round_trip(fragment)


@given(_INLINES)
def test_inline_round_trip_property(fragment):
    assert_round_trip(f"<p>{fragment}</p>")
