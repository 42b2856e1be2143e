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

import enum
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from ..limits import DEFAULT_LIMITS, Limits
from ..model.values import ClientReference, Element, JSMap, JSPromise, JSSet, JSSymbol
from ..model.walk import CONTAINERS, READABLE, Budget, WalkWith, promise_of, unwrap
from .segments import (
    flight_data_paths,
    is_leaf_segment,
    is_segment,
    layout_router_slot,
    next_seed_data,
    segment_node,
    segment_slots,
)

__all__ = ["Classes", "Node", "Page", "Region", "read_page"]


class Region(enum.Enum):
    """Where an element stands in the assembled page."""

    HEAD = "head"  # Metadata API output: Next 14's head slot, 15/16 metadata boundaries
    LAYOUT_HEAD = "layout_head"  # a literal <head> rendered by a layout
    LAYOUT = "layout"  # a layout segment's own tree (site chrome)
    PAGE = "page"  # the page segment (or the whole tree when it is not a Next.js page)
    OTHER = "other"  # reachable from the root, outside the segments (streamed rows…)


# Props holding what is shown instead of the page, never the page itself.
_FALLBACK_PROPS = frozenset(
    {
        "notFound",
        "notFoundStyles",
        "forbidden",
        "unauthorized",
        "error",
        "errorStyles",
        "errorScripts",
        "template",
        "templateStyles",
        "templateScripts",
        "loading",
        "loadingStyles",
        "loadingScripts",
        "fallback",
        "globalErrorComponent",
        "globalErrorStyles",
    }
)
# Client components and Suspense names under which Next 15/16 put the Metadata API output.
_METADATA_EXPORTS = frozenset(
    {"MetadataBoundary", "ViewportBoundary", "AsyncMetadataOutlet", "MetadataOutlet"}
)
_METADATA_SUSPENSE = ("Next.Metadata", "Next.Viewport")


@attrs.define(eq=False)
class Classes:
    """The class names of one ``className`` string, worked out once per string.

    A hostile payload can give ten thousand elements one shared ``className`` row of a
    million names; splitting it, or scanning its names, once per element is quadratic.
    :func:`read_page` gives every element with the same string the same :class:`Classes`,
    and tests on the names (:meth:`Node.class_test`) are remembered here.

    Attributes:
        names: the names in order.
        set: the names, for membership.
        folded: the names case-folded (lower-cased), for membership.
    """

    names: tuple[str, ...]
    set: frozenset[str]
    folded: frozenset[str]
    tests: dict[Callable[[tuple[str, ...]], bool], bool] = attrs.field(factory=dict, repr=False)

    @classmethod
    def of(cls, value: Any) -> Classes:
        names = tuple(value.split()) if isinstance(value, str) else ()
        return cls(names, frozenset(names), frozenset(name.lower() for name in names))


_NO_CLASSES = Classes((), frozenset(), frozenset())


@attrs.define(eq=False)
class Node:
    """An element of the page with its place.

    Attributes:
        element: the decoded element.
        kind: its type with lazies read: a tag, a :class:`ClientReference`, a :class:`Symbol`.
        props: its props (an empty dict when they are not an object).
        parent: the enclosing node, ``None`` at the top.
        children: the nodes directly inside it, in order.
        region: where it stands.
        row: the id of the row its element was decoded from (``0`` for the root row).
        order: its position in document order.
        depth: how many nodes enclose it.
        size: how many nodes its subtree holds, itself included.
    """

    element: Element
    kind: Any
    props: dict[str, Any]
    parent: Node | None
    region: Region
    row: int | None
    order: int = 0
    depth: int = 0
    size: int = 1  # this node and every node below it
    children: list[Node] = attrs.field(factory=list, repr=False)
    _classes: Classes | None = attrs.field(default=None, repr=False)
    #: ``kind`` when it is a tag name, else ``None`` (worked out once: rules ask often).
    tag: str | None = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        self.tag = self.kind if type(self.kind) is str or isinstance(self.kind, str) else None

    @property
    def client(self) -> ClientReference | None:
        return self.kind if isinstance(self.kind, ClientReference) else None

    @property
    def key(self) -> str | None:
        key = self.element.key
        return key if isinstance(key, str) else None

    @property
    def class_info(self) -> Classes:
        """The class names of ``className`` (shared by the nodes of one string)."""
        if self._classes is None:
            self._classes = Classes.of(self.props.get("className"))
        return self._classes

    @property
    def classes(self) -> tuple[str, ...]:
        return self.class_info.names

    def has_class(self, name: str) -> bool:
        return name in self.class_info.set

    def class_test(self, test: Callable[[tuple[str, ...]], bool]) -> bool:
        """``test(self.classes)``, remembered per ``className`` string: pass the same
        function object each time (a module-level function)."""
        info = self.class_info
        known = info.tests.get(test)
        if known is None:
            known = info.tests[test] = test(info.names)
        return known

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def below(self, other: Node) -> bool:
        """Whether this node is one of ``other``'s descendants (``other`` itself is not).

        Read from document order, without a walk: :func:`read_page` numbers the nodes
        depth first, so a subtree is the run of ``size`` nodes from its root on.  Only
        for nodes of one :class:`Page`.
        """
        return other.order < self.order < other.order + other.size

    def descendants(self) -> Iterator[Node]:
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


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
    walker = _Walker(limits)
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
    for node in reversed(walker.nodes):  # children come after their parent
        if node.parent is not None:
            node.parent.size += node.size
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
    """The segments along the ``children`` branch of a router state tree."""
    out: list[str | tuple[str, str, str]] = []
    tree = unwrap(tree)
    while isinstance(tree, list) and tree and len(out) < limit:
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
    """The segments along the ``children`` branch of a Next 16.4 ``t`` tree."""
    out: list[str | tuple[str, str, str]] = []
    tree = unwrap(tree)
    while isinstance(tree, dict) and is_segment(tree) and len(out) < limit:
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


#: Where a value stands during the page walk: its region, the enclosing node, the seed
#: data of its segment, and the row it was decoded from.
_Where = tuple[Region, Node | None, Any, int | None]


def _from_row(promise: JSPromise, where: _Where) -> _Where:
    """A value read through a chunk comes from that chunk's row."""
    if promise.id is None:
        return where
    region, parent, seed, _ = where
    return region, parent, seed, promise.id


class _Walker:
    """Depth-first walk with an explicit stack, visiting each element once."""

    def __init__(self, limits: Limits) -> None:
        self.nodes: list[Node] = []
        self.limits = limits
        self.walk_core: WalkWith[_Where] = WalkWith(Budget(limits, "page walk"), _from_row)
        self.active_segments: set[int] = set()
        self.truncated = False
        # Keyed by the string itself: equal strings share one entry (hashing is linear in
        # the text, which the payload had to carry).
        self.classes: dict[str, Classes] = {}

    def classes_of(self, props: dict[str, Any]) -> Classes:
        """One :class:`Classes` per ``className`` string, however many elements share it."""
        value = props.get("className")
        if not value or not isinstance(value, str):
            return _NO_CLASSES
        known = self.classes.get(value)
        if known is None:
            known = self.classes[value] = Classes.of(value)
        return known

    def walk_segment(self, seed: Any) -> None:
        self.active_segments.add(id(seed))
        self.walk(segment_node(seed), _segment_region(seed), None, seed=seed, row=0)

    def walk(
        self,
        value: Any,
        region: Region,
        parent: Node | None,
        *,
        seed: Any = None,
        row: int | None = None,
    ) -> None:
        # WalkWith's visit, inlined: this loop meets every value of the page, and a
        # generator step plus a second round of type tests per value cost more than the
        # page's own work.  Same rules: one unit of budget per value, lazies and promises
        # read through (their row becomes the value's), a container visited once.
        core = self.walk_core
        stack, seen, budget = core.stack, core.seen, core.budget
        assert budget is not None
        stack.append((value, (region, parent, seed, row)))
        while stack:
            value, where = stack.pop()
            budget.left -= 1
            if budget.left < 0:
                raise budget.exceeded()
            kind = type(value)
            if kind is str:
                continue
            if isinstance(value, READABLE):
                where = _from_row(promise_of(value), where)
                value = unwrap(value)
                kind = type(value)
            if kind is list or kind is Element or isinstance(value, CONTAINERS):
                if id(value) in seen:
                    continue
                seen.add(id(value))
            else:
                continue
            items: list[tuple[Any, _Where]]
            if kind is list:
                items = [(item, where) for item in value]
            elif kind is Element:
                items = self._enter(value, *where)
            elif isinstance(value, list):
                items = [(item, where) for item in value]
            elif isinstance(value, dict):
                items = [(value[key], where) for key in value if key not in _FALLBACK_PROPS]
            elif isinstance(value, JSMap):
                items = [(v, where) for _, v in value.entries]
            elif isinstance(value, JSSet):
                items = [(v, where) for v in value.values]
            elif isinstance(value, Element):
                items = self._enter(value, *where)
            else:
                continue
            stack.extend(reversed(items))

    def _enter(
        self,
        element: Element,
        region: Region,
        parent: Node | None,
        seed: Any,
        row: int | None,
    ) -> list[tuple[Any, _Where]]:
        kind = element.type
        if type(kind) is not str:
            kind = unwrap(kind)
        props = element.props
        if type(props) is not dict:
            props = unwrap(props)
            props = props if isinstance(props, dict) else {}
        depth = parent.depth + 1 if parent is not None else 0
        node = Node(element, kind, props, parent, region, row, len(self.nodes), depth)
        node._classes = self.classes_of(props)
        self.nodes.append(node)
        if parent is not None:
            parent.children.append(node)
        if depth >= self.limits.max_depth:
            # Deeper than any real page: stop here, so that walks up and down the tree
            # stay bounded on hostile payloads (a chain of rows can nest without end).
            self.truncated = True
            return []
        if isinstance(kind, str):
            inner = Region.LAYOUT_HEAD if kind == "head" and region is not Region.HEAD else region
            return [(props.get("children"), (inner, node, seed, row))]
        inner = region
        if (isinstance(kind, ClientReference) and kind.name in _METADATA_EXPORTS) or (
            isinstance(kind, JSSymbol) and str(props.get("name", "")).startswith(_METADATA_SUSPENSE)
        ):
            inner = Region.HEAD
        if seed is not None and isinstance(kind, ClientReference):
            router_key = layout_router_slot(props)
            if router_key is not None:
                child = unwrap(segment_slots(seed).get(router_key))
                if is_segment(child) and id(child) not in self.active_segments:
                    self.active_segments.add(id(child))
                    child_region = Region.HEAD if region is Region.HEAD else _segment_region(child)
                    return [(segment_node(child), (child_region, node, child, row))]
                return []
        where = (inner, node, seed, row)
        return [(props[key], where) for key in props if key not in _FALLBACK_PROPS]


def _segment_region(seed: Any) -> Region:
    """A leaf segment is the page; one with child segments is a layout."""
    return Region.PAGE if is_leaf_segment(seed) else Region.LAYOUT
