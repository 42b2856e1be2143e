"""HTML fragments to CommonMark Markdown (with GFM tables and strikethrough).

Article bodies reach us as HTML strings (``dangerouslySetInnerHTML``), while the people
who read them, and the tools they feed, usually want the Markdown the post was written
in.  :func:`html_to_markdown` writes Markdown that a CommonMark parser renders back to the
same structure: the same blocks with the same text, the same links and the same emphasis.
That promise, not prettiness, decides every choice below, and ``tests/test_markdown.py``
holds the converter to it by rendering the output again with markdown-it-py.

Two layers do the work:

* the block layer walks the element tree and produces blocks (paragraphs, headings,
  lists, quotes, fenced code, pipe tables, raw HTML), each a list of lines, so that
  containers can prefix (``> ``) or indent the lines of what they hold;
* the inline layer flattens the inline content of one block into a list of items (text,
  emphasis delimiters, links, code spans, hard breaks...), normalises whitespace the way
  a browser does, and only then decides how each emphasis span is written.

Emphasis is the delicate part.  CommonMark closes ``**`` only where the delimiter run is
right-flanking, so ``**모델(MLLM)**이`` -- punctuation before the closer, a letter after --
stays literal asterisks, which is common in Korean and Japanese text where particles
attach to the emphasised word.  Each span therefore gets the first of ``*``/``_`` (or
``**``/``__``, ``~~``) that opens and closes at its exact spot, checked with the spec's
flanking rules under both the old and the new definition of punctuation (CommonMark 0.31
counts symbols such as emoji as punctuation, earlier versions do not), and falls back to
``<strong>``/``<em>``/``<del>``, which CommonMark passes through as inline HTML.

Text is escaped so that it renders literally; what Markdown cannot express (iframes,
video, details, definition lists, tables with spans...) is kept as raw HTML, so nothing
is lost.

Known limits, all forced by Markdown: a tight list turns loose when an item's blocks
cannot follow each other without a blank line (text then a list starting at 3); header
cells in body rows become plain cells; image sizes and ``srcset`` are dropped; blocks
inside a heading or table cell are flattened (a ``<pre>`` there becomes a code span); a
trailing ``<br>`` and empty paragraphs, lists and emphasis vanish.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape as _html_escape
from itertools import pairwise
from typing import Any

import lxml.etree
import lxml.html

from ..limits import DEFAULT_LIMITS, recursion_room
from ..tree.fragment import NOT_XML, parse_fragment

__all__ = ["html_to_markdown"]

# --------------------------------------------------------------------------------------
# Element classes

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_EMPHASIS = {
    "strong": "strong",
    "b": "strong",
    "em": "em",
    "i": "em",
    "del": "del",
    "s": "del",
    "strike": "del",
}
#: Removed before conversion: never visible, or not content.
_DROPPED = ("script", "style", "template", "noscript", "head", "title", "meta", "link", "base")
#: Block containers Markdown has no syntax for: their blocks stand for them.
_TRANSPARENT_BLOCKS = frozenset(
    "div section article main header footer aside nav figure figcaption address hgroup "
    "center body html search li dd dt caption thead tbody tfoot tr td th summary legend "
    "colgroup col optgroup option".split()
)
#: Block-level elements Markdown cannot express: kept as raw HTML blocks.
_RAW_BLOCKS = frozenset("details dialog dl form fieldset frameset frame menu".split())
#: Replaced and interactive elements: raw HTML, inline inside text or as a block alone.
_RAW_INLINE = frozenset(
    "iframe video audio canvas svg math object embed button input select textarea picture "
    "map meter progress output portal applet".split()
)
#: Inline phrasing Markdown has no syntax for, kept as HTML tags around converted content.
_KEPT_INLINE = frozenset(
    "sup sub kbd mark ins u abbr q small cite dfn var samp time ruby rt rp bdi bdo data".split()
)
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen".split()
)
_BLOCK_LEVEL = (
    frozenset({"p", "pre", "hr", "blockquote", "ul", "ol", "table", *_HEADINGS})
    | _TRANSPARENT_BLOCKS
    | _RAW_BLOCKS
)
#: Inline elements with a meaning of their own: when they wrap blocks, the whole element
#: is kept as HTML rather than dissolved.
_SEMANTIC_INLINE = frozenset({"a", "code", *_EMPHASIS}) | _KEPT_INLINE

# CommonMark's HTML block start conditions (spec 0.31.2, section 4.6).  Type 6 names that
# changed between spec versions ("source", "search") count as block starts when checking
# for danger and as non-starts when relying on one.
_TYPE6 = frozenset(
    "address article aside base basefont blockquote body caption center col colgroup dd "
    "details dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 "
    "h2 h3 h4 h5 h6 head header hr html iframe legend li link main menu menuitem nav "
    "noframes ol optgroup option p param section summary table tbody td tfoot th thead "
    "title tr track ul".split()
)
_HTML_BLOCK_START = re.compile(
    r"<(?:(?:script|pre|style|textarea)(?:[ \t>]|$)|!--|\?|![A-Za-z]|!\[CDATA\[|/?(?:"
    + "|".join(sorted(_TYPE6 | {"source", "search"}))
    + r")(?:[ \t>]|/>|$))",
    re.IGNORECASE,
)
_ATTRIBUTE = r"""\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^"'=<>`\s]+|'[^']*'|"[^"]*"))?"""
_HTML_TAG_LINE = re.compile(
    rf"(?:<[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$"
)


def _tag(element: Any) -> str:
    """An element's lower-case tag name; ``""`` for comments and other non-elements."""
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _starts_html_block(line: str, *, first: bool) -> bool:
    """Whether a line of inline content would open an HTML block instead.

    Types 1-6 can interrupt a paragraph, so they matter on every line; type 7 (a lone
    tag) only on a paragraph's first line.
    """
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or not stripped.startswith("<"):
        return False
    if _HTML_BLOCK_START.match(stripped):
        return True
    return first and _HTML_TAG_LINE.match(stripped) is not None


# --------------------------------------------------------------------------------------
# Characters: the spec's classes, and escaping

_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
#: Unicode whitespace for flanking: Zs plus tab, LF, VT, FF, CR (markdown-it adds VT).
_MD_SPACE = frozenset("\t\n\x0b\x0c\r \xa0\u1680\u202f\u205f\u3000") | frozenset(
    chr(c) for c in range(0x2000, 0x200B)
)
#: What a parser trims from the ends of a line or paragraph (JavaScript's ``trim``).
_TRIMMED = "".join(sorted(_MD_SPACE | {"\u2028", "\u2029", "\ufeff"}))
_SPACE, _PUNCT, _OTHER = 0, 1, 2


def _char_class(char: str, symbols: bool) -> int:
    """Whitespace, punctuation or other, as CommonMark's flanking rules see a character.

    ``symbols`` selects CommonMark 0.31, where Unicode symbols (``S*``, emoji included)
    count as punctuation; before it only ASCII punctuation and ``P*`` did.
    """
    if char in _MD_SPACE:
        return _SPACE
    if char in _ASCII_PUNCT:
        return _PUNCT
    category = unicodedata.category(char)
    if category[0] == "P" or (symbols and category[0] == "S"):
        return _PUNCT
    return _OTHER


def _can_open_close(marker: str, before: str, after: str, symbols: bool) -> tuple[bool, bool]:
    """Whether a delimiter run of ``marker`` between two characters can open / close."""
    b = _char_class(before, symbols)
    a = _char_class(after, symbols)
    left = a != _SPACE and not (a == _PUNCT and b == _OTHER)
    right = b != _SPACE and not (b == _PUNCT and a == _OTHER)
    if marker == "_":
        return left and (not right or b == _PUNCT), right and (not left or a == _PUNCT)
    return left, right


_ASCII_WS = re.compile(r"[ \t\n\r\f]+")
#: Always escaped in text: each can start some inline construct anywhere in a line.
_ESCAPE = re.compile(r"[\\*\[\]`<|~]|&(?=#?[A-Za-z0-9]+;)|_")
_WORD = re.compile(r"[^\W_]")
_DELIMITER_ROW = re.compile(r":[-: ]*")
_LINE_START = re.compile(r"[#>+=-]|([0-9]+)([.)])")


def _collapse(text: str) -> str:
    """Runs of HTML whitespace become one space, as in normal (non-``pre``) text."""
    return _ASCII_WS.sub(" ", text)


def _escape_text(text: str, *, line_start: bool = False, line_end: bool = False) -> str:
    """Text escaped so that it renders back literally, wherever inline content goes.

    ``_`` between two letters or digits is left alone (it can neither open nor close);
    ``&`` only before something that reads as an entity; ``!`` at the end, since a link
    may follow and ``![`` would make it an image.  Whitespace a parser would trim at the
    start or end of a line (no-break or ideographic spaces) becomes a character
    reference there.
    """

    def replace(match: re.Match[str]) -> str:
        char = match.group()
        if char == "_":
            at = match.start()
            if (
                at > 0
                and at + 1 < len(text)
                and _WORD.match(text[at - 1])
                and _WORD.match(text[at + 1])
            ):
                return char
        return "\\" + char

    out = _ESCAPE.sub(replace, text)
    if out.endswith("!"):
        out = out[:-1] + "\\!"
    if line_start:
        stripped = out.lstrip(_TRIMMED)
        out = "".join(f"&#x{ord(c):X};" for c in out[: len(out) - len(stripped)]) + stripped
    if line_end:
        stripped = out.rstrip(_TRIMMED)
        out = stripped + "".join(f"&#x{ord(c):X};" for c in out[len(stripped) :])
    return out


def _escape_line_start(text: str) -> str:
    """Escape what would start a block at the beginning of a line of a paragraph.

    ``#`` (heading), ``>`` (quote), ``-``/``+`` (list, thematic break, setext underline),
    ``=`` (setext underline) and ``1.``/``1)`` (ordered list).  ``*``, ``_``, `````, ``~``,
    ``<`` and ``|`` are escaped everywhere already.
    """
    match = _LINE_START.match(text)
    if match is None:
        # ":-:" after a line holding a pipe would be a table's delimiter row (markdown-it)
        return "\\" + text if _DELIMITER_ROW.fullmatch(text) else text
    if match.group(1) is not None:
        return match.group(1) + "\\" + text[match.end(1) :]
    return "\\" + text


_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BAD_SCHEME = re.compile(r"(?:javascript|vbscript|file|data):", re.IGNORECASE)
_GOOD_DATA = re.compile(r"data:image/(?:gif|png|jpeg|webp);", re.IGNORECASE)
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]")


def _unsafe_url(url: str) -> bool:
    """Schemes CommonMark renderers refuse to link (markdown-it's ``validateLink``)."""
    squeezed = _URL_JUNK.sub("", url)
    return bool(_BAD_SCHEME.match(squeezed)) and not _GOOD_DATA.match(squeezed)


def _destination(url: str) -> str:
    """A link destination: bare when it can be, in ``<...>`` with spaces or parentheses.

    Line endings and other control characters are percent-encoded (neither form allows
    them); backslashes, ``|`` (tables) and entity-like ``&`` are escaped.
    """
    url = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"%{ord(m.group()):02X}", url)
    escaped = _ENTITY_LIKE.sub(r"\\&", url.replace("\\", "\\\\")).replace("|", "\\|")
    if not url or re.search(r"[ ()<>]", url):
        return "<" + escaped.replace("<", "\\<").replace(">", "\\>") + ">"
    return escaped


def _title(title: str | None) -> str:
    """A link title in double quotes, or nothing; line breaks as character references."""
    if title is None:
        return ""
    escaped = title.replace("\\", "\\\\").replace('"', '\\"').replace("|", "\\|")
    escaped = _ENTITY_LIKE.sub(r"\\&", escaped)
    escaped = re.sub(r"[\n\r\t]", lambda m: f"&#{ord(m.group())};", escaped)
    return f' "{escaped}"'


_ATTR_NAME = re.compile(r"[A-Za-z_:][A-Za-z0-9_.:-]*\Z")
_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*\Z")
_ATTR_ESCAPES = {
    "&": "&amp;",
    '"': "&quot;",
    "<": "&lt;",
    ">": "&gt;",
    "|": "&#124;",
    "\n": "&#10;",
    "\r": "&#13;",
    "\t": "&#9;",
}


def _open_tag(element: Any, *, inline: bool = True) -> str | None:
    """An element's start tag, or None if it cannot be CommonMark inline HTML.

    Attribute values are escaped so the tag stays on one line and holds no ``|`` (which
    would split a table cell).  Inline, attributes whose names CommonMark does not accept
    (``@click``) are left out, since with them the tag would not be recognised at all.
    """
    tag = _tag(element)
    if inline and not _TAG_NAME.match(tag):
        return None
    parts = [f"<{tag}"]
    for name, value in element.attrib.items():
        if value == "" and (not inline or _ATTR_NAME.match(name)):
            parts.append(f" {name}")  # boolean attributes (controls, open) as written
        elif not inline or _ATTR_NAME.match(name):
            parts.append(f' {name}="' + re.sub(r'[&"<>|\n\r\t]', _attr_char, value) + '"')
    return "".join(parts) + ">"


def _attr_char(match: re.Match[str]) -> str:
    return _ATTR_ESCAPES[match.group()]


def _serialize(node: Any) -> str:
    """HTML for a text node (a ``str``) or an element without its tail.

    Written here rather than by libxml2, whose serializer leaves out the end tag of an
    empty ``<li>`` (so the text after it moves inside when parsed again).
    """
    if isinstance(node, str):
        return _html_escape(node, quote=False)
    parts: list[str] = []

    def walk(element: Any) -> None:
        tag = _tag(element)
        if tag:
            parts.append(_open_tag(element, inline=False) or "")
            if tag in _VOID:
                return
            parts.append(_html_escape(element.text or "", quote=False))
            for child in element:
                walk(child)
                parts.append(_html_escape(child.tail or "", quote=False))
            parts.append(f"</{tag}>")

    walk(node)
    return "".join(parts)


def _text_content(element: Any, *, skip_first_newline: bool = False) -> str:
    """All text below an element, ``<br>`` as a line break (for ``pre`` and code)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        parts.append(node.text or "")
        for child in node:
            if _tag(child) == "br":
                parts.append("\n")
            else:
                walk(child)
            parts.append(child.tail or "")

    walk(element)
    text = "".join(parts)
    # A browser drops a line break right after <pre>; lxml keeps it.
    if skip_first_newline and (element.text or "").startswith("\n"):
        text = text[1:]
    return text


# --------------------------------------------------------------------------------------
# Inline layer

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
    """Adjacent text items joined (spans and links are the only boundaries)."""
    out: list[_Item] = []
    for item in items:
        if item.kind == _TEXT and out and out[-1].kind == _TEXT:
            joined = out[-1].text + item.text
            out[-1] = _Item(_TEXT, joined.replace("  ", " ") if "  " in joined else joined)
        elif item.kind != _TEXT or item.text:
            out.append(item)
    return out


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


def _child_nodes(element: Any) -> list[Any]:
    """An element's content as a list of text strings and elements, in order."""
    nodes: list[Any] = []
    if element.text:
        nodes.append(element.text)
    for child in element:
        nodes.append(child)
        if child.tail:
            nodes.append(child.tail)
    return nodes


# --------------------------------------------------------------------------------------
# Block layer


@dataclass(slots=True)
class _Block:
    """Rendered lines of one block.  ``marker`` is a list's bullet or delimiter."""

    kind: str
    lines: list[str]
    marker: str = ""
    from_p: bool = False


_BLANK_LINE = re.compile(r"\n(?=[ \t]*(?:\n|$))")


def _raw_block(html: str, tag: str) -> _Block:
    """Raw HTML as an HTML block that ends where it should.

    A type 6 block ends at a blank line, so blank lines inside become a character
    reference for their line break; an element whose name does not start a block is
    wrapped in a ``<div>``.
    """
    if tag not in _TYPE6 and tag not in ("pre", "textarea"):
        html = f"<div>{html}</div>"
    return _Block("html", _BLANK_LINE.sub("&#10;", html).split("\n"))


def _element_block(element: Any) -> _Block:
    return _raw_block(_serialize(element), _tag(element))


def _has_block_inside(element: Any) -> bool:
    return any(_tag(node) in _BLOCK_LEVEL for node in element.iterdescendants())


def _join_blocks(blocks: Sequence[_Block], *, tight: bool = False) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if lines and not tight:
            lines.append("")
        lines.extend(block.lines)
    return lines


_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_INTERRUPTING_ITEM = re.compile(r"(?:[-*+]|1[.)]) \S")


def _tight_ok(before: _Block, after: _Block) -> bool:
    """Whether two blocks of a tight list item may follow each other without a blank line.

    After a paragraph, the next block must be one that interrupts a paragraph (a list
    starting with 1 and a non-empty item, a quote, a fence, a heading, an HTML block of
    types 1-6; ``---`` would be a setext underline); after a quote, list, table or HTML
    block the next line would be taken as their continuation.
    """
    if before.kind in ("heading", "code", "hr"):
        return True
    if before.kind != "para":
        return False
    first = after.lines[0]
    if after.kind in ("quote", "code", "heading"):
        return True
    if after.kind == "list":
        return _INTERRUPTING_ITEM.match(first) is not None
    if after.kind == "html":  # (an iframe alone would join the unwrapped paragraph's line)
        return _HTML_BLOCK_START.match(first) is not None
    if after.kind == "hr":
        return not first.startswith("-")
    return False


_LANGUAGE = re.compile(r"(?:language|lang)-(\S+)")
_ALIGN = re.compile(r"text-align\s*:\s*(left|center|right)", re.IGNORECASE)


def _language(element: Any) -> str:
    if element is None:
        return ""
    for token in (element.get("class") or "").split():
        match = _LANGUAGE.fullmatch(token)
        if match:
            return match.group(1)
    return ""


class _Converter:
    """Walks block content, appending rendered blocks to a list."""

    def collect(self, nodes: Sequence[Any], out: list[_Block]) -> None:
        """Blocks for a container's content: runs of inline content become paragraphs.

        An inline element holding blocks is split the way a browser splits it: a ``span``
        dissolves into the flow (its text joins the run around it), while a link or other
        element with a meaning of its own is kept whole as HTML.
        """
        run: list[Any] = []
        whole = False  # the run holds a link (or the like) around blocks
        stack = list(reversed(nodes))
        while stack:
            node = stack.pop()
            tag = "" if isinstance(node, str) else _tag(node)
            if tag in _BLOCK_LEVEL:
                self.flush(run, out, whole)
                run, whole = [], False
                self.block(node, out)
            elif not tag or tag in _RAW_INLINE or tag in _VOID or not _has_block_inside(node):
                run.append(node)
            elif tag in _SEMANTIC_INLINE:
                run.append(node)
                whole = True
            else:
                stack.extend(reversed(_child_nodes(node)))
        self.flush(run, out, whole)

    def flush(self, run: list[Any], out: list[_Block], whole: bool = False) -> None:
        """A paragraph for a run of inline content; one holding an element that wraps
        blocks (a link around a card) is kept as HTML, in a ``<div>``, as one piece."""
        if whole:
            out.append(_raw_block("".join(_serialize(n) for n in run).strip(), ""))
            return
        elements = [n for n in run if not isinstance(n, str)]
        if not elements and not "".join(run).strip(" \t\n\r\f"):
            return
        texts = "".join(n for n in run if isinstance(n, str))
        if len(elements) == 1 and _tag(elements[0]) in _RAW_INLINE and not texts.strip():
            # An iframe or video on its own: an HTML block.  Right after another one it
            # would join it on one line, so it gets a <div> to stay a block of its own.
            after_raw = bool(out) and out[-1].kind == "inline-html"
            html = _serialize(elements[0])
            block = _raw_block(html, "" if after_raw else _tag(elements[0]))
            block.kind = "inline-html"
            out.append(block)
            return
        paragraph = self.paragraph(run, None)
        if paragraph is not None:
            out.append(paragraph)

    def paragraph(self, nodes: Sequence[Any], element: Any) -> _Block | None:
        markdown = _inline_markdown(nodes, _PARAGRAPH)
        if not markdown:
            return None
        lines = markdown.split("\n")
        if any(_starts_html_block(line, first=k == 0) for k, line in enumerate(lines)):
            if element is not None:
                return _element_block(element)
            return _raw_block("<p>" + "".join(_serialize(n) for n in nodes) + "</p>", "p")
        return _Block("para", lines, from_p=element is not None)

    def block(self, element: Any, out: list[_Block]) -> None:
        tag = _tag(element)
        block: _Block | None
        if tag == "p":
            block = self.paragraph(_child_nodes(element), element)
        elif tag in _HEADINGS:
            block = self.heading(element, _HEADINGS[tag])
        elif tag == "pre":
            block = self.code_block(element)
        elif tag == "hr":
            block = _Block("hr", ["---"])
        elif tag == "blockquote":
            inner: list[_Block] = []
            self.collect(_child_nodes(element), inner)
            lines = _join_blocks(inner)
            block = _Block("quote", [f"> {line}" if line else ">" for line in lines] or [">"])
        elif tag in ("ul", "ol"):
            block = self.list_block(element, tag == "ol", out[-1] if out else None)
        elif tag == "table":
            block = self.table(element, out)
        elif tag in _RAW_BLOCKS:
            block = _element_block(element)
        else:
            self.collect(_child_nodes(element), out)
            return
        if block is not None:
            out.append(block)

    def heading(self, element: Any, level: int) -> _Block | None:
        markdown = _inline_markdown(_child_nodes(element), _HEADING)
        if not markdown:
            return None
        if "\n" in markdown:  # an ATX heading is one line; keep a multi-line one as HTML
            return _element_block(element)
        body = markdown.rstrip("#")
        if body != markdown and (not body or body.endswith(" ")):
            # "## a #" would lose its "#" as a closing sequence
            markdown = body + "\\" + markdown[len(body) :]
        return _Block("heading", ["#" * level + " " + markdown])

    def code_block(self, element: Any) -> _Block:
        if any(_tag(d) in _IN_CODE for d in element.iterdescendants()):
            return _element_block(element)  # a fence holds only text: keep links in HTML
        children = [c for c in element if _tag(c)]
        code = None
        if len(children) == 1 and _tag(children[0]) == "code" and not (element.text or "").strip():
            code = children[0]
        text = _text_content(element, skip_first_newline=True)
        language = _language(code) or _language(element)
        fence_char = "~" if "`" in language else "`"
        longest = max(
            (len(run) for run in re.findall(re.escape(fence_char) + "+", text)), default=0
        )
        fence = fence_char * max(3, longest + 1)
        info = _ENTITY_LIKE.sub(r"\\&", language.replace("\\", "\\\\"))
        if text.endswith("\n"):
            text = text[:-1]
            body = text.split("\n")
        else:
            body = text.split("\n") if text else []
        return _Block("code", [fence + info, *body, fence])

    def list_block(self, element: Any, ordered: bool, before: _Block | None) -> _Block | None:
        start = 1
        if ordered:
            try:
                start = int((element.get("start") or "1").strip())
            except ValueError:
                start = 1
        items: list[list[_Block]] = []
        stray: list[Any] = []
        for node in _child_nodes(element):
            if not isinstance(node, str) and _tag(node) == "li":
                if stray:
                    items.append(self.item_blocks(stray))
                    stray = []
                items.append(self.item_blocks(_child_nodes(node)))
            elif not isinstance(node, str) or node.strip(" \t\n\r\f"):
                stray.append(node)
        if stray:
            items.append(self.item_blocks(stray))
        if not items:
            return None  # an empty list shows nothing, and Markdown has no way to write one
        if ordered and not 0 <= start <= start + len(items) - 1 <= 999_999_999:
            return _element_block(element)
        # Two lists in a row need different markers, or they would merge into one.
        previous = before.marker if before is not None and before.kind == "list" else ""
        for blocks in items:
            # "- ---" would be one thematic break, and a "---" right after a line with a
            # pipe reads as a table's delimiter row to markdown-it.
            blocks[:] = [_Block("hr", ["___"]) if b.kind == "hr" else b for b in blocks]
        if ordered:
            marker = ")" if previous == "." else "."
        else:
            # "- " before an item starting "- -" (a list in a list in a list, all empty
            # at first) would make "- - -", a thematic break: take another bullet then.
            firsts = [blocks[0].lines[0] for blocks in items if blocks]
            marker = next(
                bullet
                for bullet in ("*" if previous == "-" else "-", "-", "*", "+")
                if bullet != previous
                and not any(_THEMATIC_BREAK.match(f"{bullet} {line}") for line in firsts)
            )
        loose = any(b.from_p for blocks in items for b in blocks) or not all(
            _tight_ok(a, b) for blocks in items for a, b in pairwise(blocks)
        )
        lines: list[str] = []
        for number, blocks in enumerate(items, start):
            if loose and lines:
                lines.append("")
            bullet = f"{number}{marker}" if ordered else marker
            body = _join_blocks(blocks, tight=not loose)
            if not body:
                lines.append(bullet)
                continue
            indent = " " * (len(bullet) + 1)
            lines.append(f"{bullet} {body[0]}")
            lines.extend(indent + line if line else "" for line in body[1:])
        return _Block("list", lines, marker=marker)

    def item_blocks(self, nodes: Sequence[Any]) -> list[_Block]:
        blocks: list[_Block] = []
        self.collect(nodes, blocks)
        return blocks

    def table(self, element: Any, out: list[_Block]) -> _Block | None:
        rows: list[tuple[Any, bool]] = []
        for row in element.iter("tr"):
            section = row.getparent()
            rows.append((row, section is not None and _tag(section) == "thead"))
        cells = [[c for c in row if _tag(c) in ("td", "th")] for row, _ in rows]
        spans = any(
            (c.get("colspan") or "1").strip() != "1" or (c.get("rowspan") or "1").strip() != "1"
            for row in cells
            for c in row
        )
        nested = any(_tag(d) == "table" for d in element.iterdescendants())
        if not rows or spans or nested or sum(in_head for _, in_head in rows) > 1:
            return _element_block(element)
        for caption in element.iter("caption"):
            block = self.paragraph(_child_nodes(caption), None)
            if block is not None:
                out.append(block)
        width = max(len(row) for row in cells)
        if width == 0:
            return _element_block(element)
        has_header = rows[0][1] or all(_tag(c) == "th" for c in cells[0])
        header = cells[0] if has_header else []
        body = cells[1:] if has_header else cells
        lines = [self.table_row(header, width)]
        aligns = [self.alignment(c) for c in (header or cells[0])]
        aligns += ["---"] * (width - len(aligns))
        lines.append("| " + " | ".join(aligns) + " |")
        lines.extend(self.table_row(row, width) for row in body)
        return _Block("table", lines)

    def table_row(self, cells: Sequence[Any], width: int) -> str:
        texts = [_inline_markdown(_child_nodes(c), _CELL) for c in cells]
        texts += [""] * (width - len(texts))
        return "| " + " | ".join(texts) + " |"

    def alignment(self, cell: Any) -> str:
        align = (cell.get("align") or "").strip().lower()
        match = _ALIGN.search(cell.get("style") or "")
        if match:
            align = match.group(1).lower()
        return {"left": ":---", "center": ":---:", "right": "---:"}.get(align, "---")


# --------------------------------------------------------------------------------------
# Entry point


def _parse(html: str) -> Any:
    root = parse_fragment(html)
    if root is None:
        root = lxml.html.fragment_fromstring("<div></div>")
        root.text = NOT_XML.sub("", html)
    lxml.etree.strip_elements(
        root, lxml.etree.Comment, lxml.etree.ProcessingInstruction, *_DROPPED, with_tail=False
    )
    _unnest_voids(root)
    return root


def _unnest_voids(root: Any) -> None:
    """Move what libxml2 put inside a void element back after it.

    libxml2's HTML parser predates HTML5 and lets ``<wbr>``, ``<embed>``, ``<source>``,
    ``<track>`` and ``<keygen>`` hold the content that follows them (``a<wbr>b`` parses as
    ``a<wbr>b</wbr>``), where a browser makes that content the element's next siblings.
    Left there, the text after every ``<wbr>`` would vanish with the element.
    """
    for element in list(root.iter(*_VOID)):
        if element.text is None and not len(element):
            continue
        tail = element.tail
        element.tail, element.text = element.text, None
        anchor = element
        for child in list(element):
            anchor.addnext(child)  # the child's tail moves with it
            anchor = child
        anchor.tail = (anchor.tail or "") + (tail or "") or None


def html_to_markdown(html: str) -> str:
    """Convert an HTML fragment (an article body) to CommonMark with GFM tables.

    Blocks are separated by blank lines; headings are ATX (``##``), quotes ``>``, code
    fenced, lists tight unless an item holds a ``<p>``.  Emphasis uses ``**``/``*``/``~~``
    where CommonMark's flanking rules let them open and close, and ``<strong>``/``<em>``/
    ``<del>`` where they would not (``**모델(MLLM)**이`` does not close).  Elements
    Markdown cannot express (iframes, video, details, tables with spans...) stay as raw
    HTML; scripts, styles and comments are dropped.

    Returns Markdown ending in one newline, or ``""`` for a fragment with no content.

    Example::

        >>> html_to_markdown("<h2>Hi</h2><p><strong>모델(MLLM)</strong>이 <em>잘</em> 돼요</p>")
        '## Hi\\n\\n<strong>모델(MLLM)</strong>이 *잘* 돼요\\n'
    """
    if not html.strip():
        return ""
    root = _parse(html)
    blocks: list[_Block] = []
    with recursion_room(DEFAULT_LIMITS):
        _Converter().collect(_child_nodes(root), blocks)
    lines = _join_blocks(blocks)
    return "\n".join(lines) + "\n" if lines else ""
