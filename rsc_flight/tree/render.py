"""Rendering element trees to HTML, as React DOM's server renderer would.

``render_html(node)`` writes host elements the way ``renderToStaticMarkup`` of
``react-dom/server`` does for the same tree: prop names mapped to attribute names
(``className`` to ``class``, ``htmlFor`` to ``for``...), style objects written as CSS
text with React's unitless-number rule, boolean and "booleanish" attributes, void
elements closed as ``<br/>``, ``dangerouslySetInnerHTML`` inserted verbatim, everything
else escaped.  The differential test (``tests/test_html.py``) holds it to React's own
output on the corpus and on our fixtures.

What is not a host element:

* fragments, Suspense boundaries and the other React symbols render their children;
* lazies and promises render what they resolved to; one that never arrived renders as
  ``<!--rsc: pending row 1f-->``, one that failed as ``<!--rsc: error …-->``;
* a client component cannot run here: by default it renders its ``children`` prop (the
  server-rendered part), and ``mark_clients=True`` wraps that in
  ``<rsc-client data-client="module#export">`` so it stays visible.

Output is built by string escaping, not by a DOM, so it stays byte-comparable with React's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import attrs

from ..limits import DEFAULT_LIMITS, Limits, recursion_room
from ..model.values import (
    UNDEFINED,
    ClientReference,
    Element,
    ErrorRaised,
    ErrorValue,
    JSDate,
    Pending,
    js_number,
)
from ..model.walk import READABLE, Budget, OnPath, promise_of, unwrap
from .attributes import VOID, attribute, escape, input_props, to_string
from .document import SLOTS, hoist_slot, top_level_html, write_document, write_hoisted

__all__ = ["ClientHook", "Subtree", "render_html"]

_CYCLE = "<!--rsc: cycle-->"


@attrs.frozen(eq=False)
class Subtree:
    """What a client hook may return: render ``node`` in the component's place, with
    ``client_hook`` for the client components inside it (same output, same budget)."""

    node: Any
    client_hook: ClientHook | None = None


#: Called for each client component met: HTML or a :class:`Subtree` to put in its place,
#: or ``None`` for the default (render its ``children``).  Next.js page assembly uses it
#: for LayoutRouter.
ClientHook = Callable[[Element, ClientReference, dict[str, Any]], "str | Subtree | None"]


class _Renderer:
    """One rendering: the output so far, the budget, and the document-mode state.

    The walk is recursive (output nests as the tree does) under ``recursion_room``;
    ``max_depth`` bounds it.  Shared subtrees are written each time they appear, as in
    a browser, so the cycle cut is the set of containers open around the current node
    (:class:`~rsc_flight.model.walk.OnPath`), not a seen set.
    """

    def __init__(
        self,
        limits: Limits,
        mark_clients: bool,
        client_hook: ClientHook | None = None,
        sanitize: Callable[[str], str] | None = None,
    ) -> None:
        self.mark_clients = mark_clients
        self.client_hook = client_hook
        self.sanitize = sanitize
        self.budget = Budget(limits, "HTML", "elements")
        self.out: list[str] = []
        self.path = OnPath()
        self.depth = 0
        # Document mode (an <html> root): hoisted head content by slot, and whether we
        # are inside <svg> (where nothing is hoisted).
        self.document = False
        self.slots: dict[str, list[str]] = {slot: [] for slot in SLOTS}
        self.in_svg = 0
        self.html_open = False
        self.host_depth = 0  # host elements open around the current node

    def render(self, node: Any) -> None:
        """Write any value: text escaped, elements as React would, the rest as nothing."""
        budget = self.budget
        budget.left -= 1
        if budget.left < 0:
            raise budget.exceeded()
        out = self.out
        # Strings, elements and lists first: nearly every node is one of them.
        if isinstance(node, str):
            out.append(escape(node))
        elif isinstance(node, Element):
            if not self.path.enter(node):
                out.append(_CYCLE)
                return
            self.depth += 1
            if self.depth > budget.max_depth:
                raise budget.too_deep()
            self.element(node)
            self.depth -= 1
            self.path.leave(node)
        elif isinstance(node, list):
            if not self.path.enter(node):
                out.append(_CYCLE)
                return
            for child in node:
                self.render(child)
            self.path.leave(node)
        elif node is None or node is UNDEFINED or isinstance(node, bool):
            return
        elif isinstance(node, (int, float)):
            out.append(js_number(node))
        elif isinstance(node, READABLE):
            self.read(node)
        elif isinstance(node, Pending):
            out.append(_comment("pending", "row " + ("?" if node.id is None else f"{node.id:x}")))
        elif isinstance(node, JSDate):
            out.append(escape(node.raw))
        # Anything else (symbols, maps, references...) is not renderable: React would
        # throw or print nothing; we print nothing.

    def read(self, node: Any) -> None:
        """A lazy or promise renders what it resolved to, or a comment saying why not."""
        promise = promise_of(node)
        if not self.path.enter(promise):
            self.out.append(_CYCLE)  # it resolves to itself
            return
        try:
            value = promise.result
        except ErrorRaised as thrown:
            self.path.leave(promise)
            self.out.append(_comment("error", _error_text(thrown.value)))
            return
        self.render(value)
        self.path.leave(promise)

    def element(self, element: Element) -> None:
        """An element by its type: host tag, client component, pending, or a wrapper."""
        kind = element.type
        if isinstance(kind, READABLE):
            try:
                _ = promise_of(kind).result  # only to learn whether it failed
            except ErrorRaised as thrown:
                self.out.append(_comment("error", _error_text(thrown.value)))
                return
            kind = unwrap(kind)
        props = unwrap(element.props)
        if not isinstance(props, dict):
            props = {}
        if isinstance(kind, str):
            self.host(kind, props)
        elif isinstance(kind, ClientReference):
            self.client(element, kind, props)
        elif isinstance(kind, Pending):
            self.out.append(
                _comment("pending", "component row " + ("?" if kind.id is None else f"{kind.id:x}"))
            )
        else:
            # Fragments, Suspense, StrictMode, Profiler, Activity...: their children.
            self.render(props.get("children"))

    def client(self, element: Element, kind: ClientReference, props: dict[str, Any]) -> None:
        """A client component: what the hook puts in its place, else its ``children``."""
        if self.client_hook is not None:
            replacement = self.client_hook(element, kind, props)
            if isinstance(replacement, Subtree):
                outer_hook = self.client_hook
                self.client_hook = replacement.client_hook
                try:
                    self.render(replacement.node)
                finally:
                    self.client_hook = outer_hook
                return
            if replacement is not None:
                self.out.append(replacement)
                return
        if self.mark_clients:
            label = f"{kind.id}#{kind.name or 'default'}"
            self.out.append(f'<rsc-client data-client="{escape(label)}">')
            self.render(props.get("children"))
            self.out.append("</rsc-client>")
        else:
            self.render(props.get("children"))

    def host(self, tag: str, props: dict[str, Any]) -> None:
        """A host element: start tag with attributes, content, end tag."""
        if tag == "html" and not self.html_open and self.host_depth == 0:
            self.html_open = True
            write_document(self, props)
            return
        if self.document and not self.in_svg:
            slot = hoist_slot(tag, props)
            if slot is not None:
                write_hoisted(self, tag, props, slot)
                return
        out = self.out
        out.append("<" + tag)
        if tag == "input":
            props = input_props(props)
        for name, value in props.items():
            written = attribute(name, value)
            if written is not None:
                out.append(written)
        if tag in VOID:
            out.append("/>")
            return
        if tag == "title":
            children = unwrap(props.get("children"))
            if isinstance(children, list) and len(children) > 1:
                out.append("></title>")  # React renders a title of several parts empty
                return
        out.append(">")
        inner = props.get("dangerouslySetInnerHTML")
        if isinstance(inner, dict) and "__html" in inner:
            self.inner_html(tag, inner["__html"])
        elif tag in ("script", "style"):
            self.raw_text(tag, props.get("children"))
        else:
            self.in_svg += tag == "svg"
            self.host_depth += 1
            self.render(props.get("children"))
            self.host_depth -= 1
            self.in_svg -= tag == "svg"
        out.append(f"</{tag}>")

    def inner_html(self, tag: str, html: Any) -> None:
        """``dangerouslySetInnerHTML``: verbatim, or cleaned when sanitizing (inline
        script and style from the page are dropped then)."""
        if html is None or html is UNDEFINED:
            return
        text = to_string(html)
        if self.sanitize is not None and tag not in ("script", "style"):
            text = self.sanitize(text)
        elif self.sanitize is not None:
            text = ""
        self.out.append(text)

    def raw_text(self, tag: str, children: Any) -> None:
        """Script and style contents are not HTML: written as text, only ``</tag`` made safe."""
        if isinstance(children, list):
            text = "".join(to_string(c) for c in children if isinstance(c, (str, int, float)))
        elif isinstance(children, (str, int, float)) and not isinstance(children, bool):
            text = to_string(children)
        else:
            self.render(children)
            return
        self.out.append(re.sub(rf"</({tag})", r"\\u003c/\1", text, flags=re.IGNORECASE))


def _error_text(error: Any) -> str:
    if isinstance(error, ErrorValue):
        return f"{error.name}: {error.digest or error.message}"
    return repr(error)


def _comment(kind: str, text: str) -> str:
    return f"<!--rsc: {kind} {text.replace('--', '- -').replace('>', '&gt;')}-->"


def render_html(
    node: Any,
    *,
    mark_clients: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    client_hook: ClientHook | None = None,
    sanitize: bool | Callable[[str], str] = False,
) -> str:
    """Render a decoded value (an element, a list of them, a payload's root) to HTML.

    Args:
        node: what to render; strings and numbers render as escaped text.
        mark_clients: wrap what each client component renders in
            ``<rsc-client data-client="module#export">``.
        limits: ``max_expansion`` bounds the nodes written (shared subtrees are written
            each time they appear, as in a browser).
        client_hook: called with each client component element; HTML it returns is put
            in the element's place (``None`` keeps the default).
        sanitize: clean the HTML of ``dangerouslySetInnerHTML`` before inserting it:
            ``True`` uses `nh3 <https://pypi.org/project/nh3/>`_ (the ``sanitize`` extra),
            a callable is used as the cleaner.  Script and style elements given raw HTML
            are emptied.

    The HTML that ``dangerouslySetInnerHTML`` carries is inserted verbatim unless
    ``sanitize`` is given: it is the page's own markup, untrusted (see ``docs/html.md``).
    """
    cleaner: Callable[[str], str] | None
    if sanitize is True:
        try:
            import nh3
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise ImportError(
                "sanitize=True needs nh3: pip install 'rsc_flight[sanitize]'"
            ) from exc
        cleaner = nh3.clean
    else:
        cleaner = sanitize or None
    renderer = _Renderer(limits, mark_clients, client_hook, cleaner)
    # A document (an <html> element outside any other host element, possibly inside
    # fragments) hoists head tags from everywhere, including before the <html> element.
    renderer.document = top_level_html(node)
    with recursion_room(limits):
        renderer.render(node)
    return "".join(renderer.out)
