"""SQLite hands Tortoise datetimes as text; with ciso8601 installed (a dependency, for speed)
Tortoise parses them with it. The values must be the ones the pure-Python parser gives."""

from __future__ import annotations

import functools

import iso8601
import pytest
import tortoise.fields.data as tortoise_data
from tortoise import fields

STORED = [
    "2026-12-06 03:55:00+00:00",
    "2026-12-06 03:55:00.123456+00:00",
    "2026-12-06T03:55:00.000001+00:00",
    "2026-12-06 03:55:00",
    "2026-02-28 23:59:59.999999+01:00",
    "1999-01-01 00:00:00-05:30",
]


def test_tortoise_parses_with_ciso8601() -> None:
    assert tortoise_data.parse_datetime.__module__ == "ciso8601"


@pytest.mark.parametrize("text", STORED)
def test_the_parsed_datetime_is_the_pure_python_one(text: str) -> None:
    slow = functools.partial(iso8601.parse_date, default_timezone=None)
    fast = tortoise_data.parse_datetime(text)
    assert (fast, fast.utcoffset()) == (slow(text), slow(text).utcoffset())
    field = fields.DatetimeField()
    expected = field.to_python_value(text)  # aware, in the configured zone
    assert expected is not None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tortoise_data, "parse_datetime", slow)
        value = field.to_python_value(text)
    assert value is not None
    assert (value, value.utcoffset()) == (expected, expected.utcoffset())
