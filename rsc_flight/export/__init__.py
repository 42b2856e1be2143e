"""Exports: what an extracted article is written as.

``html_to_markdown`` turns an HTML body into CommonMark; ``front_matter`` writes the YAML
head of a Jekyll/Hugo post from a plain mapping; ``Article.to_markdown`` joins the two.
Nothing here knows of Flight or articles (``front_matter`` takes ``Article.to_dict()``,
not an ``Article``), so the stage sits below the extractor and never imports it.
"""

from __future__ import annotations

from .markdown import html_to_markdown
from .yaml_front_matter import front_matter

__all__ = ["front_matter", "html_to_markdown"]
