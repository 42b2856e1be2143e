"""React 19's document layout: an ``<html>`` root gets a ``<head>`` that starts with the
tags hoisted from anywhere in the tree.

When the tree's top element is ``<html>`` (through fragments, lists and lazies), React's
server renderer writes a document: ``<title>``, ``<meta>``, most ``<link>`` elements and
async external scripts are moved into the head wherever they appear, in fixed slots
(charset first, then viewport, stylesheets with a precedence, scripts, the rest), and
the head is made if the tree has none.  The renderer calls in here for the ``<html>``
element and for each hoistable element; everything else renders in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model.values import Element
from ..model.walk import Walk, unwrap
from .attributes import attribute

if TYPE_CHECKING:
    from .render import _Renderer

__all__ = ["SLOTS", "hoist_slot", "top_level_html", "write_document", "write_hoisted"]

#: The head's slots, in the order React writes them.
SLOTS = ("charset", "viewport", "stylesheets", "scripts", "hoistable")


def top_level_html(node: Any) -> bool:
    """Whether an ``<html>`` element sits at the top, through fragments, lists, lazies.

    Asked of every rendering; most are of a host element or of a list of host elements
    and strings (a body's children), answered here without the walk.
    """
    if type(node) is Element and type(node.type) is str:
        return node.type == "html"
    if type(node) is list:
        # What the walk reaches from the list is what it reaches from each item.
        for item in node:
            if type(item) is Element and type(item.type) is str:
                if item.type == "html":
                    return True
            elif not (type(item) is str or item is None) and _top_level_walk(item):
                return True  # a component, a lazy...: the walk decides
        return False
    return _top_level_walk(node)


def _top_level_walk(node: Any) -> bool:
    walk = Walk(None, node)
    for item in walk:
        if isinstance(item, list):
            walk.stack.extend(item)
        elif isinstance(item, Element):
            kind = unwrap(item.type)
            if kind == "html":
                return True
            props = unwrap(item.props)
            if not isinstance(kind, str) and isinstance(props, dict):
                walk.stack.append(props.get("children"))
    return False


def hoist_slot(tag: str, props: dict[str, Any]) -> str | None:
    """Where React 19's server renderer moves this element: a head slot, or ``None``.

    In a document (an ``<html>`` root) ``<title>``, ``<meta>`` and most ``<link>``
    elements are hoisted into the head wherever they appear, a charset ``<meta>`` first,
    a viewport ``<meta>`` next, async external scripts before the other hoisted tags.
    """
    if "itemProp" in props or "onLoad" in props or "onError" in props:
        return None
    if tag == "meta":
        if props.get("charSet") is not None:
            return "charset"
        if props.get("name") == "viewport":
            return "viewport"
        return "hoistable"
    if tag == "title":
        return "hoistable"
    if tag == "link":
        if props.get("rel") == "stylesheet":
            return None if props.get("precedence") is None else "stylesheets"
        return "hoistable"
    if tag == "script" and props.get("async") is True and isinstance(props.get("src"), str):
        return "scripts"
    return None


def _start_tag(tag: str, props: dict[str, Any]) -> str:
    return (
        "<" + tag + "".join(a for n, v in props.items() if (a := attribute(n, v)) is not None) + ">"
    )


def write_document(renderer: _Renderer, props: dict[str, Any]) -> None:
    """Write an ``<html>`` root, laid out as React writes a document: the ``<head>`` (made
    if missing) starts with the hoisted tags, then the head's own remaining content.

    The renderer's walk is a task stack, so this pushes the work in reverse: the
    assembly of the document last, before it each child with the output list it writes
    to (the head's children to the head, the rest to the body).
    """
    outer = renderer.out
    renderer.document = True
    html_start = _start_tag("html", props)
    head_start = "<head>"
    head_rest: list[str] = []
    body: list[str] = []
    work: list[tuple[list[str], Any]] = []
    children = unwrap(props.get("children"))
    for child in children if isinstance(children, list) else [children]:
        child = unwrap(child)
        if isinstance(child, Element) and unwrap(child.type) == "head":
            head_props = unwrap(child.props)
            head_props = head_props if isinstance(head_props, dict) else {}
            head_start = _start_tag("head", head_props)
            work.append((head_rest, head_props.get("children")))
        else:
            work.append((body, child))

    def finish(_: object) -> None:
        hoisted = [chunk for slot in SLOTS for chunk in renderer.slots[slot]]
        outer.extend([html_start, head_start, *hoisted, *head_rest, "</head>", *body, "</html>"])
        renderer.out = outer

    renderer.room -= len(html_start) + len(head_start) + len("</head></html>")
    renderer.then(finish)
    for out, node in reversed(work):
        renderer.push(node)
        renderer.then(renderer.set_out, out)


def write_hoisted(renderer: _Renderer, tag: str, props: dict[str, Any], slot: str) -> None:
    """Write a hoisted element into its head slot (its content is not hoisted again)."""
    outer = renderer.out
    if slot == "stylesheets":
        # A stylesheet with a precedence is a resource: React writes it as rel, href,
        # data-precedence, then the other props.
        rest = {k: v for k, v in props.items() if k not in ("rel", "href", "precedence")}
        props = {
            "rel": "stylesheet",
            "href": props.get("href"),
            "data-precedence": props.get("precedence"),
            **rest,
        }

    def restore(_: object) -> None:
        renderer.document = True
        renderer.out = outer

    renderer.then(restore)
    renderer.out = renderer.slots[slot]
    renderer.document = False
    renderer.host(tag, props)
