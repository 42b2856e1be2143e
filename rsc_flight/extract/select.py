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

from ..errors import SelectorError
from ..nextjs.page import Node
from ..tree.query import text_content

__all__ = ["SelectorError", "compile_selector", "select"]


Test = Callable[[Node], bool]


@attrs.frozen
class _Compound:
    tests: tuple[Test, ...]

    def __call__(self, node: Node) -> bool:
        return all(test(node) for test in self.tests)


@attrs.frozen
class _Complex:
    # compounds[i] is joined to compounds[i + 1] by combinators[i] (" " or ">").
    compounds: tuple[_Compound, ...]
    combinators: tuple[str, ...]

    def matches(self, node: Node) -> bool:
        return self._match_from(node, len(self.compounds) - 1)

    def _match_from(self, node: Node, index: int) -> bool:
        if not self.compounds[index](node):
            return False
        if index == 0:
            return True
        if self.combinators[index - 1] == ">":
            return node.parent is not None and self._match_from(node.parent, index - 1)
        return any(self._match_from(ancestor, index - 1) for ancestor in node.ancestors())


@attrs.frozen
class Selector:
    """A compiled selector; ``matches(node)`` tests one node."""

    text: str
    alternatives: tuple[_Complex, ...]

    def matches(self, node: Node) -> bool:
        return any(alt.matches(node) for alt in self.alternatives)


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
    def test(node: Node) -> bool:
        have = node.props.get(name)
        if op is None:
            return have is not None and have is not False
        if not isinstance(have, (str, int, float)) or isinstance(have, bool):
            return False
        text = str(have)
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

    return test


def _text(node: Node) -> str:
    return " ".join(text_content(node.element).split())


def _pseudo_test(name: str, arg: str) -> Test:
    if name == "key":
        return lambda node: node.key == arg
    if name == "text-starts":
        return lambda node: _text(node).startswith(arg)
    return lambda node: arg in _text(node)


def _tag_test(tag: str) -> Test:
    return (lambda node: True) if tag == "*" else (lambda node: node.tag == tag)


def _client_test(export: str) -> Test:
    def test(node: Node) -> bool:
        client = node.client
        return client is not None and (export == "*" or client.name == export)

    return test


def _class_test(name: str) -> Test:
    return lambda node: name in node.classes


@lru_cache(maxsize=512)
def compile_selector(text: str) -> Selector:
    """Parse a selector (cached: rules are data and are used on many pages)."""
    alternatives: list[_Complex] = []
    compounds: list[_Compound] = []
    combinators: list[str] = []
    tests: list[Test] = []
    position = 0
    source = text.strip()
    if not source:
        raise SelectorError("empty selector")

    def close_compound() -> None:
        if not tests:
            raise SelectorError(f"selector {text!r}: missing a simple selector at {position}")
        compounds.append(_Compound(tuple(tests)))
        tests.clear()

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
            tests.append(_tag_test(match["tag"].lower()))
        elif match["client"] is not None:
            tests.append(_client_test(match["client"][1:]))
        elif match["cls"] is not None:
            tests.append(_class_test(match["cls"][1:]))
        elif match["id"] is not None:
            tests.append(_attr_test("id", "=", match["id"][1:]))
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
    return [node for node in nodes if compiled.matches(node)]
