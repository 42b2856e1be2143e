"""Next.js app-router payloads: assembling a page from its segments.

A Next.js payload does not carry the page as one element tree.  The root layout's tree
holds a ``LayoutRouter`` client component (props ``parallelRouterKey``, ``segmentPath``…)
where each child segment goes, and the segments' trees travel separately, as *seed data*
beside the router state.  In a browser the router puts them together; here
:func:`render_page` does the same while rendering: each ``LayoutRouter`` is replaced by
the rendered node of the matching child segment.

Seed data changed shape between versions (facts from Next's ``app-render`` types):

* 14.x: ``[segment, {slot: seed}, node, loading]``
* 15.x: ``[segment, node, {slot: seed}, loading, isPartial]``
* 16.0: ``[node, {slot: seed}, loading, isPartial, hasRuntimePrefetch]``
* 16.4: ``{"s": segment, "d": {"r": node, …}, "c": Map {slot: seed}}``, under the root's
  ``t.t`` (the head is ``t.h.r``)

Where the seed data sits: navigation payloads (``.txt``, RSC responses) have a flight data
path ``[routerState, seedData, head, …]`` under row 0 (``[buildId, [path]]`` in 14.x,
``{"f": [path]}`` in 15/16); HTML payloads of 14.x pass it to the ``AppRouter`` element as
``initialSeedData``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..limits import DEFAULT_LIMITS, Limits
from ..model.values import ClientReference, Element, JSMap, unwrap
from ..tree.guard import stage_boundary
from ..tree.render import ClientHook, Subtree, render_html
from .components import ClientComponents, ImageConfig, NextComponents
from .head import finish_document, page_parts

__all__ = ["next_seed_data", "render_page"]


def is_segment(value: Any) -> bool:
    """Whether a value is a segment's seed data, in any version's shape."""
    value = unwrap(value)
    if isinstance(value, dict):
        return "s" in value and ("d" in value or "c" in value)
    return (
        isinstance(value, list)
        and 4 <= len(value) <= 6
        and any(isinstance(unwrap(value[index]), dict) for index in (1, 2))
    )


def segment_slots(seed: Any) -> dict[str, Any]:
    """A segment's child segments by slot name (``children``, parallel routes)."""
    seed = unwrap(seed)
    if isinstance(seed, dict):
        slots = unwrap(seed.get("c"))
        if isinstance(slots, JSMap):
            return {k: v for k, v in slots.entries if isinstance(k, str)}
        return dict(slots) if isinstance(slots, dict) else {}
    for index in (1, 2):
        if index < len(seed) and isinstance(unwrap(seed[index]), dict):
            return dict(unwrap(seed[index]))
    return {}


def is_leaf_segment(seed: Any) -> bool:
    """Whether a segment has no child segment: the page itself, not a layout."""
    return not any(is_segment(value) for value in segment_slots(seed).values())


def layout_router_slot(props: dict[str, Any]) -> str | None:
    """The slot a ``LayoutRouter`` client component stands for (its
    ``parallelRouterKey``), or ``None`` for any other client component.  14.x passes
    ``segmentPath``, 15/16 do not; all pass a ``template``."""
    key = props.get("parallelRouterKey")
    if isinstance(key, str) and ("segmentPath" in props or "template" in props):
        return key
    return None


def segment_node(seed: Any) -> Any:
    """The segment's own element tree, wherever this version keeps it."""
    seed = unwrap(seed)
    if isinstance(seed, dict):
        data = unwrap(seed.get("d"))
        return data.get("r") if isinstance(data, dict) else None
    if isinstance(unwrap(seed[1]), dict):
        # 14.x keeps the segment name first and the node third; 16.0 has no name.
        return seed[2] if isinstance(unwrap(seed[0]), (str, list)) else seed[0]
    return seed[1]


def flight_data_paths(root: Any) -> Iterator[list[Any]]:
    """The flight data paths ``[routerState, seedData, head, …]`` of a navigation
    payload's root (``[buildId, [path]]`` in 14.x, ``{"f": [path]}`` in 15/16), read
    one at a time."""
    root = unwrap(root)
    paths: Any = None
    if isinstance(root, dict):
        paths = unwrap(root.get("f"))
    elif isinstance(root, list) and len(root) == 2 and isinstance(unwrap(root[0]), str):
        paths = unwrap(root[1])
    if isinstance(paths, list):
        for path in paths:
            path = unwrap(path)
            if isinstance(path, list) and len(path) >= 3:
                yield path


def next_seed_data(root: Any) -> Any:
    """The seed data of the full page in a Next.js payload's root, if there is one: a
    list, or a ``{"s", "d", "c"}`` object in Next 16.4's segment tree."""
    root = unwrap(root)
    if isinstance(root, dict):
        tree = unwrap(root.get("t"))
        if isinstance(tree, dict) and is_segment(tree.get("t")):
            return unwrap(tree["t"])
    elif isinstance(root, Element) and isinstance(unwrap(root.props), dict):
        seed = unwrap(root.props).get("initialSeedData")
        return unwrap(seed) if is_segment(seed) else None
    for path in flight_data_paths(root):
        if is_segment(path[1]):
            return unwrap(path[1])
    return None


@stage_boundary("render_page")
def render_page(
    root: Any,
    *,
    mark_clients: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    sanitize: bool | Callable[[str], str] = False,
    client_components: ClientComponents = "content",
    image_config: ImageConfig | None = None,
) -> str | None:
    """The page of a Next.js payload as the document a browser gets: segments put in
    place, the head's tags hoisted into ``<head>``, ``<!DOCTYPE html>`` first, Next's own
    client components (links, images, boundaries) written as their server render writes
    them; ``None`` when the root is not a Next.js app-router payload.

    ``client_components`` says what other client components render (see
    :mod:`rsc_flight.nextjs.components`); ``mark_clients`` wraps them in ``<rsc-client>``.
    A Next.js payload that carries no tree (router state only) renders as a comment that
    says so.
    """
    parts = page_parts(root, is_segment)
    if not parts.found:
        return None
    if parts.empty:
        return "<!--rsc: no page tree in this payload (router state or head only)-->"
    components = NextComponents(client_components, mark_clients, image_config or ImageConfig())
    hook = components.hook
    node = parts.node
    if parts.seed is not None:
        node = segment_node(parts.seed)
        hook = _layout_router_hook(parts.seed, frozenset({id(parts.seed)}), components)
    html = render_html(
        node if parts.head is None else [parts.head, node],
        mark_clients=mark_clients,
        limits=limits,
        client_hook=hook,
        sanitize=sanitize,
    )
    return finish_document(html)


def _layout_router_hook(
    seed: Any, ancestors: frozenset[int], components: NextComponents
) -> ClientHook:
    """Put the child segment where a LayoutRouter stands, rendering it in the same pass
    (one budget), and never re-entering a segment already being rendered (a hostile
    payload can make a segment its own child)."""
    slots = segment_slots(seed)

    def hook(
        element: Element, kind: ClientReference, props: dict[str, Any]
    ) -> str | Subtree | None:
        key = layout_router_slot(props)
        if key is None:
            return components.replace(element, kind, props, hook)
        child = unwrap(slots.get(key))
        if not is_segment(child) or id(child) in ancestors:
            return ""
        inner = _layout_router_hook(child, ancestors | {id(child)}, components)
        return Subtree(segment_node(child), inner)

    return hook
