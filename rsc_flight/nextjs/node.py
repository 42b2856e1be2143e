"""The element nodes of a page: where each stands (:class:`Region`), its class names
(:class:`Classes`, shared per ``className`` string) and its place in the tree (:class:`Node`).

:func:`~rsc_flight.nextjs.page.read_page` makes one :class:`Node` per element of the page.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from ..model.values import ClientReference, Element

__all__ = ["NO_CLASSES", "Classes", "Node", "Region"]


class Region(enum.Enum):
    """Where an element stands in the assembled page."""

    HEAD = "head"  # Metadata API output: Next 14's head slot, 15/16 metadata boundaries
    LAYOUT_HEAD = "layout_head"  # a literal <head> rendered by a layout
    LAYOUT = "layout"  # a layout segment's own tree (site chrome)
    PAGE = "page"  # the page segment (or the whole tree when it is not a Next.js page)
    OTHER = "other"  # reachable from the root, outside the segments (streamed rows…)


class Classes:
    """The class names of one ``className`` string, worked out once per string.

    A hostile payload can give ten thousand elements one shared ``className`` row of a
    million names; splitting it, or scanning its names, once per element is quadratic.
    :func:`read_page` gives every element with the same string the same :class:`Classes`,
    and tests on the names (:meth:`Node.class_test`) are remembered here.  The sets are
    made on first use: most pages ask about the names of a few strings only.

    Attributes:
        names: the names in order.
        set: the names, for membership.
        folded: the names case-folded (lower-cased), for membership.
    """

    __slots__ = ("_folded", "_set", "names", "tests")

    def __init__(
        self,
        names: tuple[str, ...],
        set: frozenset[str] | None = None,
        folded: frozenset[str] | None = None,
    ) -> None:
        self.names = names
        self._set = set
        self._folded = folded
        self.tests: dict[Callable[[tuple[str, ...]], bool], bool] = {}

    def __repr__(self) -> str:
        return f"Classes({self.names!r})"

    @property
    def set(self) -> frozenset[str]:
        if self._set is None:
            self._set = frozenset(self.names)
        return self._set

    @property
    def folded(self) -> frozenset[str]:
        if self._folded is None:
            self._folded = frozenset(name.lower() for name in self.names)
        return self._folded

    @classmethod
    def of(cls, value: Any) -> Classes:
        return cls(tuple(value.split()) if isinstance(value, str) else ())


#: The classes of an element without a ``className``.
NO_CLASSES = Classes(())


@attrs.define(eq=False, init=False)
class Node:
    """An element of the page with its place.

    Attributes:
        element: the decoded element.
        kind: its type with lazies read: a tag, a :class:`ClientReference`, a :class:`Symbol`.
        props: its props (an empty dict when they are not an object).
        parent: the enclosing node, ``None`` at the top.
        children: the nodes directly inside it, in order.
        region: where it stands.
        row: the id of the row its element was decoded from (``0`` for the root row).
        order: its position in document order.
        depth: how many nodes enclose it.
        size: how many nodes its subtree holds, itself included.
    """

    element: Element
    kind: Any
    props: dict[str, Any]
    parent: Node | None
    region: Region
    row: int | None
    order: int = 0
    depth: int = 0
    size: int = 1  # this node and every node below it
    #: ``children``'s list, made when the first child is added or the list is asked for
    #: (most nodes are leaves: a list each would be most of the page's objects).
    _children: list[Node] | None = attrs.field(default=None, repr=False)
    _classes: Classes | None = attrs.field(default=None, repr=False)
    #: ``kind`` when it is a tag name, else ``None`` (worked out once: rules ask often).
    tag: str | None = attrs.field(init=False, repr=False)

    # Written out rather than generated: a page makes one node per element, and attrs'
    # ``__init__`` (defaults, a factory, a post-init hook) cost more than the walk itself.
    def __init__(
        self,
        element: Element,
        kind: Any,
        props: dict[str, Any],
        parent: Node | None,
        region: Region,
        row: int | None,
        order: int = 0,
        depth: int = 0,
        size: int = 1,
        children: list[Node] | None = None,
        classes: Classes | None = None,
    ) -> None:
        self.element = element
        self.kind = kind
        self.props = props
        self.parent = parent
        self.region = region
        self.row = row
        self.order = order
        self.depth = depth
        self.size = size
        self._children = children
        self._classes = classes
        self.tag = kind if type(kind) is str or isinstance(kind, str) else None

    @property
    def children(self) -> list[Node]:
        """The nodes directly inside it, in order."""
        kids = self._children
        if kids is None:
            kids = self._children = []
        return kids

    @property
    def client(self) -> ClientReference | None:
        return self.kind if isinstance(self.kind, ClientReference) else None

    @property
    def key(self) -> str | None:
        key = self.element.key
        return key if isinstance(key, str) else None

    @property
    def class_info(self) -> Classes:
        """The class names of ``className`` (shared by the nodes of one string)."""
        if self._classes is None:
            self._classes = Classes.of(self.props.get("className"))
        return self._classes

    @property
    def classes(self) -> tuple[str, ...]:
        return self.class_info.names

    def has_class(self, name: str) -> bool:
        return name in self.class_info.set

    def class_test(self, test: Callable[[tuple[str, ...]], bool]) -> bool:
        """``test(self.classes)``, remembered per ``className`` string: pass the same
        function object each time (a module-level function)."""
        info = self._classes
        if info is None:
            info = self.class_info
        known = info.tests.get(test)
        if known is None:
            known = info.tests[test] = test(info.names)
        return known

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def below(self, other: Node) -> bool:
        """Whether this node is one of ``other``'s descendants (``other`` itself is not).

        Read from document order, without a walk: :func:`read_page` numbers the nodes
        depth first, so a subtree is the run of ``size`` nodes from its root on.  Only
        for nodes of one :class:`Page`.
        """
        return other.order < self.order < other.order + other.size

    def descendants(self) -> Iterator[Node]:
        stack = list(reversed(self._children or ()))
        while stack:
            node = stack.pop()
            yield node
            if node._children:
                stack.extend(reversed(node._children))
