"""Next.js's own client components, rendered as their server render writes them.

A client component cannot run here, and by default the renderer writes only its
``children``.  For Next's own components that loses what a person sees: ``next/link``
writes an ``<a href>``, ``next/image`` an ``<img>`` with loader URLs, and the app router's
boundaries are transparent wrappers around the content the server sent.  These are
rebuilt here as host elements, from facts read in Next's source (13.4 to 16): which props
``Link`` keeps for itself, the attributes and their order that ``Image`` writes, the
``/_next/image?url=…&w=…&q=…`` rule and its widths.

How a component is recognised: by the module path in its client reference where the
bundler wrote one (webpack development ids such as
``(app-pages-browser)/./node_modules/next/dist/client/app-dir/link.js``, Turbopack ids such
as ``[project]/node_modules/next/dist/client/app-dir/link.js [app-client] (ecmascript)``),
and else, because production webpack and Turbopack builds use bare numbers for module ids,
by its export name and the shape of its props (an ``href`` makes a link; ``src`` with
``alt`` and a size makes an image; ``MetadataBoundary`` is named as such in every build).

Other client components (third-party code) cannot be rebuilt; what the server passed them
is still server output, so in ``"content"`` mode they render their ``children`` and then
any other element-valued prop (an MDX body passed as ``content``), and a component whose
host tag is a prop (``as="article"``, ``component="h1"``: MUI, Chakra, Mantine) renders as
that tag.  ``"children"`` mode keeps the renderer's plain default for them.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal
from urllib.parse import quote, urlencode

import attrs

from ..model.values import UNDEFINED, ClientReference, Element, unwrap
from ..tree.render import ClientHook, Subtree

__all__ = ["ClientComponents", "ImageConfig", "NextComponents", "next_module"]

#: How third-party client components render: their children and other element-valued
#: props (``"content"``), or their children only (``"children"``, the renderer's default).
ClientComponents = Literal["content", "children"]

_NEXT_PATH = re.compile(
    r"next/dist/(?:esm/)?((?:client|shared/lib)/[\w./-]+?)(?:\.js)?(?=$|[\s?#\]])"
)

# Module path (after next/dist/, without .js) -> kind.
_MODULES = {
    "client/link": "link",
    "client/app-dir/link": "link",
    "client/image-component": "image",
    "client/image": "image",
    "client/legacy/image": "image",
    "shared/lib/image-external": "image",
    "client/script": "script",
    "client/components/client-page": "page",
    "client/components/client-segment": "segment",
    "client/components/metadata/async-metadata": "nothing",
    "client/components/metadata/icon-mark": "nothing",
    "client/components/app-router-announcer": "nothing",
}
# Export names that say what a component is in any build (numeric module ids included).
_EXPORTS = {
    "MetadataBoundary": "children",
    "ViewportBoundary": "children",
    "OutletBoundary": "children",
    "RootLayoutBoundary": "children",
    "ErrorBoundary": "children",
    "NotFoundBoundary": "children",
    "HTTPAccessFallbackBoundary": "children",
    "RedirectBoundary": "children",
    "LoadingBoundary": "children",
    "DevRootHTTPAccessFallbackBoundary": "children",
    "AsyncMetadataOutlet": "nothing",
    "AsyncMetadata": "nothing",
    "IconMark": "nothing",
    "ClientPageRoot": "page",
    "ClientSegmentRoot": "segment",
}

# Props next/link keeps for itself; the rest go to the <a> (13.4 to 16).
_LINK_OWN = frozenset(
    "href as children prefetch passHref replace shallow scroll locale legacyBehavior "
    "onNavigate unstable_dynamicOnHover".split()
)
# Props next/image consumes; the rest go to the <img>.
_IMAGE_OWN = frozenset(
    "src sizes unoptimized priority preload loading className quality width height fill "
    "style overrideSrc placeholder blurDataURL fetchPriority decoding layout objectFit "
    "objectPosition lazyBoundary lazyRoot loader".split()
)
# Props next/script does not put in the entry it queues for its runtime.
_SCRIPT_OWN = frozenset(
    "strategy children dangerouslySetInnerHTML src onLoad onReady onError".split()
)
# Element-valued props of third-party components that are not content a person sees.
_NOT_CONTENT = frozenset({"fallback", "loading", "placeholder", "errorComponent", "Component"})
# Props that carry over when a component is rendered as the host tag its `as` names.
_HOST_ATTRS = frozenset(
    "className id href target rel title role src alt type name lang dir tabIndex".split()
)
_TAG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def next_module(ref: ClientReference) -> str | None:
    """The path under ``next/dist/`` a client reference's module id names (``client/
    app-dir/link``), or ``None`` (numeric production ids name nothing)."""
    if not isinstance(ref.id, str):
        return None
    match = _NEXT_PATH.search(ref.id.replace("\\", "/"))
    return match.group(1) if match else None


@attrs.frozen
class ImageConfig:
    """The ``images`` settings of ``next.config.js`` that decide ``next/image`` URLs;
    Next's defaults unless a page is known to differ."""

    device_sizes: tuple[int, ...] = (640, 750, 828, 1080, 1200, 1920, 2048, 3840)
    image_sizes: tuple[int, ...] = (16, 32, 48, 64, 96, 128, 256, 384)
    path: str = "/_next/image"
    quality: int = 75
    unoptimized: bool = False

    @property
    def all_sizes(self) -> list[int]:
        return sorted({*self.device_sizes, *self.image_sizes})


def _is_link(props: dict[str, Any]) -> bool:
    href = unwrap(props.get("href"))
    return isinstance(href, str) or (
        isinstance(href, dict) and any(k in href for k in ("pathname", "href", "query"))
    )


def _is_image(name: str, props: dict[str, Any]) -> bool:
    src = unwrap(props.get("src"))
    static = isinstance(src, dict) and isinstance(unwrap(src.get("src")), str)
    if not (isinstance(src, str) or static) or "alt" not in props:
        return False
    return name == "Image" or static or "fill" in props or "width" in props


def classify(ref: ClientReference, props: dict[str, Any]) -> str | None:
    """What a client component is: ``link``, ``image`` (next/image), ``img`` (a wrapper
    given a plain image URL), ``script``, ``page`` (a client
    page), ``segment`` (a client layout), ``children`` (a transparent boundary),
    ``nothing`` (renders nothing on the server) or ``None`` (not Next's own)."""
    if isinstance(props.get("parallelRouterKey"), str):
        # A LayoutRouter the page assembly did not fill: 13.x carries the child in
        # childProp; without it (one segment's file) there is nothing to put there.
        return "childprop" if isinstance(unwrap(props.get("childProp")), dict) else "nothing"
    path = next_module(ref)
    if path is not None:
        kind = _MODULES.get(path)
        if kind is not None:
            return kind
        if path.startswith("client/components/") and ref.name in _EXPORTS:
            return _EXPORTS[ref.name]
    kind = _EXPORTS.get(ref.name)
    if kind is not None:
        return kind
    if _is_image(ref.name, props):
        return "image"
    if (
        ref.name in ("", "default", "Script")
        and isinstance(unwrap(props.get("strategy")), str)
        and any(k in props for k in ("src", "id", "dangerouslySetInnerHTML"))
    ):
        return "script"
    if isinstance(unwrap(props.get("src")), str) and "alt" in props and "children" not in props:
        return "img"  # an image wrapper (zoom, lightbox) given a plain URL: its <img>
    host = unwrap(props.get("as"))
    if _is_link(props) and (host is None or host is UNDEFINED or isinstance(host, ClientReference)):
        return "link"
    return None


# -- next/link ----------------------------------------------------------------------------


def format_url(href: Any) -> str:
    """A ``UrlObject`` href as the string Next writes (``pathname`` ``?query`` ``#hash``)."""
    href = unwrap(href)
    if isinstance(href, str):
        return href
    if not isinstance(href, dict):
        return ""
    if isinstance(unwrap(href.get("href")), str):
        return str(unwrap(href["href"]))
    path = unwrap(href.get("pathname")) or ""
    query = unwrap(href.get("query"))
    search = unwrap(href.get("search"))
    text = str(path)
    if isinstance(search, str) and search:
        text += search if search.startswith("?") else "?" + search
    elif isinstance(query, dict) and query:
        pairs = [(str(k), _query_value(unwrap(v))) for k, v in query.items()]
        text += "?" + urlencode(pairs)
    hash_ = unwrap(href.get("hash"))
    if isinstance(hash_, str) and hash_:
        text += hash_ if hash_.startswith("#") else "#" + hash_
    return text


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None or value is UNDEFINED else str(value)


def link_node(props: dict[str, Any]) -> Any:
    """The ``<a>`` next/link writes: every prop Link does not keep, then ``href``.

    With ``legacyBehavior`` Link writes no anchor of its own: it gives ``href`` to its
    single child (a string child becomes an ``<a>``)."""
    href = format_url(
        props.get("as") if isinstance(unwrap(props.get("as")), str) else props.get("href")
    )
    children = props.get("children")
    if props.get("legacyBehavior") is True:
        child = unwrap(children)
        if isinstance(child, Element) and isinstance(unwrap(child.type), str):
            child_props = unwrap(child.props)
            merged = {**(child_props if isinstance(child_props, dict) else {}), "href": href}
            return Element(type=unwrap(child.type), key=None, props=merged)
        if not isinstance(child, (str, int, float)):
            return children
    rest = {k: v for k, v in props.items() if k not in _LINK_OWN}
    return Element(type="a", key=None, props={**rest, "href": href, "children": children})


# -- next/image ---------------------------------------------------------------------------


def _int(value: Any) -> int | None:
    value = unwrap(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def loader_url(config: ImageConfig, src: str, width: int, quality: int | None) -> str:
    """Next's default loader: ``/_next/image?url=<src, URI-encoded>&w=<width>&q=<q>``."""
    encoded = quote(src, safe="-_.!~*'()")  # what encodeURIComponent leaves alone
    return f"{config.path}?url={encoded}&w={width}&q={quality or config.quality}"


def image_widths(
    config: ImageConfig, width: int | None, sizes: str | None
) -> tuple[list[int], str]:
    """The widths an image is offered at, and whether srcSet counts them in ``w`` or ``x``."""
    every = config.all_sizes
    if sizes:
        percents = [int(m) for m in re.findall(r"(?:^|\s)(1?\d?\d)vw", sizes)]
        if percents:
            smallest = min(percents) * 0.01
            return [s for s in every if s >= config.device_sizes[0] * smallest], "w"
        return every, "w"
    if width is None:
        return list(config.device_sizes), "w"
    picked: list[int] = []
    for wanted in (width, width * 2):
        size = next((s for s in every if s >= wanted), every[-1])
        if size not in picked:
            picked.append(size)
    return picked, "x"


def _image_src(props: dict[str, Any]) -> tuple[str, int | None, int | None]:
    """The image's URL and its size, a static import's object (``{src, width, height}``)
    filling in what the props leave out, scaled to keep its ratio."""
    src = unwrap(props.get("src"))
    width, height = _int(props.get("width")), _int(props.get("height"))
    if isinstance(src, dict):
        static_w, static_h = _int(src.get("width")), _int(src.get("height"))
        if props.get("fill") is not True and static_w and static_h:
            if width is None and height is None:
                width, height = static_w, static_h
            elif width is not None and height is None:
                height = round(static_h * width / static_w)
            elif width is None and height is not None:
                width = round(static_w * height / static_h)
        src = unwrap(src.get("src"))
    return (src if isinstance(src, str) else ""), width, height


def image_node(props: dict[str, Any], config: ImageConfig | None = None) -> Element:
    """The ``<img>`` next/image writes, its attributes in Next's order: the passed-through
    props, ``loading``, ``width``, ``height``, ``decoding``, ``data-nimg``, ``class``,
    ``style``, ``sizes``, ``srcSet``, ``src`` last."""
    config = config or ImageConfig()
    src, width, height = _image_src(props)
    fill = props.get("fill") is True
    priority = props.get("priority") is True or props.get("preload") is True
    loading = unwrap(props.get("loading"))
    lazy = not priority and loading in ("lazy", None, UNDEFINED)
    unoptimized = props.get("unoptimized") is True or config.unoptimized
    if not src or src.startswith(("data:", "blob:")):
        unoptimized, lazy = True, False
    if src.split("?", 1)[0].endswith(".svg"):
        unoptimized = True
    style: dict[str, Any] = {}
    if fill:
        style.update(
            position="absolute", height="100%", width="100%", left=0, top=0, right=0, bottom=0
        )
        for key in ("objectFit", "objectPosition"):
            if props.get(key) is not None:
                style[key] = props[key]
    style["color"] = "transparent"
    user_style = unwrap(props.get("style"))
    if isinstance(user_style, dict):
        style.update(user_style)
    sizes = unwrap(props.get("sizes"))
    sizes = sizes if isinstance(sizes, str) else None
    attrs_: dict[str, Any] = {k: v for k, v in props.items() if k not in _IMAGE_OWN}
    if props.get("fetchPriority") is not None:
        attrs_["fetchPriority"] = props["fetchPriority"]
    attrs_.update(
        loading="lazy" if lazy else (loading if isinstance(loading, str) else None),
        width=width,
        height=height,
        decoding=props.get("decoding", "async"),
    )
    attrs_["data-nimg"] = "fill" if fill else "1"
    attrs_.update(className=props.get("className"), style=style)
    if unoptimized:
        attrs_["src"] = src
    else:
        quality = _int(props.get("quality"))
        widths, kind = image_widths(config, width, sizes)
        srcset = ", ".join(
            f"{loader_url(config, src, w, quality)} {w if kind == 'w' else i + 1}{kind}"
            for i, w in enumerate(widths)
        )
        attrs_.update(
            sizes=sizes or ("100vw" if kind == "w" else None),
            srcSet=srcset,
            src=loader_url(config, src, widths[-1], quality),
        )
    override = unwrap(props.get("overrideSrc"))
    if isinstance(override, str) and override:
        attrs_["src"] = override
    return Element(type="img", key=None, props=attrs_)


# -- next/script --------------------------------------------------------------------------


def script_nodes(props: dict[str, Any]) -> list[Element]:
    """What next/script writes in the app router: a script ``src`` of the
    ``afterInteractive``/``beforeInteractive`` strategies is preloaded (a ``<link
    rel=preload as=script>``, hoisted to the head); a ``beforeInteractive`` one is also
    queued for Next's runtime by an inline ``self.__next_s`` push.  Other strategies and
    inline scripts write nothing until the browser runs them."""
    strategy = unwrap(props.get("strategy")) or "afterInteractive"
    src = unwrap(props.get("src"))
    nodes: list[Element] = []
    if isinstance(src, str) and src and strategy in ("afterInteractive", "beforeInteractive"):
        preload = {"rel": "preload", "href": src, "as": "script"}
        nodes.append(Element(type="link", key=None, props=preload))
    if strategy == "beforeInteractive":
        keep = (
            "strategy",
            "children",
            "dangerouslySetInnerHTML",
            "src",
            "onLoad",
            "onReady",
            "onError",
        )
        rest = {k: unwrap(v) for k, v in props.items() if k not in keep and _plain(unwrap(v))}
        inline = unwrap(props.get("dangerouslySetInnerHTML"))
        if not src and isinstance(inline, dict) and isinstance(inline.get("__html"), str):
            rest["children"] = inline["__html"]
        entry = json.dumps([src or 0, rest], ensure_ascii=False, separators=(",", ":"))
        for char, escaped in (("&", "\\u0026"), (">", "\\u003e"), ("<", "\\u003c")):
            entry = entry.replace(char, escaped)
        push = {"__html": f"(self.__next_s=self.__next_s||[]).push({entry})"}
        nodes.append(Element(type="script", key=None, props={"dangerouslySetInnerHTML": push}))
    return nodes


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


# -- everything together ------------------------------------------------------------------


def _element_valued(value: Any) -> bool:
    value = unwrap(value)
    if isinstance(value, Element):
        return True
    return isinstance(value, list) and any(isinstance(unwrap(v), Element) for v in value)


@attrs.frozen
class NextComponents:
    """How client components render in a Next.js page.

    ``replace(element, ref, props, hook)`` is a client hook's body: ``hook`` is the hook
    in force, passed down to the subtrees it returns so that nested components (and
    layout routers) are still recognised.  ``hook`` (the property) is a complete hook for
    trees without segments.
    """

    clients: ClientComponents = "content"
    mark: bool = False
    image_config: ImageConfig = attrs.field(factory=ImageConfig)

    @property
    def hook(self) -> ClientHook:
        def hook(
            element: Element, ref: ClientReference, props: dict[str, Any]
        ) -> str | Subtree | None:
            return self.replace(element, ref, props, hook)

        return hook

    def replace(
        self, element: Element, ref: ClientReference, props: dict[str, Any], hook: ClientHook
    ) -> str | Subtree | None:
        kind = classify(ref, props)
        node: Any
        if kind == "link":
            node = link_node(props)
        elif kind == "image":
            node = image_node(props, self.image_config)
        elif kind == "img":
            plain = {k: v for k, v in props.items() if _plain(unwrap(v)) and k != "placeholder"}
            node = Element(type="img", key=None, props=plain)
        elif kind == "script":
            node = script_nodes(props)
        elif kind == "nothing" or kind == "page":
            return ""  # a client page's own code cannot run: nothing the server wrote
        elif kind == "segment":
            slots = unwrap(props.get("slots"))
            node = slots.get("children") if isinstance(slots, dict) else props.get("children")
        elif kind == "children":
            node = props.get("children")
        elif kind == "childprop":
            node = unwrap(props["childProp"]).get("current")
        else:
            return self.third_party(ref, props, hook)
        return Subtree(node, hook)

    def third_party(
        self, ref: ClientReference, props: dict[str, Any], hook: ClientHook
    ) -> str | Subtree | None:
        """A component we cannot run: what the server passed it, where it stood."""
        if self.clients == "children":
            return None
        content: list[Any] = [props.get("children")]
        content += [
            value
            for name, value in props.items()
            if name != "children" and name not in _NOT_CONTENT and _element_valued(value)
        ]
        node: Any = content if len(content) > 1 else content[0]
        host = unwrap(props.get("component", props.get("as")))
        if isinstance(host, str) and _TAG.fullmatch(host):
            attributes = {
                k: v
                for k, v in props.items()
                if (k in _HOST_ATTRS or k.startswith(("aria-", "data-"))) and _plain(unwrap(v))
            }
            node = Element(type=host, key=None, props={**attributes, "children": node})
        if self.mark:
            label = f"{ref.id}#{ref.name or 'default'}"
            node = Element(
                type="rsc-client", key=None, props={"data-client": label, "children": node}
            )
        return Subtree(node, hook)
