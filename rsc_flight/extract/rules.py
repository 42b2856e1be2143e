"""Extraction rules: named, ordered, mostly data.

Sites differ in where they keep an article's fields, and a site's markup changes from
build to build.  A :class:`Rule` says, per field, where to look (a :class:`FieldSpec`: a
selector over the decoded element tree, or an XPath over the body HTML) and how to read
what it finds.  ``requires`` names selectors that must match for the rule to apply at
all (a fingerprint of the markup), ``hosts`` the sites it is for.  A field whose selector
matches nothing is simply not set, so one rule serves several builds of a site.

Rules run in order, the generic extractor first; a later rule's value for a field
replaces an earlier one's, and the replacement is recorded in the field's provenance.
Logic that does not fit a selector goes in ``hook``, a function of the
:class:`RuleContext`.

Rules can be written in TOML or JSON (:func:`rule_from_dict`) and installed packages can
offer them under the ``rsc_flight.rules`` entry-point group (:func:`entry_point_rules`).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import Any

import attrs

from ..errors import FlightLimitError
from ..limits import DEFAULT_LIMITS, Limits
from ..model.walk import Budget
from ..nextjs.page import Node, Page, Region
from ..tree.fragment import parse_fragment
from ..tree.query import text_and_cost
from ..tree.render import render_html
from .dates import parse_date
from .fields import is_rule_field
from .model import Link, Provenance
from .select import compile_selector
from .tree_body import TreeBody, read_tree_body
from .urls import host, join

__all__ = [
    "Candidate",
    "FieldSpec",
    "Rule",
    "RuleContext",
    "entry_point_rules",
    "rule_from_dict",
]

_TAKES = ("text", "key", "link", "html", "exists")
_PARSES = ("date", "int", "regex:", "split:", "strip:")


@attrs.frozen
class FieldSpec:
    """Where one field is and how to read it.

    Attributes:
        select: a selector over the page's elements (see ``docs/rules.md``), or
            ``body:`` followed by an XPath over the body HTML found so far.
        take: ``text`` (collapsed text), ``@name`` (a prop, or an attribute in the body),
            ``key`` (the React key), ``link`` (href and text), ``html``, ``exists``.
        label: keep only matches whose text starts with this label, and drop it.
        parse: ``date``, ``int``, ``regex:<pattern>`` (group 1, or the match),
            ``split:<separator>``, ``strip:<characters>``.
        many: a list of every match instead of the first.
    """

    select: str
    take: str = "text"
    label: str | None = None
    parse: str | None = None
    many: bool = False

    def __attrs_post_init__(self) -> None:
        if not (self.take in _TAKES or (self.take.startswith("@") and len(self.take) > 1)):
            raise ValueError(f"unknown take {self.take!r}")
        if self.parse is not None and not self.parse.startswith(_PARSES):
            raise ValueError(f"unknown parse {self.parse!r}")
        if not self.select.startswith("body:"):
            compile_selector(self.select)  # fail when the rule is built, not on a page


@attrs.frozen
class Candidate:
    """A value a rule found for a field, and where it found it."""

    value: Any
    provenance: Provenance


@attrs.frozen
class Rule:
    """A named extraction rule.

    Attributes:
        name: shown in provenance (``"theme.minimal-mistakes"``).
        fields: field name (one of ``fields.FIELDS``, or ``extras.<name>``) →
            :class:`FieldSpec`.
        requires: selectors that must all match for the rule to apply.
        hosts: host patterns (``*.example.org``) the rule is for; empty means any.
        hook: a function of the :class:`RuleContext` returning ``{field: value or
            Candidate}`` for what selectors cannot express.
    """

    name: str
    fields: Mapping[str, FieldSpec] = attrs.field(factory=dict)
    requires: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    hook: Callable[[RuleContext], Mapping[str, Any]] | None = None

    def __attrs_post_init__(self) -> None:
        for name in self.fields:
            if not is_rule_field(name):
                raise ValueError(f"rule {self.name!r}: unknown field {name!r}")
        for selector in self.requires:
            compile_selector(selector)

    def applies(self, context: RuleContext) -> bool:
        if self.hosts:
            host = context.host
            if host is None or not any(fnmatch.fnmatch(host, p) for p in self.hosts):
                return False
        return all(context.select(selector) for selector in self.requires)

    def run(self, context: RuleContext) -> dict[str, Candidate]:
        """The candidates this rule gives on a page (empty when it does not apply)."""
        if not self.applies(context):
            return {}
        out: dict[str, Candidate] = {}
        for name, spec in self.fields.items():
            value = context.read(spec)
            if value is not None and value != []:
                source = "body" if spec.select.startswith("body:") else "selector"
                row = (
                    context.found["body_html"].provenance.row
                    if source == "body" and "body_html" in context.found
                    else context.last_row
                )
                out[name] = Candidate(value, Provenance(self.name, source, row, spec.select))
        if self.hook is not None:
            for name, value in self.hook(context).items():
                if isinstance(value, Candidate):
                    out[name] = value
                elif value is not None:
                    out[name] = Candidate(value, Provenance(self.name, "hook"))
        return out


@attrs.define
class RuleContext:
    """What a rule sees: the page, the caller's URL, and the fields found so far."""

    page: Page
    url: str | None = None
    limits: Limits = DEFAULT_LIMITS
    found: dict[str, Candidate] = attrs.field(factory=dict)
    #: What rules leave for the extractor beside fields (the generic rule's head entries,
    #: JSON-LD objects, site snapshot and warnings).
    shared: dict[str, Any] = attrs.field(factory=dict)
    _texts: dict[int, str] = attrs.field(factory=dict, repr=False)
    _fragments: dict[int, tuple[str, Any]] = attrs.field(factory=dict, repr=False)
    _buckets: dict[tuple[str, str], list[Node]] = attrs.field(factory=dict, repr=False)
    #: HTML rendered from an element tree, by ``id``: the string and the tree.
    _rendered: dict[int, tuple[str, Any]] = attrs.field(factory=dict, repr=False)
    #: The one budget all text walks of the extraction share (made on first use).
    _text_budget: Budget | None = attrs.field(default=None, repr=False)
    #: The row of the element the last :meth:`read` took its first value from.
    last_row: int | None = None

    @cached_property
    def content_nodes(self) -> list[Node]:
        """Elements of the page and its layouts (not the head)."""
        page, layout = Region.PAGE, Region.LAYOUT  # read once: enum members are slow to look up
        return [n for n in self.page.nodes if n.region is page or n.region is layout]

    @cached_property
    def links(self) -> list[Node]:
        """The content nodes with a non-empty string ``href``, in document order (the
        navigation, the previous/next links and the URL rules all start from them)."""
        return [
            n
            for n in self.content_nodes
            if "href" in (props := n.props) and (href := props["href"]) and isinstance(href, str)
        ]

    @property
    def host(self) -> str | None:
        url = self.current("url") or self.url
        return host(url) if isinstance(url, str) else None

    def current(self, name: str) -> Any:
        """The value found so far for a field, or ``None``."""
        candidate = self.found.get(name)
        return candidate.value if candidate is not None else None

    def text(self, node: Node) -> str:
        """A node's text with whitespace collapsed (cached: rules ask often).

        All the text walks of one extraction share one budget, a tenth of
        ``limits.max_expansion`` values, so that asking for the text of every node of a
        hostile, deeply nested page cannot take quadratic time.

        Raises:
            FlightLimitError: the extraction's text budget is spent.
        """
        text = self._texts.get(id(node))
        if text is None:
            budget = self._text_budget
            if budget is None:
                share = attrs.evolve(self.limits, max_expansion=self.limits.max_expansion // 10)
                budget = self._text_budget = Budget(share, "text")
            try:
                raw, _ = text_and_cost(node.element, limits=self.limits, budget=budget)
            except FlightLimitError:
                raise FlightLimitError(
                    f"extraction would read more than {self.limits.max_expansion // 10} values"
                    " of text (a tenth of max_expansion)"
                ) from None
            text = " ".join(raw.split())
            self._texts[id(node)] = text
        return text

    def fragment(self, html: str) -> Any | None:
        """``html`` parsed into an lxml tree (``None`` if lxml refuses it), once per
        extraction: the body is scored, read as text, searched for links and queried by
        ``body:`` selectors on the same tree.  Callers must not change the tree."""
        found = self._fragments.get(id(html))
        if found is not None and found[0] is html:
            return found[1]
        root = parse_fragment(html)
        self._fragments[id(html)] = (html, root)
        return root

    def rendered(self, html: str, content: Any) -> None:
        """Say that ``html`` is ``render_html(content)``: its text and links can then be
        read from the tree (:meth:`tree_body`) rather than by parsing it again."""
        self._rendered[id(html)] = (html, content)

    def tree_body(self, html: str) -> TreeBody | None:
        """The text and links of ``html`` read from the tree it was rendered from, or
        ``None`` when it was not rendered here or the tree is not one the walk reads as
        the parse would (:mod:`.tree_body`): then parse it (:meth:`fragment`)."""
        found = self._rendered.get(id(html))
        if found is None or found[0] is not html:
            return None
        return read_tree_body(found[1], html, self.limits.max_expansion)

    def _bucket(self, key: tuple[str, str]) -> list[Node]:
        """The content nodes a selector's rightmost tag, id or class names: only those
        are tested (gathered once per tag, id or class name: a page is asked about a
        few, so one pass each costs less than an index of every tag)."""
        found = self._buckets.get(key)
        if found is None:
            kind, name = key
            if kind == "tag":
                found = [n for n in self.content_nodes if n.tag == name]
            elif kind == "id":
                found = [n for n in self.content_nodes if n.props.get("id") == name]
            else:
                found = [n for n in self.content_nodes if n.has_class(name)]
            self._buckets[key] = found
        return found

    def select(self, selector: str) -> list[Node]:
        """The content nodes matching ``selector``, in document order.

        Text pseudo-classes (``:has-text``) read text through :meth:`text`, under the
        extraction's text budget.
        """
        compiled = compile_selector(selector)
        keys = compiled.keys
        candidates: list[Node]
        if any(key is None for key in keys):
            candidates = self.content_nodes
        else:
            buckets = [self._bucket(key) for key in keys if key is not None]
            if len(buckets) == 1:
                candidates = buckets[0]
            else:
                merged = {id(n): n for bucket in buckets for n in bucket}
                candidates = sorted(merged.values(), key=lambda n: n.order)
        return compiled.filter(candidates, self.text)

    def absolute(self, href: str) -> str:
        base = self.current("url") or self.url
        return join(base if isinstance(base, str) else None, href)

    def read(self, spec: FieldSpec) -> Any:
        """What a field spec finds on this page: one value, a list, or ``None``."""
        self.last_row = None
        if spec.select.startswith("body:"):
            values = self._read_body(spec)
        else:
            values = []
            for node in self.select(spec.select):
                value = self._take(node, spec)
                if value is not None:
                    if not values:
                        self.last_row = node.row
                    values.append(value)
                    if not spec.many and spec.take != "exists":
                        break
        if spec.take == "exists":
            return bool(values)
        parsed = [v for v in (_parse(v, spec.parse) for v in values) if v is not None]
        if spec.parse is not None and spec.parse.startswith("split:"):
            parsed = [item for group in parsed for item in group]
        if spec.many:
            return parsed
        return parsed[0] if parsed else None

    def _labelled(self, text: str, label: str | None) -> str | None:
        if label is None:
            return text
        if not text.startswith(label):
            return None
        return text[len(label) :].strip()

    def _take(self, node: Node, spec: FieldSpec) -> Any:
        take = spec.take
        if take == "exists":
            return True
        if take == "key":
            return node.key
        if take.startswith("@"):
            value = node.props.get(take[1:])
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                return None
            return self._labelled(str(value), spec.label)
        if take == "html":
            inner = node.props.get("dangerouslySetInnerHTML")
            if isinstance(inner, dict) and isinstance(inner.get("__html"), str):
                return inner["__html"]
            return render_html(node.props.get("children"), limits=self.limits)
        text = self._labelled(self.text(node), spec.label)
        if text is None:
            return None
        if take == "link":
            for candidate in (node, *node.descendants()):
                href = candidate.props.get("href")
                if isinstance(href, str) and href:
                    link_text = self.text(candidate) if candidate is not node else text
                    return Link(self.absolute(href), link_text or None)
            return None
        return text

    def _read_body(self, spec: FieldSpec) -> list[Any]:
        import lxml.etree
        import lxml.html

        html = self.current("body_html")
        if not isinstance(html, str) or not html.strip():
            return []
        root = self.fragment(html)
        if root is None:
            return []
        try:
            found = root.xpath("." + spec.select[5:].strip())
        except (lxml.etree.LxmlError, ValueError):
            return []
        values: list[Any] = []
        for item in found if isinstance(found, list) else [found]:
            if isinstance(item, str):
                value: Any = self._labelled(" ".join(item.split()), spec.label)
            elif spec.take.startswith("@"):
                attr = item.get(spec.take[1:])
                value = attr if attr is None else self._labelled(attr, spec.label)
            elif spec.take == "html":
                value = lxml.html.tostring(item, encoding="unicode")
            else:
                value = self._labelled(" ".join(item.text_content().split()), spec.label)
            if spec.take == "link" and isinstance(value, str):
                href = item.get("href") if not isinstance(item, str) else None
                value = Link(self.absolute(href), value or None) if href else None
            if value is not None:
                values.append(value)
        return values


def _parse(value: Any, how: str | None) -> Any:
    if how is None or not isinstance(value, str):
        return value
    if how == "date":
        return parse_date(value, search=True)
    if how == "int":
        digits = re.sub(r"[^\d-]", "", value)
        return int(digits) if re.fullmatch(r"-?\d{1,18}", digits) else None
    if how.startswith("regex:"):
        # Rule patterns come from users and packages: the regex module's timeout keeps a
        # backtracking pattern from hanging a batch on a hostile page.
        import regex

        try:
            match = regex.search(how[6:], value, timeout=1.0)
        except TimeoutError:
            return None
        if match is None:
            return None
        return (match.group(1) if match.re.groups else match.group(0)).strip()
    if how.startswith("split:"):
        return [part.strip() for part in value.split(how[6:] or ",") if part.strip()]
    return value.strip(how[6:])  # strip:


def rule_from_dict(data: Mapping[str, Any]) -> Rule:
    """A rule from plain data, as a TOML or JSON file holds it.

    ```toml
    name = "site.example"
    hosts = ["example.org"]
    requires = ["article h1.title"]
    [fields]
    title = { select = "article h1.title" }
    tags = { select = "a[rel=tag]", many = true }
    ```
    """
    fields = {
        name: spec if isinstance(spec, FieldSpec) else FieldSpec(**spec)
        for name, spec in dict(data.get("fields", {})).items()
    }
    return Rule(
        name=str(data["name"]),
        fields=fields,
        requires=tuple(data.get("requires", ())),
        hosts=tuple(data.get("hosts", ())),
    )


def entry_point_rules(group: str = "rsc_flight.rules") -> list[Rule]:
    """Rules that installed packages offer under an entry-point group.

    Each entry point may name a :class:`Rule`, a list of them, or a function returning
    either; packages register one in their metadata:

    ```toml
    [project.entry-points."rsc_flight.rules"]
    mysite = "mysite_rules:RULES"
    ```
    """
    from importlib.metadata import entry_points

    rules: list[Rule] = []
    for entry in sorted(entry_points(group=group), key=lambda e: e.name):
        loaded = entry.load()
        if callable(loaded) and not isinstance(loaded, Rule):
            loaded = loaded()
        items: Iterable[Any] = [loaded] if isinstance(loaded, Rule) else loaded
        for item in items:
            if not isinstance(item, Rule):
                raise TypeError(f"entry point {entry.name!r} gave {type(item).__name__}, not Rule")
            rules.append(item)
    return rules
