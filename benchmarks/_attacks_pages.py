"""Attack families on pages and what is built from them: the ``__next_f`` reader,
extraction, user selectors and rules, Markdown, the batch, and injection through scripts
a browser never runs."""

from __future__ import annotations

import json
from typing import Any

from _attacks import Attack, article_rows, contains, count, el, family, flight, j, page

ARTICLE = ("parse", "extract_article", "article_to_dict", "article_to_markdown")


def ld_script(text: str) -> list[Any]:
    """A JSON-LD script element, as Next.js metadata writes it."""
    return el("script", type="application/ld+json", dangerouslySetInnerHTML={"__html": text})


# -- the __next_f reader ------------------------------------------------------------------


@family("push_regex_spaces", "issue", "__next_f followed by a long run of spaces, no push(")
def _push_regex_spaces(size: int) -> Attack:
    body = "<script>self.__next_f" + " " * count(size, 1, 400) + "</script>"
    return Attack(page(flight(article_rows(2)), body=body), ("next_f", "parse"))


@family("xhtml_encoding_declaration", "issue", "an XHTML page with an XML encoding declaration")
def _xhtml_encoding_declaration(size: int) -> Attack:
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n'
    data = page(flight(article_rows(count(size, 70, 300))), prolog=prolog)
    return Attack(data, ("parse", "extract_article"), expect="ok")


def injected(size: int, wrap: str) -> Attack:
    """A real page plus a fake payload in a place a browser never runs as script."""
    fake = '0:["$","h1",null,{"children":"FAKE TITLE"}]\n'
    fake_push = "self.__next_f.push(" + j([1, fake]).replace("<", "\\u003c") + ")"
    real = page(flight(article_rows(count(size, 70, 500))), body=wrap.format(push=fake_push))
    check = contains("next_f", "FAKE", present=False)
    return Attack(real, ("next_f", "parse", "extract_article"), expect="ok", check=check)


@family("injection_text_plain", "issue", '__next_f.push in <script type="text/plain">')
def _injection_text_plain(size: int) -> Attack:
    return injected(size, '<script type="text/plain">{push}</script>')


@family("injection_json_script", "issue", '__next_f.push in <script type="application/json">')
def _injection_json_script(size: int) -> Attack:
    return injected(size, '<script type="application/json">{push}</script>')


@family("injection_template", "issue", "__next_f.push in a script inside <template>")
def _injection_template(size: int) -> Attack:
    return injected(size, "<template><script>{push}</script></template>")


@family("injection_js_comment", "issue", "__next_f.push inside a JavaScript comment")
def _injection_js_comment(size: int) -> Attack:
    return injected(size, "<script>/* {push} */</script>")


# -- extraction ---------------------------------------------------------------------------


@family("extract_nav_links", "issue", "a <nav> of size/60 links")
def _extract_nav_links(size: int) -> Attack:
    links = [el("a", f"Topic {i} (3)", href=f"/t/{i}") for i in range(count(size, 50, 200))]
    rows = [f"0:{j(el('div', [el('nav', links), el('article', [el('h1', 'T')])]))}"]
    return Attack(flight(rows), ARTICLE)


@family("extract_jsonld_list", "issue", "a JSON-LD list of size/30 objects")
def _extract_jsonld_list(size: int) -> Attack:
    items = j([{"@type": "Thing", "name": "x"}] * count(size, 32, 200))
    rows = [f"0:{j(el('article', [ld_script(items), el('h1', 'T')]))}"]
    return Attack(flight(rows), ARTICLE)


@family("deep_jsonld", "issue", "JSON-LD nested size/2 deep in an Article's author")
def _deep_jsonld(size: int) -> Attack:
    depth = count(size, 2, 200)
    text = '{"@type":"Article","headline":"T","author":' + "[" * depth + "]" * depth + "}"
    return Attack(flight([f"0:{j(el('article', [ld_script(text), el('h1', 'T')]))}"]), ARTICLE)


@family("extract_shared_classname", "issue", "a size/2 className row shared by many nodes")
def _extract_shared_classname(size: int) -> Attack:
    classes = " ".join(f"c{i:x}" for i in range(count(size // 2, 6)))
    nodes = ",".join(['["$","p",null,{"className":"$1","children":"x"}]'] * count(size // 2, 48))
    rows = [f"1:{j(classes)}", f'0:["$","article",null,{{"children":[{nodes}]}}]']
    rule = {"name": "hostile", "fields": {"title": {"select": "p.zzz"}}}
    return Attack(flight(rows), ("parse", "extract_article", "rule"), rule=rule)


@family("inner_html_html", "issue", "dangerouslySetInnerHTML of <html></html> in the body")
def _inner_html_html(size: int) -> Attack:
    inner = el("div", dangerouslySetInnerHTML={"__html": "<html></html>"})
    paragraphs = [el("p", f"Paragraph {i}.") for i in range(count(size, 40, 200))]
    rows = [f"0:{j(el('article', [el('h1', 'T'), inner, *paragraphs]))}"]
    return Attack(flight(rows), ("parse", "render_html", *ARTICLE[1:], "inspect_report"))


@family("tag_fallback_text", "issue", "inner HTML lxml refuses, then size '<'s: strip_tags")
def _tag_fallback_text(size: int) -> Attack:
    inner = "<html></html>" + "<a" * count(size, 2, 200)
    body = el("div", dangerouslySetInnerHTML={"__html": inner})
    rows = [f"0:{j(el('article', [el('h1', 'T'), body]))}"]
    return Attack(flight(rows), ARTICLE)


# -- user selectors and rules -------------------------------------------------------------


def nested_divs(size: int) -> bytes:
    """Divs nested size/45 deep, each in its own row (children through lazies)."""
    n = count(size, 45)
    rows = [f'{i:x}:["$","div",null,{{"children":["x","$L{i + 1:x}"]}}]' for i in range(n)]
    return flight([*rows, f'{n:x}:["$","span",null,{{"children":"end"}}]'])


@family("selector_descendant", "issue", "a four-part descendant selector on nested divs")
def _selector_descendant(size: int) -> Attack:
    selector = "section div div div"
    rule = {"name": "hostile", "fields": {"title": {"select": selector}}}
    return Attack(nested_divs(size), ("parse", "select", "rule"), selector=selector, rule=rule)


@family("selector_text_pseudos", "issue", ":has-text and :text-starts on nested divs")
def _selector_text_pseudos(size: int) -> Attack:
    selector = "div:has-text(zzz), div:text-starts(zzz)"
    rule = {"name": "hostile", "fields": {"title": {"select": selector}}}
    return Attack(nested_divs(size), ("parse", "select", "rule"), selector=selector, rule=rule)


# -- Markdown -----------------------------------------------------------------------------


@family("markdown_text_merge", "issue", "a paragraph of size/14 text nodes between spans")
def _markdown_text_merge(size: int) -> Attack:
    return Attack(
        ("<p>" + "a <span></span>" * count(size, 15, 8) + "</p>").encode(), ("html_to_markdown",)
    )


@family("markdown_tag_fallback", "issue", "a fragment lxml refuses, then size '<'s")
def _markdown_tag_fallback(size: int) -> Attack:
    return Attack(("<html></html>" + "<a" * count(size, 2, 20)).encode(), ("html_to_markdown",))


@family("markdown_padded_table", "issue", "a table with one wide cell and size/20 rows")
def _markdown_padded_table(size: int) -> Attack:
    wide = "<tr><td>" + "w" * (size // 2) + "</td></tr>"
    rows = "<tr><td>a</td></tr>" * count(size // 2, 19)
    return Attack(f"<table>{wide}{rows}</table>".encode(), ("html_to_markdown",))


def dropped_tail(size: int, tag: str) -> Attack:
    words = "word " * count(size, 5, 40)
    html = f"<p>{words}<{tag}>TAILMARK and more</p>"
    check = contains("html_to_markdown", "TAILMARK")
    return Attack(html.encode(), ("html_to_markdown",), expect="ok", check=check)


@family("markdown_wbr", "issue", "the text after <wbr> must survive Markdown")
def _markdown_wbr(size: int) -> Attack:
    return dropped_tail(size, "wbr")


@family("markdown_embed", "issue", "the text after <embed> must survive Markdown")
def _markdown_embed(size: int) -> Attack:
    return dropped_tail(size, 'embed src="/x.swf"')


# -- the batch ----------------------------------------------------------------------------


def batch(size: int, bad_name: str, bad: bytes) -> Attack:
    """Good pages of about 1 KiB filling ``size``, and one bad input among them."""
    good = flight(article_rows(20))
    files = {f"page{i:04d}.txt": good for i in range(count(size, len(good), len(bad)))}
    files[bad_name] = bad

    def check(outputs: dict[str, Any]) -> str | None:
        out = outputs.get("batch")
        if out is None:
            return None
        ok = sum(json.loads(line).get("status") == "ok" for line in out.splitlines())
        want = len(files) - 1
        return None if ok >= want else f"batch wrote {ok} of {want} good pages"

    return Attack(b"", ("batch",), files=files, expect="ok", check=check)


@family("batch_damaged_warc", "issue", "one damaged .warc among the batch inputs")
def _batch_damaged_warc(size: int) -> Attack:
    return batch(size, "damaged.warc", b"WARC/1.0\r\nWARC-Type: response\r\n\r\n\x00garbage")


@family("batch_to_dict_raises", "issue", "one page whose Article.to_dict() raises")
def _batch_to_dict_raises(size: int) -> Attack:
    return batch(size, "deep.txt", _deep_jsonld(1_400).data)  # 600 deep: to_dict recurses


@family("batch_lone_surrogate", "issue", "one page whose title is a lone surrogate")
def _batch_lone_surrogate(size: int) -> Attack:
    return batch(
        size,
        "surrogate.txt",
        b'0:["$","article",null,{"children":["$","h1",null,{"children":"\\ud800"}]}]\n',
    )
