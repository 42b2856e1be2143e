"""The HTML renderer as it was before its fast loop (rsc_flight 0.x, ``tree/render.py``),
kept as the oracle of ``tests/test_render_fast.py``.

``rsc_flight.tree.render`` writes host elements, text, lists and close tasks in its own
loop, without a call per node; this copy walks every value through the same methods,
one small step each.  The two must give the same HTML, and the same error, for every
tree and every set of limits.  Not shipped; not to be edited except to follow a change
of behaviour made on purpose in both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import attrs

from rsc_flight.errors import FlightLimitError
from rsc_flight.limits import DEFAULT_LIMITS, Limits
from rsc_flight.model.values import (
    UNDEFINED,
    ClientReference,
    Element,
    ErrorRaised,
    ErrorValue,
    JSDate,
    Pending,
)
from rsc_flight.model.walk import READABLE, Budget, OnPath, promise_of, unwrap
from rsc_flight.tree.attributes import (
    VOID,
    attribute,
    escape,
    input_props,
    max_output_bytes,
    number_text,
    output_too_big,
    to_string,
)
from rsc_flight.tree.document import (
    SLOTS,
    hoist_slot,
    top_level_html,
    write_document,
    write_hoisted,
)
from rsc_flight.tree.guard import stage_boundary

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


class _Raw(str):
    """Markup already written (an end tag, a comment): a task that is output as it is,
    where a plain ``str`` on the task stack is text to escape."""

    __slots__ = ()


class _Then:
    """A task that runs ``action(argument)`` once everything pushed after it is done:
    closing what a value opened (the cycle cut, the depth, the output list)."""

    __slots__ = ("action", "argument")

    def __init__(self, action: Callable[[Any], None], argument: Any = None) -> None:
        self.action = action
        self.argument = argument


class _Close:
    """A task that closes a container the walk opened (the cycle cut and the depths)
    once its content is written; for a host element, ``end`` is its end tag.  It also
    holds where the container's output began, for :class:`_Written`."""

    __slots__ = ("container", "element", "end", "events", "left", "out", "start", "svg")

    def __init__(self, container: Any, element: bool, renderer: _Renderer) -> None:
        self.container = container
        self.element = element
        self.end = ""
        self.svg = False
        self.out = renderer.out
        self.start = len(renderer.out)
        self.left = renderer.budget.left
        self.events = renderer.events


class _Written:
    """A container's output, kept to write it again at the cost of a copy.

    A subtree shared by many parents is written each time it appears, as in a browser;
    writing it again node by node is what made a "billion laughs" payload take seconds
    to reach ``max_expansion``.  A container whose rendering did not depend on where it
    stood (no cycle cut, nothing hoisted, no document) is remembered as the slice of the
    output it wrote and the nodes it cost; met again in the same kind of place (same
    hoisting, same client hook), no deeper, its text is written and its nodes charged at
    once, so the budgets trip after work linear in the input.
    """

    __slots__ = ("container", "context", "depth", "end", "nesting", "nodes", "out", "start", "text")

    def __init__(self, close: _Close, renderer: _Renderer) -> None:
        self.container = close.container
        self.out = close.out
        self.start = close.start
        self.end = len(close.out)
        self.nodes = close.left - renderer.budget.left
        self.depth = renderer.depth  # the depths around it where it was written
        self.nesting = renderer.nesting
        self.context = renderer.context()
        self.text: str | None = None

    def written(self) -> str:
        """The text, joined the first time it is written again."""
        if self.text is None:
            self.text = "".join(self.out[self.start : self.end])
            self.out = []  # the slice is copied: the list is the rendering's, not ours
        return self.text


#: Long strings are escaped once per rendering however often a shared row repeats them.
_ESCAPE_MEMO_FROM = 256
#: Props objects with this many props have their start tag remembered per rendering (a
#: shared props row of many attributes is then written at the cost of a copy); smaller
#: ones cost less to write again than to remember.
_REMEMBER_START_TAGS_FROM = 8


class _Renderer:
    """One rendering: the output so far, the budgets, and the document-mode state.

    The walk is iterative: :attr:`tasks` holds the values still to write (the next one
    last) and, between them, :class:`_Raw` markup and :class:`_Then` actions that close
    what a value opened, so a 100,000-deep tree costs a long list, never the Python
    stack.  Three bounds apply: ``max_expansion`` nodes written, ``max_depth`` elements
    open (and four times that many open values: lists and lazies between elements), and
    ``max_output_bytes`` characters written (a shared row is written each time it
    appears, as in a browser, so output can grow faster than the input; long strings and
    shared props are escaped once, so the time stays linear in the output).  Shared
    subtrees are written each time they appear, so the cycle cut is the set of
    containers open around the current node (:class:`~rsc_flight.model.walk.OnPath`).
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
        self.max_output = max_output_bytes(limits)
        self.room = self.max_output  # characters that may still be written
        self.out: list[str] = []
        self.tasks: list[Any] = []
        self.path = OnPath()
        self.depth = 0  # elements open
        self.nesting = 0  # values open: elements, lists, lazies
        self.max_nesting = 4 * limits.max_depth
        self.escaped: dict[int, tuple[str, str]] = {}
        #: Containers written, by id (:class:`_Written`), and a count of the things that
        #: make a rendering depend on its place (cycle cuts, hoisting, documents).
        self.written: dict[int, _Written] = {}
        self.events = 0
        self.start_tags: dict[int, tuple[Any, str, str]] = {}
        # Document mode (an <html> root): hoisted head content by slot, and whether we
        # are inside <svg> (where nothing is hoisted).
        self.document = False
        self.slots: dict[str, list[str]] = {slot: [] for slot in SLOTS}
        self.in_svg = 0
        self.html_open = False
        self.host_depth = 0  # host elements open around the current node

    # -- the loop ---------------------------------------------------------------------

    def run(self, node: Any) -> None:
        """Write ``node`` and everything it holds."""
        tasks = self.tasks
        tasks.append(node)
        budget = self.budget
        while tasks:
            task = tasks.pop()
            kind = type(task)
            if kind is _Raw:
                self.put(task)
                continue
            if kind is _Close:
                self.close(task)
                continue
            if kind is _Then:
                task.action(task.argument)
                continue
            budget.left -= 1
            if budget.left < 0:
                raise budget.exceeded()
            if kind is str:
                text = escape(task) if len(task) < _ESCAPE_MEMO_FROM else self.escape(task)
                self.room -= len(text)
                if self.room < 0:
                    raise output_too_big(self.max_output)
                self.out.append(text)
            else:
                self.render(task)

    def close(self, task: _Close) -> None:
        """Close a container: its end tag, the depths, and remember what it wrote."""
        self.path.leave(task.container)
        if task.element and task.end:
            self.host_depth -= 1
            self.in_svg -= task.svg
            self.put(task.end)
        self.nesting -= 1
        if task.element:
            self.depth -= 1
        if task.events == self.events and task.out is self.out:
            key = id(task.container)
            if key not in self.written:
                self.written[key] = _Written(task, self)

    def context(self) -> tuple[bool, bool, ClientHook | None]:
        """What a subtree's output depends on beyond itself: whether hoisting is on,
        whether an ``<html>`` here would start a document, and the client hook in force
        (a hook is taken to answer the same for the same element, as Next.js page
        assembly's hooks do: a subtree is not asked again under the same hook)."""
        return (
            self.document and not self.in_svg,
            self.host_depth == 0 and not self.html_open,
            self.client_hook,
        )

    def again(self, container: Any) -> bool:
        """Write a container met before at once, if its output can be reused here."""
        known = self.written.get(id(container))
        if (
            known is None
            or known.container is not container
            or self.depth > known.depth
            or self.nesting > known.nesting
            or known.context != self.context()
        ):
            return False
        self.budget.charge(known.nodes)
        self.put(known.written())
        return True

    def put(self, text: str) -> None:
        """Append to the output, charged to ``max_output_bytes``."""
        self.room -= len(text)
        if self.room < 0:
            raise output_too_big(self.max_output)
        self.out.append(text)

    def escape(self, text: str) -> str:
        """:func:`escape`, once per long string however often it is written."""
        if len(text) < _ESCAPE_MEMO_FROM:
            return escape(text)
        known = self.escaped.get(id(text))
        if known is not None and known[0] is text:
            return known[1]
        escaped = escape(text)
        self.escaped[id(text)] = (text, escaped)
        return escaped

    def push(self, node: Any) -> None:
        """Write ``node`` next (before the tasks already waiting)."""
        self.tasks.append(node)

    def then(self, action: Callable[[Any], None], argument: Any = None) -> None:
        """Run ``action(argument)`` after what is pushed next is written."""
        self.tasks.append(_Then(action, argument))

    def open(self, container: Any, element: bool) -> _Close | None:
        """Enter a container and push the task that closes it; ``None`` (a cycle
        comment written) if it is already open."""
        if not self.path.enter(container):
            self.events += 1
            self.put(_CYCLE)
            return None
        self.nesting += 1
        if element:
            self.depth += 1
            if self.depth > self.budget.max_depth:
                raise self.budget.too_deep()
        elif self.nesting > self.max_nesting:
            raise FlightLimitError(f"values nest deeper than 4 x max_depth={self.max_nesting}")
        close = _Close(container, element, self)
        self.tasks.append(close)
        return close

    def set_out(self, out: list[str]) -> None:
        self.events += 1
        self.out = out

    # -- values -----------------------------------------------------------------------

    def render(self, node: Any) -> None:
        """Write any value: text escaped, elements as React would, the rest as nothing."""
        if isinstance(node, str):
            self.put(self.escape(node))
        elif isinstance(node, Element):
            if self.written and self.again(node):
                return
            close = self.open(node, True)
            if close is not None:
                self.element(node, close)
        elif isinstance(node, list):
            if self.written and self.again(node):
                return
            if self.open(node, False) is not None:
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
            if self.path.enter(promise):  # not a cycle: say why it has no value
                self.path.leave(promise)
                self.put(_comment("error", _error_text(thrown.value)))
            else:
                self.events += 1
                self.put(_CYCLE)
            return
        if self.written and self.again(promise):
            return
        if self.open(promise, False) is not None:  # a promise that resolves to itself is a cycle
            self.push(value)

    def element(self, element: Element, close: _Close) -> None:
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
            self.host(kind, props, close)
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
            self.push(_Raw("</rsc-client>"))
        self.push(props.get("children"))

    def set_hook(self, hook: ClientHook | None) -> None:
        self.client_hook = hook

    def host(self, tag: str, props: dict[str, Any], close: _Close | None = None) -> None:
        """A host element: start tag with attributes, content, end tag (written by
        ``close``, the element's close task, when given)."""
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
        if len(start) < _ESCAPE_MEMO_FROM:
            self.put(start + ">")
        else:  # a remembered start tag: written as the same object, not copied each time
            self.put(start)
            self.put(">")
        inner = props.get("dangerouslySetInnerHTML")
        if isinstance(inner, dict) and "__html" in inner:
            self.tasks.append(_Raw(f"</{tag}>"))
            self.inner_html(tag, inner["__html"])
        elif tag in ("script", "style"):
            self.tasks.append(_Raw(f"</{tag}>"))
            self.raw_text(tag, props.get("children"))
        else:
            svg = tag == "svg"
            self.in_svg += svg
            self.host_depth += 1
            if close is not None:
                close.end, close.svg = f"</{tag}>", svg  # written when the element closes
            else:  # a hoisted element, written outside the walk's own close task
                self.tasks.append(_Raw(f"</{tag}>"))
                self.then(self.leave_host, svg)
            self.push(props.get("children"))

    def leave_host(self, svg: bool) -> None:
        self.in_svg -= svg
        self.host_depth -= 1

    def start_tag(self, tag: str, props: dict[str, Any]) -> str:
        """``<tag`` and the attributes, worked out once per props object: a props row
        shared by many elements is escaped once, not once per element."""
        if len(props) >= _REMEMBER_START_TAGS_FROM:
            known = self.start_tags.get(id(props))
            if known is not None and known[0] is props and known[1] == tag:
                return known[2]
        written = props if tag != "input" else input_props(props)
        parts = ["<" + tag]
        room = self.room
        for name, value in written.items():
            text = attribute(name, value, self.escape, room)
            if text is not None:
                parts.append(text)
                room -= len(text)
                if room < 0:
                    raise output_too_big(self.max_output)
        start = "".join(parts)
        if len(written) >= _REMEMBER_START_TAGS_FROM:
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
