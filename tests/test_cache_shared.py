"""The Redis tier against a real Redis: entries by key, purges by surrogate key, and the epoch
that keeps an answer computed before a purge from being stored after it."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest_asyncio
import redis.asyncio as redis

from gqlnews.cache.entry import Entry
from gqlnews.cache.shared import SharedTier

REDIS_URL = os.environ.get("GQLNEWS_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest_asyncio.fixture
async def tier() -> AsyncIterator[SharedTier]:
    """A tier in a namespace of its own, deleted at the end."""
    client = redis.from_url(REDIS_URL)
    shared = SharedTier(client, f"test-{uuid.uuid4().hex}")
    try:
        yield shared
    finally:
        async for name in client.scan_iter(match=shared.entry.removesuffix("e:") + "*"):
            await client.delete(name)
        await client.aclose()


def entry(*keys: str) -> Entry:
    return Entry(b'{"data":{}}', '"etag"', tuple(sorted(keys)), 2.0e9)


async def test_stored_entries_come_back_and_purges_drop_only_theirs(tier: SharedTier) -> None:
    epoch, missing = await tier.get("front")
    assert missing is None
    assert await tier.put("front", entry("Article:list", "Article:1"), epoch, 60_000)
    assert await tier.put("page", entry("Article:2"), epoch, 60_000)
    assert (await tier.get("front"))[1] == entry("Article:list", "Article:1")
    assert await tier.purge({"Article:1", "Tag:3"}) == 1
    assert (await tier.get("front"))[1] is None
    assert (await tier.get("page"))[1] is not None
    ttl = await tier.client.pttl(tier.entry + "page")
    assert 0 < ttl <= 60_000


async def test_an_answer_computed_before_a_purge_is_not_stored_after_it(tier: SharedTier) -> None:
    epoch, _ = await tier.get("page")  # a miss starts computing
    await tier.purge({"Article:9"})  # a write commits and purges meanwhile
    assert not await tier.put("page", entry("Article:9"), epoch, 60_000)
    assert (await tier.get("page"))[1] is None
    fresh, _ = await tier.get("page")
    assert await tier.put("page", entry("Article:9"), fresh, 60_000)


async def test_purging_everything_empties_the_namespace_only(tier: SharedTier) -> None:
    other = SharedTier(tier.client, f"test-{uuid.uuid4().hex}")
    try:
        epoch, _ = await tier.get("a")
        await tier.put("a", entry("k"), epoch, 60_000)
        other_epoch, _ = await other.get("a")
        await other.put("a", entry("k"), other_epoch, 60_000)
        assert await tier.purge({"*"}) == 1
        assert (await tier.get("a"))[1] is None
        assert (await other.get("a"))[1] is not None, "another database's answers stay"
    finally:
        await other.purge({"*"})
        await tier.client.delete(other.epoch)
