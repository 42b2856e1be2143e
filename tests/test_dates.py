"""Dates as pages write them: raw text, precision, and no invented time or zone."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from rsc_flight.extract import Precision, parse_date

KST = dt.timezone(dt.timedelta(hours=9))


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("2025-10-21 13:08:30+0900", dt.datetime(2025, 10, 21, 13, 8, 30, tzinfo=KST), "second"),
        ("2025-10-21T13:08:30+09:00", dt.datetime(2025, 10, 21, 13, 8, 30, tzinfo=KST), "second"),
        ("2024-01-05T09:00:00.000Z", dt.datetime(2024, 1, 5, 9, tzinfo=dt.UTC), "second"),
        (
            "2024-01-05T09:00:00.123456789Z",
            dt.datetime(2024, 1, 5, 9, 0, 0, 123456, tzinfo=dt.UTC),
            "second",
        ),
        ("2024-01-05 09:00", dt.datetime(2024, 1, 5, 9, 0), "minute"),
        ("2025-9-1", dt.date(2025, 9, 1), "day"),
        ("2025년 10월 21일", dt.date(2025, 10, 21), "day"),
        ("2025年10月21日", dt.date(2025, 10, 21), "day"),
        ("2025.10.21", dt.date(2025, 10, 21), "day"),
        ("May 8, 2025", dt.date(2025, 5, 8), "day"),
        ("8 Sept 2025", dt.date(2025, 9, 8), "day"),
    ],
)
def test_formats(text: str, value: dt.date, precision: str) -> None:
    stamp = parse_date(text)
    assert stamp is not None
    assert stamp.value == value
    assert type(stamp.value) is type(value)
    assert stamp.precision is Precision(precision)
    assert stamp.raw == text


@pytest.mark.parametrize(
    "text",
    ["", "soon", "2025-13-01", "2025-02-30", "2025-01-01T25:00", "2025-01-01T10:00+2500", "1/2/3"],
)
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


def test_search_in_running_text_keeps_the_matched_part() -> None:
    stamp = parse_date("수정: 2025년 10월 21일", search=True)
    assert stamp is not None
    assert stamp.raw == "2025년 10월 21일"
    assert parse_date("수정: 2025년 10월 21일") is None  # the whole string must be the date


ZONES = st.none() | st.integers(-14 * 60, 14 * 60).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)


@given(st.datetimes(min_value=dt.datetime(1000, 1, 1)), ZONES)
def test_isoformat_round_trip(value: dt.datetime, zone: dt.timezone | None) -> None:
    value = value.replace(tzinfo=zone)
    text = value.isoformat()
    stamp = parse_date(text)
    assert stamp is not None
    assert stamp.value == value
    assert stamp.isoformat() == text
    assert stamp.precision is Precision.SECOND


@given(st.text(max_size=60))
def test_any_text_is_a_date_or_none(text: str) -> None:
    stamp = parse_date(text, search=True)
    assert stamp is None or stamp.raw in text
