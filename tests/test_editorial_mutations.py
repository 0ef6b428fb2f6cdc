# ruff: noqa: E501  (the bad-input tables read best one case per line)
"""The editorial plugin's write API: ``editorialSetPicks``, ``editorialSetSlot`` and
``editorialClearSlot`` set what readers then see through ``editorial``; only editors and
admins may call them; bad input is a typed error with nothing written; a failing write leaves
nothing half done; and without the plugin the mutations are gone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette

from gqlnews.ids import encode_id
from gqlnews.models import Article, ArticleStatus, Section, UserRole
from gqlnews.server import create_app
from gqlnews.settings import Settings
from gqlnews.testing import count_queries
from gqlnews_editorial import service
from gqlnews_editorial.models import Pick, Slot
from tests.account_factories import data_as, post, staff_token
from tests.factories import make_article, make_section, now
from tests.helpers import TEST_DATABASE_URL, gql

SET_PICKS = """mutation($ids: [ID!]!, $starts: DateTime, $expires: DateTime) {
  editorialSetPicks(articleIds: $ids, startsAt: $starts, expiresAt: $expires) {
    picks { article { id slug status } startsAt expiresAt }
    errors { field code message }
  }
}"""
SET_SLOT = """mutation($name: String!, $id: ID!, $starts: DateTime, $expires: DateTime) {
  editorialSetSlot(name: $name, articleId: $id, startsAt: $starts, expiresAt: $expires) {
    slot { name article { slug } startsAt expiresAt }
    errors { field code message }
  }
}"""
CLEAR_SLOT = """mutation($name: String!) {
  editorialClearSlot(name: $name) { name errors { field code message } }
}"""
READ = """query($name: String!) {
  editorial { picks(first: 20) { slug } slot(name: $name) { slug } }
}"""


@dataclass
class Desk:
    """Articles to pick in a section of their own, and an editor's token."""

    section: Section
    a: Article
    b: Article
    c: Article
    draft: Article
    trashed: Article
    editor: str

    def id(self, article: Article) -> str:
        return encode_id("Article", article.pk)


@pytest_asyncio.fixture
async def desk(demo: object) -> AsyncIterator[Desk]:
    """Starts and ends with no picks and no slots, so other tests see the demo as it was."""
    await Pick.all().delete()
    await Slot.all().delete()
    section = await make_section()
    a, b, c = [await make_article(section=section) for _ in range(3)]
    draft = await make_article(section=section, status=ArticleStatus.DRAFT)
    trashed = await make_article(section=section, deleted_at=now())
    _, editor = await staff_token(UserRole.EDITOR)
    yield Desk(section, a, b, c, draft, trashed, editor)
    await Pick.all().delete()
    await Slot.all().delete()
    await Article.filter(id__in=[x.pk for x in (a, b, c, draft, trashed)]).delete()
    await section.delete()


async def rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every stored pick and slot, as they are in the database."""
    return (
        await Pick.all().order_by("id").values(),
        await Slot.all().order_by("id").values(),
    )


async def ok(client: httpx.AsyncClient, token: str, query: str, **variables: Any) -> Any:
    """The payload of a mutation that must succeed (no GraphQL error, empty ``errors``)."""
    data = await data_as(client, token, query, variables)
    [payload] = data.values()
    assert payload["errors"] == [], payload
    return payload


async def read(client: httpx.AsyncClient, slot: str = "une-principale") -> dict[str, Any]:
    """What an anonymous reader sees: the picks' slugs and the slot's article."""
    body = await gql(client, READ, {"name": slot})
    assert "errors" not in body, body
    editorial = body["data"]["editorial"]
    return {
        "picks": [p["slug"] for p in editorial["picks"]],
        "slot": editorial["slot"] and editorial["slot"]["slug"],
    }


def instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


@pytest.mark.parametrize("role", [UserRole.EDITOR, UserRole.ADMIN])
async def test_picks_and_slots_set_through_graphql_are_what_readers_see(
    client: httpx.AsyncClient, desk: Desk, role: UserRole
) -> None:
    _, token = await staff_token(role)
    until = now() + timedelta(hours=6)
    payload = await ok(
        client,
        token,
        SET_PICKS,
        ids=[desk.id(desk.c), desk.id(desk.a), desk.id(desk.b)],
        expires=until.isoformat(),
    )
    picks = payload["picks"]
    assert [p["article"]["slug"] for p in picks] == [desk.c.slug, desk.a.slug, desk.b.slug]
    assert picks[0]["article"]["id"] == desk.id(desk.c)
    assert all(p["startsAt"] is None and instant(p["expiresAt"]) == until for p in picks)

    payload = await ok(client, token, SET_SLOT, name="une-principale", id=desk.id(desk.b))
    assert payload["slot"] == {
        "name": "une-principale",
        "article": {"slug": desk.b.slug},
        "startsAt": None,
        "expiresAt": None,
    }
    assert await read(client) == {
        "picks": [desk.c.slug, desk.a.slug, desk.b.slug],
        "slot": desk.b.slug,
    }

    # a new list replaces the old one, order included; a slot is replaced too
    await ok(client, token, SET_PICKS, ids=[desk.id(desk.b), desk.id(desk.c)])
    await ok(client, token, SET_SLOT, name="une-principale", id=desk.id(desk.a))
    assert await read(client) == {"picks": [desk.b.slug, desk.c.slug], "slot": desk.a.slug}
    assert await Slot.filter(name="une-principale").count() == 1

    # an empty list clears the picks; clearing the slot empties it
    assert (await ok(client, token, SET_PICKS, ids=[]))["picks"] == []
    assert (await ok(client, token, CLEAR_SLOT, name="une-principale"))["name"] == "une-principale"
    assert await read(client) == {"picks": [], "slot": None}
    assert await rows() == ([], [])


async def test_drafts_and_later_windows_are_stored_but_readers_see_them_in_time(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    later = now() + timedelta(hours=1)
    payload = await ok(client, desk.editor, SET_PICKS, ids=[desk.id(desk.draft), desk.id(desk.a)])
    assert [(p["article"]["slug"], p["article"]["status"]) for p in payload["picks"]] == [
        (desk.draft.slug, "DRAFT"),
        (desk.a.slug, "PUBLISHED"),
    ]
    payload = await ok(
        client, desk.editor, SET_SLOT, name="une-principale", id=desk.id(desk.b),
        starts=later.isoformat(),
    )  # fmt: skip
    assert instant(payload["slot"]["startsAt"]) == later
    assert await read(client) == {"picks": [desk.a.slug], "slot": None}
    # the editor, who may see drafts, reads the draft pick too
    seen = await data_as(client, desk.editor, READ, {"name": "une-principale"})
    assert [p["slug"] for p in seen["editorial"]["picks"]] == [desk.draft.slug, desk.a.slug]


MUTATIONS = [
    ("editorialSetPicks", SET_PICKS, lambda d: {"ids": [d.id(d.a)]}),
    ("editorialSetSlot", SET_SLOT, lambda d: {"name": "une-principale", "id": d.id(d.a)}),
    ("editorialClearSlot", CLEAR_SLOT, lambda d: {"name": "une-secondaire"}),
]


@pytest.mark.parametrize(("mutation", "query", "variables"), MUTATIONS)
@pytest.mark.parametrize(
    ("role", "code"),
    [
        (None, "UNAUTHENTICATED"),
        (UserRole.AUTHOR, "FORBIDDEN"),
        (UserRole.CONTRIBUTOR, "FORBIDDEN"),
    ],
)
async def test_only_editors_and_admins_may_set_picks_and_slots(
    client: httpx.AsyncClient,
    desk: Desk,
    mutation: str,
    query: str,
    variables: Callable[[Desk], dict[str, Any]],
    role: UserRole | None,
    code: str,
) -> None:
    await service.set_picks([desk.b, desk.c])
    await service.set_slot("une-principale", desk.c)
    await service.set_slot("une-secondaire", desk.b)
    token = None if role is None else (await staff_token(role))[1]
    before = await rows()
    response = await post(client, query, variables(desk), token)
    body = response.json()
    assert body["data"] == {mutation: None}
    [error] = body["errors"]
    assert error["extensions"] == {"code": code, "action": "picks.manage"}
    assert await rows() == before
    assert await read(client) == {"picks": [desk.b.slug, desk.c.slug], "slot": desk.c.slug}


def _times(**offsets: float | str) -> Callable[[], dict[str, str]]:
    """Window variables, hours from now (a string is sent as is)."""

    def make() -> dict[str, str]:
        moment = now()
        return {
            name: value if isinstance(value, str) else (moment + timedelta(hours=value)).isoformat()
            for name, value in offsets.items()
        }

    return make


NO_TIMES = _times()
UNKNOWN = encode_id("Article", 2_000_000_000)

BAD_PICKS = [
    pytest.param(lambda d: [UNKNOWN], NO_TIMES, "articleIds", "NOT_FOUND", UNKNOWN, id="unknown"),
    pytest.param(lambda d: [d.id(d.a), UNKNOWN, d.id(d.b)], NO_TIMES, "articleIds", "NOT_FOUND", f"no article with ID '{UNKNOWN}'", id="one-unknown"),
    pytest.param(lambda d: [d.id(d.trashed)], NO_TIMES, "articleIds", "NOT_FOUND", "no article", id="in-the-trash"),
    pytest.param(lambda d: ["pas-un-id"], NO_TIMES, "articleIds", "INVALID", "not a valid gqlnews ID", id="malformed"),
    pytest.param(lambda d: [d.id(d.a), ""], NO_TIMES, "articleIds", "INVALID", "not a valid gqlnews ID", id="empty-id"),
    pytest.param(lambda d: [encode_id("Section", d.section.pk)], NO_TIMES, "articleIds", "INVALID", "not of a Section", id="a-section"),
    pytest.param(lambda d: [d.id(d.a), d.id(d.b), d.id(d.a)], NO_TIMES, "articleIds", "DUPLICATE", "picked twice", id="twice"),
    pytest.param(lambda d: [d.id(d.a)] * 21, NO_TIMES, "articleIds", "TOO_LONG", "21 picks given; at most 20", id="too-many"),
    pytest.param(lambda d: [UNKNOWN] * 500, NO_TIMES, "articleIds", "TOO_LONG", "at most 20", id="far-too-many"),
    pytest.param(lambda d: [d.id(d.a)], _times(expires=-1), "expiresAt", "NOT_IN_FUTURE", "not in the future", id="expired"),
    pytest.param(lambda d: [d.id(d.a)], _times(starts=-2, expires=-1), "expiresAt", "NOT_IN_FUTURE", "not in the future", id="window-over"),
    pytest.param(lambda d: [d.id(d.a)], _times(starts=3, expires=2), "startsAt", "INVALID", "must be before the expiry", id="backwards"),
    pytest.param(lambda d: [d.id(d.a)], _times(starts=2, expires=2), "startsAt", "INVALID", "must be before the expiry", id="empty-window"),
    pytest.param(lambda d: [d.id(d.a)], _times(expires="2999-01-01T00:00:00"), "expiresAt", "INVALID", "no time zone", id="no-zone"),
]  # fmt: skip


@pytest.mark.parametrize(("ids", "times", "field", "code", "message"), BAD_PICKS)
async def test_bad_picks_are_typed_errors_and_change_nothing(
    client: httpx.AsyncClient,
    desk: Desk,
    ids: Callable[[Desk], list[str]],
    times: Callable[[], dict[str, str]],
    field: str,
    code: str,
    message: str,
) -> None:
    await service.set_picks([desk.b, desk.c])
    await service.set_slot("une-principale", desk.c)
    before = await rows()
    data = await data_as(client, desk.editor, SET_PICKS, {"ids": ids(desk), **times()})
    payload = data["editorialSetPicks"]
    assert payload["picks"] is None
    [error] = payload["errors"]
    assert (error["field"], error["code"]) == (field, code)
    assert message in error["message"]
    assert await rows() == before


BAD_SLOTS = [
    pytest.param("Une-principale", lambda d: d.id(d.a), NO_TIMES, "name", "INVALID", "not allowed", id="capitals"),
    pytest.param("une_principale", lambda d: d.id(d.a), NO_TIMES, "name", "INVALID", "not allowed", id="underscore"),
    pytest.param("une--principale", lambda d: d.id(d.a), NO_TIMES, "name", "INVALID", "not allowed", id="double-hyphen"),
    pytest.param("-une", lambda d: d.id(d.a), NO_TIMES, "name", "INVALID", "not allowed", id="leading-hyphen"),
    pytest.param("a" * 41, lambda d: d.id(d.a), NO_TIMES, "name", "INVALID", "1 to 40", id="too-long"),
    pytest.param("", lambda d: d.id(d.a), NO_TIMES, "name", "INVALID", "1 to 40", id="empty"),
    pytest.param("Bad Name", lambda d: UNKNOWN, NO_TIMES, "name", "INVALID", "not allowed", id="name-first"),
    pytest.param("une-principale", lambda d: UNKNOWN, NO_TIMES, "articleId", "NOT_FOUND", UNKNOWN, id="unknown"),
    pytest.param("une-principale", lambda d: d.id(d.trashed), NO_TIMES, "articleId", "NOT_FOUND", "no article", id="in-the-trash"),
    pytest.param("une-principale", lambda d: "!!", NO_TIMES, "articleId", "INVALID", "not a valid gqlnews ID", id="malformed"),
    pytest.param("une-principale", lambda d: encode_id("Section", d.section.pk), NO_TIMES, "articleId", "INVALID", "not of a Section", id="a-section"),
    pytest.param("une-principale", lambda d: d.id(d.a), _times(expires=-0.01), "expiresAt", "NOT_IN_FUTURE", "not in the future", id="expired"),
    pytest.param("une-principale", lambda d: d.id(d.a), _times(starts=5, expires=1), "startsAt", "INVALID", "must be before the expiry", id="backwards"),
    pytest.param("une-principale", lambda d: d.id(d.a), _times(starts="2999-01-01T00:00:00"), "startsAt", "INVALID", "no time zone", id="no-zone"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "article", "times", "field", "code", "message"), BAD_SLOTS)
async def test_bad_slots_are_typed_errors_and_change_nothing(
    client: httpx.AsyncClient,
    desk: Desk,
    name: str,
    article: Callable[[Desk], str],
    times: Callable[[], dict[str, str]],
    field: str,
    code: str,
    message: str,
) -> None:
    await service.set_picks([desk.b])
    await service.set_slot("une-principale", desk.c)
    before = await rows()
    variables = {"name": name, "id": article(desk), **times()}
    payload = (await data_as(client, desk.editor, SET_SLOT, variables))["editorialSetSlot"]
    assert payload["slot"] is None
    [error] = payload["errors"]
    assert (error["field"], error["code"]) == (field, code)
    assert message in error["message"]
    assert await rows() == before


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("une-secondaire", "NOT_FOUND", "no slot named 'une-secondaire' is set"),
        ("Une principale", "INVALID", "not allowed"),
        ("a" * 41, "INVALID", "1 to 40"),
    ],
)
async def test_clearing_an_unset_or_malformed_slot_is_a_typed_error(
    client: httpx.AsyncClient, desk: Desk, name: str, code: str, message: str
) -> None:
    await service.set_slot("une-principale", desk.c)
    before = await rows()
    payload = (await data_as(client, desk.editor, CLEAR_SLOT, {"name": name}))["editorialClearSlot"]
    assert payload["name"] is None
    [error] = payload["errors"]
    assert (error["field"], error["code"]) == ("name", code)
    assert message in error["message"]
    assert await rows() == before


async def test_a_write_that_fails_half_way_leaves_the_picks_as_they_were(
    client: httpx.AsyncClient, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old picks are deleted before the new ones are inserted: in one transaction."""
    await service.set_picks([desk.b, desk.c])
    before = await rows()

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Pick, "bulk_create", broken)
    body = (await post(client, SET_PICKS, {"ids": [desk.id(desk.a)]}, desk.editor)).json()
    assert body["data"] == {"editorialSetPicks": None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "PLUGIN_ERROR"
    assert "went away" not in error["message"]
    assert await rows() == before


async def test_concurrent_editors_leave_one_whole_list(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    """Several editors saving at once: each list is written whole or not at all, and the
    picks end as one of them, never a mix."""
    lists = [
        [desk.a, desk.b, desk.c],
        [desk.c, desk.b],
        [desk.b],
        [desk.a, desk.c],
        [desk.c, desk.a, desk.b],
        [desk.b, desk.a],
    ]
    bodies = await asyncio.gather(
        *(
            post(client, SET_PICKS, {"ids": [desk.id(x) for x in picks]}, desk.editor)
            for picks in lists
        )
    )
    for picks, response in zip(lists, bodies, strict=True):
        body = response.json()
        assert "errors" not in body, body
        payload = body["data"]["editorialSetPicks"]
        assert payload["errors"] == []
        # each editor is shown the list they wrote, not one written after it
        assert [p["article"]["slug"] for p in payload["picks"]] == [x.slug for x in picks]
    stored = [row.article.slug for row in await service.list_picks()]
    assert stored in [[x.slug for x in picks] for picks in lists]
    assert [row.position for row in await service.list_picks()] == list(range(len(stored)))


@pytest.mark.parametrize("count", [1, 15])
async def test_setting_picks_costs_the_same_queries_however_many(
    client: httpx.AsyncClient, desk: Desk, count: int, dialect: str
) -> None:
    section = desk.section
    articles = [await make_article(section=section) for _ in range(count)]
    try:
        with count_queries() as log:
            payload = await ok(client, desk.editor, SET_PICKS, ids=[desk.id(x) for x in articles])
        assert len(payload["picks"]) == count
        # the articles, (on PostgreSQL the lock,) delete, insert, read back: besides signing
        # in (the token) and the transaction's own BEGIN and COMMIT
        statements = [s for s in log.statements if not _auth_or_transaction(s)]
        assert len(statements) == (5 if dialect == "postgres" else 4), log.statements
    finally:
        await Pick.all().delete()
        await Article.filter(id__in=[x.pk for x in articles]).delete()


def _auth_or_transaction(statement: str) -> bool:
    verb = statement.strip().split(" ", 1)[0].upper()
    return '"access_token"' in statement or verb in {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"}


SIGNATURES = [
    "editorialSetPicks(articleIds: [ID!]!, startsAt: DateTime = null, expiresAt: DateTime = null): EditorialPicksPayload",
    "editorialSetSlot(name: String!, articleId: ID!, startsAt: DateTime = null, expiresAt: DateTime = null): EditorialSlotPayload",
    "editorialClearSlot(name: String!): EditorialClearSlotPayload",
]  # fmt: skip


async def test_without_the_plugin_the_mutations_are_gone(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    sdl = app.state.schema.as_str()
    mutation = sdl.split("type Mutation {\n", 1)[1].split("\n}", 1)[0] + "\n"
    for signature in SIGNATURES:
        assert f"\n  {signature}\n" in mutation, signature

    bare = create_app(Settings(database_url=TEST_DATABASE_URL, disabled_plugins="editorial"))
    sdl = bare.state.schema.as_str()
    assert "  signIn(" in sdl and "  recordView(" in sdl  # the others' mutations stay
    for name in ("editorialSetPicks", "editorialSetSlot", "editorialClearSlot", "type Editorial"):
        assert name not in sdl, f"{name} is left in the schema"
    transport = httpx.ASGITransport(app=bare)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        _, editor = await staff_token(UserRole.EDITOR)
        before = await rows()
        body = (await post(http, SET_PICKS, {"ids": [encode_id("Article", 1)]}, editor)).json()
    assert "data" not in body or body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "editorialSetPicks" in body["errors"][0]["message"]
    assert await rows() == before


async def test_an_unreadable_date_is_refused_before_anything_runs(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    await service.set_picks([desk.b])
    before = await rows()
    variables = {"ids": [desk.id(desk.a)], "expires": "demain soir"}
    body = (await post(client, SET_PICKS, variables, desk.editor)).json()
    assert body.get("data") is None
    [error] = body["errors"]
    assert "$expires" in error["message"] and "demain soir" in error["message"]
    assert await rows() == before
