"""The fortnight's print editions, the supplements and the authors' records."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

from gqlnews.demo.content import (
    AUTHORS,
    EMAIL_DOMAIN,
    FIRST_EDITION_NUMBER,
    MEDIA_BASE,
    NEWSPAPER,
    SUPPLEMENTS,
)
from gqlnews.demo.dates import DAYS, french_date
from gqlnews.demo.images import author_portrait, edition_cover, supplement_cover
from gqlnews.demo.plan import AuthorPlan, EditionPlan, SupplementPlan

_FRIDAY = 4
_DAYS_WITHOUT_PDF = 3
"""The most recent editions are not yet archived as PDF."""


def plan_editions(today: date, rng: Random) -> tuple[EditionPlan, ...]:
    """One edition a day for :data:`DAYS` days ending ``today``, numbered consecutively."""
    editions = []
    for index in range(DAYS):
        day = today - timedelta(days=DAYS - 1 - index)
        number = FIRST_EDITION_NUMBER + index
        archived = index < DAYS - _DAYS_WITHOUT_PDF
        editions.append(
            EditionPlan(
                number=number,
                day=day,
                title=f"{NEWSPAPER} n° {number} du {french_date(day)}",
                page_count=32 if day.weekday() == _FRIDAY else 24,
                cover=edition_cover(number, day, rng),
                pdf_url=f"{MEDIA_BASE}/pdf/observateur-{number}.pdf" if archived else None,
            )
        )
    return tuple(editions)


def plan_supplements(today: date, rng: Random) -> tuple[SupplementPlan, ...]:
    """The special supplements, each shipped with the edition of its date."""
    return tuple(
        SupplementPlan(
            slug=spec.slug,
            title=spec.title,
            description=spec.description,
            day=today - timedelta(days=spec.days_ago),
            section=spec.section,
            page_count=spec.page_count,
            cover=supplement_cover(spec.slug, spec.cover_caption, rng),
        )
        for spec in SUPPLEMENTS
    )


def plan_authors() -> tuple[AuthorPlan, ...]:
    """The newsroom's authors with their (private) email and byline portrait."""
    return tuple(
        AuthorPlan(
            spec=spec,
            email=f"{spec.slug.replace('-', '.')}@{EMAIL_DOMAIN}",
            avatar=author_portrait(spec.slug, spec.name),
        )
        for spec in AUTHORS
    )
