# ruff: noqa: E501  (the bad-input tables read best one case per line)
"""Print mutations through GraphQL: editions and supplements written and read back, articles
placed in print order, an article in one print product at most, who may write, and bad input
refused with typed errors and nothing written (a supplement's articles: all or nothing)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from gqlnews.ids import encode_id
from gqlnews.models import Article, Edition, Image, Section, Supplement, UserRole
from tests.account_factories import staff_token
from tests.factories import make_article, unique
from tests.test_mutations_catalog import (
    MISSING,
    fingerprint,
    mutation,
    payload,
    refused_code,
    succeed,
    typed,
)
from tests.test_newsroom_workflow import call

EDITION = "edition { id number date title pageCount pdfUrl cover { id } }"
PLACED = "edition { number } article { slug page edition { number } supplement { slug } }"
SUPPLEMENT = "supplement { id slug title description date pageCount edition { number } section { slug } cover { id } }"
EDITION_CREATE = mutation("editionCreate", "$input: EditionCreateInput!", EDITION)
EDITION_UPDATE = mutation("editionUpdate", "$id: ID!, $input: EditionUpdateInput!", EDITION)
SET_COVER = mutation("editionSetCover", "$id: ID!, $imageId: ID", EDITION)
PLACE = mutation(
    "editionPlaceArticle", "$id: ID!, $articleId: ID!, $page: Int!, $position: Int", PLACED
)
REMOVE = mutation("editionRemoveArticle", "$id: ID!, $articleId: ID!", PLACED)
SUPPLEMENT_CREATE = mutation("supplementCreate", "$input: SupplementCreateInput!", SUPPLEMENT)
SUPPLEMENT_UPDATE = mutation(
    "supplementUpdate", "$id: ID!, $input: SupplementUpdateInput!", SUPPLEMENT
)
SET_ARTICLES = mutation(
    "supplementSetArticles", "$id: ID!, $articles: [SupplementArticleInput!]!", SUPPLEMENT
)
PAGES = "query($n: Int!) { edition(number: $n) { pages { number articles { slug } } } }"
SUPPLEMENT_ARTICLES = (
    "query($s: String!) { supplement(slug: $s) { articles { nodes { slug page } } } }"
)
WHERE = "query($s: String!) { article(slug: $s) { page edition { number } supplement { slug } } }"
PRINT = (Edition, Supplement, Article)

_numbers = itertools.count(1)


def new_edition_key() -> tuple[int, date]:
    """A number and a date no edition has (far from the demo's)."""
    n = next(_numbers)
    return 700_000 + n, date(1850, 1, 1) + timedelta(days=n)


async def make_edition(page_count: int = 8) -> Edition:
    number, day = new_edition_key()
    return await Edition.create(number=number, date=day, title="Cible", page_count=page_count)


async def make_supplement(page_count: int = 4) -> Supplement:
    return await Supplement.create(
        slug=unique("t-supplement"), title="Cible", date=date(1850, 6, 1), page_count=page_count
    )


async def articles(count: int, **kw: Any) -> list[Article]:
    """Published articles in Monde (readers see them in print)."""
    monde = await Section.get(slug="monde")
    return [await make_article(section=monde, **kw) for _ in range(count)]


def gid(row: Edition | Supplement | Article | Image) -> str:
    return encode_id(type(row).__name__, row.pk)


async def pages(client: httpx.AsyncClient, number: int) -> list[tuple[int, list[str]]]:
    edition = await payload(client, None, PAGES, {"n": number})
    return [(p["number"], [a["slug"] for a in p["articles"]]) for p in edition["pages"]]


async def positions(*rows: Article) -> list[tuple[int | None, int | None, int | None, int]]:
    """(edition id, supplement id, page, print position) of each article, as stored."""
    found = []
    for row in rows:
        await row.refresh_from_db()
        found.append((row.edition_id, row.supplement_id, row.page, row.print_position))
    return found


async def images(count: int) -> list[str]:
    rows = await Image.all().order_by("id").limit(count)
    return [gid(row) for row in rows]


async def test_an_edition_is_created_changed_and_read_back(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    number, day = new_edition_key()
    cover, other = await images(2)
    made = await succeed(
        client,
        editor,
        EDITION_CREATE,
        {
            "input": {
                "number": number,
                "date": day.isoformat(),
                "pageCount": 24,
                "coverImageId": cover,
                "pdfUrl": "https://pdf.example/1.pdf",
            }
        },
    )
    edition = made["edition"]
    assert edition["title"] == f"N° {number}"
    read = await payload(
        client,
        None,
        "query($n: Int!) { edition(number: $n) { date title pageCount pdfUrl cover { id } } }",
        {"n": number},
    )
    assert read == {
        "date": day.isoformat(),
        "title": f"N° {number}",
        "pageCount": 24,
        "pdfUrl": "https://pdf.example/1.pdf",
        "cover": {"id": cover},
    }

    renumbered, redated = new_edition_key()
    changed = await succeed(
        client,
        editor,
        EDITION_UPDATE,
        {
            "id": edition["id"],
            "input": {
                "number": renumbered,
                "date": redated.isoformat(),
                "title": " Édition du soir ",
                "pageCount": 32,
                "pdfUrl": None,
            },
        },
    )
    assert changed["edition"] == {
        "id": edition["id"],
        "number": renumbered,
        "date": redated.isoformat(),
        "title": "Édition du soir",
        "pageCount": 32,
        "pdfUrl": None,
        "cover": {"id": cover},  # left out: kept
    }
    assert (
        await payload(client, None, "query($n: Int!) { edition(number: $n) { id } }", {"n": number})
        is None
    )
    same = await succeed(
        client,
        editor,
        EDITION_UPDATE,
        {"id": edition["id"], "input": {"number": renumbered, "date": redated.isoformat()}},
    )
    assert same["edition"]["number"] == renumbered  # its own number and date are no duplicates

    covered = await succeed(client, editor, SET_COVER, {"id": edition["id"], "imageId": other})
    assert covered["edition"]["cover"] == {"id": other}
    bare = await succeed(client, editor, SET_COVER, {"id": edition["id"], "imageId": None})
    assert bare["edition"]["cover"] is None
    assert (await Edition.get(number=renumbered)).cover_id is None


async def test_articles_are_placed_in_print_order(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    edition = await make_edition()
    a, b, c = await articles(3)

    async def place(article: Article, page: int, position: int | None = None) -> dict[str, Any]:
        variables = {
            "id": gid(edition),
            "articleId": gid(article),
            "page": page,
            "position": position,
        }
        return await succeed(client, editor, PLACE, variables)

    placed = await place(a, 2)
    assert placed["article"] == {
        "slug": a.slug,
        "page": 2,
        "edition": {"number": edition.number},
        "supplement": None,
    }
    await place(b, 2)
    await place(c, 2, 1)
    assert await pages(client, edition.number) == [(2, [c.slug, a.slug, b.slug])]
    assert [p[3] for p in await positions(c, a, b)] == [1, 2, 3]

    await place(a, 3)  # its old page closes up
    assert await pages(client, edition.number) == [(2, [c.slug, b.slug]), (3, [a.slug])]
    assert [p[3] for p in await positions(c, b, a)] == [1, 2, 1]
    await place(b, 2, 1)  # reordered on the same page
    assert await pages(client, edition.number) == [(2, [b.slug, c.slug]), (3, [a.slug])]
    assert [p[3] for p in await positions(b, c)] == [1, 2]

    other = await make_edition()
    await succeed(client, editor, PLACE, {"id": gid(other), "articleId": gid(b), "page": 1})
    assert await pages(client, edition.number) == [(2, [c.slug]), (3, [a.slug])]
    assert await positions(c) == [(edition.pk, None, 2, 1)]

    removed = await succeed(client, editor, REMOVE, {"id": gid(edition), "articleId": gid(c)})
    assert removed["article"] == {"slug": c.slug, "page": None, "edition": None, "supplement": None}
    assert await pages(client, edition.number) == [(3, [a.slug])]
    read = await payload(client, None, WHERE, {"s": a.slug})
    assert read == {"page": 3, "edition": {"number": edition.number}, "supplement": None}


async def test_an_article_is_in_one_print_product_at_most(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    edition, supplement = await make_edition(), await make_supplement()
    x, y = await articles(2)
    listed = [{"articleId": gid(x), "page": 1}, {"articleId": gid(y), "page": 1}]
    await succeed(client, editor, SET_ARTICLES, {"id": gid(supplement), "articles": listed})
    assert await positions(x, y) == [(None, supplement.pk, 1, 1), (None, supplement.pk, 1, 2)]

    placed = await succeed(
        client, editor, PLACE, {"id": gid(edition), "articleId": gid(x), "page": 5}
    )
    assert placed["article"]["supplement"] is None
    assert await positions(x, y) == [(edition.pk, None, 5, 1), (None, supplement.pk, 1, 1)]

    back = [{"articleId": gid(x), "page": 2}, {"articleId": gid(y), "page": 1}]
    await succeed(client, editor, SET_ARTICLES, {"id": gid(supplement), "articles": back})
    assert await positions(x, y) == [(None, supplement.pk, 2, 1), (None, supplement.pk, 1, 1)]
    assert await pages(client, edition.number) == []


async def test_a_supplement_is_created_changed_and_read_back(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    edition = await make_edition()
    (cover,) = await images(1)
    title = f"Spécial Énergies {unique('e')}"
    made = await succeed(
        client,
        editor,
        SUPPLEMENT_CREATE,
        {
            "input": {
                "title": title,
                "date": "1850-03-01",
                "description": "Le solaire.",
                "editionNumber": edition.number,
                "section": "economie",
                "pageCount": 12,
                "coverImageId": cover,
            }
        },
    )
    supplement = made["supplement"]
    assert supplement["slug"] == f"special-energies-{title.rsplit(' ', 1)[1]}"
    read = await payload(
        client,
        None,
        "query($s: String!) { supplement(slug: $s) { title description date pageCount edition { number } section { slug } cover { id } } }",
        {"s": supplement["slug"]},
    )
    assert read == {
        "title": title,
        "description": "Le solaire.",
        "date": "1850-03-01",
        "pageCount": 12,
        "edition": {"number": edition.number},
        "section": {"slug": "economie"},
        "cover": {"id": cover},
    }

    slug = unique("special-energies")
    culture = encode_id("Section", (await Section.get(slug="culture")).pk)
    changed = await succeed(
        client,
        editor,
        SUPPLEMENT_UPDATE,
        {
            "id": supplement["id"],
            "input": {
                "slug": slug,
                "section": culture,
                "editionNumber": None,
                "coverImageId": None,
                "pageCount": 16,
            },
        },
    )
    assert changed["supplement"] == {
        **supplement,
        "slug": slug,
        "section": {"slug": "culture"},
        "edition": None,
        "cover": None,
        "pageCount": 16,
    }
    cleared = await succeed(
        client,
        editor,
        SUPPLEMENT_UPDATE,
        {"id": supplement["id"], "input": {"section": None, "title": "Énergies"}},
    )
    assert (cleared["supplement"]["section"], cleared["supplement"]["title"]) == (None, "Énergies")


async def test_a_supplements_articles_are_set_in_order(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    edition, supplement = await make_edition(), await make_supplement()
    a, b, c, d, e = await articles(5)
    for article in (e, a):
        await succeed(
            client, editor, PLACE, {"id": gid(edition), "articleId": gid(article), "page": 2}
        )

    listed = [(a, 1), (b, 2), (c, 1)]
    variables = {
        "id": gid(supplement),
        "articles": [{"articleId": gid(x), "page": p} for x, p in listed],
    }
    await succeed(client, editor, SET_ARTICLES, variables)
    read = await payload(client, None, SUPPLEMENT_ARTICLES, {"s": supplement.slug})
    assert read["articles"]["nodes"] == [
        {"slug": a.slug, "page": 1},
        {"slug": c.slug, "page": 1},
        {"slug": b.slug, "page": 2},
    ]
    assert await positions(a, c, b) == [
        (None, supplement.pk, 1, 1),
        (None, supplement.pk, 1, 2),
        (None, supplement.pk, 2, 1),
    ]
    assert await pages(client, edition.number) == [(2, [e.slug])]  # a left the edition
    assert await positions(e) == [(edition.pk, None, 2, 1)]

    variables = {
        "id": gid(supplement),
        "articles": [{"articleId": gid(d), "page": 4}, {"articleId": gid(c), "page": 4}],
    }
    await succeed(client, editor, SET_ARTICLES, variables)
    assert await positions(d, c) == [(None, supplement.pk, 4, 1), (None, supplement.pk, 4, 2)]
    assert await positions(a, b) == [
        (None, None, None, 0),
        (None, None, None, 0),
    ]  # no longer listed

    await succeed(client, editor, SET_ARTICLES, {"id": gid(supplement), "articles": []})
    assert not await Article.filter(supplement_id=supplement.pk).exists()


async def test_one_unknown_article_and_a_supplement_keeps_its_articles(
    client: httpx.AsyncClient,
) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    edition, supplement = await make_edition(), await make_supplement()
    a, b, c = await articles(3)
    await succeed(
        client,
        editor,
        SET_ARTICLES,
        {"id": gid(supplement), "articles": [{"articleId": gid(a), "page": 1}]},
    )
    await succeed(client, editor, PLACE, {"id": gid(edition), "articleId": gid(b), "page": 1})
    before = await fingerprint(*PRINT)
    listed = [
        {"articleId": gid(b), "page": 1},
        {"articleId": gid(c), "page": 2},
        {"articleId": encode_id("Article", MISSING), "page": 3},
    ]
    result = await payload(
        client, editor, SET_ARTICLES, {"id": gid(supplement), "articles": listed}
    )
    assert result["supplement"] is None
    assert typed(result) == [("articles", "NOT_FOUND")]
    assert "articles[2]" in result["errors"][0]["message"]
    assert await fingerprint(*PRINT) == before
    assert await positions(a, b, c) == [
        (None, supplement.pk, 1, 1),
        (edition.pk, None, 1, 1),
        (None, None, None, 0),
    ]


async def test_pages_in_use_cannot_be_cut(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    edition, supplement = await make_edition(8), await make_supplement(4)
    a, b = await articles(2)
    await succeed(client, editor, PLACE, {"id": gid(edition), "articleId": gid(a), "page": 6})
    await succeed(
        client,
        editor,
        SET_ARTICLES,
        {"id": gid(supplement), "articles": [{"articleId": gid(b), "page": 3}]},
    )
    before = await fingerprint(*PRINT)
    for query, target in ((EDITION_UPDATE, edition), (SUPPLEMENT_UPDATE, supplement)):
        result = await payload(
            client, editor, query, {"id": gid(target), "input": {"pageCount": 2}}
        )
        assert typed(result) == [("pageCount", "OUT_OF_RANGE")]
    assert await fingerprint(*PRINT) == before
    await succeed(client, editor, EDITION_UPDATE, {"id": gid(edition), "input": {"pageCount": 6}})
    await succeed(
        client, editor, SUPPLEMENT_UPDATE, {"id": gid(supplement), "input": {"pageCount": 3}}
    )


# --- who may write, and bad input ------------------------------------------------------


async def scene() -> dict[str, Any]:
    """Fresh objects for a table row: placeholders and the values that replace them."""
    edition, supplement, empty = (
        await make_edition(8),
        await make_supplement(4),
        await make_edition(0),
    )
    free, in_edition, in_supplement = await articles(3)
    (trashed,) = await articles(1, deleted_at=datetime.now(UTC))
    await Article.filter(id=in_edition.pk).update(edition_id=edition.pk, page=8, print_position=1)
    await Article.filter(id=in_supplement.pk).update(
        supplement_id=supplement.pk, page=4, print_position=1
    )
    taken = await Edition.exclude(id=edition.pk).order_by("id").first()
    assert taken is not None
    return {
        "<edition>": gid(edition),
        "<empty-edition>": gid(empty),
        "<supplement>": gid(supplement),
        "<article>": gid(free),
        "<trashed>": gid(trashed),
        "<taken-number>": taken.number,
        "<taken-date>": taken.date.isoformat(),
    }


def fill(value: Any, values: dict[str, Any]) -> Any:
    """``value`` with every placeholder string replaced, in nested inputs and lists too."""
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    return values.get(value, value) if isinstance(value, str) else value


ANY = [
    ("editionCreate", EDITION_CREATE, {"input": {"number": 654_321, "date": "2160-01-01"}}),
    ("editionUpdate", EDITION_UPDATE, {"id": "<edition>", "input": {"title": "Non"}}),
    ("editionSetCover", SET_COVER, {"id": "<edition>", "imageId": None}),
    ("editionPlaceArticle", PLACE, {"id": "<edition>", "articleId": "<article>", "page": 1}),
    ("editionRemoveArticle", REMOVE, {"id": "<edition>", "articleId": "<article>"}),
    ("supplementCreate", SUPPLEMENT_CREATE, {"input": {"title": "Non", "date": "2160-01-01"}}),
    ("supplementUpdate", SUPPLEMENT_UPDATE, {"id": "<supplement>", "input": {"title": "Non"}}),
    ("supplementSetArticles", SET_ARTICLES, {"id": "<supplement>", "articles": [{"articleId": "<article>", "page": 1}]}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (None, "UNAUTHENTICATED"),
        (UserRole.AUTHOR, "FORBIDDEN"),
        (UserRole.CONTRIBUTOR, "FORBIDDEN"),
    ],
)
@pytest.mark.parametrize(("name", "query", "variables"), ANY)
async def test_only_editors_and_admins_manage_print(
    client: httpx.AsyncClient,
    role: UserRole | None,
    code: str,
    name: str,
    query: str,
    variables: dict[str, Any],
) -> None:
    token = None if role is None else (await staff_token(role))[1]
    variables = fill(variables, await scene())
    before = await fingerprint(*PRINT)
    assert await refused_code(client, token, query, variables) == code
    assert await fingerprint(*PRINT) == before


async def test_admins_manage_print(client: httpx.AsyncClient) -> None:
    _, admin = await staff_token(UserRole.ADMIN)
    values = await scene()
    await succeed(
        client, admin, PLACE, fill({"id": "<edition>", "articleId": "<article>", "page": 1}, values)
    )
    await succeed(client, admin, SET_ARTICLES, fill({"id": "<supplement>", "articles": []}, values))


NO_IMAGE = encode_id("Image", MISSING)
NO_ARTICLE = encode_id("Article", MISSING)
NEW = {"number": 654_322, "date": "2160-01-02"}
BAD = [
    ("editionCreate", EDITION_CREATE, {"input": {**NEW, "number": 0}}, "number", "OUT_OF_RANGE"),
    ("editionCreate", EDITION_CREATE, {"input": {**NEW, "number": 1_000_000}}, "number", "OUT_OF_RANGE"),
    ("editionCreate", EDITION_CREATE, {"input": {**NEW, "number": "<taken-number>"}}, "number", "DUPLICATE"),
    ("editionCreate", EDITION_CREATE, {"input": {**NEW, "date": "<taken-date>"}}, "date", "DUPLICATE"),
    ("editionCreate", EDITION_CREATE, {"input": {**NEW, "date": "1799-12-31"}}, "date", "OUT_OF_RANGE"),
    ("editionCreate", EDITION_CREATE, {"input": {**NEW, "title": "t" * 301}}, "title", "TOO_LONG"),
    ("editionCreate", EDITION_CREATE, {"input": {**NEW, "pageCount": -1}}, "pageCount", "OUT_OF_RANGE"),
    ("editionCreate", EDITION_CREATE, {"input": {**NEW, "pageCount": 1001}}, "pageCount", "OUT_OF_RANGE"),
    ("editionCreate", EDITION_CREATE, {"input": {**NEW, "pdfUrl": "ftp://pdf.example/1.pdf"}}, "pdfUrl", "INVALID"),
    ("editionCreate", EDITION_CREATE, {"input": {**NEW, "coverImageId": NO_IMAGE}}, "coverImageId", "NOT_FOUND"),
    ("editionUpdate", EDITION_UPDATE, {"id": "<edition>", "input": {"title": "  "}}, "title", "REQUIRED"),
    ("editionUpdate", EDITION_UPDATE, {"id": "<edition>", "input": {"number": "<taken-number>"}}, "number", "DUPLICATE"),
    ("editionUpdate", EDITION_UPDATE, {"id": "<edition>", "input": {"date": "<taken-date>"}}, "date", "DUPLICATE"),
    ("editionUpdate", EDITION_UPDATE, {"id": "<edition>", "input": {"date": "2200-01-01"}}, "date", "OUT_OF_RANGE"),
    ("editionUpdate", EDITION_UPDATE, {"id": "<edition>", "input": {"pageCount": 7}}, "pageCount", "OUT_OF_RANGE"),
    ("editionUpdate", EDITION_UPDATE, {"id": "<edition>", "input": {"pdfUrl": "pdf/1.pdf"}}, "pdfUrl", "INVALID"),
    ("editionUpdate", EDITION_UPDATE, {"id": encode_id("Edition", MISSING), "input": {"title": "X"}}, "id", "NOT_FOUND"),
    ("editionSetCover", SET_COVER, {"id": "<edition>", "imageId": NO_IMAGE}, "imageId", "NOT_FOUND"),
    ("editionSetCover", SET_COVER, {"id": encode_id("Edition", MISSING), "imageId": None}, "id", "NOT_FOUND"),
    ("editionPlaceArticle", PLACE, {"id": "<edition>", "articleId": "<article>", "page": 0}, "page", "OUT_OF_RANGE"),
    ("editionPlaceArticle", PLACE, {"id": "<edition>", "articleId": "<article>", "page": 9}, "page", "OUT_OF_RANGE"),
    ("editionPlaceArticle", PLACE, {"id": "<empty-edition>", "articleId": "<article>", "page": 1}, "page", "OUT_OF_RANGE"),
    ("editionPlaceArticle", PLACE, {"id": "<edition>", "articleId": "<article>", "page": 8, "position": 0}, "position", "OUT_OF_RANGE"),
    ("editionPlaceArticle", PLACE, {"id": "<edition>", "articleId": "<article>", "page": 8, "position": 3}, "position", "OUT_OF_RANGE"),
    ("editionPlaceArticle", PLACE, {"id": "<edition>", "articleId": NO_ARTICLE, "page": 1}, "articleId", "NOT_FOUND"),
    ("editionPlaceArticle", PLACE, {"id": "<edition>", "articleId": "<trashed>", "page": 1}, "articleId", "NOT_FOUND"),
    ("editionPlaceArticle", PLACE, {"id": encode_id("Edition", MISSING), "articleId": "<article>", "page": 1}, "id", "NOT_FOUND"),
    ("editionRemoveArticle", REMOVE, {"id": "<edition>", "articleId": "<article>"}, "articleId", "NOT_FOUND"),
    ("editionRemoveArticle", REMOVE, {"id": encode_id("Edition", MISSING), "articleId": "<article>"}, "id", "NOT_FOUND"),
    ("supplementCreate", SUPPLEMENT_CREATE, {"input": {"title": "", "date": "1850-01-01"}}, "title", "REQUIRED"),
    ("supplementCreate", SUPPLEMENT_CREATE, {"input": {"title": "t" * 301, "date": "1850-01-01"}}, "title", "TOO_LONG"),
    ("supplementCreate", SUPPLEMENT_CREATE, {"input": {"title": "Ok", "date": "1850-01-01", "description": "d" * 2001}}, "description", "TOO_LONG"),
    ("supplementCreate", SUPPLEMENT_CREATE, {"input": {"title": "Ok", "date": "1700-01-01"}}, "date", "OUT_OF_RANGE"),
    ("supplementCreate", SUPPLEMENT_CREATE, {"input": {"title": "Ok", "date": "1850-01-01", "slug": "Spécial 2027"}}, "slug", "INVALID"),
    ("supplementCreate", SUPPLEMENT_CREATE, {"input": {"title": "Ok", "date": "1850-01-01", "slug": "guide-saison-culturelle"}}, "slug", "DUPLICATE"),
    ("supplementCreate", SUPPLEMENT_CREATE, {"input": {"title": "Ok", "date": "1850-01-01", "editionNumber": 999_999}}, "editionNumber", "NOT_FOUND"),
    ("supplementCreate", SUPPLEMENT_CREATE, {"input": {"title": "Ok", "date": "1850-01-01", "section": "nulle-part"}}, "section", "NOT_FOUND"),
    ("supplementCreate", SUPPLEMENT_CREATE, {"input": {"title": "Ok", "date": "1850-01-01", "section": "Pas Un Slug"}}, "section", "INVALID"),
    ("supplementCreate", SUPPLEMENT_CREATE, {"input": {"title": "Ok", "date": "1850-01-01", "pageCount": 1001}}, "pageCount", "OUT_OF_RANGE"),
    ("supplementCreate", SUPPLEMENT_CREATE, {"input": {"title": "Ok", "date": "1850-01-01", "coverImageId": NO_IMAGE}}, "coverImageId", "NOT_FOUND"),
    ("supplementUpdate", SUPPLEMENT_UPDATE, {"id": "<supplement>", "input": {"title": " "}}, "title", "REQUIRED"),
    ("supplementUpdate", SUPPLEMENT_UPDATE, {"id": "<supplement>", "input": {"slug": "guide-saison-culturelle"}}, "slug", "DUPLICATE"),
    ("supplementUpdate", SUPPLEMENT_UPDATE, {"id": "<supplement>", "input": {"editionNumber": 999_999}}, "editionNumber", "NOT_FOUND"),
    ("supplementUpdate", SUPPLEMENT_UPDATE, {"id": "<supplement>", "input": {"section": encode_id("Section", MISSING)}}, "section", "NOT_FOUND"),
    ("supplementUpdate", SUPPLEMENT_UPDATE, {"id": "<supplement>", "input": {"pageCount": 3}}, "pageCount", "OUT_OF_RANGE"),
    ("supplementUpdate", SUPPLEMENT_UPDATE, {"id": "<supplement>", "input": {"coverImageId": NO_IMAGE}}, "coverImageId", "NOT_FOUND"),
    ("supplementUpdate", SUPPLEMENT_UPDATE, {"id": encode_id("Supplement", MISSING), "input": {"title": "X"}}, "id", "NOT_FOUND"),
    ("supplementSetArticles", SET_ARTICLES, {"id": "<supplement>", "articles": [{"articleId": NO_ARTICLE, "page": 1}]}, "articles", "NOT_FOUND"),
    ("supplementSetArticles", SET_ARTICLES, {"id": "<supplement>", "articles": [{"articleId": "<trashed>", "page": 1}]}, "articles", "NOT_FOUND"),
    ("supplementSetArticles", SET_ARTICLES, {"id": "<supplement>", "articles": [{"articleId": "<article>", "page": 0}]}, "articles", "OUT_OF_RANGE"),
    ("supplementSetArticles", SET_ARTICLES, {"id": "<supplement>", "articles": [{"articleId": "<article>", "page": 5}]}, "articles", "OUT_OF_RANGE"),
    ("supplementSetArticles", SET_ARTICLES, {"id": "<supplement>", "articles": [{"articleId": "<article>", "page": 1}, {"articleId": "<article>", "page": 2}]}, "articles", "DUPLICATE"),
    ("supplementSetArticles", SET_ARTICLES, {"id": "<supplement>", "articles": [{"articleId": "<article>", "page": 1}] * 501}, "articles", "TOO_LONG"),
    ("supplementSetArticles", SET_ARTICLES, {"id": encode_id("Supplement", MISSING), "articles": []}, "id", "NOT_FOUND"),
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
    variables = fill(variables, await scene())
    before = await fingerprint(*PRINT)
    result = await payload(client, editor, query, variables)
    assert all(v is None for k, v in result.items() if k != "errors"), result
    assert typed(result) == [(field, code)], result
    assert await fingerprint(*PRINT) == before


@pytest.mark.parametrize(
    ("query", "variables", "argument"),
    [
        (EDITION_UPDATE, {"id": "<supplement>", "input": {"title": "X"}}, "id"),
        (SET_COVER, {"id": "<edition>", "imageId": "<article>"}, "imageId"),
        (PLACE, {"id": "<edition>", "articleId": "pas-un-id", "page": 1}, "articleId"),
        (
            SET_ARTICLES,
            {"id": "<supplement>", "articles": [{"articleId": "<edition>", "page": 1}]},
            "articles",
        ),
        (
            SUPPLEMENT_CREATE,
            {"input": {"title": "X", "date": "1850-01-01", "coverImageId": "<article>"}},
            "coverImageId",
        ),
    ],
)
async def test_malformed_ids_are_refused_before_anything_is_written(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], argument: str
) -> None:
    _, editor = await staff_token(UserRole.EDITOR)
    variables = fill(variables, await scene())
    before = await fingerprint(*PRINT)
    body = await call(client, editor, query, variables)
    assert body["data"] is None, body
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
    assert await fingerprint(*PRINT) == before


async def test_a_failure_part_way_leaves_the_supplement_as_it_was(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gqlnews.newsroom import print as printing

    _, editor = await staff_token(UserRole.EDITOR)
    edition, supplement = await make_edition(), await make_supplement()
    a, b = await articles(2)
    await succeed(
        client,
        editor,
        SET_ARTICLES,
        {"id": gid(supplement), "articles": [{"articleId": gid(a), "page": 1}]},
    )
    await succeed(client, editor, PLACE, {"id": gid(edition), "articleId": gid(b), "page": 1})
    before = await fingerprint(*PRINT)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(printing, "_leave_print", broken)  # after a left the supplement
    body = await call(
        client,
        editor,
        SET_ARTICLES,
        {"id": gid(supplement), "articles": [{"articleId": gid(b), "page": 1}]},
    )
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert await fingerprint(*PRINT) == before
    assert await positions(a, b) == [(None, supplement.pk, 1, 1), (edition.pk, None, 1, 1)]
