"""A small CSS-like selector language over decoded element nodes.

Rules describe where a site keeps a field (``article.page h1.page__title``) as data, so a
site can be supported without code.  lxml's CSS support needs the extra ``cssselect``
package and knows nothing of what a decoded payload has beyond HTML: React keys, client
components and their export names.  This engine matches :class:`~rsc_flight._page.Node`
trees directly.

Supported::

    tag  *  .class  #id  [prop]  [prop=v]  [prop*=v]  [prop^=v]  [prop$=v]  [prop~=v]
    $Export (a client component by export name; $* any client component)
    :key(v) (React key)  :text-starts(v)  :has-text(v)
    A B (descendant)  A > B (child)  A, B (either)

Values are bare words or quoted with ``'`` or ``"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

import attrs

from ..errors import FlightLimitError, SelectorError
from ..limits import DEFAULT_LIMITS, Limits
from ..nextjs.page import Node
from ..tree.query import text_and_cost

__all__ = ["SelectorError", "compile_selector", "select"]


Test = Callable[[Node, "_Match"], bool]
#: What a selector may index its rightmost compound by: ``("tag", "h1")``,
#: ``("class", "title")`` or ``("id", "main")``.
Key = tuple[str, str]


class _Match:
    """One matching run: the text function (the extraction's, with its budget, or one
    with a budget of its own), the memo of descendant-combinator results, so that
    ``A B`` asks each ancestor once, and the memo of tests on long prop values, so that
    a value shared by many elements (one row) is searched once."""

    __slots__ = ("memo", "text", "values")

    def __init__(self, text: Callable[[Node], str] | None = None) -> None:
        self.text = text or _BudgetedText(DEFAULT_LIMITS)
        self.memo: dict[tuple[int, int, int], bool] = {}
        self.values: dict[tuple[int, int], tuple[str, bool]] = {}


class _BudgetedText:
    """Node text for ``:has-text``/``:text-starts`` outside an extraction: remembered
    per node, and all the walks of one run share a tenth of ``max_expansion`` values
    (the budget the extraction uses), so a selector over the text of every node of a
    deeply nested page cannot take quadratic time.

    Raises:
        FlightLimitError: the run's text budget is spent.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.total = limits.max_expansion // 10
        self.left = self.total
        self.texts: dict[int, tuple[Node, str]] = {}

    def __call__(self, node: Node) -> str:
        known = self.texts.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
        try:
            raw, cost = text_and_cost(
                node.element, limits=attrs.evolve(self.limits, max_expansion=max(self.left, 0))
            )
        except FlightLimitError:
            raise FlightLimitError(
                f"a selector would read more than {self.total} values of text"
                " (a tenth of max_expansion)"
            ) from None
        self.left -= cost
        text = " ".join(raw.split())
        self.texts[id(node)] = (node, text)
        return text


#: Prop values at least this long have their test results remembered per run.
_MEMO_VALUES_FROM = 256


@attrs.frozen
class _Compound:
    tests: tuple[Test, ...]
    key: Key | None = None  # the most selective index key of the compound, if any

    def __call__(self, node: Node, run: _Match) -> bool:
        return all(test(node, run) for test in self.tests)


@attrs.frozen
class _Complex:
    # compounds[i] is joined to compounds[i + 1] by combinators[i] (" " or ">").
    compounds: tuple[_Compound, ...]
    combinators: tuple[str, ...]

    def matches(self, node: Node, run: _Match) -> bool:
        return self._match_from(node, len(self.compounds) - 1, run)

    def _match_from(self, node: Node, index: int, run: _Match) -> bool:
        if not self.compounds[index](node, run):
            return False
        if index == 0:
            return True
        if self.combinators[index - 1] == ">":
            return node.parent is not None and self._match_from(node.parent, index - 1, run)
        return self._has_ancestor(node.parent, index - 1, run)

    def _has_ancestor(self, node: Node | None, index: int, run: _Match) -> bool:
        """Whether ``node`` or one of its ancestors matches from ``index``; memoised per
        run, so the ancestors shared by many candidates are tested once."""
        seen: list[tuple[int, int, int]] = []
        found = False
        while node is not None:
            memo_key = (id(self), id(node), index)
            known = run.memo.get(memo_key)
            if known is not None:
                found = known
                break
            seen.append(memo_key)
            if self._match_from(node, index, run):
                found = True
                break
            node = node.parent
        for memo_key in seen:
            run.memo[memo_key] = found
        return found


@attrs.frozen
class Selector:
    """A compiled selector; ``matches(node)`` tests one node.

    ``keys`` names, per alternative, the index bucket its rightmost compound needs
    (``None``: any node may match), as browsers' style engines index rules by their
    rightmost tag, class or id.
    """

    text: str
    alternatives: tuple[_Complex, ...]

    @property
    def keys(self) -> tuple[Key | None, ...]:
        return tuple(alt.compounds[-1].key for alt in self.alternatives)

    def matches(self, node: Node, text: Callable[[Node], str] | None = None) -> bool:
        """Whether ``node`` matches; ``text`` reads a node's text for ``:has-text`` and
        ``:text-starts`` (default: a walk with a budget of its own)."""
        run = _Match(text)
        return any(alt.matches(node, run) for alt in self.alternatives)

    def filter(
        self, nodes: Iterable[Node], text: Callable[[Node], str] | None = None
    ) -> list[Node]:
        """The nodes, in the order given, that match, in one run (memo shared)."""
        run = _Match(text)
        return [n for n in nodes if any(alt.matches(n, run) for alt in self.alternatives)]


_TOKEN = re.compile(
    r"""
    (?P<ws>\s*>\s*|\s*,\s*|\s+)
    |(?P<tag>\*|[A-Za-z][\w-]*)
    |(?P<client>\$(?:\*|[\w.-]+))
    |(?P<cls>\.[\w-]+)
    |(?P<id>\#[\w-]+)
    |\[(?P<attr>[\w:-]+)\s*(?:(?P<op>[*^$~]?=)\s*(?P<value>"[^"]*"|'[^']*'|[^\]\s]+)\s*)?\]
    |:(?P<pseudo>key|text-starts|has-text)\((?P<arg>"[^"]*"|'[^']*'|[^)]*)\)
    """,
    re.VERBOSE,
)


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _attr_test(name: str, op: str | None, value: str | None) -> Test:
    def compare(text: str) -> bool:
        assert value is not None
        if op == "=":
            return text == value
        if op == "*=":
            return value in text
        if op == "^=":
            return text.startswith(value)
        if op == "$=":
            return text.endswith(value)
        return value in text.split()  # "~="

    def test(node: Node, run: _Match) -> bool:
        have = node.props.get(name)
        if op is None:
            return have is not None and have is not False
        if not isinstance(have, (str, int, float)) or isinstance(have, bool):
            return False
        if not isinstance(have, str) or len(have) < _MEMO_VALUES_FROM:
            return compare(str(have))
        key = (id(test), id(have))
        known = run.values.get(key)
        if known is not None and known[0] is have:
            return known[1]
        result = compare(have)
        run.values[key] = (have, result)
        return result

    return test


def _pseudo_test(name: str, arg: str) -> Test:
    if name == "key":
        return lambda node, run: node.key == arg
    if name == "text-starts":
        return lambda node, run: run.text(node).startswith(arg)
    return lambda node, run: arg in run.text(node)


def _tag_test(tag: str) -> Test:
    return (lambda node, run: True) if tag == "*" else (lambda node, run: node.kind == tag)


def _client_test(export: str) -> Test:
    def test(node: Node, run: _Match) -> bool:
        client = node.client
        return client is not None and (export == "*" or client.name == export)

    return test


def _class_test(name: str) -> Test:
    return lambda node, run: node.has_class(name)


@lru_cache(maxsize=512)
def compile_selector(text: str) -> Selector:
    """Parse a selector (cached: rules are data and are used on many pages)."""
    alternatives: list[_Complex] = []
    compounds: list[_Compound] = []
    combinators: list[str] = []
    tests: list[Test] = []
    keys: list[Key] = []
    position = 0
    source = text.strip()
    if not source:
        raise SelectorError("empty selector")

    def close_compound() -> None:
        if not tests:
            raise SelectorError(f"selector {text!r}: missing a simple selector at {position}")
        # A tag first (the context indexes every tag in one pass), then an id, a class.
        best = min(keys, key=lambda k: ("tag", "id", "class").index(k[0]), default=None)
        compounds.append(_Compound(tuple(tests), best))
        tests.clear()
        keys.clear()

    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:
            raise SelectorError(f"selector {text!r}: cannot read {source[position:]!r}")
        position = match.end()
        if match["ws"] is not None:
            close_compound()
            separator = match["ws"].strip()
            if separator == ",":
                alternatives.append(_Complex(tuple(compounds), tuple(combinators)))
                compounds, combinators = [], []
            else:
                combinators.append(separator or " ")
        elif match["tag"] is not None:
            tag = match["tag"].lower()
            tests.append(_tag_test(tag))
            if tag != "*":
                keys.append(("tag", tag))
        elif match["client"] is not None:
            tests.append(_client_test(match["client"][1:]))
        elif match["cls"] is not None:
            tests.append(_class_test(match["cls"][1:]))
            keys.append(("class", match["cls"][1:]))
        elif match["id"] is not None:
            tests.append(_attr_test("id", "=", match["id"][1:]))
            keys.append(("id", match["id"][1:]))
        elif match["attr"] is not None:
            value = _unquote(match["value"]) if match["value"] is not None else None
            tests.append(_attr_test(match["attr"], match["op"], value))
        else:
            tests.append(_pseudo_test(match["pseudo"], _unquote(match["arg"])))
    close_compound()
    alternatives.append(_Complex(tuple(compounds), tuple(combinators)))
    return Selector(text, tuple(alternatives))


def select(selector: str | Selector, nodes: Iterable[Node]) -> list[Node]:
    """The nodes, in the order given, that match the selector."""
    compiled = compile_selector(selector) if isinstance(selector, str) else selector
    return compiled.filter(nodes)
