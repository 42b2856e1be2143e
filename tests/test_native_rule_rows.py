"""The rule choice's sorting of the rows in C (``_crevive.model_rows``, ``first_rows``) against
its Python twins (``rule_set._model_rows_python``, ``_first_rows_python``): the same model
rows, texts, first object-form import row and first row of each id, on written row streams
and on the corpus."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from rsc_flight import FlightDecoder, _engine
from rsc_flight.model import rule_set
from rsc_flight.wire.rows import ImportRow, ModelRow

from .conftest import corpus_files
from .flight_writer import write
from .strategies import rows as row_specs

pytestmark = pytest.mark.skipif(_engine.ENGINE != "native", reason="no native engine")

object_imports = st.builds(
    lambda i: f'{i:x}:I{{"id":"{i}","chunks":[],"name":""}}\n'.encode(), st.integers(0, 99)
)


def _rows(data: bytes) -> list[object]:
    decoder = FlightDecoder()
    return [*decoder.feed(data), *decoder.close()]


def _native(rows: list[object]) -> object:
    module = _engine.native_module("rsc_flight._crevive")
    return module.model_rows(rows, ModelRow, ImportRow)


@given(row_specs, st.lists(object_imports, max_size=3), st.randoms())
def test_written_rows_sort_alike(specs, imports, rng):
    pieces = [write([spec]) for spec in specs] + imports
    rng.shuffle(pieces)
    rows = _rows(b"".join(pieces))
    assert _native(rows) == rule_set._model_rows_python(rows)


def test_corpus_rows_sort_alike():
    paths = corpus_files("real/**/*.txt", "captured/**/*.rsc", "realworld/**/*.txt")
    for path in paths:
        rows = _rows(path.read_bytes())
        assert _native(rows) == rule_set._model_rows_python(rows), path


def test_the_first_object_import_is_the_stop():
    rows = _rows(b'1:I["1",[],""]\n2:I{"id":"2"}\n0:"x"\n3:I{"id":"3"}\n')
    assert _native(rows) == ([2], ['"x"'], 1)
    assert rule_set._model_rows_python(rows) == ([2], ['"x"'], 1)


def test_bad_arguments_are_type_errors():
    module = _engine.native_module("rsc_flight._crevive")
    with pytest.raises(TypeError):
        module.model_rows([], ModelRow)
    with pytest.raises(TypeError):
        module.model_rows(5, ModelRow, ImportRow)
    with pytest.raises(TypeError):
        module.model_rows([], "ModelRow", ImportRow)


@given(row_specs)
def test_first_rows_alike(specs):
    rows = _rows(write(specs) + b':HL["a"]\n')
    module = _engine.native_module("rsc_flight._crevive")
    assert module.first_rows(rows) == rule_set._first_rows_python(rows)


def test_first_rows_keeps_the_first_of_each_id():
    rows = _rows(b'1:"a"\n2:"b"\n1:"c"\n:HL["x"]\n')
    module = _engine.native_module("rsc_flight._crevive")
    assert module.first_rows(rows) == {1: 0, 2: 1} == rule_set._first_rows_python(rows)
    with pytest.raises(TypeError):
        module.first_rows(5)
