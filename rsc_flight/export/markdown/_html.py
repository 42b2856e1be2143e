"""The HTML side of the converter: element classes, parsing, and writing HTML back.

What Markdown cannot express is kept as HTML, so the converter must know which elements
are blocks, which are replaced content (an iframe), which start a CommonMark HTML block,
and how to write an element back so that a CommonMark parser passes it through whole.
"""

from __future__ import annotations

import re
from html import escape as _html_escape
from typing import Any

import lxml.etree
import lxml.html

from ...tree.fragment import NOT_XML, parse_fragment

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
