"""One visibility rule for everything a reader can reach (issue #11, item 3): an image is
public only while a public article, edition or supplement (or an author) uses it; a future
edition or supplement is invisible by every path until its day; staff who manage them see all;
and the response cache forgets an anonymous null once the thing becomes public."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest_asyncio

from gqlnews.ids import encode_id
from gqlnews.models import (
    Article,
    ArticleStatus,
    Author,
    Edition,
    Image,
    Section,
    Supplement,
    UserRole,
)
from gqlnews.settings import Settings
from gqlnews.visibility import ANONYMOUS, SEE_EVERYTHING, Viewer, visible_images
from tests.account_factories import data_as, make_user, staff_token, token_for
from tests.cache_helpers import act, cached, cached_app, client_of, get
from tests.factories import make_article, make_edition, now, unique

NODES = """query($ids: [ID!]!) { nodes(ids: $ids) {
  __typename ... on Image { id url caption } } }"""


@pytest_asyncio.fixture
async def added() -> AsyncIterator[list[Any]]:
    """Rows a test adds besides articles (editions, supplements, images, authors): removed at
    its end, so the demo database stays as it was found."""
    rows: list[Any] = []
    yield rows
    for row in reversed(rows):
        await row.delete()


async def _image(added: list[Any], label: str) -> Image:
    url = f"https://media.example/{unique(label)}.jpg"
    row = await Image.create(url=url, caption=label, credit="© Test")
    added.append(row)
    return row


def _gid(row: Any) -> str:
    return encode_id(type(row).__name__, row.pk)


async def _nodes(client: httpx.AsyncClient, token: str | None, rows: list[Any]) -> list[Any]:
    data = await data_as(client, token, NODES, {"ids": [_gid(r) for r in rows]})
    return [node["id"] if node else None for node in data["nodes"]]


@dataclass
class Pictures:
    """One image per use: a published article's, a draft's, an embargoed and a scheduled
    article's, a past and a future edition's cover, a future supplement's cover, an author's
    portrait, and one nothing uses."""

    published: Image
    draft: Image
    embargoed: Image
    scheduled: Image
    past_cover: Image
    future_cover: Image
    future_supplement: Image
    portrait: Image
    unused: Image
    draft_article: Article

    def public(self) -> list[Image]:
        return [self.published, self.past_cover, self.portrait]

    def hidden(self) -> list[Image]:
        return [
            self.draft,
            self.embargoed,
            self.scheduled,
            self.future_cover,
            self.future_supplement,
            self.unused,
        ]


async def _pictures(added: list[Any], author_id: int) -> Pictures:
    monde = await Section.get(slug="monde")
    moment = now()
    images = {name: await _image(added, name) for name in Pictures.__dataclass_fields__}
    await make_article(section=monde, image_id=images["published"].pk)
    draft = await make_article(
        section=monde,
        status=ArticleStatus.DRAFT,
        image_id=images["draft"].pk,
        created_by_id=author_id,
    )
    await make_article(
        section=monde,
        published_at=moment - timedelta(hours=2),
        embargo_until=moment + timedelta(days=1),
        image_id=images["embargoed"].pk,
    )
    await make_article(
        section=monde,
        status=ArticleStatus.SCHEDULED,
        published_at=moment + timedelta(days=1),
        image_id=images["scheduled"].pk,
    )
    added.append(await make_edition(cover_id=images["past_cover"].pk))
    added.append(await _future_edition(cover_id=images["future_cover"].pk))
    added.append(
        await Supplement.create(
            slug=unique("t-future-supplement"),
            title="Demain",
            date=moment.date() + timedelta(days=3),
            cover_id=images["future_supplement"].pk,
        )
    )
    byline = await Author.create(
        slug=unique("t-author"), name="Portrait", avatar_id=images["portrait"].pk
    )
    added.append(byline)
    return Pictures(
        **{k: v for k, v in images.items() if k != "draft_article"}, draft_article=draft
    )


_future_numbers = iter(range(800_001, 900_000))


async def _future_edition(**kw: Any) -> Edition:
    number = next(_future_numbers)
    day = now().date() + timedelta(days=400 + number % 50_000)
    return await Edition.create(number=number, date=day, title=f"N° {number}", **kw)


async def test_images_are_visible_only_through_something_visible(
    client: httpx.AsyncClient, added: list[Any]
) -> None:
    author, author_token = await staff_token(UserRole.AUTHOR)
    pictures = await _pictures(added, author.pk)
    everything = [*pictures.public(), *pictures.hidden()]
    expected_public = [_gid(i) if i in pictures.public() else None for i in everything]
    assert await _nodes(client, None, everything) == expected_public
    for image in pictures.hidden():
        found = await data_as(
            client, None, "query($id: ID!) { node(id: $id) { id } }", {"id": _gid(image)}
        )
        assert found == {"node": None}, image.caption
    # The draft's author sees the picture of their draft (and nothing else hidden).
    mine = [_gid(i) if i in (*pictures.public(), pictures.draft) else None for i in everything]
    assert await _nodes(client, author_token, everything) == mine
    _, editor = await staff_token(UserRole.EDITOR)
    assert await _nodes(client, editor, everything) == [_gid(i) for i in everything]


async def test_the_image_rule_is_one_query_of_the_visibility_module(
    demo: object, added: list[Any]
) -> None:
    author = await make_user(UserRole.AUTHOR)
    pictures = await _pictures(added, author.pk)
    ids = [i.pk for i in (*pictures.public(), *pictures.hidden())]
    public = {i.pk for i in pictures.public()}
    assert set(await visible_images(ANONYMOUS, among=ids).values_list("id", flat=True)) == public
    mine = set(
        await visible_images(Viewer(author.pk, UserRole.AUTHOR), among=ids).values_list(
            "id", flat=True
        )
    )
    assert mine == public | {pictures.draft.pk}
    for role in SEE_EVERYTHING:
        staff = Viewer(author.pk, role)
        assert len(await visible_images(staff, among=ids)) == len(ids)
    everything = set(await visible_images().values_list("id", flat=True))
    assert public <= everything and not everything & {i.pk for i in pictures.hidden()}


async def test_the_roles_that_see_everything_are_those_that_manage_print() -> None:
    from gqlnews.permissions import Action, allows

    for role in UserRole:
        viewer = Viewer(1, role)
        for action in (Action.EDITION_MANAGE, Action.SUPPLEMENT_MANAGE):
            assert allows(viewer, action) == (role in SEE_EVERYTHING), (role, action)


EDITION_PATHS = """query($n: Int!, $d: Date!, $id: ID!, $slug: String!, $sid: ID!) {
  byNumber: edition(number: $n) { id }
  byDate: edition(date: $d) { id }
  node(id: $id) { id }
  nodes(ids: [$id, $sid]) { id }
  supplement(slug: $slug) { id }
  latestEdition { id }
  editions(first: 100) { nodes { id } }
  supplements(first: 100) { nodes { id } }
}"""


async def test_a_future_edition_or_supplement_is_invisible_by_every_path(
    client: httpx.AsyncClient, added: list[Any]
) -> None:
    future = await _future_edition()
    added.append(future)
    past = await make_edition()
    added.append(past)
    supplement = await Supplement.create(
        slug=unique("t-supplement"),
        title="Bientôt",
        date=now().date() + timedelta(days=2),
        edition_id=past.pk,
    )
    added.append(supplement)
    shipped = await Supplement.create(
        slug=unique("t-supplement"), title="Hier", date=date(1999, 1, 1), edition_id=future.pk
    )
    added.append(shipped)
    monde = await Section.get(slug="monde")
    placed = await make_article(section=monde, edition_id=future.pk, page=1)
    in_supplement = await make_article(section=monde, supplement_id=supplement.pk, page=1)
    variables = {
        "n": future.number,
        "d": future.date.isoformat(),
        "id": _gid(future),
        "slug": supplement.slug,
        "sid": _gid(supplement),
    }
    anonymous = await data_as(client, None, EDITION_PATHS, variables)
    assert anonymous["byNumber"] is None and anonymous["byDate"] is None
    assert anonymous["node"] is None and anonymous["nodes"] == [None, None]
    assert anonymous["supplement"] is None
    assert anonymous["latestEdition"]["id"] != _gid(future)
    assert _gid(future) not in {e["id"] for e in anonymous["editions"]["nodes"]}
    assert _gid(supplement) not in {s["id"] for s in anonymous["supplements"]["nodes"]}
    links = """query($a: ID!, $b: ID!, $p: Int!, $s: String!) {
      a: node(id: $a) { ... on Article { edition { id } } }
      b: node(id: $b) { ... on Article { supplement { id } } }
      past: edition(number: $p) { supplements { id } }
      shipped: supplement(slug: $s) { edition { id } }
    }"""
    link_vars = {
        "a": _gid(placed),
        "b": _gid(in_supplement),
        "p": past.number,
        "s": shipped.slug,
    }
    seen = await data_as(client, None, links, link_vars)
    assert seen == {
        "a": {"edition": None},
        "b": {"supplement": None},
        "past": {"supplements": []},
        "shipped": {"edition": None},
    }
    author = await token_for(await make_user(UserRole.AUTHOR))
    assert (await data_as(client, author, EDITION_PATHS, variables))["byNumber"] is None
    _, editor = await staff_token(UserRole.EDITOR)
    staff = await data_as(client, editor, EDITION_PATHS, variables)
    assert staff["byNumber"] == staff["byDate"] == staff["node"] == {"id": _gid(future)}
    assert staff["supplement"] == {"id": _gid(supplement)}
    assert (await data_as(client, editor, links, link_vars)) == {
        "a": {"edition": {"id": _gid(future)}},
        "b": {"supplement": {"id": _gid(supplement)}},
        "past": {"supplements": [{"id": _gid(supplement)}]},
        "shipped": {"edition": {"id": _gid(future)}},
    }


IMAGE = "query($id: ID!) { node(id: $id) { ... on Image { id url } } }"
PUBLISH = """mutation($id: ID!, $v: Int!) { articlePublish(id: $id, version: $v) {
  article { id } errors { field code message } } }"""
COVER = """mutation($id: ID!, $image: ID) { editionSetCover(id: $id, imageId: $image) {
  edition { id } errors { field code message } } }"""


async def test_a_cached_null_image_shows_once_an_article_using_it_is_published(
    settings: Settings, added: list[Any], demo: object
) -> None:
    app = cached_app(settings)
    try:
        async with client_of(app) as client:
            picture = await _image(added, "bientot")
            monde = await Section.get(slug="monde")
            article = await make_article(
                section=monde, status=ArticleStatus.REVIEW, image_id=picture.pk
            )
            gid = _gid(picture)
            assert (await get(client, IMAGE, id=gid)).json()["data"] == {"node": None}
            assert await cached(client, IMAGE, id=gid), "the null answer is cached"
            _, editor = await staff_token(UserRole.EDITOR)
            await act(client, editor, PUBLISH, id=_gid(article), v=article.version)
            assert not await cached(client, IMAGE, id=gid), "the publication purged it"
            shown = (await get(client, IMAGE, id=gid)).json()["data"]
            assert shown == {"node": {"id": gid, "url": picture.url}}
            # A cover set on a past edition shows too (the edition's purge reaches it).
            cover = await _image(added, "couverture")
            edition = await make_edition()
            added.append(edition)
            cover_gid = _gid(cover)
            assert (await get(client, IMAGE, id=cover_gid)).json()["data"] == {"node": None}
            assert await cached(client, IMAGE, id=cover_gid)
            await act(client, editor, COVER, id=_gid(edition), image=cover_gid)
            shown = (await get(client, IMAGE, id=cover_gid)).json()["data"]
            assert shown == {"node": {"id": cover_gid, "url": cover.url}}
    finally:
        await app.state.cache.stop()
