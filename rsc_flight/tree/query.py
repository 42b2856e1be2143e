"""Walking and querying decoded element trees.

A decoded payload is a graph: elements hold props, props hold arrays, lazies stand for
rows, promises for values, and client components wrap server-rendered children.  These
helpers treat it the way one treats an lxml tree: walk every element with the path that
leads to it, find elements by tag, class, prop or predicate, take the text of a subtree,
and tell which client component an element sits under.

They see through lazies (reading them), fulfilled promises, keyless fragments (plain
arrays), keyed fragments and Suspense boundaries, and they look into every prop, not only
``children``, since elements can be passed in any prop (``fallback``, ``notFound``,
``icon``...).  Shared subtrees are visited once and cycles are cut, so a walk is linear
in the size of the graph; ``limits.max_expansion`` bounds it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import attrs

from .. import _engine
from ..limits import DEFAULT_LIMITS, Limits
from ..model.values import ClientReference, Element, JSMap, JSPromise, JSSet, Lazy
from ..model.walk import CONTAINERS, READABLE, Budget, WalkWith, unwrap
from .attributes import max_output_bytes, number_text, output_too_big
from .fragment import parse_fragment, strip_tags
from .guard import stage_boundary

__all__ = [
    "Found",
    "element_type",
    "find",
    "find_all",
    "iter_elements",
    "text_content",
]

#: A step of a path: a dict key, a list index, or ``"props"``/``"type"`` through an element.
Step = str | int


@attrs.frozen(eq=False)
class Found:
    """An element met while walking.

    Attributes:
        element: the element.
        path: the steps from the walk's start to it (dict keys, list indexes, and
            ``"props"`` when passing into an element's props).
        client: the nearest client component it sits under (``None`` if none).
        parent: the nearest enclosing element, if any.
    """

    element: Element
    path: tuple[Step, ...]
    client: ClientReference | None = None
    parent: Element | None = None

    @property
    def tag(self) -> str | None:
        """The host tag (``"div"``), or ``None`` for components, fragments and the like."""
        kind = element_type(self.element)
        return kind if isinstance(kind, str) else None


def element_type(element: Element) -> Any:
    """An element's type with lazies read: a tag, a :class:`Symbol` or a client reference."""
    return unwrap(element.type)


def iter_elements(value: Any, *, limits: Limits = DEFAULT_LIMITS) -> Iterator[Found]:
    """Every element reachable from ``value``, depth first, in document order.

    Each element is reported once, at the first path that reaches it.
    """
    for element, path, client, parent in _walk(value, limits):
        yield Found(element, path, client, parent)


_Visit = tuple[Element, tuple[Step, ...], ClientReference | None, Element | None]
_Where = tuple[tuple[Step, ...], ClientReference | None, Element | None]


def _walk(value: Any, limits: Limits) -> Iterator[_Visit]:
    """:func:`iter_elements` as plain tuples: a :class:`Found` (a frozen attrs instance,
    the dearest part of a visit) is only made for the elements a search keeps.

    The context of a value is where it stands: (path, client, parent)."""
    walk: WalkWith[_Where] = WalkWith(Budget(limits, "walk"))
    walk.push(value, ((), None, None))
    push = walk.stack.append
    # Only what may hold an element is pushed: strings and numbers, most of a tree's
    # values, would cost a path tuple each for nothing.
    holders = _HOLDERS
    for node, where in walk:
        path, client, parent = where
        if isinstance(node, Element):
            yield node, path, client, parent
            kind = element_type(node)
            inner_client = kind if isinstance(kind, ClientReference) else client
            props = unwrap(node.props)
            if isinstance(props, dict):
                for key in reversed(list(props)):
                    item = props[key]
                    if isinstance(item, holders):
                        push((item, ((*path, "props", key), inner_client, node)))
        elif isinstance(node, list):
            for index in range(len(node) - 1, -1, -1):
                item = node[index]
                if isinstance(item, holders):
                    push((item, ((*path, index), client, parent)))
        elif isinstance(node, dict):
            for key in reversed(list(node)):
                item = node[key]
                if isinstance(item, holders):
                    push((item, ((*path, key), client, parent)))
        elif isinstance(node, JSMap):
            for index in range(len(node.entries) - 1, -1, -1):
                push((node.entries[index][1], ((*path, index), client, parent)))
        elif isinstance(node, JSSet):
            for index in range(len(node.values) - 1, -1, -1):
                push((node.values[index], ((*path, index), client, parent)))


#: The values that may contain an element, directly or once read.
_HOLDERS = (*CONTAINERS, *READABLE)


def _has_class(element: Element, name: str) -> bool:
    props = unwrap(element.props)
    classes = props.get("className") if isinstance(props, dict) else None
    return isinstance(classes, str) and name in classes.split()


def find_all(
    value: Any,
    tag: str | None = None,
    *,
    class_name: str | None = None,
    predicate: Callable[[Found], bool] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    **props: Any,
) -> list[Found]:
    """Elements matching every condition given.

    Args:
        tag: host tag name (``"h1"``).
        class_name: one of the classes in ``className``.
        predicate: any test on the :class:`Found` record.
        props: prop values that must be equal (``href="/about"``, ``dateTime=...``).

    Example::

        >>> from rsc_flight import parse
        >>> root = parse(b'0:["$","p",null,{"className":"a b","children":"hi"}]\\n').root
        >>> [f.element.props["children"] for f in find_all(root, "p", class_name="b")]
        ['hi']
    """
    return list(_matching(value, tag, class_name, predicate, limits, props))


def _matching(
    value: Any,
    tag: str | None,
    class_name: str | None,
    predicate: Callable[[Found], bool] | None,
    limits: Limits,
    props: dict[str, Any],
) -> Iterator[Found]:
    for element, path, client, parent in _walk(value, limits):
        if tag is not None and element_type(element) != tag:
            continue
        if class_name is not None and not _has_class(element, class_name):
            continue
        if props:
            have = unwrap(element.props)
            if not isinstance(have, dict):
                continue
            if any(have.get(name, _MISSING) != want for name, want in props.items()):
                continue
        found = Found(element, path, client, parent)
        if predicate is not None and not predicate(found):
            continue
        yield found


_MISSING = object()


def find(
    value: Any,
    tag: str | None = None,
    *,
    class_name: str | None = None,
    predicate: Callable[[Found], bool] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    **props: Any,
) -> Found | None:
    """The first element :func:`find_all` would give, or ``None``; the walk stops there."""
    return next(_matching(value, tag, class_name, predicate, limits, props), None)


@stage_boundary("text_content")
def text_content(value: Any, *, limits: Limits = DEFAULT_LIMITS) -> str:
    """The text of a subtree, as a browser's ``textContent`` of its rendering.

    Strings and numbers among children are text; HTML given through
    ``dangerouslySetInnerHTML`` contributes its text (parsed with lxml).  Props other than
    ``children`` are not text, and neither are ``<script>``/``<style>`` contents.
    """
    return text_and_cost(value, limits=limits)[0]


def text_and_cost(
    value: Any, *, limits: Limits = DEFAULT_LIMITS, budget: Budget | None = None
) -> tuple[str, int]:
    """:func:`text_content`, and how many values the walk visited (for callers that
    budget many walks together: they may pass their own ``budget``, charged in place,
    rather than a ``limits`` made for each walk)."""
    if budget is None:
        budget = Budget(limits, "text")
    start = budget.left
    limit = max_output_bytes(limits)
    if type(value) is Element:
        # The commonest ask: a host element holding one string (``<a>Next</a>``).  Two
        # values, charged as the walk below would.
        props, tag = value.props, value.type
        if type(props) is dict and type(tag) is str and tag not in _NOT_TEXT:
            children = props.get("children")
            if type(children) is str and "dangerouslySetInnerHTML" not in props:
                budget.left -= 2
                if budget.left < 0:
                    raise budget.exceeded()
                if len(children) > limit:
                    raise output_too_big(limit, "text")
                return children, 2
    native = _native_text()
    if native is not None:
        text = native(value, budget, limit, _TEXT_CONSTS)
        if text is not _BAIL:
            return text, start - budget.left
    return _text_walk(value, budget, limit), start - budget.left


def _text_walk(value: Any, budget: Budget, limit: int) -> str:
    """:func:`text_and_cost`'s walk, the reference of its C twin (``tree/_ctext.c``,
    ``_crender.text``): the same values visited in the same order, the same units
    charged, the same errors at the same points (``tests/test_native_text.py``)."""
    parts: list[str] = []
    room = limit  # a string shared by many children is text each time: bound the total
    # Walk's visit, inlined (rules read the text of thousands of nodes per page): one
    # unit of budget a value, lazies read through, a container visited once.  Elements
    # and lists, nearly every container met, take the first branches; an element's
    # string child is read at once (it would be the next value popped anyway).
    seen: set[int] = set()
    stack: list[Any] = [value]
    push = stack.append
    while stack:
        node = stack.pop()
        budget.left -= 1
        if budget.left < 0:
            raise budget.exceeded()
        kind = type(node)
        if kind is str:
            text = node
        elif kind is Element:
            if id(node) in seen:
                continue
            seen.add(id(node))
            tag = node.type
            if type(tag) is not str:
                tag = unwrap(tag)
                if isinstance(tag, str) and tag in _NOT_TEXT:  # (a component is text)
                    continue
            elif tag in _NOT_TEXT:
                continue
            props = node.props
            if type(props) is not dict:
                props = unwrap(props)
                if not isinstance(props, dict):
                    continue
            inner = props.get("dangerouslySetInnerHTML")
            if isinstance(inner, dict) and isinstance(inner.get("__html"), str):
                budget.spend(len(inner["__html"]) // 64)  # parsing HTML is work too
                text = _html_text(inner["__html"])
            else:
                children = props.get("children")
                if type(children) is not str:
                    push(children)
                    continue
                budget.left -= 1
                if budget.left < 0:
                    raise budget.exceeded()
                text = children
        elif kind is list:
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.extend(reversed(node))
            continue
        elif node is None:
            continue
        else:
            text = _other_text(node, seen, stack, budget)
            if text is None:
                continue
        room -= len(text)
        if room < 0:
            raise output_too_big(limit, "text")
        parts.append(text)
    return "".join(parts)


def _other_text(node: Any, seen: set[int], stack: list[Any], budget: Budget) -> str | None:
    """:func:`text_and_cost`'s visit of a value that is neither a string, an element nor
    a list: its text, or ``None`` when it has none (a container's items are pushed)."""
    kind = type(node)
    if isinstance(node, READABLE):
        node = unwrap(node)
        kind = type(node)
    if kind is str:
        return node  # type: ignore[no-any-return]
    if kind is list or kind is Element or isinstance(node, CONTAINERS):
        if id(node) in seen:
            return None
        seen.add(id(node))
        if isinstance(node, list):
            stack.extend(reversed(node))
            return None
        if not isinstance(node, Element) or element_type(node) in _NOT_TEXT:
            return None
        props = unwrap(node.props)
        if not isinstance(props, dict):
            return None
        inner = props.get("dangerouslySetInnerHTML")
        if isinstance(inner, dict) and isinstance(inner.get("__html"), str):
            budget.spend(len(inner["__html"]) // 64)  # parsing HTML is work too
            return _html_text(inner["__html"])
        stack.append(props.get("children"))
        return None
    if isinstance(node, str):
        return node
    if isinstance(node, bool) or node is None:
        return None
    if isinstance(node, (int, float)):
        return number_text(node)
    return None


_NOT_TEXT = ("script", "style", "template")


def _html_text(markup: str) -> str:
    """The text of an HTML fragment, as a browser's ``textContent`` of it."""
    fragment = parse_fragment(markup)
    if fragment is None:
        return strip_tags(markup) if markup.strip() else ""
    return str(fragment.text_content())


def _native_text() -> Callable[[Any, Budget, int, tuple[Any, ...]], Any] | None:
    """``_crender.text`` when the native engine is in use (read per call, as the tests
    switch engines), else ``None``."""
    if _engine.ENGINE != "native":
        return None
    text: Callable[[Any, Budget, int, tuple[Any, ...]], Any] = _engine.native_module(
        NATIVE_MODULE
    ).text
    return text


#: The compiled module of the text walk (``tree/_ctext.c``, built into ``_crender``).
NATIVE_MODULE = "rsc_flight._crender"
#: What the C walk gives back when the reference must walk instead (the budget untouched).
_BAIL = object()
#: What ``_crender.text`` reads besides the value: the classes it knows, the tags whose
#: content is not text, the reference's helpers it calls, and :data:`_BAIL`.
_TEXT_CONSTS = (
    Element,
    Lazy,
    JSPromise,
    _NOT_TEXT,
    READABLE,
    unwrap,
    _html_text,
    number_text,
    output_too_big,
    _other_text,
    _BAIL,
)
