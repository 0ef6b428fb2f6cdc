"""French dates and the publication calendar of the demo fortnight (all times UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

DAYS = 14
"""Length of the demo period, in days, ending on ``now``'s date."""

_DAY_OPENS = time(6, 0)
_DAY_CLOSES = time(22, 30)
_MIN_TODAY = timedelta(hours=2)
_MARGIN = timedelta(minutes=2)


def french_date(day: date) -> str:
    """« 29 novembre 2026 », « 1er décembre 2026 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def weekday(day: date) -> str:
    """The French name of ``day``'s weekday, lower-case."""
    return WEEKDAYS[day.weekday()]


def as_utc(now: datetime | None) -> datetime:
    """``now`` (default: the current time) as an aware UTC datetime; naive values are refused."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("load_demo needs a timezone-aware `now`")
    return now.astimezone(UTC)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """``day`` at ``hour:minute`` UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def publication_window(day: date, now: datetime) -> tuple[datetime, datetime]:
    """The span in which articles dated ``day`` are published, never reaching ``now``.

    A normal day runs from 06:00 to 22:30. Today stops shortly before ``now``; when that leaves
    less than two hours, today's window is the two hours before ``now`` instead.
    """
    start = datetime.combine(day, _DAY_OPENS, tzinfo=UTC)
    end = datetime.combine(day, _DAY_CLOSES, tzinfo=UTC)
    latest = now - _MARGIN
    if end > latest:
        end = latest
        if end - start < _MIN_TODAY:
            start = end - _MIN_TODAY
    return start, end


def tomorrow_at(now: datetime, hour: int, minute: int = 0) -> datetime:
    """The day after ``now``'s date at ``hour:minute`` UTC: always after ``now``."""
    return at(now.date() + timedelta(days=1), hour, minute)
