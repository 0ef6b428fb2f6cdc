"""The example site (examples/site) in a real browser on the demo newsroom: what a reader sees
on each page, checked against what the API answers to the site's own operations; one GraphQL
request per page (and recordView on an article); right to left for Arabic; a polite message
when the API is down. The page fixture fails a test on any console error, failed request or
request leaving 127.0.0.1."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.async_api import Locator, Page, expect
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from gqlnews.demo import ANATOMY_SLUG
from tests.browser.conftest import SITE, Servers, Watch, serve_site

OPERATIONS = SITE / "public" / "operations"
LIBYA = "La Libye et l'OTAN renouent le dialogue"


async def answer(servers: Servers, operation: str, **variables: Any) -> dict[str, Any]:
    """What the API answers to one of the site's operations (the site shows the same)."""
    query = (OPERATIONS / f"{operation}.graphql").read_text(encoding="utf-8")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            servers.api,
            json={"query": query, "operationName": operation, "variables": variables},
        )
    body = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def open_article(page: Page, url: str) -> None:
    """Open an article page and wait until its view is recorded (a test that followed a link
    at once would see recordView, still running, cancelled by the navigation)."""
    async with page.expect_response(
        lambda r: r.request.post_data is not None and "RecordView" in r.request.post_data
    ):
        await page.goto(url)


def graphql_posts(watch: Watch) -> list[str]:
    """The operation names the page sent to the API, in order."""
    return [
        json.loads(request.post_data or "{}").get("operationName", "?")
        for request in watch.requests
        if request.url.endswith("/graphql") and request.method == "POST"
    ]


async def loaded(image: Locator, timeout_ms: float = 10_000) -> bool:
    """The picture was downloaded and decoded, waiting for it up to ``timeout_ms`` (visible is
    not loaded: on a busy machine the download can still be under way)."""
    handle = await image.element_handle()
    try:
        await image.page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=handle, timeout=timeout_ms
        )
    except PlaywrightTimeoutError:
        return False
    return True


EXCERPT_LENGTH = 120
"""The maxLength of the related articles' excerpts in ArticlePage.graphql."""


async def full_excerpt(servers: Servers, slug: str) -> str:
    query = "query($slug: String!) { article(slug: $slug) { excerpt } }"
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            servers.api, json={"query": query, "variables": {"slug": slug}}
        )
    text: str = response.json()["data"]["article"]["excerpt"]
    return text


def first_paragraph(html: str) -> str:
    found = re.search(r"<p>(.*?)</p>", html, re.S)
    assert found, html[:200]
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()[:60]


async def test_the_article_page_is_the_seed_page(
    page: Page, servers: Servers, watch: Watch
) -> None:
    data = await answer(servers, "ArticlePage", slug=ANATOMY_SLUG)
    article = data["article"]
    async with page.expect_response(
        lambda r: r.request.post_data is not None and "RecordView" in r.request.post_data
    ) as recorded:
        await page.goto(f"{servers.site}/article.html?slug={ANATOMY_SLUG}")
    story = page.locator("article.story")
    await expect(story.locator("h1")).to_have_text(article["title"])
    assert article["title"] == LIBYA
    labels = await story.locator(".labels li").all_text_contents()  # as written, not as shown
    assert [label.strip() for label in labels] == [s["name"] for s in article["sections"]]
    assert "À la une" in [s["name"] for s in article["sections"]] and len(labels) >= 2
    photo = story.locator("figure img")
    assert await loaded(photo)
    caption = story.locator("figcaption")
    await expect(caption.locator(".credit")).to_have_text("© D.R")
    await expect(caption).to_contain_text(article["image"]["caption"])
    for author in article["authors"]:
        await expect(story.locator(".byline")).to_contain_text(author["name"])
    published = story.locator(".meta time")
    await expect(published).to_have_attribute("datetime", article["publishedAt"])
    assert "2" in await published.inner_text()  # a day of the month, in words around it
    await expect(story.locator(".body")).to_contain_text(first_paragraph(article["body"]))

    related = page.locator(".related > ul > li")
    await expect(page.locator(".related h2")).to_have_text("Articles similaires")
    await expect(related).to_have_count(4)
    cut = 0
    for index, suggestion in enumerate(article["related"]):
        teaser = related.nth(index)
        await expect(teaser.locator("h3")).to_have_text(suggestion["article"]["title"])
        assert await teaser.locator(".labels li").count() >= 1
        excerpt = await teaser.locator(".excerpt").inner_text()
        assert excerpt == suggestion["article"]["excerpt"]
        whole = await full_excerpt(servers, suggestion["article"]["slug"])
        if len(whole) > EXCERPT_LENGTH:  # cut, with "…"
            assert excerpt.endswith("…") and len(excerpt) <= EXCERPT_LENGTH, excerpt
            assert whole.startswith(excerpt[:-1].rstrip(" ,;:."))
            cut += 1
        else:
            assert excerpt == whole
    assert cut >= 1, "the demo's related articles have excerpts longer than the teasers'"

    sidebar = page.locator("aside.sidebar")
    await expect(sidebar.locator(".edito h3")).to_have_text(data["editorial"]["edito"]["title"])
    cover = sidebar.locator(".couverture a")
    number = data["couverture"]["number"]
    await expect(cover).to_have_attribute("href", f"edition.html?number={number}")
    assert await loaded(cover.locator("img"))
    await expect(sidebar.locator(".supplements h2")).to_have_text("Nos suppléments spéciaux")
    await expect(sidebar.locator(".supplements li")).to_have_text(
        [s["title"] for s in data["supplements"]["nodes"]]
    )
    await expect(sidebar.locator(".most-read h2")).to_have_text("Articles les plus lus")
    await expect(sidebar.locator(".most-read li")).to_have_text(
        [r["article"]["title"] for r in data["mostRead"]]
    )
    assert len(data["mostRead"]) == 5

    view = await (await recorded.value).json()
    assert view == {"data": {"recordView": {"articleId": article["id"]}}}
    assert graphql_posts(watch) == ["ArticlePage", "RecordView"]  # one request for the page


async def test_an_arabic_article_reads_right_to_left(
    page: Page, servers: Servers, watch: Watch
) -> None:
    data = await answer(servers, "ArticlePage", slug="ar-1-libye-otan")
    article = data["article"]
    assert (article["language"], article["direction"]) == ("ar", "RTL")
    await page.goto(f"{servers.site}/article.html?slug=ar-1-libye-otan")
    story = page.locator("article.story")
    await expect(story.locator("h1")).to_have_text(article["title"])
    await expect(story).to_have_attribute("dir", "rtl")
    await expect(story).to_have_attribute("lang", "ar")
    direction = await story.locator("h1").evaluate("e => getComputedStyle(e).direction")
    assert direction == "rtl"
    await expect(story.locator(".byline")).to_contain_text("بقلم")
    # The page around it stays French, left to right.
    assert await page.locator("html").get_attribute("dir") == "ltr"
    await page.wait_for_load_state("networkidle")
    assert graphql_posts(watch) == ["ArticlePage", "RecordView"]


async def test_the_front_page(page: Page, servers: Servers, watch: Watch) -> None:
    data = await answer(servers, "FrontPage")
    await page.goto(f"{servers.site}/")
    une = page.locator("section.une")
    await expect(une.locator("h2")).to_have_text("À la une")
    await expect(une.locator(".lead h3")).to_have_text(data["une"]["nodes"][0]["title"])
    await expect(une.locator(".grid h3")).to_have_text(
        [a["title"] for a in data["une"]["nodes"][1:]]
    )
    await expect(page.locator("section.latest h3")).to_have_text(
        [a["title"] for a in data["latest"]["nodes"]]
    )
    cover = page.locator(".couverture img")
    await expect(cover).to_be_visible()
    assert await loaded(cover)
    await expect(page.locator(".edito h3")).to_have_text(data["editorial"]["edito"]["title"])
    await expect(page.locator(".masthead nav li")).to_have_count(len(data["nav"]))
    assert graphql_posts(watch) == ["FrontPage"]


async def staff(servers: Servers, mutation: str, **variables: Any) -> dict[str, Any]:
    """Run an editor's mutation; its payload, which must hold no error."""
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            servers.api,
            json={"query": mutation, "variables": variables},
            headers={"Authorization": f"Bearer {servers.token}"},
        )
    body = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = next(iter(body["data"].values()))
    assert not payload["errors"], payload
    return payload


SET_SLOT = """mutation($id: ID!) { editorialSetSlot(name: "une-principale", articleId: $id) {
  errors { code message } } }"""
SET_PICKS = """mutation($ids: [ID!]!) { editorialSetPicks(articleIds: $ids) {
  errors { code message } } }"""
CLEAR = """mutation { editorialClearSlot(name: "une-principale") { errors { code message } } }"""


async def test_the_editors_slot_and_picks_lead_the_une(page: Page, servers: Servers) -> None:
    query = "{ articles(first: 12) { nodes { id slug title sections { slug } } } }"
    async with httpx.AsyncClient(timeout=10) as client:
        nodes = (await client.post(servers.api, json={"query": query})).json()["data"]
    chosen = [
        a for a in nodes["articles"]["nodes"] if "une" not in {s["slug"] for s in a["sections"]}
    ][:3]
    assert len(chosen) == 3
    une = (await answer(servers, "FrontPage"))["une"]["nodes"]
    await staff(servers, SET_SLOT, id=chosen[0]["id"])
    try:
        await staff(servers, SET_PICKS, ids=[a["id"] for a in chosen[1:]])
        await page.goto(f"{servers.site}/")
        await expect(page.locator("section.une .lead h3")).to_have_text(chosen[0]["title"])
        await expect(page.locator("section.une .grid h3")).to_have_text(
            [a["title"] for a in chosen[1:]] + [a["title"] for a in une]
        )
    finally:
        await staff(servers, CLEAR)
        await staff(servers, SET_PICKS, ids=[])


async def test_a_section_page_moves_through_its_pages(
    page: Page, servers: Servers, watch: Watch
) -> None:
    first = (await answer(servers, "SectionPage", slug="monde", page=1))["section"]["articles"]
    second = (await answer(servers, "SectionPage", slug="monde", page=2))["section"]["articles"]
    pages = -(-first["totalCount"] // 10)
    assert pages >= 2
    await page.goto(f"{servers.site}/section.html?slug=monde")
    await expect(page.locator("h1")).to_have_text("Monde")
    titles = page.locator(".grid.list h3")
    await expect(titles).to_have_text([a["title"] for a in first["nodes"]])
    await expect(page.locator(".pagination .current")).to_have_text(f"Page 1 sur {pages}")
    await expect(page.locator(".pagination [rel=prev]")).to_have_count(0)
    await page.locator(".pagination [rel=next]").click()
    await expect(page.locator(".pagination .current")).to_have_text(f"Page 2 sur {pages}")
    assert parse_qs(urlsplit(page.url).query)["page"] == ["2"]
    await expect(titles).to_have_text([a["title"] for a in second["nodes"]])
    assert {a["slug"] for a in first["nodes"]}.isdisjoint(a["slug"] for a in second["nodes"])
    await page.locator(".pagination [rel=prev]").click()
    await expect(page.locator(".pagination .current")).to_have_text(f"Page 1 sur {pages}")
    assert graphql_posts(watch) == ["SectionPage"] * 3


async def test_the_edition_page_from_the_cover(page: Page, servers: Servers) -> None:
    data = await answer(servers, "EditionPage")
    edition = data["latestEdition"]
    await open_article(page, f"{servers.site}/article.html?slug={ANATOMY_SLUG}")
    await page.locator(".couverture a").click()
    await expect(page.locator("h1")).to_have_text(edition["title"])
    assert parse_qs(urlsplit(page.url).query)["number"] == [str(edition["number"])]
    cover = page.locator("figure.couverture img")
    await expect(cover).to_be_visible()
    assert await loaded(cover)
    await expect(page.locator(".print-page h3")).to_have_text(
        [f"Page {p['number']}" for p in edition["pages"]]
    )
    articles = [a["title"] for p in edition["pages"] for a in p["articles"]]
    assert articles
    await expect(page.locator(".print-page li > a")).to_have_text(articles)
    await expect(page.locator(".supplements li")).to_have_count(len(edition["supplements"]))


async def test_search_finds_the_libya_nato_story(
    page: Page, servers: Servers, watch: Watch
) -> None:
    data = await answer(servers, "SearchPage", query="libye otan")
    await page.goto(f"{servers.site}/")
    await page.locator(".masthead input[name=q]").fill("libye otan")
    await page.locator(".masthead input[name=q]").press("Enter")
    await expect(page.locator("h1")).to_have_text("Recherche")
    total = data["search"]["totalCount"]
    await expect(page.locator(".count")).to_have_text(f"{total} résultats pour « libye otan »")
    results = page.locator(".results h3")
    await expect(results).to_have_text([a["title"] for a in data["search"]["nodes"]])
    assert LIBYA in await results.all_inner_texts()
    await results.get_by_text(LIBYA).click()
    await expect(page.locator("article.story h1")).to_have_text(LIBYA)
    await page.wait_for_load_state("networkidle")
    assert graphql_posts(watch) == ["FrontPage", "SearchPage", "ArticlePage", "RecordView"]


async def test_the_author_page(page: Page, servers: Servers) -> None:
    data = await answer(servers, "AuthorPage", slug="nadir-belkacem")
    author = data["author"]
    await open_article(page, f"{servers.site}/article.html?slug={ANATOMY_SLUG}")
    await page.locator("article.story .byline a", has_text=author["name"]).click()
    await expect(page.locator(".author h1")).to_have_text(author["name"])
    await expect(page.locator(".author")).to_contain_text(author["bio"][:40])
    await expect(page.locator(".grid.list h3")).to_have_text(
        [a["title"] for a in author["articles"]["nodes"]]
    )
    assert LIBYA in [a["title"] for a in author["articles"]["nodes"]]


async def test_an_unknown_article_says_so(page: Page, servers: Servers) -> None:
    await page.goto(f"{servers.site}/article.html?slug=no-such-article")
    await expect(page.locator("[role=alert]")).to_have_text("Article introuvable.")
    await expect(page.locator(".masthead nav li").first).to_be_visible()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends


@pytest.mark.parametrize("path", ["/", f"/article.html?slug={ANATOMY_SLUG}"])
async def test_a_polite_message_when_the_api_is_down(page: Page, watch: Watch, path: str) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}/graphql"
    watch.expected.extend([dead, "ERR_CONNECTION_REFUSED"])
    with serve_site(dead) as site:
        await page.goto(f"{site}{path}")
        notice = page.locator("[role=alert]")
        await expect(notice).to_contain_text("momentanément indisponible")
        await expect(page.locator("#page")).not_to_have_attribute("aria-busy", "true")
    assert watch.failed, "the API's port was expected to refuse the page's request"


def test_every_operation_is_named_after_its_file() -> None:
    """Each .graphql file holds one operation of its name (what persisted documents need)."""
    names = sorted(path.stem for path in OPERATIONS.glob("*.graphql"))
    assert names
    for name in names:
        text = (OPERATIONS / f"{name}.graphql").read_text(encoding="utf-8")
        assert len(re.findall(r"^(query|mutation) ", text, re.M)) == 1, name
        assert re.search(rf"^(query|mutation) {name}\b", text, re.M), name
    used = set()
    for script in (SITE / "public" / "js").rglob("*.js"):
        used |= set(re.findall(r'run\("([A-Za-z]+)"', Path(script).read_text(encoding="utf-8")))
    assert used == set(names)
