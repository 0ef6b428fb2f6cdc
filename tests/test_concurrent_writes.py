"""Creates racing for the same slug or number (#11, item 7): a slug made from a title becomes
``x``, ``x-2``, ``x-3``…, never an internal error; a slug or number the client asked for is
refused with a typed error (DUPLICATE or CONFLICT) for every request but one; a failed attempt
leaves nothing behind.

Real concurrency: the creates run together (``asyncio.gather``) through the newsroom services
and through HTTP; on PostgreSQL they use several pooled connections at once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from tortoise.context import TortoiseContext
from tortoise.models import Model

from gqlnews.models import (
    Article,
    ArticleSection,
    Author,
    Edition,
    Section,
    Supplement,
    Tag,
    UserRole,
)
from gqlnews.newsroom import articles, catalog, sections
from gqlnews.newsroom import print as printing
from gqlnews.newsroom.problems import Code, Refused
from gqlnews.newsroom.validation import ArticleFields
from gqlnews.slugs import slugify, with_suffix
from tests.account_factories import staff_token
from tests.factories import make_section, unique
from tests.test_newsroom_workflow import call


@pytest.fixture
def racers(dialect: str) -> int:
    """How many creates race: 20 on SQLite, 50 on PostgreSQL (the issue's figures)."""
    return 50 if dialect == "postgres" else 20


async def race(count: int, work: Callable[[], Awaitable[Any]]) -> list[Any]:
    """Run ``work`` ``count`` times at once; results and exceptions, in order."""
    return await asyncio.gather(*(work() for _ in range(count)), return_exceptions=True)


def expected_slugs(title: str, count: int) -> set[str]:
    base = slugify(title)
    return {base, *(with_suffix(base, n) for n in range(2, count + 1))}


async def removed(model: type[Model], slugs: set[str]) -> None:
    await model.filter(slug__in=sorted(slugs)).delete()


CREATES: dict[str, tuple[type[Model], Callable[[str], Awaitable[Any]]]] = {
    "tag": (Tag, lambda name: catalog.create_tag({"name": name})),
    "author": (Author, lambda name: catalog.create_author({"name": name})),
    "section": (Section, lambda name: sections.create({"name": name})),
    "supplement": (
        Supplement,
        lambda name: printing.create_supplement({"title": name, "date": dt.date(2150, 6, 1)}),
    ),
}


@pytest.mark.parametrize("kind", sorted(CREATES))
async def test_racing_creates_with_one_name_get_distinct_slugs(
    database: TortoiseContext, racers: int, kind: str
) -> None:
    model, create = CREATES[kind]
    name = f"Même titre {unique(kind)}"
    results = await race(racers, lambda: create(name))
    try:
        failures = [r for r in results if isinstance(r, BaseException)]
        assert failures == []
        slugs = {row.slug for row in results}
        assert slugs == expected_slugs(name, racers)
        assert await model.filter(slug__in=sorted(slugs)).count() == racers
    finally:
        await removed(model, expected_slugs(name, racers))


async def test_racing_article_creates_get_distinct_slugs(
    database: TortoiseContext, racers: int
) -> None:
    section = await make_section()
    title = f"Le même titre {unique('a')}"
    asked = ArticleFields(title=title, primary_section=section.slug)
    results = await race(racers, lambda: articles.create(asked, None, 100_000))
    try:
        assert [r for r in results if isinstance(r, BaseException)] == []
        assert {a.slug for a in results} == expected_slugs(title, racers)
        ids = [a.pk for a in results]
        linked = await ArticleSection.filter(article_id__in=ids, section_id=section.pk).count()
        assert linked == racers  # every article got its links: no half-written one
    finally:
        await Article.filter(slug__in=sorted(expected_slugs(title, racers))).delete()
        await section.delete()


def refusal_codes(results: list[Any], field: str) -> list[str]:
    """The code of each refusal (each must name ``field``); other errors fail the test."""
    codes = []
    for result in results:
        if isinstance(result, Refused):
            assert [p.field for p in result.problems] == [field], result.problems
            codes.append(result.problems[0].code)
        else:
            assert not isinstance(result, BaseException), repr(result)
    return codes


@pytest.mark.parametrize("kind", sorted(CREATES))
async def test_racing_creates_of_one_asked_slug_are_refused_but_one(
    database: TortoiseContext, racers: int, kind: str
) -> None:
    model, _ = CREATES[kind]
    slug = unique(f"asked-{kind}")
    given: dict[str, Any] = {"name": "Nom", "slug": slug}
    creates: dict[str, Callable[[], Awaitable[Any]]] = {
        "tag": lambda: catalog.create_tag({"name": "Nom", "slug": slug}),
        "author": lambda: catalog.create_author({"name": "Nom", "slug": slug}),
        "section": lambda: sections.create({"name": "Nom", "slug": slug}),
        "supplement": lambda: printing.create_supplement(
            {"title": "Nom", "slug": slug, "date": dt.date(2150, 6, 1)}
        ),
    }
    assert given["slug"] == slug
    results = await race(racers, creates[kind])
    try:
        codes = refusal_codes(results, "slug")
        assert len(codes) == racers - 1
        assert set(codes) <= {Code.DUPLICATE, Code.CONFLICT}
        assert await model.filter(slug=slug).count() == 1
    finally:
        await model.filter(slug=slug).delete()


async def test_racing_editions_with_one_number_are_refused_but_one(
    database: TortoiseContext, racers: int
) -> None:
    number = 800_000 + int(unique("n").split("-")[1])
    day = dt.date(2160, 1, 1) + dt.timedelta(days=number % 9000)
    results = await race(
        racers, lambda: printing.create_edition({"number": number, "date": day, "title": "N"})
    )
    try:
        refused = [r for r in results if isinstance(r, Refused)]
        assert len(refused) == racers - 1
        assert all(not isinstance(r, BaseException) or isinstance(r, Refused) for r in results)
        for refusal in refused:
            assert {p.code for p in refusal.problems} <= {Code.DUPLICATE, Code.CONFLICT}
            assert {p.field for p in refusal.problems} <= {"number", "date"}
        assert await Edition.filter(number=number).count() == 1
    finally:
        await Edition.filter(number=number).delete()


TAG_CREATE = (
    "mutation($input: TagCreateInput!) { tagCreate(input: $input) "
    "{ tag { slug } errors { field code message } } }"
)


async def test_racing_creates_over_http_never_answer_internal_errors(
    client: httpx.AsyncClient, racers: int
) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    name = f"Titre HTTP {unique('h')}"
    asked = unique("asked-http")
    try:
        made = await race(
            racers, lambda: call(client, editor, TAG_CREATE, {"input": {"name": name}})
        )
        assert all("errors" not in body for body in made), made
        slugs = {body["data"]["tagCreate"]["tag"]["slug"] for body in made}
        assert slugs == expected_slugs(name, racers)
        exact = await race(
            racers,
            lambda: call(client, editor, TAG_CREATE, {"input": {"name": "x", "slug": asked}}),
        )
        assert all("errors" not in body for body in exact), exact
        payloads = [body["data"]["tagCreate"] for body in exact]
        assert sum(p["tag"] is not None for p in payloads) == 1
        codes = {(e["field"], e["code"]) for p in payloads for e in p["errors"]}
        assert codes <= {("slug", "DUPLICATE"), ("slug", "CONFLICT")}
    finally:
        await removed(Tag, expected_slugs(name, racers) | {asked})


ARTICLE_CREATE = (
    "mutation($input: ArticleCreateInput!) { articleCreate(input: $input) "
    "{ article { slug } errors { field code message } } }"
)


async def test_racing_article_creates_over_http_get_distinct_slugs(
    client: httpx.AsyncClient, racers: int
) -> None:
    """The issue's case: 19 of 20 such requests answered INTERNAL_SERVER_ERROR on SQLite."""
    _, editor = await staff_token(UserRole.EDITOR)
    section = await make_section()
    title = f"Dépêche {unique('d')}"
    variables = {"input": {"title": title, "primarySection": section.slug}}
    try:
        made = await race(racers, lambda: call(client, editor, ARTICLE_CREATE, variables))
        assert all("errors" not in body for body in made), made
        payloads = [body["data"]["articleCreate"] for body in made]
        assert all(p["errors"] == [] for p in payloads), payloads
        assert {p["article"]["slug"] for p in payloads} == expected_slugs(title, racers)
    finally:
        await Article.filter(primary_section_id=section.pk).delete()
        await section.delete()
