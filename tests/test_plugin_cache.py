"""The built-in plugins in the response cache: related answers go when the related index
changes, rankings are kept at most GQLNEWS_RANKING_CACHE_SECONDS, the editors' choices go
after an editorial write (and when a window opens or a picked draft is published), recordView
is never stored; and the CDN purge example tells a real HTTP endpoint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import tomllib
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette

from gqlnews.cache.entry import Entry
from gqlnews.cache.service import ResponseCache
from gqlnews.demo import DemoSummary
from gqlnews.models import Article, ArticleStatus, Genre, UserRole
from gqlnews.settings import Settings
from gqlnews_editorial import service
from gqlnews_editorial.models import Pick, Slot
from gqlnews_ranking import plugin as ranking_plugin
from gqlnews_ranking.config import CACHE_SECONDS_ENV, RankingConfig
from gqlnews_ranking.recorder import recorder_for
from gqlnews_related.text_index import index_now, index_stale
from tests.account_factories import post, staff_token
from tests.cache_helpers import act, cached, cached_app, client_of, get, gid
from tests.factories import make_article, make_section, now

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "cdn-purge"
SLACK = 1.0
"""Seconds an answer's deadline may pass the instant it was computed for (its run time)."""

PUBLISH = """mutation($id: ID!, $v: Int!) { articlePublish(id: $id, version: $v) {
  article { version } errors { code message } } }"""
RELATED = """query($slug: String!) {
  article(slug: $slug) { related(strategy: "text", first: 4) { article { slug title } } }
}"""
MOST_READ = "query($s: String) { mostRead(strategy: $s, window: WEEK) { rank article { slug } } }"
RECORD = "mutation($id: ID!) { recordView(articleId: $id) { hour } }"
EDITORIAL = """query($name: String!) { editorial {
  edito { slug } picks(first: 20) { slug title } slot(name: $name) { slug title } slots { name }
} }"""
SET_PICKS = """mutation($ids: [ID!]!) { editorialSetPicks(articleIds: $ids) {
  picks { article { slug } } errors { code message } } }"""


@pytest_asyncio.fixture
async def app(settings: Settings, demo: DemoSummary) -> AsyncIterator[Starlette]:
    app = cached_app(settings)
    yield app
    await app.state.cache.stop()


@pytest_asyncio.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app) as http:
        yield http


@pytest.fixture
def stored(app: Starlette, monkeypatch: pytest.MonkeyPatch) -> list[Entry]:
    """Every answer the app's cache stores from now on."""
    return stored_by(app, monkeypatch)


def stored_by(app: Starlette, monkeypatch: pytest.MonkeyPatch) -> list[Entry]:
    """Every answer ``app``'s cache stores from now on (its ``put`` watched)."""
    cache: ResponseCache = app.state.cache
    entries: list[Entry] = []
    put = cache.put

    async def spy(*args: Any, **kwargs: Any) -> Entry | None:
        entry = await put(*args, **kwargs)
        if entry is not None:
            entries.append(entry)
        return entry

    monkeypatch.setattr(cache, "put", spy)
    return entries


@pytest_asyncio.fixture
async def editor() -> str:
    _user, token = await staff_token(UserRole.EDITOR)
    return token


@pytest_asyncio.fixture
async def no_choices(demo: DemoSummary) -> AsyncIterator[None]:
    """No picks and no slots before and after, so other tests see the demo as it was."""
    await Pick.all().delete()
    await Slot.all().delete()
    yield
    await Pick.all().delete()
    await Slot.all().delete()


def _word() -> str:
    """A word no other article has (letters only: the analyser keeps it whole)."""
    return "zq" + uuid.uuid4().hex.translate(str.maketrans("0123456789", "ghijklmnop"))


# --- related ------------------------------------------------------------------------------


async def test_related_answers_go_when_a_publication_changes_the_index(
    client: httpx.AsyncClient, editor: str
) -> None:
    words = f"{_word()} {_word()} {_word()}"
    section = await make_section()
    article = await make_article(section=section, title=f"Premier {words}")
    await index_now([article.pk])
    draft = await make_article(
        section=section, status=ArticleStatus.REVIEW, published_at=None, title=f"Suite {words}"
    )
    await index_now([draft.pk])  # indexed while a draft: the host hides it from readers
    before = await get(client, RELATED, slug=article.slug)
    assert "related:index" in before.headers["surrogate-key"].split()
    assert draft.slug not in str(before.json())
    assert await cached(client, RELATED, slug=article.slug)
    # The article's answer carries none of the draft's keys: only the index purge can drop it.
    await act(client, editor, PUBLISH, id=gid(draft), v=draft.version)
    after = (await get(client, RELATED, slug=article.slug)).json()["data"]["article"]
    assert draft.slug in [r["article"]["slug"] for r in after["related"]]


async def test_related_answers_go_when_an_indexing_round_indexes_something(
    client: httpx.AsyncClient,
) -> None:
    section = await make_section()
    article = await make_article(section=section, title=f"Premier {_word()}")
    other = await make_article(section=section, title=f"Autre {_word()}")
    while await index_stale():  # what other tests left stale
        pass
    await get(client, RELATED, slug=article.slug)
    assert await index_stale() == 0  # nothing indexed: nothing purged
    assert await cached(client, RELATED, slug=article.slug)
    # An edit outside the publishing path (an import, a script): the server's background
    # round (or `gqlnews related index`) re-indexes it, and the related answers go.
    await Article.filter(id=other.pk).update(title=f"Autre {_word()}", updated_at=now())
    assert await index_stale() == 1
    assert not await cached(client, RELATED, slug=article.slug)


# --- ranking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "seconds"), [(None, 60.0), ("7", 7.0)], ids=["default", "setting"]
)
@pytest.mark.parametrize("strategy", ["most-read", "gravity", "trending"])
async def test_rankings_are_kept_at_most_the_ranking_setting(
    settings: Settings,
    demo: DemoSummary,
    monkeypatch: pytest.MonkeyPatch,
    setting: str | None,
    seconds: float,
    strategy: str,
) -> None:
    monkeypatch.delenv(CACHE_SECONDS_ENV, raising=False)
    if setting is not None:
        monkeypatch.setenv(CACHE_SECONDS_ENV, setting)
    app = cached_app(settings)  # the strategies read the setting as the app is built
    stored = stored_by(app, monkeypatch)
    try:
        async with client_of(app) as client:
            before = time.time()
            await get(client, MOST_READ, s=strategy)
            after = time.time()
            assert await cached(client, MOST_READ, s=strategy)
    finally:
        await app.state.cache.stop()
    [entry] = stored
    assert before < entry.expires <= after + seconds
    assert seconds < app.state.settings.cache_ttl  # the setting, not the cache's own TTL


async def test_with_0_seconds_rankings_are_never_kept(
    settings: Settings, demo: DemoSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_SECONDS_ENV, "0")
    app = cached_app(settings)
    stored = stored_by(app, monkeypatch)
    try:
        async with client_of(app) as client:
            await get(client, MOST_READ)
            assert not await cached(client, MOST_READ)
            await get(client, "{ sections { slug } }")  # answers without a ranking still are
    finally:
        await app.state.cache.stop()
    assert len(stored) == 1


@pytest.mark.parametrize("bad", ["soon", "-1", "3601", "nan"])
def test_a_bad_ranking_cache_setting_is_refused_by_name(
    bad: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ValueError, match=f"{CACHE_SECONDS_ENV} must be a number of seconds"):
        RankingConfig.from_env({CACHE_SECONDS_ENV: bad})
    monkeypatch.setenv(CACHE_SECONDS_ENV, bad)
    with pytest.raises(ValueError, match=CACHE_SECONDS_ENV):
        ranking_plugin.gqlnews_ranking_strategies()


async def test_record_view_is_never_stored(
    app: Starlette, client: httpx.AsyncClient, stored: list[Entry]
) -> None:
    article = await make_article(section=await make_section())
    for _ in range(2):
        response = await post(client, RECORD, {"id": gid(article)})
        assert response.json()["data"]["recordView"]["hour"], response.text
    assert stored == []
    assert await recorder_for(app).flush() == 2  # both counted, neither answered from a cache


# --- editorial ----------------------------------------------------------------------------


async def test_editorial_answers_go_after_each_editorial_write(
    client: httpx.AsyncClient, editor: str, no_choices: None
) -> None:
    section = await make_section()
    picked, slotted = [await make_article(section=section) for _ in range(2)]

    async def read() -> dict[str, Any]:
        data: dict[str, Any] = (await get(client, EDITORIAL, name="une-test")).json()["data"]
        return data["editorial"]

    first = await get(client, EDITORIAL, name="une-test")
    assert "editorial" in first.headers["surrogate-key"].split()
    assert await cached(client, EDITORIAL, name="une-test")
    await act(client, editor, SET_PICKS, ids=[gid(picked)])  # the mutation
    assert [p["slug"] for p in (await read())["picks"]] == [picked.slug]
    await service.set_slot("une-test", slotted)  # the service, as `gqlnews slots set` calls it
    assert (await read())["slot"] == {"slug": slotted.slug, "title": slotted.title}
    await service.clear_slot("une-test")
    assert (await read())["slot"] is None
    await service.clear_picks()
    assert (await read())["picks"] == []
    assert await cached(client, EDITORIAL, name="une-test")


async def test_a_picked_draft_shows_once_published(
    client: httpx.AsyncClient, editor: str, no_choices: None
) -> None:
    picks = "{ editorial { picks { slug } } }"  # no edito: nothing else says a story went out
    section = await make_section()
    draft = await make_article(section=section, status=ArticleStatus.REVIEW, published_at=None)
    await service.set_picks([draft])  # picked ahead of publication
    assert (await get(client, picks)).json()["data"]["editorial"]["picks"] == []
    assert await cached(client, picks)
    await act(client, editor, PUBLISH, id=gid(draft), v=draft.version)
    data = (await get(client, picks)).json()["data"]
    assert data["editorial"]["picks"] == [{"slug": draft.slug}]


async def test_a_new_edito_replaces_the_cached_one(client: httpx.AsyncClient, editor: str) -> None:
    section = await make_section()
    edito = await make_article(
        section=section, status=ArticleStatus.REVIEW, published_at=None, genre=Genre.EDITORIAL
    )
    before = (await get(client, EDITORIAL, name="une")).json()["data"]["editorial"]["edito"]
    assert before is None or before["slug"] != edito.slug
    await act(client, editor, PUBLISH, id=gid(edito), v=edito.version)
    after = (await get(client, EDITORIAL, name="une")).json()["data"]["editorial"]["edito"]
    assert after == {"slug": edito.slug}


async def test_an_answer_ends_when_a_pick_or_slot_window_opens_or_closes(
    client: httpx.AsyncClient, stored: list[Entry], no_choices: None
) -> None:
    section = await make_section()
    a, b = [await make_article(section=section) for _ in range(2)]
    opens = now() + timedelta(minutes=2)
    closes = now() + timedelta(minutes=3)
    await service.set_picks([a], starts_at=opens)
    await service.set_slot("une-test", b, expires_at=closes)
    data = (await get(client, EDITORIAL, name="une-test")).json()["data"]["editorial"]
    assert data["picks"] == [] and data["slot"]["slug"] == b.slug
    # Not served once the pick should show (max_age counts from when the answer is stored,
    # the request's run time after the instant it was computed for: SLACK).
    [entry] = stored
    assert entry.expires <= opens.timestamp() + SLACK
    await service.clear_picks()
    data = (await get(client, EDITORIAL, name="une-test")).json()["data"]["editorial"]
    assert data["slot"]["slug"] == b.slug
    assert opens.timestamp() < stored[-1].expires <= closes.timestamp() + SLACK  # nor empty


# --- the CDN purge example ----------------------------------------------------------------


@pytest.fixture
def cdn(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """A purge endpoint on a free local port (GQLNEWS_CDN_PURGE_URL, token ``jeton``) that
    records the headers and JSON body of every request."""
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append({"headers": dict(self.headers), "body": body})
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("GQLNEWS_CDN_PURGE_URL", f"http://127.0.0.1:{server.server_port}/purge")
    monkeypatch.setenv("GQLNEWS_CDN_PURGE_TOKEN", "jeton")
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()


async def test_the_cdn_purge_example_purges_what_an_editorial_write_changed(
    settings: Settings, demo: DemoSummary, editor: str, no_choices: None, cdn: list[Any]
) -> None:
    app = cached_app(settings, plugins_dir=str(EXAMPLE / "src"))
    example = app.state.plugins.get_plugin("gqlnews_cdn_purge")
    article = await make_article(section=await make_section())
    try:
        async with client_of(app) as client:
            await act(client, editor, SET_PICKS, ids=[gid(article)])
        await example.drain()
    finally:
        await app.state.cache.stop()
    assert [r["body"] for r in cdn] == [{"surrogate_keys": ["editorial"]}]
    assert cdn[0]["headers"]["Authorization"] == "Bearer jeton"


def test_the_cdn_purge_example_is_an_installable_plugin_package() -> None:
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["gqlnews"] == {"cdn_purge": "gqlnews_cdn_purge"}
    assert "httpx" in " ".join(project["project"]["dependencies"])


def test_the_cdn_purge_example_passes_its_own_tests() -> None:
    """Its tests, as its README runs them (here without installing it: on the path)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GQLNEWS_", "PYTEST_"))},
        "PYTHONPATH": str(EXAMPLE / "src"),
        "PYTHONDONTWRITEBYTECODE": "1",  # nothing written into the checkout
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"],
        cwd=EXAMPLE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert " passed" in done.stdout and "failed" not in done.stdout, done.stdout
