"""The editorial plugin's limits and the checks every write and read of picks and slots obeys.

Plain functions with no database access: the service, the command line and the GraphQL fields
all validate through here, so a limit is stated once. A refusal is the core's
(:class:`gqlnews.api.Refused`, one problem whose ``field`` is the argument at fault, ``code``
a :class:`gqlnews.api.RefusalCode`), so the mutations report it as the core's do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from gqlnews.api import RefusalCode, refuse

MAX_PICKS = 20
"""Most picks the editors may set at once; also the largest ``picks(first:)``."""
DEFAULT_PICKS = 5
"""Picks ``picks`` returns when ``first`` is not given."""
MAX_SLOT_NAME_LENGTH = 40
"""Longest slot name, in characters."""
SLOT_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A slot name: lower-case ASCII letters and digits in words joined by single hyphens."""


def check_slot_name(name: str) -> str:
    """``name`` if it is a well-formed slot name, else :class:`~gqlnews.api.Refused`."""
    if not 1 <= len(name) <= MAX_SLOT_NAME_LENGTH or not SLOT_NAME.fullmatch(name):
        raise refuse(
            "name",
            RefusalCode.INVALID,
            f"slot name {name!r} is not allowed: use 1 to {MAX_SLOT_NAME_LENGTH} lower-case "
            "letters, digits and single hyphens, e.g. une-principale",
        )
    return name


def check_pick_count(count: int) -> int:
    """``count`` if the editors may set that many picks at once (0 clears them)."""
    if count > MAX_PICKS:
        raise refuse(
            "articles",
            RefusalCode.TOO_LONG,
            f"{count} picks given; at most {MAX_PICKS} are allowed",
        )
    return count


def check_first(first: int) -> int:
    """``first`` if it is a number of picks a reader may ask for."""
    if not 1 <= first <= MAX_PICKS:
        raise refuse(
            "first",
            RefusalCode.INVALID,
            f"first must be between 1 and {MAX_PICKS}",
        )
    return first


def check_window(starts_at: datetime | None, expires_at: datetime | None, now: datetime) -> None:
    """A display window must have time zones, end in the future, and start before it ends."""
    for argument, what, instant in (
        ("starts_at", "start", starts_at),
        ("expires_at", "expiry", expires_at),
    ):
        if instant is not None and instant.utcoffset() is None:
            raise refuse(
                argument,
                RefusalCode.INVALID,
                f"the {what} time {instant.isoformat()} has no time zone: give one, e.g. +00:00",
            )
    if expires_at is not None and expires_at <= now:
        raise refuse(
            "expires_at",
            RefusalCode.NOT_IN_FUTURE,
            f"the expiry time {expires_at.isoformat()} is not in the future "
            f"(now: {now.isoformat(timespec='seconds')})",
        )
    if starts_at is not None and expires_at is not None and starts_at >= expires_at:
        raise refuse(
            "starts_at",
            RefusalCode.INVALID,
            f"the start time {starts_at.isoformat()} must be before the expiry time "
            f"{expires_at.isoformat()}",
        )


def window_state(starts_at: datetime | None, expires_at: datetime | None, now: datetime) -> str:
    """``"current"``, ``"expired"`` or ``"not started"``: whether a display window
    (``starts_at``, ``expires_at``, either may be null) holds ``now`` (started at or before
    it, expiring strictly after it), for rows already read (the readers' board and the
    command line's listings)."""
    if expires_at is not None and expires_at <= now:
        return "expired"
    if starts_at is not None and starts_at > now:
        return "not started"
    return "current"


def next_window_change(
    windows: Iterable[tuple[datetime | None, datetime | None]], now: datetime
) -> datetime | None:
    """The first instant after ``now`` at which one of these windows (``starts_at``,
    ``expires_at``) opens or closes; None when none will."""
    later = [moment for window in windows for moment in window if moment and moment > now]
    return min(later, default=None)
