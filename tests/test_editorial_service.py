"""The editorial plugin's Python API: picks and slots are validated before anything is
written, written in one transaction, and follow their articles when those are deleted."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from tortoise.exceptions import IntegrityError

from gqlnews.api import Refused
from gqlnews.models import Article
from gqlnews_editorial import service
from gqlnews_editorial.models import Pick, Slot
from gqlnews_editorial.rules import MAX_PICKS
from tests.factories import make_article, make_section, now

MakeArticle = Callable[..., Awaitable[Article]]


@pytest_asyncio.fixture
async def make(database: object) -> AsyncIterator[MakeArticle]:
    """Creates articles in a section of their own and removes them afterwards."""
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


async def _picked() -> list[tuple[str, datetime | None]]:
    return [(p.article.slug, p.expires_at) for p in await service.list_picks()]


async def test_set_picks_replaces_the_list_in_order(make: MakeArticle) -> None:
    a, b, c = [await make() for _ in range(3)]
    until = now() + timedelta(hours=6)
    picks = await service.set_picks([b, a], expires_at=until)
    assert [(p.position, p.article.slug) for p in picks] == [(0, b.slug), (1, a.slug)]
    assert await _picked() == [(b.slug, until), (a.slug, until)]
    await service.set_picks([c, a, b])
    assert await _picked() == [(c.slug, None), (a.slug, None), (b.slug, None)]
    assert await service.set_picks([]) == []
    assert await Pick.all().count() == 0


async def test_find_articles_keeps_the_order_and_names_every_unknown_slug(
    make: MakeArticle,
) -> None:
    a, b = [await make() for _ in range(2)]
    assert [x.pk for x in await service.find_articles([b.slug, a.slug])] == [b.pk, a.pk]
    with pytest.raises(Refused, match="'nope-1', 'nope-2'") as caught:
        await service.find_articles(["nope-1", a.slug, "nope-2"])
    assert caught.value.problems[0].field == "articles"


def _aware(hours: float) -> datetime:
    return now() + timedelta(hours=hours)


@pytest.mark.parametrize(
    ("kwargs", "argument", "message"),
    [
        ({"expires_at": "past"}, "expires_at", "is not in the future"),
        ({"expires_at": "naive"}, "expires_at", "has no time zone"),
        ({"starts_at": "naive"}, "starts_at", "has no time zone"),
        ({"starts_at": "late", "expires_at": "soon"}, "starts_at", "must be before"),
    ],
)
async def test_bad_windows_are_refused_and_nothing_changes(
    make: MakeArticle, kwargs: dict[str, str], argument: str, message: str
) -> None:
    a, b = [await make() for _ in range(2)]
    await service.set_picks([a])
    await service.set_slot("une-principale", a)
    instants = {
        "past": _aware(-1),
        "naive": datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=1),
        "late": _aware(3),
        "soon": _aware(2),
    }
    window = {name: instants[value] for name, value in kwargs.items()}
    with pytest.raises(Refused, match=message) as caught:
        await service.set_picks([b], **window)
    assert caught.value.problems[0].field == argument
    with pytest.raises(Refused, match=message):
        await service.set_slot("une-principale", b, **window)
    assert await _picked() == [(a.slug, None)]
    assert [s.article.slug for s in await service.list_slots()] == [a.slug]


async def test_bad_pick_lists_are_refused_and_nothing_changes(make: MakeArticle) -> None:
    a, b = [await make() for _ in range(2)]
    await service.set_picks([a])
    with pytest.raises(Refused, match="picked twice"):
        await service.set_picks([b, a, b])
    with pytest.raises(Refused, match="not saved"):
        await service.set_picks([b, Article(slug="brouillon", title="Pas encore")])
    many = [await make() for _ in range(MAX_PICKS + 1)]
    with pytest.raises(Refused, match=f"at most {MAX_PICKS}"):
        await service.set_picks(many)
    assert await _picked() == [(a.slug, None)]
    assert len(await service.set_picks(many[:MAX_PICKS])) == MAX_PICKS


async def test_a_failed_write_rolls_the_whole_list_back(make: MakeArticle) -> None:
    a, b = [await make() for _ in range(2)]
    await service.set_picks([a, b])
    gone = await make()
    await Article.filter(id=gone.pk).delete()  # the object still has its id
    with pytest.raises(IntegrityError):
        await service.set_picks([b, gone])
    assert await _picked() == [(a.slug, None), (b.slug, None)]


@pytest.mark.parametrize(
    "name", ["Une", "une principale", "une_principale", "une--principale", "-une", "une-", "", "é"]
)
async def test_malformed_slot_names_are_refused(make: MakeArticle, name: str) -> None:
    a = await make()
    with pytest.raises(Refused, match="not allowed") as caught:
        await service.set_slot(name, a)
    assert caught.value.problems[0].field == "name"
    with pytest.raises(Refused, match="not allowed"):
        await service.clear_slot(name)
    assert await Slot.all().count() == 0


async def test_set_slot_replaces_and_clear_slot_empties(make: MakeArticle) -> None:
    a, b = [await make() for _ in range(2)]
    longest = "x" * 40
    await service.set_slot("une-principale", a, expires_at=_aware(2))
    await service.set_slot(longest, b)
    slot = await service.set_slot("une-principale", b)
    assert (slot.name, slot.article_id, slot.expires_at) == ("une-principale", b.pk, None)
    assert [(s.name, s.article.slug) for s in await service.list_slots()] == [
        ("une-principale", b.slug),
        (longest, b.slug),
    ]
    assert await service.clear_slot("une-principale") is True
    assert await service.clear_slot("une-principale") is False
    assert [s.name for s in await service.list_slots()] == [longest]


async def test_deleting_an_article_removes_its_picks_and_slots(make: MakeArticle) -> None:
    a, b = [await make() for _ in range(2)]
    await service.set_picks([a, b])
    await service.set_slot("une-principale", a)
    await a.delete()
    assert await _picked() == [(b.slug, None)]
    assert await service.list_slots() == []
