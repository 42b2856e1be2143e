"""HTML fragments to CommonMark Markdown (with GFM tables and strikethrough).

Article bodies reach us as HTML strings (``dangerouslySetInnerHTML``), while the people
who read them, and the tools they feed, usually want the Markdown the post was written
in.  :func:`html_to_markdown` writes Markdown that a CommonMark parser renders back to the
same structure: the same blocks with the same text, the same links and the same emphasis.
That promise, not prettiness, decides every choice below, and ``tests/test_markdown.py``
holds the converter to it by rendering the output again with markdown-it-py.

Two layers do the work:

* the block layer (``_blocks``) walks the element tree and produces blocks (paragraphs,
  headings, lists, quotes, fenced code, pipe tables, raw HTML), each a list of lines, so
  that containers can prefix (``> ``) or indent the lines of what they hold;
* the inline layer (``_inline``) flattens the inline content of one block into a list of
  items (text, emphasis delimiters, links, code spans, hard breaks...), normalises
  whitespace the way a browser does, and only then decides how each emphasis span is
  written.

Beneath them, ``_html`` knows the element classes, parses the fragment and writes kept
elements back as HTML, and ``_chars`` holds CommonMark's character classes and escaping.
Why this is our own code and not a converter from PyPI: ``docs/markdown.md``.

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

from ...tree.guard import stage_boundary
from ._blocks import _Block, _Converter, _join_blocks
from ._html import _child_nodes, _parse

__all__ = ["html_to_markdown"]


@stage_boundary("html_to_markdown")
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
    _Converter().collect(_child_nodes(root), blocks)
    lines = _join_blocks(blocks)
    return "\n".join(lines) + "\n" if lines else ""
