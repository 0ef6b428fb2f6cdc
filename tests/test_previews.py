"""Draft preview links over HTTP: who may make and revoke them, what a token opens (one
article, through `article(...)`, nothing else), every way a token fails (one error code, never
the draft), and that preview answers are never cached."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest
import pytest_asyncio
from starlette.applications import Starlette

from gqlnews.demo import DemoSummary
from gqlnews.documents import document_hash
from gqlnews.ids import encode_id
from gqlnews.models import Article, ArticleStatus, Image, PreviewLink, Tag, User, UserRole
from gqlnews.previews import PREVIEW_TOKEN_INVALID
from gqlnews.server import create_app
from gqlnews.settings import Settings, SettingsError
from gqlnews.testing import count_queries
from tests import test_rate_limits as limits
from tests.account_factories import bearer, data_as, post, staff_token
from tests.cache_helpers import cached_app, client_of
from tests.factories import make_article, make_section, unique
from tests.helpers import run_gqlnews, scratch_database_url

HEADER = "Gqlnews-Preview-Token"
CREATE = """mutation($id: ID!, $s: Int) { articleCreatePreviewLink(id: $id, expiresIn: $s) {
  previewLink { token url expiresAt article { id slug } } errors { field code message } } }"""
REVOKE = """mutation($id: ID!) { articleRevokePreviewLinks(id: $id) {
  revoked errors { field code message } } }"""
BY_ID = "query($id: ID!) { article(id: $id) { title body status image { url } sections { slug } } }"
BY_SLUG = "query($slug: String!) { article(slug: $slug) { title } }"
DELETE = """mutation($id: ID!, $v: Int!) { articleDelete(id: $id, version: $v) {
  article { id } errors { code } } }"""
RESTORE = "mutation($id: ID!) { articleRestore(id: $id) { article { id } errors { code } } }"


def gid(article: Article) -> str:
    return encode_id("Article", article.pk)


async def draft_of(owner: User, **kw: Any) -> Article:
    """A draft created by ``owner``, with a picture (hidden from readers like the draft)."""
    image = await Image.create(url=f"https://img.example.org/{unique('p')}.jpg")
    word = "".join(chr(97 + int(c, 16)) for c in uuid.uuid4().hex[:12])  # letters: one word
    title = kw.pop("title", f"Brouillon secret ornithorynque {word}")
    return await make_article(
        section=await make_section(),
        status=kw.pop("status", ArticleStatus.DRAFT),
        created_by_id=owner.pk,
        image_id=image.pk,
        title=title,
        **kw,
    )


async def make_link(
    client: httpx.AsyncClient, token: str, article: Article, seconds: int | None = 3600
) -> dict[str, Any]:
    data = await data_as(client, token, CREATE, {"id": gid(article), "s": seconds})
    payload: dict[str, Any] = data["articleCreatePreviewLink"]
    assert payload["errors"] == [], payload
    return payload


async def preview(
    client: httpx.AsyncClient, token: str, query: str = BY_ID, **variables: Any
) -> httpx.Response:
    """An anonymous POST carrying ``token`` in the preview header."""
    return await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers={HEADER: token}
    )


def refused(response: httpx.Response) -> str:
    """The error of a refused preview: data null, one PREVIEW_TOKEN_INVALID; its message."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] == {"article": None}, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == PREVIEW_TOKEN_INVALID, error
    assert error["path"] == ["article"]
    message: str = error["message"]
    return message


@pytest_asyncio.fixture
async def author(demo: DemoSummary) -> tuple[User, str]:
    return await staff_token(UserRole.AUTHOR)


async def test_an_author_shares_a_draft_and_a_reader_with_the_token_sees_it(
    client: httpx.AsyncClient, author: tuple[User, str]
) -> None:
    user, token = author
    draft = await draft_of(user)
    before = datetime.now(UTC)
    link = await make_link(client, token, draft, seconds=3600)
    assert link["previewLink"]["article"] == {"id": gid(draft), "slug": draft.slug}
    assert link["previewLink"]["url"] is None  # no GQLNEWS_PREVIEW_URL_TEMPLATE
    expires = datetime.fromisoformat(link["previewLink"]["expiresAt"])
    assert before + timedelta(seconds=3590) < expires < before + timedelta(seconds=3610)
    shared = link["previewLink"]["token"]
    assert shared.startswith("gqnp_")

    # Only the hash is stored, with the article, its maker and the expiry.
    row = await PreviewLink.get(article_id=draft.pk)
    assert shared not in (row.token_hash,) and len(row.token_hash) == 64
    assert (row.created_by_id, row.revoked_at) == (user.pk, None)

    public = await post(client, BY_ID, {"id": gid(draft)})
    assert public.json() == {"data": {"article": None}}

    seen = await preview(client, shared, id=gid(draft))
    assert seen.status_code == 200, seen.text
    article = seen.json()["data"]["article"]
    assert article["title"] == draft.title
    assert article["status"] is None  # still an anonymous reader: no workflow details
    image = await Image.get(id=draft.image_id)
    assert article["image"] == {"url": image.url}  # the draft's own picture comes with it
    assert seen.headers["cache-control"] == "private, no-store"
    by_slug = await preview(client, shared, BY_SLUG, slug=draft.slug.upper())
    assert by_slug.json() == {"data": {"article": {"title": draft.title}}}


async def test_who_may_make_a_preview_link(
    client: httpx.AsyncClient, author: tuple[User, str]
) -> None:
    user, _token = author
    draft = await draft_of(user)
    published = await draft_of(user, status=ArticleStatus.PUBLISHED)
    _other, other_token = await staff_token(UserRole.AUTHOR)
    contributor, contributor_token = await staff_token(UserRole.CONTRIBUTOR)
    _editor, editor_token = await staff_token(UserRole.EDITOR)

    hidden = await data_as(client, other_token, CREATE, {"id": gid(draft)})
    assert hidden["articleCreatePreviewLink"] == {
        "previewLink": None,
        "errors": [{"field": "id", "code": "NOT_FOUND", "message": "no such article"}],
    }
    for who, article in ((other_token, published), (contributor_token, None)):
        if article is None:
            article = await draft_of(contributor)
        body = (await post(client, CREATE, {"id": gid(article)}, who)).json()
        assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN", "action": "article.preview"}
    anonymous = (await post(client, CREATE, {"id": gid(draft)})).json()
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    made = await make_link(client, editor_token, draft)  # editors: any article
    seen = await preview(client, made["previewLink"]["token"], id=gid(draft))
    assert seen.json()["data"]["article"]["title"] == draft.title
    assert await PreviewLink.filter(article_id=draft.pk).count() == 1
    assert await PreviewLink.filter(article_id=published.pk).count() == 0


async def test_expires_in_is_bounded_by_the_settings(
    client: httpx.AsyncClient, author: tuple[User, str], settings: Settings
) -> None:
    user, token = author
    draft = await draft_of(user)
    for seconds in (0, -5, settings.preview_max_ttl_seconds + 1):
        body = (await post(client, CREATE, {"id": gid(draft), "s": seconds}, token)).json()
        assert body["data"] is None
        assert body["errors"][0]["extensions"] == {
            "code": "BAD_USER_INPUT",
            "argument": "expiresIn",
        }, body
    assert await PreviewLink.filter(article_id=draft.pk).count() == 0
    before = datetime.now(UTC)
    default = await make_link(client, token, draft, seconds=None)
    expires = datetime.fromisoformat(default["previewLink"]["expiresAt"])
    wanted = before + timedelta(seconds=settings.preview_ttl_seconds)
    assert wanted - timedelta(seconds=10) < expires < wanted + timedelta(seconds=10)
    longest = await make_link(client, token, draft, seconds=settings.preview_max_ttl_seconds)
    assert longest["errors"] == []


async def test_every_bad_token_is_the_same_error_and_never_the_draft(
    client: httpx.AsyncClient, author: tuple[User, str]
) -> None:
    user, token = author
    _editor, editor_token = await staff_token(UserRole.EDITOR)
    draft, other = await draft_of(user), await draft_of(user)
    public = await draft_of(user, status=ArticleStatus.PUBLISHED)
    good = (await make_link(client, token, draft))["previewLink"]["token"]
    tampered = good[:-1] + ("A" if good[-1] != "A" else "B")
    messages = {
        "tampered": refused(await preview(client, tampered, id=gid(draft))),
        "malformed": refused(await preview(client, "not-a-token", id=gid(draft))),
        "blank": refused(await preview(client, "", id=gid(draft))),
        "other article": refused(await preview(client, good, id=gid(other))),
        "public article": refused(await preview(client, good, id=gid(public))),
        "other slug": refused(await preview(client, good, BY_SLUG, slug=other.slug)),
    }

    expired_token = (await make_link(client, token, other))["previewLink"]["token"]
    # The clock is the database's row: the link ran out a second ago (no sleeping).
    await PreviewLink.filter(article_id=other.pk).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    messages["expired"] = refused(await preview(client, expired_token, id=gid(other)))

    revoked = await data_as(client, token, REVOKE, {"id": gid(draft)})
    assert revoked["articleRevokePreviewLinks"] == {"revoked": 1, "errors": []}
    messages["revoked"] = refused(await preview(client, good, id=gid(draft)))
    again = await data_as(client, token, REVOKE, {"id": gid(draft)})
    assert again["articleRevokePreviewLinks"]["revoked"] == 0

    fresh = (await make_link(client, token, draft))["previewLink"]["token"]
    assert (await preview(client, fresh, id=gid(draft))).json()["data"]["article"]
    deleted = await data_as(client, editor_token, DELETE, {"id": gid(draft), "v": draft.version})
    assert deleted["articleDelete"]["errors"] == []
    messages["trashed"] = refused(await preview(client, fresh, id=gid(draft)))
    restored = await data_as(client, editor_token, RESTORE, {"id": gid(draft)})
    assert restored["articleRestore"]["errors"] == []
    messages["restored"] = refused(await preview(client, fresh, id=gid(draft)))  # revoked

    # Trashed by another path than articleDelete (its links not revoked): closed all the same.
    gone = await draft_of(user)
    gone_token = (await make_link(client, token, gone))["previewLink"]["token"]
    await Article.filter(id=gone.pk).update(deleted_at=datetime.now(UTC))
    messages["trashed behind its back"] = refused(await preview(client, gone_token, id=gid(gone)))

    assert len(set(messages.values())) == 1, messages  # no oracle: one message for all
    assert await PreviewLink.filter(article_id=draft.pk, revoked_at__isnull=True).count() == 0


async def test_a_token_opens_its_article_and_nothing_else(
    client: httpx.AsyncClient, author: tuple[User, str]
) -> None:
    user, token = author
    draft, sibling = await draft_of(user), await draft_of(user)
    shared = (await make_link(client, token, draft))["previewLink"]["token"]
    word = draft.title.split()[-1]
    section = (await draft.primary_section).slug
    queries = {
        "list": "query($s: String!) { articles(first: 100, filter: {sections: [$s]}) "
        "{ nodes { title } } }",
        "search": "query($w: String!) { search(query: $w) { nodes { title } } }",
        "node": "query($id: ID!) { node(id: $id) { ... on Article { title } } }",
        "nodes": "query($id: ID!) { nodes(ids: [$id]) { ... on Article { title } } }",
        "section": "query($s: String!) { section(slug: $s) { articles(first: 10) "
        "{ nodes { title } } } }",
    }
    values = {"s": section, "w": word, "id": gid(draft)}
    for name, query in queries.items():
        used = {key: value for key, value in values.items() if f"${key}" in query}
        response = await preview(client, shared, query, **used)
        assert response.status_code == 200, (name, response.text)
        assert "errors" not in response.json(), (name, response.text)
        assert draft.title not in response.text, name
        assert sibling.title not in response.text, name
    # The same queries as the draft's author do show it: the checks above could fail.
    staff = await data_as(client, token, queries["search"], {"w": word})
    assert draft.title in str(staff)
    mutation = await preview(client, shared, REVOKE, id=gid(draft))
    assert mutation.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await PreviewLink.filter(article_id=draft.pk, revoked_at__isnull=True).count() == 1
    # Its own article in the same request as the sibling: the draft, and a refusal.
    both = await preview(
        client,
        shared,
        "query($a: ID!, $b: ID!) { a: article(id: $a) { title } b: article(id: $b) { title } }",
        a=gid(draft),
        b=gid(sibling),
    )
    body = both.json()
    assert body["data"] == {"a": {"title": draft.title}, "b": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == [PREVIEW_TOKEN_INVALID]


async def test_a_preview_request_costs_a_bounded_number_of_statements(
    client: httpx.AsyncClient, author: tuple[User, str]
) -> None:
    user, token = author
    query = """query($id: ID!) { article(id: $id) { title image { url } sections { slug }
      authors { name } tags { name } primarySection { slug } } }"""
    counts = []
    for tags in (1, 6):
        made = [await Tag.create(slug=unique("t-tag"), name=unique("Tag")) for _ in range(tags)]
        draft = await draft_of(user, tags=tuple(made))
        shared = (await make_link(client, token, draft))["previewLink"]["token"]
        with count_queries() as sql:
            response = await preview(client, shared, query, id=gid(draft))
        assert response.json()["data"]["article"]["title"] == draft.title
        counts.append(sql.count)
    # The token with its article and picture (1), then sections, authors and tags (3; the
    # primary section comes with the sections): the same whatever the number of tags.
    assert counts == [4, 4], counts


async def test_apq_works_with_a_preview_token(
    client: httpx.AsyncClient, author: tuple[User, str]
) -> None:
    user, token = author
    draft = await draft_of(user)
    shared = (await make_link(client, token, draft))["previewLink"]["token"]
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(BY_SLUG)}}
    body = {"query": BY_SLUG, "variables": {"slug": draft.slug}, "extensions": extensions}
    first = await client.post("/graphql", json=body, headers={HEADER: shared})
    assert first.json() == {"data": {"article": {"title": draft.title}}}
    by_hash = {"variables": {"slug": draft.slug}, "extensions": extensions}
    second = await client.post("/graphql", json=by_hash, headers={HEADER: shared})
    assert second.json() == first.json()
    anonymous = await client.post("/graphql", json=by_hash)
    assert anonymous.json() == {"data": {"article": None}}


@pytest_asyncio.fixture
async def cached_client(
    settings: Settings, demo: DemoSummary
) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient]]:
    app = cached_app(settings)
    try:
        async with client_of(app) as http:
            yield app, http
    finally:
        await app.state.cache.stop()


async def test_preview_answers_are_never_cached(
    cached_client: tuple[Starlette, httpx.AsyncClient], author: tuple[User, str]
) -> None:
    app, client = cached_client
    user, token = author
    draft = await draft_of(user)
    data = await data_as(client, token, CREATE, {"id": gid(draft)})
    shared = data["articleCreatePreviewLink"]["previewLink"]["token"]
    params = {"query": BY_SLUG, "variables": orjson.dumps({"slug": draft.slug}).decode()}

    # A reader's GET first: cached, public, and null (a draft).
    public = await client.get("/graphql", params=params)
    assert public.json() == {"data": {"article": None}}
    assert public.headers["cache-control"].startswith("public")
    assert "Gqlnews-Preview-Token" in public.headers["vary"]
    stored = len(app.state.cache.local)
    assert stored >= 1

    for _ in range(2):  # the same GET with the token: the draft, fresh each time
        with count_queries() as sql:
            seen = await client.get("/graphql", params=params, headers={HEADER: shared})
        assert seen.json() == {"data": {"article": {"title": draft.title}}}
        assert sql.count >= 1  # not a cache hit
        assert seen.headers["cache-control"] == "private, no-store"
        assert "etag" not in seen.headers and "surrogate-key" not in seen.headers
    assert len(app.state.cache.local) == stored  # nothing stored for the preview
    conditional = await client.get(
        "/graphql", params=params, headers={HEADER: shared, "If-None-Match": "*"}
    )
    assert conditional.status_code == 200  # no 304 either
    again = await client.get("/graphql", params=params)  # readers still get null
    assert again.json() == {"data": {"article": None}}
    refused_get = await client.get("/graphql", params=params, headers={HEADER: "gqnp_x"})
    assert refused_get.headers["cache-control"] == "private, no-store"
    assert len(app.state.cache.local) == stored


async def test_the_url_comes_from_the_template(
    settings: Settings, author: tuple[User, str]
) -> None:
    template = "https://www.example.org/apercu/{slug}?article={id}&jeton={token}"
    app = create_app(dataclasses.replace(settings, preview_url_template=template))
    user, token = author
    draft = await draft_of(user, slug="l-ete-a-rabat")
    async with client_of(app) as client:
        response = await client.post(
            "/graphql",
            json={"query": CREATE, "variables": {"id": gid(draft)}},
            headers=bearer(token),
        )
    link = response.json()["data"]["articleCreatePreviewLink"]["previewLink"]
    quoted_id = gid(draft).replace("=", "%3D")
    assert link["url"] == (
        f"https://www.example.org/apercu/l-ete-a-rabat?article={quoted_id}&jeton={link['token']}"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"preview_ttl_seconds": 0}, "GQLNEWS_PREVIEW_TTL_SECONDS must be at least 1"),
        ({"preview_ttl_seconds": 100, "preview_max_ttl_seconds": 50}, "at most"),
        ({"preview_url_template": "/preview/{token}"}, "absolute"),
        ({"preview_url_template": "https://x.example/p/{slug}"}, "must contain {token}"),
        ({"preview_url_template": "https://x.example/{token}/{lang}"}, "not {lang}"),
        ({"preview_url_template": "https://x.example/{token"}, "not a valid template"),
    ],
)
def test_preview_settings_are_checked(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("{", r"\{").replace("}", r"\}")):
        Settings(**changes).validate()


async def _sql(url: str, statement: str) -> list[Any]:
    """Run one statement on the database at ``url`` (another process's), its rows."""
    if url.startswith("sqlite://"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite://")) as conn:
            return conn.execute(statement).fetchall()
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return list(await conn.fetch(statement))
    finally:
        await conn.close()


async def test_the_command_line_revokes_an_article_s_links() -> None:
    async with scratch_database_url() as url:
        loaded = run_gqlnews("--database-url", url, "demo")
        assert loaded.returncode == 0, loaded.stderr
        [(article_id, slug)] = await _sql(url, "SELECT id, slug FROM article WHERE id = 1")
        for n, expires in enumerate(("2999-01-01", "2999-01-01", "2000-01-01")):
            await _sql(
                url,
                "INSERT INTO preview_link (article_id, token_hash, created_at, expires_at) "
                f"VALUES ({article_id}, '{n:064d}', '2026-01-01', '{expires}')",
            )
        done = run_gqlnews("--database-url", url, "previews", "revoke", slug)
        assert done.returncode == 0, done.stderr
        # The expired one is revoked too: it is no longer live either way.
        assert done.stdout.strip() == f"revoked 3 preview links of {slug}"
        rows = await _sql(url, "SELECT COUNT(*) FROM preview_link WHERE revoked_at IS NULL")
        assert rows[0][0] == 0
        again = run_gqlnews("--database-url", url, "previews", "revoke", str(article_id))
        assert again.stdout.strip() == f"revoked 0 preview links of {slug}"
        unknown = run_gqlnews("--database-url", url, "previews", "revoke", "pas-un-article")
        assert unknown.returncode == 2
        assert "no article 'pas-un-article'" in unknown.stderr


async def test_preview_requests_count_against_the_client_ip_s_limit(
    client: httpx.AsyncClient, author: tuple[User, str]
) -> None:
    user, token = author
    draft = await draft_of(user)
    shared = (await make_link(client, token, draft))["previewLink"]["token"]
    app = limits.limited_app(limits.Clock(), rate_limit_per_minute=2)
    async with limits.client_of(app) as limited:
        for _ in range(2):
            seen = await preview(limited, shared, id=gid(draft))
            assert seen.json()["data"]["article"]["title"] == draft.title
        with count_queries() as sql:
            refused_request = await preview(limited, shared, id=gid(draft))
    limits.assert_limited(refused_request, 30)
    assert sql.count == 0  # refused before the token is looked up
