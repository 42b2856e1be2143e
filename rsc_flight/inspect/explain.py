"""The words the report uses to explain itself: dialects and article statuses.

:class:`~rsc_flight.wire.Dialect` names a family of payloads (``F2``, ``19.1``...), which
means little to someone looking at a report; its members carry no description, so the
report keeps one here, with what the name means and what in the rows gave it away.
Likewise for the article's :data:`~rsc_flight.extract.model.STATUSES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

from ..extract.model import Status
from ..wire.dialect import Dialect

__all__ = ["DIALECTS", "GUESS", "RULES", "STATUSES_EXPLAINED"]

#: What each dialect is, and the evidence the tokenizer saw.
DIALECTS: Mapping[Dialect, str] = MappingProxyType(
    {
        Dialect.GENERIC: "id-first rows with nothing that dates them (plain model rows only): "
        "any React from 2023 on could have written this payload.",
        Dialect.F0: "the 2022 experimental format of Next 13.0-13.1: the tag comes before the "
        "row id (J0:, M1:) and '@1f' is the lazy reference.",
        Dialect.F1: "Next 13.2-13.3: id-first rows ended by newlines and object-form import "
        'rows ({"id", "chunks", "name"}); no length-prefixed text rows seen.',
        Dialect.F2: "Next 13.4-13.5: length-prefixed T (text) rows and object-form import rows.",
        Dialect.F3: "React 18.3 canary or 19.0 (Next 14.1-14.2): array-form import rows "
        "([id, chunks, name]) and hints with ids.",
        Dialect.F3_EXPERIMENTAL: "the 2024 experimental channel (Next 14 experimental): "
        "typed-array rows with the letters C, c, F, d or N.",
        Dialect.R19_0: "React 19.0: typed-array or stream rows.",
        Dialect.R19_1: "React 19.1-19.2 (Next 15, Next 16.0): id-less hint, console or "
        "time-origin rows.",
        Dialect.R19_3: "React 19.3 (Next 16.4): b (byte stream) rows or import-string "
        "references in import rows.",
    }
)

#: How the dialect was found, for the reader who wonders why it is not newer.
GUESS = (
    "The dialect is the newest one whose features appear in the rows; a payload that uses "
    "none of a newer version's features reads as the older one."
)

#: What decoding with each React client's rules means.
RULES: Mapping[Literal["18", "19"], str] = MappingProxyType(
    {
        "18": "References were resolved as React 18.3's client does (the Next 13.4-14.2 "
        "canaries, and the older formats).",
        "19": "References were resolved as React 19's client does (Next 15 and later).",
    }
)

#: What each article status means (see :attr:`rsc_flight.Article.status`).
STATUSES_EXPLAINED: Mapping[Status, str] = MappingProxyType(
    {
        "ok": "read in full, and a body was found.",
        "partial": "parts of the payload could not be read or rows never arrived; "
        "the warnings say which.",
        "empty": "the payload was read in full, but no article body was found in it.",
        "not_found": "this is Next.js's not-found page, not an article.",
    }
)
