# ruff: noqa: E501  (the bad-input tables read best one case per line)
"""Catalogue mutations through GraphQL: authors, tags and images written and read back,
who may write them, and bad input refused with typed errors and nothing written.

The helpers at the top are shared by the other ``test_mutations_*`` modules.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import httpx
import orjson
import pytest
from tortoise.models import Model

from gqlnews.ids import encode_id
from gqlnews.models import Author, Image, Tag, TagKind, UserRole
from gqlnews.newsroom.problems import Code
from tests.account_factories import staff_token
from tests.factories import unique
from tests.test_newsroom_workflow import call

ERRORS = "errors { field code message }"
MISSING = 999_999_999
"""A primary key no row has."""
TARGET = "<target>"
"""In a bad-input table, stands for the ID of the object the test made to be changed."""


def mutation(name: str, signature: str, selection: str) -> str:
    """A document calling mutation ``name`` with the variables of ``signature`` (e.g.
    ``"$id: ID!, $input: TagUpdateInput!"``), selecting ``selection`` and the errors."""
    names = [part.split(":")[0].strip() for part in signature.split(",")]
    passed = ", ".join(f"{name[1:]}: {name}" for name in names)
    return f"mutation({signature}) {{ {name}({passed}) {{ {selection} {ERRORS} }} }}"


async def fingerprint(*models: type[Model]) -> str:
    """A hash of every row of ``models``: equal before and after means nothing was written."""
    digest = hashlib.sha256()
    for model in models:
        rows = await model.all().order_by("id").values()
        digest.update(orjson.dumps(rows, default=str, option=orjson.OPT_SORT_KEYS))
    return digest.hexdigest()


async def payload(
    client: httpx.AsyncClient, token: str | None, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """The payload of a one-mutation document that raised no GraphQL error."""
    body = await call(client, token, query, variables)
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = next(iter(body["data"].values()))
    return result


async def succeed(
    client: httpx.AsyncClient, token: str | None, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """The payload of a mutation that must succeed (no errors at all)."""
    result = await payload(client, token, query, variables)
    assert result["errors"] == [], result["errors"]
    return result


async def refused_code(
    client: httpx.AsyncClient, token: str | None, query: str, variables: dict[str, Any]
) -> str:
    """The ``extensions.code`` of the GraphQL error a refused call answers."""
    body = await call(client, token, query, variables)
    assert body["data"] is None, body
    code: str = body["errors"][0]["extensions"]["code"]
    return code


def typed(result: dict[str, Any]) -> list[tuple[str | None, str]]:
    """(field, code) of each typed error of a payload."""
    assert all(e["message"] for e in result["errors"]), result["errors"]
    return [(e["field"], e["code"]) for e in result["errors"]]


def substitute(variables: dict[str, Any], target: str) -> dict[str, Any]:
    """``variables`` with :data:`TARGET` replaced by ``target``."""
    return {key: target if value == TARGET else value for key, value in variables.items()}


AUTHOR = "author { id slug name bio role avatar { id } }"
TAG = "tag { id slug name kind }"
IMAGE = "image { id url credit byline caption alt width height }"
AUTHOR_CREATE = mutation("authorCreate", "$input: AuthorCreateInput!", AUTHOR)
AUTHOR_UPDATE = mutation("authorUpdate", "$id: ID!, $input: AuthorUpdateInput!", AUTHOR)
TAG_CREATE = mutation("tagCreate", "$input: TagCreateInput!", TAG)
TAG_UPDATE = mutation("tagUpdate", "$id: ID!, $input: TagUpdateInput!", TAG)
IMAGE_CREATE = mutation("imageCreate", "$input: ImageCreateInput!", IMAGE)
IMAGE_UPDATE = mutation("imageUpdate", "$id: ID!, $input: ImageUpdateInput!", IMAGE)
CATALOG = (Author, Tag, Image)


async def some_image() -> str:
    image = await Image.all().order_by("id").first()
    assert image is not None
    return encode_id("Image", image.pk)


async def test_an_author_is_created_changed_and_read_back(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    name = f"Nadia El Fassi {unique('n')}"
    avatar = await some_image()
    made = await succeed(
        client,
        editor,
        AUTHOR_CREATE,
        {
            "input": {
                "name": f"  {name} ",
                "bio": "Reporter au service Monde.",
                "role": "journaliste",
                "email": " Nadia.ElFassi@Example.org ",
                "avatarImageId": avatar,
            }
        },
    )
    author = made["author"]
    assert author["name"] == name
    assert author["slug"] == name.lower().replace(" ", "-")
    assert author["avatar"] == {"id": avatar}
    row = await Author.get(slug=author["slug"])
    assert row.email == "nadia.elfassi@example.org"

    read = await payload(
        client,
        None,
        "query($s: String!) { author(slug: $s) { name bio role } }",
        {"s": author["slug"]},
    )
    assert read == {"name": name, "bio": "Reporter au service Monde.", "role": "journaliste"}

    twin = await succeed(client, editor, AUTHOR_CREATE, {"input": {"name": name}})
    assert twin["author"]["slug"] == f"{author['slug']}-2"

    slug = unique("nadia-el-fassi")
    changed = await succeed(
        client,
        editor,
        AUTHOR_UPDATE,
        {
            "id": author["id"],
            "input": {"slug": slug, "role": "grand reporter", "email": None, "avatarImageId": None},
        },
    )
    assert changed["author"]["slug"] == slug
    assert changed["author"]["role"] == "grand reporter"
    assert changed["author"]["name"] == name  # left out: kept
    assert changed["author"]["avatar"] is None
    row = await Author.get(slug=slug)
    assert row.email is None and row.bio == "Reporter au service Monde."
    assert not await Author.filter(slug=author["slug"]).exists()


async def test_a_tag_is_created_by_an_author_and_changed_by_an_editor(
    client: httpx.AsyncClient,
) -> None:
    _, author = await staff_token(UserRole.AUTHOR)
    _, editor = await staff_token(UserRole.EDITOR)
    name = f"Festival d'Essaouira {unique('f')}"
    made = await succeed(client, author, TAG_CREATE, {"input": {"name": name, "kind": "PLACE"}})
    tag = made["tag"]
    assert tag["kind"] == "PLACE" and tag["slug"].startswith("festival-d-essaouira-")
    theme = await succeed(client, author, TAG_CREATE, {"input": {"name": unique("Gnaoua")}})
    assert theme["tag"]["kind"] == "THEME"

    slug = unique("gnaoua-musiques")
    changed = await succeed(
        client,
        editor,
        TAG_UPDATE,
        {"id": tag["id"], "input": {"name": "Gnaoua", "slug": slug, "kind": "THEME"}},
    )
    assert changed["tag"] == {"id": tag["id"], "slug": slug, "name": "Gnaoua", "kind": "THEME"}
    read = await payload(
        client, None, "query($s: String!) { tag(slug: $s) { name kind } }", {"s": slug}
    )
    assert read == {"name": "Gnaoua", "kind": "THEME"}
    assert (await Tag.get(slug=slug)).kind is TagKind.THEME


async def test_an_image_is_registered_by_an_author_and_changed_by_an_editor(
    client: httpx.AsyncClient,
) -> None:
    _, author = await staff_token(UserRole.AUTHOR)
    _, editor = await staff_token(UserRole.EDITOR)
    made = await succeed(
        client,
        author,
        IMAGE_CREATE,
        {
            "input": {
                "url": "https://medias.observateur.example/2027/festival.jpg",
                "credit": "© D.R",
                "byline": "Karim Alaoui",
                "caption": "La scène du festival, la veille de l'ouverture",
                "alt": "Une scène éclairée devant la mer",
                "width": 1600,
                "height": 900,
            }
        },
    )
    image = made["image"]
    assert image["credit"] == "© D.R" and image["width"] == 1600
    changed = await succeed(
        client,
        editor,
        IMAGE_UPDATE,
        {
            "id": image["id"],
            "input": {"credit": "Karim Alaoui / L'Observateur", "width": None, "height": 20000},
        },
    )
    assert changed["image"]["credit"] == "Karim Alaoui / L'Observateur"
    assert changed["image"]["width"] is None and changed["image"]["height"] == 20000
    assert changed["image"]["url"] == image["url"]  # left out: kept
    node = "query($id: ID!) { node(id: $id) { ... on Image { url credit byline width height } } }"
    # Nothing public uses it yet: readers do not see it (test_visibility_media.py); the desk does.
    assert await payload(client, None, node, {"id": image["id"]}) is None
    read = await payload(client, editor, node, {"id": image["id"]})
    assert read == {
        "url": "https://medias.observateur.example/2027/festival.jpg",
        "credit": "Karim Alaoui / L'Observateur",
        "byline": "Karim Alaoui",
        "width": None,
        "height": 20000,
    }


WHO_MAY = [
    ("authorCreate", AUTHOR_CREATE, {"input": {"name": "Personne"}}, UserRole.AUTHOR),
    ("authorCreate", AUTHOR_CREATE, {"input": {"name": "Personne"}}, UserRole.CONTRIBUTOR),
    ("authorUpdate", AUTHOR_UPDATE, {"id": TARGET, "input": {"name": "Personne"}}, UserRole.AUTHOR),
    ("tagUpdate", TAG_UPDATE, {"id": TARGET, "input": {"name": "Rien"}}, UserRole.AUTHOR),
    ("tagUpdate", TAG_UPDATE, {"id": TARGET, "input": {"name": "Rien"}}, UserRole.CONTRIBUTOR),
    ("imageUpdate", IMAGE_UPDATE, {"id": TARGET, "input": {"credit": "Moi"}}, UserRole.AUTHOR),
    ("imageUpdate", IMAGE_UPDATE, {"id": TARGET, "input": {"credit": "Moi"}}, UserRole.CONTRIBUTOR),
]  # fmt: skip
ANYONE = [
    ("authorCreate", AUTHOR_CREATE, {"input": {"name": "Personne"}}),
    ("authorUpdate", AUTHOR_UPDATE, {"id": TARGET, "input": {"name": "Personne"}}),
    ("tagCreate", TAG_CREATE, {"input": {"name": "Rien"}}),
    ("tagUpdate", TAG_UPDATE, {"id": TARGET, "input": {"name": "Rien"}}),
    ("imageCreate", IMAGE_CREATE, {"input": {"url": "https://example.org/a.jpg"}}),
    ("imageUpdate", IMAGE_UPDATE, {"id": TARGET, "input": {"credit": "Moi"}}),
]


async def _target(name: str) -> str:
    """The ID of a fresh object of the kind mutation ``name`` changes."""
    if name.startswith("author"):
        return encode_id("Author", (await Author.create(slug=unique("cible"), name="Cible")).pk)
    if name.startswith("tag"):
        return encode_id("Tag", (await Tag.create(slug=unique("cible"), name="Cible")).pk)
    return encode_id("Image", (await Image.create(url="https://example.org/cible.jpg")).pk)


@pytest.mark.parametrize(("name", "query", "variables"), ANYONE)
async def test_anonymous_callers_write_nothing(
    client: httpx.AsyncClient, name: str, query: str, variables: dict[str, Any]
) -> None:
    variables = substitute(variables, await _target(name))
    before = await fingerprint(*CATALOG)
    assert await refused_code(client, None, query, variables) == "UNAUTHENTICATED"
    assert await fingerprint(*CATALOG) == before


@pytest.mark.parametrize(("name", "query", "variables", "role"), WHO_MAY)
async def test_only_the_desk_keeps_the_catalogue(
    client: httpx.AsyncClient, name: str, query: str, variables: dict[str, Any], role: UserRole
) -> None:
    _, token = await staff_token(role)
    variables = substitute(variables, await _target(name))
    before = await fingerprint(*CATALOG)
    assert await refused_code(client, token, query, variables) == "FORBIDDEN"
    assert await fingerprint(*CATALOG) == before


async def test_contributors_may_register_tags_and_images(client: httpx.AsyncClient) -> None:
    _, contributor = await staff_token(UserRole.CONTRIBUTOR)
    await succeed(client, contributor, TAG_CREATE, {"input": {"name": unique("Dépêche")}})
    await succeed(
        client, contributor, IMAGE_CREATE, {"input": {"url": "http://wire.example/1.jpg"}}
    )


NO_IMAGE = encode_id("Image", MISSING)
BAD = [
    ("authorCreate", AUTHOR_CREATE, {"input": {"name": ""}}, "name", "REQUIRED"),
    ("authorCreate", AUTHOR_CREATE, {"input": {"name": "   "}}, "name", "REQUIRED"),
    ("authorCreate", AUTHOR_CREATE, {"input": {"name": "n" * 201}}, "name", "TOO_LONG"),
    ("authorCreate", AUTHOR_CREATE, {"input": {"name": "Ok", "slug": "Pas Un Slug"}}, "slug", "INVALID"),
    ("authorCreate", AUTHOR_CREATE, {"input": {"name": "Ok", "slug": "s" * 81}}, "slug", "INVALID"),
    ("authorCreate", AUTHOR_CREATE, {"input": {"name": "Ok", "slug": "leila-bennis"}}, "slug", "DUPLICATE"),
    ("authorCreate", AUTHOR_CREATE, {"input": {"name": "Ok", "email": "pas-une-adresse"}}, "email", "INVALID"),
    ("authorCreate", AUTHOR_CREATE, {"input": {"name": "Ok", "email": "a@" + "b" * 260 + ".ma"}}, "email", "INVALID"),
    ("authorCreate", AUTHOR_CREATE, {"input": {"name": "Ok", "bio": "b" * 5001}}, "bio", "TOO_LONG"),
    ("authorCreate", AUTHOR_CREATE, {"input": {"name": "Ok", "role": "r" * 101}}, "role", "TOO_LONG"),
    ("authorCreate", AUTHOR_CREATE, {"input": {"name": "Ok", "avatarImageId": NO_IMAGE}}, "avatarImageId", "NOT_FOUND"),
    ("authorUpdate", AUTHOR_UPDATE, {"id": TARGET, "input": {"name": " "}}, "name", "REQUIRED"),
    ("authorUpdate", AUTHOR_UPDATE, {"id": TARGET, "input": {"slug": "leila-bennis"}}, "slug", "DUPLICATE"),
    ("authorUpdate", AUTHOR_UPDATE, {"id": TARGET, "input": {"slug": "leïla--bennis"}}, "slug", "INVALID"),
    ("authorUpdate", AUTHOR_UPDATE, {"id": TARGET, "input": {"email": "@example.org"}}, "email", "INVALID"),
    ("authorUpdate", AUTHOR_UPDATE, {"id": TARGET, "input": {"avatarImageId": NO_IMAGE}}, "avatarImageId", "NOT_FOUND"),
    ("authorUpdate", AUTHOR_UPDATE, {"id": encode_id("Author", MISSING), "input": {"name": "X"}}, "id", "NOT_FOUND"),
    ("tagCreate", TAG_CREATE, {"input": {"name": ""}}, "name", "REQUIRED"),
    ("tagCreate", TAG_CREATE, {"input": {"name": "t" * 201}}, "name", "TOO_LONG"),
    ("tagCreate", TAG_CREATE, {"input": {"name": "Ok", "slug": "maroc"}}, "slug", "DUPLICATE"),
    ("tagCreate", TAG_CREATE, {"input": {"name": "Ok", "slug": "-maroc"}}, "slug", "INVALID"),
    ("tagUpdate", TAG_UPDATE, {"id": TARGET, "input": {"slug": "rabat"}}, "slug", "DUPLICATE"),
    ("tagUpdate", TAG_UPDATE, {"id": TARGET, "input": {"name": "  "}}, "name", "REQUIRED"),
    ("tagUpdate", TAG_UPDATE, {"id": encode_id("Tag", MISSING), "input": {"name": "X"}}, "id", "NOT_FOUND"),
    ("imageCreate", IMAGE_CREATE, {"input": {"url": "ftp://example.org/a.jpg"}}, "url", "INVALID"),
    ("imageCreate", IMAGE_CREATE, {"input": {"url": "javascript:alert(1)"}}, "url", "INVALID"),
    ("imageCreate", IMAGE_CREATE, {"input": {"url": "medias/a.jpg"}}, "url", "INVALID"),
    ("imageCreate", IMAGE_CREATE, {"input": {"url": "https://"}}, "url", "INVALID"),
    ("imageCreate", IMAGE_CREATE, {"input": {"url": "https://exa mple.org/a.jpg"}}, "url", "INVALID"),
    ("imageCreate", IMAGE_CREATE, {"input": {"url": "https://example.org/" + "a" * 1000}}, "url", "TOO_LONG"),
    ("imageCreate", IMAGE_CREATE, {"input": {"url": "https://example.org/a.jpg", "width": 0}}, "width", "OUT_OF_RANGE"),
    ("imageCreate", IMAGE_CREATE, {"input": {"url": "https://example.org/a.jpg", "height": 20001}}, "height", "OUT_OF_RANGE"),
    ("imageCreate", IMAGE_CREATE, {"input": {"url": "https://example.org/a.jpg", "credit": "c" * 256}}, "credit", "TOO_LONG"),
    ("imageCreate", IMAGE_CREATE, {"input": {"url": "https://example.org/a.jpg", "byline": "b" * 256}}, "byline", "TOO_LONG"),
    ("imageCreate", IMAGE_CREATE, {"input": {"url": "https://example.org/a.jpg", "caption": "c" * 2001}}, "caption", "TOO_LONG"),
    ("imageCreate", IMAGE_CREATE, {"input": {"url": "https://example.org/a.jpg", "alt": "a" * 501}}, "alt", "TOO_LONG"),
    ("imageUpdate", IMAGE_UPDATE, {"id": TARGET, "input": {"url": "file:///etc/passwd"}}, "url", "INVALID"),
    ("imageUpdate", IMAGE_UPDATE, {"id": TARGET, "input": {"width": -1}}, "width", "OUT_OF_RANGE"),
    ("imageUpdate", IMAGE_UPDATE, {"id": encode_id("Image", MISSING), "input": {"alt": "x"}}, "id", "NOT_FOUND"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "query", "variables", "field", "code"), BAD)
async def test_bad_input_is_refused_and_writes_nothing(
    client: httpx.AsyncClient,
    name: str,
    query: str,
    variables: dict[str, Any],
    field: str,
    code: str,
) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    variables = substitute(variables, await _target(name))
    before = await fingerprint(*CATALOG)
    result = await payload(client, editor, query, variables)
    assert next(v for k, v in result.items() if k != "errors") is None
    assert typed(result) == [(field, code)], result
    assert await fingerprint(*CATALOG) == before


async def test_every_problem_is_reported_at_once(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    before = await fingerprint(*CATALOG)
    result = await payload(
        client,
        editor,
        AUTHOR_CREATE,
        {"input": {"name": "", "email": "non", "slug": "leila-bennis", "role": "r" * 101}},
    )
    assert sorted(typed(result), key=str) == sorted(
        [("name", "REQUIRED"), ("email", "INVALID"), ("slug", "DUPLICATE"), ("role", "TOO_LONG")],
        key=str,
    )
    assert await fingerprint(*CATALOG) == before


@pytest.mark.parametrize(
    ("query", "variables", "argument"),
    [
        (AUTHOR_UPDATE, {"id": "pas-un-id", "input": {"name": "X"}}, "id"),
        (AUTHOR_UPDATE, {"id": encode_id("Tag", 1), "input": {"name": "X"}}, "id"),
        (
            AUTHOR_CREATE,
            {"input": {"name": "X", "avatarImageId": encode_id("Author", 1)}},
            "avatarImageId",
        ),
        (TAG_CREATE, {"input": {"name": "X", "kind": "COLOUR"}}, None),
        (IMAGE_UPDATE, {"id": encode_id("Section", 1), "input": {"alt": "X"}}, "id"),
    ],
)
async def test_malformed_ids_and_enums_are_refused_before_anything_is_written(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], argument: str | None
) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    before = await fingerprint(*CATALOG)
    body = await call(client, editor, query, variables)
    assert body["data"] is None, body
    extensions = body["errors"][0]["extensions"]
    assert extensions["code"] == "BAD_USER_INPUT"
    assert extensions.get("argument") == argument
    assert await fingerprint(*CATALOG) == before


async def test_concurrent_creates_of_one_slug_give_one_tag(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    slug = unique("simultane")
    results = await asyncio.gather(
        *(
            payload(client, editor, TAG_CREATE, {"input": {"name": "Simultané", "slug": slug}})
            for _ in range(8)
        )
    )
    made = [r["tag"] for r in results if r["tag"] is not None]
    assert len(made) == 1
    refusals = [typed(r) for r in results if r["tag"] is None]
    assert all(
        problems in ([("slug", "DUPLICATE")], [("slug", "CONFLICT")]) for problems in refusals
    ), refusals
    assert await Tag.filter(slug=slug).count() == 1


def test_every_mutation_is_in_the_write_api_guide() -> None:
    from pathlib import Path

    from gqlnews.graphql.schema import build_schema
    from gqlnews.settings import Settings

    guide = (Path(__file__).resolve().parent.parent / "docs" / "write-api.md").read_text("utf-8")
    mutation_type = build_schema(Settings())._schema.mutation_type
    assert mutation_type is not None
    missing = [name for name in mutation_type.fields if f"`{name}" not in guide]
    assert not missing, f"docs/write-api.md does not document {missing}"
    codes = [code.value for code in Code]
    assert not [c for c in codes if f"| `{c}` |" not in guide], "an error code is not in the table"
