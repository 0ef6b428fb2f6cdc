"""Work out the whole demo newsroom for a given ``now``, deterministically, without a database."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from random import Random

from gqlnews.demo.articles import plan_articles
from gqlnews.demo.content import SECTIONS, TAGS
from gqlnews.demo.dates import as_utc
from gqlnews.demo.editions import plan_authors, plan_editions, plan_supplements
from gqlnews.demo.images import article_image
from gqlnews.demo.placement import (
    FRONT,
    blank_some_excerpts,
    choose_front_page,
    count_views,
    place_in_print,
    place_in_supplements,
)
from gqlnews.demo.plan import NewsroomPlan
from gqlnews.demo.schedule import assign_times

SEED = 6214
"""Seed of the one random generator the plan draws from (never the global one)."""


def _check(plan: NewsroomPlan) -> None:
    """Fail loudly if the hand-written material breaks an invariant the API relies on."""
    slugs = Counter(article.slug for article in plan.articles)
    repeated = [slug for slug, count in slugs.items() if count > 1]
    if repeated:
        raise ValueError(f"demo slugs used twice: {repeated}")
    times = [a.published_at for a in plan.articles if a.published_at is not None]
    if len(times) != len(set(times)):
        raise ValueError("demo publication times are not distinct")
    known = {section.slug for section in plan.sections}
    for article in plan.articles:
        if article.sections[0] == FRONT or not set(article.sections) <= known:
            raise ValueError(f"bad sections for {article.slug}: {article.sections}")
        if article.visible and (article.published_at is None or article.published_at > plan.now):
            raise ValueError(f"visible article {article.slug} is not yet published")


def plan_newsroom(now: datetime) -> NewsroomPlan:
    """The complete demo newsroom as of ``now`` (timezone-aware; days are UTC days)."""
    now = as_utc(now)
    rng = Random(SEED)
    today = now.date()
    editions = plan_editions(today, rng)
    supplements = plan_supplements(today, rng)
    articles = plan_articles(today, rng)
    assign_times(articles, now, rng)
    for article in articles:
        article.image = article_image(article, now, rng)
    choose_front_page(articles, rng)
    place_in_print(
        articles,
        {edition.day: edition for edition in editions},
        {section.slug: section for section in SECTIONS},
        rng,
    )
    place_in_supplements(articles, {supplement.slug: supplement for supplement in supplements})
    blank_some_excerpts(articles, rng)
    count_views(articles, today, rng)
    plan = NewsroomPlan(
        now=now,
        sections=SECTIONS,
        authors=plan_authors(),
        tags=TAGS,
        editions=editions,
        supplements=supplements,
        articles=tuple(articles),
    )
    _check(plan)
    return plan
