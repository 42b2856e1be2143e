"""The tokenizer over every file of the shared corpus (skipped when it is absent)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from rsc_flight import FlightDecoder, FlightError, NoFlightDataError, flight_from_html, load_flight
from rsc_flight.wire import TextRow, detect_source

from .conftest import corpus_params
from .helpers import random_split, tokenize, tokenize_chunks

NEGATIVE = {"002_d380acc5e20eefe3.txt", "m.soundcloud.com.html", "x.com.html"}


def oracle_strings(node: object) -> set[str]:
    """Every string value in an oracle document (the decoded strings)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return found


@pytest.mark.parametrize(
    "path",
    corpus_params(
        "real/**/*.txt", "real/**/*.html", "captured/**/*.rsc", "captured/**/*.html", "seeds/*.txt"
    ),
)
def test_every_corpus_file_tokenizes(path: Path):
    """Each payload or page gives rows without an error; negative controls fail clearly."""
    data = path.read_bytes()
    if path.name in NEGATIVE:
        with pytest.raises(NoFlightDataError, match="no flight data"):
            load_flight(data)
        # Forced through the tokenizer anyway, it is not flight either.
        with pytest.raises(FlightError):
            FlightDecoder(strict=True).feed(data)
        return
    flight = load_flight(data)
    rows, problems = tokenize(flight)
    assert rows
    assert [p for p in problems if p.severity == "error"] == []
    # Rows tile the input: no byte is lost between them.
    assert rows[0].offset == 0 or flight[: rows[0].offset].strip() == b""
    for before, after in itertools.pairwise(rows):
        assert before.end == after.offset
    assert rows[-1].end == len(flight)


def _with_text_rows_and_oracle(path: Path | None) -> bool:
    if path is None:
        return True  # the "no corpus" placeholder, which is skipped
    if not path.with_name(path.stem + ".oracle.json").exists():
        return False
    return any(isinstance(r, TextRow) for r in tokenize(path.read_bytes())[0])


@pytest.mark.parametrize(
    "path",
    [p for p in corpus_params("real/**/*.txt") if _with_text_rows_and_oracle(p.values[0])],
)
def test_text_rows_equal_the_oracle_strings(path: Path):
    """The text of every T row is a string React's client decoded from the payload."""
    oracle_path = path.with_name(path.stem + ".oracle.json")
    rows, _ = tokenize(path.read_bytes())
    texts = [r.payload for r in rows if isinstance(r, TextRow)]
    assert texts
    strings = oracle_strings(json.loads(oracle_path.read_text(encoding="utf-8")))
    missing = [t[:60] for t in texts if t not in strings]
    assert missing == []


@pytest.mark.parametrize("path", corpus_params("real/next15/**/*.html"))
def test_next15_inline_flight_equals_the_txt(path: Path):
    """Next 15 inlines the same stream it exports: byte for byte (404.html, which has no
    export, only has to carry flight data)."""
    data = flight_from_html(path.read_bytes())
    txt = path.with_suffix(".txt")
    if txt.exists():
        assert data == txt.read_bytes()
    else:
        assert tokenize(data)[0]


@pytest.mark.parametrize("path", corpus_params("real/react19/*.txt", "captured/**/*.rsc"))
def test_network_chunking_gives_the_same_rows(path: Path):
    """Replaying the recorded network chunk sizes, or random ones, changes nothing."""
    data = path.read_bytes()
    whole = tokenize(data)
    sizes = _recorded_chunk_sizes(path)
    if sizes:
        chunks, at = [], 0
        for size in sizes:
            chunks.append(data[at : at + size])
            at += size
        chunks.append(data[at:])
        assert tokenize_chunks(chunks) == whole
    assert tokenize_chunks(random_split(data, seed=len(data), pieces=50)) == whole


def _recorded_chunk_sizes(path: Path) -> list[int]:
    manifest = path.parent / "manifest.json"
    if manifest.exists():
        case = json.loads(manifest.read_text())["cases"].get(path.stem, {})
        return list(case.get("chunkSizes", []))
    index = path.parent / "index.json"
    if index.exists():
        for entry in json.loads(index.read_text()):
            if entry.get("file") == path.name:
                return list(entry.get("chunk_sizes") or [])
    return []


@pytest.mark.parametrize("path", corpus_params("captured/njsparser/*.html", "real/next1*/*.html"))
def test_pages_are_detected_as_html(path: Path):
    """Every captured page is recognised as HTML."""
    assert detect_source(path.read_bytes()) == "html"


def _largest_payload() -> list[object]:
    params = corpus_params("real/**/*.txt", "captured/**/*.rsc")
    if params[0].values[0] is None:
        return params
    return [max(params, key=lambda p: p.values[0].stat().st_size)]


@pytest.mark.parametrize("path", _largest_payload())
def test_largest_payload_byte_at_a_time(path: Path):
    """The largest corpus payload fed one byte at a time gives the same rows: the
    tokenizer does bounded work per byte (a quadratic rescan would not finish)."""
    data = path.read_bytes()
    decoder = FlightDecoder()
    rows = []
    feed = decoder.feed
    for i in range(len(data)):
        rows += feed(data[i : i + 1])
    rows += decoder.close()
    assert (rows, decoder.diagnostics) == tokenize(data)
