"""Every field of every post of our own Next.js blog, built with Next 14, 15 and 16.

The fixtures and ``expected.json`` come from ``scripts/node/next-blog`` (see
``scripts/node/README.md``); the expectations are written from the blog's source data
(``lib/posts.js``), not from this library's output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rsc_flight import extract_article, parse, render_page
from rsc_flight.extract import parse_date

from .conftest import DATA

BLOG = DATA / "next_blog"
EXPECTED = json.loads((BLOG / "expected.json").read_text())
CASES = [
    pytest.param(version, post, ext, id=f"{version}/{post['route']}.{ext}")
    for version in sorted(EXPECTED["versions"])
    for post in EXPECTED["posts"]
    for ext in ("txt", "html")
]


@pytest.mark.parametrize(("version", "post", "ext"), CASES)
def test_every_field(version: str, post: dict[str, Any], ext: str) -> None:
    path: Path = BLOG / version / f"{post['route']}.{ext}"
    article = extract_article(path.read_bytes())
    assert article.url == post["url"]
    assert article.title == post["title"]
    assert article.description == post["description"]
    assert [a.name for a in article.authors] == post["authors"]
    assert article.published is not None
    assert article.published.value == parse_date(post["published"]).value
    if post["modified"] is None:
        assert article.modified is None
    else:
        assert article.modified is not None
        assert article.modified.value == parse_date(post["modified"]).value
    assert list(article.tags) == post["tags"]
    assert [c.name for c in article.categories] == [post["category"]]
    assert article.categories[0].url == post["url"].rsplit("/", 2)[0] + "/"
    assert article.language == post["language"]
    assert article.image == post["image"]
    # posts.js sets robots (index, follow) only for the post with `richMetadata`.
    rich = post["route"] == "notes/full-metadata"
    assert article.robots == ("index, follow" if rich else None)
    assert (article.prev.url if article.prev else None) == post["prev"]
    assert (article.next.url if article.next else None) == post["next"]
    if post["body_html"] is not None:
        assert article.body_html == post["body_html"]
    assert article.body_text is not None
    for phrase in post["body_text_contains"]:
        assert phrase in article.body_text
    assert bool(article.json_ld) is post["has_json_ld"]
    assert article.site.origin == EXPECTED["site"]["origin"]
    if post["metadata"] != "generateMetadata":
        # The head carries the site's values here, and the extractor said so.
        assert article.canonical_url == EXPECTED["site"]["origin"] + "/"
        assert article.warnings


@pytest.mark.parametrize("version", sorted(EXPECTED["versions"]))
def test_not_found_page_has_no_article(version: str) -> None:
    """Next's not-found page says so (issue 16): its status is ``not_found``, with the
    reason, whatever text the page shows."""
    article = extract_article((BLOG / version / "404.html").read_bytes())
    assert article.title != "Flight Journal"
    assert article.status == "not_found"
    assert any(w.startswith("not found: ") for w in article.warnings)


@pytest.mark.parametrize("version", sorted(EXPECTED["versions"]))
def test_render_page_puts_the_post_in_its_layout(version: str) -> None:
    """Every version's segments, 16.4's segment tree included, are assembled in place."""
    post = EXPECTED["posts"][0]
    payload = parse((BLOG / version / f"{post['route']}.txt").read_bytes())
    html = render_page(payload.root)
    assert html is not None
    main = html.index('<main class="content">')
    assert html.index(post["body_html"]) > main
    assert html.index("<h1>" + post["title"]) > main


@pytest.mark.parametrize("post", EXPECTED["posts"][:2], ids=lambda p: p["route"])
def test_next16_segment_files(post: dict[str, Any]) -> None:
    """Next 16's per-segment prefetch files: the route tree alone, and the page segment."""
    folder = BLOG / "next16_segments" / post["route"]
    tree = extract_article((folder / "tree.txt").read_bytes())
    assert tree.route.path == "/" + post["route"]
    assert tree.title is None
    page = extract_article((folder / "page.txt").read_bytes())
    assert page.title == post["title"]
    assert page.body_html == post["body_html"]
