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

import functools
import re
from collections.abc import Callable
from typing import Any

import attrs

from ..errors import FlightLimitError
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
from ..model.walk import READABLE, Budget, promise_of, unwrap
from .attributes import (
    LONG,
    VOID,
    escape,
    input_props,
    max_output_bytes,
    number_text,
    output_too_big,
    start_tag,
    to_string,
)
from .document import SLOTS, hoist_slot, top_level_html, write_document, write_hoisted
from .guard import stage_boundary

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
    closing what a value opened (the hook, the output list, a hoisted element)."""

    __slots__ = ("action", "argument")

    def __init__(self, action: Callable[[Any], None], argument: Any = None) -> None:
        self.action = action
        self.argument = argument


class _Close(tuple):  # type: ignore[type-arg]
    """A task that closes a container the walk opened (the cycle cut and the depths)
    once its content is written: ``(container, element, end, svg, out, start, left,
    events, depth, nesting)``.  ``end`` is a host element's end tag (``""`` for the other
    containers), ``svg`` whether it is an ``<svg>``; the rest is where the container's
    output began and the state around it, for :meth:`_Renderer.again`.

    A tuple, built in one call, since one is made for most nodes of a page.
    """

    __slots__ = ()


_CONTAINER, _ELEMENT, _END, _SVG, _OUT, _START, _LEFT, _EVENTS, _DEPTH, _NESTING = range(10)

#: Long strings are escaped once per rendering however often a shared row repeats them.
_ESCAPE_MEMO_FROM = LONG
#: Props objects with this many props have their start tag remembered per rendering (a
#: shared props row of many attributes is then written at the cost of a copy); smaller
#: ones cost less to write again than to remember.
_REMEMBER_START_TAGS_FROM = 8
#: Tags the walk's own loop does not write (:meth:`_Renderer.visit`): documents, what
#: may be hoisted into a document's head, raw text, ``<input>``'s prop order, and
#: ``<title>``'s rule for several children.  :meth:`_Renderer.host` writes them.
_OWN_RULES = frozenset({"html", "title", "meta", "link", "script", "style", "input"})
_END_TAGS: dict[str, str] = {}


class _Renderer:
    """One rendering: the output so far, the budgets, and the document-mode state.

    The walk is iterative: :attr:`tasks` holds the values still to write (the next one
    last) and, between them, :class:`_Raw` markup, :class:`_Close` and :class:`_Then`
    tasks that close what a value opened, so a 100,000-deep tree costs a long list, never
    the Python stack.  Three bounds apply: ``max_expansion`` nodes written, ``max_depth``
    elements open (and four times that many open values: lists and lazies between
    elements), and ``max_output_bytes`` characters written (a shared row is written each
    time it appears, as in a browser, so output can grow faster than the input; long
    strings and shared props are escaped once, so the time stays linear in the output).
    Shared subtrees are written each time they appear, so the cycle cut is the set of
    containers open around the current node (:attr:`open`, by id).

    Written-once containers (a subtree shared by many parents is written each time it
    appears, as in a browser; writing it again node by node is what made a "billion
    laughs" payload take seconds to reach ``max_expansion``): a container whose rendering
    did not depend on where it stood (no cycle cut, nothing hoisted, no document) is
    remembered in :attr:`written` as the slice of the output it wrote and the nodes it
    cost; met again in the same kind of place (same hoisting, same client hook), no
    deeper, its text is written and its nodes charged at once (:meth:`again`), so the
    budgets trip after work linear in the input.
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
        self.open: set[int] = set()  # ids of the containers open around the current node
        self.depth = 0  # elements open
        self.nesting = 0  # values open: elements, lists, lazies
        self.max_nesting = 4 * limits.max_depth
        self.escaped: dict[int, tuple[str, str]] = {}
        self.escape_long = functools.partial(_escape_remembered, self.escaped)
        #: Containers written, by id: their close task, where their output ended, the
        #: nodes they cost and :meth:`context`; and the text of those written again.
        self.written: dict[int, tuple[_Close, int, int, tuple[Any, ...]]] = {}
        self.texts: dict[int, str] = {}
        #: A count of the things that make a rendering depend on its place (cycle cuts,
        #: hoisting, documents): a container during which it moved is not remembered.
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
        """Write ``node`` and everything it holds.

        Text, lists, host elements and close tasks, most of a page, are handled here and
        in :meth:`visit` without a call per step; :meth:`render` takes everything else.
        """
        tasks = self.tasks
        tasks.append(node)
        pop = tasks.pop
        budget = self.budget
        written = self.written
        opened = self.open
        while tasks:
            task = pop()
            kind = type(task)
            if kind is str:
                budget.left -= 1
                if budget.left < 0:
                    raise budget.exceeded()
                if len(task) >= _ESCAPE_MEMO_FROM:
                    task = self.escape(task)
                elif "&" in task or "<" in task or ">" in task or '"' in task or "'" in task:
                    task = escape(task)
                self.room -= len(task)
                if self.room < 0:
                    raise output_too_big(self.max_output)
                self.out.append(task)
            elif kind is Element:
                budget.left -= 1
                if budget.left < 0:
                    raise budget.exceeded()
                self.visit(task)
            elif kind is _Close:  # see close(), written out here for speed
                key = id(task[_CONTAINER])
                opened.discard(key)
                end = task[_END]
                if end:
                    self.host_depth -= 1
                    self.in_svg -= task[_SVG]
                    self.room -= len(end)
                    if self.room < 0:
                        raise output_too_big(self.max_output)
                    self.out.append(end)
                self.nesting -= 1
                if task[_ELEMENT]:
                    self.depth -= 1
                out = self.out
                if task[_EVENTS] == self.events and task[_OUT] is out and key not in written:
                    context = (
                        self.document and not self.in_svg,
                        self.host_depth == 0 and not self.html_open,
                        self.client_hook,
                    )  # see context()
                    written[key] = (task, len(out), task[_LEFT] - budget.left, context)
            elif kind is list:
                budget.left -= 1
                if budget.left < 0:
                    raise budget.exceeded()
                key = id(task)
                if written and key in written and self.again(task):
                    continue
                if key in opened:
                    self.cycle()
                    continue
                self.nesting += 1
                if self.nesting > self.max_nesting:
                    raise self.too_nested()
                out = self.out
                events, depth, nesting = self.events, self.depth, self.nesting - 1
                tasks.append(
                    _Close(
                        (task, False, "", False, out, len(out), budget.left, events, depth, nesting)
                    )
                )
                opened.add(key)
                tasks.extend(reversed(task))
            elif kind is _Raw:
                self.put(task)
            elif kind is _Then:
                task.action(task.argument)
            else:
                budget.left -= 1
                if budget.left < 0:
                    raise budget.exceeded()
                self.render(task)

    def visit(self, element: Element) -> None:
        """An element: a host element whose tag has no rule of its own is written here,
        a leaf (one whose children are a string or absent) in one go; the others go
        through :meth:`element`."""
        tag = element.type
        props = element.props
        if (
            type(tag) is not str
            or type(props) is not dict
            or tag in _OWN_RULES
            or "dangerouslySetInnerHTML" in props
        ):
            if self.written and self.again(element):
                return
            if self.open_container(element, True) is not None:
                self.element(element)
            return
        children = props.get("children")
        budget = self.budget
        leaf = children is None or type(children) is str or tag in VOID
        if leaf:
            # Nothing inside can be shared or open already: no cycle, nothing to remember.
            if self.depth >= budget.max_depth:
                raise budget.too_deep()
        else:
            key = id(element)
            if self.written and key in self.written and self.again(element):
                return
            if key in self.open:
                self.cycle()
                return
            self.nesting += 1
            self.depth += 1
            if self.depth > budget.max_depth:
                raise budget.too_deep()
            out = self.out
            end = _END_TAGS.get(tag) or _end_tag(tag)
            svg = tag == "svg"
            events, depth, nesting = self.events, self.depth - 1, self.nesting - 1
            self.tasks.append(
                _Close(
                    (element, True, end, svg, out, len(out), budget.left, events, depth, nesting)
                )
            )
            self.open.add(key)
        if len(props) < _REMEMBER_START_TAGS_FROM:
            start = start_tag(tag, props, self.escape_long, self.room, self.max_output)
        else:
            start = self.start_tag(tag, props)
        if not leaf:
            if len(start) < _ESCAPE_MEMO_FROM:
                self.put(start + ">")
            else:  # a remembered start tag: written as the same object, not copied
                self.put(start)
                self.put(">")
            self.in_svg += svg
            self.host_depth += 1
            self.tasks.append(children)
            return
        if tag in VOID:
            self.put(start + "/>")
            return
        # The start tag, the text (a node of its own, as when pushed), the end tag.
        room = self.room - len(start) - 1
        if room < 0:
            raise output_too_big(self.max_output)
        budget.left -= 1  # the children, written or not
        if budget.left < 0:
            raise budget.exceeded()
        if children is None:
            children = ""
        elif len(children) >= _ESCAPE_MEMO_FROM:
            children = self.escape(children)
        elif (
            "&" in children
            or "<" in children
            or ">" in children
            or '"' in children
            or "'" in children
        ):
            children = escape(children)
        end = _END_TAGS.get(tag) or _end_tag(tag)
        room -= len(children) + len(end)
        if room < 0:
            raise output_too_big(self.max_output)
        self.room = room
        if len(start) < _ESCAPE_MEMO_FROM and len(children) < _ESCAPE_MEMO_FROM:
            self.out.append(start + ">" + children + end)
        else:  # remembered strings are written as the same objects, not copied
            self.out.extend((start, ">", children, end))

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
        key = id(container)
        known = self.written.get(key)
        if known is None:
            return False
        close, end, nodes, context = known
        if (
            close[_CONTAINER] is not container
            or self.depth > close[_DEPTH]
            or self.nesting > close[_NESTING]
            or context != self.context()
        ):
            return False
        self.budget.charge(nodes)
        text = self.texts.get(key)
        if text is None:
            # joined the first time it is written again
            text = self.texts[key] = "".join(close[_OUT][close[_START] : end])
        self.put(text)
        return True

    def cycle(self) -> None:
        """A container met inside itself: a comment, and the walk goes on."""
        self.events += 1
        self.put(_CYCLE)

    def too_nested(self) -> FlightLimitError:
        return FlightLimitError(f"values nest deeper than 4 x max_depth={self.max_nesting}")

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
        return _escape_remembered(self.escaped, text)

    def push(self, node: Any) -> None:
        """Write ``node`` next (before the tasks already waiting)."""
        self.tasks.append(node)

    def then(self, action: Callable[[Any], None], argument: Any = None) -> None:
        """Run ``action(argument)`` after what is pushed next is written."""
        self.tasks.append(_Then(action, argument))

    def open_container(self, container: Any, element: bool) -> _Close | None:
        """Enter a container and push the task that closes it; ``None`` (a cycle
        comment written) if it is already open."""
        key = id(container)
        if key in self.open:
            self.cycle()
            return None
        self.nesting += 1
        if element:
            self.depth += 1
            if self.depth > self.budget.max_depth:
                raise self.budget.too_deep()
        elif self.nesting > self.max_nesting:
            raise self.too_nested()
        out = self.out
        close = _Close(
            (container, element, "", False, out, len(out), self.budget.left)
            + (self.events, self.depth - element, self.nesting - 1)
        )
        self.tasks.append(close)
        self.open.add(key)
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
            self.push(_Raw("</rsc-client>"))
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
        start = start_tag(tag, written, self.escape_long, self.room, self.max_output)
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


def _escape_remembered(memo: dict[int, tuple[str, str]], text: str) -> str:
    """:func:`escape` through a rendering's memo of long strings, by identity."""
    known = memo.get(id(text))
    if known is not None and known[0] is text:
        return known[1]
    escaped = escape(text)
    memo[id(text)] = (text, escaped)
    return escaped


def _end_tag(tag: str) -> str:
    """``</tag>``, made once per tag name (a page's tags are few; a hostile page's many
    names are not kept)."""
    end = f"</{tag}>"
    if len(_END_TAGS) < 512:
        _END_TAGS[tag] = end
    return end


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
