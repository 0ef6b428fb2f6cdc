"""The sections an article's links bring are answered by the section loader without SQL."""

from __future__ import annotations

from datetime import UTC, datetime

from gqlnews.demo import DemoSummary
from gqlnews.graphql.loaders import Loaders
from gqlnews.models import Article, ArticleSection, Section
from gqlnews.testing import count_queries
from gqlnews.visibility import ANONYMOUS


async def test_linked_sections_are_not_read_again(demo: DemoSummary) -> None:
    article = await Article.filter(status="published").order_by("id").first()
    assert article is not None
    linked = [
        int(pk)
        for pk in await ArticleSection.filter(article_id=article.pk)
        .order_by("position")
        .values_list("section_id", flat=True)
    ]
    other = await Section.exclude(id__in=linked).order_by("id").first()
    assert linked and other is not None
    request = Loaders(ANONYMOUS, datetime.now(UTC))
    groups = await request.sections_of_article.load_many([article.pk])
    assert [s.pk for s in groups[0]] == linked
    with count_queries() as log:
        seen = await request.section.load_many(linked)
    assert log.count == 0 and seen == groups[0]
    with count_queries() as log:
        rows = await request.section.load_many([*linked, other.pk, 10**6])
    assert log.count == 1 and str(other.pk) in str(log.values[0])
    assert all(str(pk) not in map(str, log.values[0]) for pk in linked)
    assert rows[: len(linked)] == groups[0] and rows[-1] is None
    assert rows[len(linked)] is not None and rows[len(linked)].slug == other.slug


async def test_a_section_linked_to_several_articles_is_one_row(demo: DemoSummary) -> None:
    """The rows of one link statement give a section once, however many articles link to it
    (a plan then makes one object of it)."""
    links = (
        await ArticleSection.all()
        .order_by("section_id", "article_id")
        .values_list("section_id", "article_id")
    )
    by_section: dict[int, list[int]] = {}
    for section_id, article_id in links:
        by_section.setdefault(int(section_id), []).append(int(article_id))
    shared, articles = next((s, a) for s, a in by_section.items() if len(a) >= 3)
    request = Loaders(ANONYMOUS, datetime.now(UTC))
    with count_queries() as log:
        groups = await request.sections_of_article.load_many(articles)
    assert log.count == 1
    found = [next(s for s in group if s.pk == shared) for group in groups]
    assert all(row is found[0] for row in found)
    section = await Section.get(id=shared)
    assert (found[0].slug, found[0].name, found[0].position) == (
        section.slug,
        section.name,
        section.position,
    )
    others = {id(s) for group in groups for s in group if s.pk != shared}
    assert len(others) == len({s.pk for group in groups for s in group if s.pk != shared})
