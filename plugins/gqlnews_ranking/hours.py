"""Hourly buckets: an instant's bucket, a bucket's start, and the buckets a window covers.

A bucket is named by its start in whole hours since 1970-01-01T00:00Z (UTC), an integer: easy
to compare, to subtract and to index on every database, with no time-zone conversions in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from gqlnews.api import Window

SECONDS_PER_HOUR = 3600
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def hour_of(moment: datetime) -> int:
    """The bucket ``moment`` falls in (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int((moment - EPOCH).total_seconds() // SECONDS_PER_HOUR)


def start_of(hour: int) -> datetime:
    """When bucket ``hour`` starts."""
    return EPOCH + timedelta(hours=hour)


@dataclass(frozen=True, slots=True)
class HourRange:
    """Buckets ``first`` (inclusive) to ``end`` (exclusive)."""

    first: int
    end: int

    @property
    def hours(self) -> int:
        return self.end - self.first


def hours_of(window: Window) -> HourRange:
    """Every bucket the window overlaps: a window is counted to the hour, its partly covered
    first and last hours included (the last hour of "the last hour" is the current one)."""
    first = hour_of(window.since)
    last = hour_of(window.until)
    end = last if start_of(last) == _utc(window.until) else last + 1
    return HourRange(first, max(end, first + 1))


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
