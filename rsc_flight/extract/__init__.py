"""Stage 4, pages to articles: the article model, rules as data, the generic rule.

``extract_article`` runs the rules in order over a decoded page and merges their fields,
each with its provenance.
"""

from __future__ import annotations

from .dates import Precision, Timestamp, parse_date
from .extractor import BUILTIN_RULES, GENERIC_RULE, default_rules, extract_article
from .model import (
    Article,
    Category,
    Link,
    NavEntry,
    Person,
    Provenance,
    RouteInfo,
    SiteSnapshot,
)
from .rules import FieldSpec, Rule, RuleContext, entry_point_rules, rule_from_dict
from .select import SelectorError, compile_selector, select
from .sites import SITE_RULES

__all__ = [
    "BUILTIN_RULES",
    "GENERIC_RULE",
    "SITE_RULES",
    "Article",
    "Category",
    "FieldSpec",
    "Link",
    "NavEntry",
    "Person",
    "Precision",
    "Provenance",
    "RouteInfo",
    "Rule",
    "RuleContext",
    "SelectorError",
    "SiteSnapshot",
    "Timestamp",
    "compile_selector",
    "default_rules",
    "entry_point_rules",
    "extract_article",
    "parse_date",
    "rule_from_dict",
    "select",
]
