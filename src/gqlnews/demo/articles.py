"""Stories and editorials turned into article plans: texts, slugs, bylines, tags, sections, days."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

from gqlnews.demo.bodies import compose_body, paragraphs_html, vocabulary
from gqlnews.demo.content import ARABIC_DESK, AUTHORS, COLUMNIST, EDITORIALISTS
from gqlnews.demo.editorials import EDITORIALS
from gqlnews.demo.plan import ArticlePlan
from gqlnews.demo.slugs import SlugRegistry
from gqlnews.demo.specs import EditorialSpec, Piece, Story, Visibility
from gqlnews.demo.stories_africa import AFRICA_STORIES
from gqlnews.demo.stories_culture import CULTURE_STORIES
from gqlnews.demo.stories_economy import ECONOMY_STORIES
from gqlnews.demo.stories_europe import EUROPE_STORIES
from gqlnews.demo.stories_politics import POLITICS_STORIES
from gqlnews.demo.stories_regions import REGION_STORIES
from gqlnews.demo.stories_society import SOCIETY_STORIES
from gqlnews.demo.stories_sport import SPORT_STORIES
from gqlnews.demo.stories_supplements import SUPPLEMENT_STORIES
from gqlnews.demo.stories_world import WORLD_STORIES
from gqlnews.models import Genre

STORIES: tuple[Story, ...] = (
    *WORLD_STORIES,
    *AFRICA_STORIES,
    *EUROPE_STORIES,
    *POLITICS_STORIES,
    *ECONOMY_STORIES,
    *SOCIETY_STORIES,
    *REGION_STORIES,
    *CULTURE_STORIES,
    *SPORT_STORIES,
    *SUPPLEMENT_STORIES,
)

_AUTHOR_NAMES = {author.slug: author.name for author in AUTHORS}
_DATELINED = frozenset({Genre.NEWS, Genre.BRIEF, Genre.REPORT, Genre.INTERVIEW})
_COLUMNS = frozenset({Genre.CHRONICLE, Genre.OPINION})
_OPTIONAL_TAG_ODDS = 0.6


def pinned_slugs(visibility: Visibility | None = None) -> tuple[str, ...]:
    """Slugs fixed in the material, optionally only those of pieces with ``visibility``."""
    return tuple(
        piece.slug
        for story in STORIES
        for piece in story.pieces
        if piece.slug is not None and visibility in (None, piece.visibility)
    )


def _day(story: Story, piece: Piece, today: date) -> date | None:
    """Publication date: published pieces spread evenly from ``first_day`` to ``last_day``."""
    if piece.visibility is Visibility.DRAFT:
        return None
    if piece.visibility is Visibility.EMBARGOED:
        return today
    if piece.visibility in (Visibility.SCHEDULED, Visibility.FUTURE):
        return today + timedelta(days=1)
    dated = [p for p in story.pieces if p.visibility is Visibility.PUBLISHED]
    index, span = dated.index(piece), story.first_day - story.last_day
    days_ago = story.first_day - (round(index * span / (len(dated) - 1)) if len(dated) > 1 else 0)
    return today - timedelta(days=days_ago)


def _byline(story: Story, piece: Piece, position: int) -> list[str]:
    if piece.genre in _COLUMNS:
        return [COLUMNIST]
    if piece.language == "ar":
        return [ARABIC_DESK, story.authors[0]]
    lead = story.authors[position % len(story.authors)]
    if piece.genre is Genre.REPORT and len(story.authors) > 1:
        return [lead, *(slug for slug in story.authors if slug != lead)]
    return [lead]


def _tags(story: Story, rng: Random) -> list[str]:
    """The story's two main tags, then a random share of the others."""
    optional = [tag for tag in story.tags[2:] if rng.random() < _OPTIONAL_TAG_ODDS]
    return [*story.tags[:2], *optional]


def _sections(story: Story, piece: Piece) -> list[str]:
    found = [piece.section or story.section]
    found += [slug for slug in piece.extra_sections if slug not in found]
    return found


def _plan(
    story: Story,
    piece: Piece,
    day: date | None,
    today: date,
    authors: list[str],
    slugs: SlugRegistry,
    rng: Random,
) -> ArticlePlan:
    if piece.body:
        body = paragraphs_html(piece.body)
    else:
        body = compose_body(piece.genre, story, vocabulary(story, day or today), rng)
    subtitle = ""
    if piece.genre is Genre.INTERVIEW:
        subtitle = f"Propos recueillis par {_AUTHOR_NAMES[authors[0]]}"
    dateline = piece.dateline or (story.place if piece.genre in _DATELINED else "")
    return ArticlePlan(
        slug=piece.slug or slugs.claim(piece.title),
        title=piece.title,
        excerpt=piece.chapo,
        body_html=body,
        genre=piece.genre,
        language=piece.language,
        visibility=piece.visibility,
        story=story.key,
        day=day,
        sections=_sections(story, piece),
        authors=authors,
        tags=_tags(story, rng),
        subtitle=subtitle,
        dateline=dateline,
        scene=piece.scene or rng.choice(story.scenes),
        pinned_credit=piece.credit,
        lead="une" in piece.extra_sections,
        supplement=story.supplement,
    )


def _editorial(
    spec: EditorialSpec, story: Story, today: date, slugs: SlugRegistry, rng: Random
) -> ArticlePlan:
    piece = Piece(Genre.EDITORIAL, spec.title, spec.chapo, section="edito")
    author = EDITORIALISTS[spec.days_ago % len(EDITORIALISTS)]
    day = today - timedelta(days=spec.days_ago)
    plan = _plan(story, piece, day, today, [author], slugs, rng)
    plan.tags = list(story.tags[:2])
    return plan


def plan_articles(today: date, rng: Random) -> list[ArticlePlan]:
    """Every article of the demo, stories first, then the daily editorials."""
    slugs = SlugRegistry(reserved=pinned_slugs())
    plans: list[ArticlePlan] = []
    for story in STORIES:
        for position, piece in enumerate(story.pieces):
            day = _day(story, piece, today)
            authors = _byline(story, piece, position)
            plans.append(_plan(story, piece, day, today, authors, slugs, rng))
    by_key = {story.key: story for story in STORIES}
    for spec in EDITORIALS:
        plans.append(_editorial(spec, by_key[spec.story], today, slugs, rng))
    return plans
