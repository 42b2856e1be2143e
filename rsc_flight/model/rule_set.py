"""Which React client's rules decode a payload: ``"18"`` or ``"19"``.

The resolver follows one of two clients (see :mod:`rsc_flight.model.resolver`): the React
18.3 canaries that Next 13.4-14.2 vendor, or React 19.x.  They decode most payloads alike
and differ on edge cases, such as a ``Map`` that contains itself (a one-level copy in 18.3,
``null`` inside in 19).

The dialect the tokenizer recognised settles most payloads: 19.x rows (streams, typed
arrays, id-less hints) mean ``"19"``; the older dialects (tag-first, object-form ``I``
rows, the 2024 experimental letters) mean ``"18"``.  Three dialects are shared:
``GENERIC`` (model rows only), ``F2`` (``T`` rows) and ``F3`` (array-form ``I`` rows,
hints with ids) come from both the 18.3 canaries and React 19.0.  For those the rows are
searched for what only one of the servers writes, first come first served:

* an object-form ``I`` row: Next 13.x's canaries only (19 writes arrays);
* a path reference (``"$1:props:children"``): React 19 dedupes by path, 18.3 cannot;
* a plain reference to an error row (``"bad":"$6"``, then ``6:E{...}``): React 19
  outlines a value it cannot serialize as an error row of its own, where the 18.3 canary
  fails the whole row;
* an object written twice: a row that names itself or a later row (a cycle in the making)
  and whose text appears again, as another row or inside one.  The 18.3 canary breaks a
  cycle by outlining the object as a task of its own that serializes it *again*; React 19
  writes each object once and names it by path (the corpus ``cyclic`` case).

With none of these, ``F2`` and ``F3`` are read as 18 (what Next 13.4-14 send) and
``GENERIC`` as 19.  Such payloads carry nothing either server alone writes; on every one
of them in the corpus (React 18.3 canary, 19.2, Next 14 and 15) both rule sets give the
same value (``tests/test_decode_fidelity.py`` checks it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .. import _engine
from ..wire.dialect import Dialect
from ..wire.rows import ErrorRow, ImportRow, ModelRow, Row

__all__ = ["choose_rules", "settle"]

#: Dialects only React 18.3's client (and its predecessors) read.  (Tuples: an enum's
#: hash is a Python call, and a tuple is searched by identity first.)
_RULES_18 = (Dialect.F0, Dialect.F1, Dialect.F2, Dialect.F3_EXPERIMENTAL)
#: Dialects both the 18.3 canary and React 19.0 write.
_SHARED = (Dialect.GENERIC, Dialect.F2, Dialect.F3)

_PATH_REFERENCE = re.compile(r'"\$[0-9a-f]{1,16}:')
#: A whole JSON string that names a row: plain, or a code whose row is outlined at once.
_ROW_REFERENCE = re.compile(r'"\$([QWKhi]?)([0-9a-f]{1,16})"')

#: The search for an object written twice may read the model rows this many times over
#: (plus :data:`_SEARCH_FLOOR` characters): the corpus payloads need at most one pass.
_SEARCH_PASSES = 4
_SEARCH_FLOOR = 1 << 20


def choose_rules(dialect: Dialect, rows: Sequence[Row]) -> str:
    """``"18"`` or ``"19"``: the client whose rules decode ``rows`` as their server meant."""
    return _choose(dialect, rows, None)


def settle(dialect: Dialect, rows: Sequence[Row], rules: str = "auto") -> tuple[Dialect, str]:
    """The dialect, refined by the model rows, and the rules (``rules`` unless ``"auto"``).

    Payloads of React 19.0 and of the 18.3 canaries can consist of model and array-form
    ``I`` rows only; path references in the models are the sign of 19.x, whose client
    resolves them (18.3's would not).  This is :func:`choose_rules` after that refinement,
    with one scan of the model rows for both (the searches were the costliest passes of a
    parse after the JSON itself).
    """
    scan: _Scan | None = None
    if dialect in (Dialect.GENERIC, Dialect.F3):
        scan = _Scan(rows)
        if scan.paths:
            dialect = Dialect.R19_0
    return dialect, rules if rules != "auto" else _choose(dialect, rows, scan)


#: What a telling row says: whether it holds a path reference, else its whole-string row
#: references as ``(code, row id)`` (see :func:`_row_facts_python`).
Facts = tuple[bool, list[tuple[str, int]]]


class _Scan:
    """The model rows, which of them may say something, and whether any has a path
    reference: one scan of their text.

    ``texts`` are the model rows' texts and ``at`` the index of each among all rows;
    ``stop`` the index of the first object-form ``I`` row (the number of rows: none);
    ``telling`` holds the indices (in ``texts``) of the rows in which a path reference
    or a whole-string row reference may start (the only rows :func:`_model_evidence`
    reads); ``paths`` whether a path reference is in any of them.  What such a row says
    (:meth:`facts`) is read in C when the native engine is loaded, by the scan itself
    when it read the row to its end (the searches were most of the choice's time on a
    small page), and the rows are sorted in C too (``_crevive.model_rows``).
    """

    __slots__ = ("_known", "_read", "at", "paths", "stop", "telling", "texts")

    at: list[int]
    texts: list[str]
    stop: int
    telling: list[int]
    paths: bool

    def __init__(self, rows: Sequence[Row]) -> None:
        split = _native("model_rows")
        found: tuple[list[int], list[str], int]
        found = split(rows, ModelRow, ImportRow) if split else _model_rows_python(rows)
        self.at, self.texts, self.stop = found
        scan: Callable[[list[str]], tuple[list[int], bool, list[Facts | None]]]
        scan = _native("telling") or _scan_python
        self.telling, self.paths, known = scan(self.texts)
        #: the facts the scan learnt, by the index of the row in texts (None: read again)
        self._known: dict[int, Facts | None] = dict(zip(self.telling, known, strict=True))
        self._read: Callable[[str], Facts] | None = None

    def facts(self, k: int) -> Facts:
        """What the telling row ``texts[k]`` says (:func:`_row_facts_python`)."""
        known = self._known.get(k)
        if known is not None:
            return known
        text = self.texts[k]
        if not self.paths:  # no row has a path reference: the search is not run again
            return False, _row_references(text)
        if self._read is None:
            self._read = _native("row_facts") or _row_facts_python
        return self._read(text)


def _model_rows_python(rows: Sequence[Row]) -> tuple[list[int], list[str], int]:
    """The index and the text of every model row, and the index of the first object-form
    ``I`` row (Next 13.x's canaries only; the number of rows when there is none)."""
    at: list[int] = []
    texts: list[str] = []
    stop = len(rows)
    for index, row in enumerate(rows):
        if isinstance(row, ModelRow):
            at.append(index)
            texts.append(row.payload)
        elif stop == len(rows) and isinstance(row, ImportRow) and row.payload.startswith("{"):
            stop = index
    return at, texts, stop


def _scan_python(texts: list[str]) -> tuple[list[int], bool, list[Facts | None]]:
    """The reference scan: the rows holding ``"$`` (a superset of the telling ones, whose
    own searches then decide), a search of each row for a path reference, and no facts
    learnt (each row read is searched when it is read).

    The C scan (``_crevive.telling``) narrows the rows down to the telling ones, with
    the same answer in the end, and reads what they say on the way; in Python that would
    cost another pass over the text.
    """
    paths = any(_PATH_REFERENCE.search(text) for text in texts)
    telling = [k for k, text in enumerate(texts) if '"$' in text]
    return telling, paths, [None] * len(telling)


def _row_facts_python(text: str) -> Facts:
    """``(True, [])`` when ``text`` holds a path reference (the row says "19"), else
    ``(False, refs)``: each whole-string row reference, in order, as ``(code, row id)``."""
    if _PATH_REFERENCE.search(text):
        return True, []
    return False, _row_references(text)


def _row_references(text: str) -> list[tuple[str, int]]:
    """The whole-string row references of ``text`` (``_ROW_REFERENCE``'s matches), each as
    ``(code, row id)``: the id read once, where it is found (in C by the native scan; the
    rule choice looked each up in a table by its number, a page of twenty ``$W`` rows
    spent more in ``int(hex, 16)`` than in the rest of the choice)."""
    return [(code, int(hex_id, 16)) for code, hex_id in _ROW_REFERENCE.findall(text)]


def _native(name: str) -> Any:
    """The C twin ``rsc_flight._crevive.<name>`` (of :func:`_scan_python` for
    ``telling``, of :func:`_row_facts_python` for ``row_facts``) when the native engine
    is loaded, else ``None``."""
    if _engine.ENGINE != "native":
        return None
    return getattr(_engine.native_module("rsc_flight._crevive"), name, None)


def _choose(dialect: Dialect, rows: Sequence[Row], scan: _Scan | None) -> str:
    if dialect in _RULES_18:
        return "18"
    if dialect not in _SHARED:
        return "19"
    evidence = _model_evidence(rows, scan or _Scan(rows))
    if evidence is not None:
        return evidence
    return "19" if dialect is Dialect.GENERIC else "18"


def _model_evidence(rows: Sequence[Row], scan: _Scan) -> str | None:
    """What the first telling row says, if any says anything.

    The telling rows are the object-form ``I`` rows, which say "18", and the model rows
    the scan found (a superset of the telling ones, whose own searches decide), in stream
    order; every other row says nothing, so it is skipped without a look.
    """
    stop = scan.stop
    first: dict[int, int] | None = None  # (built when a reference needs it)
    texts = scan.texts
    # Looking for a row's text in every other row costs the size of all the models; a
    # hostile payload makes every row a candidate, so the search has a budget of
    # _SEARCH_PASSES passes over the models (real payloads need one at most).
    search_left: int | None = None
    for k in scan.telling:
        index = scan.at[k]
        if index > stop:
            break
        has_path, references = scan.facts(k)
        if has_path:
            return "19"
        if not references:
            continue
        if first is None:
            first = (_native("first_rows") or _first_rows_python)(rows)
        cycle_in_the_making = False
        row_of = first.get
        for code, row_id in references:
            # (the cheap tests first: a page names earlier rows with codes, $W8, $L3...,
            # and once a cycle is in the making only a plain reference can say more)
            if code and cycle_in_the_making:
                continue
            at = row_of(row_id, -1)
            if at < 0 or (code and at < index):
                continue
            if code == "" and isinstance(rows[at], ErrorRow):
                return "19"
            if at >= index and not cycle_in_the_making and isinstance(rows[at], ModelRow):
                cycle_in_the_making = True
        if not cycle_in_the_making:
            continue
        if search_left is None:
            search_left = _SEARCH_PASSES * sum(len(text) for text in texts)
            search_left += _SEARCH_FLOOR
        if search_left > 0:
            found, search_left = _written_again(k, texts, search_left)
            if found:
                return "18"
    return "18" if stop < len(rows) else None


def _first_rows_python(rows: Sequence[Row]) -> dict[int, int]:
    """The index of the first row of each id (``_crevive.first_rows`` in C)."""
    first: dict[int, int] = {}
    for index, row in enumerate(rows):
        if row.id is not None and row.id not in first:
            first[row.id] = index
    return first


def _written_again(k: int, texts: list[str], budget: int) -> tuple[bool, int]:
    """Whether the object or array the model row ``texts[k]`` holds is written out again
    in another model row, and the search budget left (each row searched costs its length;
    an exhausted budget stops the search: not found)."""
    text = texts[k]
    if text[:1] not in ("{", "["):
        return False, budget
    for other, other_text in enumerate(texts):
        if other == k:
            continue
        budget -= len(other_text)
        if budget < 0:
            return False, budget
        if text in other_text:
            return True, budget
    return False, budget
