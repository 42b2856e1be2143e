"""Test-only builders of Next.js-shaped payloads (14, 15 with blocking or streamed
metadata, 16), from a page tree, head elements and a layout, written as rows.

They follow the shapes documented in ``rsc_flight/_next.py`` and ``_page.py`` so unit
tests can place a field exactly where each version puts it, without a Node build.
"""

from __future__ import annotations

import json
from typing import Any


def el(
    tag: str, props: dict[str, Any] | None = None, *children: Any, key: str | None = None
) -> list[Any]:
    """A React element tuple; children given positionally."""
    props = dict(props or {})
    if children:
        props["children"] = children[0] if len(children) == 1 else list(children)
    return ["$", tag, key, props]


def meta(name: str, content: str) -> list[Any]:
    attribute = "property" if name.startswith(("og:", "article:")) else "name"
    return el("meta", {attribute: name, "content": content})


def _rows(rows: dict[str, Any], imports: dict[str, list[Any]]) -> bytes:
    out = [f"{rid}:I{json.dumps(spec)}\n" for rid, spec in imports.items()]
    out += [f"{rid}:{json.dumps(value, ensure_ascii=False)}\n" for rid, value in rows.items()]
    return "".join(out).encode()


_NOT_FOUND = el("div", {"className": "nf"}, el("h1", {}, "404"), el("p", {}, "Not here"))


def _layout(router: list[Any], lang: str, nav: Any) -> list[Any]:
    return el(
        "html",
        {"lang": lang},
        el("head", {}, el("meta", {"name": "theme-color", "content": "#fff"})),
        el("body", {}, el("aside", {}, nav) if nav is not None else None, el("main", {}, router)),
    )


def next14(
    page: Any,
    head: list[Any],
    *,
    segments: list[Any],
    lang: str = "en",
    nav: Any = None,
    build_id: str = "b14",
) -> bytes:
    """A Next 14 navigation payload: ``[buildId, [[routerState, seed, [null, head]]]]``."""
    router = el(
        "$L1",
        {"parallelRouterKey": "children", "segmentPath": ["children"], "notFound": _NOT_FOUND},
    )
    seed: list[Any] = ["__PAGE__", {}, "$L2", None]
    state: list[Any] = ["__PAGE__", {}]
    for segment in reversed(segments):
        seed = [segment, {"children": seed}, router, None]
        state = [segment, {"children": state}]
    seed = ["", {"children": seed}, _layout(router, lang, nav), None]
    state = ["", {"children": state}, "$undefined", "$undefined", True]
    rows = {"0": [build_id, [[state, seed, [None, "$L3"]]]], "2": page, "3": head}
    return _rows(rows, {"1": [100, [], ""]})


def next15(
    page: Any,
    head: list[Any],
    *,
    segments: list[Any],
    lang: str = "en",
    nav: Any = None,
    streamed: bool = False,
    version: int = 15,
) -> bytes:
    """A Next 15 (or, with ``version=16``, 16) payload with an object root.

    ``streamed`` puts the metadata in a row reached through a path reference
    (``"$6:metadata"``), as 15.2+ streams it to browsers.
    """
    router = el("$L1", {"parallelRouterKey": "children", "template": el("$L4", {})})
    leaf: list[Any] = (
        ["__PAGE__", "$L2", {}, None, False] if version == 15 else ["$L2", {}, None, False, False]
    )
    state: list[Any] = ["__PAGE__", {}]
    seed = leaf
    for segment in reversed(segments):
        seed = (
            [segment, router, {"children": seed}, None, False]
            if version == 15
            else [router, {"children": seed}, None, False, False]
        )
        state = [segment, {"children": state}]
    layout = _layout(router, lang, nav)
    seed = (
        ["", layout, {"children": seed}, None, False]
        if version == 15
        else [layout, {"children": seed}, None, False, False]
    )
    state = ["", {"children": state}, "$undefined", "$undefined", True]
    imports = {"1": [100, [], ""], "4": [101, [], ""], "5": [102, [], "MetadataBoundary"]}
    metadata: Any = "$6:metadata" if streamed else "$L3"
    if version == 15:
        boundary = el("$L5", {}, el("div", {"hidden": True}, metadata) if streamed else metadata)
    else:
        boundary = el("$7", {"name": "Next.Metadata"}, metadata)
    parts = [p if isinstance(p, str) else p.get("value", "") for p in ["", *_url(segments)]]
    root = {"b": "b15", "c": parts, "f": [[state, seed, el("$8", {}, [None, boundary]), False]]}
    rows: dict[str, Any] = {"7": "$Sreact.suspense", "8": "$Sreact.fragment", "0": root}
    rows["2"] = page
    if streamed:
        rows["6"] = {"metadata": head, "error": None, "digest": "$undefined"}
    else:
        rows["3"] = head
    return _rows(rows, imports)


def _url(segments: list[Any]) -> list[Any]:
    return [{"value": s[1]} if isinstance(s, list) else s for s in segments]
