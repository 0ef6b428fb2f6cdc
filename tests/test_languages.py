"""Language and direction on every text type: stored where the newsroom sets one, else the
site's language (followed when the setting changes), direction derived by one rule, written
through the write API with the tag checked, and read without one more SQL statement."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest
from tortoise.models import Model

from gqlnews.ids import decode_id, encode_id
from gqlnews.models import Author, Edition, Image, Section, Supplement, Tag, UserRole
from gqlnews.server import create_app
from gqlnews.settings import Settings, SettingsError
from gqlnews.text import is_language_tag, text_direction
from tests.account_factories import staff_token
from tests.factories import make_section
from tests.helpers import gql_data
from tests.test_mutations_catalog import fingerprint, mutation, payload, succeed, typed

LANG = "id language direction"


@dataclasses.dataclass(frozen=True)
class Kind:
    """One type of the write API: its mutations, what a create needs, its model."""

    name: str
    model: type[Model]
    create_input: dict[str, Any]

    @property
    def field(self) -> str:
        return self.name[0].lower() + self.name[1:]

    def create(self) -> str:
        return mutation(
            f"{self.field}Create", f"$input: {self.name}CreateInput!", f"{self.field} {{ {LANG} }}"
        )

    def update(self) -> str:
        return mutation(
            f"{self.field}Update",
            f"$id: ID!, $input: {self.name}UpdateInput!",
            f"{self.field} {{ {LANG} }}",
        )


def _kinds() -> list[Kind]:
    return [
        Kind("Section", Section, {"name": "Langues"}),
        Kind("Author", Author, {"name": "Plume Langues"}),
        Kind("Tag", Tag, {"name": "Langues"}),
        Kind("Image", Image, {"url": "https://img.example/langues.jpg"}),
        Kind("Edition", Edition, {"number": 0, "date": ""}),
        Kind("Supplement", Supplement, {"title": "Langues", "date": "2150-06-01"}),
    ]


_EDITIONS = iter(range(810_001, 810_999))


def _input(kind: Kind, **extra: Any) -> dict[str, Any]:
    data = dict(kind.create_input)
    if kind.name == "Edition":  # unique number and date
        number = next(_EDITIONS)
        data = {"number": number, "date": f"{2100 + number % 90}-{1 + number % 12:02d}-27"}
    return {**data, **extra}


@pytest.fixture
async def editor() -> str:
    _, token = await staff_token(UserRole.EDITOR)
    return token


async def _delete(kind: Kind, global_id: str) -> None:
    await kind.model.filter(id=_pk(global_id)).delete()


@pytest.mark.parametrize("kind", _kinds(), ids=lambda k: k.name)
async def test_each_type_stores_its_language_or_follows_the_sites(
    client: httpx.AsyncClient, editor: str, kind: Kind
) -> None:
    made = await succeed(client, editor, kind.create(), {"input": _input(kind, language="ar-MA")})
    thing = made[kind.field]
    try:
        assert (thing["language"], thing["direction"]) == ("ar-MA", "RTL")
        changed = await succeed(
            client, editor, kind.update(), {"id": thing["id"], "input": {"language": "fa"}}
        )
        assert (changed[kind.field]["language"], changed[kind.field]["direction"]) == ("fa", "RTL")
        reset = await succeed(
            client, editor, kind.update(), {"id": thing["id"], "input": {"language": None}}
        )
        assert (reset[kind.field]["language"], reset[kind.field]["direction"]) == ("fr", "LTR")
        row = await kind.model.get(id=_pk(thing["id"]))
        assert row.language is None  # type: ignore[attr-defined]  # the site's, not a copy
    finally:
        await _delete(kind, thing["id"])
    plain = (await succeed(client, editor, kind.create(), {"input": _input(kind)}))[kind.field]
    try:
        assert (plain["language"], plain["direction"]) == ("fr", "LTR")
    finally:
        await _delete(kind, plain["id"])


def _pk(global_id: str) -> int:
    return decode_id(global_id, argument="id")[1]


@pytest.mark.parametrize("kind", _kinds(), ids=lambda k: k.name)
@pytest.mark.parametrize("bad", ["arabic", "AR", "ar_MA", "", "ar-ma", "x" * 20])
async def test_a_bad_language_tag_is_refused_and_nothing_written(
    client: httpx.AsyncClient, editor: str, kind: Kind, bad: str
) -> None:
    before = await fingerprint(kind.model)
    result = await payload(client, editor, kind.create(), {"input": _input(kind, language=bad)})
    assert result[kind.field] is None
    assert typed(result) == [("language", "INVALID")]
    assert await fingerprint(kind.model) == before


async def test_an_update_with_a_bad_tag_changes_nothing(
    client: httpx.AsyncClient, editor: str
) -> None:
    section = await make_section(language="ar")
    try:
        kind = _kinds()[0]
        variables = {
            "id": encode_id("Section", section.pk),
            "input": {"name": "Autre", "language": "arabe"},
        }
        result = await payload(client, editor, kind.update(), variables)
        assert typed(result) == [("language", "INVALID")]
        name = section.name
        await section.refresh_from_db()
        assert (section.name, section.language) == (name, "ar")
    finally:
        await section.delete()


SECTION = "query($s: String!) { section(slug: $s) { language direction } }"


async def test_a_null_language_follows_the_site_setting(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """Changing GQLNEWS_SITE_LANGUAGE changes every thing left at the default, not the ones
    the newsroom set."""
    default = await make_section()
    french = await make_section(language="fr")
    arabic_site = create_app(dataclasses.replace(settings, site_language="ar", cache=False))
    transport = httpx.ASGITransport(app=arabic_site)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as ar:
            got = (await gql_data(ar, SECTION, {"s": default.slug}))["section"]
            assert got == {"language": "ar", "direction": "RTL"}
            got = (await gql_data(ar, SECTION, {"s": french.slug}))["section"]
            assert got == {"language": "fr", "direction": "LTR"}
        got = (await gql_data(client, SECTION, {"s": default.slug}))["section"]
        assert got == {"language": "fr", "direction": "LTR"}
    finally:
        await default.delete()
        await french.delete()


ARABIC_ARTICLE = """{ articles(first: 10, filter: {languages: ["ar"]}) { nodes {
  language direction image { language direction caption }
  authors { language direction } sections { language direction } } } }"""


async def test_the_demos_arabic_pictures_say_so(client: httpx.AsyncClient) -> None:
    nodes = (await gql_data(client, ARABIC_ARTICLE))["articles"]["nodes"]
    pictured = [n for n in nodes if n["image"] is not None]
    assert pictured, "the demo's Arabic articles have pictures"
    for node in pictured:
        assert (node["language"], node["direction"]) == ("ar", "RTL")
        assert (node["image"]["language"], node["image"]["direction"]) == ("ar", "RTL")
        assert any("\u0600" <= c <= "\u06ff" for c in node["image"]["caption"])
        # Sections and bylines are French in the demo: the site's language.
        assert {(s["language"], s["direction"]) for s in node["sections"]} == {("fr", "LTR")}
    french = await gql_data(
        client,
        '{ articles(first: 5, filter: {languages: ["fr"]}) { nodes { image { language } } } }',
    )
    assert {n["image"]["language"] for n in french["articles"]["nodes"] if n["image"]} == {"fr"}


def test_one_direction_rule_for_every_tag() -> None:
    for tag in ("ar", "ar-MA", "fa", "he", "ur", "ur-PK"):
        assert text_direction(tag) == "RTL", tag
    for tag in ("fr", "fr-MA", "en", "es", "arn"):  # Mapudungun starts with "ar" and is LTR
        assert text_direction(tag) == "LTR", tag
    assert [is_language_tag(t) for t in ("fr", "ar-MA", "AR", "ar-ma", "arabic", "")] == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def test_the_site_language_is_a_validated_setting() -> None:
    assert Settings().site_language == "fr"
    assert Settings.from_env({"GQLNEWS_SITE_LANGUAGE": "ar-MA"}).site_language == "ar-MA"
    with pytest.raises(SettingsError, match="GQLNEWS_SITE_LANGUAGE must be a language tag"):
        Settings.from_env({"GQLNEWS_SITE_LANGUAGE": "arabic"})


async def test_a_new_article_without_a_language_is_in_the_sites(
    settings: Settings, demo: object
) -> None:
    from tests.test_newsroom_workflow import call

    arabic_site = create_app(dataclasses.replace(settings, site_language="ar"))
    _, token = await staff_token(UserRole.EDITOR)
    query = (
        "mutation($input: ArticleCreateInput!) { articleCreate(input: $input) { "
        "article { language direction } errors { field code } } }"
    )
    transport = httpx.ASGITransport(app=arabic_site)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as ar:
        body = await call(ar, token, query, {"input": {"title": "خبر", "primarySection": "monde"}})
    assert body["data"]["articleCreate"]["article"] == {"language": "ar", "direction": "RTL"}
