"""Rendering element trees to HTML, as React DOM's server renderer would.

``render_html(node)`` writes host elements the way ``renderToStaticMarkup`` of
``react-dom/server`` does for the same tree: prop names mapped to attribute names
(``className`` to ``class``, ``htmlFor`` to ``for``...), style objects written as CSS
text with React's unitless-number rule, boolean and "booleanish" attributes, void
elements closed as ``<br/>``, ``dangerouslySetInnerHTML`` inserted verbatim, everything
else escaped.  The differential test (``tests/test_html.py``) holds it to React's own
output on the corpus and on our fixtures.

What is not a host element:

* fragments, Suspense boundaries and the other React symbols render their children;
* lazies and promises render what they resolved to; one that never arrived renders as
  ``<!--rsc: pending row 1f-->``, one that failed as ``<!--rsc: error …-->``;
* a client component cannot run here: by default it renders its ``children`` prop (the
  server-rendered part), and ``mark_clients=True`` wraps that in
  ``<rsc-client data-client="module#export">`` so it stays visible.

Output is built by string escaping, not by a DOM, so it stays byte-comparable with React's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import attrs

from ..errors import FlightLimitError
from ..limits import DEFAULT_LIMITS, Limits, recursion_room
from ..model.values import (
    UNDEFINED,
    ClientReference,
    Element,
    ErrorRaised,
    ErrorValue,
    JSBigInt,
    JSDate,
    JSPromise,
    JSSymbol,
    Lazy,
    Pending,
    js_number,
    unwrap,
)

__all__ = ["Subtree", "render_html"]


def escape(text: str) -> str:
    """Escape text or an attribute value as React does (``& < > " '``).

    Five ``str.replace`` calls (``&`` first) beat a regular expression with a callback by
    2-4x on the short strings pages are made of, with or without anything to escape.
    """
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


_VOID = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr".split()
)

# Props that never become attributes.
_RESERVED = frozenset(
    {
        "children",
        "dangerouslySetInnerHTML",
        "key",
        "ref",
        "suppressContentEditableWarning",
        "suppressHydrationWarning",
        "innerHTML",
        "innerText",
        "textContent",
        "defaultValue",
        "defaultChecked",
    }
)

# Prop names whose attribute is spelled differently.
_ALIASES = {
    "className": "class",
    "htmlFor": "for",
    "acceptCharset": "accept-charset",
    "httpEquiv": "http-equiv",
}
# SVG and XML props React writes with dashes or colons.
for _name in (
    "accentHeight alignmentBaseline arabicForm baselineShift capHeight clipPath clipRule "
    "colorInterpolation colorInterpolationFilters colorProfile colorRendering "
    "dominantBaseline enableBackground fillOpacity fillRule floodColor floodOpacity "
    "fontFamily fontSize fontSizeAdjust fontStretch fontStyle fontVariant fontWeight "
    "glyphName glyphOrientationHorizontal glyphOrientationVertical horizAdvX horizOriginX "
    "imageRendering letterSpacing lightingColor markerEnd markerMid markerStart "
    "overlinePosition overlineThickness paintOrder panose1 pointerEvents renderingIntent "
    "shapeRendering stopColor stopOpacity strikethroughPosition strikethroughThickness "
    "strokeDasharray strokeDashoffset strokeLinecap strokeLinejoin strokeMiterlimit "
    "strokeOpacity strokeWidth textAnchor textDecoration textRendering transformOrigin "
    "underlinePosition underlineThickness unicodeBidi unicodeRange unitsPerEm vAlphabetic "
    "vHanging vIdeographic vMathematical vectorEffect vertAdvY vertOriginX vertOriginY "
    "wordSpacing writingMode xHeight"
).split():
    _ALIASES[_name] = re.sub(r"[A-Z]", lambda m: "-" + m.group().lower(), _name)
for _name in "xlinkActuate xlinkArcrole xlinkHref xlinkRole xlinkShow xlinkTitle xlinkType".split():
    _ALIASES[_name] = "xlink:" + _name[5:].lower()
for _name in "xmlBase xmlLang xmlSpace".split():
    _ALIASES[_name] = "xml:" + _name[3:].lower()
_ALIASES["xmlnsXlink"] = "xmlns:xlink"
del _name

# Attributes that are present or absent (true writes `name=""`).
_BOOLEAN = frozenset(
    {
        "allowFullScreen",
        "async",
        "autoFocus",
        "autoPlay",
        "controls",
        "default",
        "defer",
        "disabled",
        "disablePictureInPicture",
        "disableRemotePlayback",
        "formNoValidate",
        "hidden",
        "inert",
        "loop",
        "noModule",
        "noValidate",
        "open",
        "playsInline",
        "readOnly",
        "required",
        "reversed",
        "scoped",
        "seamless",
        "itemScope",
        "checked",
        "multiple",
        "muted",
        "selected",
    }
)
# Attributes whose value is the string "true"/"false".
_BOOLEANISH = frozenset(
    {
        "contentEditable",
        "draggable",
        "spellCheck",
        "value",
        "autoReverse",
        "externalResourcesRequired",
        "focusable",
        "preserveAlpha",
    }
)

# CSS properties whose numbers take no "px" (React's isUnitlessNumber).
_UNITLESS = frozenset(
    {
        "animationIterationCount",
        "aspectRatio",
        "borderImageOutset",
        "borderImageSlice",
        "borderImageWidth",
        "boxFlex",
        "boxFlexGroup",
        "boxOrdinalGroup",
        "columnCount",
        "columns",
        "flex",
        "flexGrow",
        "flexPositive",
        "flexShrink",
        "flexNegative",
        "flexOrder",
        "gridArea",
        "gridRow",
        "gridRowEnd",
        "gridRowSpan",
        "gridRowStart",
        "gridColumn",
        "gridColumnEnd",
        "gridColumnSpan",
        "gridColumnStart",
        "fontWeight",
        "lineClamp",
        "lineHeight",
        "opacity",
        "order",
        "orphans",
        "scale",
        "tabSize",
        "widows",
        "zIndex",
        "zoom",
        "fillOpacity",
        "floodOpacity",
        "stopOpacity",
        "strokeDasharray",
        "strokeDashoffset",
        "strokeMiterlimit",
        "strokeOpacity",
        "strokeWidth",
        "MozAnimationIterationCount",
        "MozBoxFlex",
        "MozBoxFlexGroup",
        "MozLineClamp",
        "msAnimationIterationCount",
        "msFlex",
        "msZoom",
        "msFlexGrow",
        "msFlexNegative",
        "msFlexOrder",
        "msFlexPositive",
        "msFlexShrink",
        "msGridColumn",
        "msGridColumnSpan",
        "msGridRow",
        "msGridRowSpan",
        "WebkitAnimationIterationCount",
        "WebkitBoxFlex",
        "WebKitBoxFlexGroup",
        "WebkitBoxOrdinalGroup",
        "WebkitColumnCount",
        "WebkitColumns",
        "WebkitFlex",
        "WebkitFlexGrow",
        "WebkitFlexPositive",
        "WebkitFlexShrink",
        "WebkitLineClamp",
    }
)

_EVENT = re.compile(r"on[A-Z]")
_UPPER = re.compile(r"[A-Z]")


def _css_name(name: str) -> str:
    if name.startswith("--"):
        return name
    hyphenated = _UPPER.sub(lambda m: "-" + m.group().lower(), name)
    return "-" + hyphenated if hyphenated.startswith("ms-") else hyphenated


def _style(style: dict[str, Any]) -> str:
    parts = []
    for name, value in style.items():
        if value is None or value is UNDEFINED or isinstance(value, bool) or value == "":
            continue
        if isinstance(value, (int, float)) and not isinstance(value, JSBigInt):
            text = js_number(value)
            if value != 0 and name not in _UNITLESS and not name.startswith("--"):
                text += "px"
        else:
            text = _string(value).strip()
        parts.append(f"{_css_name(name)}:{text}")
    return ";".join(parts)


def _string(value: Any) -> str:
    """``String(value)`` for the values a payload can hold."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, JSDate):
        return value.raw
    if isinstance(value, list):
        return ",".join("" if v is None or v is UNDEFINED else _string(v) for v in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


# What a prop name becomes, worked out once per name (see _plan).
_SKIP, _STYLE, _FLAG, _TRUE_FALSE, _PLAIN = range(5)
_PLANS: dict[str, tuple[int, str]] = {}
_MAX_PLANS = 4096  # names seen in hostile payloads must not grow the cache without end


def _plan(name: str) -> tuple[int, str]:
    """How a prop is written: left out, style, boolean, ``"true"/"false"`` or plain."""
    plan = _PLANS.get(name)
    if plan is not None:
        return plan
    attribute = _ALIASES.get(name, name)
    if _EVENT.match(name) or name in _RESERVED:
        plan = (_SKIP, name)
    elif name == "style":
        plan = (_STYLE, name)
    elif name in _BOOLEAN:
        plan = (_FLAG, attribute)
    elif name in _BOOLEANISH or name.startswith(("data-", "aria-")):
        plan = (_TRUE_FALSE, attribute)
    else:
        plan = (_PLAIN, attribute)
    if len(_PLANS) < _MAX_PLANS:
        _PLANS[name] = plan
    return plan


def _attribute(name: str, value: Any) -> str | None:
    """One attribute as React writes it, or ``None`` when React leaves it out."""
    kind, attribute = _plan(name)
    if type(value) is str and kind == _PLAIN:  # the commonest case by far
        return f' {attribute}="{escape(value)}"'
    if value is None or value is UNDEFINED or isinstance(value, (JSSymbol, Lazy, JSPromise)):
        return None
    if kind == _SKIP:
        return None
    if kind == _STYLE:
        if not isinstance(value, dict):
            return None
        css = _style(value)
        return f' style="{escape(css)}"' if css else None
    if kind == _FLAG:
        return (
            f' {attribute}=""' if value is True or (value and not isinstance(value, bool)) else None
        )
    if isinstance(value, bool):
        if kind == _TRUE_FALSE:
            return f' {attribute}="{"true" if value else "false"}"'
        return None
    return f' {attribute}="{escape(_string(value))}"'


def _hoist_slot(tag: str, props: dict[str, Any]) -> str | None:
    """Where React 19's server renderer moves this element: a head slot, or ``None``.

    In a document (an ``<html>`` root) ``<title>``, ``<meta>`` and most ``<link>``
    elements are hoisted into the head wherever they appear, a charset ``<meta>`` first,
    a viewport ``<meta>`` next, async external scripts before the other hoisted tags.
    """
    if "itemProp" in props or "onLoad" in props or "onError" in props:
        return None
    if tag == "meta":
        if props.get("charSet") is not None:
            return "charset"
        if props.get("name") == "viewport":
            return "viewport"
        return "hoistable"
    if tag == "title":
        return "hoistable"
    if tag == "link":
        if props.get("rel") == "stylesheet":
            return None if props.get("precedence") is None else "stylesheets"
        return "hoistable"
    if tag == "script" and props.get("async") is True and isinstance(props.get("src"), str):
        return "scripts"
    return None


_SLOTS = ("charset", "viewport", "stylesheets", "scripts", "hoistable")


@attrs.frozen(eq=False)
class Subtree:
    """What a client hook may return: render ``node`` in the component's place, with
    ``client_hook`` for the client components inside it (same output, same budget)."""

    node: Any
    client_hook: ClientHook | None = None


#: Called for each client component met: HTML or a :class:`Subtree` to put in its place,
#: or ``None`` for the default (render its ``children``).  Next.js page assembly uses it
#: for LayoutRouter.
ClientHook = Callable[[Element, ClientReference, dict[str, Any]], "str | Subtree | None"]


class _Renderer:
    def __init__(
        self,
        limits: Limits,
        mark_clients: bool,
        client_hook: ClientHook | None = None,
        sanitize: Callable[[str], str] | None = None,
    ) -> None:
        self.limits = limits
        self.mark_clients = mark_clients
        self.client_hook = client_hook
        self.sanitize = sanitize
        self.budget = limits.max_expansion
        self.out: list[str] = []
        self.active: set[int] = set()
        self.depth = 0
        # Document mode (an <html> root): hoisted head content by slot, and whether we
        # are inside <svg> (where nothing is hoisted).
        self.document = False
        self.slots: dict[str, list[str]] = {slot: [] for slot in _SLOTS}
        self.in_svg = 0
        self.html_open = False
        self.host_depth = 0  # host elements open around the current node

    def document_root(self, props: dict[str, Any]) -> None:
        """An ``<html>`` root, laid out as React writes a document: the ``<head>`` (made
        if missing) starts with the hoisted tags, then the head's own remaining content."""
        self.document = True
        html_start = (
            "<html"
            + "".join(a for n, v in props.items() if (a := _attribute(n, v)) is not None)
            + ">"
        )
        head_start = "<head>"
        head_rest: list[str] = []
        body: list[str] = []
        children = unwrap(props.get("children"))
        for child in children if isinstance(children, list) else [children]:
            child = unwrap(child)
            if isinstance(child, Element) and unwrap(child.type) == "head":
                head_props = unwrap(child.props)
                head_props = head_props if isinstance(head_props, dict) else {}
                head_start = (
                    "<head"
                    + "".join(
                        a for n, v in head_props.items() if (a := _attribute(n, v)) is not None
                    )
                    + ">"
                )
                self.out = head_rest
                self.render(head_props.get("children"))
            else:
                self.out = body
                self.render(child)
        hoisted = [chunk for slot in _SLOTS for chunk in self.slots[slot]]
        self.out = [html_start, head_start, *hoisted, *head_rest, "</head>", *body, "</html>"]

    def render(self, node: Any) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise FlightLimitError(
                f"HTML would exceed max_expansion={self.limits.max_expansion} nodes"
            )
        out = self.out
        # Strings, elements and lists first: nearly every node is one of them.
        if isinstance(node, str):
            out.append(escape(node))
        elif isinstance(node, Element):
            if id(node) in self.active:
                out.append("<!--rsc: cycle-->")
                return
            self.active.add(id(node))
            self.depth += 1
            if self.depth > self.limits.max_depth:
                raise FlightLimitError(
                    f"elements nest deeper than max_depth={self.limits.max_depth}"
                )
            self.element(node)
            self.depth -= 1
            self.active.discard(id(node))
        elif isinstance(node, list):
            if id(node) in self.active:
                out.append("<!--rsc: cycle-->")
                return
            self.active.add(id(node))
            for child in node:
                self.render(child)
            self.active.discard(id(node))
        elif node is None or node is UNDEFINED or isinstance(node, bool):
            return
        elif isinstance(node, (int, float)):
            out.append(js_number(node))
        elif isinstance(node, (Lazy, JSPromise)):
            promise = node.promise if isinstance(node, Lazy) else node
            if id(promise) in self.active:
                out.append("<!--rsc: cycle-->")  # it resolves to itself
                return
            try:
                value = promise.result
            except ErrorRaised as thrown:
                out.append(_comment("error", _error_text(thrown.value)))
                return
            self.active.add(id(promise))
            self.render(value)
            self.active.discard(id(promise))
        elif isinstance(node, Pending):
            out.append(_comment("pending", "row " + ("?" if node.id is None else f"{node.id:x}")))
        elif isinstance(node, JSDate):
            out.append(escape(node.raw))
        # Anything else (symbols, maps, references...) is not renderable: React would
        # throw or print nothing; we print nothing.

    def element(self, element: Element) -> None:
        kind = element.type
        if isinstance(kind, (Lazy, JSPromise)):
            promise = kind.promise if isinstance(kind, Lazy) else kind
            try:
                _ = promise.result  # only to learn whether it failed
            except ErrorRaised as thrown:
                self.out.append(_comment("error", _error_text(thrown.value)))
                return
            kind = unwrap(kind)
        props = unwrap(element.props)
        if not isinstance(props, dict):
            props = {}
        if isinstance(kind, str):
            self.host(kind, props)
        elif isinstance(kind, ClientReference):
            if self.client_hook is not None:
                replacement = self.client_hook(element, kind, props)
                if isinstance(replacement, Subtree):
                    outer_hook = self.client_hook
                    self.client_hook = replacement.client_hook
                    try:
                        self.render(replacement.node)
                    finally:
                        self.client_hook = outer_hook
                    return
                if replacement is not None:
                    self.out.append(replacement)
                    return
            if self.mark_clients:
                label = f"{kind.id}#{kind.name or 'default'}"
                self.out.append(f'<rsc-client data-client="{escape(label)}">')
                self.render(props.get("children"))
                self.out.append("</rsc-client>")
            else:
                self.render(props.get("children"))
        elif isinstance(kind, Pending):
            self.out.append(
                _comment("pending", "component row " + ("?" if kind.id is None else f"{kind.id:x}"))
            )
        else:
            # Fragments, Suspense, StrictMode, Profiler, Activity...: their children.
            self.render(props.get("children"))

    def host(self, tag: str, props: dict[str, Any]) -> None:
        if tag == "html" and not self.html_open and self.host_depth == 0:
            self.html_open = True
            self.document_root_props(props)
            return
        if self.document and not self.in_svg:
            slot = _hoist_slot(tag, props)
            if slot is not None:
                outer = self.out
                self.out = self.slots[slot]
                self.document = False  # a hoisted element's content is not hoisted again
                if slot == "stylesheets":
                    # A stylesheet with a precedence is a resource: React writes it as
                    # rel, href, data-precedence, then the other props.
                    rest = {
                        k: v for k, v in props.items() if k not in ("rel", "href", "precedence")
                    }
                    props = {
                        "rel": "stylesheet",
                        "href": props.get("href"),
                        "data-precedence": props.get("precedence"),
                        **rest,
                    }
                try:
                    self.host(tag, props)
                finally:
                    self.document = True
                    self.out = outer
                return
        out = self.out
        out.append("<" + tag)
        if tag == "input":
            props = _input_props(props)
        for name, value in props.items():
            attribute = _attribute(name, value)
            if attribute is not None:
                out.append(attribute)
        if tag in _VOID:
            out.append("/>")
            return
        if tag == "title":
            children = unwrap(props.get("children"))
            if isinstance(children, list) and len(children) > 1:
                out.append("></title>")  # React renders a title of several parts empty
                return
        out.append(">")
        inner = props.get("dangerouslySetInnerHTML")
        if isinstance(inner, dict) and "__html" in inner:
            html = inner["__html"]
            if html is not None and html is not UNDEFINED:
                text = _string(html)
                if self.sanitize is not None and tag not in ("script", "style"):
                    text = self.sanitize(text)
                elif self.sanitize is not None:
                    text = ""  # inline script or style from the page: dropped when cleaning
                out.append(text)
        elif tag in ("script", "style"):
            self.raw_text(tag, props.get("children"))
        else:
            self.in_svg += tag == "svg"
            self.host_depth += 1
            self.render(props.get("children"))
            self.host_depth -= 1
            self.in_svg -= tag == "svg"
        out.append(f"</{tag}>")

    def document_root_props(self, props: dict[str, Any]) -> None:
        outer = self.out
        self.document_root(props)
        outer.extend(self.out)
        self.out = outer

    def raw_text(self, tag: str, children: Any) -> None:
        """Script and style contents are not HTML: written as text, only ``</tag`` made safe."""
        if isinstance(children, list):
            text = "".join(_string(c) for c in children if isinstance(c, (str, int, float)))
        elif isinstance(children, (str, int, float)) and not isinstance(children, bool):
            text = _string(children)
        else:
            self.render(children)
            return
        self.out.append(re.sub(rf"</({tag})", r"\\u003c/\1", text, flags=re.IGNORECASE))


def _top_level_html(node: Any) -> bool:
    """Whether an ``<html>`` element sits at the top, through fragments, lists, lazies."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = unwrap(stack.pop())
        if isinstance(item, list):
            if id(item) not in seen:
                seen.add(id(item))
                stack.extend(item)
        elif isinstance(item, Element):
            kind = unwrap(item.type)
            if kind == "html":
                return True
            props = unwrap(item.props)
            if not isinstance(kind, str) and isinstance(props, dict) and id(item) not in seen:
                seen.add(id(item))
                stack.append(props.get("children"))
    return False


def _input_props(props: dict[str, Any]) -> dict[str, Any]:
    """``<input>`` as React writes it: ``checked`` and ``value`` (or their defaults) last."""
    ordered = {k: v for k, v in props.items() if k not in ("checked", "value")}
    checked = props.get("checked", props.get("defaultChecked"))
    value = props.get("value", props.get("defaultValue"))
    if checked is not None and checked is not UNDEFINED:
        ordered["checked"] = checked
    if value is not None and value is not UNDEFINED:
        ordered["value"] = value
    return ordered


def _error_text(error: Any) -> str:
    if isinstance(error, ErrorValue):
        return f"{error.name}: {error.digest or error.message}"
    return repr(error)


def _comment(kind: str, text: str) -> str:
    return f"<!--rsc: {kind} {text.replace('--', '- -').replace('>', '&gt;')}-->"


def render_html(
    node: Any,
    *,
    mark_clients: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    client_hook: ClientHook | None = None,
    sanitize: bool | Callable[[str], str] = False,
) -> str:
    """Render a decoded value (an element, a list of them, a payload's root) to HTML.

    Args:
        node: what to render; strings and numbers render as escaped text.
        mark_clients: wrap what each client component renders in
            ``<rsc-client data-client="module#export">``.
        limits: ``max_expansion`` bounds the nodes written (shared subtrees are written
            each time they appear, as in a browser).
        client_hook: called with each client component element; HTML it returns is put
            in the element's place (``None`` keeps the default).
        sanitize: clean the HTML of ``dangerouslySetInnerHTML`` before inserting it:
            ``True`` uses `nh3 <https://pypi.org/project/nh3/>`_ (the ``sanitize`` extra),
            a callable is used as the cleaner.  Script and style elements given raw HTML
            are emptied.

    The HTML that ``dangerouslySetInnerHTML`` carries is inserted verbatim unless
    ``sanitize`` is given: it is the page's own markup, untrusted (see ``docs/html.md``).
    """
    cleaner: Callable[[str], str] | None
    if sanitize is True:
        try:
            import nh3
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise ImportError(
                "sanitize=True needs nh3: pip install 'rsc_flight[sanitize]'"
            ) from exc
        cleaner = nh3.clean
    else:
        cleaner = sanitize or None
    renderer = _Renderer(limits, mark_clients, client_hook, cleaner)
    # A document (an <html> element outside any other host element, possibly inside
    # fragments) hoists head tags from everywhere, including before the <html> element.
    renderer.document = _top_level_html(node)
    with recursion_room(limits):
        renderer.render(node)
    return "".join(renderer.out)
