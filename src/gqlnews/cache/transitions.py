"""When the public view changes by itself: the next instant an article becomes visible without
a write (its publication time or its embargo passes) or a dated edition or supplement comes out.
No cached answer may outlive it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from gqlnews.models import Article, ArticleStatus, Edition, Supplement

SOON = (ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED)


async def next_transition(now: datetime, pending: float = 1.0) -> datetime | None:
    """The first instant after ``now`` at which the public view may change with no write
    that this process hears of (five indexed queries).

    A scheduled publication already due is about to be made by a scheduler, maybe another
    process's: until it is, answers live at most ``pending`` seconds.
    """
    live = Article.filter(deleted_at__isnull=True, status__in=SOON)
    found: list[datetime] = []
    due = Article.filter(
        deleted_at__isnull=True, status=ArticleStatus.SCHEDULED, published_at__lte=now
    )
    if await due.exists():
        found.append(now + timedelta(seconds=pending))
    for column in ("published_at", "embargo_until"):
        value = await (
            live.filter(**{f"{column}__gt": now})
            .order_by(column)
            .first()
            .values_list(column, flat=True)
        )
        if isinstance(value, datetime):
            found.append(value if value.tzinfo else value.replace(tzinfo=UTC))
    today = now.astimezone(UTC).date()
    for model in (Edition, Supplement):
        row = await model.filter(date__gt=today).order_by("date").first()
        if row is not None:
            found.append(datetime.combine(row.date, time(0), tzinfo=UTC))
    return min(found) if found else None


def bounded(now: datetime, seconds: float, transition: datetime | None) -> float:
    """``seconds``, cut so that ``now + seconds`` does not pass ``transition``."""
    if transition is None:
        return seconds
    return max(0.0, min(seconds, (transition - now) / timedelta(seconds=1)))
