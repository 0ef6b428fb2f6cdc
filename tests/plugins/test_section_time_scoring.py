"""The section-time strategy's scoring, from hand-made rows (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

from gqlnews.api import Scored
from gqlnews_related.section_time import _aware, scored

NOON = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _article(pk: int, section: int, published_at: datetime) -> Any:
    return SimpleNamespace(pk=pk, primary_section_id=section, published_at=published_at)


def test_closest_first_ties_in_row_order_and_three_per_asked() -> None:
    article = _article(1, 7, NOON)
    rows = [
        (1, 7, NOON),  # the article itself
        (30, 7, NOON + timedelta(days=2)),
        (20, 7, NOON - timedelta(days=2)),  # as close as 30: after it, as in the rows
        (40, 7, NOON + timedelta(days=1)),
        (50, 7, NOON + timedelta(days=11)),  # outside the window
        (60, 8, NOON),  # another section
        (70, 7, NOON + timedelta(days=3)),
        (80, 7, NOON + timedelta(days=4)),
    ]
    found = scored([article], rows, limit=1)
    assert found == {
        1: [
            Scored(40, 0.5, "same section, 1 days apart"),
            Scored(30, 1 / 3, "same section, 2 days apart"),
            Scored(20, 1 / 3, "same section, 2 days apart"),
        ]
    }
    assert [s.article_id for s in scored([article], rows, limit=2)[1]] == [40, 30, 20, 70, 80]


def test_a_rows_time_in_another_zone_is_the_same_instant() -> None:
    paris = timezone(timedelta(hours=1))
    kept = _aware(NOON.astimezone(paris))
    assert kept == NOON and kept - NOON == timedelta(0)
    assert _aware("2025-03-01T12:00:00+00:00") == NOON  # SQLite's text, read as Tortoise reads it
