"""No existence oracles (issue #11, item 4): for anyone who may not see an article, a hidden one
and a missing one answer the same in every article mutation; search costs the same for a word
found only in hidden articles as for a word found nowhere; mostRead fills its page from visible
articles whatever hidden articles were read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from gqlnews.ids import encode_id
from gqlnews.models import (
    Article,
    ArticleStatus,
    Edition,
    Image,
    Section,
    Supplement,
    UserRole,
)
from gqlnews.testing import count_queries
from tests.account_factories import post, staff_token
from tests.factories import make_article, make_section, now
from tests.test_ranking_strategies import read, slugs

PAYLOAD = "article { id } errors { field code message }"
AT = "2999-01-01T00:00:00Z"
MUTATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "articleUpdate": (
        f"""mutation($id: ID!) {{ articleUpdate(id: $id, version: 1, input: {{title: "x"}})
        {{ {PAYLOAD} }} }}""",
        {},
    ),
    "articleSubmit": (
        f"mutation($id: ID!) {{ articleSubmit(id: $id, version: 1) {{ {PAYLOAD} }} }}",
        {},
    ),
    "articleReturnToDraft": (
        f"mutation($id: ID!) {{ articleReturnToDraft(id: $id, version: 1) {{ {PAYLOAD} }} }}",
        {},
    ),
    "articleSchedule": (
        f"""mutation($id: ID!, $at: DateTime!) {{ articleSchedule(id: $id, version: 1, at: $at)
        {{ {PAYLOAD} }} }}""",
        {"at": AT},
    ),
    "articlePublish": (
        f"mutation($id: ID!) {{ articlePublish(id: $id, version: 1) {{ {PAYLOAD} }} }}",
        {},
    ),
    "articleUnpublish": (
        f"mutation($id: ID!) {{ articleUnpublish(id: $id, version: 1) {{ {PAYLOAD} }} }}",
        {},
    ),
    "articleSetEmbargo": (
        f"""mutation($id: ID!, $at: DateTime) {{ articleSetEmbargo(id: $id, version: 1,
        until: $at) {{ {PAYLOAD} }} }}""",
        {"at": AT},
    ),
    "articleDelete": (
        f"mutation($id: ID!) {{ articleDelete(id: $id, version: 1) {{ {PAYLOAD} }} }}",
        {},
    ),
    "articleRestore": (
        f"mutation($id: ID!) {{ articleRestore(id: $id) {{ {PAYLOAD} }} }}",
        {},
    ),
    "articleRestoreRevision": (
        f"""mutation($id: ID!) {{ articleRestoreRevision(id: $id, version: 1, revision: 1)
        {{ {PAYLOAD} }} }}""",
        {},
    ),
}


async def _answer(
    client: httpx.AsyncClient, token: str | None, name: str, article_id: str
) -> dict[str, Any]:
    query, variables = MUTATIONS[name]
    response = await post(client, query, {"id": article_id, **variables}, token)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _code(body: dict[str, Any]) -> str:
    if body.get("errors"):
        return str(body["errors"][0]["extensions"]["code"])
    payload = next(iter(body["data"].values()))
    return str(payload["errors"][0]["code"])


@pytest.mark.parametrize("name", sorted(MUTATIONS))
async def test_a_hidden_article_answers_like_a_missing_one(
    client: httpx.AsyncClient, name: str
) -> None:
    owner, _ = await staff_token(UserRole.AUTHOR)
    _, other_author = await staff_token(UserRole.AUTHOR)
    monde = await Section.get(slug="monde")
    draft = await make_article(section=monde, status=ArticleStatus.DRAFT, created_by_id=owner.pk)
    embargoed = await make_article(
        section=monde,
        published_at=now() - timedelta(hours=1),
        embargo_until=now() + timedelta(days=1),
    )
    last = await Article.all().order_by("-id").first().values_list("id", flat=True)
    unknown = encode_id("Article", int(last or 0) + 1_000_000)
    expected = {None: "UNAUTHENTICATED", other_author: "NOT_FOUND"}
    if name in ("articlePublish", "articleSetEmbargo", "articleDelete", "articleRestore"):
        expected[other_author] = "FORBIDDEN"  # editors' moves: refused before any look-up
    for token, code in expected.items():
        missing = await _answer(client, token, name, unknown)
        assert _code(missing) == code, (name, token, missing)
        for hidden in (draft, embargoed):
            answer = await _answer(client, token, name, encode_id("Article", hidden.pk))
            assert answer == missing, (name, token, hidden.slug)
    rows = await Article.filter(id__in=[draft.pk, embargoed.pk]).values_list("version", flat=True)
    assert list(rows) == [1, 1], "nothing was written"


@pytest.mark.parametrize("name", ["articleUpdate", "articleSubmit", "articleRestoreRevision"])
async def test_an_author_who_sees_an_article_but_may_not_change_it_is_forbidden(
    client: httpx.AsyncClient, name: str
) -> None:
    _, author = await staff_token(UserRole.AUTHOR)
    published = await make_article(section=await Section.get(slug="monde"))
    answer = await _answer(client, author, name, encode_id("Article", published.pk))
    assert _code(answer) == "FORBIDDEN", answer


SEARCH = """query($q: String!) { search(query: $q, first: 5) {
  totalCount nodes { slug } pageInfo { hasNextPage } } }"""


async def _search(client: httpx.AsyncClient, word: str) -> tuple[dict[str, Any], list[str]]:
    with count_queries() as sql:
        response = await post(client, SEARCH, {"q": word})
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]["search"], sql.statements


async def test_a_word_found_only_in_hidden_articles_costs_what_a_missing_word_costs(
    client: httpx.AsyncClient,
) -> None:
    monde = await Section.get(slug="monde")
    hidden_word, missing_word, public_word = "zyxhiddenqv", "zyxnowhereqv", "zyxpublicqv"
    for status in (ArticleStatus.DRAFT, ArticleStatus.REVIEW, ArticleStatus.SCHEDULED):
        await make_article(
            section=monde, status=status, title=f"Un mot {hidden_word}", published_at=None
        )
    await make_article(
        section=monde,
        title=f"Encore {hidden_word}",
        published_at=now() - timedelta(hours=1),
        embargo_until=now() + timedelta(days=1),
    )
    await make_article(section=monde, title=f"Un mot {public_word}")
    hidden, hidden_sql = await _search(client, hidden_word)
    missing, missing_sql = await _search(client, missing_word)
    public, public_sql = await _search(client, public_word)
    assert hidden == missing == {"totalCount": 0, "nodes": [], "pageInfo": {"hasNextPage": False}}
    assert len(public["nodes"]) == 1
    # The same statements, word for word (the search expression is a bound parameter): a
    # hidden-only word makes the server do exactly what a missing word does.
    assert hidden_sql == missing_sql
    assert len(hidden_sql) == 1  # the page: none found, no article to load, nothing to count
    assert len(public_sql) == 2  # the page and its article (totalCount: the page is all)


async def test_most_read_fills_its_page_from_visible_articles(client: httpx.AsyncClient) -> None:
    section = await make_section()
    try:
        moment = now()
        # Far more hidden articles were read than the first rounds ask for.
        for i in range(40):
            hidden = await make_article(
                section=section, status=ArticleStatus.DRAFT, slug=f"{section.slug}-h{i}"
            )
            await read(hidden, moment, 10_000 + i)
        visible = [
            await make_article(section=section, published_at=moment - timedelta(days=1))
            for _ in range(6)
        ]
        for views, article in enumerate(visible, start=1):
            await read(article, moment, views)
        query = """query($s: String!, $n: Int!) {
          mostRead(section: $s, first: $n) { rank article { slug } } }"""
        for first in (1, 5):
            with count_queries() as sql:
                response = await post(client, query, {"s": section.slug, "n": first})
            body = response.json()
            assert "errors" not in body, body
            expected = [a.slug for a in reversed(visible)][:first]
            assert slugs(body["data"]["mostRead"]) == expected, first
            assert [row["rank"] for row in body["data"]["mostRead"]] == list(range(1, first + 1))
            assert len(sql.statements) <= 1 + 3 * 2, sql.statements  # section + 3 rounds of 2
        # More than the visible articles asked for: the ranking is exhausted, all six come back.
        response = await post(client, query, {"s": section.slug, "n": 10})
        assert len(response.json()["data"]["mostRead"]) == 6
    finally:  # the section goes too (after its articles): the demo stays as it was found
        await Article.filter(primary_section_id=section.pk).delete()
        await section.delete()


PRINT = {
    "editionUpdate": """mutation($id: ID!) { editionUpdate(id: $id, input: {title: "x"}) {
      edition { id } errors { field code message } } }""",
    "editionSetCover": """mutation($id: ID!) { editionSetCover(id: $id, imageId: null) {
      edition { id } errors { field code message } } }""",
    "supplementUpdate": """mutation($id: ID!) { supplementUpdate(id: $id, input: {title: "x"}) {
      supplement { id } errors { field code message } } }""",
}


@pytest.mark.parametrize("name", sorted(PRINT))
async def test_print_mutations_refuse_before_looking_a_future_edition_up(
    client: httpx.AsyncClient, name: str
) -> None:
    number = 600_000 + int(now().timestamp() * 1000) % 99_999
    future = await Edition.create(
        number=number, date=now().date() + timedelta(days=300 + number % 9_000), title="Demain"
    )
    supplement = await Supplement.create(
        slug=f"t-oracle-{future.number}", title="Demain", date=future.date
    )
    try:
        type_name, hidden = (
            ("Supplement", supplement.pk)
            if name.startswith("supplement")
            else ("Edition", future.pk)
        )
        _, author = await staff_token(UserRole.AUTHOR)
        for token, code in ((None, "UNAUTHENTICATED"), (author, "FORBIDDEN")):
            answers = []
            for pk in (hidden, 2_000_000_000):
                response = await post(client, PRINT[name], {"id": encode_id(type_name, pk)}, token)
                answers.append(response.json())
            assert answers[0] == answers[1], (name, token)
            assert answers[0]["errors"][0]["extensions"]["code"] == code
    finally:
        await supplement.delete()
        await future.delete()


ATTACH = """mutation($input: ArticleCreateInput!) {
  articleCreate(input: $input) { article { id image { url } } errors { field code message } } }"""


async def test_a_picture_only_hidden_articles_use_cannot_be_attached_or_probed(
    client: httpx.AsyncClient,
) -> None:
    """Attaching a picture is no way around the image rule: one that only another author's
    draft uses answers like an unknown id; a public one, or one nothing uses yet (just
    registered), may be attached."""
    owner, _ = await staff_token(UserRole.AUTHOR)
    _, other_author = await staff_token(UserRole.AUTHOR)
    monde = await Section.get(slug="monde")
    secret, fresh, public = [
        await Image.create(url=f"https://img.example/{name}.jpg")
        for name in ("secret", "fresh", "public")
    ]
    try:
        await make_article(
            section=monde, status=ArticleStatus.DRAFT, created_by_id=owner.pk, image=secret
        )
        await make_article(section=monde, image=public)

        async def attach(image_id: str) -> dict[str, Any]:
            variables = {"input": {"title": "Pris", "primarySection": "monde", "imageId": image_id}}
            response = await post(client, ATTACH, variables, other_author)
            payload: dict[str, Any] = response.json()["data"]["articleCreate"]
            return payload

        unknown = await attach(encode_id("Image", secret.pk + 1_000_000))
        assert unknown["errors"] == [
            {"field": "imageId", "code": "NOT_FOUND", "message": "no such image"}
        ]
        assert await attach(encode_id("Image", secret.pk)) == unknown
        for usable in (fresh, public):
            made = await attach(encode_id("Image", usable.pk))
            assert made["errors"] == [] and made["article"]["image"] == {"url": usable.url}
    finally:  # the articles go first (the image columns are set to null), then the images
        await Article.filter(image_id__in=[secret.pk, fresh.pk, public.pk]).delete()
        await Image.filter(id__in=[secret.pk, fresh.pk, public.pk]).delete()
