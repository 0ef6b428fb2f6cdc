"""Write the planned demo newsroom into the database, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pluggy
from tortoise.transactions import in_transaction

from gqlnews.demo.dates import as_utc
from gqlnews.demo.plan import ArticlePlan, ImagePlan, NewsroomPlan
from gqlnews.demo.planner import plan_newsroom
from gqlnews.demo.specs import Visibility
from gqlnews.models import (
    Article,
    ArticleAuthor,
    ArticleSection,
    ArticleTag,
    Author,
    Edition,
    Image,
    Section,
    Supplement,
    Tag,
)
from gqlnews.plugins.calls import call_each

_BATCH = 100


class DemoAlreadyLoaded(RuntimeError):
    """The database already holds content; the demo only loads into an empty newsroom."""


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """How many rows of each kind :func:`load_demo` created."""

    sections: int
    authors: int
    tags: int
    images: int
    editions: int
    supplements: int
    articles: int
    drafts: int
    scheduled: int
    embargoed: int
    future_published: int
    """Status ``published`` with a publication time still to come."""


def summarise(plan: NewsroomPlan) -> DemoSummary:
    """The counts of ``plan``."""

    def count(visibility: Visibility) -> int:
        return sum(article.visibility is visibility for article in plan.articles)

    return DemoSummary(
        sections=len(plan.sections),
        authors=len(plan.authors),
        tags=len(plan.tags),
        images=len(plan.images()),
        editions=len(plan.editions),
        supplements=len(plan.supplements),
        articles=len(plan.articles),
        drafts=count(Visibility.DRAFT),
        scheduled=count(Visibility.SCHEDULED),
        embargoed=count(Visibility.EMBARGOED),
        future_published=count(Visibility.FUTURE),
    )


async def _refuse_if_loaded(plan: NewsroomPlan) -> None:
    articles = await Article.all().count()
    if articles:
        raise DemoAlreadyLoaded(
            f"the database already holds {articles} articles; "
            "the demo newsroom only loads into an empty one"
        )
    clashes = {
        "sections": await Section.filter(slug__in=[s.slug for s in plan.sections]).count(),
        "authors": await Author.filter(slug__in=[a.spec.slug for a in plan.authors]).count(),
        "tags": await Tag.filter(slug__in=[t.slug for t in plan.tags]).count(),
        "editions": await Edition.filter(number__in=[e.number for e in plan.editions]).count()
        + await Edition.filter(date__in=[e.day for e in plan.editions]).count(),
        "supplements": await Supplement.filter(slug__in=[s.slug for s in plan.supplements]).count(),
    }
    found = [kind for kind, count in clashes.items() if count]
    if found:
        raise DemoAlreadyLoaded(
            f"the database already holds demo {', '.join(found)}; "
            "the demo newsroom only loads into an empty one"
        )


async def _write_images(images: list[ImagePlan]) -> dict[str, int]:
    """Insert ``images``; their ids by URL (the demo's URLs are unique)."""
    last = await Image.all().order_by("-id").first()
    floor = last.id if last is not None else 0
    await Image.bulk_create(
        [
            Image(
                url=i.url,
                credit=i.credit,
                caption=i.caption,
                alt=i.alt,
                width=i.width,
                height=i.height,
                language=i.language,
            )
            for i in images
        ],
        batch_size=_BATCH,
    )
    rows = await Image.filter(id__gt=floor).values_list("id", "url")
    return {url: image_id for image_id, url in rows}


async def _write_sections(plan: NewsroomPlan) -> dict[str, int]:
    ids: dict[str, int] = {}
    for spec in sorted(plan.sections, key=lambda s: s.parent is not None):
        section = await Section.create(
            slug=spec.slug,
            name=spec.name,
            description=spec.description,
            position=spec.position,
            parent_id=ids[spec.parent] if spec.parent else None,
        )
        ids[spec.slug] = section.id
    return ids


async def _write_people_and_tags(
    plan: NewsroomPlan, images: dict[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    await Author.bulk_create(
        [
            Author(
                slug=a.spec.slug,
                name=a.spec.name,
                bio=a.spec.bio,
                role=a.spec.role,
                email=a.email,
                avatar_id=images[a.avatar.url],
            )
            for a in plan.authors
        ]
    )
    await Tag.bulk_create([Tag(slug=t.slug, name=t.name, kind=t.kind) for t in plan.tags])
    authors = await Author.filter(slug__in=[a.spec.slug for a in plan.authors])
    tags = await Tag.filter(slug__in=[t.slug for t in plan.tags])
    return {a.slug: a.id for a in authors}, {t.slug: t.id for t in tags}


async def _write_print(
    plan: NewsroomPlan, images: dict[str, int], sections: dict[str, int]
) -> tuple[dict[date, int], dict[str, int]]:
    """Editions (ids by date) and supplements (ids by slug)."""
    await Edition.bulk_create(
        [
            Edition(
                number=e.number,
                date=e.day,
                title=e.title,
                page_count=e.page_count,
                cover_id=images[e.cover.url],
                pdf_url=e.pdf_url,
            )
            for e in plan.editions
        ]
    )
    editions = {
        e.date: e.id for e in await Edition.filter(number__in=[e.number for e in plan.editions])
    }
    await Supplement.bulk_create(
        [
            Supplement(
                slug=s.slug,
                title=s.title,
                description=s.description,
                date=s.day,
                cover_id=images[s.cover.url],
                edition_id=editions.get(s.day),
                section_id=sections[s.section],
                page_count=s.page_count,
            )
            for s in plan.supplements
        ]
    )
    supplements = await Supplement.filter(slug__in=[s.slug for s in plan.supplements])
    return editions, {s.slug: s.id for s in supplements}


def _article(
    plan: ArticlePlan,
    images: dict[str, int],
    sections: dict[str, int],
    editions: dict[date, int],
    supplements: dict[str, int],
) -> Article:
    article = Article(
        slug=plan.slug,
        title=plan.title,
        subtitle=plan.subtitle,
        excerpt=plan.excerpt,
        body_html=plan.body_html,
        dateline=plan.dateline,
        genre=plan.genre,
        language=plan.language,
        status=plan.status,
        created_at=plan.created_at,
        published_at=plan.published_at,
        embargo_until=plan.embargo_until,
        primary_section_id=sections[plan.sections[0]],
        image_id=images[plan.image.url] if plan.image is not None else None,
        edition_id=editions[plan.edition_day] if plan.edition_day is not None else None,
        supplement_id=supplements[plan.supplement] if plan.supplement is not None else None,
        page=plan.page,
        print_position=plan.print_position,
        view_count=plan.view_count,
    )
    article.refresh_derived_text()
    return article


async def _write_articles(
    plan: NewsroomPlan,
    images: dict[str, int],
    sections: dict[str, int],
    people: tuple[dict[str, int], dict[str, int]],
    placements: tuple[dict[date, int], dict[str, int]],
) -> None:
    editions, supplements = placements
    await Article.bulk_create(
        [_article(a, images, sections, editions, supplements) for a in plan.articles],
        batch_size=_BATCH,
    )
    rows = await Article.filter(slug__in=[a.slug for a in plan.articles]).values_list("id", "slug")
    ids = {slug: article_id for article_id, slug in rows}
    authors, tags = people
    await ArticleSection.bulk_create(
        [
            ArticleSection(article_id=ids[a.slug], section_id=sections[slug], position=n)
            for a in plan.articles
            for n, slug in enumerate(a.sections)
        ],
        batch_size=_BATCH * 2,
    )
    await ArticleAuthor.bulk_create(
        [
            ArticleAuthor(article_id=ids[a.slug], author_id=authors[slug], position=n)
            for a in plan.articles
            for n, slug in enumerate(a.authors)
        ],
        batch_size=_BATCH * 2,
    )
    await ArticleTag.bulk_create(
        [
            ArticleTag(article_id=ids[a.slug], tag_id=tags[slug], position=n)
            for a in plan.articles
            for n, slug in enumerate(a.tags)
        ],
        batch_size=_BATCH * 2,
    )


async def load_demo(
    now: datetime | None = None, plugins: pluggy.PluginManager | None = None
) -> DemoSummary:
    """Fill an empty database with the demo newsroom of « L'Observateur du Matin ».

    Fourteen daily editions ending on ``now``'s date (default: the current time; it must be
    timezone-aware), three supplements and about 150 articles, a few of them invisible to
    readers (drafts, scheduled, embargoed). Tortoise must be initialised with the schema
    created. The result depends only on ``now``. Everything is written in one transaction.

    Raises :class:`DemoAlreadyLoaded` if the database already holds articles or any of the
    demo's sections, authors, tags, editions or supplements. Then the ``plugins`` are told
    (``gqlnews_demo_loaded``) so they add their demo data.
    """
    moment = as_utc(now)
    plan = plan_newsroom(moment)
    async with in_transaction():
        await _refuse_if_loaded(plan)
        images = await _write_images(plan.images())
        sections = await _write_sections(plan)
        people = await _write_people_and_tags(plan, images)
        placements = await _write_print(plan, images, sections)
        await _write_articles(plan, images, sections, people, placements)
    if plugins is not None:
        await call_each(plugins, "gqlnews_demo_loaded", now=moment)
    return summarise(plan)
