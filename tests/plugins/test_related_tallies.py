"""The kept counts of the related plugin (``gqlnews_related.tallies``): exact after every way
of writing the tables (the models, several rows in one statement, cascades, rolled-back
transactions, PostgreSQL's TRUNCATE), folded without changing a sum, counted again on
demand, read by the lookups, never a lock that writers wait on, and removed with their
migration."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.migrations.executor import MigrationTarget
from tortoise.transactions import in_transaction

from gqlnews.db import connection, connection_dialect
from gqlnews.demo import ANATOMY_SLUG
from gqlnews.migrate import _executor
from gqlnews.models import Article, ArticleStatus, Section
from gqlnews_related import plugin, tallies
from gqlnews_related.commands import _index
from gqlnews_related.models import Tally, TextDocument
from gqlnews_related.text_index import index_stale
from tests.factories import make_article, make_section, unique
from tests.helpers import installed_model_apps, migrated_database, postgres_only


async def _both() -> dict[str, int]:
    return {name: await tallies.read(name) for name in (tallies.ARTICLES, tallies.DOCUMENTS)}


async def _counted() -> dict[str, int]:
    return {
        tallies.ARTICLES: await Article.all().count(),
        tallies.DOCUMENTS: await TextDocument.all().count(),
    }


async def _draft(section: Section, transaction: BaseDBAsyncClient) -> Article:
    """A draft created in ``transaction``."""
    return await Article.create(
        slug=unique("t-draft"),
        title="Titre",
        status=ArticleStatus.DRAFT,
        primary_section=section,
        using_db=transaction,
    )


@pytest.fixture
async def indexed(demo: object) -> AsyncIterator[None]:
    while await index_stale():
        pass
    yield


async def test_the_counts_are_the_tables_after_writes_of_every_kind(indexed: None) -> None:
    assert await _both() == await _counted()
    section = await make_section()
    one = await make_article(section=section)
    await index_stale()
    assert await _both() == await _counted()

    # Several rows in one statement each way (copies of the demo's first three articles);
    # the index's rows go by cascade.
    conn = connection()
    table = Article._meta.db_table
    columns = [
        c for c in Article._meta.fields_db_projection.values() if c not in ("id", "slug", "uri")
    ]
    listed = ", ".join(f'"{c}"' for c in columns)
    first = await Article.all().order_by("id").limit(3).values_list("id", flat=True)
    await conn.execute_script(
        f'INSERT INTO "{table}" (slug, {listed}) '
        f"SELECT slug || '-t-tally', {listed} FROM \"{table}\" "
        f"WHERE id IN ({', '.join(map(str, first))})"
    )
    assert await _both() == await _counted()
    await index_stale()
    await conn.execute_script(f"DELETE FROM \"{table}\" WHERE slug LIKE '%-t-tally'")
    await one.delete()
    assert await _both() == await _counted()


async def test_a_rolled_back_write_leaves_the_counts_as_they_were(indexed: None) -> None:
    before = await _both()
    section = await make_section()
    with pytest.raises(RuntimeError):
        async with in_transaction() as transaction:
            await _draft(section, transaction)
            raise RuntimeError("changed my mind")
    assert await _both() == before == await _counted()


async def test_folding_keeps_the_sums_in_one_row_each(indexed: None, dialect: str) -> None:
    section = await make_section()
    for _ in range(3):
        await make_article(section=section)
    rows = await Tally.filter(name=tallies.ARTICLES).count()
    before = await _both()
    gone = await tallies.fold()
    assert await _both() == before == await _counted()
    for name in (tallies.ARTICLES, tallies.DOCUMENTS):
        assert await Tally.filter(name=name).count() == 1
    if dialect == "postgres":
        assert rows >= 4  # one row per transaction that created an article, and the first
        assert gone >= rows
    else:
        assert (rows, gone) == (1, 0)  # SQLite updates its one row in place


async def test_recount_mends_a_count_the_triggers_missed(indexed: None) -> None:
    await Tally.create(name=tallies.ARTICLES, n=1000)  # as if rows were written untracked
    assert await tallies.read(tallies.ARTICLES) == await Article.all().count() + 1000
    assert await tallies.recount() == await _counted()
    assert await _both() == await _counted()

    # `gqlnews related index --rebuild` counts again too, and the index comes back whole.
    await Tally.create(name=tallies.DOCUMENTS, n=-7)
    assert await _index(rebuild=True) == await Article.all().count()
    assert await _both() == await _counted()


async def test_the_strategies_read_the_kept_counts(indexed: None) -> None:
    """The shared-tags weights and the text strategy's check follow the tallies: the text
    strategy finds its stored frequencies stale when the kept count of indexed articles is
    off, and the tags weigh differently with another article count."""
    strategies = {s.name: s for s in plugin.gqlnews_related_strategies()}
    anatomy = await Article.get(slug=ANATOMY_SLUG)
    before = {
        name: await strategies[name].related([anatomy], 4) for name in ("shared-tags", "text")
    }
    extra = [
        await Tally.create(name=tallies.ARTICLES, n=5000),
        await Tally.create(name=tallies.DOCUMENTS, n=-1),
    ]
    try:
        tags = await strategies["shared-tags"].related([anatomy], 4)
        text = await strategies["text"].related([anatomy], 4)
    finally:
        for row in extra:
            await row.delete()
    assert [s.article_id for s in tags[anatomy.pk]]
    assert [s.score for s in tags[anatomy.pk]] != [
        s.score for s in before["shared-tags"][anatomy.pk]
    ]
    assert text != before["text"]
    assert await _both() == await _counted()


@postgres_only
async def test_writers_do_not_wait_for_each_other(indexed: None) -> None:
    """An article created while another transaction that created one is still open does not
    wait for it (a shared counter row would hold the second writer until the first ends;
    SQLite has one writer at a time anyway)."""
    section = await make_section()
    before = await _both()
    created, done = asyncio.Event(), asyncio.Event()

    async def first_writer() -> None:
        # Its own task: the transaction is not the test's, whose writes go to the pool.
        async with in_transaction() as transaction:
            await _draft(section, transaction)
            created.set()
            await done.wait()

    writer = asyncio.create_task(first_writer())
    try:
        await created.wait()
        second = await asyncio.wait_for(make_article(section=section), timeout=5)
    finally:
        done.set()
        await writer
    assert second.pk
    assert await _both() == {**before, tallies.ARTICLES: before[tallies.ARTICLES] + 2}


@postgres_only
async def test_a_transaction_keeps_one_row_however_many_statements(indexed: None) -> None:
    await tallies.fold()
    section = await make_section()
    async with in_transaction() as transaction:
        for _ in range(3):
            await _draft(section, transaction)
        await transaction.execute_script(
            f"DELETE FROM \"{Article._meta.db_table}\" WHERE slug = 'no-such-article'"
        )
    rows = await Tally.filter(name=tallies.ARTICLES).values_list("txid", "n")
    folded, written = sorted(rows, key=lambda row: row[0] is not None)  # two rows, no more
    assert folded == (None, await Article.all().count() - 3)
    assert written[0] is not None and written[1] == 3
    assert await _both() == await _counted()


@postgres_only
async def test_truncate_resets_the_count(indexed: None) -> None:
    with pytest.raises(RuntimeError):
        async with in_transaction() as transaction:
            await transaction.execute_script(f'TRUNCATE "{TextDocument._meta.db_table}"')
            _, rows = await transaction.execute_query(
                f"SELECT {tallies.counted(tallies.DOCUMENTS)}"
            )
            assert rows[0][0] == 0
            raise RuntimeError("keep the index")
    assert await _both() == await _counted()


def test_only_known_counts_are_read() -> None:
    with pytest.raises(ValueError, match="no kept count"):
        tallies.counted("article'; DROP TABLE article; --")


async def test_the_migration_goes_back_with_its_triggers_and_comes_again() -> None:
    apps = installed_model_apps()
    async with migrated_database():
        section = await make_section()
        await make_article(section=section)
        assert await _both() == {tallies.ARTICLES: 1, tallies.DOCUMENTS: 0}

        await _executor(None, apps).migrate([MigrationTarget("related", "0002_text_terms")])
        conn = connection()
        if connection_dialect(conn) == "postgres":
            _, rows = await conn.execute_query(
                "SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE 'related_tally_%'"
            )
        else:
            _, rows = await conn.execute_query(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'related_tally_%'"
            )
        assert rows[0][0] == 0
        await make_article(section=section)  # no trigger left pointing at a missing table

        await _executor(None, apps).migrate(None)
        assert await _both() == {tallies.ARTICLES: 2, tallies.DOCUMENTS: 0}
        await make_article(section=section)
        assert await tallies.read(tallies.ARTICLES) == 3
