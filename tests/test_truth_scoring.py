"""The realworld scoring conventions of ``benchmarks/_truth.py``, on hand-made entries.

The corpus README fixes how each field is compared; a benchmark number is only as honest
as these rules, so each one is pinned here without the corpus: tags as loose sets, dates by
day, ``description: null`` meaning "none", body phrases, authors as sets, not-found pages.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import _truth  # noqa: E402
from _truth import Verdict  # noqa: E402

RIGHT, WRONG, NOT_SCORED = Verdict.RIGHT, Verdict.WRONG, Verdict.NOT_SCORED
NINE = dt.timezone(dt.timedelta(hours=9))


def test_tags_are_case_insensitive_sets_with_dash_underscore_space_alike() -> None:
    assert _truth.score_tags(["next-js", "Math"], ["math", "next js"]) is RIGHT
    assert _truth.score_tags(["Multi_Author", "multi-author"], ["multi author"]) is RIGHT
    assert _truth.score_tags(("a  b",), ["A-B"]) is RIGHT
    assert _truth.score_tags(["next-js", "var"], ["next js"]) is WRONG  # an extra tag
    assert _truth.score_tags(["nextjs"], ["next js"]) is WRONG  # a dropped space is not alike
    assert _truth.score_tags([], ["guide"]) is WRONG


def test_empty_tags_are_scored_and_null_tags_are_not() -> None:
    assert _truth.score_tags([], []) is RIGHT
    assert _truth.score_tags(None, []) is RIGHT
    assert _truth.score_tags(["static"], []) is WRONG
    assert _truth.score_tags(["anything"], None) is NOT_SCORED


def test_dates_compare_by_day_in_their_own_offset() -> None:
    assert _truth.score_published(dt.datetime(2020, 3, 16, 23, 30, tzinfo=NINE), "2020-03-16") is (
        RIGHT
    )
    # the same instant is the 16th in UTC but the 17th at +09:00: the value's own day counts
    late = dt.datetime(2020, 3, 16, 20, 0, tzinfo=dt.UTC).astimezone(NINE)
    assert _truth.score_published(late, "2020-03-16") is WRONG
    assert _truth.score_published(dt.date(2020, 3, 16), "2020-03-16") is RIGHT
    assert _truth.score_published("2020-03-16T00:00:00.000Z", "2020-03-16") is RIGHT
    assert _truth.score_published(dt.date(2020, 3, 15), "2020-03-16") is WRONG
    assert _truth.score_published(None, "2020-03-16") is WRONG
    assert _truth.score_published(None, None) is NOT_SCORED


def test_description_null_means_the_right_answer_is_none() -> None:
    assert _truth.score_description(None, None) is RIGHT
    assert _truth.score_description("  ", None) is RIGHT
    assert _truth.score_description("A statically generated blog example.", None) is WRONG
    assert _truth.score_description("An  example\nof  tables.", "An example of tables.") is RIGHT
    assert _truth.score_description(None, "An example of tables.") is WRONG
    assert _truth.score_description("Another.", "An example of tables.") is WRONG


def test_title_is_whitespace_normalised_and_null_is_not_scored() -> None:
    assert _truth.score_title("  Code\n blocks ", "Code blocks") is RIGHT
    assert _truth.score_title("Code blocks | Site", "Code blocks") is WRONG
    assert _truth.score_title("code blocks", "Code blocks") is WRONG  # case counts
    assert _truth.score_title(None, "Code blocks") is WRONG
    assert _truth.score_title("Anything", None) is NOT_SCORED


def test_url_is_exact() -> None:
    url = "https://example.com/blog/vim"
    assert _truth.score_url(url, url) is RIGHT
    assert _truth.score_url(url + "/", url) is WRONG
    assert _truth.score_url(None, url) is WRONG
    assert _truth.score_url(url, None) is NOT_SCORED


def test_body_needs_all_three_phrases() -> None:
    phrases = ["Vim is virtually everywhere.", "minimizing keystrokes", "steep  learning curve"]
    text = (
        "Intro.\nVim is\nvirtually everywhere. By minimizing keystrokes on a steep learning curve."
    )
    assert _truth.score_body(text, phrases) is RIGHT
    assert _truth.missing_phrases(text, phrases) == []
    short = "Vim is virtually everywhere. By minimizing keystrokes."
    assert _truth.score_body(short, phrases) is WRONG
    assert _truth.missing_phrases(short, phrases) == ["steep  learning curve"]
    assert _truth.score_body(None, phrases) is WRONG
    assert _truth.missing_phrases(None, phrases) == phrases
    assert _truth.score_body("anything", None) is NOT_SCORED


def test_authors_are_sets_of_names() -> None:
    want = ["Tails Azimuth", "Sparrow Hawk"]
    assert _truth.score_authors(["Sparrow Hawk", "Tails  Azimuth"], want) is RIGHT
    assert _truth.score_authors(["Tails Azimuth"], want) is WRONG
    assert _truth.score_authors(["Tails Azimuth", "Sparrow Hawk", "Editor"], want) is WRONG
    assert _truth.score_authors([], want) is WRONG
    assert _truth.score_authors(["Someone"], None) is NOT_SCORED


ENTRY = {
    "file": "captured/posts/table",
    "title": "Table",
    "published": "2022-08-28",
    "modified": None,
    "tags": ["web development"],
    "authors": ["Dimitri POSTOLOV"],
    "description": "En example of using table.",
    "url": None,
    "body_contains": ["Test table", "ss2", "Center"],
}


def test_score_entry_reads_each_field_and_body_contains() -> None:
    values = {
        "title": "Table",
        "published": dt.datetime(2022, 8, 28, tzinfo=dt.UTC),
        "tags": ["Web-Development"],
        "authors": [],
        "description": "En example of using table.",
        "url": "https://example.com/posts/table",
        "body": "Test table | ss2 | Center",
    }
    got = _truth.score_entry(values, ENTRY)
    assert got == {
        "title": RIGHT,
        "published": RIGHT,
        "tags": RIGHT,
        "authors": WRONG,
        "description": RIGHT,
        "url": NOT_SCORED,
        "body": RIGHT,
    }


def test_not_found_entries_score_no_field_and_need_a_status() -> None:
    entry = {"file": "captured/blog/draft", "not_found": True}
    assert set(_truth.score_entry({"title": "Draft"}, entry).values()) == {NOT_SCORED}
    # today's Article has no status: it reports nothing, so not "not found"
    assert _truth.status_of(SimpleNamespace(title="Draft")) is None
    assert not _truth.reports_not_found(SimpleNamespace(title="Draft"))
    assert _truth.reports_not_found(SimpleNamespace(status="not_found"))
    assert not _truth.reports_not_found(SimpleNamespace(status="ok"))


def test_load_cases_pairs_each_page_with_its_payload(tmp_path: Path) -> None:
    site = tmp_path / "some-blog"
    (site / "captured" / "posts").mkdir(parents=True)
    entries = [dict(ENTRY), {"file": "captured/posts/gone", "not_found": True}]
    (site / "truth.json").write_text(json.dumps(entries))
    (site / "captured" / "posts" / "table.html").write_text("<html></html>")
    (site / "captured" / "posts" / "table.rsc").write_text("0:null\n")
    (site / "captured" / "posts" / "gone.txt").write_text("0:null\n")
    table, gone = _truth.load_cases(tmp_path)
    assert (table.site, table.name, table.not_found) == (
        "some-blog",
        "some-blog/posts/table",
        False,
    )
    assert table.html == site / "captured" / "posts" / "table.html"
    assert table.payloads == (site / "captured" / "posts" / "table.rsc",)
    assert gone.not_found
    assert gone.payloads == (site / "captured" / "posts" / "gone.txt",)


def attempt(case: _truth.Case, tool: str, right: int, wrong: int) -> _truth.Attempt:
    verdicts = dict.fromkeys(_truth.FIELDS[:right], RIGHT)
    verdicts |= dict.fromkeys(_truth.FIELDS[right : right + wrong], WRONG)
    return _truth.Attempt(case, tool, case.html, verdicts=verdicts, status="ok")


def test_targets_follow_the_tallies() -> None:
    post = _truth.Case("site", ENTRY, Path("p.html"), (Path("p.rsc"),))
    gone = _truth.Case("site", {"file": "g", "not_found": True}, Path("g.html"), ())
    results = _truth.Results(
        [post, gone],
        [
            attempt(post, "rsc_html", 7, 0),
            attempt(post, "rsc_payload", 6, 1),
            attempt(post, "trafilatura", 0, 7),  # not counted in rsc_flight's share
            _truth.Attempt(gone, "rsc_html", gone.html, status="not_found"),
        ],
        [_truth.Timing(post, rsc=0.001, trafilatura=0.005)],
        True,
    )
    fields, absent, ok, speed = _truth.targets(results)
    assert fields["got"] == "13/14 (92.9%)"
    assert not fields["met"]
    assert absent["met"]
    assert absent["got"] == "1/1"
    assert ok["met"]
    assert ok["got"] == "2/2"
    assert speed["value"] == pytest.approx(5.0)
    assert speed["met"]
    lines = _truth.misses(results, _truth.RSC_TOOLS)
    assert len(lines) == 1
    assert "[payload] body" in lines[0]
