"""The response cache in one process (the embedded default: no Redis): hits cost no SQL, and
every write that changes what a reader may see purges the answers that showed it, at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest_asyncio
from starlette.applications import Starlette

from gqlnews.cache.service import ResponseCache
from gqlnews.demo import DemoSummary
from gqlnews.models import ArticleStatus, UserRole
from gqlnews.newsroom.publishing import Publisher
from gqlnews.newsroom.scheduler import run_once
from gqlnews.settings import Settings
from gqlnews.testing import count_queries
from tests.account_factories import post, staff_token
from tests.cache_helpers import act, cached, cached_app, client_of, get, gid
from tests.factories import Tag, make_article, make_section, unique

FRONT = """query Front($section: String!) {
  articles(first: 5) { nodes { slug title } }
  section(slug: $section) { name articles(first: 10) { totalCount nodes { slug title } } }
}"""
ARTICLE = "query Page($slug: String!) { article(slug: $slug) { slug title } }"
TAG = "query TagPage($tag: String!) { tag(slug: $tag) { articles(first: 10) { nodes { slug } } } }"
SEARCH = "query Find($q: String!) { search(query: $q) { nodes { slug } } }"
MOVE = """mutation($id: ID!, $v: Int!) { %s(id: $id, version: $v) {
  article { version } errors { code message } } }"""
UPDATE = """mutation($id: ID!, $v: Int!, $title: String!) {
  articleUpdate(id: $id, version: $v, input: {title: $title}) {
    article { version } errors { code message } } }"""


@pytest_asyncio.fixture
async def app(settings: Settings, demo: DemoSummary) -> AsyncIterator[Starlette]:
    """An app with the cache on and started (as its lifespan does), stopped at the end."""
    app = cached_app(settings)
    yield app
    await app.state.cache.stop()


@pytest_asyncio.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app) as http:
        yield http


@pytest_asyncio.fixture
async def editor() -> str:
    _user, token = await staff_token(UserRole.EDITOR)
    return token


def slugs(data: dict[str, Any]) -> set[str]:
    """Every article slug in an answer."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("slug"), str) and "title" in value:
                found.add(value["slug"])
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(data)
    return found


async def test_a_hit_is_the_same_bytes_and_costs_no_sql(client: httpx.AsyncClient) -> None:
    section = await make_section()
    article = await make_article(section=section)
    first = await get(client, FRONT, section=section.slug)
    with count_queries() as queries:
        second = await get(client, FRONT, section=section.slug)
    assert queries.count == 0, queries.statements
    assert second.content == first.content
    assert article.slug in slugs(second.json())
    assert second.headers["etag"] == first.headers["etag"]
    keys = second.headers["surrogate-key"].split()
    assert f"Article:{article.pk}" in keys and f"Section:slug:{section.slug}" in keys
    assert second.headers["cache-tag"] == ",".join(keys)


async def test_post_and_get_share_an_answer_and_variables_are_canonical(
    client: httpx.AsyncClient,
) -> None:
    section = await make_section()
    await make_article(section=section)
    await post(client, FRONT, {"section": section.slug})
    with count_queries() as queries:
        again = await post(client, FRONT, {"section": section.slug})
    assert queries.count == 0 and "errors" not in again.json()


async def test_unpublishing_purges_every_answer_that_showed_it_at_once(
    client: httpx.AsyncClient, editor: str
) -> None:
    tag = await Tag.create(slug=unique("t-tag"), name="Cache")
    section = await make_section()
    word = unique("zorglub").replace("-", "")
    article = await make_article(section=section, tags=(tag,), title=f"Titre {word}")
    pages = [
        (FRONT, {"section": section.slug}),
        (ARTICLE, {"slug": article.slug}),
        (TAG, {"tag": tag.slug}),
        (SEARCH, {"q": word}),
    ]
    for query, variables in pages:
        assert article.slug in str((await get(client, query, **variables)).json())
    await act(client, editor, MOVE % "articleUnpublish", id=gid(article), v=article.version)
    for query, variables in pages:
        assert article.slug not in str((await get(client, query, **variables)).json())


async def test_a_new_publication_shows_in_cached_lists_and_in_a_null_lookup(
    client: httpx.AsyncClient, editor: str
) -> None:
    section = await make_section()
    draft = await make_article(section=section, status=ArticleStatus.REVIEW, published_at=None)
    before_front = await get(client, FRONT, section=section.slug)
    before_page = await get(client, ARTICLE, slug=draft.slug)
    assert draft.slug not in slugs(before_front.json())
    assert before_page.json()["data"]["article"] is None
    await act(client, editor, MOVE % "articlePublish", id=gid(draft), v=draft.version)
    assert draft.slug in slugs((await get(client, FRONT, section=section.slug)).json())
    page = await get(client, ARTICLE, slug=draft.slug)
    assert page.json()["data"]["article"]["slug"] == draft.slug


async def test_a_correction_shows(client: httpx.AsyncClient, editor: str) -> None:
    section = await make_section()
    article = await make_article(section=section)
    await get(client, ARTICLE, slug=article.slug)
    await get(client, FRONT, section=section.slug)
    await act(client, editor, UPDATE, id=gid(article), v=article.version, title="Rectificatif")
    page = await get(client, ARTICLE, slug=article.slug)
    assert page.json()["data"]["article"]["title"] == "Rectificatif"
    front = (await get(client, FRONT, section=section.slug)).json()
    assert "Rectificatif" in str(front["data"]["section"])


async def test_answers_about_other_articles_stay(client: httpx.AsyncClient, editor: str) -> None:
    section, elsewhere = await make_section(), await make_section()
    changed = await make_article(section=section)
    kept = await make_article(section=elsewhere)
    await get(client, ARTICLE, slug=kept.slug)
    await get(client, FRONT, section=elsewhere.slug)
    await act(client, editor, UPDATE, id=gid(changed), v=changed.version, title="Autre titre")
    assert await cached(client, ARTICLE, slug=kept.slug), "an answer about another article went"


async def test_an_embargo_lifting_and_a_scheduled_publication_show_up(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    section = await make_section()
    soon = datetime.now(UTC) + timedelta(seconds=1.5)
    embargoed = await make_article(section=section, embargo_until=soon)
    scheduled = await make_article(
        section=section, status=ArticleStatus.SCHEDULED, published_at=soon
    )
    front = await get(client, FRONT, section=section.slug)
    assert not {embargoed.slug, scheduled.slug} & slugs(front.json())
    await asyncio.sleep(max(0.0, (soon - datetime.now(UTC)).total_seconds()) + 0.1)
    # The embargo lifted by itself: the cached answer did not outlive that instant.
    assert embargoed.slug in slugs((await get(client, FRONT, section=section.slug)).json())
    # The scheduler's round publishes the scheduled one, and its event purges.
    await run_once(Publisher(app.state.plugins))
    shown = slugs((await get(client, FRONT, section=section.slug)).json())
    assert {embargoed.slug, scheduled.slug} <= shown


async def test_staff_and_readers_never_share_an_answer(
    client: httpx.AsyncClient, editor: str
) -> None:
    section = await make_section()
    draft = await make_article(section=section, status=ArticleStatus.DRAFT, published_at=None)
    query = "query($s: String!) { article(slug: $s) { slug status } }"
    reader = await get(client, query, s=draft.slug)
    assert reader.json()["data"]["article"] is None
    staff = await client.get(
        "/graphql",
        params={"query": query, "variables": f'{{"s": "{draft.slug}"}}'},
        headers={"Authorization": f"Bearer {editor}"},
    )
    assert staff.json()["data"]["article"]["status"] == "DRAFT"
    assert "surrogate-key" not in staff.headers
    assert (await get(client, query, s=draft.slug)).json()["data"]["article"] is None


async def test_mutations_and_errors_are_never_stored(client: httpx.AsyncClient) -> None:
    cache: ResponseCache = client._transport.app.state.cache  # type: ignore[attr-defined]
    held = len(cache.local)
    bad = await client.get("/graphql", params={"query": "{ article(slug: 1) { slug } }"})
    assert bad.status_code == 200 and "errors" in bad.json()
    section = await make_section()
    article = await make_article(section=section)
    view = "mutation($id: ID!) { recordView(articleId: $id) { __typename } }"
    assert "errors" not in (await post(client, view, {"id": gid(article)})).json()
    assert len(cache.local) == held


async def test_a_slug_first_seen_missing_gets_its_article_once_created_public(
    client: httpx.AsyncClient, editor: str
) -> None:
    section = await make_section()
    slug = unique("t-article")
    assert (await get(client, ARTICLE, slug=slug)).json()["data"]["article"] is None
    article = await make_article(
        section=section, slug=slug, status=ArticleStatus.REVIEW, published_at=None
    )
    await act(client, editor, MOVE % "articlePublish", id=gid(article), v=article.version)
    assert (await get(client, ARTICLE, slug=slug)).json()["data"]["article"]["slug"] == slug


async def test_debug_says_hit_or_miss_and_lists_the_keys(
    settings: Settings, demo: DemoSummary
) -> None:
    app = cached_app(settings, debug=True)
    try:
        async with client_of(app) as http:
            section = await make_section()
            first = (await get(http, FRONT, section=section.slug)).json()
            second = (await get(http, FRONT, section=section.slug)).json()
    finally:
        await app.state.cache.stop()
    assert first["extensions"]["cache"]["hit"] is False
    assert second["extensions"]["cache"] == {
        **first["extensions"]["cache"],
        "hit": True,
        "tier": "local",
    }
    assert f"Section:slug:{section.slug}" in second["extensions"]["cache"]["keys"]
    assert first["data"] == second["data"]


async def test_a_revalidation_of_a_cached_answer_is_a_304_without_sql(
    client: httpx.AsyncClient,
) -> None:
    section = await make_section()
    await make_article(section=section)
    first = await get(client, FRONT, section=section.slug)
    import orjson

    params = {"query": FRONT, "variables": orjson.dumps({"section": section.slug}).decode()}
    with count_queries() as queries:
        again = await client.get(
            "/graphql", params=params, headers={"If-None-Match": first.headers["etag"]}
        )
    assert again.status_code == 304 and again.content == b""
    assert queries.count == 0
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["surrogate-key"] == first.headers["surrogate-key"]


async def test_a_publication_purges_exactly_the_answers_that_depend_on_it(
    client: httpx.AsyncClient, app: Starlette, editor: str
) -> None:
    mine, other = await make_section(), await make_section()
    pages = [await make_article(section=other) for _ in range(20)]
    pages += [await make_article(section=mine) for _ in range(3)]
    draft = await make_article(section=mine, status=ArticleStatus.REVIEW, published_at=None)
    latest = "query Latest { articles(first: 5) { nodes { slug title } } }"
    section = "query Sec($s: String!) { section(slug: $s) { articles { nodes { slug title } } } }"
    await get(client, latest)
    for slug in (mine.slug, other.slug):
        await get(client, section, s=slug)
    for article in [*pages, draft]:
        await get(client, ARTICLE, slug=article.slug)
    cache: ResponseCache = app.state.cache
    held, purged = len(cache.local), cache.local.counts.purged
    assert held >= 27
    await act(client, editor, MOVE % "articlePublish", id=gid(draft), v=draft.version)
    # The front list, the section's list and the draft's own (null) page; nothing else.
    assert cache.local.counts.purged - purged == 3
    assert len(cache.local) == held - 3
    assert await cached(client, section, s=other.slug)
    for article in pages:
        assert await cached(client, ARTICLE, slug=article.slug), "an answer that did not show it"


async def test_readers_arriving_together_on_a_miss_run_the_query_once(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    section = await make_section()
    for _ in range(3):
        await make_article(section=section)
    cache: ResponseCache = app.state.cache
    with count_queries() as together:
        answers = await asyncio.gather(
            *(get(client, FRONT, section=section.slug) for _ in range(8))
        )
    assert len({answer.content for answer in answers}) == 1
    await cache.on_purge(frozenset({"*"}))
    with count_queries() as alone:
        await get(client, FRONT, section=section.slug)
    assert together.count == alone.count > 0, (together.count, alone.count)
