# ruff: noqa: E501  (the bad-input tables read best one case per line)
"""Section mutations through GraphQL: the tree written and read back, dense sibling positions,
moves that would make a cycle refused, who may write, and bad input refused with typed errors
and nothing written."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from gqlnews.ids import encode_id
from gqlnews.models import Section, UserRole
from tests.account_factories import staff_token
from tests.factories import unique
from tests.test_mutations_catalog import (
    MISSING,
    TARGET,
    fingerprint,
    mutation,
    payload,
    refused_code,
    substitute,
    succeed,
    typed,
)
from tests.test_newsroom_workflow import call

SECTION = "section { id slug name description position parent { slug } }"
CREATE = mutation("sectionCreate", "$input: SectionCreateInput!", SECTION)
UPDATE = mutation("sectionUpdate", "$id: ID!, $input: SectionUpdateInput!", SECTION)
MOVE = mutation("sectionMove", "$id: ID!, $parent: String, $position: Int", SECTION)
TREE = """query($s: String!) { section(slug: $s) {
  slug name description position parent { slug }
  children { slug position children { slug position } } } }"""


async def children(client: httpx.AsyncClient, slug: str) -> list[tuple[str, int]]:
    """(slug, position) of a section's children, as readers see them."""
    section = await payload(client, None, TREE, {"s": slug})
    return [(c["slug"], c["position"]) for c in section["children"]]


async def top_level(client: httpx.AsyncClient) -> list[tuple[str, int]]:
    body = await call(client, None, "{ sections { slug position } }", {})
    return [(s["slug"], s["position"]) for s in body["data"]["sections"]]


async def make(
    client: httpx.AsyncClient, token: str, name: str, parent: str | None = None, **more: Any
) -> dict[str, Any]:
    """A section made through the API (its slug made from ``name``)."""
    made = await succeed(client, token, CREATE, {"input": {"name": name, "parent": parent, **more}})
    section: dict[str, Any] = made["section"]
    return section


async def tree(client: httpx.AsyncClient, token: str) -> tuple[str, list[str]]:
    """A fresh top-level section with three children a, b, c: its slug and theirs."""
    root = await make(client, token, unique("Rubrique"))
    kids = [(await make(client, token, f"{root['slug']} {n}", root["slug"]))["slug"] for n in "abc"]
    return root["slug"], kids


async def test_sections_are_created_in_order_and_read_back(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    suffix = unique("s")
    name = f"Sciences et santé {suffix}"
    root = await make(client, editor, f" {name} ", description="Recherche, médecine.")
    assert root["name"] == name and root["slug"] == f"sciences-et-sante-{suffix}"
    assert root["parent"] is None
    roots = await top_level(client)
    assert roots[-1] == (root["slug"], len(roots) - 1)
    assert [p for _, p in roots] == list(range(len(roots)))  # dense from 0

    first = await make(client, editor, "Médecine", root["slug"])
    last = await make(client, editor, "Climat", root["slug"], slug=unique("climat"))
    middle = await make(
        client, editor, "Espace", encode_id("Section", await _pk(root["slug"])), position=1
    )
    head = await make(client, editor, "Une santé", root["slug"], position=0)
    assert middle["parent"] == {"slug": root["slug"]}
    assert await children(client, root["slug"]) == [
        (head["slug"], 0),
        (first["slug"], 1),
        (middle["slug"], 2),
        (last["slug"], 3),
    ]
    read = await payload(client, None, TREE, {"s": root["slug"]})
    assert read["description"] == "Recherche, médecine."
    twin = await make(client, editor, "Médecine", root["slug"])
    assert twin["slug"] == f"{first['slug']}-2"


async def _pk(slug: str) -> int:
    return (await Section.get(slug=slug)).pk


async def test_a_section_is_renamed(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    root, kids = await tree(client, editor)
    slug = unique("sante-publique")
    changed = await succeed(
        client,
        editor,
        UPDATE,
        {
            "id": encode_id("Section", await _pk(root)),
            "input": {"name": "Santé publique", "slug": slug, "description": "  Hôpitaux.  "},
        },
    )
    assert changed["section"]["slug"] == slug
    read = await payload(client, None, TREE, {"s": slug})
    assert (read["name"], read["description"]) == ("Santé publique", "Hôpitaux.")
    assert [c["slug"] for c in read["children"]] == kids  # the children followed
    assert await payload(client, None, TREE, {"s": root}) is None
    same = await succeed(
        client, editor, UPDATE, {"id": changed["section"]["id"], "input": {"slug": slug}}
    )
    assert same["section"]["slug"] == slug  # its own slug is no duplicate


async def test_moves_keep_siblings_dense_and_ordered(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    root, (a, b, c) = await tree(client, editor)
    other, (x, y, _z) = await tree(client, editor)

    async def move(slug: str, parent: str | None, position: int | None = None) -> dict[str, Any]:
        variables = {
            "id": encode_id("Section", await _pk(slug)),
            "parent": parent,
            "position": position,
        }
        moved: dict[str, Any] = (await succeed(client, editor, MOVE, variables))["section"]
        return moved

    await move(c, root, 0)  # within its parent
    assert await children(client, root) == [(c, 0), (a, 1), (b, 2)]
    await move(a, root)  # to the end
    assert await children(client, root) == [(c, 0), (b, 1), (a, 2)]
    before = await fingerprint(Section)
    for position in (3, -1):  # 0 … 2 among the two others
        variables = {"id": encode_id("Section", await _pk(a)), "parent": root, "position": position}
        result = await payload(client, editor, MOVE, variables)
        assert typed(result) == [("position", "OUT_OF_RANGE")]
    assert await fingerprint(Section) == before
    await move(a, root, 2)
    assert await children(client, root) == [(c, 0), (b, 1), (a, 2)]

    moved = await move(b, other, 1)  # to another parent
    assert moved["parent"] == {"slug": other} and moved["position"] == 1
    assert await children(client, root) == [(c, 0), (a, 1)]
    assert [s for s, _ in await children(client, other)][:2] == [x, b]
    assert [p for _, p in await children(client, other)] == [0, 1, 2, 3]

    await move(other, root, 1)  # a whole subtree, by the parent's ID
    await move(y, encode_id("Section", await _pk(a)))
    read = await payload(client, None, TREE, {"s": root})
    assert [(s["slug"], s["position"]) for s in read["children"]] == [(c, 0), (other, 1), (a, 2)]
    assert [s["slug"] for s in read["children"][1]["children"]] == [x, b, _z]
    assert read["children"][2]["children"] == [{"slug": y, "position": 0}]

    top = await move(other, None)  # back to the top level, last
    assert top["parent"] is None
    roots = await top_level(client)
    assert roots[-1] == (other, len(roots) - 1)
    assert [p for _, p in roots] == list(range(len(roots)))
    assert await children(client, root) == [(c, 0), (a, 1)]


async def test_a_section_cannot_go_under_itself_or_its_descendants(
    client: httpx.AsyncClient,
) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    root, (a, _b, _c) = await tree(client, editor)
    grandchild = await make(client, editor, unique("Petite"), a)
    root_id = encode_id("Section", await _pk(root))
    for parent in (root, a, grandchild["slug"], grandchild["id"]):
        before = await fingerprint(Section)
        result = await payload(client, editor, MOVE, {"id": root_id, "parent": parent})
        assert result["section"] is None
        assert typed(result) == [("parent", "CYCLE")]
        assert await fingerprint(Section) == before
    sideways = await payload(
        client, editor, MOVE, {"id": encode_id("Section", await _pk(a)), "parent": _b}
    )
    assert sideways["errors"] == []  # under a sibling: no cycle


MOVE_ANY = {"id": TARGET, "parent": "monde", "position": 0}
REFUSED = [
    ("sectionCreate", CREATE, {"input": {"name": "Interdite"}}),
    ("sectionUpdate", UPDATE, {"id": TARGET, "input": {"name": "Interdite"}}),
    ("sectionMove", MOVE, MOVE_ANY),
]


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (None, "UNAUTHENTICATED"),
        (UserRole.AUTHOR, "FORBIDDEN"),
        (UserRole.CONTRIBUTOR, "FORBIDDEN"),
    ],
)
@pytest.mark.parametrize(("name", "query", "variables"), REFUSED)
async def test_only_editors_and_admins_manage_sections(
    client: httpx.AsyncClient,
    role: UserRole | None,
    code: str,
    name: str,
    query: str,
    variables: dict[str, Any],
) -> None:
    token = None if role is None else (await staff_token(role))[1]
    target = await Section.create(slug=unique("t-section"), name="Cible")
    variables = substitute(variables, encode_id("Section", target.pk))
    before = await fingerprint(Section)
    assert await refused_code(client, token, query, variables) == code
    assert await fingerprint(Section) == before


async def test_admins_manage_sections(client: httpx.AsyncClient) -> None:
    _, admin = await staff_token(UserRole.ADMIN)
    root, _ = await tree(client, admin)
    assert len(await children(client, root)) == 3


NO_SECTION = encode_id("Section", MISSING)
BAD = [
    ("sectionCreate", CREATE, {"input": {"name": ""}}, "name", "REQUIRED"),
    ("sectionCreate", CREATE, {"input": {"name": " \t "}}, "name", "REQUIRED"),
    ("sectionCreate", CREATE, {"input": {"name": "n" * 201}}, "name", "TOO_LONG"),
    ("sectionCreate", CREATE, {"input": {"name": "Ok", "description": "d" * 2001}}, "description", "TOO_LONG"),
    ("sectionCreate", CREATE, {"input": {"name": "Ok", "slug": "m\u043ende"}}, "slug", "INVALID"),  # Cyrillic о
    ("sectionCreate", CREATE, {"input": {"name": "Ok", "slug": "Monde"}}, "slug", "DUPLICATE"),  # monde
    ("sectionCreate", CREATE, {"input": {"name": "Ok", "slug": "monde_2"}}, "slug", "INVALID"),
    ("sectionCreate", CREATE, {"input": {"name": "Ok", "slug": "monde"}}, "slug", "DUPLICATE"),
    ("sectionCreate", CREATE, {"input": {"name": "Ok", "parent": "nulle-part"}}, "parent", "NOT_FOUND"),
    ("sectionCreate", CREATE, {"input": {"name": "Ok", "parent": NO_SECTION}}, "parent", "NOT_FOUND"),
    ("sectionCreate", CREATE, {"input": {"name": "Ok", "parent": "Pas un slug"}}, "parent", "INVALID"),
    ("sectionCreate", CREATE, {"input": {"name": "Ok", "parent": encode_id("Tag", 1)}}, "parent", "INVALID"),
    ("sectionCreate", CREATE, {"input": {"name": "Ok", "parent": "monde", "position": -1}}, "position", "OUT_OF_RANGE"),
    ("sectionCreate", CREATE, {"input": {"name": "Ok", "position": 10_000}}, "position", "OUT_OF_RANGE"),
    ("sectionUpdate", UPDATE, {"id": TARGET, "input": {"name": ""}}, "name", "REQUIRED"),
    ("sectionUpdate", UPDATE, {"id": TARGET, "input": {"slug": "culture"}}, "slug", "DUPLICATE"),
    ("sectionUpdate", UPDATE, {"id": TARGET, "input": {"slug": "a b"}}, "slug", "INVALID"),
    ("sectionUpdate", UPDATE, {"id": TARGET, "input": {"description": "d" * 2001}}, "description", "TOO_LONG"),
    ("sectionUpdate", UPDATE, {"id": NO_SECTION, "input": {"name": "X"}}, "id", "NOT_FOUND"),
    ("sectionMove", MOVE, {"id": TARGET, "parent": "nulle-part"}, "parent", "NOT_FOUND"),
    ("sectionMove", MOVE, {"id": TARGET, "parent": "Monde!"}, "parent", "INVALID"),
    ("sectionMove", MOVE, {"id": TARGET, "parent": "monde", "position": 10_000}, "position", "OUT_OF_RANGE"),
    ("sectionMove", MOVE, {"id": TARGET, "parent": "monde", "position": -2}, "position", "OUT_OF_RANGE"),
    ("sectionMove", MOVE, {"id": TARGET, "parent": "<itself>"}, "parent", "CYCLE"),
    ("sectionMove", MOVE, {"id": NO_SECTION, "parent": "monde"}, "id", "NOT_FOUND"),
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
    target = await Section.create(slug=unique("t-section"), name="Cible")
    variables = substitute(variables, encode_id("Section", target.pk))
    if variables.get("parent") == "<itself>":
        variables["parent"] = target.slug
    before = await fingerprint(Section)
    result = await payload(client, editor, query, variables)
    assert result["section"] is None
    assert typed(result) == [(field, code)], result
    assert await fingerprint(Section) == before


async def test_malformed_ids_are_refused_before_anything_is_written(
    client: httpx.AsyncClient,
) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    before = await fingerprint(Section)
    for query, variables in (
        (UPDATE, {"id": "pas-un-id", "input": {"name": "X"}}),
        (MOVE, {"id": encode_id("Article", 1), "parent": None}),
    ):
        body = await call(client, editor, query, variables)
        assert body["data"] is None
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "id"}
    assert await fingerprint(Section) == before


async def test_a_failure_part_way_leaves_the_tree_as_it_was(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gqlnews.newsroom import sections

    _, editor = await staff_token(UserRole.EDITOR)
    _, (a, _b, _c) = await tree(client, editor)
    other, _ = await tree(client, editor)
    renumber = sections._renumber
    calls: list[int] = []

    async def fails_second_time(ordered: list[Section]) -> None:
        calls.append(len(ordered))
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        await renumber(ordered)

    monkeypatch.setattr(sections, "_renumber", fails_second_time)
    before = await fingerprint(Section)
    variables = {"id": encode_id("Section", await _pk(a)), "parent": other, "position": 0}
    body = await call(client, editor, MOVE, variables)
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert calls == [2, 4]  # the old siblings were closed up, then it failed
    assert await fingerprint(Section) == before


async def test_concurrent_creates_under_one_parent_take_turns(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    root = await make(client, editor, unique("Concurrence"))

    async def create(n: int) -> dict[str, Any]:
        variables = {"input": {"name": f"{root['slug']} {n}", "parent": root["slug"]}}
        return await succeed(client, editor, CREATE, variables)

    await asyncio.gather(*(create(n) for n in range(8)))
    assert [p for _, p in await children(client, root["slug"])] == list(range(8))
