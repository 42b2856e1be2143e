"""The block layer: paragraphs, headings, lists, quotes, fenced code, tables, raw HTML.

Each block is a list of lines, so a container can prefix (``> ``) or indent the lines of
what it holds; lists decide here whether they can stay tight.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ._chars import _ENTITY_LIKE
from ._html import (
    _BLOCK_LEVEL,
    _HEADINGS,
    _HTML_BLOCK_START,
    _RAW_BLOCKS,
    _RAW_INLINE,
    _SEMANTIC_INLINE,
    _TYPE6,
    _VOID,
    _child_nodes,
    _serialize,
    _starts_html_block,
    _tag,
    _text_content,
)
from ._inline import _CELL, _HEADING, _IN_CODE, _PARAGRAPH, _inline_markdown


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
        if width == 0 or _padding(cells, width) > _MAX_PADDING_RATIO * sum(map(len, cells)) + 64:
            # Pipe tables pad every row to the widest: one row of ten thousand cells
            # over ten thousand short rows would write 10**8 empty cells.  Such a table
            # stays HTML, which is as long as its source.
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


#: Most empty cells a pipe table may add per cell it has, padding short rows.
_MAX_PADDING_RATIO = 4


def _padding(cells: list[list[Any]], width: int) -> int:
    """The empty cells padding every row (and the header) to ``width`` would add."""
    return width * (len(cells) + 1) - sum(map(len, cells))
