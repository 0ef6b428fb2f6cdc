"""One test per hook: a one-off plugin implements it and the host is seen calling it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from gqlnews.models import Article
from gqlnews.plugins import call_each, call_list, make_plugin_manager
from gqlnews.server import create_app
from gqlnews.settings import Settings
from tests.helpers import installed_plugins, run_gqlnews, scratch_database_url, stop_server
from tests.test_plugin_host import write_plugin


async def _post(app: object, query: str) -> dict[str, Any]:
    """POST ``query`` to ``app`` (no lifespan) and decode the answer."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        body: dict[str, Any] = (await client.post("/graphql", json={"query": query})).json()
    return body


LIFECYCLE_MODELS = """
from tortoise import fields
from tortoise.models import Model


class PluginNote(Model):
    id = fields.IntField(primary_key=True)
    text = fields.TextField()

    class Meta:
        table = "plugin_note"
"""

LIFECYCLE_MIGRATION = """
from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True
    dependencies = [("models", "0002_search")]
    operations = [
        ops.CreateModel(
            name="PluginNote",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True)),
                ("text", fields.TextField()),
            ],
            options={"table": "plugin_note", "app": "lifecycle", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
"""

LIFECYCLE_PLUGIN = """
    import json, os
    from gqlnews.db import ModelApp

    def _write(event, **data):
        with open(os.environ["PLUGIN_LOG"], "a") as log:
            log.write(json.dumps({"event": event, **data}) + "\\n")

    @hookimpl
    def gqlnews_models():
        return [ModelApp("lifecycle", ("lifecycle_pkg.models",), "lifecycle_pkg.migrations")]

    @hookimpl
    async def gqlnews_startup(app, settings):
        from lifecycle_pkg.models import PluginNote

        await PluginNote.create(text="started")
        notes = await PluginNote.all().count()
        _write("startup", debug=settings.debug, app=PluginNote._meta.app, notes=notes)
        app.state.lifecycle = "started"

    @hookimpl
    def gqlnews_shutdown(app):
        _write("shutdown", state=app.state.lifecycle)
"""


def _lifecycle_package(root: Path) -> Path:
    """A package with the plugin's model and its migration, importable from ``root``."""
    package = root / "lifecycle_pkg"
    (package / "migrations").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text(LIFECYCLE_MODELS)
    (package / "migrations" / "__init__.py").write_text("")
    (package / "migrations" / "0001_initial.py").write_text(LIFECYCLE_MIGRATION)
    return root


def _serve_and_stop(
    url: str, plugins: Path, log: Path, port: int, path: Path
) -> list[dict[str, object]]:
    command = Path(sys.executable).with_name("gqlnews")
    env = {"GQLNEWS_PLUGINS_DIR": str(plugins), "PLUGIN_LOG": str(log), "PYTHONPATH": str(path)}
    server = subprocess.Popen(
        [str(command), "--database-url", url, "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not log.exists() and server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert log.exists(), "the startup hook never ran"
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
    finally:
        output, errors = stop_server(server)
    assert "failed in" not in errors, errors
    assert "applied migration lifecycle:0001_initial" in output, output
    return [json.loads(line) for line in log.read_text().splitlines()]


async def test_hook_gqlnews_startup_and_gqlnews_shutdown_and_gqlnews_models(
    tmp_path: Path,
) -> None:
    plugins = tmp_path / "plugins"
    write_plugin(plugins, "lifecycle", LIFECYCLE_PLUGIN)
    path = _lifecycle_package(tmp_path / "lib")
    async with scratch_database_url() as url:
        events = _serve_and_stop(url, plugins, tmp_path / "events.jsonl", 8798, path)
    assert events == [
        {"event": "startup", "debug": False, "app": "lifecycle", "notes": 1},
        {"event": "shutdown", "state": "started"},
    ]


async def test_hook_gqlnews_routes(tmp_path: Path) -> None:
    write_plugin(
        tmp_path,
        "hello",
        """
        from starlette.responses import PlainTextResponse
        from starlette.routing import Route

        async def hello(request):
            return PlainTextResponse("bonjour " + request.app.state.settings.log_level)

        @hookimpl
        def gqlnews_routes(settings):
            return [Route("/hello", hello)]
    """,
    )
    app = create_app(Settings(plugins_dir=str(tmp_path)))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/hello")
    assert (response.status_code, response.text) == (200, "bonjour INFO")


def test_hook_gqlnews_register_commands(tmp_path: Path) -> None:
    write_plugin(
        tmp_path,
        "cmd",
        """
        import typer

        def salut(name: str) -> None:
            typer.echo(f"salut {name}")

        @hookimpl
        def gqlnews_register_commands(cli):
            cli.command()(salut)
    """,
    )
    done = run_gqlnews("salut", "Rabat", env={"GQLNEWS_PLUGINS_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "salut Rabat"


async def test_hook_gqlnews_before_publish(tmp_path: Path) -> None:
    write_plugin(
        tmp_path,
        "checks",
        """
        @hookimpl
        def gqlnews_before_publish(article):
            if len(article.title) > 20:
                return ["title is longer than 20 characters"]
            article.excerpt = article.excerpt or "filled by the plugin"
            return []
    """,
    )
    pm = make_plugin_manager(Settings(plugins_dir=str(tmp_path)))
    long = Article(title="A title that is far too long for the front page")
    assert await call_list(pm, "gqlnews_before_publish", article=long) == [
        "title is longer than 20 characters"
    ]
    short = Article(title="Court", excerpt="")
    assert await call_list(pm, "gqlnews_before_publish", article=short) == []
    assert short.excerpt == "filled by the plugin"


async def test_hook_gqlnews_after_publish(tmp_path: Path) -> None:
    write_plugin(
        tmp_path,
        "notify",
        """
        SEEN = []

        @hookimpl
        async def gqlnews_after_publish(article):
            SEEN.append(article.title)
    """,
    )
    pm = make_plugin_manager(Settings(plugins_dir=str(tmp_path)))
    await call_each(pm, "gqlnews_after_publish", article=Article(title="Publié"))
    assert pm.get_plugin("notify").SEEN == ["Publié"]


async def test_hook_gqlnews_event(tmp_path: Path, database: object) -> None:
    """A publication reaches the plugin through the one event path, after its commit, with
    the outbox row's id; the row is then marked announced."""
    from datetime import UTC, datetime

    from gqlnews.models import ArticleStatus, PublishEvent
    from gqlnews.newsroom.publishing import Publisher, Why, go_public
    from tests.factories import make_article, make_section

    write_plugin(
        tmp_path,
        "listener",
        """
        SEEN = []

        @hookimpl
        async def gqlnews_event(event):
            from gqlnews.models import PublishEvent

            committed = await PublishEvent.filter(id=event.id).exists()
            SEEN.append((event.kind.value, event.article_id, event.payload["why"], committed))
    """,
    )
    pm = make_plugin_manager(Settings(plugins_dir=str(tmp_path)))
    article = await make_article(section=await make_section(), status=ArticleStatus.REVIEW)
    outcome = await go_public(article.pk, Why.MANUAL, Publisher(pm), datetime.now(UTC))
    assert outcome is not None
    seen = pm.get_plugin("listener").SEEN
    assert seen == [("published", article.pk, "manual", True)]
    row = await PublishEvent.get(id=outcome.event.id)
    assert row.announced_at is not None


SCHEMA_PLUGIN = """
    import strawberry
    from gqlnews.plugins.hookspecs import TypeExtension

    @strawberry.type(description="A headline, shouted.")
    class Shout:
        text: str
        length: int

    @strawberry.type
    class ArticleShout:
        @strawberry.field(description="The title in capitals.")
        def shout(self) -> Shout:
            return Shout(text=self.title.upper(), length=len(self.title))

    @strawberry.type
    class QueryShout:
        @strawberry.field
        def loudest(self, word: str = "bonjour") -> Shout:
            return Shout(text=word.upper(), length=len(word))

    @strawberry.type
    class MutationShout:
        @strawberry.mutation
        def shout_back(self, word: str) -> Shout:
            return Shout(text=word.upper() + "!", length=len(word) + 1)

    @hookimpl
    def gqlnews_schema_types():
        return [Shout]

    @hookimpl
    def gqlnews_extend_types():
        return [
            TypeExtension("Article", ArticleShout),
            TypeExtension("Query", QueryShout),
            TypeExtension("Mutation", MutationShout),
        ]
"""


async def test_hook_gqlnews_schema_types_and_gqlnews_extend_types(
    tmp_path: Path, demo: object
) -> None:
    write_plugin(tmp_path, "shout", SCHEMA_PLUGIN)
    app = create_app(Settings(plugins_dir=str(tmp_path)))
    sdl = app.state.schema.as_str()
    assert '"""A headline, shouted."""\ntype Shout {' in sdl
    assert '"""The title in capitals."""\n  shout: Shout\n' in sdl  # plugin fields: nullable
    assert 'loudest(word: String! = "bonjour"): Shout\n' in sdl
    assert "ArticleShout" not in sdl and "QueryShout" not in sdl
    # The plugin's mutation joins the core's Mutation type (signIn, signOut…).
    mutation = sdl.split("type Mutation {\n", 1)[1].split("\n}", 1)[0] + "\n"
    assert "  signIn(" in mutation
    assert "\n  shoutBack(word: String!): Shout\n" in mutation
    shouted = await _post(app, 'mutation { shoutBack(word: "oui") { text } }')
    assert shouted == {"data": {"shoutBack": {"text": "OUI!"}}}
    body = await _post(
        app,
        '{ loudest(word: "salam") { text } '
        "articles(first: 2) { nodes { title shout { text length } } } }",
    )
    assert "errors" not in body, body
    assert body["data"]["loudest"] == {"text": "SALAM"}
    for node in body["data"]["articles"]["nodes"]:
        assert node["shout"] == {"text": node["title"].upper(), "length": len(node["title"])}


def test_a_field_that_already_exists_stops_the_server(tmp_path: Path) -> None:
    write_plugin(
        tmp_path,
        "clash",
        """
        import strawberry
        from gqlnews.plugins.hookspecs import TypeExtension

        @strawberry.type
        class ArticleTitle:
            @strawberry.field
            def title(self) -> str:
                return "mine"

        @hookimpl
        def gqlnews_extend_types():
            return [TypeExtension("Article", ArticleTitle)]
    """,
    )
    import pytest

    from gqlnews.plugins import PluginError

    with pytest.raises(PluginError, match=r"Article.title already exists"):
        create_app(Settings(plugins_dir=str(tmp_path)))


async def test_a_failing_plugin_field_fails_alone_and_names_the_plugin(
    tmp_path: Path, demo: object, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    write_plugin(
        tmp_path,
        "flaky",
        """
        import strawberry
        from gqlnews.plugins.hookspecs import TypeExtension

        @strawberry.type
        class ArticleFlaky:
            @strawberry.field
            async def flaky(self) -> str:
                raise RuntimeError("secret internals")

        @hookimpl
        def gqlnews_extend_types():
            return [TypeExtension("Article", ArticleFlaky)]
    """,
    )
    app = create_app(Settings(plugins_dir=str(tmp_path)))
    transport = httpx.ASGITransport(app=app)
    with caplog.at_level(logging.ERROR, logger="gqlnews.graphql"):
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            body = (
                await client.post(
                    "/graphql",
                    json={
                        "query": "{ sections { slug } articles(first: 1) { nodes { slug flaky } } }"
                    },
                )
            ).json()
    assert body["data"]["sections"], "the rest of the response is served"
    error = body["errors"][0]
    assert error["extensions"] == {
        "code": "PLUGIN_ERROR",
        "plugin": "flaky",
        "field": "Article.flaky",
    }
    assert "secret" not in str(body)
    assert "plugin 'flaky' failed resolving Article.flaky" in caplog.text


STRATEGIES_PLUGIN = """
    from gqlnews.plugins.strategies import Scored

    class Newest:
        name = "newest"
        description = "The latest articles."

        async def related(self, articles, limit):
            # the demo's first articles (most of them visible), lowest ids first
            return {a.pk: [Scored(n, float(-n), "earlier") for n in range(1, 60) if n != a.pk]
                    for a in articles}

    class Loudest:
        name = "loudest"
        description = "Longest titles first."

        async def rank(self, window, section_id, limit):
            return []

    @hookimpl
    def gqlnews_related_strategies():
        return [Newest()]

    @hookimpl
    def gqlnews_ranking_strategies():
        return [Loudest()]
"""


async def test_hook_gqlnews_related_strategies_and_gqlnews_ranking_strategies(
    tmp_path: Path, demo: object
) -> None:
    write_plugin(tmp_path, "strategies", STRATEGIES_PLUGIN)
    installed = ",".join(installed_plugins())
    app = create_app(Settings(plugins_dir=str(tmp_path), disabled_plugins=installed))
    body = await _post(
        app,
        "{ relatedStrategies { name plugin } "
        "rankingStrategies { name description } "
        "articles(first: 1) { nodes { related(first: 2) { reason score } } } }",
    )
    assert "errors" not in body, body
    data = body["data"]
    assert data["relatedStrategies"] == [{"name": "newest", "plugin": "strategies"}]
    assert data["rankingStrategies"] == [
        {"name": "loudest", "description": "Longest titles first."}
    ]
    related = data["articles"]["nodes"][0]["related"]
    assert [r["reason"] for r in related] == ["earlier", "earlier"]
    assert [r["score"] for r in related] == sorted((r["score"] for r in related), reverse=True)


DEMO_PLUGIN = """
    import json, os
    from gqlnews.models import Article

    @hookimpl
    async def gqlnews_demo_loaded(now):
        seen = {"articles": await Article.all().count(), "aware": now.tzinfo is not None}
        with open(os.environ["DEMO_LOG"], "w") as log:
            json.dump(seen, log)
"""


async def test_hook_gqlnews_demo_loaded(tmp_path: Path) -> None:
    write_plugin(tmp_path / "plugins", "demo_data", DEMO_PLUGIN)
    log = tmp_path / "demo.json"
    env = {"GQLNEWS_PLUGINS_DIR": str(tmp_path / "plugins"), "DEMO_LOG": str(log)}
    async with scratch_database_url() as url:
        done = run_gqlnews("--database-url", url, "demo", env=env)
    assert done.returncode == 0, done.stderr
    seen = json.loads(log.read_text())
    assert seen["aware"] is True and seen["articles"] > 100  # told after the demo was loaded


IMPORT_PLUGIN = """
    from gqlnews.models import Article

    SEEN = []

    @hookimpl
    async def gqlnews_archive_imported(article_ids):
        stored = await Article.filter(id__in=article_ids).count()  # written and committed
        SEEN.append((list(article_ids), stored))
        return f"{len(article_ids)} article(s) seen"
"""

BROKEN_IMPORT_PLUGIN = """
    @hookimpl
    def gqlnews_archive_imported():
        raise RuntimeError("boom")
"""


async def test_hook_gqlnews_archive_imported(tmp_path: Path) -> None:
    from gqlnews.archive.importer import Importer
    from gqlnews.archive.progress import SilentProgress
    from gqlnews.archive.reader import ArchiveReader
    from tests.helpers import migrated_database
    from tests.test_archive_support import article_lines, reference_lines, write_archive

    write_plugin(tmp_path / "plugins", "seen", IMPORT_PLUGIN)
    write_plugin(tmp_path / "plugins", "broken", BROKEN_IMPORT_PLUGIN)
    settings = Settings(
        plugins_dir=str(tmp_path / "plugins"), disabled_plugins=",".join(installed_plugins())
    )
    pm = make_plugin_manager(settings)
    archive = write_archive(tmp_path / "a.jsonl", [*reference_lines(), *article_lines()[:3]])

    async def run() -> Any:
        with ArchiveReader.open(str(archive)) as reader:
            return await Importer(progress=SilentProgress()).run(reader, plugins=pm)

    async with migrated_database():
        first = await run()
        again = await run()
        ids = sorted(await Article.all().values_list("id", flat=True))
    seen = sys.modules["gqlnews_dir_plugin_seen"].SEEN
    assert seen == [(ids, 3), ([], 0)]  # told after the commit; nothing new the second time
    assert first.plugin_lines == [("seen", "3 article(s) seen")]
    assert first.plugin_failures == ["broken"] and again.plugin_failures == ["broken"]
    assert first.counts["article"].created == 3 and again.counts["article"].unchanged == 3


def test_hook_gqlnews_settings(tmp_path: Path) -> None:
    write_plugin(
        tmp_path,
        "sitemap",
        """
        from gqlnews.settings import PluginSetting

        @hookimpl
        def gqlnews_settings():
            return [PluginSetting("GQLNEWS_SITEMAP_SIZE", "1000", "URLs per sitemap file.")]
    """,
    )
    done = run_gqlnews("settings", env={"GQLNEWS_PLUGINS_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert (
        "| `GQLNEWS_SITEMAP_SIZE` | `1000` | (plugin `sitemap`) URLs per sitemap file. |"
        in done.stdout.splitlines()
    )


def test_a_plugin_cannot_redeclare_a_core_setting(tmp_path: Path) -> None:
    from gqlnews.plugins import PluginError, plugin_settings

    write_plugin(
        tmp_path,
        "greedy",
        """
        from gqlnews.settings import PluginSetting

        @hookimpl
        def gqlnews_settings():
            return [PluginSetting("GQLNEWS_DEBUG", "false", "Mine now.")]
    """,
    )
    with pytest.raises(PluginError, match="GQLNEWS_DEBUG is declared twice"):
        plugin_settings(make_plugin_manager(Settings(plugins_dir=str(tmp_path))))


PURGED_PLUGIN = """
    SEEN = []

    @hookimpl
    async def gqlnews_cache_purged(keys):
        SEEN.append(keys)
"""

BROKEN_PURGED_PLUGIN = """
    @hookimpl
    def gqlnews_cache_purged():
        raise RuntimeError("the CDN is down")
"""


async def test_hook_gqlnews_cache_purged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from gqlnews.cache import bus

    write_plugin(tmp_path, "purged", PURGED_PLUGIN)
    write_plugin(tmp_path, "broken_purged", BROKEN_PURGED_PLUGIN)
    app = create_app(Settings(plugins_dir=str(tmp_path), cache=True, scheduler_interval=0))
    await bus.purge({"Section:3:articles", "Article:42"})  # no cache started: nobody told
    seen = app.state.plugins.get_plugin("purged").SEEN
    assert seen == []
    app.state.cache.start()  # as the app's lifespan does
    try:
        with caplog.at_level(logging.ERROR, logger="gqlnews.plugins"):
            await bus.purge({"Section:3:articles", "Article:42"})
            await bus.purge(set())  # nothing to purge: nobody told
    finally:
        await app.state.cache.stop()
    assert seen == [["Article:42", "Section:3:articles"]]  # once per purge, keys sorted
    assert "plugin 'broken_purged' failed in gqlnews_cache_purged" in caplog.text


COSTLY_PLUGIN = (
    SCHEMA_PLUGIN
    + """
    from gqlnews.plugins.hookspecs import FieldCost

    @hookimpl
    def gqlnews_field_costs():
        return [FieldCost("Query.loudest", weight=7)]
"""
)


async def test_hook_gqlnews_field_costs(tmp_path: Path, demo: object) -> None:
    write_plugin(tmp_path, "costly", COSTLY_PLUGIN)
    query = "{ loudest { text } }"  # the declared weight, plus one Shout object
    body = await _post(create_app(Settings(plugins_dir=str(tmp_path), max_cost=7)), query)
    assert body["errors"][0]["extensions"] == {"code": "QUERY_TOO_COSTLY", "cost": 8, "maximum": 7}
    body = await _post(create_app(Settings(plugins_dir=str(tmp_path), max_cost=8)), query)
    assert body == {"data": {"loudest": {"text": "BONJOUR"}}}
