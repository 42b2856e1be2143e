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

from ..limits import DEFAULT_LIMITS, Limits
from ..model.values import (
    UNDEFINED,
    ClientReference,
    Element,
    ErrorRaised,
    ErrorValue,
    JSDate,
    Pending,
)
from ..model.walk import READABLE, promise_of, unwrap
from .attributes import (
    LONG,
    VOID,
    escape,
    input_props,
    number_text,
    start_tag,
    to_string,
)
from .document import hoist_slot, top_level_html, write_document, write_hoisted
from .guard import stage_boundary
from .loop import REMEMBER_START_TAGS_FROM, Raw, RenderLoop

__all__ = ["ClientHook", "Subtree", "render_html"]


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


class _Renderer(RenderLoop):
    """One rendering: :class:`~rsc_flight.tree.loop.RenderLoop`'s walk, with React's rules
    for what it does not write itself."""

    # -- values -----------------------------------------------------------------------

    def render(self, node: Any) -> None:
        """Write any value: text escaped, elements as React would, the rest as nothing."""
        if isinstance(node, str):
            self.put(self.escape(node))
        elif isinstance(node, Element):
            if self.written and self.again(node):
                return
            if self.open_container(node, True) is not None:
                self.element(node)
        elif isinstance(node, list):
            if self.written and self.again(node):
                return
            if self.open_container(node, False) is not None:
                self.tasks.extend(reversed(node))
        elif node is None or node is UNDEFINED or isinstance(node, bool):
            return
        elif isinstance(node, (int, float)):
            self.put(number_text(node))
        elif isinstance(node, READABLE):
            self.read(node)
        elif isinstance(node, Pending):
            self.put(_comment("pending", "row " + ("?" if node.id is None else f"{node.id:x}")))
        elif isinstance(node, JSDate):
            self.put(self.escape(node.raw))
        # Anything else (symbols, maps, references...) is not renderable: React would
        # throw or print nothing; we print nothing.

    def read(self, node: Any) -> None:
        """A lazy or promise renders what it resolved to, or a comment saying why not."""
        promise = promise_of(node)
        try:
            value = promise.result
        except ErrorRaised as thrown:
            if id(promise) not in self.open:  # not a cycle: say why it has no value
                self.put(_comment("error", _error_text(thrown.value)))
            else:
                self.cycle()
            return
        if self.written and self.again(promise):
            return
        if (
            self.open_container(promise, False) is not None
        ):  # a promise that resolves to itself is a cycle
            self.push(value)

    def element(self, element: Element) -> None:
        """An element by its type: host tag, client component, pending, or a wrapper."""
        kind = element.type
        if isinstance(kind, READABLE):
            try:
                _ = promise_of(kind).result  # only to learn whether it failed
            except ErrorRaised as thrown:
                self.put(_comment("error", _error_text(thrown.value)))
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
            self.put(
                _comment("pending", "component row " + ("?" if kind.id is None else f"{kind.id:x}"))
            )
        else:
            # Fragments, Suspense, StrictMode, Profiler, Activity...: their children.
            self.push(props.get("children"))

    def client(self, element: Element, kind: ClientReference, props: dict[str, Any]) -> None:
        """A client component: what the hook puts in its place, else its ``children``."""
        if self.client_hook is not None:
            replacement = self.client_hook(element, kind, props)
            if isinstance(replacement, Subtree):
                self.then(self.set_hook, self.client_hook)
                self.client_hook = replacement.client_hook
                self.push(replacement.node)
                return
            if replacement is not None:
                self.put(replacement)
                return
        if self.mark_clients:
            label = f"{kind.id}#{kind.name or 'default'}"
            self.put(f'<rsc-client data-client="{escape(label)}">')
            self.push(Raw("</rsc-client>"))
        self.push(props.get("children"))

    def set_hook(self, hook: ClientHook | None) -> None:
        self.client_hook = hook

    def host(self, tag: str, props: dict[str, Any]) -> None:
        """A host element with a rule of its own (see :data:`_OWN_RULES`; :meth:`visit`
        writes the others): start tag with attributes, content, end tag."""
        if tag == "html" and not self.html_open and self.host_depth == 0:
            self.events += 1
            self.html_open = True
            write_document(self, props)
            return
        if self.document and not self.in_svg:
            slot = hoist_slot(tag, props)
            if slot is not None:
                self.events += 1
                write_hoisted(self, tag, props, slot)
                return
        start = self.start_tag(tag, props)
        if tag in VOID:
            self.put(start + "/>")
            return
        if tag == "title":
            children = unwrap(props.get("children"))
            if isinstance(children, list) and len(children) > 1:
                self.put(start + "></title>")  # React renders a title of several parts empty
                return
        if len(start) < LONG:
            self.put(start + ">")
        else:  # a remembered start tag: written as the same object, not copied each time
            self.put(start)
            self.put(">")
        inner = props.get("dangerouslySetInnerHTML")
        if isinstance(inner, dict) and "__html" in inner:
            self.tasks.append(Raw(f"</{tag}>"))
            self.inner_html(tag, inner["__html"])
        elif tag in ("script", "style"):
            self.tasks.append(Raw(f"</{tag}>"))
            self.raw_text(tag, props.get("children"))
        else:
            svg = tag == "svg"
            self.in_svg += svg
            self.host_depth += 1
            self.tasks.append(Raw(f"</{tag}>"))
            self.then(self.leave_host, svg)
            self.push(props.get("children"))

    def leave_host(self, svg: bool) -> None:
        self.in_svg -= svg
        self.host_depth -= 1

    def start_tag(self, tag: str, props: dict[str, Any]) -> str:
        """``<tag`` and the attributes, worked out once per props object: a props row
        shared by many elements is escaped once, not once per element."""
        if len(props) >= REMEMBER_START_TAGS_FROM:
            known = self.start_tags.get(id(props))
            if known is not None and known[0] is props and known[1] == tag:
                return known[2]
        written = props if tag != "input" else input_props(props)
        start = start_tag(tag, written, self.escape_long, self.room, self.max_output)
        if len(written) >= REMEMBER_START_TAGS_FROM:
            self.start_tags[id(props)] = (props, tag, start)
        return start

    def inner_html(self, tag: str, html: Any) -> None:
        """``dangerouslySetInnerHTML``: verbatim, or cleaned when sanitizing (inline
        script and style from the page are dropped then)."""
        if html is None or html is UNDEFINED:
            return
        text = to_string(html, self.room)
        if self.sanitize is not None and tag not in ("script", "style"):
            text = self.sanitize(text)
        elif self.sanitize is not None:
            text = ""
        self.put(text)

    def raw_text(self, tag: str, children: Any) -> None:
        """Script and style contents are not HTML: written as text, only ``</tag`` made safe."""
        if isinstance(children, list):
            text = "".join(
                to_string(c, self.room) for c in children if isinstance(c, (str, int, float))
            )
        elif isinstance(children, (str, int, float)) and not isinstance(children, bool):
            text = to_string(children, self.room)
        else:
            self.push(children)
            return
        self.put(re.sub(rf"</({tag})", r"\\u003c/\1", text, flags=re.IGNORECASE))


def _error_text(error: Any) -> str:
    if isinstance(error, ErrorValue):
        return f"{error.name}: {error.digest or error.message}"
    return repr(error)


def _comment(kind: str, text: str) -> str:
    return f"<!--rsc: {kind} {text.replace('--', '- -').replace('>', '&gt;')}-->"


@stage_boundary("render_html")
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
    renderer.run(node)
    return "".join(renderer.out)
