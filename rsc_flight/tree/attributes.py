"""Props to HTML attributes, as React DOM's server renderer writes them.

Everything here is per value, not per tree: escaping, which props become attributes and
under which names (``className`` to ``class``, SVG's ``strokeWidth`` to ``stroke-width``),
boolean and "booleanish" attributes, style objects as CSS text with React's
unitless-number rule, and JavaScript's ``String(value)``.  A prop name's plan is worked
out once and cached, since pages repeat the same few dozen names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..errors import FlightLimitError
from ..model.values import UNDEFINED, JSBigInt, JSDate, JSPromise, JSSymbol, Lazy, js_number

__all__ = [
    "DEFAULT_MAX_OUTPUT_BYTES",
    "VOID",
    "attribute",
    "escape",
    "input_props",
    "max_output_bytes",
    "number_text",
    "start_tag",
    "to_string",
]

#: The default of ``Limits.max_output_bytes`` (read with :func:`max_output_bytes` until
#: every ``Limits`` has the field): 256 MiB of text, far above the largest real page (a
#: few MB) and small enough that a hostile page cannot fill memory with copies of one
#: shared row.
DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024 * 1024


def max_output_bytes(limits: object) -> int:
    """The most characters one rendering (HTML, text, an attribute) may write."""
    value = getattr(limits, "max_output_bytes", DEFAULT_MAX_OUTPUT_BYTES)
    return value if isinstance(value, int) else DEFAULT_MAX_OUTPUT_BYTES


def output_too_big(limit: int, subject: str = "HTML") -> FlightLimitError:
    """The error for output over ``max_output_bytes``."""
    return FlightLimitError(f"{subject} would exceed max_output_bytes={limit} characters")


def number_text(value: int | float) -> str:
    """A number as JavaScript writes it, also for integers beyond a double (``js_number``
    gives ``Infinity`` for a 309-digit integer, as the browser reads it)."""
    return js_number(value)


def escape(text: str) -> str:
    """Escape text or an attribute value as React does (``& < > " '``).

    Most of a page's strings have nothing to escape: five ``in`` tests find that in half
    the time five ``str.replace`` calls take; a string that has something is replaced
    five times (``&`` first), which beats a regular expression with a callback by 2-4x on
    the short strings pages are made of.
    """
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return (
            text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
            .replace("'", "&#x27;")
        )
    return text


VOID = frozenset(
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


#: CSS property names worked out once per name, as prop names are (see _plan): the
#: written name, and whether a number takes ``px``.
_CSS: dict[str, tuple[str, bool]] = {}


def _css(name: str) -> tuple[str, bool]:
    known = _CSS.get(name)
    if known is None:
        known = (_css_name(name), name not in _UNITLESS and not name.startswith("--"))
        if len(_CSS) < _MAX_PLANS:
            _CSS[name] = known
    return known


def _style(style: dict[str, Any]) -> str:
    parts = []
    known = _CSS
    for name, value in style.items():
        if type(value) is str:  # the commonest case, spared the tests below
            if not value:
                continue
            text = value.strip()
        elif value is None or value is UNDEFINED or isinstance(value, bool) or value == "":
            continue
        elif isinstance(value, (int, float)) and not isinstance(value, JSBigInt):
            text = number_text(value)
            if value != 0 and _css(name)[1]:
                text += "px"
        else:
            text = to_string(value).strip()
        css = known.get(name)
        parts.append((css if css is not None else _css(name))[0] + ":" + text)
    return ";".join(parts)


def to_string(value: Any, limit: int = DEFAULT_MAX_OUTPUT_BYTES) -> str:
    """``String(value)`` for the values a payload can hold.

    Arrays are joined as JavaScript's ``Array.prototype.join`` does, without recursion:
    an array met again inside itself is ``""`` (as in JavaScript), an array shared by
    several others is joined once, and a result longer than ``limit`` characters raises
    :class:`~rsc_flight.FlightLimitError` (a few shared arrays nested a few dozen deep
    would otherwise describe 2**40 characters).
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, JSDate):
        return value.raw
    if isinstance(value, list):
        return _join(value, limit)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


def _join(root: list[Any], limit: int) -> str:
    """``root.join(",")`` with nested arrays joined too, iteratively (see to_string)."""
    done: dict[int, str] = {}  # arrays already joined, by identity
    keep: list[list[Any]] = [root]  # keeps the ids in ``done`` and ``open_`` unique
    open_: set[int] = {id(root)}
    # Frames of the arrays being joined: the array, the next index, parts, length so far.
    frames: list[tuple[list[Any], list[int], list[str]]] = [(root, [0, 0], [])]
    while True:
        array, state, parts = frames[-1]
        if state[0] < len(array):
            item = array[state[0]]
            state[0] += 1
            if isinstance(item, list):
                key = id(item)
                if key in open_:
                    text = ""  # a cycle: JavaScript writes nothing
                elif key in done:
                    text = done[key]
                else:
                    keep.append(item)
                    open_.add(key)
                    frames.append((item, [0, 0], []))
                    continue
            elif item is None or item is UNDEFINED:
                text = ""
            else:
                text = to_string(item, limit)
            parts.append(text)
            state[1] += len(text) + 1
            if state[1] > limit + 1:
                raise output_too_big(limit, "a joined array")
            continue
        frames.pop()
        joined = ",".join(parts)
        open_.discard(id(array))
        if not frames:
            return joined
        done[id(array)] = joined
        _, parent_state, parent_parts = frames[-1]
        parent_parts.append(joined)
        parent_state[1] += len(joined) + 1
        if parent_state[1] > limit + 1:
            raise output_too_big(limit, "a joined array")


# What a prop name becomes, worked out once per name (see _plan).
_SKIP, _STYLE, _FLAG, _TRUE_FALSE, _PLAIN = range(5)  # start_tag spells out 0 and 4
_PLANS: dict[str, tuple[int, str, str]] = {}
_MAX_PLANS = 4096  # names seen in hostile payloads must not grow the cache without end
#: Strings this long are escaped through the renderer's memo (escaped once per rendering
#: however often a shared row repeats them); shorter ones cost less to escape again.
LONG = 256


def _plan(name: str) -> tuple[int, str, str]:
    """How a prop is written: left out, style, boolean, ``"true"/"false"`` or plain; the
    attribute's name; and the text before a plain value (`` class="``)."""
    plan = _PLANS.get(name)
    if plan is not None:
        return plan
    written = _ALIASES.get(name, name)
    if _EVENT.match(name) or name in _RESERVED:
        kind = _SKIP
    elif name == "style":
        kind = _STYLE
    elif name in _BOOLEAN:
        kind = _FLAG
    elif name in _BOOLEANISH or name.startswith(("data-", "aria-")):
        kind = _TRUE_FALSE
    else:
        kind = _PLAIN
    plan = (kind, written, f' {written}="')
    if len(_PLANS) < _MAX_PLANS:
        _PLANS[name] = plan
    return plan


def attribute(
    name: str,
    value: Any,
    esc: Callable[[str], str] = escape,
    limit: int = DEFAULT_MAX_OUTPUT_BYTES,
) -> str | None:
    """One attribute as React writes it, or ``None`` when React leaves it out.

    ``esc`` escapes the value (a renderer passes one that remembers long shared values);
    ``limit`` bounds an array value joined as text (see :func:`to_string`).
    """
    plan = _PLANS.get(name)
    kind, written, before = plan if plan is not None else _plan(name)
    if type(value) is str and kind == _PLAIN:  # the commonest case by far
        return before + esc(value) + '"'
    if kind == _STYLE and type(value) is dict:  # the commonest the C loop hands over
        css = _style(value)
        return f' style="{escape(css)}"' if css else None
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
            f' {written}=""' if value is True or (value and not isinstance(value, bool)) else None
        )
    if isinstance(value, bool):
        if kind == _TRUE_FALSE:
            return f' {written}="{"true" if value else "false"}"'
        return None
    return f' {written}="{esc(to_string(value, limit))}"'


def start_tag(
    tag: str, props: dict[str, Any], esc: Callable[[str], str], room: int, limit: int
) -> str:
    """``<tag`` and its attributes (without the closing ``>``), as :func:`attribute` writes
    each, raising once they pass ``room`` characters (``limit`` is the budget's size, for
    the message).

    The renderer calls this for every host element, so the commonest prop, a plain string
    under a name already planned, is written here without a call per attribute; ``esc``
    is used for long values only (the renderer's memo, see :data:`LONG`).  A plain
    string's part is at most six times its length, so those are measured once at the
    end; a part :func:`attribute` writes (an array joined, a style) is measured at once,
    and an array is joined within what is left.
    """
    text = "<" + tag
    room += len(text)  # the parts are measured, not the tag name
    plans = _PLANS
    for name, value in props.items():
        plan = plans.get(name)
        if plan is None:
            plan = _plan(name)
        if type(value) is str and plan[0] == 4:  # _PLAIN
            if len(value) >= 256:  # LONG
                value = esc(value)
            elif "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
                value = escape(value)
            text += plan[2] + value + '"'
        elif plan[0]:  # not _SKIP (children, key, event handlers...: never attributes)
            if len(text) > room:  # the plain parts before it are already too long
                raise output_too_big(limit)
            part = attribute(name, value, esc, room - len(text))
            if part is not None:
                text += part
                if len(text) > room:
                    raise output_too_big(limit)
    if len(text) > room:
        raise output_too_big(limit)
    return text


def input_props(props: dict[str, Any]) -> dict[str, Any]:
    """``<input>`` as React writes it: ``checked`` and ``value`` (or their defaults) last."""
    ordered = {k: v for k, v in props.items() if k not in ("checked", "value")}
    checked = props.get("checked", props.get("defaultChecked"))
    value = props.get("value", props.get("defaultValue"))
    if checked is not None and checked is not UNDEFINED:
        ordered["checked"] = checked
    if value is not None and value is not UNDEFINED:
        ordered["value"] = value
    return ordered
