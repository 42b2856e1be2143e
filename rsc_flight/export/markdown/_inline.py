"""The inline layer: the content of one block flattened into items, then written.

Whitespace is normalised the way a browser shows it before any delimiter is chosen, so
each emphasis span can be given the first delimiter that opens and closes at its exact
place (or ``<strong>``/``<em>``/``<del>`` where none does).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ._chars import (
    _can_open_close,
    _collapse,
    _destination,
    _escape_line_start,
    _escape_text,
    _title,
    _unsafe_url,
)
from ._html import (
    _BLOCK_LEVEL,
    _DROPPED,
    _EMPHASIS,
    _KEPT_INLINE,
    _RAW_BLOCKS,
    _RAW_INLINE,
    _VOID,
    _open_tag,
    _tag,
    _text_content,
)

_TEXT, _OPEN, _CLOSE, _TAG_ITEM, _ATOM, _BREAK, _SEP = range(7)
_PARAGRAPH, _HEADING, _CELL = range(3)
_DELIMITERS = {"strong": ("**", "__"), "em": ("*", "_"), "del": ("~~",)}
_IN_CODE = frozenset({"a", "img", *_EMPHASIS})
_HTML_NAMES = {"strong": "strong", "em": "em", "del": "del"}


@dataclass(eq=False, slots=True)
class _Span:
    """One emphasis element; ``delimiter`` is None until decided, then "" for HTML."""

    kind: str
    parent: _Span | None
    delimiter: str | None = None


@dataclass(eq=False, slots=True)
class _Item:
    """One piece of flattened inline content.

    ``text`` is raw text for text items and finished Markdown for tags (inline HTML, link
    brackets: transparent to whitespace) and atoms (images: content).  A code span is an
    atom whose ``code`` holds its content; its form is chosen when the line is joined.
    """

    kind: int
    text: str = ""
    span: _Span | None = None
    code: str | None = None
    md: str = ""


class _Inline:
    """Flattens the inline content of one block into items."""

    def __init__(self, mode: int) -> None:
        self.mode = mode
        self.items: list[_Item] = []
        self.span: _Span | None = None
        self.in_link = False

    def add_text(self, text: str | None) -> None:
        if text:
            self.items.append(_Item(_TEXT, _collapse(text)))

    def add_nodes(self, nodes: Iterable[Any]) -> None:
        for node in nodes:
            if isinstance(node, str):
                self.add_text(node)
            else:
                self.add_element(node)

    def add_children(self, element: Any) -> None:
        self.add_text(element.text)
        for child in element:
            self.add_element(child)
            self.add_text(child.tail)

    def add_element(self, element: Any) -> None:
        tag = _tag(element)
        if not tag or tag in _DROPPED or tag == "wbr":
            return
        if tag == "br":
            self.items.append(_Item(_BREAK))
        elif tag in _EMPHASIS:
            span = _Span(_EMPHASIS[tag], self.span)
            self.items.append(_Item(_OPEN, span=span))
            self.span = span
            self.add_children(element)
            self.span = span.parent
            self.items.append(_Item(_CLOSE, span=span))
        elif tag == "code" and any(_tag(d) in _IN_CODE for d in element.iterdescendants()):
            # A code span holds only text: code with a link, image or emphasis inside
            # stays an HTML element around converted content.
            self.items.append(_Item(_TAG_ITEM, "<code>"))
            self.add_children(element)
            self.items.append(_Item(_TAG_ITEM, "</code>"))
        elif tag in ("code", "pre"):
            code = _collapse(_text_content(element))
            if code:
                self.items.append(_Item(_ATOM, code=code))
        elif tag == "a":
            self.add_link(element)
        elif tag == "img":
            self.add_image(element)
        elif tag in _KEPT_INLINE and (start := _open_tag(element)) is not None:
            self.items.append(_Item(_TAG_ITEM, start))
            self.add_children(element)
            self.items.append(_Item(_TAG_ITEM, f"</{tag}>"))
        elif tag in _RAW_INLINE or tag in _RAW_BLOCKS:
            self.add_raw(element)
        elif tag in _BLOCK_LEVEL:
            # A block inside inline content (a table cell, a heading): flattened, with a
            # separator that becomes a space, or a <br> in a table cell.
            self.items.append(_Item(_SEP))
            if tag != "hr":
                self.add_children(element)
            self.items.append(_Item(_SEP))
        else:
            self.add_children(element)

    def add_link(self, element: Any) -> None:
        href = element.get("href")
        if href is None or self.in_link or _unsafe_url(href):
            self.add_children(element)
            return
        self.items.append(_Item(_TAG_ITEM, "["))
        self.in_link = True
        self.add_children(element)
        self.in_link = False
        end = "](" + _destination(href) + _title(element.get("title")) + ")"
        self.items.append(_Item(_TAG_ITEM, end))

    def add_image(self, element: Any) -> None:
        src = element.get("src") or ""
        alt = _collapse(element.get("alt") or "").strip(" ")
        if _unsafe_url(src):
            self.add_text(alt)
            return
        markdown = f"![{_escape_text(alt)}]({_destination(src)}{_title(element.get('title'))})"
        self.items.append(_Item(_ATOM, markdown))

    def add_raw(self, element: Any) -> None:
        """An element kept as inline HTML: tags verbatim, text escaped as Markdown text."""
        start = _open_tag(element)
        if start is None:
            self.add_children(element)
            return
        tag = _tag(element)
        # A replaced element (an iframe, a video) is content, like an image; other tags
        # are transparent to whitespace, like the elements Markdown has syntax for.
        self.items.append(_Item(_ATOM if tag in _RAW_INLINE else _TAG_ITEM, start))
        if tag in _VOID:
            return
        self.add_text(element.text)
        for child in element:
            if _tag(child):
                self.add_raw(child)
            self.add_text(child.tail)
        self.items.append(_Item(_TAG_ITEM, f"</{tag}>"))

    # -- finishing ---------------------------------------------------------------------

    def finish(self) -> str:
        """The Markdown for the collected items ("" when there is no content)."""
        items = self._separators(self.items)
        items = _merge_text(items)
        _collapse_spaces(items)
        items = _trim_breaks(items)
        items = _move_spaces_out(items)
        items = _drop_empty_spans(items)
        items = _merge_text(items)
        _collapse_spaces(items)
        items = [i for i in items if i.kind != _TEXT or i.text]
        if not any(i.kind != _OPEN and i.kind != _CLOSE for i in items):
            return ""
        self._render_texts(items)
        _decide_spans(items)
        return self._join(items)

    def _separators(self, items: list[_Item]) -> list[_Item]:
        """Block boundaries met inside inline content: one per gap, and only between
        content, as a space (a <br> in table cells)."""
        out: list[_Item] = []
        for item in items:
            if item.kind != _SEP:
                out.append(item)
                continue
            while out and out[-1].kind == _TEXT and not out[-1].text.strip(" "):
                out.pop()
            if out and out[-1].kind != _SEP:
                out.append(item)
        while out and out[-1].kind == _SEP:
            out.pop()
        return [
            (_Item(_BREAK) if self.mode == _CELL else _Item(_TEXT, " ")) if i.kind == _SEP else i
            for i in out
        ]

    def _break_md(self) -> str:
        return "<br>" if self.mode == _CELL else "\\\n"

    def _render_texts(self, items: list[_Item]) -> None:
        lines_break = self.mode != _CELL
        for index, item in enumerate(items):
            if item.kind == _TEXT:
                start = index == 0 or (lines_break and items[index - 1].kind == _BREAK)
                end = index == len(items) - 1 or (lines_break and items[index + 1].kind == _BREAK)
                item.md = _escape_text(item.text, line_start=start, line_end=end)
            elif item.kind == _BREAK:
                item.md = self._break_md()
            elif item.kind in (_TAG_ITEM, _ATOM) and item.code is None:
                item.md = item.text

    def _join(self, items: list[_Item]) -> str:
        out: list[str] = []
        line_start = True
        for item in items:
            text = item.md
            if item.code is not None:
                text = _code_span(item.code, out[-1][-1:] if out else "", self.mode == _CELL)
            elif item.kind == _TEXT and line_start and self.mode == _PARAGRAPH:
                text = _escape_line_start(text)
            out.append(text)
            line_start = item.kind == _BREAK and self.mode != _CELL
        return "".join(out)


def _code_span(code: str, before: str, in_cell: bool) -> str:
    """A code span whose backtick fence no run inside it can close.

    Right after another backtick (another code span) the runs would merge, and in a
    table cell an escaped pipe cannot be told from a pipe, so those fall back to
    ``<code>`` with escaped content.
    """
    if before == "`" or (in_cell and "\\|" in code):
        return "<code>" + _escape_text(code) + "</code>"
    runs = {len(run) for run in re.findall("`+", code)}
    size = 1
    while size in runs:
        size += 1
    fence = "`" * size
    pad = (
        code.startswith("`")
        or code.endswith("`")
        or (code.startswith(" ") and code.endswith(" ") and code.strip(" ") != "")
    )
    if in_cell:
        code = code.replace("|", "\\|")
    return f"{fence} {code} {fence}" if pad else f"{fence}{code}{fence}"


def _merge_text(items: list[_Item]) -> list[_Item]:
    """Adjacent text items joined (spans and links are the only boundaries), a space
    where two meet dropped (item texts hold no double spaces: ``_collapse``).

    Each run is gathered in a list and joined once: joining pairwise copies the run so
    far at every item, quadratic in a paragraph of many text nodes.
    """
    out: list[_Item] = []
    run: list[str] = []  # texts of the run of text items ending ``out``
    for item in items:
        if item.kind == _TEXT and out and out[-1].kind == _TEXT:
            text = item.text.replace("  ", " ") if "  " in item.text else item.text
            if text.startswith(" ") and run and run[-1].endswith(" "):
                text = text[1:]
            if text:
                run.append(text)
        elif item.kind != _TEXT or item.text:
            _close_run(out, run)
            out.append(item)
            if item.kind == _TEXT:
                run.append(item.text)
    _close_run(out, run)
    return out


def _close_run(out: list[_Item], run: list[str]) -> None:
    """Give the run of text ending ``out`` its joined text."""
    if len(run) > 1:
        out[-1] = _Item(_TEXT, "".join(run))
    run.clear()


def _collapse_spaces(items: list[_Item]) -> None:
    """Drop spaces a browser would not show, across element boundaries.

    A space after a space (or at the start of a line) goes, and so does one at the end
    of a line (before a hard break or the end of the block).  Tags, links and emphasis
    are transparent; images and code are content.
    """
    after_space = True
    last: _Item | None = None
    for item in items:
        if item.kind == _TEXT:
            if after_space and item.text.startswith(" "):
                item.text = item.text[1:]
            if item.text:
                after_space = item.text.endswith(" ")
                last = item
        elif item.kind == _ATOM:
            after_space = False
            last = None
        elif item.kind == _BREAK:
            if last is not None and last.text.endswith(" "):
                last.text = last.text[:-1]
            after_space = True
            last = None
    if last is not None and last.text.endswith(" "):
        last.text = last.text[:-1]


def _move_spaces_out(items: list[_Item]) -> list[_Item]:
    """``<b> a </b>`` → `` **a** ``: delimiters next to a space would not open or close.

    A space right after a run of openers moves before the run, one right before a run of
    closers after it (through nested spans at once).
    """
    out: list[_Item] = []
    index = 0
    while index < len(items):
        end = index
        while end < len(items) and items[end].kind == _OPEN:
            end += 1
        if end > index and end < len(items):
            text = items[end]
            if text.kind == _TEXT and text.text.startswith(" "):
                text.text = text.text[1:]
                out.append(_Item(_TEXT, " "))
        out.extend(items[index : max(end, index + 1)])
        index = max(end, index + 1)
    items, out = out, []
    for item in items:
        if item.kind == _CLOSE:
            at = len(out) - 1
            while at >= 0 and out[at].kind == _CLOSE:
                at -= 1
            if at >= 0 and out[at].kind == _TEXT and out[at].text.endswith(" "):
                out[at].text = out[at].text[:-1]
                out.append(item)
                out.append(_Item(_TEXT, " "))
                continue
        out.append(item)
    return [i for i in out if i.kind != _TEXT or i.text]


def _drop_empty_spans(items: list[_Item]) -> list[_Item]:
    """Emphasis around nothing renders nothing (and ``****`` would be text)."""
    out: list[_Item] = []
    for item in items:
        if item.kind == _CLOSE and out and out[-1].kind == _OPEN and out[-1].span is item.span:
            out.pop()
        else:
            out.append(item)
    return out


def _trim_breaks(items: list[_Item]) -> list[_Item]:
    """Hard breaks at the start or end of a block are dropped: Markdown has none there."""
    content = [
        k
        for k, i in enumerate(items)
        if i.kind in (_ATOM, _BREAK, _TAG_ITEM) or (i.kind == _TEXT and i.text)
    ]
    drop: set[int] = set()
    for order in (content, content[::-1]):
        for k in order:
            if items[k].kind != _BREAK:
                break
            drop.add(k)
    return [i for k, i in enumerate(items) if k not in drop]


def _neighbour(items: list[_Item], index: int, step: int) -> tuple[str, bool]:
    """The character next to an item in the output, and whether it is final yet.

    Undecided delimiters will be ``*``, ``_``, ``~`` or an HTML tag: punctuation either
    way, so they read as ``*`` for flanking and are never reported as a clash.
    """
    at = index + step
    if at < 0 or at >= len(items):
        return " ", True  # the start or end of the line counts as whitespace
    item = items[at]
    if item.kind in (_OPEN, _CLOSE):
        if item.span is None or item.span.delimiter is None:
            return "*", False
        text = item.md
    elif item.code is not None:
        return "`", True
    else:
        text = item.md
    return (text[-1] if step < 0 else text[0]), True


def _decide_spans(items: list[_Item]) -> None:
    """Choose each emphasis span's delimiter, outermost first, or fall back to HTML.

    A delimiter is used when, under both readings of "punctuation", its opener can open
    and its closer can close at their exact places, no already-decided neighbour is the
    same character (runs would merge), and, if the opener could also close, no enclosing
    span uses the same character (the opener would close that one instead).
    """
    opens: dict[int, int] = {}
    closes: dict[int, int] = {}
    order: list[_Span] = []
    for index, item in enumerate(items):
        if item.span is not None:
            if item.kind == _OPEN:
                opens[id(item.span)] = index
                order.append(item.span)
            else:
                closes[id(item.span)] = index
    for span in order:
        start, end = opens[id(span)], closes[id(span)]
        around = (
            _neighbour(items, start, -1),
            _neighbour(items, start, 1),
            _neighbour(items, end, -1),
            _neighbour(items, end, 1),
        )
        span.delimiter = ""
        for delimiter in _DELIMITERS[span.kind]:
            if _delimiter_fits(span, delimiter, around):
                span.delimiter = delimiter
                break
        if span.delimiter:
            items[start].md = items[end].md = span.delimiter
        else:
            name = _HTML_NAMES[span.kind]
            items[start].md, items[end].md = f"<{name}>", f"</{name}>"


def _delimiter_fits(span: _Span, delimiter: str, around: Sequence[tuple[str, bool]]) -> bool:
    marker = delimiter[0]
    if any(final and char == marker for char, final in around):
        return False
    opener_may_close = False
    for symbols in (False, True):
        can_open, can_close = _can_open_close(marker, around[0][0], around[1][0], symbols)
        if not can_open:
            return False
        opener_may_close = opener_may_close or can_close
        if not _can_open_close(marker, around[2][0], around[3][0], symbols)[1]:
            return False
    if opener_may_close:
        outer = span.parent
        while outer is not None:
            if outer.delimiter and outer.delimiter[0] == marker:
                return False
            outer = outer.parent
    return True


def _inline_markdown(nodes: Iterable[Any], mode: int) -> str:
    builder = _Inline(mode)
    builder.add_nodes(nodes)
    return builder.finish()
