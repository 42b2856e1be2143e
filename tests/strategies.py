"""Hypothesis strategies for flight rows."""

from __future__ import annotations

import json

import attrs
from hypothesis import strategies as st

from .flight_writer import RowSpec

ids = st.integers(min_value=0, max_value=0xFFFFF)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)
# JSON text never holds a raw LF (json.dumps escapes it), like the server's JSON.stringify.
json_texts = json_values.map(lambda v: json.dumps(v, ensure_ascii=False))

model_rows = st.builds(lambda i, t: RowSpec("ModelRow", i, "", t), ids, json_texts)
text_rows = st.builds(lambda i, t: RowSpec("TextRow", i, "T", t), ids, st.text(max_size=300))
binary_rows = st.builds(
    lambda i, tag, b: RowSpec("BinaryRow", i, tag, b),
    ids,
    st.sampled_from("AOoUSsLlGgMmVb"),
    st.binary(max_size=64),
)
import_rows = st.builds(
    lambda i, m, name: RowSpec("ImportRow", i, "I", json.dumps([m, [], name])),
    ids,
    st.integers(0, 99999) | st.text("abcdef0123456789/.", max_size=12),
    st.sampled_from(["", "default", "*", "Button"]),
)
hint_rows = st.builds(
    lambda code, href, with_id: RowSpec(
        "HintRow", 1 if with_id else None, "H", json.dumps([href, "style"]), code
    ),
    st.sampled_from("DCLmSXM"),
    st.text(min_size=1, max_size=20),
    st.booleans(),
)
newline_rows = st.builds(
    lambda i, tag, kind, t: RowSpec(kind, i, tag, t),
    ids,
    st.sampled_from(["E", "D", "W", "J", "P"]),
    st.just(""),
    json_texts,
).map(lambda s: attrs.evolve(s, kind={"E": "ErrorRow", "P": "PostponeRow"}.get(s.tag, "DebugRow")))

rows = st.lists(
    st.one_of(model_rows, text_rows, binary_rows, import_rows, hint_rows, newline_rows),
    max_size=25,
)
