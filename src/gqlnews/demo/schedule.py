"""Publication times: distinct, within each day's window, and on the right side of ``now``."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from random import Random

from gqlnews.demo.dates import publication_window, tomorrow_at
from gqlnews.demo.plan import ArticlePlan
from gqlnews.demo.specs import Visibility
from gqlnews.models import Genre

_ONE_SECOND = timedelta(seconds=1)


def _times_for_day(group: list[ArticlePlan], day: date, now: datetime, rng: Random) -> None:
    """Spread ``group`` over ``day``'s window, editorials first thing in the morning."""
    editorials = [plan for plan in group if plan.genre is Genre.EDITORIAL]
    others = [plan for plan in group if plan.genre is not Genre.EDITORIAL]
    rng.shuffle(others)
    start, end = publication_window(day, now)
    minutes = int((end - start).total_seconds() // 60)
    slots = sorted(rng.sample(range(minutes), len(group)))
    for plan, slot in zip([*editorials, *others], slots, strict=True):
        plan.published_at = start + timedelta(minutes=slot, seconds=rng.randrange(60))


def _future_times(plans: list[ArticlePlan], now: datetime) -> None:
    """Embargoes and scheduled times fall on the day after ``now``, at fixed hours."""
    scheduled = [plan for plan in plans if plan.visibility is Visibility.SCHEDULED]
    for index, plan in enumerate(scheduled):
        plan.published_at = tomorrow_at(now, 7, 45 * index)
    future = [plan for plan in plans if plan.visibility is Visibility.FUTURE]
    for index, plan in enumerate(future):
        plan.published_at = tomorrow_at(now, 5, 30 + index)
    embargoed = [plan for plan in plans if plan.visibility is Visibility.EMBARGOED]
    for index, plan in enumerate(embargoed):
        plan.embargo_until = tomorrow_at(now, 8 + index)


def _make_distinct(plans: list[ArticlePlan]) -> None:
    """Move any repeated publication time a second earlier until all are distinct."""
    dated = sorted(
        (plan.published_at, index)
        for index, plan in enumerate(plans)
        if plan.published_at is not None
    )
    taken: set[datetime] = set()
    for when, index in dated:
        while when in taken:
            when -= _ONE_SECOND
        taken.add(when)
        plans[index].published_at = when


def _creation_times(plans: list[ArticlePlan], now: datetime, rng: Random) -> None:
    """Articles were written shortly before they went out; the others in the last two days."""
    for plan in plans:
        if plan.published_at is not None and plan.published_at <= now:
            plan.created_at = plan.published_at - timedelta(minutes=rng.randint(20, 240))
        else:
            plan.created_at = now - timedelta(minutes=rng.randint(30, 48 * 60))


def assign_times(plans: list[ArticlePlan], now: datetime, rng: Random) -> None:
    """Give every article its creation time, and its publication time and embargo if any."""
    by_day: dict[date, list[ArticlePlan]] = defaultdict(list)
    for plan in plans:
        if plan.day is not None and plan.visibility in (Visibility.PUBLISHED, Visibility.EMBARGOED):
            by_day[plan.day].append(plan)
    for day in sorted(by_day):
        _times_for_day(by_day[day], day, now, rng)
    _future_times(plans, now)
    _make_distinct(plans)
    _creation_times(plans, now, rng)
