"""A Next.js page as one ordered list of element nodes, each knowing where it stands.

Extraction asks questions a flat walk cannot answer: is this ``<h1>`` in the page or in a
layout?  Is this ``<title>`` the Metadata API's, the root layout's literal ``<head>``, or
hoisted from the page body?  Is this ``<h1>404</h1>`` content or the not-found fallback
that Next 14 ships in every payload?  :func:`read_page` walks a decoded payload the way
the browser would assemble it (each ``LayoutRouter`` replaced by its child segment, as in
:func:`~rsc_flight.render_page`) and tags every element with a :class:`Region`.

It also reads what the router knows: the build id, the route's dynamic params and the
URL path, which locate a page exactly where HTML extractors have to guess.

Fallback trees (``notFound``, ``error``, ``loading``, ``template``, Suspense ``fallback``)
are not walked: they are not what the page shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from ..limits import DEFAULT_LIMITS, Limits
from ..model.values import Element
from ..model.walk import unwrap
from .node import Classes, Node, Region
from .segments import flight_data_paths, is_segment, next_seed_data, segment_slots
from .walker import Walker

__all__ = ["Classes", "Node", "Page", "Region", "read_page"]


@attrs.frozen
class Page:
    """What :func:`read_page` found.

    Attributes:
        nodes: every element in document order.
        build_id: the Next.js build id, if the payload has one.
        form: ``"next14-array"``, ``"next14-html"``, ``"next15-object"`` (15 and 16.0–16.3),
            ``"next16-tree"`` (16.4's ``t`` tree) or ``"plain"``.
        segments: the route's segments as the router names them: a static name, or
            ``(param, value, type)`` with type ``d`` (dynamic), ``c`` (catch-all),
            ``oc`` (optional catch-all) and the like.
        url_parts: Next 15+ ``c``: the URL path split on ``/``.
        truncated: elements nested deeper than ``Limits.max_depth`` were not walked.
    """

    nodes: tuple[Node, ...]
    build_id: str | None = None
    form: str = "plain"
    segments: tuple[str | tuple[str, str, str], ...] = ()
    url_parts: tuple[str, ...] | None = None
    truncated: bool = False

    def in_region(self, *regions: Region) -> Iterator[Node]:
        return (node for node in self.nodes if node.region in regions)

    @property
    def params(self) -> dict[str, str]:
        """Dynamic params of the route (``{"slug": "ai/review/post"}``)."""
        return {seg[0]: seg[1] for seg in self.segments if isinstance(seg, tuple)}

    @property
    def route_path(self) -> str | None:
        """The URL path of the page (``/ai/review/post``), without a trailing slash."""
        if self.url_parts is not None:
            parts = [part for part in self.url_parts if part]
        elif self.segments:
            parts = []
            for seg in self.segments:
                value = seg[1] if isinstance(seg, tuple) else seg
                if value and not (isinstance(seg, str) and _is_hidden(seg)):
                    parts.append(value)
        else:
            return None
        return "/" + "/".join(parts)

    @property
    def route_pattern(self) -> str | None:
        """The route as an app-router file path would name it (``/[category]/[slug]``)."""
        if not self.segments:
            return None
        parts = []
        for seg in self.segments:
            if isinstance(seg, tuple):
                name, _, kind = seg
                parts.append(
                    f"[[...{name}]]"
                    if kind == "oc"
                    else f"[...{name}]"
                    if kind == "c"
                    else f"[{name}]"
                )
            elif seg and not _is_hidden(seg):
                parts.append(seg)
        return "/" + "/".join(parts)


def _is_hidden(segment: str) -> bool:
    """Route groups ``(blog)``, the page and default markers: not part of the URL."""
    return segment.startswith(("(", "__PAGE__", "__DEFAULT__", "@"))


def read_page(root: Any, *, limits: Limits = DEFAULT_LIMITS) -> Page:
    """Walk a decoded payload's root into a :class:`Page`."""
    walker = Walker(limits)
    root_value = unwrap(root)
    path = _flight_data_path(root_value)
    seed: Any = next_seed_data(root_value)
    tree = unwrap(root_value.get("t")) if isinstance(root_value, dict) else None
    tree_form = isinstance(tree, dict) and isinstance(seed, dict)
    if tree_form:
        assert isinstance(tree, dict)
        # Next 16.4: {"t": {"t": segment tree, "h": {"r": head}}}
        seed = unwrap(tree["t"])
        segments_from_tree = _tree_segments(seed)
        head = unwrap(tree.get("h"))
        walker.walk(head.get("r") if isinstance(head, dict) else None, Region.HEAD, None)
    else:
        segments_from_tree = ()
    build_id: str | None = None
    form = "plain"
    segments: tuple[str | tuple[str, str, str], ...] = ()
    url_parts: tuple[str, ...] | None = None
    if isinstance(root_value, dict):
        form = "next15-object"
        build_id = _str(root_value.get("b"))
        parts = unwrap(root_value.get("c"))
        if isinstance(parts, list) and all(isinstance(unwrap(p), str) for p in parts):
            url_parts = tuple(unwrap(p) for p in parts)
    elif isinstance(root_value, list) and seed is not None:
        form = "next14-array"
        build_id = _str(root_value[0])
    elif isinstance(root_value, Element) and seed is not None:
        form = "next14-html"
        props = unwrap(root_value.props)
        if isinstance(props, dict):
            build_id = _str(props.get("buildId"))
            segments = _segments(props.get("initialTree"))
            walker.walk(props.get("initialHead"), Region.HEAD, None)
    if tree_form:
        form = "next16-tree"
        segments = segments_from_tree
    if path is not None:
        segments = _segments(path[0])
        for head in path[2:]:
            walker.walk(head, Region.HEAD, None)
    if seed is not None:
        walker.walk_segment(seed)
        walker.walk(root, Region.OTHER, None, row=0)
    else:
        walker.walk(root, Region.PAGE, None, row=0)
    return Page(tuple(walker.nodes), build_id, form, segments, url_parts, walker.truncated)


def _str(value: Any) -> str | None:
    value = unwrap(value)
    return value if isinstance(value, str) else None


def _flight_data_path(root: Any) -> list[Any] | None:
    """The first flight data path whose router state is a tree (a list)."""
    for path in flight_data_paths(root):
        if isinstance(unwrap(path[0]), list):
            return path
    return None


def _segments(tree: Any, limit: int = 64) -> tuple[str | tuple[str, str, str], ...]:
    """The segments along the ``children`` branch of a router state tree.

    At most ``limit`` steps down the branch, whatever each gives: a tree whose ``children``
    lead back to itself (references make that possible) must not hold the walk.
    """
    out: list[str | tuple[str, str, str]] = []
    tree = unwrap(tree)
    for _ in range(limit):
        if not (isinstance(tree, list) and tree):
            break
        segment = unwrap(tree[0])
        if isinstance(segment, str):
            if segment:
                out.append(segment.split("?", 1)[0])
        elif isinstance(segment, list) and len(segment) >= 3:
            name, value, kind = (unwrap(part) for part in segment[:3])
            if isinstance(value, list):
                value = "/".join(str(unwrap(v)) for v in value)
            if isinstance(name, str) and isinstance(value, str) and isinstance(kind, str):
                out.append((name, value, kind))
        slots = unwrap(tree[1]) if len(tree) > 1 else None
        tree = unwrap(slots.get("children")) if isinstance(slots, dict) else None
    return tuple(out)


def _tree_segments(tree: Any, limit: int = 64) -> tuple[str | tuple[str, str, str], ...]:
    """The segments along the ``children`` branch of a Next 16.4 ``t`` tree (at most
    ``limit`` steps, as :func:`_segments`)."""
    out: list[str | tuple[str, str, str]] = []
    tree = unwrap(tree)
    for _ in range(limit):
        if not (isinstance(tree, dict) and is_segment(tree)):
            break
        segment = unwrap(tree["s"])
        if isinstance(segment, str):
            if segment:
                out.append(segment.split("?", 1)[0])
        elif isinstance(segment, dict):
            name, value, kind = (unwrap(segment.get(k)) for k in ("n", "k", "t"))
            if isinstance(value, list):
                value = "/".join(str(unwrap(v)) for v in value)
            if isinstance(name, str) and isinstance(value, str) and isinstance(kind, str):
                out.append((name, value, kind))
        tree = unwrap(segment_slots(tree).get("children"))
    return tuple(out)
