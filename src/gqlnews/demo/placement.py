"""Where the articles go and how they fare: front page, print pages, excerpts, audience."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from random import Random

from gqlnews.demo.plan import ArticlePlan, EditionPlan, SupplementPlan
from gqlnews.demo.specs import SectionSpec
from gqlnews.demo.stories_world import ANATOMY_SLUG
from gqlnews.models import Genre

FRONT = "une"
_FRONT_SHARE = 0.15
_PRINT_SHARE = 0.6
_EXCERPTLESS_SHARE = 0.1
_MAX_FRONT_PER_DAY = 2
_FRONT_GENRES = frozenset(
    {Genre.NEWS, Genre.REPORT, Genre.ANALYSIS, Genre.INTERVIEW, Genre.PORTRAIT}
)
_VIEW_BASE = 60
_VIEW_TAIL = 1.2
_VIEW_AGE_BONUS = 0.12
_VIEW_FRONT_BONUS = 2.5
_VIEW_CAP = 750_000


def _in_daily(plan: ArticlePlan) -> bool:
    return plan.visible and plan.supplement is None and plan.day is not None


def choose_front_page(plans: list[ArticlePlan], rng: Random) -> None:
    """Add the « une » section to about 15 % of the articles, at most two a day."""
    target = round(len(plans) * _FRONT_SHARE)
    chosen = [plan for plan in plans if FRONT in plan.sections]
    per_day = Counter(plan.day for plan in chosen)
    candidates = [
        plan
        for plan in plans
        if _in_daily(plan)
        and plan.language == "fr"
        and plan.genre in _FRONT_GENRES
        and FRONT not in plan.sections
    ]
    rng.shuffle(candidates)
    for plan in candidates:
        if len(chosen) >= target:
            break
        if per_day[plan.day] < _MAX_FRONT_PER_DAY:
            plan.sections.append(FRONT)
            chosen.append(plan)
            per_day[plan.day] += 1


def _page_order(plan: ArticlePlan) -> tuple[bool, datetime]:
    """The desk's lead story first, then the others as they were published."""
    if plan.published_at is None:
        raise ValueError(f"{plan.slug} is printed but has no publication time")
    return (not plan.lead, plan.published_at)


def _order_pages(printed: list[ArticlePlan]) -> None:
    """Number the articles sharing a page, from 1 (an article alone on its page keeps 0)."""
    pages: dict[tuple[date | None, int | None], list[ArticlePlan]] = defaultdict(list)
    for plan in printed:
        pages[(plan.edition_day, plan.page)].append(plan)
    for group in pages.values():
        if len(group) > 1:
            group.sort(key=_page_order)
            for position, plan in enumerate(group, start=1):
                plan.print_position = position


def place_in_print(
    plans: list[ArticlePlan],
    editions: Mapping[date, EditionPlan],
    sections: Mapping[str, SectionSpec],
    rng: Random,
) -> None:
    """Print about 60 % of the published articles in the edition of their day.

    Front-page articles go on page 1, editorials on their page; the others are drawn at random
    and land on a page of their primary section.
    """
    daily = [plan for plan in plans if _in_daily(plan)]
    eligible = [plan for plan in daily if plan.language == "fr" and plan.day in editions]
    forced = [p for p in eligible if FRONT in p.sections or p.genre is Genre.EDITORIAL]
    rest = [plan for plan in eligible if plan not in forced]
    rng.shuffle(rest)
    target = round(sum(plan.visible for plan in plans) * _PRINT_SHARE)
    printed = forced + rest[: max(0, target - len(forced))]
    for plan in printed:
        plan.edition_day = plan.day
        if FRONT in plan.sections:
            plan.page = 1
        else:
            spec = sections[plan.sections[0]]
            plan.page = rng.randint(spec.first_page, spec.last_page)
    _order_pages(printed)


def place_in_supplements(
    plans: list[ArticlePlan], supplements: Mapping[str, SupplementPlan]
) -> None:
    """Lay each supplement's articles out over its pages, after the cover."""
    groups: dict[str, list[ArticlePlan]] = defaultdict(list)
    for plan in plans:
        if plan.supplement is not None:
            groups[plan.supplement].append(plan)
    for slug, group in groups.items():
        page_count = supplements[slug].page_count
        step = max(1, (page_count - 2) // len(group))
        for index, plan in enumerate(group):
            plan.page = min(page_count, 2 + index * step)


def blank_some_excerpts(plans: list[ArticlePlan], rng: Random) -> None:
    """Leave about 10 % of the articles without a chapô, so readers fall back on the body."""
    candidates = [
        plan
        for plan in plans
        if plan.visible
        and plan.language == "fr"
        and plan.genre is not Genre.EDITORIAL
        and plan.slug != ANATOMY_SLUG
    ]
    for plan in rng.sample(candidates, round(len(plans) * _EXCERPTLESS_SHARE)):
        plan.excerpt = ""


def count_views(plans: list[ArticlePlan], today: date, rng: Random) -> None:
    """Long-tailed audience figures: most articles are read little, a few a lot."""
    for plan in plans:
        if not plan.visible or plan.day is None:
            continue
        age = (today - plan.day).days
        views = _VIEW_BASE * rng.paretovariate(_VIEW_TAIL) * (1 + age * _VIEW_AGE_BONUS)
        if FRONT in plan.sections:
            views *= _VIEW_FRONT_BONUS
        plan.view_count = min(_VIEW_CAP, int(views))
