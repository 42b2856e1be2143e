"""The walk behind :func:`~rsc_flight.nextjs.page.read_page`: every element of the page,
in document order, as a :class:`~rsc_flight.nextjs.node.Node` tagged with its region.

Each ``LayoutRouter`` is replaced by its child segment, as the browser assembles the
page; fallback trees (``notFound``, ``error``, ``loading``, ``template``, Suspense
``fallback``) are not walked: they are not what the page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _engine
from ..limits import Limits
from ..model.values import ClientReference, Element, JSMap, JSPromise, JSSet, JSSymbol, Lazy
from ..model.walk import CONTAINERS, READABLE, Budget, promise_of, unwrap
from .node import NO_CLASSES, Classes, Node, Region
from .segments import is_leaf_segment, is_segment, layout_router_slot, segment_node, segment_slots

__all__ = ["Walker"]

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


#: Where a value stands during the page walk: its region, the enclosing node, the seed
#: data of its segment, and the row it was decoded from.
_Where = tuple[Region, Node | None, Any, int | None]

#: On the walk's stack, above a saved :data:`_Where`: the values pushed after it are done,
#: go back to that place.
_RESTORE = object()


class Walker:
    """Depth-first walk with an explicit stack, visiting each element once.

    :class:`~rsc_flight.model.walk.WalkWith`'s rules, inlined in :meth:`walk` (its loop
    meets every value of the page): a unit of budget a value, lazies read through (their
    row becomes the value's), a container visited once.  The stack holds bare values: a
    container that changes the place of what it holds first pushes the place to come
    back to, under :data:`_RESTORE` (not a ``(value, place)`` pair per value).
    """

    def __init__(self, limits: Limits) -> None:
        self.nodes: list[Node] = []
        self.limits = limits
        self.budget = Budget(limits, "page walk")
        #: Containers already walked (by id), over all the walks of one page.
        self.seen: set[int] = set()
        self.active_segments: set[int] = set()
        self.truncated = False
        # Keyed by the string itself: equal strings share one entry (hashing is linear in
        # the text, which the payload had to carry).
        self.classes: dict[str, Classes] = {}
        #: The compiled twin of :meth:`walk`'s common steps, with the native engine.
        self.native: _Native | None = _native_walk()

    def classes_of(self, props: dict[str, Any]) -> Classes:
        """One :class:`Classes` per ``className`` string, however many elements share it."""
        value = props.get("className")
        if not value or not isinstance(value, str):
            return NO_CLASSES
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
        """Walk ``value`` from a place (``region``, ``parent``, ``seed``, ``row``)."""
        stack: list[Any] = [value]
        push, extend, pop = stack.append, stack.extend, stack.pop
        seen, budget, nodes, classes = self.seen, self.budget, self.nodes, self.classes
        max_depth = self.limits.max_depth
        inner: tuple[Region, Any, list[Any]] | None
        left, native = budget.left, self.native  # the budget's count: a local in the loop
        while stack:
            if native is not None:  # the compiled twin, up to a value it leaves to this loop
                budget.left = left
                region, parent, seed, row = native(self, stack, (region, parent, seed, row), _PLAN)
                left = budget.left
                if not stack:
                    break
            value = pop()
            if value is _RESTORE:
                if parent is not None:  # its subtree so far (all of it, when it is done)
                    parent.size = len(nodes) - parent.order
                region, parent, seed, row = pop()
                continue
            left -= 1
            if left < 0:
                budget.left = left
                raise budget.exceeded()
            kind = type(value)
            if kind is str:
                continue
            here = row
            if kind is not Element and kind is not list:
                if value is None or kind is int or kind is bool:
                    continue
                if isinstance(value, READABLE):
                    promise = promise_of(value)
                    if promise.id is not None:
                        here = promise.id
                    value = unwrap(value)
                    kind = type(value)
                if not (kind is list or kind is Element or isinstance(value, CONTAINERS)):
                    continue
            if (key := id(value)) in seen:
                continue
            seen.add(key)
            if kind is Element or (kind is not list and isinstance(value, Element)):
                tag = value.type
                if type(tag) is not str and isinstance(tag, READABLE):
                    tag = unwrap(tag)
                props = value.props
                if type(props) is not dict:
                    props = read if isinstance(read := unwrap(props), dict) else {}
                depth = parent.depth + 1 if parent is not None else 0
                names = props.get("className")
                info = classes.get(names) if type(names) is str else None
                if info is None:
                    info = NO_CLASSES if names is None else self.classes_of(props)
                node = Node(
                    value, tag, props, parent, region, here, len(nodes), depth, 1, None, info
                )
                nodes.append(node)
                if parent is not None:
                    parent.children.append(node)
                if depth >= max_depth:
                    self.truncated = True  # deeper than any real page (rows nest without end)
                    continue
                if type(tag) is str or isinstance(tag, str):
                    children = props.get("children")
                    if children is None or type(children) is str:
                        push(children)  # nothing below it has a place
                        continue
                    head = tag == "head" and region is not Region.HEAD
                    inner = (Region.LAYOUT_HEAD if head else region), seed, [children]
                else:
                    inner = self._inside(node, region, seed)
                    if inner is None:
                        continue
                extend(((region, parent, seed, row), _RESTORE))
                region, seed, items = inner
                parent, row = node, here
                extend(reversed(items))
                continue
            if here != row:
                extend(((region, parent, seed, row), _RESTORE))
                row = here
            if kind is list or isinstance(value, list):
                extend(reversed(value))
            elif isinstance(value, dict):
                extend(reversed([value[key] for key in value if key not in _FALLBACK_PROPS]))
            elif isinstance(value, JSMap):
                extend(reversed([v for _, v in value.entries]))
            elif isinstance(value, JSSet):
                extend(reversed(value.values))
        budget.left = left

    def _inside(
        self, node: Node, region: Region, seed: Any
    ) -> tuple[Region, Any, list[Any]] | None:
        """What a component (not a host tag) holds: the region and segment seed of its
        content, and the values to walk (``None``: nothing)."""
        kind, props = node.kind, node.props
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
                    return child_region, child, [segment_node(child)]
                return None
        return inner, seed, [props[key] for key in props if key not in _FALLBACK_PROPS]


#: ``_cwalk.walk(walker, stack, place, plan)``: the place after its steps.
_Native = Callable[["Walker", list[Any], _Where, Any], _Where]

#: The compiled module of the walk's common steps.
NATIVE_MODULE = "rsc_flight._cwalk"


def _native_walk() -> _Native | None:
    """``_cwalk.walk`` when the native engine is in use, else ``None``."""
    if _engine.ENGINE != "native":
        return None
    walk: _Native = _engine.native_module(NATIVE_MODULE).walk
    return walk


def _plan() -> Any:
    """What ``_cwalk.walk`` reads besides the walker, checked once by ``_cwalk.prepare``:
    the classes it knows (their slots), the markers and the props it leaves out."""
    if _engine.ENGINE != "native":
        return None
    classes = (Element, Lazy, JSPromise, Node, Classes, ClientReference, JSSymbol, CONTAINERS)
    markers = (_RESTORE, _FALLBACK_PROPS, _METADATA_EXPORTS, NO_CLASSES)
    regions = (Region.HEAD, Region.LAYOUT_HEAD)
    return _engine.native_module(NATIVE_MODULE).prepare(classes + markers + regions)


def _segment_region(seed: Any) -> Region:
    """A leaf segment is the page; one with child segments is a layout."""
    return Region.PAGE if is_leaf_segment(seed) else Region.LAYOUT


_PLAN = _plan()
