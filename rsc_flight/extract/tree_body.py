"""The text and links of a body rendered from the element tree, read from the tree itself.

The generic rule renders a body given as an element tree to HTML (:func:`render_html`);
the article's ``body_text`` and ``links`` were then read by parsing that HTML again with
lxml (:mod:`.body_text`).  The parse is the dearest step of the article's assembly, and it
only gives back what the tree already says.  So, when the tree is one whose rendering
lxml reads back unchanged, the same text and links are read from the tree in one walk.

"Unchanged" is decided conservatively, and anything else falls back to the parse (the
reference, which :func:`read_tree_body` returning ``None`` selects):

* only host elements of a known set (:data:`TAGS`), client components and fragments
  (both render their ``children``), strings, numbers and resolved lazies; no
  ``dangerouslySetInnerHTML``, no pending or failed row, no cycle;
* no element directly inside one whose start tag lxml's HTML parser would close
  (``<p>`` before a ``<div>``, ``<li>`` in an ``<li>``: :data:`CLOSES`, measured on the
  parser: the test suite checks the table against it), and no link inside a link;
* no character the parse drops or rewrites (the ones :data:`~rsc_flight.tree.fragment.NOT_XML`
  removes, and carriage returns, which the parser makes line feeds).

The block and line rules are :mod:`.body_text`'s, shared.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from .. import _engine
from ..model.values import UNDEFINED, Element, ErrorRaised, JSDate, JSPromise, Lazy, Pending
from ..model.walk import READABLE, promise_of, unwrap
from ..tree.attributes import number_text
from .body_text import BLOCKS, add_block

__all__ = ["CLOSES", "TAGS", "TreeBody", "read_tree_body"]

#: The host elements the walk reads (lxml's parser keeps each where the tree puts it).
TAGS = frozenset(
    "div section article p h1 h2 h3 h4 h5 h6 ul ol li blockquote pre figure figcaption table "
    "thead tbody tfoot tr td th caption dl dt dd details summary header footer main nav aside "
    "a span em strong b i u s code kbd sup sub small mark del ins abbr cite q time "
    "svg path g rect circle line polyline polygon math mi mo mn mrow mtd mtr mtable mstyle "
    "semantics annotation msup msub msubsup mover munder munderover mtext mfrac msqrt mspace "
    "br img hr input video source".split()
)
_VOID = frozenset({"br", "img", "hr", "input", "source"})
_HEADING_CLOSED = frozenset({"p", "li", "table"})
_CELL_CLOSED = frozenset({"tbody", "tfoot", "tr", "td", "th"})
_FONT_CLOSED = frozenset({"p", "td", "th"})
#: Parent tag → the child tags whose start tag makes lxml's HTML parser close the parent
#: (``"body"``: the top of the fragment).  Measured on the parser for every pair of
#: :data:`TAGS` (``tests/test_tree_body.py`` measures it again).
CLOSES: dict[str, frozenset[str]] = {
    "p": frozenset(
        "div p h1 h2 h3 h4 h5 h6 ul ol li blockquote pre table tbody tfoot tr td th caption "
        "dl dt dd hr".split()
    ),
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), _HEADING_CLOSED),
    "ul": frozenset({"pre"}),
    "li": frozenset({"li"}),
    "pre": frozenset({"ul", "li", "table", "dl", "dt", "dd"}),
    "thead": frozenset({"tbody", "tfoot"}),
    "tbody": frozenset({"tbody", "tfoot"}),
    "tfoot": frozenset({"tbody"}),
    "tr": frozenset({"tbody", "tfoot", "tr"}),
    "td": _CELL_CLOSED,
    "th": _CELL_CLOSED,
    "caption": frozenset({"thead", "tbody", "tfoot", "tr"}),
    "dl": frozenset({"li"}),
    "dt": frozenset({"dl", "dd"}),
    "dd": frozenset({"dt"}),
    "a": frozenset({"table", "td", "th", "a"}),
    "span": frozenset({"td", "th"}),
    "b": _FONT_CLOSED,
    "i": _FONT_CLOSED,
    "u": _FONT_CLOSED,
    "s": frozenset({"p"}),
    "small": frozenset({"p"}),
}
# What the parse drops (NOT_XML) or rewrites (a carriage return becomes a line feed).
_CHANGED = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_NO_CLOSES: frozenset[str] = frozenset()
# The tags whose start or end does more than enter or leave the element.
_SPECIAL = BLOCKS | {"a", "br", "pre"}
_LINK_ATTRIBUTES = frozenset({"href", "rel"})
# The stack's marker for the end of a host element, one per tag.
_END = {tag: (tag,) for tag in TAGS}


class TreeBody(NamedTuple):
    """The body's text (``None`` when it has none) and its links as ``(href, text, rel)``."""

    text: str | None
    links: list[tuple[str, str | None, str | None]]


class _NotPlainError(Exception):
    """The tree holds something the walk does not read as the parse would."""


def read_tree_body(content: Any, html: str, max_values: int) -> TreeBody | None:
    """The text and links :mod:`.body_text` and the extractor would read from ``html``
    (``render_html(content)``) parsed again, or ``None`` when the tree is not one this
    walk reads as that parse would (then parse).  ``max_values`` bounds the walk (the
    render of the same tree succeeded within the same bound)."""
    if "<!--" in html:
        # The render met a cycle, a pending or failed row (it says so in a comment,
        # whose text the parse reads): left to the parse.  Without one, the tree has
        # no cycle, which the walk relies on.
        return None
    native = _native_read()
    if native is not None:
        found = native(content, max_values, _CONSTS)
        if found is not _BAIL:
            if found is None:
                return None
            blocks, links = found
            return TreeBody("\n\n".join(blocks) or None, links)
    walk = _Walk()
    try:
        walk.run(content, max_values)
    except _NotPlainError:
        return None
    return TreeBody("\n\n".join(walk.blocks) or None, walk.links)


class _Walk:
    """One walk: the blocks and links so far, the open host tags, the text of the
    ``<pre>`` and the link being read."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.current: list[str] = []  # the text since the last block boundary
        self.tags: list[str] = ["body"]
        self.pre: list[str] | None = None  # the open <pre>'s text
        self.pre_depth = 0
        self.anchor: list[str] | None = None  # the open link's text
        self.anchor_start: tuple[str, str | None] = ("", None)  # its href and rel
        self.links: list[tuple[str, str | None, str | None]] = []

    def flush(self) -> None:
        if self.current:
            # Source newlines are spaces; only <br> (a NUL here: text holding one is
            # refused) breaks a line.
            text = "".join(self.current).replace("\n", " ").replace("\0", "\n")
            self.current.clear()
            add_block(self.blocks, text)

    def run(self, content: Any, max_values: int) -> None:
        # The common steps (text outside <pre> and links, an inline host element, its
        # end) are written out here: a body has thousands of them.  No cycle can be met
        # (the render wrote no comment), so containers need no bookkeeping; ``left``
        # still bounds the walk.
        stack: list[Any] = [content]
        pop, push = stack.pop, stack.append
        texts: list[str] = []  # every text read, checked once at the end
        add_text, add_current = texts.append, self.current.append
        tags = self.tags
        left = max_values
        while stack:
            item = pop()
            left -= 1
            kind = type(item)
            if kind is str:
                if item:
                    add_text(item)
                    if self.pre is None and self.anchor is None:
                        add_current(item)
                    else:
                        self.add(item)
            elif kind is Element:
                tag, props = item.type, item.props
                if type(tag) is str and type(props) is dict:
                    if tag not in TAGS or "dangerouslySetInnerHTML" in props:
                        raise _NotPlainError
                    closed = CLOSES.get(tags[-1])
                    if closed is not None and tag in closed:
                        raise _NotPlainError
                    children = props.get("children")
                    if type(children) is str and tag not in _SPECIAL:
                        # An inline element holding one string (most of a highlighted
                        # code block): its text, without entering it.
                        if children and tag not in _VOID:
                            add_text(children)
                            if self.pre is None and self.anchor is None:
                                add_current(children)
                            else:
                                self.add(children)
                        continue
                    if tag in _SPECIAL:
                        self.open(tag, props)
                    else:
                        tags.append(tag)
                else:
                    tag, props = self.element(item)
                    if tag is None:  # a component or a fragment: its children
                        push(props.get("children"))
                        if left < 0:  # (one holding itself would loop forever)
                            raise _NotPlainError
                        continue
                push(_END[tag])
                if tag not in _VOID:
                    push(props.get("children"))
            elif kind is tuple:
                tag = item[0]
                if tag in _SPECIAL:
                    self.close(tag)
                else:
                    tags.pop()
            elif kind is list:
                stack.extend(reversed(item))
            elif item is None or item is UNDEFINED or kind is bool:
                continue
            elif kind is int or kind is float:
                push(number_text(item))
            elif isinstance(item, READABLE):
                try:
                    push(promise_of(item).result)
                except ErrorRaised:
                    raise _NotPlainError from None
            elif kind is JSDate:
                push(item.raw)
            else:
                raise _NotPlainError  # pending rows, other subclasses, anything unusual
            if left < 0:
                raise _NotPlainError
        if _CHANGED.search("".join(texts)) is not None:
            raise _NotPlainError
        self.flush()

    def add(self, text: str) -> None:
        """Text inside a ``<pre>`` or a link."""
        if self.pre is not None:
            self.pre.append(text)
        else:
            self.current.append(text)
        if self.anchor is not None:
            self.anchor.append(text)

    def element(self, element: Element) -> tuple[str | None, dict[str, Any]]:
        """Open an element whose type or props are not plain: its host tag (``None`` for
        a component or fragment) and its props."""
        kind = element.type
        if isinstance(kind, READABLE):
            try:
                _ = promise_of(kind).result
            except ErrorRaised:
                raise _NotPlainError from None
            kind = unwrap(kind)
        props = unwrap(element.props)
        if not isinstance(props, dict):
            props = {}
        if type(kind) is not str:
            if isinstance(kind, (str, Pending)):
                raise _NotPlainError  # a pending component (or a str subclass)
            # A client component renders its children, and so do fragments, Suspense
            # boundaries and the other React symbols.
            return None, props
        if kind not in TAGS or "dangerouslySetInnerHTML" in props:
            raise _NotPlainError
        if kind in CLOSES.get(self.tags[-1], _NO_CLOSES):
            raise _NotPlainError
        self.open(kind, props)
        return kind, props

    def open(self, tag: str, props: dict[str, Any]) -> None:
        if tag == "a":
            self.open_link(props)
        self.tags.append(tag)
        if self.pre is not None:
            if tag == "pre":
                self.pre_depth += 1
            return
        if tag == "pre":
            self.flush()
            self.pre = []
            self.pre_depth = 1
        elif tag == "br":
            self.current.append("\0")
        elif tag in BLOCKS:
            self.flush()

    def open_link(self, props: dict[str, Any]) -> None:
        if self.anchor is not None:
            raise _NotPlainError  # a link inside a link
        start = _link_start(props)
        if start is None:
            raise _NotPlainError
        self.anchor = []
        self.anchor_start = start

    def close(self, tag: str) -> None:
        self.tags.pop()
        if tag == "a":
            assert self.anchor is not None
            href, rel = self.anchor_start
            if href and not href.startswith(("javascript:", "#")):
                text = " ".join("".join(self.anchor).split()) or None
                self.links.append((href, text, rel))
            self.anchor = None
        if self.pre is not None:
            if tag == "pre":
                self.pre_depth -= 1
                if self.pre_depth == 0:
                    self.blocks.append("".join(self.pre).strip("\n"))
                    self.pre = None
            return
        if tag in BLOCKS:
            self.flush()


def _link_start(props: dict[str, Any]) -> tuple[str, str | None] | None:
    """A link's href (``""`` for none) and rel, or ``None`` when the parse would not give
    them back as they are (shared with the C walk, which calls it)."""
    if any(name.lower() in _LINK_ATTRIBUTES and name not in _LINK_ATTRIBUTES for name in props):
        return None  # ``HREF``: the parser folds attribute names to lower case
    href = props.get("href")
    rel = props.get("rel")
    if href is not None and not _plain_attribute(href):
        return None
    if rel is not None and not _plain_attribute(rel):
        return None
    return (href or "", rel)


def _plain_attribute(value: Any) -> bool:
    """Whether a link's attribute is a string the parse gives back as it is (React
    blocks ``javascript:`` URLs: such a link is left to the parse)."""
    return (
        type(value) is str
        and value != ""
        and _CHANGED.search(value) is None
        and "javascript" not in value.lower()
    )


def _native_read() -> Callable[[Any, int, tuple[Any, ...]], Any] | None:
    """``_crender.read_body`` when the native engine is in use (read per call, as the
    tests switch engines), else ``None``."""
    if _engine.ENGINE != "native":
        return None
    read: Callable[[Any, int, tuple[Any, ...]], Any] = _engine.native_module(
        NATIVE_MODULE
    ).read_body
    return read


#: The compiled module of the walk's C twin (``tree/_cbody.c``, built into ``_crender``):
#: it gives ``(blocks, links)``, ``None`` where :class:`_Walk` finds the tree not plain,
#: or :data:`_BAIL` where :class:`_Walk` must walk instead (a lazy not yet read, a props
#: object of a ``dict`` subclass).
NATIVE_MODULE = "rsc_flight._crender"
_BAIL = object()
_CONSTS = (
    Element,
    Lazy,
    JSPromise,
    Pending,
    JSDate,
    UNDEFINED,
    ErrorRaised,
    READABLE,
    TAGS,
    _VOID,
    _SPECIAL,
    BLOCKS,
    CLOSES,
    _END,
    number_text,
    _link_start,
    _BAIL,
)
