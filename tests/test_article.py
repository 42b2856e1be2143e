"""Article extraction: the generic rule on every Next.js version's layout, site rules,
the seeds, and the corpus posts checked against their own HTML metadata."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml

import rsc_flight
from rsc_flight import Article, FlightError, extract_article
from rsc_flight.extract import (
    BUILTIN_RULES,
    GENERIC_RULE,
    FieldSpec,
    Precision,
    Rule,
    rule_from_dict,
)

from .conftest import CORPUS, corpus_params
from .next_pages import el, meta, next14, next15

BODY = (
    "<h2>Why</h2><p>Rows arrive <strong>out of order</strong>, see "
    '<a href="https://react.dev/">React</a>.</p><ul><li>one</li><li>two</li></ul>'
)
SEGMENTS = ["notes", ["slug", "second-post", "d"]]


def article_page(*, jsonld: dict[str, Any] | None = None) -> list[Any]:
    parts: list[Any] = []
    if jsonld is not None:
        html = json.dumps(jsonld)
        parts.append(
            el(
                "script",
                {"type": "application/ld+json", "dangerouslySetInnerHTML": {"__html": html}},
            )
        )
    tags = [
        el("li", {}, el("a", {"href": f"/tags/{t}/", "rel": "tag"}, f"#{t}"), key=t)
        for t in ("flight", "rsc")
    ]
    parts += [
        el(
            "header",
            {},
            el("h1", {"className": "title"}, "The Second Post"),
            el("time", {"dateTime": "2025-05-06 18:20:00+0900"}, "May 6, 2025"),
            el("span", {"className": "updated"}, "Updated: May 8, 2025"),
        ),
        el("div", {"className": "post-content", "dangerouslySetInnerHTML": {"__html": BODY}}),
        el("ul", {"className": "tags"}, *tags),
        el(
            "nav",
            {"className": "post-nav"},
            el("a", {"href": "/notes/first-post/"}, "← Previous: First"),
            el("a", {"href": "/notes/third-post/"}, "Next: Third →"),
        ),
    ]
    return el("article", {}, *parts)


NAV = el(
    "nav",
    {},
    el("h4", {}, "Writing"),
    el("ul", {}, el("li", {}, el("a", {"href": "/notes/"}, "Notes (12)"), key="notes")),
)
SITE_HEAD = [
    el("title", {}, "Flight Journal"),
    meta("description", "Notes on streaming React payloads."),
    el("link", {"rel": "canonical", "href": "https://journal.example.org/"}),
    meta("og:title", "Flight Journal"),
    meta("og:url", "https://journal.example.org/"),
    meta("og:site_name", "Flight Journal"),
    meta("og:type", "website"),
    meta("author", "Journal Staff"),
]
PAGE_HEAD = [
    el("title", {}, "Page Title · Flight Journal"),
    meta("description", "What the second post says."),
    el("link", {"rel": "canonical", "href": "https://journal.example.org/notes/second-post/"}),
    meta("og:title", "Page Title"),
    meta("og:site_name", "Flight Journal"),
    meta("og:type", "article"),
    meta("og:image", "/img/cover.png"),
    meta("article:published_time", "2025-05-06T09:20:00.000Z"),
    meta("article:modified_time", "2025-05-09T00:00:00.000Z"),
    meta("article:tag", "alpha"),
    meta("article:tag", "beta"),
    meta("article:section", "Notes"),
    meta("author", "Ada"),
    meta("author", "Grace"),
]

VERSIONS = {
    "next14": lambda page, head: next14(page, head, segments=SEGMENTS, nav=NAV),
    "next15": lambda page, head: next15(page, head, segments=SEGMENTS, nav=NAV),
    "next15-streamed": lambda page, head: next15(
        page, head, segments=SEGMENTS, nav=NAV, streamed=True
    ),
    "next16": lambda page, head: next15(page, head, segments=SEGMENTS, nav=NAV, version=16),
}


@pytest.fixture(params=sorted(VERSIONS))
def build(request: pytest.FixtureRequest) -> Any:
    return VERSIONS[request.param]


def test_page_level_head_is_trusted(build: Any) -> None:
    article = extract_article(build(article_page(), PAGE_HEAD))
    assert article.url == "https://journal.example.org/notes/second-post/"
    assert article.provenance["url"].detail == "canonical"
    # The page's h1 outranks the head title; the head's description is the page's own.
    assert article.title == "The Second Post"
    assert article.description == "What the second post says."
    assert article.provenance["description"].source == "head"
    assert article.site_name == "Flight Journal"
    assert article.published is not None
    assert article.published.value == dt.datetime(2025, 5, 6, 9, 20, tzinfo=dt.UTC)
    assert article.modified is not None
    assert article.modified.precision is Precision.SECOND
    assert article.tags == ("alpha", "beta")
    assert [c.name for c in article.categories] == ["Notes"]
    assert [a.name for a in article.authors] == ["Ada", "Grace"]
    assert article.image == "https://journal.example.org/img/cover.png"
    assert article.language == "en"
    assert article.robots is None
    assert article.warnings == ()


def test_site_level_head_falls_back_to_the_page(build: Any) -> None:
    article = extract_article(build(article_page(), SITE_HEAD))
    # Origin of the (site-level) canonical + the route + the site's trailing slashes.
    assert article.url == "https://journal.example.org/notes/second-post/"
    assert article.provenance["url"].source == "route"
    assert article.canonical_url == "https://journal.example.org/"
    assert article.title == "The Second Post"
    assert article.provenance["title"].detail == "h1"
    assert article.description is None
    assert article.authors == ()
    assert article.site.description == "Notes on streaming React payloads."
    assert article.published is not None
    assert article.published.raw == "2025-05-06 18:20:00+0900"
    assert article.published.value.utcoffset() == dt.timedelta(hours=9)
    assert article.modified is not None
    assert (article.modified.value, article.modified.precision) == (
        dt.date(2025, 5, 8),
        Precision.DAY,
    )
    assert article.tags == ("flight", "rsc")
    assert [(c.name, c.url, c.parent) for c in article.categories] == [
        ("Notes", "https://journal.example.org/notes/", "Writing")
    ]
    assert [(n.name, n.count) for n in article.site.navigation] == [("Notes", 12)]
    assert article.body_html == BODY
    assert article.provenance["body_html"].source == "inner_html"
    assert article.prev is not None
    assert article.prev.url.endswith("/notes/first-post/")
    assert article.next is not None
    assert article.next.url.endswith("/notes/third-post/")
    assert any("canonical" in w for w in article.warnings)
    assert article.route.pattern == "/notes/[slug]"
    assert article.route.params == {"slug": "second-post"}


def test_body_text_and_links(build: Any) -> None:
    article = extract_article(build(article_page(), SITE_HEAD))
    assert article.body_text == "Why\n\nRows arrive out of order, see React.\n\none\n\ntwo"
    assert [(link.url, link.text) for link in article.links] == [("https://react.dev/", "React")]


def test_body_text_breaks_blocks_lines_and_keeps_pre() -> None:
    # Blocks and cells are paragraphs, <br> breaks a line, source newlines are spaces,
    # <pre> is kept as written, script text is not text, a block's tail follows it.
    html = (
        "lead <b>in\nline</b><br>next line<p>para<br/> two</p>after p"
        "<pre>\n  code\n    indented\n</pre><!-- note --><table><tr><td>c1</td>"
        "<td>c2<script>var x</script></td></tr></table><div>\n\n</div>end"
    )
    page = el("article", {}, el("div", {"className": "post-content"}, dangerous(html)))
    article = extract_article(next15(page, SITE_HEAD, segments=SEGMENTS))
    assert article.body_text == (
        "lead in line\nnext line\n\npara\ntwo\n\nafter p\n\n  code\n    indented"
        "\n\nnote\n\nc1\n\nc2\n\nend"
    )


def dangerous(html: str) -> Any:
    return el("div", {"dangerouslySetInnerHTML": {"__html": html}})


def test_not_found_fallback_is_never_content() -> None:
    # Next 14 ships its not-found tree (with an <h1>404</h1>) in every payload.
    page = el("article", {}, el("p", {}, "No heading here."))
    article = extract_article(next14(page, SITE_HEAD, segments=SEGMENTS))
    assert article.title is None
    assert "404" not in (article.body_text or "")


def test_json_ld_outranks_markup_and_invalid_json_ld_is_reported() -> None:
    ld = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": "Headline From JSON-LD",
        "datePublished": "2024-01-05T09:00:00.000Z",
        "author": [{"@type": "Person", "name": "Ada", "url": "https://ada.example"}],
        "keywords": "x, y",
    }
    article = extract_article(next15(article_page(jsonld=ld), SITE_HEAD, segments=SEGMENTS))
    assert article.title == "Headline From JSON-LD"
    assert article.provenance["title"].source == "json_ld"
    assert article.authors[0].url == "https://ada.example"
    assert article.tags == ("x", "y")
    assert article.json_ld[0]["headline"] == "Headline From JSON-LD"

    broken = el(
        "script", {"type": "application/ld+json", "dangerouslySetInnerHTML": {"__html": "{"}}
    )
    page = el("article", {}, broken, el("h1", {}, "T"))
    article = extract_article(next15(page, SITE_HEAD, segments=SEGMENTS))
    assert any("JSON-LD" in w for w in article.warnings)


def test_hoisted_title_in_a_plain_payload() -> None:
    # React 19 hoists <title> from anywhere; a payload that is not a Next page still works.
    payload = (
        b'0:["$","div",null,{"children":[["$","title",null,{"children":"Solo | Site"}],'
        b'["$","meta",null,{"property":"og:site_name","content":"Site"}],"text"]}]\n'
    )
    article = extract_article(payload)
    assert article.title == "Solo"
    assert article.provenance["title"].source == "hoisted"
    assert article.route.form == "plain"


def test_element_body_is_rendered() -> None:
    page = el(
        "article",
        {},
        el("h1", {}, "Elements"),
        el(
            "div",
            {"className": "prose"},
            el("p", {}, "First ", el("em", {}, "para"), "."),
            el("p", {}, "Go ", el("$L9", {"href": "/notes/x/"}, "there")),
        ),
    )
    payload = next15(page, PAGE_HEAD, segments=SEGMENTS) + b'9:I[200,[],"default"]\n'
    article = extract_article(payload)
    assert article.body_html is not None
    assert "<em>para</em>" in article.body_html
    assert article.provenance["body_html"].detail == "content container"
    assert article.body_text == "First para.\n\nGo there"


def test_caller_url_when_the_page_has_none() -> None:
    article = extract_article(b'0:["$","h1",null,{"children":"x"}]\n', url="https://e.org/a")
    assert article.url == "https://e.org/a"
    assert article.provenance["url"].source == "caller"


def test_a_later_rule_replaces_and_records_it(build: Any) -> None:
    custom = Rule(
        "site.journal",
        hosts=("journal.example.org",),
        requires=("article h1.title",),
        fields={
            "title": FieldSpec("article h1.title", parse="regex:^The (.+)$"),
            "extras.tag_keys": FieldSpec("ul.tags > li", take="key", many=True),
        },
    )
    article = extract_article(build(article_page(), SITE_HEAD), rules=(*BUILTIN_RULES, custom))
    assert article.title == "Second Post"
    assert article.provenance["title"].rule == "site.journal"
    assert article.provenance["title"].replaced == ("generic",)
    assert article.provenance["title"].row == 2
    assert article.extras == {"tag_keys": ["flight", "rsc"]}


def test_rules_apply_only_where_they_match() -> None:
    payload = next15(article_page(), SITE_HEAD, segments=SEGMENTS)
    other_host = Rule("a", hosts=("*.other.org",), fields={"title": FieldSpec("h1")})
    missing = Rule("b", requires=("h1.nope",), fields={"title": FieldSpec("h1")})
    article = extract_article(payload, rules=(GENERIC_RULE, other_host, missing))
    assert article.provenance["title"].rule == "generic"
    # Without the generic rule only what the given rules say is set.
    bare = extract_article(payload, rules=(Rule("c", fields={"title": FieldSpec("time")}),))
    assert bare.title == "May 6, 2025"
    assert bare.url is None


def test_rules_from_toml() -> None:
    text = textwrap.dedent(
        """
        name = "site.toml"
        requires = ["article"]
        [fields]
        title = { select = "header > h1" }
        published = { select = "header span.updated", label = "Updated:", parse = "date" }
        "extras.count" = { select = "aside a", parse = "regex:\\\\((\\\\d+)\\\\)" }
        """
    )
    rule = rule_from_dict(tomllib.loads(text))
    payload = next14(article_page(), SITE_HEAD, segments=SEGMENTS, nav=NAV)
    article = extract_article(payload, rules=(GENERIC_RULE, rule))
    assert article.published is not None
    assert article.published.value == dt.date(2025, 5, 8)
    assert article.extras == {"count": "12"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"select": "h1", "take": "color"}, "take"),
        ({"select": "h1", "parse": "upper"}, "parse"),
        ({"select": "h1 >"}, "selector"),
        ({"select": "h1 ~ p"}, "selector"),
    ],
)
def test_bad_rules_fail_when_built(spec: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FieldSpec(**spec)


def test_unknown_field_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        Rule("x", fields={"colour": FieldSpec("h1")})


def test_entry_point_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "journal_rules.py").write_text(
        "from rsc_flight.extract import FieldSpec, Rule\n"
        "RULES = [Rule('site.plugin', fields={'title': FieldSpec('header span.updated')})]\n"
    )
    dist = tmp_path / "journal_rules-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: journal-rules\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[rsc_flight.rules]\njournal = journal_rules:RULES\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    rsc_flight.extract.default_rules.cache_clear()
    assert [r.name for r in rsc_flight.extract.entry_point_rules()] == ["site.plugin"]
    assert [r.name for r in rsc_flight.extract.default_rules()][-1] == "site.plugin"
    article = extract_article(next15(article_page(), SITE_HEAD, segments=SEGMENTS))
    assert article.title == "Updated: May 8, 2025"
    assert article.provenance["title"].rule == "site.plugin"
    monkeypatch.delitem(sys.modules, "journal_rules", raising=False)
    rsc_flight.extract.default_rules.cache_clear()


def test_to_dict_is_json_and_the_article_pickles(build: Any) -> None:
    article = extract_article(build(article_page(), PAGE_HEAD))
    data = json.loads(json.dumps(article.to_dict()))
    assert data["published"] == {
        "value": "2025-05-06T09:20:00+00:00",
        "precision": "second",
        "raw": "2025-05-06T09:20:00.000Z",
    }
    assert data["provenance"]["title"] == {
        "rule": "generic",
        "source": "article",
        "row": "2",
        "detail": "h1",
    }
    assert pickle.loads(pickle.dumps(article)) == article


def test_to_markdown_front_matter(build: Any) -> None:
    article = extract_article(build(article_page(), SITE_HEAD))
    text = article.to_markdown()
    _, front, body = text.split("---\n", 2)
    data = yaml.safe_load(front)
    assert data["title"] == "The Second Post"
    assert data["tags"] == ["flight", "rsc"]
    assert data["categories"] == ["Notes"]
    assert data["permalink"] == "/notes/second-post/"
    assert data["date"] == "2025-05-06 18:20:00+0900"
    assert str(data["last_modified_at"]) == "2025-05-08"
    assert "## Why" in body
    assert "**out of order**" in body


@pytest.mark.parametrize("title", ["yes", "a: b", "- x", "#tag", "12", 'say "hi"\n', "null", " x"])
def test_front_matter_quotes_what_yaml_would_misread(title: str) -> None:
    article = Article(title=title, tags=(title,), description=title)
    data = yaml.safe_load(article.to_markdown().split("---\n")[1])
    assert data == {"title": title, "excerpt": title, "tags": [title]}


def test_only_flight_errors_escape() -> None:
    with pytest.raises(FlightError):
        extract_article(b"")
    article = extract_article(b"0:[1,2\n")  # lenient: broken row becomes a diagnostic
    assert article.title is None


# ---------------------------------------------------------------- the seeds

SEEDS = {
    "000": {
        "title": "[논문리뷰] RL makes MLLMs see better than SFT",
        "published": dt.datetime(
            2025, 10, 21, 13, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=9))
        ),
        "tags": 9,
        "first_last": ("Review", "PIVOT"),
        "url": "https://blog.secrett2633.site/ai/review/2025-10-21-RL-makes-MLLMs-see-better-than-SFT/",
        "modified": dt.date(2025, 10, 21),
        "neighbours": True,
    },
    "001": {
        "title": "[논문리뷰] Directional Reasoning Injection for Fine-Tuning MLLMs",
        "published": dt.datetime(
            2025, 10, 23, 13, 8, 59, tzinfo=dt.timezone(dt.timedelta(hours=9))
        ),
        "tags": 8,
        "url": "https://blog.secrett2633.site/ai/review/2025-10-23-Directional-Reasoning-Injection-for-Fine-Tuning-MLLMs/",
        "modified": dt.date(2025, 10, 23),
        "neighbours": True,
    },
    "003": {
        "title_start": "[논문리뷰] R-4B: Incentivizing ",
        "published": dt.datetime(2025, 9, 1, 13, 14, 34, tzinfo=dt.timezone(dt.timedelta(hours=9))),
        "tags": 9,
        "url_start": "https://secrett2633.github.io/ai/review/2025-9-1-R-4B_",
        "modified": dt.date(2025, 9, 1),
        "neighbours": False,
    },
}


def _seed_h1_and_body(payload: rsc_flight.Payload) -> tuple[str, str]:
    h1 = rsc_flight.tree.find(payload.root, "h1", class_name="page__title")
    assert h1 is not None
    holder = rsc_flight.tree.find(
        payload.root, predicate=lambda f: "dangerouslySetInnerHTML" in (f.element.props or {})
    )
    assert holder is not None
    return rsc_flight.tree.text_content(h1.element), holder.element.props[
        "dangerouslySetInnerHTML"
    ]["__html"]


@pytest.mark.parametrize("path", corpus_params("seeds/00[013]_*.txt"))
def test_seed_articles(path: Path) -> None:
    want = SEEDS[path.name[:3]]
    payload = rsc_flight.parse(path.read_bytes())
    article = extract_article(payload)
    h1_text, body = _seed_h1_and_body(payload)
    if "title" in want:
        assert article.title == want["title"]
    else:
        assert article.title == h1_text
        assert article.title.startswith(want["title_start"])
    assert article.published is not None
    assert article.published.value == want["published"]
    assert article.published.precision is Precision.SECOND
    assert len(article.tags) == want["tags"]
    if "first_last" in want:
        assert (article.tags[0], article.tags[-1]) == want["first_last"]
    assert article.tags[0] == "Review"
    if "url" in want:
        assert article.url == want["url"]
    else:
        slug = payload.root[1][0][0][1]["children"][0][1]
        assert article.url == f"https://secrett2633.github.io/{slug}/"
        assert article.url.startswith(want["url_start"])
    assert article.modified is not None
    assert (article.modified.value, article.modified.precision) == (want["modified"], Precision.DAY)
    assert [c.name for c in article.categories] == ["Review"]
    assert (article.prev is not None, article.next is not None) == (want["neighbours"],) * 2
    assert article.body_html == body
    assert article.provenance["body_html"].row == 9
    assert article.language == "ko"
    assert article.description is None  # the head's is the site's tagline
    assert article.extras["paper_url"].startswith("https://arxiv.org/abs/")
    assert article.extras["ai_generated"] is True
    assert {n.name: n.count for n in article.site.navigation}["Review"] > 1000


@pytest.mark.parametrize("path", corpus_params("seeds/00[013]_*.txt"))
def test_seed_markdown_has_the_front_matter_of_seed_002(path: Path) -> None:
    source = next(CORPUS.glob("seeds/002_*.txt")).read_text()
    want_keys = set(yaml.safe_load(source.split("---\n")[1]))
    article = extract_article(path.read_bytes())
    data = yaml.safe_load(article.to_markdown().split("---\n")[1])
    # Every key of the real post that the page carries; excerpt, toc and published are
    # not in the flight payload (../shared/docs/article-extraction.md §0.4).
    assert want_keys - set(data) == {"excerpt", "toc", "toc_sticky", "published"}
    assert data["title"] == article.title
    assert data["tags"] == list(article.tags)
    assert data["categories"] == ["Review"]
    assert data["date"] == article.published.raw
    assert data["permalink"].startswith("/ai/review/")
    assert article.robots == "index, follow"


# ---------------------------------------------------------------- corpus posts


def _html_metadata(html_path: Path) -> dict[str, Any]:
    doc = lxml.html.fromstring(html_path.read_bytes())

    def metas(key: str) -> list[str]:
        return doc.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")

    return {
        "title": (metas("og:title") or [None])[0],
        "description": (metas("description") or [None])[0],
        "published": (metas("article:published_time") or [None])[0],
        "modified": (metas("article:modified_time") or [None])[0],
        "tags": metas("article:tag"),
        "canonical": (doc.xpath("//link[@rel='canonical']/@href") or [None])[0],
        "text": " ".join(doc.body.text_content().split()),
    }


@pytest.mark.parametrize(
    "path", corpus_params("real/next1[45]/posts/*.txt", "real/next1[45]/posts/*.html")
)
def test_corpus_posts_match_their_html_metadata(path: Path) -> None:
    truth = _html_metadata(path.with_suffix(".html"))
    article = extract_article(path.read_bytes())
    assert article.title == truth["title"]
    assert article.description == truth["description"]
    assert article.url == truth["canonical"]
    assert article.published is not None
    assert article.published.value == rsc_flight.extract.parse_date(truth["published"]).value
    if truth["modified"]:
        assert article.modified is not None
        assert article.modified.value == rsc_flight.extract.parse_date(truth["modified"]).value
    assert article.tags == tuple(truth["tags"])
    assert article.body_text
    for block in article.body_text.split("\n\n"):
        assert " ".join(block.split()) in truth["text"]


def test_malformed_urls_never_escape() -> None:
    """urllib raises ValueError on some URLs ("http://[oops"); a page's URLs are data."""
    head = [
        el("link", {"rel": "canonical", "href": "https://[bad/notes/second-post/"}),
        meta("og:url", "http://[oops"),
        meta("og:image", "http://host:port/x.png"),
    ]
    page = el("article", {}, el("h1", {}, "T"), el("a", {"href": "http://[y", "rel": "next"}, "n"))
    article = extract_article(next15(page, head, segments=SEGMENTS), url="http://[caller")
    assert article.title == "T"
    assert article.next is not None
    assert article.next.url == "http://[y"
    assert article.to_markdown().startswith('---\ntitle: "T"')
