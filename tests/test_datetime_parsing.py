"""SQLite hands Tortoise datetimes as text; with ciso8601 installed (a dependency, for speed)
Tortoise parses them with it. The values must be the ones the pure-Python parser gives."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta, timezone

import iso8601
import pytest
import tortoise.fields.data as tortoise_data
from tortoise import fields
from tortoise.context import TortoiseContext

from gqlnews.graphql.rows import _converter
from gqlnews.models import Article
from tests.test_rows import typed

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


AWARE = [
    datetime(2026, 12, 6, 3, 55, tzinfo=UTC),
    datetime(1999, 1, 1, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
    datetime(2026, 12, 6, 3, 55),
]


@pytest.mark.parametrize("value", [*STORED, *AWARE, None], ids=repr)
async def test_light_rows_convert_a_datetime_as_tortoise_does(
    database: TortoiseContext, value: object
) -> None:
    """The light rows' and instances' own conversion (SQLite's text and PostgreSQL's values
    taken a shorter way) gives Tortoise's value, in the same zone object (the columns are
    sorted once Tortoise is started: ``database``)."""
    field = Article._meta.fields_map["published_at"]
    convert = _converter(Article, "published_at")
    assert convert is not None
    found, expected = convert(value), field.to_python_value(value)
    assert typed(found) == typed(expected)
    if isinstance(found, datetime) and isinstance(expected, datetime):
        assert found.utcoffset() == expected.utcoffset()
