"""The article body's text, read from its parsed HTML: blocks (and table cells) separated
by blank lines, lines broken at ``<br>``, spaces collapsed, ``<pre>`` kept as it is.

The body is the largest tree an extraction reads, and a walk in Python pays for every
element (a proxy object, its ``text`` and ``tail`` decoded, a few tests).  So the tree is
first turned into one string by an XSLT transform, in lxml's C code: the text in document
order, with a marker where a block starts or ends, one for each ``<br>`` and one opening
each ``<pre>``'s verbatim text; Python then only splits the string on the markers.  The
walk in Python stays for what the transform does not read the same way: trees holding
comments, processing instructions or entities (their text counts, as it always has), and
text that holds a marker character itself.
"""

from __future__ import annotations

from typing import Any

__all__ = ["BLOCKS", "add_block", "body_text"]

#: Where the body's text breaks into blocks (table cells too).
BLOCKS = frozenset(
    "address article aside blockquote dd details div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tr ul".split()
) | frozenset({"td", "th", "caption"})
_NOT_TEXT = frozenset({"script", "style", "template"})

# Markers, from the Private Use Area: a page's text may hold them, and is then read by
# the walk in Python.
_BLOCK, _PRE, _BREAK = "\ue000", "\ue001", "\ue002"

_BLOCK_MATCH = "|".join(sorted(BLOCKS - {"pre"}))
_STYLESHEET = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/"><xsl:apply-templates select="*/node()"/></xsl:template>
<xsl:template match="{_BLOCK_MATCH}">{_BLOCK}<xsl:apply-templates/>{_BLOCK}</xsl:template>
<xsl:template match="pre">{_BLOCK}{_PRE}<xsl:value-of select="."/>{_BLOCK}</xsl:template>
<xsl:template match="br">{_BREAK}</xsl:template>
<xsl:template match="{"|".join(sorted(_NOT_TEXT))}"/>
</xsl:stylesheet>"""


def body_text(root: Any) -> str | None:
    """The text of a body parsed by :func:`~rsc_flight.tree.fragment.parse_fragment`
    (its root is the ``<div>`` made to hold it), or ``None`` when it has none."""
    blocks = _transformed(root)
    if blocks is None:
        walk = _Walk()
        walk.run(root)
        blocks = walk.blocks
    return "\n\n".join(blocks) or None


def _transformed(root: Any) -> list[str] | None:
    """The blocks, read through the XSLT transform; ``None`` when the tree is not one it
    reads as the walk does."""
    import lxml.etree

    if next(root.iter(lxml.etree.Comment, lxml.etree.PI, lxml.etree.Entity), None) is not None:
        return None
    try:
        every_text = lxml.etree.tostring(root, method="text", encoding=str)
        if _BLOCK in every_text or _PRE in every_text or _BREAK in every_text:
            return None
        # Compiled per call (some tens of microseconds): an XSLT object is not shared
        # between threads, and the library keeps no state between extractions.
        transform = lxml.etree.XSLT(lxml.etree.XML(_STYLESHEET))
        text = str(transform(root))
    except lxml.etree.LxmlError:
        return None
    blocks: list[str] = []
    for part in text.split(_BLOCK):
        if not part:
            continue
        if part[0] == _PRE:
            blocks.append(part[1:].strip("\n"))
        else:
            add_block(blocks, part.replace("\n", " ").replace(_BREAK, "\n"))
    return blocks


def add_block(blocks: list[str], text: str) -> None:
    """Add the text between two block boundaries, lines and spaces collapsed, unless it
    is blank.  Source newlines are spaces by now; only ``<br>`` breaks a line."""
    if "\n" in text:
        lines = (" ".join(line.split()) for line in text.split("\n"))
        text = "\n".join(line for line in lines if line)
    else:
        text = " ".join(text.split())
    if text:
        blocks.append(text)


class _Walk:
    """The walk in Python: every node, comments and processing instructions included
    (their tag is not a string; their text counts)."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.current: list[str] = []  # the text since the last block boundary

    def flush(self) -> None:
        if self.current:
            text = "".join(self.current)
            self.current.clear()
            add_block(self.blocks, text)

    def run(self, root: Any) -> None:
        self.current.append((root.text or "").replace("\n", " "))
        for child in root:
            self.walk(child)
        self.flush()

    def walk(self, element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "pre":
            self.flush()
            self.blocks.append(element.text_content().strip("\n"))
        elif tag == "br":
            self.current.append("\n")
        elif tag not in _NOT_TEXT:
            block = tag in BLOCKS
            if block:
                self.flush()
            # Source newlines are spaces; only <br> breaks a line.
            self.current.append((element.text or "").replace("\n", " "))
            for child in element:
                self.walk(child)
            if block:
                self.flush()
        self.current.append((element.tail or "").replace("\n", " "))
