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
#: Shared dialects whose payloads may be React 19.0's with path references.
_REFINED = (Dialect.GENERIC, Dialect.F3)

_PATH_REFERENCE = re.compile(r'"\$[0-9a-f]{1,16}:')
#: A whole JSON string that names a row: plain, or a code whose row is outlined at once.
_ROW_REFERENCE = re.compile(r'"\$([QWKhi]?)([0-9a-f]{1,16})"')

#: The search for an object written twice may read the model rows this many times over
#: (plus :data:`_SEARCH_FLOOR` characters): the corpus payloads need at most one pass.
_SEARCH_PASSES = 4
_SEARCH_FLOOR = 1 << 20

#: What :func:`_evidence` is asked: whether any model row holds a path reference
#: (``_PATHS``), what the first telling row says (``_VERDICT``); a mask of both.
_PATHS = 1
_VERDICT = 2

#: The arguments the C twin takes besides the rows: the row classes it tells apart and
#: the search's budget.
_NATIVE_CONTEXT = (ModelRow, ImportRow, ErrorRow, _SEARCH_PASSES, _SEARCH_FLOOR)


def _load_native() -> Callable[..., Any] | None:
    """``rsc_flight._crevive.rule_evidence``, when that module is built and loaded."""
    if _engine.ENGINE != "native":
        return None
    return getattr(_engine.native_module("rsc_flight._crevive"), "rule_evidence", None)


#: The C twin of :func:`_evidence_python` (used while :data:`rsc_flight._engine.ENGINE` is
#: ``"native"``; the tests switch engines), or None where it is not built.
_NATIVE_EVIDENCE = _load_native()


def choose_rules(dialect: Dialect, rows: Sequence[Row]) -> str:
    """``"18"`` or ``"19"``: the client whose rules decode ``rows`` as their server meant."""
    if dialect in _RULES_18:
        return "18"
    if dialect not in _SHARED:
        return "19"
    return _fallback(dialect, _evidence(rows, _VERDICT)[1])


def settle(dialect: Dialect, rows: Sequence[Row], rules: str = "auto") -> tuple[Dialect, str]:
    """The dialect, refined by the model rows, and the rules (``rules`` unless ``"auto"``).

    Payloads of React 19.0 and of the 18.3 canaries can consist of model and array-form
    ``I`` rows only; path references in the models are the sign of 19.x, whose client
    resolves them (18.3's would not).  This is :func:`choose_rules` after that refinement,
    with one pass over the rows for both (the searches were the costliest passes of a
    parse after the JSON itself), which stops as soon as both are known.
    """
    auto = rules == "auto"
    if dialect not in _REFINED:
        return dialect, choose_rules(dialect, rows) if auto else rules
    paths, verdict = _evidence(rows, _PATHS | _VERDICT if auto else _PATHS)
    if paths:
        return Dialect.R19_0, "19" if auto else rules
    if not auto:
        return dialect, rules
    if verdict is None:  # (_fallback, inline: a parse's fixed cost)
        verdict = "19" if dialect is Dialect.GENERIC else "18"
    return dialect, verdict


def _fallback(dialect: Dialect, verdict: str | None) -> str:
    """The rules when no row told (``verdict`` None): ``F2`` and ``F3`` are read as 18
    (what Next 13.4-14 send), ``GENERIC`` as 19."""
    if verdict is not None:
        return verdict
    return "19" if dialect is Dialect.GENERIC else "18"


def _evidence(rows: Sequence[Row], want: int) -> tuple[bool | None, str | None]:
    """What the rows say (:func:`_evidence_python`), in C when the native engine is loaded
    (its twin answers a row the C cannot read as Python does)."""
    native = _NATIVE_EVIDENCE
    if native is not None and _engine.ENGINE == "native":
        found: tuple[bool | None, str | None] = native(rows, want, _NATIVE_CONTEXT)
        if found is not NotImplemented:
            return found
    return _evidence_python(rows, want)


def _evidence_python(
    rows: Sequence[Row], want: int, search: tuple[int, int] = (_SEARCH_PASSES, _SEARCH_FLOOR)
) -> tuple[bool | None, str | None]:
    """``(paths, verdict)``: whether a path reference is in any model row (``None`` unless
    ``want`` has ``_PATHS``), and what the first telling row says (:func:`_model_evidence`;
    ``None`` unless ``want`` has ``_VERDICT``).  The reference of ``_crevive.rule_evidence``,
    which reads the rows in one pass in stream order and stops once both are known;
    ``search`` is the budget of :func:`_model_evidence`'s search (passes, floor)."""
    scan = _Scan(rows)
    paths = scan.paths if want & _PATHS else None
    return paths, _model_evidence(rows, scan, search) if want & _VERDICT else None


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
    reads); ``paths`` whether a path reference is in any of them.
    """

    __slots__ = ("at", "paths", "stop", "telling", "texts")

    at: list[int]
    texts: list[str]
    stop: int
    telling: list[int]
    paths: bool

    def __init__(self, rows: Sequence[Row]) -> None:
        self.at, self.texts, self.stop = _model_rows_python(rows)
        self.telling, self.paths = _scan_python(self.texts)

    def facts(self, k: int) -> Facts:
        """What the telling row ``texts[k]`` says (:func:`_row_facts_python`)."""
        text = self.texts[k]
        if not self.paths:  # no row has a path reference: the search is not run again
            return False, _row_references(text)
        return _row_facts_python(text)


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


def _scan_python(texts: list[str]) -> tuple[list[int], bool]:
    """The rows holding ``"$`` (a superset of the telling ones, whose own searches then
    decide), and whether a path reference is in any row."""
    paths = any(_PATH_REFERENCE.search(text) for text in texts)
    telling = [k for k, text in enumerate(texts) if '"$' in text]
    return telling, paths


def _row_facts_python(text: str) -> Facts:
    """``(True, [])`` when ``text`` holds a path reference (the row says "19"), else
    ``(False, refs)``: each whole-string row reference, in order, as ``(code, row id)``."""
    if _PATH_REFERENCE.search(text):
        return True, []
    return False, _row_references(text)


def _row_references(text: str) -> list[tuple[str, int]]:
    """The whole-string row references of ``text`` (``_ROW_REFERENCE``'s matches), each as
    ``(code, row id)``."""
    return [(code, int(hex_id, 16)) for code, hex_id in _ROW_REFERENCE.findall(text)]


def _model_evidence(
    rows: Sequence[Row], scan: _Scan, search: tuple[int, int] = (_SEARCH_PASSES, _SEARCH_FLOOR)
) -> str | None:
    """What the first telling row says, if any says anything.

    The telling rows are the object-form ``I`` rows, which say "18", and the model rows
    the scan found (a superset of the telling ones, whose own searches decide), in stream
    order; every other row says nothing, so it is skipped without a look.  ``search``:
    the budget of the search for an object written twice, as (passes, floor).
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
            first = _first_rows_python(rows)
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
            search_left = search[0] * sum(len(text) for text in texts) + search[1]
        if search_left > 0:
            found, search_left = _written_again(k, texts, search_left)
            if found:
                return "18"
    return "18" if stop < len(rows) else None


def _first_rows_python(rows: Sequence[Row]) -> dict[int, int]:
    """The index of the first row of each id."""
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
