"""Properties of the tokenizer over generated and corpus inputs."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, strategies as st

from rsc_flight import FlightDecoder, FlightError, FlightLimitError, Limits

from .conftest import DATA, corpus_files
from .flight_writer import RowSpec, write
from .helpers import assert_every_byte_accounted, split_at, tokenize, tokenize_chunks
from .strategies import rows as row_specs

SPLITS = st.lists(st.integers(min_value=0, max_value=1 << 22), max_size=40)


def _payloads() -> list[Path]:
    files = corpus_files("real/**/*.txt", "captured/rsc-parser/*.rsc", "seeds/00[013]*.txt")
    own = sorted((DATA).rglob("*.txt")) if DATA.is_dir() else []
    return [p for p in files + own if p.stat().st_size < 300_000] or own


PAYLOADS = _payloads()


def as_spec(row) -> RowSpec:
    return RowSpec(type(row).__name__, row.id, row.tag, row.payload, getattr(row, "code", ""))


@given(row_specs, SPLITS)
def test_written_rows_tokenize_back_under_any_split(specs, cuts):
    """Rows written as a server would come back exactly, however the bytes are cut."""
    data = write(specs)
    rows, problems = tokenize_chunks(split_at(data, [c % (len(data) + 1) for c in cuts]))
    assert problems == []
    assert [as_spec(r) for r in rows] == specs


@given(st.sampled_from(PAYLOADS) if PAYLOADS else st.nothing(), SPLITS)
def test_corpus_payloads_under_random_splits(path, cuts):
    """Any payload of the corpus (and of our fixtures) gives the same rows in any split."""
    data = path.read_bytes()
    whole = tokenize(data)
    assert tokenize_chunks(split_at(data, [c % (len(data) + 1) for c in cuts])) == whole


LIMITS = Limits(max_row_bytes=1 << 16, max_rows=10_000)


@given(st.binary(max_size=400), SPLITS)
@example(b"0:T5,ab", [])
@example(b"1:Tffffffffffff,", [])
@example(b"J0:\n\nM1:x", [3])
@example(b"\n\n\r\n:", [1])
def test_garbage_lenient_every_byte_is_a_row_or_diagnostic(data, cuts):
    """On any bytes lenient mode only raises limit errors, and loses no byte."""
    decoder = FlightDecoder(limits=LIMITS)
    rows = []
    try:
        for chunk in split_at(data, [c % (len(data) + 1) for c in cuts]):
            rows += decoder.feed(chunk)
        rows += decoder.close()
    except FlightLimitError:
        return
    assert_every_byte_accounted(data, rows, decoder.diagnostics)


@given(st.binary(max_size=400), SPLITS)
def test_garbage_strict_only_flight_errors_escape(data, cuts):
    """On any bytes strict mode raises FlightError subclasses and nothing else."""
    decoder = FlightDecoder(limits=LIMITS, strict=True)
    try:
        for chunk in split_at(data, [c % (len(data) + 1) for c in cuts]):
            decoder.feed(chunk)
        decoder.close()
    except FlightError:
        pass


@given(st.binary(max_size=400))
def test_garbage_rows_are_the_same_in_any_split(data):
    """Even on garbage, chunking does not change rows or diagnostics, nor which limit
    stops the stream (a garbage header may declare a row longer than max_row_bytes)."""

    def outcome(run):
        try:
            return run()
        except FlightError as error:
            return type(error), str(error)

    whole = outcome(lambda: tokenize(data, limits=LIMITS))
    split = outcome(
        lambda: tokenize_chunks([data[i : i + 1] for i in range(len(data))], limits=LIMITS)
    )
    assert split == whole
