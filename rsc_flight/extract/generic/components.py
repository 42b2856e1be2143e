"""What a component library's client element renders as, where its props say so.

On sites built from component libraries the post's title is not an ``h1`` in the
payload but a client element that renders one: MUI's ``Typography component="h1"`` (or
``variant="h1"``, whose default element is that heading), Chakra's ``Heading as="h1"``,
Mantine's ``Title order={1}``.  The client code never runs here, but the props name the
host element, so the title rule can count such an element as the heading it becomes.
Only those props are read: an export's name alone says nothing (a ``Heading`` renders an
``h2`` unless told otherwise).

Such components also take server-rendered output in props other than ``children``
(``mdxContent={…}``): the page walk enters them, and the body rule must render them.
"""

from __future__ import annotations

import re

from ...model.values import Element, unwrap
from ...nextjs.page import Node

__all__ = ["elements_beside_children", "host_tag"]

# The host elements a library component can be told to render, by prop.
_TAG_PROPS = ("component", "as")
_HEADING = re.compile(r"h[1-6]")
_HOST_TAG = re.compile(r"[a-z][a-z0-9]*")


def host_tag(node: Node) -> str | None:
    """The host tag of a node: its own tag, or for a client element the heading or
    block its props tell the component to render (``component``/``as``; an ``hN``
    ``variant``; a ``Title``'s ``order``), else ``None``."""
    if node.tag is not None:
        return node.tag
    client = node.client
    if client is None:
        return None
    props = node.props
    for name in _TAG_PROPS:
        value = props.get(name)
        if isinstance(value, str):  # told what to render: that decides
            return value if _HOST_TAG.fullmatch(value) else None
    variant = props.get("variant")
    if isinstance(variant, str) and _HEADING.fullmatch(variant):
        return variant
    order = props.get("order")
    if (
        client.name == "Title"
        and isinstance(order, int)
        and not isinstance(order, bool)
        and 1 <= order <= 6
    ):
        return f"h{order}"
    return None


def elements_beside_children(node: Node) -> bool:
    """Whether a client element holds elements in a prop other than ``children``
    (``mdxContent={…}``, ``body={…}``): server-rendered output its code places itself,
    which a body rendered from ``children`` alone would lose."""
    if node.client is None:
        return False
    for name, value in node.props.items():
        if name == "children":
            continue
        value = unwrap(value)
        items = value if isinstance(value, list) else [value]
        if any(isinstance(unwrap(item), Element) for item in items):
            return True
    return False
