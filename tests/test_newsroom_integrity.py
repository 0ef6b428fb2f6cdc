# ruff: noqa: E501  (the bad-input tables read best one case per line)
"""Nothing lost: optimistic concurrency, bad input refused with typed errors and nothing
written, and transactions that leave no partial article."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import httpx
import orjson
import pytest

from gqlnews.models import (
    Article,
    ArticleAuthor,
    ArticleRevision,
    ArticleSection,
    ArticleTag,
    PublishEvent,
    UserRole,
)
from gqlnews.newsroom import revisions
from tests.account_factories import staff_token
from tests.test_newsroom_workflow import CREATE, UPDATE, call, move, ok

TABLES = (Article, ArticleSection, ArticleAuthor, ArticleTag, ArticleRevision, PublishEvent)


async def fingerprint() -> str:
    """A hash of every row the write side can touch."""
    digest = hashlib.sha256()
    for model in TABLES:
        rows = await model.all().order_by("id").values()
        digest.update(orjson.dumps(rows, default=str, option=orjson.OPT_SORT_KEYS))
    return digest.hexdigest()


async def test_fifty_concurrent_updates_either_win_or_conflict(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    article = await ok(
        client, editor, CREATE, {"input": {"title": "Concurrence", "primarySection": "monde"}}
    )

    async def writer(n: int) -> tuple[int, dict[str, Any]]:
        """Read the version, then write: a reader-writer as a real editor's screen is."""
        read = await call(
            client,
            editor,
            "query($s: String!) { article(slug: $s) { version } }",
            {"s": article["slug"]},
        )
        version = read["data"]["article"]["version"]
        body = await call(
            client,
            editor,
            UPDATE,
            {"id": article["id"], "v": version, "input": {"subtitle": f"écrit par {n}"}},
        )
        return n, body["data"]["articleUpdate"]

    results = await asyncio.gather(*(writer(n) for n in range(50)))
    won = [(n, p["article"]) for n, p in results if p["article"] is not None]
    lost = [p["errors"] for _, p in results if p["article"] is None]
    assert won, "at least one update succeeds"
    assert len(won) + len(lost) == 50
    assert all([e["code"] for e in errors] == ["CONFLICT"] for errors in lost), lost
    last = max(won, key=lambda item: item[1]["version"])
    row = await Article.get(slug=article["slug"])
    assert row.version == 1 + len(won)
    assert row.subtitle == f"écrit par {last[0]}"
    assert sorted(a["version"] for _, a in won) == list(range(2, 2 + len(won)))
    assert await ArticleRevision.filter(article_id=row.pk).count() == 1 + len(won)


async def test_a_stale_version_overwrites_nothing(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    article = await ok(
        client, editor, CREATE, {"input": {"title": "Version", "primarySection": "monde"}}
    )
    await ok(client, editor, UPDATE, {"id": article["id"], "v": 1, "input": {"title": "Deux"}})
    before = await fingerprint()
    stale = await call(
        client, editor, UPDATE, {"id": article["id"], "v": 1, "input": {"title": "Écrasé ?"}}
    )
    errors = stale["data"]["articleUpdate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("version", "CONFLICT")]
    assert "version 2" in errors[0]["message"]
    assert await fingerprint() == before


LONG = "x" * 301
BAD_CREATES = [
    ({"title": "", "primarySection": "monde"}, "title", "REQUIRED"),
    ({"title": "   ", "primarySection": "monde"}, "title", "REQUIRED"),
    ({"title": LONG, "primarySection": "monde"}, "title", "TOO_LONG"),
    ({"title": "ok", "primarySection": "nulle-part"}, "primarySection", "NOT_FOUND"),
    ({"title": "ok", "primarySection": "monde", "sections": ["inconnue"]}, "sections", "NOT_FOUND"),
    ({"title": "ok", "primarySection": "monde", "authors": ["personne"]}, "authors", "NOT_FOUND"),
    ({"title": "ok", "primarySection": "monde", "tags": ["rien"]}, "tags", "NOT_FOUND"),
    ({"title": "ok", "primarySection": "monde", "tags": [f"t{i}" for i in range(31)]}, "tags", "TOO_LONG"),
    ({"title": "ok", "primarySection": "monde", "slug": "Pas Un Slug"}, "slug", "INVALID"),
    ({"title": "ok", "primarySection": "monde", "slug": "la-libye-et-l-otan-renouent-le-dialogue"}, "slug", "DUPLICATE"),
    ({"title": "ok", "primarySection": "monde", "language": "français"}, "language", "INVALID"),
    ({"title": "ok", "primarySection": "monde", "subtitle": "s" * 1001}, "subtitle", "TOO_LONG"),
    ({"title": "ok", "primarySection": "monde", "excerpt": "e" * 2001}, "excerpt", "TOO_LONG"),
    ({"title": "ok", "primarySection": "monde", "dateline": "d" * 201}, "dateline", "TOO_LONG"),
    ({"title": "ok", "primarySection": "monde", "body": "<p>" + "é" * 600_000 + "</p>"}, "body", "TOO_LARGE"),
]  # fmt: skip


@pytest.mark.parametrize(("input", "field", "code"), BAD_CREATES)
async def test_bad_input_to_article_create(
    client: httpx.AsyncClient, input: dict[str, Any], field: str, code: str
) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    before = await fingerprint()
    body = await call(client, editor, CREATE, {"input": input})
    payload = body["data"]["articleCreate"]
    assert payload["article"] is None
    assert (field, code) in [(e["field"], e["code"]) for e in payload["errors"]], payload
    assert all(e["message"] for e in payload["errors"])
    assert await fingerprint() == before


BAD_CALLS = [
    ("articleUpdate", UPDATE, {"v": 1, "input": {"title": ""}}, "title", "REQUIRED"),
    ("articleUpdate", UPDATE, {"v": 9, "input": {"title": "x"}}, "version", "CONFLICT"),
    ("articleUpdate", UPDATE, {"v": 1, "input": {"primarySection": "x"}}, "primarySection", "NOT_FOUND"),
    ("articleUpdate", UPDATE, {"v": 1, "input": {"imageId": "SW1hZ2U6OTk5OTk5"}}, "imageId", "NOT_FOUND"),
    ("articleSubmit", move("articleSubmit"), {"v": 7}, "version", "CONFLICT"),
    ("articleSchedule", move("articleSchedule", "$at: DateTime!"), {"v": 1, "at": "2030-01-01T00:00:00Z"}, None, "INVALID_TRANSITION"),
    ("articleSetEmbargo", move("articleSetEmbargo", "$until: DateTime"), {"v": 1, "until": "2001-01-01T00:00:00Z"}, "until", "NOT_IN_FUTURE"),
    ("articleRestoreRevision", move("articleRestoreRevision", "$revision: Int!"), {"v": 1, "revision": 42}, "revision", "NOT_FOUND"),
    ("articlePublish", move("articlePublish"), {"v": 1}, None, "INVALID_TRANSITION"),
    ("articleDelete", move("articleDelete"), {"v": 3}, "version", "CONFLICT"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "query", "variables", "field", "code"), BAD_CALLS)
async def test_bad_input_to_each_article_mutation(
    client: httpx.AsyncClient,
    name: str,
    query: str,
    variables: dict[str, Any],
    field: str | None,
    code: str,
) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    article = await ok(
        client, editor, CREATE, {"input": {"title": "Cible", "primarySection": "monde"}}
    )
    before = await fingerprint()
    body = await call(client, editor, query, {"id": article["id"], **variables})
    payload = body["data"][name]
    assert payload["article"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)], payload
    assert await fingerprint() == before


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"id": "not-an-id", "v": 1, "input": {}}, "BAD_USER_INPUT"),
        ({"id": "U2VjdGlvbjox", "v": 1, "input": {}}, "BAD_USER_INPUT"),  # a Section's ID
        ({"id": "QXJ0aWNsZTo5OTk5OTk5", "v": 1, "input": {}}, None),  # no such article
        ({"id": "QXJ0aWNsZTox", "v": "un", "input": {}}, "BAD_USER_INPUT"),
    ],
)
async def test_malformed_arguments(
    client: httpx.AsyncClient, variables: dict[str, Any], code: str | None
) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    before = await fingerprint()
    body = await call(client, editor, UPDATE, variables)
    if code is None:
        assert body["data"]["articleUpdate"]["errors"][0]["code"] == "NOT_FOUND"
    else:
        assert body["errors"][0]["extensions"]["code"] == code, body
    assert await fingerprint() == before


async def test_a_failure_part_way_leaves_no_partial_article(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    before = await fingerprint()

    async def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(revisions, "record", broken)
    body = await call(
        client,
        editor,
        CREATE,
        {"input": {"title": "À moitié", "primarySection": "monde", "sections": ["une"]}},
    )
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "disk" not in str(body)
    assert await fingerprint() == before  # no article, no section link, no revision
