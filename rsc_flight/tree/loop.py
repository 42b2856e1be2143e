"""The renderer's walk: a task stack, the budgets, the cycle cut, written-once subtrees.

:class:`RenderLoop` is the part of :func:`~rsc_flight.render_html` that runs for every
node: it pops the next task and writes text, lists and the host elements with no rule of
their own (most of a page) itself, without a call per step, and hands every other value
to the renderer's rules (:mod:`rsc_flight.tree.render`: documents, hoisting, client
components, lazies, raw text).  Kept apart from those rules because it is written for
speed first: the common tasks are handled inline, in few calls, with the state on the
object; ``tests/test_render_fast.py`` holds it to the plain walk it replaced.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .. import _engine
from ..errors import FlightLimitError
from ..limits import Limits
from ..model.values import Element, JSPromise, Lazy
from ..model.walk import Budget
from .attributes import (
    _PLANS,
    LONG,
    VOID,
    attribute,
    escape,
    max_output_bytes,
    output_too_big,
    start_tag,
)
from .document import SLOTS

__all__ = ["REMEMBER_START_TAGS_FROM", "Raw", "RenderLoop"]

_CYCLE = "<!--rsc: cycle-->"


class Raw(str):
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
    output began and the state around it, for :meth:`RenderLoop.again`.

    A tuple, built in one call, since one is made for most nodes of a page.  The C twin
    (``_crender.c``) builds and reads the same ten fields: change both together.
    """

    __slots__ = ()


_CONTAINER, _ELEMENT, _END, _SVG, _OUT, _START, _LEFT, _EVENTS, _DEPTH, _NESTING = range(10)

#: Long strings are escaped once per rendering however often a shared row repeats them.
_ESCAPE_MEMO_FROM = LONG
#: Props objects with this many props have their start tag remembered per rendering (a
#: shared props row of many attributes is then written at the cost of a copy); smaller
#: ones cost less to write again than to remember.
REMEMBER_START_TAGS_FROM = 8
#: Tags the walk's own loop does not write (:meth:`RenderLoop.visit`): documents, what
#: may be hoisted into a document's head, raw text, ``<input>``'s prop order, and
#: ``<title>``'s rule for several children.  The renderer's ``host`` writes them.
_OWN_RULES = frozenset({"html", "title", "meta", "link", "script", "style", "input"})
_END_TAGS: dict[str, str] = {}


class RenderLoop:
    """One rendering: the output so far, the budgets, and the document-mode state.

    The walk is iterative: :attr:`tasks` holds the values still to write (the next one
    last) and, between them, :class:`Raw` markup, :class:`_Close` and :class:`_Then`
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
        client_hook: Callable[..., Any] | None = None,
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
        #: The compiled twin of :meth:`walk`'s common steps, with the native engine.
        self.native: Callable[[RenderLoop, tuple[Any, ...]], None] | None = _native_run()

    # -- the loop ---------------------------------------------------------------------

    def run(self, node: Any) -> None:
        """Write ``node`` and everything it holds: with the native engine, the compiled
        twin of :meth:`walk` takes the tasks it knows (``_crender.c``) and hands each
        other one to :meth:`walk`, else :meth:`walk` takes them all."""
        tasks = self.tasks
        tasks.append(node)
        native = self.native
        if native is None:
            self.walk(-1)
            return
        while tasks:
            native(self, _CONSTS)
            if tasks:
                self.walk(1)

    def walk(self, steps: int) -> None:
        """Take ``steps`` tasks (``-1``: all of them).

        Text, lists, host elements and close tasks, most of a page, are handled here and
        in :meth:`visit` without a call per step; :meth:`render` takes everything else.
        """
        tasks = self.tasks
        pop = tasks.pop
        budget = self.budget
        written = self.written
        opened = self.open
        while tasks and steps:
            steps -= 1
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
            elif kind is Raw:
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
        if len(props) < REMEMBER_START_TAGS_FROM:
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

    def context(self) -> tuple[bool, bool, Callable[..., Any] | None]:
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
        left, events, depth, nesting = self.budget.left, self.events, self.depth, self.nesting
        close = _Close(
            (
                container,
                element,
                "",
                False,
                out,
                len(out),
                left,
                events,
                depth - element,
                nesting - 1,
            )
        )
        self.tasks.append(close)
        self.open.add(key)
        return close

    def set_out(self, out: list[str]) -> None:
        self.events += 1
        self.out = out

    # -- the rules (rsc_flight.tree.render) -------------------------------------------

    def render(self, node: Any) -> None:
        """Write any value the loop does not write itself."""
        raise NotImplementedError

    def element(self, element: Element) -> None:
        """Write an element the loop does not write itself (its container is open)."""
        raise NotImplementedError

    def start_tag(self, tag: str, props: dict[str, Any]) -> str:
        """``<tag`` and its attributes, remembered per props object."""
        raise NotImplementedError


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


def _native_run() -> Callable[[RenderLoop, tuple[Any, ...]], None] | None:
    """``_crender.run`` when the native engine is in use, else ``None``."""
    if _engine.ENGINE != "native":
        return None
    run: Callable[[RenderLoop, tuple[Any, ...]], None] = _engine.native_module(NATIVE_MODULE).run
    return run


#: The compiled module of the loop's common steps.
NATIVE_MODULE = "rsc_flight._crender"
#: What ``_crender.run`` reads besides the loop: the classes it knows, the plans of the
#: prop names, the tags it leaves to the reference, the end tags, the reference's escape
#: and attribute writer, the two thresholds, and the classes of what it reads through.
_CONSTS = (
    Element,
    _Close,
    _PLANS,
    _OWN_RULES,
    VOID,
    _END_TAGS,
    escape,
    attribute,
    LONG,
    REMEMBER_START_TAGS_FROM,
    Lazy,
    JSPromise,
)
