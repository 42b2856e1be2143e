"""The ``<script>`` elements of a page, and whether a browser runs each one.

Only a script a browser executes can push flight data: Next's client reads
``self.__next_f`` after the page's scripts ran.  A script a browser does not run, such
as ``<script type="text/plain">``, ``<script type="application/json">``, a script inside
``<template>`` or ``<noscript>``, is text, however much it looks like a push; reading it
as data let a page (or a comment field rendered into it) put a fake payload before the
real one.  The rules follow the HTML standard's "prepare the script element":

* the type is the ``type`` attribute, else ``"text/" + language``; no type, or an empty
  one, is classic JavaScript; otherwise, stripped and lowercased, it must be one of the
  JavaScript MIME types (``text/javascript``, ``application/javascript``...), or
  ``module``; anything else (``text/plain``, ``application/json``, ``importmap``,
  ``text/javascript; charset=utf-8``) is not run;
* a script with a ``src`` attribute runs the fetched file, never its inline text;
* a classic script with ``nomodule`` is skipped by every browser that runs modules;
* a script inside ``<template>`` belongs to inert template content; inside
  ``<noscript>`` it is text when scripting is on (the only case in which flight data
  is read at all); inside ``<math>`` it is a MathML element, not a script.

Inline module scripts are deferred: they run after the document is parsed, after every
classic script, in document order (:attr:`PageScript.module` lets the caller order them).
``lxml`` (libxml2's HTML parser) finds the elements; libxml2 2.14 already parses
``<textarea>``, ``<title>``, ``<style>``, ``<iframe>``, ``<xmp>``, ``<noembed>``,
``<noframes>`` and ``<plaintext>`` content as text, as browsers do.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..errors import FlightSyntaxError

__all__ = ["JAVASCRIPT_TYPES", "PageScript", "page_scripts"]

#: The JavaScript MIME type essences of the HTML standard.
JAVASCRIPT_TYPES = frozenset(
    [
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        *(f"text/javascript1.{minor}" for minor in range(6)),
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    ]
)
# Elements whose content a browser never runs as script.
_INERT = ("template", "noscript", "math")


@attrs.frozen
class PageScript:
    """A ``<script>`` element that mentions ``__next_f``.

    Attributes:
        number: its place among all ``<script>`` elements of the page, from 1.
        text: its text.
        module: a module script (run after the classic ones).
        not_run: why a browser does not run it, or ``None`` when it does.
    """

    number: int
    text: str
    module: bool
    not_run: str | None


def _kind(script: Any) -> tuple[bool, str | None]:
    """``(module, why not run)`` from a script element's attributes."""
    kind = script.get("type")
    if kind is None and script.get("language"):
        kind = "text/" + script.get("language")
    module = False
    if kind:
        essence = kind.strip(" \t\n\f\r").lower()
        module = essence == "module"
        if not module and essence not in JAVASCRIPT_TYPES:
            return False, f'type "{kind}" is not JavaScript'
    if script.get("src") is not None:
        return module, "it has a src attribute (a browser runs the file, not the text)"
    if not module and script.get("nomodule") is not None:
        return module, "it has a nomodule attribute"
    return module, None


def _inert_scripts(root: Any) -> dict[Any, str]:
    """The scripts inside template, noscript or math content, each with its container.

    Each element is visited once: the scripts of an outermost container are collected
    with one walk, and containers inside it are skipped, so nesting costs nothing more.
    """
    inert: dict[Any, str] = {}
    inside: set[Any] = set()
    for container in root.iter(*_INERT):
        if container in inside:
            continue
        inside.update(container.iter(*_INERT))
        for script in container.iter("script"):
            inert.setdefault(script, container.tag)
    return inert


def _parse(text: str, data: bytes | None) -> Any:
    import lxml.etree  # imported here so that the tokenizer alone never loads lxml

    # Bytes, not str: lxml refuses a str that starts with an XML declaration naming an
    # encoding (XHTML pages), and the encoding is given so that no <meta charset> or
    # declaration can make libxml2 read the page as anything but the text we hold.
    if data is None:
        data = text.encode("utf-8", "rsc_flight.js")
    parser = lxml.etree.HTMLParser(
        huge_tree=True, no_network=True, remove_comments=True, encoding="utf-8"
    )
    try:
        return lxml.etree.fromstring(data, parser)
    except (ValueError, lxml.etree.LxmlError) as exc:
        raise FlightSyntaxError(f"the page cannot be read as HTML: {exc}") from None


def page_scripts(text: str, data: bytes | None = None) -> list[PageScript]:
    """The scripts of a page that mention ``__next_f``, in document order.

    ``data``, when given, is ``text`` encoded as UTF-8 (the bytes the caller decoded it
    from), so that it need not be encoded again for lxml.
    """
    if "__next_f" not in text:
        return []
    root = _parse(text, data)
    if root is None:
        return []
    inert = _inert_scripts(root)
    found = []
    for number, script in enumerate(root.iter("script"), 1):
        body = script.text
        if not body or "__next_f" not in body:
            continue
        module, not_run = _kind(script)
        container = inert.get(script)
        if container is not None:
            not_run = f"it is inside <{container}>"
        found.append(PageScript(number, body, module, not_run))
    return found
