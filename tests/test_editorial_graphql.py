"""The editorial plugin's GraphQL side: the edito of the day, the picks and the slots as a
reader sees them (expired, not started and invisible ones vanish), bad arguments, SQL
budgets, and the server without the plugin."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from gqlnews.models import Article, ArticleStatus, Genre
from gqlnews.server import create_app
from gqlnews.settings import Settings
from gqlnews.testing import count_queries
from gqlnews_editorial import service
from gqlnews_editorial.models import Pick, Slot
from tests.factories import make_article, make_section, now
from tests.helpers import TEST_DATABASE_URL, gql, gql_data

MakeArticle = Callable[..., Awaitable[Article]]


@pytest_asyncio.fixture
async def make(demo: object) -> AsyncIterator[MakeArticle]:
    """Creates articles in a section of their own; removes them (and the editorial choices)
    afterwards so other tests see the demo newsroom as it was."""
    await Pick.all().delete()
    await Slot.all().delete()
    section = await make_section()
    made: list[Article] = []

    async def create(**kw: Any) -> Article:
        article = await make_article(section=section, **kw)
        made.append(article)
        return article

    yield create
    await Pick.all().delete()
    await Slot.all().delete()
    await Article.filter(id__in=[a.pk for a in made]).delete()
    await section.delete()


async def _demo_slugs(client: httpx.AsyncClient, n: int) -> list[str]:
    """``n`` visible demo articles, newest first, as the core lists them."""
    data = await gql_data(
        client, "query($n: Int!) { articles(first: $n) { nodes { slug } } }", {"n": n}
    )
    return [node["slug"] for node in data["articles"]["nodes"]]


EDITO = "{ editorial { edito { slug genre } } }"
LATEST_EDITORIAL = "{ articles(first: 1, filter: {genres: [EDITORIAL]}) { nodes { slug } } }"


async def test_the_edito_is_the_latest_editorial_the_reader_may_see(
    client: httpx.AsyncClient, make: MakeArticle
) -> None:
    latest = (await gql_data(client, LATEST_EDITORIAL))["articles"]["nodes"][0]["slug"]
    assert (await gql_data(client, EDITO))["editorial"]["edito"] == {
        "slug": latest,
        "genre": "EDITORIAL",
    }
    soon = now() + timedelta(hours=2)
    await make(genre=Genre.EDITORIAL, status=ArticleStatus.DRAFT, published_at=now())
    await make(genre=Genre.EDITORIAL, status=ArticleStatus.SCHEDULED, published_at=soon)
    await make(genre=Genre.EDITORIAL, published_at=soon)
    await make(genre=Genre.EDITORIAL, embargo_until=soon, published_at=now())
    await make(genre=Genre.OPINION, published_at=now() - timedelta(seconds=5))
    assert (await gql_data(client, EDITO))["editorial"]["edito"]["slug"] == latest
    fresh = await make(genre=Genre.EDITORIAL, published_at=now() - timedelta(seconds=10))
    with count_queries() as log:
        data = await gql_data(client, EDITO)
    assert data["editorial"]["edito"]["slug"] == fresh.slug
    assert log.count == 1, log.statements


PICKS = "query($n: Int!) { editorial { picks(first: $n) { slug } } }"


async def _picks(client: httpx.AsyncClient, first: int = 20) -> list[str]:
    data = await gql_data(client, PICKS, {"n": first})
    return [a["slug"] for a in data["editorial"]["picks"]]


async def test_picks_keep_the_editors_order_without_invisible_articles(
    client: httpx.AsyncClient, make: MakeArticle
) -> None:
    a, b, c = [await make() for _ in range(3)]
    draft = await make(status=ArticleStatus.DRAFT, published_at=None)
    embargoed = await make(embargo_until=now() + timedelta(days=1))
    await service.set_picks([c, draft, a, embargoed, b])
    assert await _picks(client) == [c.slug, a.slug, b.slug]
    assert await _picks(client, 2) == [c.slug, a.slug]
    # unpublishing an article takes it off the picks at once
    a.status = ArticleStatus.UNPUBLISHED
    await a.save()
    assert await _picks(client) == [c.slug, b.slug]
    assert (await gql_data(client, "{ editorial { picks { slug } } }"))["editorial"]["picks"]


async def test_expired_and_not_yet_started_picks_vanish(
    client: httpx.AsyncClient, make: MakeArticle
) -> None:
    current, expired, later, open_ended, started = [await make() for _ in range(5)]
    moment = now()
    rows = [
        (current, None, moment + timedelta(hours=1)),
        (expired, None, moment - timedelta(seconds=1)),
        (later, moment + timedelta(hours=1), None),
        (open_ended, None, None),
        (started, moment - timedelta(hours=1), moment + timedelta(days=1)),
    ]
    for position, (article, starts_at, expires_at) in enumerate(rows):
        await Pick.create(
            article=article, position=position, starts_at=starts_at, expires_at=expires_at
        )
    assert await _picks(client) == [current.slug, open_ended.slug, started.slug]


async def test_picks_set_with_a_window_expire_as_a_whole(
    client: httpx.AsyncClient, make: MakeArticle
) -> None:
    a, b = [await make() for _ in range(2)]
    an_hour_ago = now() - timedelta(hours=1)
    await service.set_picks([a, b], expires_at=an_hour_ago, now=an_hour_ago - timedelta(hours=1))
    assert await _picks(client) == []
    await service.set_picks([b, a], expires_at=now() + timedelta(minutes=5))
    assert await _picks(client) == [b.slug, a.slug]
    await service.set_picks([a], starts_at=now() + timedelta(minutes=5))
    assert await _picks(client) == []


SLOTS = """query($name: String!) { editorial {
  slot(name: $name) { slug }
  slots { name expiresAt article { slug } }
} }"""


async def test_slots_show_their_visible_article_within_their_window(
    client: httpx.AsyncClient, make: MakeArticle
) -> None:
    main, second, hidden, old, later = [await make() for _ in range(5)]
    hidden.status = ArticleStatus.DRAFT
    await hidden.save()
    until = now() + timedelta(hours=3)
    await service.set_slot("une-principale", main, expires_at=until)
    await service.set_slot("une-secondaire", second)
    await service.set_slot("cache", hidden)
    an_hour_ago = now() - timedelta(hours=1)
    await service.set_slot("hier", old, expires_at=an_hour_ago, now=an_hour_ago - timedelta(1))
    await service.set_slot("demain", later, starts_at=now() + timedelta(hours=1))
    data = await gql_data(client, SLOTS, {"name": "une-principale"})
    assert data["editorial"]["slot"] == {"slug": main.slug}
    slots = data["editorial"]["slots"]
    assert [(s["name"], s["article"]["slug"]) for s in slots] == [
        ("une-principale", main.slug),
        ("une-secondaire", second.slug),
    ]
    assert slots[0]["expiresAt"] is not None and slots[1]["expiresAt"] is None
    for name in ("cache", "hier", "demain", "jamais-vu"):
        data = await gql_data(client, SLOTS, {"name": name})
        assert data["editorial"]["slot"] is None, name
    # replacing what a slot holds
    await service.set_slot("une-principale", second)
    data = await gql_data(client, SLOTS, {"name": "une-principale"})
    assert data["editorial"]["slot"] == {"slug": second.slug}


@pytest.mark.parametrize(
    ("field", "argument", "message"),
    [
        ('slot(name: "Une principale")', "name", "not allowed"),
        ('slot(name: "une_principale")', "name", "not allowed"),
        ('slot(name: "une--principale")', "name", "not allowed"),
        ('slot(name: "-une")', "name", "not allowed"),
        ('slot(name: "%s")' % ("a" * 41), "name", "1 to 40"),
        ('slot(name: "")', "name", "1 to 40"),
        ("picks(first: 0)", "first", "between 1 and 20"),
        ("picks(first: 21)", "first", "between 1 and 20"),
    ],
)
async def test_bad_arguments_are_bad_user_input(
    client: httpx.AsyncClient, field: str, argument: str, message: str
) -> None:
    body = await gql(client, f"{{ editorial {{ {field} {{ slug }} }} }}")
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
    assert message in error["message"]
    # slot is nullable: only it is null; picks is not, so its parent is
    expected = {"slot": None} if field.startswith("slot") else None
    assert body["data"] == {"editorial": expected}


async def test_a_forty_character_slot_name_is_fine(client: httpx.AsyncClient) -> None:
    data = await gql_data(client, '{ editorial { slot(name: "%s") { slug } } }' % ("a" * 40))
    assert data == {"editorial": {"slot": None}}


PICKS_WITH_RELATIONS = """{ editorial { picks(first: 20) {
  slug title image { credit } authors { name } primarySection { slug }
} } }"""


@pytest.mark.parametrize("count", [2, 12])
async def test_picks_cost_the_same_queries_however_many(
    client: httpx.AsyncClient, make: MakeArticle, count: int
) -> None:
    articles = await service.find_articles(await _demo_slugs(client, count))
    await service.set_picks(articles)
    with count_queries() as log:
        data = await gql_data(client, PICKS_WITH_RELATIONS)
    picks = data["editorial"]["picks"]
    assert [p["slug"] for p in picks] == [a.slug for a in articles]
    assert any(p["image"] for p in picks) and all(p["authors"] for p in picks)
    # pick rows, their visible articles, images, bylines, section links
    assert log.count == 5, log.statements


EVERYTHING = """{ editorial {
  edito { slug }
  picks(first: 20) { slug }
  main: slot(name: "une-principale") { slug }
  second: slot(name: "une-secondaire") { slug }
  unknown: slot(name: "nulle-part") { slug }
  slots { name article { slug } }
} }"""


@pytest.mark.parametrize("count", [1, 15])
async def test_the_whole_editorial_costs_a_constant_number_of_queries(
    client: httpx.AsyncClient, make: MakeArticle, count: int
) -> None:
    articles = [await make() for _ in range(count)]
    await service.set_picks(articles)
    await service.set_slot("une-principale", articles[0])
    await service.set_slot("une-secondaire", articles[-1])
    await service.set_slot("vide", await make(status=ArticleStatus.DRAFT, published_at=None))
    with count_queries() as log:
        data = await gql_data(client, EVERYTHING)
    editorial = data["editorial"]
    assert editorial["edito"] is not None
    assert [p["slug"] for p in editorial["picks"]] == [a.slug for a in articles]
    assert editorial["main"] == {"slug": articles[0].slug}
    assert editorial["second"] == {"slug": articles[-1].slug}
    assert editorial["unknown"] is None
    assert [s["name"] for s in editorial["slots"]] == ["une-principale", "une-secondaire"]
    # edito 1; picks: rows + articles 2; slot(name) batch: rows + articles 2; slots: 2
    assert log.count == 7, log.statements


async def test_the_server_runs_without_the_plugin(client: httpx.AsyncClient) -> None:
    app = create_app(Settings(database_url=TEST_DATABASE_URL, disabled_plugins="editorial"))
    sdl = app.state.schema.as_str()
    assert "editorial: Editorial" not in sdl and "type Editorial" not in sdl
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        listed = await gql_data(http, "{ articles(first: 3) { nodes { slug title } } }")
        refused = await gql(http, EDITO)
    assert len(listed["articles"]["nodes"]) == 3
    [error] = refused["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "editorial" in error["message"]
    # the same query on the app with every installed plugin answers
    assert "errors" not in await gql(client, EDITO)
