"""The related strategies' lookups: one prebuilt statement per strategy (three for the
blend), for one article or a whole list, and the same answers as the lookups written with
query sets before (``related_before``), on every article of the demo, alone and together."""

from __future__ import annotations

import pytest
from tortoise.functions import Count

from gqlnews.demo import ANATOMY_SLUG
from gqlnews.models import Article, ArticleTag
from gqlnews.testing import count_queries
from gqlnews_related import plugin, shared_tags
from gqlnews_related.models import TextTerm
from gqlnews_related.text_index import INDEXED, index_stale
from tests.helpers import postgres_only
from tests.plugins.related_before import strategies_before
from tests.test_read_lanes import _lane, _pool_taken, _warm

STATEMENTS = {"blend": 3, "text": 1, "shared-tags": 1, "section-time": 1}


@pytest.mark.parametrize("name", sorted(STATEMENTS))
@pytest.mark.parametrize("how_many", [1, 20])
async def test_a_lookup_sends_one_statement_per_strategy(
    demo: object, name: str, how_many: int
) -> None:
    while await index_stale():
        pass
    strategy = {s.name: s for s in plugin.gqlnews_related_strategies()}[name]
    anatomy = await Article.get(slug=ANATOMY_SLUG)
    articles = [anatomy, *await Article.exclude(id=anatomy.pk).order_by("id").limit(how_many - 1)]
    with count_queries() as log:
        found = await strategy.related(articles, 4)
    assert found[anatomy.pk], found
    assert log.count == STATEMENTS[name], log.statements
    assert not [s for s in log.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]


@pytest.mark.parametrize("stale", [False, True])
async def test_the_same_answers_as_the_lookups_written_with_query_sets(
    demo: object, stale: bool
) -> None:
    """Suggestions, scores (unrounded), reasons and their order, ties included."""
    while await index_stale():
        pass
    if stale:  # the stored frequencies no longer the index's: postings counted instead
        await TextTerm.filter(term=INDEXED).update(articles=-1)
    articles = list(await Article.all().order_by("id"))
    batches = [[a] for a in articles] + [articles[i : i + 20] for i in range(0, len(articles), 20)]
    now = plugin.gqlnews_related_strategies()
    before = strategies_before()
    try:
        for strategy, old in zip(now, before, strict=True):
            assert strategy.name == old.name
            for batch in batches:
                expected = await old.related(batch, 4)
                assert await strategy.related(batch, 4) == expected, (strategy.name, batch)
    finally:
        await index_stale()  # recounts a stale table


@postgres_only
async def test_the_lookups_take_the_hosts_short_way_for_reads(
    demo: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL each lookup runs on an idle connection of the host's read lane, as the
    host's own reads do, not on a connection taken from the pool and given back (the host
    reads a statement's first word as is: a statement text starting with a newline went the
    long way)."""
    while await index_stale():
        pass
    await _warm(_lane().size)
    taken = _pool_taken(monkeypatch)
    anatomy = await Article.get(slug=ANATOMY_SLUG)
    for strategy in plugin.gqlnews_related_strategies():
        with count_queries() as log:
            found = await strategy.related([anatomy], 4)
        assert found[anatomy.pk], strategy.name
        assert log.count == STATEMENTS[strategy.name], log.statements
    assert taken == []


async def test_a_common_tag_is_counted_only_past_the_ceiling(demo: object) -> None:
    """A tag on more articles than the ceiling is counted up to a cap just past it (its
    count is only compared with the ceiling): the statement reads no more of a common tag's
    links than of a followed one's, and the suggestions are the same as before."""
    while await index_stale():
        pass
    tag_id, carried = (
        await ArticleTag.annotate(n=Count("id"))
        .group_by("tag_id")
        .order_by("-n")
        .first()
        .values_list("tag_id", "n")
    )
    total = await Article.all().count()
    ceiling = max(2, total * shared_tags.COMMON_TAG_SHARE)
    assert carried > ceiling + 4, "the demo should have a tag well past the ceiling"
    article = await Article.get(id=(await ArticleTag.filter(tag_id=tag_id).first()).article_id)
    rows = await shared_tags._LOOKUP.rows([article.pk], 2, shared_tags.COMMON_TAG_SHARE)
    [counted] = [n for kind, tag, n in rows if kind == shared_tags._FREQUENCY and tag == tag_id]
    assert ceiling < counted <= ceiling + 4
    assert not [row for row in rows if row[0] == shared_tags._LINK and row[2] == tag_id]
    before = {s.name: s for s in strategies_before()}["shared-tags"]
    assert await shared_tags.SharedTags().related([article], 4) == await before.related(
        [article], 4
    )
