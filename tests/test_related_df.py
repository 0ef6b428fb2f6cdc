"""The related plugin's stored document frequencies (``related_text_term``): kept equal to a
count of the postings by every write of the index, noticed as stale when articles are deleted
behind the indexer's back, and read by a lookup instead of counting postings per term."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pytest

from gqlnews.models import Article, ArticleStatus
from gqlnews.testing import count_queries
from gqlnews_related.models import TextDocument, TextPosting, TextTerm
from gqlnews_related.text_index import (
    INDEXED,
    frequencies,
    frequencies_current,
    index_now,
    index_stale,
    posting_frequencies,
    stored_frequencies,
)
from gqlnews_related.text_similarity import TextSimilarity
from tests.plugins import related_before

TEXTS = [
    ("Libye : l'OTAN et Tripoli signent un accord", "<p>À Tripoli, la Libye et l'OTAN.</p>"),
    ("Ornithorynque : un animal étonnant", "<p>L'ornithorynque pond des œufs à Tripoli.</p>"),
]


async def _counted_from_postings() -> dict[str, int]:
    counted = Counter(await TextPosting.all().values_list("term", flat=True))
    return {INDEXED: await TextDocument.all().count(), **counted}


async def _stored() -> dict[str, int]:
    return dict(await TextTerm.all().values_list("term", "articles"))


async def _assert_table_is_the_index() -> None:
    assert await frequencies_current()
    assert await _stored() == await _counted_from_postings()


async def _catch_up() -> None:
    """What other tests left: index it (a round also recounts a stale table)."""
    while await index_stale():
        pass


async def _new_article(slug: str, title: str, body: str) -> Article:
    section = await Article.all().order_by("id").values_list("primary_section_id", flat=True)
    return await Article.create(
        slug=slug,
        title=title,
        body_html=body,
        status=ArticleStatus.DRAFT,
        primary_section_id=section[0],
    )


async def test_the_table_is_a_count_of_the_postings_through_index_edit_delete_rebuild(
    demo: object,
) -> None:
    await _catch_up()
    await _assert_table_is_the_index()

    created = [await _new_article(f"df-{n}", *text) for n, text in enumerate(TEXTS)]
    assert await index_now([a.pk for a in created]) == 2
    await _assert_table_is_the_index()
    assert await TextTerm.get_or_none(term="ornithorynque") is not None

    created[0].title = "Ornithorynque et Libye : un autre titre"
    await created[0].save()
    assert await index_now([created[0].pk]) == 1
    await _assert_table_is_the_index()

    # Deleted behind the indexer's back (the postings cascade): the table is seen as stale,
    # frequencies are counted from the postings meanwhile, the next round recounts.
    await created[1].delete()
    assert not await frequencies_current()
    terms = await TextPosting.filter(article_id=created[0].pk).values_list("term", flat=True)
    assert (await stored_frequencies(terms))[0] is None
    assert (await frequencies(terms))[0] == await posting_frequencies(terms)
    assert await index_stale() == 0  # nothing to index, so nothing purged: answers unchanged
    await _assert_table_is_the_index()

    # An index written before the table existed (an upgrade): the same.
    await TextTerm.all().delete()
    assert (await stored_frequencies(terms))[0] is None
    await index_stale()
    await _assert_table_is_the_index()

    # A full rebuild (what `gqlnews related index --rebuild` runs) recounts.
    await created[0].delete()
    await TextDocument.all().delete()
    assert await index_stale() == await Article.all().count()
    await _assert_table_is_the_index()


async def test_a_lookup_reads_its_terms_frequencies_not_a_count_of_all_their_postings(
    demo: object,
) -> None:
    await _catch_up()
    await _assert_table_is_the_index()
    articles = await Article.all().order_by("id").limit(20)
    strategy = TextSimilarity()
    with count_queries() as log:
        answer = await strategy.related(articles, 4)
    assert sum(1 for scored in answer.values() if scored) >= 10, answer
    sql = [s.upper() for s in log.statements]
    # one statement: own terms, their stored frequencies, the indexed article count (kept:
    # gqlnews_related.tallies), the useful terms' postings; no count of postings or documents
    assert len(sql) == 1, log.statements
    assert "GROUP BY" not in sql[0], sql
    assert 'FROM "RELATED_TALLY"' in sql[0], sql
    assert "COUNT(" not in sql[0], sql
    assert "RELATED_TEXT_TERM" in sql[0], sql


async def test_stored_and_counted_frequencies_give_the_same_answers(
    demo: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same suggestions, scores and reasons from the table, from the postings counted
    when the table is stale, and from the frequencies the lookup used to count per request."""
    await _catch_up()
    articles = await Article.all().order_by("id").limit(30)
    strategy = TextSimilarity()
    from_table = await strategy.related(articles, 4)
    assert any(from_table.values())

    await TextTerm.filter(term=INDEXED).update(articles=-1)  # stale, as after a deletion
    try:
        with count_queries() as log:
            from_postings = await strategy.related(articles, 4)
        assert len(log.statements) == 1, log.statements  # no more statements when stale
    finally:
        await index_stale()  # recounts
    await _assert_table_is_the_index()

    async def counted(wanted: Iterable[str]) -> tuple[dict[str, int], int]:
        return await posting_frequencies(wanted), await TextDocument.all().count()

    # The lookup written with query sets, counting postings per request as it once did.
    monkeypatch.setattr(related_before, "stored_frequencies", counted)
    as_before = await related_before.TextBefore().related(articles, 4)
    assert from_table == from_postings == as_before
