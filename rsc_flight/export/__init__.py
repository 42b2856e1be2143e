"""Exports: HTML to CommonMark Markdown (``html_to_markdown``), used by ``Article.to_markdown``.

It knows nothing of Flight or articles, so it sits below the extractor.
"""

from __future__ import annotations

from .markdown import html_to_markdown

__all__ = ["html_to_markdown"]
