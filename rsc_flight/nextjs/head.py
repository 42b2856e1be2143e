"""Where a Next.js payload keeps the page's tree and its head, and the document around them.

A page's ``<title>`` and ``<meta>`` tags do not travel inside its element tree: Next sends
them beside it, as the *head* of a flight data path (``[…segmentPath, routerState,
seedData, head, …]``), as the ``initialHead`` prop of 14.x's ``AppRouter``, or (16.4) under
the root's ``t.h.r``.  From 15.2 the head holds ``ViewportBoundary`` and
``MetadataBoundary`` wrappers, the metadata often inside a ``<div hidden>``.  In a browser
React 19 hoists title, meta, link and async script tags into ``<head>`` wherever they are
rendered; the renderer does that for a document (a tree with an ``<html>`` root), so
rendering the head *beside* the page's tree is enough for them to land in ``<head>``.

What is not hoisted from the head (the emptied ``<div hidden>``) would come out before
``<html>``; Next renders it first in ``<body>``, and :func:`finish_document` moves it there
and puts ``<!DOCTYPE html>`` in front, as every server-rendered page starts.

Payload shapes, all versions (facts from Next's app-render types and real payloads):

* HTML pages of 14.x: row 0 is the ``AppRouter`` element (``initialSeedData``,
  ``initialHead``), alone or after the stylesheet links (``[links or null, element]``);
* navigation (``RSC: 1``) responses and ``.txt`` exports: flight data paths under row 0
  (``[buildId, [path…]]`` up to 14.x, ``{"f": [path…]}`` from 15), each path a segment
  prefix (``"children", "posts", …``), then router state, seed data, head;
* 13.x: the path's data is the element tree itself, its layout routers carrying their
  child in ``childProp.current`` (no seed data);
* 16.x per-segment prefetch files (``__next.<segment>.__PAGE__.txt``): ``{"rsc": node, …}``,
  one segment's tree and nothing else.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from ..model.values import Element, unwrap

__all__ = ["PageParts", "finish_document", "page_parts"]

DOCTYPE = "<!DOCTYPE html>"
_HTML_START = re.compile(r"<html[\s>]")
_BODY_START = re.compile(r"<body(?:\s[^>]*)?>")


@attrs.frozen
class PageParts:
    """A payload's page: ``seed`` (seed data: its segments are assembled) or ``node`` (an
    element tree rendered as it is), and the ``head`` rendered beside it; ``found`` says
    whether the payload had a Next.js shape at all."""

    seed: Any = None
    node: Any = None
    head: Any = None
    found: bool = True

    @property
    def empty(self) -> bool:
        """A Next.js payload that carries no tree to render (a prefetch of the router
        state only, a head-only update)."""
        return self.found and self.seed is None and self.node is None


def _is_router_state(value: Any) -> bool:
    """``[segment, {slot: routerState}, …]``: the router state that starts a path's data."""
    value = unwrap(value)
    return (
        isinstance(value, list)
        and len(value) >= 2
        and isinstance(unwrap(value[0]), (str, list))
        and isinstance(unwrap(value[1]), dict)
    )


def _from_path(path: Any, is_segment: Any) -> PageParts | None:
    """The tree and head of one flight data path: after the segment prefix, the router
    state, then seed data (or, in 13.x, the element tree), then the head."""
    path = unwrap(path)
    if not isinstance(path, list):
        return None
    for index, item in enumerate(path):
        if _is_router_state(item) and index + 1 < len(path):
            data = unwrap(path[index + 1])
            head = path[index + 2] if index + 2 < len(path) else None
            if is_segment(data):
                return PageParts(seed=data, head=head)
            if data is None:
                return PageParts(head=head)
            return PageParts(node=data, head=head)
    return None


def page_parts(root: Any, is_segment: Any) -> PageParts:
    """Find the page's tree and head in a payload's root, whatever the Next version.

    ``is_segment`` tells seed data from a tree (it lives with the segment code)."""
    root = unwrap(root)
    before: Any = None
    if isinstance(root, list) and len(root) == 2 and isinstance(unwrap(root[1]), Element):
        # 14.1/14.2 HTML pages: [stylesheet links or null, AppRouter element]
        before, root = root[0], unwrap(root[1])
    if isinstance(root, Element):
        props = unwrap(root.props)
        if isinstance(props, dict) and ("initialSeedData" in props or "initialTree" in props):
            seed = unwrap(props.get("initialSeedData"))
            head = [before, props.get("initialHead")]
            return PageParts(seed=seed, head=head) if is_segment(seed) else PageParts(head=head)
        return PageParts(found=False)
    paths: Any = None
    if isinstance(root, dict):
        tree = unwrap(root.get("t"))
        if isinstance(tree, dict) and is_segment(tree.get("t")):
            head = unwrap(tree.get("h"))
            return PageParts(
                seed=unwrap(tree["t"]), head=head.get("r") if isinstance(head, dict) else None
            )
        if "rsc" in root and ("buildId" in root or "b" in root or len(root) <= 5):
            return PageParts(node=root["rsc"])
        paths = unwrap(root.get("f"))
    elif isinstance(root, list) and len(root) == 2 and isinstance(unwrap(root[0]), str):
        paths = unwrap(root[1])
    if not isinstance(paths, list):
        return PageParts(found=False)
    for path in paths:
        parts = _from_path(path, is_segment)
        if parts is not None and not parts.empty:
            return parts
    return PageParts()


def finish_document(html: str) -> str:
    """A rendered page as the document a server sends: ``<!DOCTYPE html>`` first, and
    whatever came out before ``<html>`` (head content React does not hoist) moved to the
    start of ``<body>``.  Output without an ``<html>`` element is a fragment, left alone."""
    start = _HTML_START.search(html)
    if start is None or not html.rstrip().endswith("</html>"):
        return html
    stray, document = html[: start.start()], html[start.start() :]
    if stray.strip():
        body = _BODY_START.search(document)
        if body is not None:
            document = document[: body.end()] + stray + document[body.end() :]
        else:
            document = document.replace("</head>", "</head>" + stray, 1)
    return DOCTYPE + document
