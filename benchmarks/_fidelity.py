"""Render-fidelity metrics: how close a rendered page is to the HTML the server sent.

Pure functions of HTML text (``str`` or ``bytes``, decoded as UTF-8), built on lxml and
independent of rsc_flight, so the thing measured does not grade itself.  Both sides go
through the same steps before any comparison, and the steps aim at *the page a person
sees*:

1. React's streaming swaps are applied (:func:`resolve_streaming`): a streamed page sends
   a Suspense fallback in place and the finished content later, in ``<div hidden
   id="S:n">``, moved into place by inline ``$RC``/``$RS`` calls.  Without this step the
   server side of such a page would be its loading spinner.
2. ``script``, ``noscript`` and ``template`` elements and every element with a ``hidden``
   attribute are dropped (their tail text stays: it belongs to the parent).

Then, on what is left:

* **visible text**: the text of the document outside ``<head>``, ``<title>`` and
  ``<style>``, with a space at block-element boundaries (so ``<p>a</p><p>b</p>`` is two
  words and ``Hel<b>lo</b>`` one), zero-width characters and soft hyphens removed,
  whitespace-normalised; compared as a multiset of
  whitespace-separated tokens (:func:`text_f1`).
* **links**: the set of ``a[href]`` values as written, stripped of surrounding space and
  of one trailing ``/`` on the path (``/blog/`` is ``/blog``; ``/`` stays).  Fragment-only
  links (``#section``) are kept: a table of contents is part of the page, and a renderer
  that loses it should score lower.
* **images**: the set of ``img[src]`` values (empty ``src`` ignored).  A Next image-loader
  URL (path ending in ``/_next/image`` with a ``url`` parameter) counts as its decoded
  ``url``, so ``/_next/image?url=%2Fa.png&w=640&q=75`` is ``/a.png``, whatever the width
  and quality.  ``srcset`` (and ``<source>``) is ignored on both sides: it lists the same
  images at other sizes, and ``src`` is what every browser falls back to.

Title and meta description are read from the whole document before any dropping, as a
browser does (``document.title`` is the first ``<title>`` anywhere, not in ``<svg>``), and
compared whitespace-normalised.  The doctype check reads the raw text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import lxml.etree
import lxml.html

__all__ = [
    "PageScore",
    "compare",
    "differences",
    "has_doctype",
    "images",
    "jaccard",
    "links",
    "meta_description",
    "normalise_href",
    "normalise_src",
    "resolve_streaming",
    "text_f1",
    "title",
    "visible_text",
]

Html = str | bytes

DROPPED = ("script", "noscript", "template")
# Not text a person reads on the page (besides the dropped elements).
NOT_TEXT = frozenset({"head", "title", "style", *DROPPED})
# Elements that separate words: text on either side of one is never one token.
BLOCK = frozenset(
    "address article aside blockquote body br caption dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li "
    "legend main menu nav ol option p pre section summary table tbody td tfoot th thead "
    "tr ul".split()
)

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Characters that take no room on screen: a token made of them is no word a person sees.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_DOCTYPE = re.compile(r"\s*<!doctype\s+html\s*>", re.IGNORECASE)
# React's inline runtime calls: $RS(segment, placeholder), $RC/$RR(boundary, segment, ...).
_STREAM_CALL = re.compile(r'\$R([CRS])\(\s*"([^"]+)"\s*,\s*"([^"]+)"')


# -- parsing ------------------------------------------------------------------------------


def _text_of(html: Html) -> str:
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    return _NOT_XML.sub("", text)


def parse_document(html: Html) -> Any | None:
    """The whole document as an lxml tree (a fragment gets its ``<html>``/``<body>``),
    or ``None`` for blank input or input lxml refuses."""
    text = _text_of(html)
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.LxmlError, ValueError):
        return None


def visible_tree(html: Html) -> Any | None:
    """The document as a person sees it: streaming swaps applied, hidden parts dropped."""
    doc = parse_document(html)
    if doc is None:
        return None
    resolve_streaming(doc)
    doomed = list(doc.iter(*DROPPED)) + doc.xpath("//*[@hidden]")
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps el.tail
    return doc


# -- React streaming ----------------------------------------------------------------------


def _by_id(doc: Any, ident: str) -> Any | None:
    found = doc.xpath("//*[@id=$ident]", ident=ident)
    return found[0] if found else None


def _put_content_before(anchor: Any, source: Any) -> None:
    """Move ``source``'s text and children just before ``anchor``, then drop ``source``."""
    parent = anchor.getparent()
    if source.text:
        previous = anchor.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + source.text
        else:
            previous.tail = (previous.tail or "") + source.text
        source.text = None
    index = parent.index(anchor)
    for child in list(source):
        parent.insert(index, child)  # the child's tail moves with it
        index += 1
    if source.getparent() is not None:
        source.drop_tree()


def _fallback_end(template: Any) -> tuple[list[Any], Any | None]:
    """The siblings after a boundary's ``<template id="B:n">`` up to its closing
    ``<!--/$-->`` comment (nested boundaries counted), and that comment."""
    fallback: list[Any] = []
    depth = 0
    for sibling in template.itersiblings():
        if sibling.tag is lxml.etree.Comment:
            text = (sibling.text or "").strip()
            if text == "/$":
                if depth == 0:
                    return fallback, sibling
                depth -= 1
            elif text.startswith("$"):
                depth += 1
        fallback.append(sibling)
    return fallback, None


def _complete_boundary(doc: Any, boundary: str, segment: str) -> None:
    template, source = _by_id(doc, boundary), _by_id(doc, segment)
    if template is None or source is None or template.getparent() is None:
        return
    fallback, end = _fallback_end(template)
    if end is None:
        return
    parent = template.getparent()
    for el in [template, *fallback]:
        parent.remove(el)  # with its tail: the fallback's text goes too
    _put_content_before(end, source)


def _fill_segment(doc: Any, segment: str, placeholder: str) -> None:
    source, target = _by_id(doc, segment), _by_id(doc, placeholder)
    if source is None or target is None or target.getparent() is None:
        return
    if any(ancestor is source for ancestor in target.iterancestors()):
        return
    _put_content_before(target, source)
    target.drop_tree()


def resolve_streaming(doc: Any) -> None:
    """Apply, in document order, the ``$RS``/``$RC``/``$RR`` calls of the page's inline
    scripts, as the browser does while the page streams in: a segment's content replaces
    its placeholder, a completed boundary's content replaces its fallback.  Calls whose
    elements are missing or malformed are skipped (the fallback stays)."""
    calls = [
        call for script in doc.iter("script") for call in _STREAM_CALL.findall(script.text or "")
    ]
    for kind, first, second in calls:
        try:
            if kind == "S":
                _fill_segment(doc, first, second)
            else:
                _complete_boundary(doc, first, second)
        except ValueError:  # lxml refuses a move that would make a cycle
            continue


# -- the metrics --------------------------------------------------------------------------


def _text_from(doc: Any) -> str:
    parts: list[str] = []
    stack: list[Any] = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        if item is not doc and item.tail:
            stack.append(item.tail)
        tag = item.tag
        if not isinstance(tag, str) or tag in NOT_TEXT:
            continue  # comments, processing instructions, invisible elements
        gap = " " if tag in BLOCK else ""
        stack.append(gap)
        stack.extend(reversed(list(item)))
        stack.append(item.text or "")
        stack.append(gap)
    return " ".join(_INVISIBLE.sub("", "".join(parts)).split())


def _links_from(doc: Any) -> set[str]:
    return {normalise_href(a.get("href")) for a in doc.iter("a") if a.get("href") is not None}


def _images_from(doc: Any) -> set[str]:
    sources = (normalise_src(img.get("src") or "") for img in doc.iter("img"))
    return {src for src in sources if src}


def normalise_href(href: str) -> str:
    """An ``href`` as compared: stripped, one trailing ``/`` off the path unless it is ``/``."""
    href = href.strip()
    cut = min((i for i in (href.find("?"), href.find("#")) if i >= 0), default=len(href))
    path, rest = href[:cut], href[cut:]
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    return path + rest


def normalise_src(src: str) -> str:
    """An ``img`` ``src`` as compared: a Next image-loader URL becomes its ``url``."""
    src = src.strip()
    parts = urlsplit(src)
    if parts.path.endswith("/_next/image"):
        urls = parse_qs(parts.query).get("url")
        if urls and urls[0]:
            return urls[0]
    return src


def visible_text(html: Html) -> str:
    """The page's visible text, whitespace-normalised (see the module docstring)."""
    doc = visible_tree(html)
    return "" if doc is None else _text_from(doc)


def links(html: Html) -> set[str]:
    """The normalised ``href`` of every visible ``<a href>``."""
    doc = visible_tree(html)
    return set() if doc is None else _links_from(doc)


def images(html: Html) -> set[str]:
    """The normalised ``src`` of every visible ``<img>`` (``srcset`` ignored)."""
    doc = visible_tree(html)
    return set() if doc is None else _images_from(doc)


def _outside(el: Any, tags: Iterable[str]) -> bool:
    return not any(ancestor.tag in tags for ancestor in el.iterancestors())


def _title_from(doc: Any) -> str | None:
    for el in doc.iter("title"):
        if _outside(el, ("svg", "template")):
            return " ".join(el.text_content().split())
    return None


def _description_from(doc: Any) -> str | None:
    for el in doc.iter("meta"):
        if (el.get("name") or "").strip().lower() == "description" and _outside(el, ("template",)):
            return " ".join((el.get("content") or "").split())
    return None


def title(html: Html) -> str | None:
    """``document.title``: the first ``<title>`` not in ``<svg>``, normalised; or None."""
    doc = parse_document(html)
    return None if doc is None else _title_from(doc)


def meta_description(html: Html) -> str | None:
    """The ``content`` of the first ``<meta name="description">``, normalised; or None."""
    doc = parse_document(html)
    return None if doc is None else _description_from(doc)


def has_doctype(html: Html) -> bool:
    """Whether the text starts (after blanks and a BOM) with ``<!DOCTYPE html>``."""
    return _DOCTYPE.match(_text_of(html).lstrip("\ufeff")) is not None


def jaccard(a: set[str], b: set[str]) -> float:
    """``|a ∩ b| / |a ∪ b|``; two empty sets are equal, so 1.0."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def text_f1(a: str, b: str) -> float:
    """Token-level F1 of two texts: the tokens (split on whitespace) as multisets, so
    ``2 · common / (len a + len b)``.  Symmetric; two empty texts score 1.0."""
    left, right = Counter(a.split()), Counter(b.split())
    total = left.total() + right.total()
    if total == 0:
        return 1.0
    return 2 * (left & right).total() / total


# -- one page -----------------------------------------------------------------------------


@dataclass
class PageScore:
    """How one rendered page compares with the page the server sent."""

    title_server: str | None = None
    title_rendered: str | None = None
    description_server: str | None = None
    description_rendered: str | None = None
    doctype: bool = False
    links: float = 0.0
    images: float = 0.0
    text: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None

    @property
    def title_ok(self) -> bool | None:
        """Titles equal; None when the server page has none (nothing to match)."""
        return None if self.title_server is None else self.title_server == self.title_rendered

    @property
    def description_ok(self) -> bool | None:
        """Descriptions equal; None when the server page has none."""
        if self.description_server is None:
            return None
        return self.description_server == self.description_rendered


def _sides(server_html: Html, rendered_html: Html) -> tuple[Any, Any]:
    empty = lxml.html.document_fromstring("<html></html>")
    server = visible_tree(server_html)
    rendered = visible_tree(rendered_html)
    return (empty if server is None else server), (empty if rendered is None else rendered)


def compare(server_html: Html, rendered_html: Html) -> PageScore:
    """Score ``rendered_html`` against ``server_html`` on every metric."""
    raw_server = parse_document(server_html)
    raw_rendered = parse_document(rendered_html)
    server, rendered = _sides(server_html, rendered_html)
    server_links, rendered_links = _links_from(server), _links_from(rendered)
    server_images, rendered_images = _images_from(server), _images_from(rendered)
    server_text, rendered_text = _text_from(server), _text_from(rendered)
    return PageScore(
        title_server=None if raw_server is None else _title_from(raw_server),
        title_rendered=None if raw_rendered is None else _title_from(raw_rendered),
        description_server=None if raw_server is None else _description_from(raw_server),
        description_rendered=None if raw_rendered is None else _description_from(raw_rendered),
        doctype=has_doctype(rendered_html),
        links=jaccard(server_links, rendered_links),
        images=jaccard(server_images, rendered_images),
        text=text_f1(server_text, rendered_text),
        counts={
            "links_server": len(server_links),
            "links_rendered": len(rendered_links),
            "images_server": len(server_images),
            "images_rendered": len(rendered_images),
            "words_server": len(server_text.split()),
            "words_rendered": len(rendered_text.split()),
        },
    )


def differences(server_html: Html, rendered_html: Html) -> dict[str, list[str]]:
    """What the rendered page lacks and adds: links, images and text tokens (each token
    once per extra occurrence), for diagnosing a low score."""
    server, rendered = _sides(server_html, rendered_html)
    sl, rl = _links_from(server), _links_from(rendered)
    si, ri = _images_from(server), _images_from(rendered)
    st, rt = Counter(_text_from(server).split()), Counter(_text_from(rendered).split())
    return {
        "links_missing": sorted(sl - rl),
        "links_extra": sorted(rl - sl),
        "images_missing": sorted(si - ri),
        "images_extra": sorted(ri - si),
        "words_missing": sorted((st - rt).elements()),
        "words_extra": sorted((rt - st).elements()),
    }
