"""Photos: article images, edition and supplement covers, author portraits."""

from __future__ import annotations

from datetime import date, datetime
from random import Random

from gqlnews.demo.content import AGENCY_CREDITS, MEDIA_BASE, NEWSPAPER, PHOTOGRAPHERS
from gqlnews.demo.dates import MONTHS, french_date, weekday
from gqlnews.demo.plan import ArticlePlan, ImagePlan
from gqlnews.models import Genre

_LANDSCAPES = ((1600, 1067), (1200, 800), (2048, 1365), (1600, 900))
_PORTRAIT = (1080, 1350)
_PAGE = (1240, 1754)
_AVATAR = (400, 400)
_BRIEF_WITHOUT_IMAGE_ODDS = 0.2
_HOUSE_PHOTO_ODDS = 0.45


def house_credit(photographer: str) -> str:
    """« Photo: Karim Alaoui / L'Observateur »."""
    return f"Photo: {photographer} / L'Observateur"


def _credit(rng: Random) -> str:
    if rng.random() < _HOUSE_PHOTO_ODDS:
        return house_credit(rng.choice(PHOTOGRAPHERS))
    return rng.choice(AGENCY_CREDITS)


def _day_month(day: date) -> str:
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]}"


def article_image(plan: ArticlePlan, now: datetime, rng: Random) -> ImagePlan | None:
    """The main photo of ``plan``; editorials and some briefs go without."""
    if plan.genre is Genre.EDITORIAL:
        return None
    if plan.genre is Genre.BRIEF and rng.random() < _BRIEF_WITHOUT_IMAGE_ODDS:
        return None
    day = plan.day or now.date()
    width, height = _PORTRAIT if plan.genre is Genre.PORTRAIT else rng.choice(_LANDSCAPES)
    credit = _credit(rng)
    if plan.language != "fr":
        caption = plan.scene
    elif plan.visible and plan.day is not None:
        caption = f"{plan.scene}, le {_day_month(plan.day)}."
    else:
        caption = f"{plan.scene}."
    return ImagePlan(
        url=f"{MEDIA_BASE}/{day:%Y/%m}/{plan.slug}.jpg",
        credit=plan.pinned_credit or credit,
        caption=caption,
        alt=plan.scene,
        width=width,
        height=height,
        language=None if plan.language == "fr" else plan.language,
    )


def edition_cover(number: int, day: date, rng: Random) -> ImagePlan:
    """The photographed front page of edition ``number``."""
    width, height = _PAGE
    return ImagePlan(
        url=f"{MEDIA_BASE}/editions/{number}/une.jpg",
        credit=house_credit(rng.choice(PHOTOGRAPHERS)),
        caption=f"La une du n° {number}, {weekday(day)} {french_date(day)}.",
        alt=f"Première page de {NEWSPAPER} du {french_date(day)}",
        width=width,
        height=height,
    )


def supplement_cover(slug: str, caption: str, rng: Random) -> ImagePlan:
    """The cover photo of a supplement."""
    width, height = _PAGE
    return ImagePlan(
        url=f"{MEDIA_BASE}/supplements/{slug}/couverture.jpg",
        credit=house_credit(rng.choice(PHOTOGRAPHERS)),
        caption=f"{caption}.",
        alt=caption,
        width=width,
        height=height,
    )


def author_portrait(slug: str, name: str) -> ImagePlan:
    """An author's byline portrait."""
    width, height = _AVATAR
    return ImagePlan(
        url=f"{MEDIA_BASE}/auteurs/{slug}.jpg",
        credit=house_credit(PHOTOGRAPHERS[-1]),
        caption=name,
        alt=f"Portrait de {name}",
        width=width,
        height=height,
    )
