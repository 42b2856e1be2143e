"""Characters as CommonMark sees them: whitespace and punctuation classes, escaping.

Every escape here exists so that text renders back literally: what is escaped, and what
is deliberately left alone (``snake_case``), follows the spec's rules for where inline
constructs can start.
"""

from __future__ import annotations

import re
import unicodedata

_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
#: Unicode whitespace for flanking: Zs plus tab, LF, VT, FF, CR (markdown-it adds VT).
_MD_SPACE = frozenset("\t\n\x0b\x0c\r \xa0\u1680\u202f\u205f\u3000") | frozenset(
    chr(c) for c in range(0x2000, 0x200B)
)
#: What a parser trims from the ends of a line or paragraph (JavaScript's ``trim``).
_TRIMMED = "".join(sorted(_MD_SPACE | {"\u2028", "\u2029", "\ufeff"}))
_SPACE, _PUNCT, _OTHER = 0, 1, 2


def _char_class(char: str, symbols: bool) -> int:
    """Whitespace, punctuation or other, as CommonMark's flanking rules see a character.

    ``symbols`` selects CommonMark 0.31, where Unicode symbols (``S*``, emoji included)
    count as punctuation; before it only ASCII punctuation and ``P*`` did.
    """
    if char in _MD_SPACE:
        return _SPACE
    if char in _ASCII_PUNCT:
        return _PUNCT
    category = unicodedata.category(char)
    if category[0] == "P" or (symbols and category[0] == "S"):
        return _PUNCT
    return _OTHER


def _can_open_close(marker: str, before: str, after: str, symbols: bool) -> tuple[bool, bool]:
    """Whether a delimiter run of ``marker`` between two characters can open / close."""
    b = _char_class(before, symbols)
    a = _char_class(after, symbols)
    left = a != _SPACE and not (a == _PUNCT and b == _OTHER)
    right = b != _SPACE and not (b == _PUNCT and a == _OTHER)
    if marker == "_":
        return left and (not right or b == _PUNCT), right and (not left or a == _PUNCT)
    return left, right


_ASCII_WS = re.compile(r"[ \t\n\r\f]+")
#: Always escaped in text: each can start some inline construct anywhere in a line.
_ESCAPE = re.compile(r"[\\*\[\]`<|~]|&(?=#?[A-Za-z0-9]+;)|_")
_WORD = re.compile(r"[^\W_]")
_DELIMITER_ROW = re.compile(r":[-: ]*")
_LINE_START = re.compile(r"[#>+=-]|([0-9]+)([.)])")


def _collapse(text: str) -> str:
    """Runs of HTML whitespace become one space, as in normal (non-``pre``) text."""
    return _ASCII_WS.sub(" ", text)


def _escape_text(text: str, *, line_start: bool = False, line_end: bool = False) -> str:
    """Text escaped so that it renders back literally, wherever inline content goes.

    ``_`` between two letters or digits is left alone (it can neither open nor close);
    ``&`` only before something that reads as an entity; ``!`` at the end, since a link
    may follow and ``![`` would make it an image.  Whitespace a parser would trim at the
    start or end of a line (no-break or ideographic spaces) becomes a character
    reference there.
    """

    def replace(match: re.Match[str]) -> str:
        char = match.group()
        if char == "_":
            at = match.start()
            if (
                at > 0
                and at + 1 < len(text)
                and _WORD.match(text[at - 1])
                and _WORD.match(text[at + 1])
            ):
                return char
        return "\\" + char

    out = _ESCAPE.sub(replace, text)
    if out.endswith("!"):
        out = out[:-1] + "\\!"
    if line_start:
        stripped = out.lstrip(_TRIMMED)
        out = "".join(f"&#x{ord(c):X};" for c in out[: len(out) - len(stripped)]) + stripped
    if line_end:
        stripped = out.rstrip(_TRIMMED)
        out = stripped + "".join(f"&#x{ord(c):X};" for c in out[len(stripped) :])
    return out


def _escape_line_start(text: str) -> str:
    """Escape what would start a block at the beginning of a line of a paragraph.

    ``#`` (heading), ``>`` (quote), ``-``/``+`` (list, thematic break, setext underline),
    ``=`` (setext underline) and ``1.``/``1)`` (ordered list).  ``*``, ``_``, `````, ``~``,
    ``<`` and ``|`` are escaped everywhere already.
    """
    match = _LINE_START.match(text)
    if match is None:
        # ":-:" after a line holding a pipe would be a table's delimiter row (markdown-it)
        return "\\" + text if _DELIMITER_ROW.fullmatch(text) else text
    if match.group(1) is not None:
        return match.group(1) + "\\" + text[match.end(1) :]
    return "\\" + text


_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BAD_SCHEME = re.compile(r"(?:javascript|vbscript|file|data):", re.IGNORECASE)
_GOOD_DATA = re.compile(r"data:image/(?:gif|png|jpeg|webp);", re.IGNORECASE)
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]")


def _unsafe_url(url: str) -> bool:
    """Schemes CommonMark renderers refuse to link (markdown-it's ``validateLink``)."""
    squeezed = _URL_JUNK.sub("", url)
    return bool(_BAD_SCHEME.match(squeezed)) and not _GOOD_DATA.match(squeezed)


def _destination(url: str) -> str:
    """A link destination: bare when it can be, in ``<...>`` with spaces or parentheses.

    Line endings and other control characters are percent-encoded (neither form allows
    them); backslashes, ``|`` (tables) and entity-like ``&`` are escaped.
    """
    url = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"%{ord(m.group()):02X}", url)
    escaped = _ENTITY_LIKE.sub(r"\\&", url.replace("\\", "\\\\")).replace("|", "\\|")
    if not url or re.search(r"[ ()<>]", url):
        return "<" + escaped.replace("<", "\\<").replace(">", "\\>") + ">"
    return escaped


def _title(title: str | None) -> str:
    """A link title in double quotes, or nothing; line breaks as character references."""
    if title is None:
        return ""
    escaped = title.replace("\\", "\\\\").replace('"', '\\"').replace("|", "\\|")
    escaped = _ENTITY_LIKE.sub(r"\\&", escaped)
    escaped = re.sub(r"[\n\r\t]", lambda m: f"&#{ord(m.group())};", escaped)
    return f' "{escaped}"'
