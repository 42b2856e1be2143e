"""The rule choice's sort of the rows in C (``_crevive.model_rows``) against its Python
twin (``rule_set._model_rows_python``): the same model rows, texts and first object-form
import row, on written row streams and on the corpus."""

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
