"""Props to HTML attributes, as React DOM's server renderer writes them.

Everything here is per value, not per tree: escaping, which props become attributes and
under which names (``className`` to ``class``, SVG's ``strokeWidth`` to ``stroke-width``),
boolean and "booleanish" attributes, style objects as CSS text with React's
unitless-number rule, and JavaScript's ``String(value)``.  A prop name's plan is worked
out once and cached, since pages repeat the same few dozen names.
"""

from __future__ import annotations

import re
from typing import Any

from ..model.values import UNDEFINED, JSBigInt, JSDate, JSPromise, JSSymbol, Lazy, js_number

__all__ = ["VOID", "attribute", "escape", "input_props", "to_string"]


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
            text = to_string(value).strip()
        parts.append(f"{_css_name(name)}:{text}")
    return ";".join(parts)


def to_string(value: Any) -> str:
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
        return ",".join("" if v is None or v is UNDEFINED else to_string(v) for v in value)
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
    written = _ALIASES.get(name, name)
    if _EVENT.match(name) or name in _RESERVED:
        plan = (_SKIP, name)
    elif name == "style":
        plan = (_STYLE, name)
    elif name in _BOOLEAN:
        plan = (_FLAG, written)
    elif name in _BOOLEANISH or name.startswith(("data-", "aria-")):
        plan = (_TRUE_FALSE, written)
    else:
        plan = (_PLAIN, written)
    if len(_PLANS) < _MAX_PLANS:
        _PLANS[name] = plan
    return plan


def attribute(name: str, value: Any) -> str | None:
    """One attribute as React writes it, or ``None`` when React leaves it out."""
    kind, written = _plan(name)
    if type(value) is str and kind == _PLAIN:  # the commonest case by far
        return f' {written}="{escape(value)}"'
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
    return f' {written}="{escape(to_string(value))}"'


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
