"""The generic extractor: article fields of any Next.js app-router page, no site rule.

It reads the evidence a payload carries, in every Next version: the Metadata API's head
entries (Next 14's head row, 15's metadata boundaries and streamed metadata rows, 16's
``Next.Metadata`` boundary), a layout's literal ``<head>``, tags React 19 hoists from the
page, JSON-LD anywhere, and the page segment's own markup (``h1``, ``<time dateTime>``,
tag lists, the body's ``dangerouslySetInnerHTML``), plus the route the router knows.

Many sites set metadata only in the root layout, so every page's head says the site's
name, tagline and root URL.  HTML extractors believe it (``docs/extraction.md``).  Here
each head value is first tested against the page: a canonical or ``og:url`` whose path is
not the route's, an OpenGraph ``website`` block on a dynamic route, a title equal to the
site's name: these describe the site, go to the :class:`SiteSnapshot`, and the page's own
markup is used instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import FlightLimitError
from ..nextjs.page import Node, Region
from ..tree.render import render_html
from .dates import Timestamp, parse_date
from .model import Category, Link, NavEntry, Person, Provenance, SiteSnapshot
from .rules import Candidate, RuleContext
from .urls import path as url_path
from .urls import split

__all__ = ["generic_fields"]

_HEAD_TAGS = frozenset({"title", "meta", "link", "base"})
_SOURCE = {
    Region.HEAD: "head",
    Region.OTHER: "head",
    Region.LAYOUT_HEAD: "layout_head",
    Region.PAGE: "hoisted",
    Region.LAYOUT: "hoisted",
}
_ATTRIBUTE_NAMES = {"httpEquiv": "http-equiv", "acceptCharset": "accept-charset"}
_ARTICLE_TYPES = re.compile(
    r"(?:\w*Article|BlogPosting|SocialMediaPosting|LiveBlogPosting|Report|Review|HowTo|Recipe)"
)
_SUFFIX_SEPARATORS = (" | ", " · ", " - ", " — ", " – ", " :: ", " » ", " / ")
_PREV_LABELS = ("이전글", "이전", "previous", "prev", "older", "←", "«", "前の記事", "上一篇")
_NEXT_LABELS = ("다음글", "다음", "next", "newer", "→", "»", "次の記事", "下一篇")
_UPDATED_LABELS = re.compile(
    r"^(?:last\s+)?(?:updated|modified|edited|수정(?:일)?|업데이트|更新(?:日)?|最終更新日?|"
    r"mis\s+à\s+jour|aktualisiert|actualizado)\s*[:：]?\s*",
    re.IGNORECASE,
)
_COUNT = re.compile(r"^(?P<name>.*?)\s*\(\s*(?P<count>\d[\d,]*)\s*\)$")
_BODY_CLASS = re.compile(r"content|prose|post|entry|article|markdown|body", re.IGNORECASE)
_TAG_CLASS = re.compile(r"tag|taxonomy|keyword", re.IGNORECASE)
_SLUG_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")


def head_entries(context: RuleContext) -> list[tuple[dict[str, str], Node]]:
    """``title``/``meta``/``link`` entries with their HTML attribute names and source."""
    out = []
    for node in context.page.nodes:
        if node.tag not in _HEAD_TAGS:
            continue
        entry = {"tag": node.tag, "source": _SOURCE[node.region]}
        for name, value in node.props.items():
            if isinstance(value, str) and name not in ("children", "key"):
                entry[_ATTRIBUTE_NAMES.get(name, name.lower())] = value
        if node.tag == "title":
            entry["text"] = context.text(node)
        out.append((entry, node))
    # Metadata API output first, then hoisted tags, then a layout's literal <head>.
    order = {"head": 0, "hoisted": 1, "layout_head": 2}
    out.sort(key=lambda item: order[item[0]["source"]])
    return out


def json_ld(context: RuleContext) -> Iterator[tuple[Any, Node]]:
    """Every JSON-LD object in the page (``@graph`` members included)."""
    for node in context.page.nodes:
        if node.tag != "script" or node.props.get("type") != "application/ld+json":
            continue
        inner = node.props.get("dangerouslySetInnerHTML")
        text = inner.get("__html") if isinstance(inner, dict) else node.props.get("children")
        if not isinstance(text, str):
            continue
        try:
            data = json.loads(text)
        except ValueError:
            context.shared.setdefault("warnings", []).append(
                f"JSON-LD in row {node.row:x} is not valid JSON"
                if node.row is not None
                else "a JSON-LD script is not valid JSON"
            )
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            elif isinstance(item, dict):
                yield item, node
                if isinstance(item.get("@graph"), list):
                    stack[:0] = item["@graph"]


class _Evidence:
    """The head and JSON-LD of one page, with the site-level judgments made once."""

    def __init__(self, context: RuleContext) -> None:
        self.context = context
        self.entries = head_entries(context)
        self.ld = list(json_ld(context))
        self.article_ld: tuple[dict[str, Any], Node] | None = next(
            ((item, node) for item, node in self.ld if _is_article(item)), None
        )
        page = context.page
        self.route_path = page.route_path
        self.site_name = self.meta("og:site_name", "application-name")
        self.canonical = self.link("canonical")
        og_url = self.meta("og:url")
        self.canonical_site = self._other_path(self.canonical)
        og_website = self.meta("og:type") == "website" and bool(page.params)
        self.og_site = og_website or self._other_path(og_url)
        self.og_url = og_url

    def meta(self, *keys: str) -> str | None:
        found = self.meta_entry(*keys)
        return found[0]["content"] if found else None

    def meta_entry(self, *keys: str) -> tuple[dict[str, str], Node] | None:
        for key in keys:
            for entry, node in self.entries:
                if (
                    entry["tag"] == "meta"
                    and key in (entry.get("name"), entry.get("property"))
                    and entry.get("content")
                ):
                    return entry, node
        return None

    def metas(self, key: str) -> list[str]:
        return [
            entry["content"]
            for entry, _ in self.entries
            if entry["tag"] == "meta"
            and key in (entry.get("name"), entry.get("property"))
            and entry.get("content")
        ]

    def link(self, rel: str) -> str | None:
        for entry, _ in self.entries:
            if entry["tag"] == "link" and rel in entry.get("rel", "").split():
                href = entry.get("href")
                if href:
                    return href
        return None

    def title(self) -> tuple[str, dict[str, str], Node] | None:
        for entry, node in self.entries:
            if entry["tag"] == "title" and entry.get("text"):
                return entry["text"], entry, node
        return None

    def _other_path(self, url: str | None) -> bool:
        if url is None or self.route_path is None:
            return False
        return _norm_path(url_path(url)) != _norm_path(self.route_path)

    def candidate(self, value: Any, source: str, detail: str, node: Node | None) -> Candidate:
        row = node.row if node is not None else None
        return Candidate(value, Provenance("generic", source, row, detail))

    def from_meta(self, keys: tuple[str, ...], parse: Any = None) -> Candidate | None:
        found = self.meta_entry(*keys)
        if found is None:
            return None
        entry, node = found
        value = parse(entry["content"]) if parse is not None else entry["content"]
        if value is None:
            return None
        name = entry.get("property") or entry.get("name") or "?"
        return self.candidate(value, entry["source"], name, node)

    def from_ld(self, key: str, convert: Any = None) -> Candidate | None:
        if self.article_ld is None:
            return None
        item, node = self.article_ld
        value = item.get(key)
        if convert is not None and value is not None:
            value = convert(value)
        if value in (None, "", [], ()):
            return None
        return self.candidate(value, "json_ld", key, node)


def _norm_path(path: str) -> str:
    return "/" + path.strip("/")


def _is_article(item: Mapping[str, Any]) -> bool:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and _ARTICLE_TYPES.fullmatch(k) for k in kinds)


def _strip_site(title: str, site: str | None) -> str:
    if site:
        for separator in _SUFFIX_SEPARATORS:
            if title.endswith(separator + site) and len(title) > len(separator + site):
                return title[: -len(separator + site)].strip()
    return title


def _ld_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _ld_text(value.get("name") or value.get("url") or value.get("@id"))
    if isinstance(value, list) and value:
        return _ld_text(value[0])
    return None


def _ld_people(value: Any) -> tuple[Person, ...] | None:
    items = value if isinstance(value, list) else [value]
    people = []
    for item in items:
        if isinstance(item, str) and item.strip():
            people.append(Person(item.strip()))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            url = item.get("url")
            people.append(Person(item["name"].strip(), url if isinstance(url, str) else None))
    return tuple(people) or None


def _ld_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()] or None
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()] or None
    return None


def _ld_date(value: Any) -> Timestamp | None:
    return parse_date(value) if isinstance(value, str) else None


def generic_fields(context: RuleContext) -> dict[str, Candidate]:
    """The generic rule: candidates for every field it can find evidence for."""
    ev = _Evidence(context)
    page = context.page
    shared = context.shared
    shared["head"] = tuple(entry for entry, _ in ev.entries)
    shared["json_ld"] = tuple(item for item, _ in ev.ld)
    warnings: list[str] = shared.setdefault("warnings", [])
    if page.truncated:
        warnings.append(
            f"elements nested deeper than max_depth={context.limits.max_depth} were not read"
        )
    out: dict[str, Candidate] = {}

    def put(name: str, *candidates: Candidate | None) -> None:
        for candidate in candidates:
            if candidate is not None and candidate.value not in (None, "", (), []):
                out[name] = candidate
                return

    article = _article_root(context)
    in_article = [article, *article.descendants()] if article is not None else []
    page_nodes = [n for n in context.content_nodes if n.region is Region.PAGE]
    scope = in_article or page_nodes

    # --- site, canonical, url
    site_description = None
    title_entry = ev.title()
    head_title = title_entry[0] if title_entry is not None else None
    site_name = ev.site_name
    if ev.canonical_site:
        warnings.append(
            f"canonical URL {ev.canonical} is not this page's path {ev.route_path}: a site default"
        )
    if ev.og_site:
        warnings.append("the OpenGraph tags describe the site, not this page")
    canonical = ev.canonical
    shared["canonical"] = canonical
    origin = _origin(canonical) or _origin(ev.og_url) or _origin(context.url)
    url: Candidate | None = None
    if canonical and not ev.canonical_site:
        url = ev.candidate(context.absolute(canonical), "head", "canonical", None)
    elif ev.og_url and not ev.og_site:
        url = ev.candidate(ev.og_url, "head", "og:url", None)
    elif context.url:
        url = Candidate(context.url, Provenance("generic", "caller"))
    elif origin and ev.route_path is not None:
        path = ev.route_path
        if path != "/" and _trailing_slash(context):
            path += "/"
        url = Candidate(origin + path, Provenance("generic", "route", 0, page.route_pattern))
    put("url", url)
    if url is not None:
        context.found["url"] = url  # later lookups resolve links against it

    # --- title
    h1 = _first(scope, lambda n: n.tag == "h1") or _only(page_nodes, lambda n: n.tag == "h1")
    title_candidates: list[Candidate | None] = [ev.from_ld("headline", _ld_text)]
    if h1 is not None and context.text(h1):
        title_candidates.append(
            Candidate(context.text(h1), Provenance("generic", "article", h1.row, "h1"))
        )
    og_title = ev.from_meta(("og:title", "twitter:title"))
    if og_title is not None and not ev.og_site and og_title.value != site_name:
        title_candidates.append(og_title)
    if title_entry is not None and head_title != site_name:
        stripped = _strip_site(title_entry[0], site_name)
        if stripped != head_title or not ev.og_site:
            title_candidates.append(
                ev.candidate(stripped, title_entry[1]["source"], "title", title_entry[2])
            )
    put("title", *title_candidates)
    site_name_source = "og:site_name"
    if site_name is None and title_entry is not None and ev.og_site:
        site_name, site_name_source = head_title, "title"
    put("site_name", Candidate(site_name, Provenance("generic", "head", None, site_name_source)))

    # --- description: never the first paragraph; only what the page says of itself
    description = ev.from_meta(("description", "og:description", "twitter:description"))
    # With a site-wide OpenGraph block and the site's name as title, the page set no
    # metadata of its own: the description is the layout's.  (Next copies a page's own
    # description into og:description, so the two being equal proves nothing.)
    title_is_site = head_title is None or head_title == site_name
    if description is not None and ev.og_site and title_is_site:
        site_description = description.value
        description = None
    put("description", ev.from_ld("description", _ld_text), description)

    # --- authors: structured metadata, unless a byline in the article contradicts it
    # (a layout's `authors` is inherited by every page that does not set its own).
    by_candidate = _byline(context, in_article)
    authors = None
    metas = ev.metas("author")
    if metas and not ev.og_site:
        authors = ev.from_meta(("author",), lambda _: tuple(Person(name) for name in metas))
        byline_text = context.text(by_candidate.value[1]) if by_candidate is not None else ""
        if by_candidate is not None and not any(name in byline_text for name in metas):
            authors = None
    put(
        "authors",
        ev.from_ld("author", _ld_people),
        authors,
        ev.from_meta(("article:author",), lambda v: (Person(v),)),
        Candidate(by_candidate.value[0], by_candidate.provenance) if by_candidate else None,
    )

    # --- dates
    published_time = _time(context, scope, ("datePublished", "pubdate", "published"))
    put(
        "published",
        ev.from_ld("datePublished", _ld_date),
        ev.from_meta(("article:published_time", "og:published_time", "date"), parse_date),
        published_time,
        _slug_date(page),
    )
    put(
        "modified",
        ev.from_ld("dateModified", _ld_date),
        ev.from_meta(("article:modified_time", "og:updated_time", "last-modified"), parse_date),
        _time(context, scope, ("dateModified", "updated", "modified"), strict=True),
        _labelled_date(context, scope, published_time),
    )

    # --- language
    html = _first(context.content_nodes, lambda n: n.tag == "html" and bool(n.props.get("lang")))
    locale = ev.meta("og:locale")
    put(
        "language",
        Candidate(html.props["lang"], Provenance("generic", "layout", html.row, "html[lang]"))
        if html is not None
        else None,
        ev.candidate(locale.replace("_", "-"), "head", "og:locale", None) if locale else None,
        ev.from_ld("inLanguage", _ld_text),
    )

    # --- tags
    article_tags = ev.metas("article:tag")
    keywords = ev.from_meta(("keywords",), lambda v: [t.strip() for t in v.split(",") if t.strip()])
    if ev.og_site:
        keywords = None
    put(
        "tags",
        ev.from_ld("keywords", _ld_list),
        ev.candidate(article_tags, "head", "article:tag", None) if article_tags else None,
        _taxonomy(context, scope),
        keywords,
    )

    # --- categories, and the site's navigation with its counts
    nav = _nav_categories(context, article)
    shared["site"] = SiteSnapshot(
        name=site_name,
        origin=origin,
        description=site_description,
        build_id=page.build_id,
        navigation=tuple(nav),
    )
    put(
        "categories",
        ev.from_ld("articleSection", lambda v: [Category(s) for s in (_ld_list(v) or [])]),
        ev.from_meta(("article:section", "category"), lambda v: [Category(v)]),
        _nav_category(context, nav),
    )
    if "categories" in out:  # a named category the navigation shows gets its URL and group
        by_name = {entry.name.casefold(): entry for entry in nav}
        named = out["categories"]
        enriched = [
            Category(c.name, entry.url, entry.parent)
            if c.url is None and (entry := by_name.get(c.name.casefold())) is not None
            else c
            for c in named.value
        ]
        out["categories"] = Candidate(enriched, named.provenance)

    # --- image
    image = ev.from_meta(("og:image", "twitter:image"), context.absolute)
    if image is not None and ev.og_site:
        image = None
    put(
        "image",
        ev.from_ld("image", lambda v: context.absolute(t) if (t := _ld_text(v)) else None),
        image,
    )

    put("robots", ev.from_meta(("robots",)))

    # --- body, and prev/next outside it
    body, body_node = _body(context, scope)
    put("body_html", body)
    prev_link, next_link = _neighbours(context, ev, page_nodes, body_node)
    put("prev", prev_link)
    put("next", next_link)
    return out


def _origin(url: str | None) -> str | None:
    if not url:
        return None
    parts = split(url)
    if parts is None:
        return None
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def _first(nodes: list[Node], test: Any) -> Node | None:
    return next((n for n in nodes if test(n)), None)


def _only(nodes: list[Node], test: Any) -> Node | None:
    found = [n for n in nodes if test(n)]
    return found[0] if len(found) == 1 else None


def _article_root(context: RuleContext) -> Node | None:
    """The page's ``<article>`` (the largest one), else its ``<main>``."""
    for tag in ("article", "main"):
        nodes = [n for n in context.content_nodes if n.tag == tag and n.region is Region.PAGE]
        if nodes:
            return max(nodes, key=lambda n: n.size)  # the largest, by elements held
    return None


def _trailing_slash(context: RuleContext) -> bool:
    """Whether the site's internal links end with ``/`` (``trailingSlash: true``)."""
    with_slash = without = 0
    for node in context.content_nodes:
        href = node.props.get("href")
        if isinstance(href, str) and href.startswith("/") and not href.startswith("//"):
            path = href.split("?", 1)[0].split("#", 1)[0]
            if path == "/" or "." in path.rsplit("/", 1)[-1]:
                continue
            if path.endswith("/"):
                with_slash += 1
            else:
                without += 1
    return with_slash > without


_BY = re.compile(
    r"^(?:(?:written\s+)?by|von|par|por|작성자|글쓴이|글|著者|作者)\s*[:：]?\s+", re.IGNORECASE
)
_NAME_SEPARATORS = re.compile(r"\s*(?:,|&|\band\b|·|、|및)\s*")


def _byline(context: RuleContext, scope: list[Node]) -> Candidate | None:
    """Authors named in a byline of the article (``rel=author``, class ``author``/``byline``),
    with the node they came from; names of several people are split."""
    for node in scope:
        rel = node.props.get("rel")
        if not (
            (isinstance(rel, str) and "author" in rel.split())
            or any(c in ("author", "byline", "p-author", "author-name") for c in node.classes)
        ):
            continue
        text = _BY.sub("", context.text(node)).strip()
        names = [name for name in _NAME_SEPARATORS.split(text) if name] if text else []
        if names and all(len(name) <= 80 for name in names):
            people = tuple(Person(name) for name in names)
            return Candidate((people, node), Provenance("generic", "article", node.row, "byline"))
    return None


def _time(
    context: RuleContext, scope: list[Node], hints: tuple[str, ...], *, strict: bool = False
) -> Candidate | None:
    """A ``<time dateTime>``: one marked with a hint (itemProp, class) first; unless
    ``strict``, else the first in the article."""
    times = [n for n in scope if n.tag == "time" and isinstance(n.props.get("dateTime"), str)]
    marked = [
        n
        for n in times
        if n.props.get("itemProp") in hints
        or any(h.lower() in (c.lower() for c in n.classes) for h in hints)
        or any(h in n.props for h in hints if h == "pubdate")
    ]
    chosen = marked[0] if marked else (None if strict else (times[0] if times else None))
    if chosen is None:
        return None
    stamp = parse_date(chosen.props["dateTime"])
    if stamp is None:
        return None
    return Candidate(stamp, Provenance("generic", "time", chosen.row, "time[dateTime]"))


def _labelled_date(
    context: RuleContext, scope: list[Node], published: Candidate | None
) -> Candidate | None:
    """A date after an "Updated:" label ("수정: 2025년 10월 21일") near the title."""
    for node in scope:
        # A label and its date are a small element; large ones are not read (cost).
        if node.tag not in ("span", "p", "div", "small", "time", "li", "em") or node.size > 4:
            continue
        text = context.text(node)
        match = _UPDATED_LABELS.match(text)
        if match is None or len(text) > 80:
            continue
        stamp = parse_date(text[match.end() :], search=True)
        if stamp is not None:
            return Candidate(stamp, Provenance("generic", "article", node.row, "updated label"))
    return None


def _slug_date(page: Any) -> Candidate | None:
    path = page.route_path or ""
    match = _SLUG_DATE.search(path)
    if match is None:
        return None
    stamp = parse_date(match[0])
    if stamp is None:
        return None
    return Candidate(stamp, Provenance("generic", "route", 0, "date in the URL"))


def _taxonomy(context: RuleContext, scope: list[Node]) -> Candidate | None:
    """Tag lists in the article: ``a[rel=tag]``, ``/tags/`` links, ``tag``/``taxonomy``
    classes; the innermost matches, text without a leading ``#``."""

    def is_tag(node: Node) -> bool:
        href = node.props.get("href")
        rel = node.props.get("rel")
        return (
            (isinstance(rel, str) and "tag" in rel.split())
            or (isinstance(href, str) and re.search(r"/tags?/[^/]", href) is not None)
            or any(_TAG_CLASS.search(c) for c in node.classes)
        )

    matches = [n for n in scope if is_tag(n)]
    chosen = {id(n) for n in matches}
    leaves = [n for n in matches if not any(id(d) in chosen for d in n.descendants())]
    tags: list[str] = []
    for node in leaves:
        text = context.text(node).lstrip("#").strip()
        if node.key and node.key.lstrip("#") == text:
            text = node.key
        if text and len(text) <= 100 and text not in tags:
            tags.append(text)
    if not tags:
        return None
    row = leaves[0].row
    return Candidate(tags, Provenance("generic", "article", row, "tag list"))


def _link_nodes(nodes: list[Node]) -> list[Node]:
    return [n for n in nodes if isinstance(n.props.get("href"), str) and n.props["href"]]


def _nav_categories(context: RuleContext, article: Node | None) -> list[NavEntry]:
    """Navigation links outside the article, with a parent group and a shown count."""
    inside = {id(n) for n in article.descendants()} if article is not None else set()
    out: list[NavEntry] = []
    for node in _link_nodes(context.content_nodes):
        if id(node) in inside or not any(a.tag in ("nav", "aside") for a in node.ancestors()):
            continue
        text = context.text(node)
        match = _COUNT.match(text)
        name, count = (
            (match["name"], int(match["count"].replace(",", ""))) if match else (text, None)
        )
        if not name:
            continue
        parent = _group_heading(context, node)
        out.append(NavEntry(name, context.absolute(node.props["href"]), parent, count))
    return out


def _group_heading(context: RuleContext, node: Node) -> str | None:
    """The heading that names the group a navigation link sits in: the nearest heading
    before the link's branch, looking outwards up to the ``nav``/``aside``."""
    branch = node
    for ancestor in node.ancestors():
        index = next((i for i, c in enumerate(ancestor.children) if c is branch), 0)
        for sibling in reversed(ancestor.children[:index]):
            if sibling.tag in ("h2", "h3", "h4", "h5", "h6"):
                return context.text(sibling) or None
        if ancestor.tag in ("nav", "aside"):
            return None
        branch = ancestor
    return None


def _nav_category(context: RuleContext, nav: list[NavEntry]) -> Candidate | None:
    """The navigation entry whose URL path is the longest prefix of the page's."""
    url = context.current("url")
    if not isinstance(url, str):
        return None
    path = _norm_path(url_path(url))
    best: NavEntry | None = None
    for entry in nav:
        entry_path = _norm_path(url_path(entry.url or ""))
        if (
            entry_path != "/"
            and path.startswith(entry_path + "/")
            and (best is None or len(entry_path) > len(_norm_path(url_path(best.url or ""))))
        ):
            best = entry
    if best is None:
        return None
    category = Category(best.name, best.url, best.parent)
    return Candidate([category], Provenance("generic", "nav", None, "navigation prefix of the URL"))


def _body(context: RuleContext, scope: list[Node]) -> tuple[Candidate | None, Node | None]:
    """The body: the largest ``dangerouslySetInnerHTML`` in the article, else the
    rendered content container of the article's element tree."""
    best: tuple[int, Node, str] | None = None
    for node in scope:
        if node.tag in ("script", "style", "template", "noscript"):
            continue
        inner = node.props.get("dangerouslySetInnerHTML")
        html = inner.get("__html") if isinstance(inner, dict) else None
        if isinstance(html, str) and html.strip() and (best is None or len(html) > best[0]):
            best = (len(html), node, html)
    if best is not None:
        _, node, html = best
        return Candidate(
            html, Provenance("generic", "inner_html", node.row, "dangerouslySetInnerHTML")
        ), node
    containers = [
        n
        for n in scope
        if n.tag in ("div", "section") and any(_BODY_CLASS.search(c) for c in n.classes)
    ]
    if containers:
        node = max(containers, key=lambda n: n.size)
        try:
            html = render_html(node.props.get("children"), limits=context.limits)
        except FlightLimitError as exc:  # a body too deep or too large to render
            context.shared.setdefault("warnings", []).append(f"the body was not rendered: {exc}")
            return None, None
        if html.strip():
            return Candidate(
                html, Provenance("generic", "article", node.row, "content container")
            ), node
    return None, None


def _neighbours(
    context: RuleContext, ev: _Evidence, page_nodes: list[Node], body: Node | None
) -> tuple[Candidate | None, Candidate | None]:
    """Previous/next: ``rel`` links in the head or the page, else links next to labels."""
    inside = {id(n) for n in body.descendants()} if body is not None else set()
    links = [
        n
        for n in _link_nodes(page_nodes)
        if id(n) not in inside and not any(a.tag == "aside" for a in n.ancestors())
    ]
    found: dict[str, Candidate] = {}
    for rel in ("prev", "next"):
        href = ev.link(rel)
        if href:
            found[rel] = Candidate(
                Link(context.absolute(href), None, rel),
                Provenance("generic", "head", None, f"link[rel={rel}]"),
            )
            continue
        for node in links:
            rels = node.props.get("rel")
            if isinstance(rels, str) and rel in rels.split():
                found[rel] = Candidate(
                    Link(context.absolute(node.props["href"]), context.text(node) or None, rel),
                    Provenance("generic", "article", node.row, f"[rel={rel}]"),
                )
                break
    for rel, labels in (("prev", _PREV_LABELS), ("next", _NEXT_LABELS)):
        if rel in found:
            continue
        for node in links:
            holder = (
                node.parent
                if node.parent is not None and node.parent.tag in ("li", "p", "div", "span")
                else node
            )
            text = context.text(holder).lower()
            if any(
                text.startswith(label.lower()) or text.endswith(label.lower()) for label in labels
            ):
                if (
                    rel == "next"
                    and "prev" in found
                    and found["prev"].value.url == context.absolute(node.props["href"])
                ):
                    continue
                found[rel] = Candidate(
                    Link(context.absolute(node.props["href"]), context.text(node) or None, rel),
                    Provenance("generic", "article", node.row, "labelled link"),
                )
                break
    return found.get("prev"), found.get("next")
