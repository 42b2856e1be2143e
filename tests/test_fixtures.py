"""Our own fixtures (tests/data): one payload per dialect, and a page that inlines one."""

from __future__ import annotations

import pytest

from rsc_flight import Dialect, FlightDecoder, flight_from_html
from rsc_flight.wire import TextRow

from .conftest import DATA
from .helpers import assert_same_every_way, tokenize

HANDMADE = DATA / "handmade"


@pytest.mark.parametrize(
    ("name", "dialect"),
    [
        ("f0-next13.1.txt", Dialect.F0),
        ("f1-next13.3.txt", Dialect.F1),
        ("f2-next13.4.txt", Dialect.F2),
        ("f3-next14.txt", Dialect.F3),
        ("f3-experimental.txt", Dialect.F3_EXPERIMENTAL),
        ("r19.0-streams.txt", Dialect.R19_0),
        ("r19.1-devrows.txt", Dialect.R19_1),
        ("r19.3-imports.txt", Dialect.R19_3),
    ],
)
def test_each_dialect_fixture(name, dialect):
    """Every fixture tokenizes cleanly in any chunking and is dated to its dialect."""
    data = (HANDMADE / name).read_bytes()
    rows = assert_same_every_way(data)
    decoder = FlightDecoder(strict=True)
    decoder.feed(data)
    decoder.close()
    assert decoder.dialect is dialect
    assert rows[-1].end == len(data)


def test_inlined_page_gives_back_its_payload():
    """The page's text pushes (cut mid-row) and base64 push rebuild the exact bytes."""
    html = (HANDMADE / "next15-page.html").read_bytes()
    expected = (HANDMADE / "next15-page.flight").read_bytes()
    data = flight_from_html(html)
    assert data == expected
    rows, problems = tokenize(data)
    assert problems == []
    texts = [r for r in rows if isinstance(r, TextRow)]
    assert texts[0].payload.startswith("<p>안녕하세요, RSC! 😀")


def test_generated_react_payloads_tokenize():
    """Payloads made by our Node generator (scripts/node) tokenize without problems."""
    files = sorted((DATA / "generated").rglob("*.txt"))
    if not files:
        pytest.skip("generated fixtures not present")
    for path in files:
        rows, problems = tokenize(path.read_bytes())
        assert rows, path
        assert [p for p in problems if p.severity == "error"] == [], path


EXAMPLES = DATA.parent.parent / "examples"


@pytest.mark.parametrize("slug", ["hello", "long-read"])
def test_bundled_next15_examples(slug):
    """The bundled Next 15 export: the page inlines exactly its .txt payload."""
    html = (EXAMPLES / f"next15-post-{slug}.html").read_bytes()
    txt = (EXAMPLES / f"next15-post-{slug}.txt").read_bytes()
    assert flight_from_html(html) == txt
    rows = assert_same_every_way(txt)
    assert rows[-1].end == len(txt)
