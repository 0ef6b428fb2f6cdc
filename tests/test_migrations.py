"""Migrations: one path to a schema, models and migrations agree, upgrades keep data, and the
server refuses a database that is behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from gqlnews import migrate, search_index
from gqlnews.db import APP_LABEL, MIGRATIONS_MODULE, MODEL_MODULES, connection, connection_dialect
from gqlnews.models import Article, ArticleSection, PublishEvent, Section
from tests.factories import make_article, make_section
from tests.helpers import (
    installed_model_apps,
    migrated_database,
    run_gqlnews,
    scratch_database_url,
    stop_server,
)

ALL = [
    "0001_initial",
    "0002_search",
    "0003_accounts",
    "0004_workflow",
    "0005_import_hash",
    "0006_persisted_documents",
    "0007_languages",
    "0008_preview_links",
    "0009_search_analysis",
    "0010_feeds",
    "0011_search_rank",
    "0012_event_relay",
    "0013_webhooks",
    "0014_section_article",
]


async def test_models_and_migrations_agree(database: TortoiseContext) -> None:
    """The core's and every installed plugin's models match their migrations."""
    apps = {APP_LABEL: {"models": MODEL_MODULES, "migrations": MIGRATIONS_MODULE}}
    for app in installed_model_apps():
        apps[app.label] = {"models": list(app.modules), "migrations": app.migrations}
    changes = await MigrationAutodetector(database.apps, apps).changes()
    assert changes == [], (
        "the models changed without a migration: run `python -m tortoise makemigrations`"
    )


async def _insert_section_as_0001_knew_it() -> int:
    """Raw SQL: today's Section model has a column (language) that 0001_initial did not."""
    conn = connection()
    await conn.execute_query(
        'INSERT INTO "section" ("slug", "name", "description", "position") '
        "VALUES ('monde', 'Monde', '', 0)"
    )
    _count, rows = await conn.execute_query('SELECT "id" FROM "section" WHERE "slug" = \'monde\'')
    return int(rows[0]["id"])


async def _insert_article_as_0001_knew_it(
    section_id: int,
    slug: str = "avant",
    title: str = "Écrit avant la recherche",
    body: str = "Un ornithorynque à Rabat.",
    language: str = "fr",
) -> int:
    """Raw SQL: today's Article model has columns that 0001_initial did not create."""
    values = {
        "slug": slug,
        "title": title,
        "subtitle": "",
        "excerpt": "",
        "body_html": f"<p>{body}</p>",
        "body_text": body,
        "word_count": 4,
        "dateline": "",
        "genre": "news",
        "language": language,
        "status": "published",
        "version": 1,
        "primary_section_id": section_id,
        "print_position": 0,
        "view_count": 0,
    }
    conn = connection()
    postgres = connection_dialect(conn) == "postgres"
    marks = [f"${i}" if postgres else "?" for i in range(1, len(values) + 1)]
    columns = ", ".join(f'"{name}"' for name in values)
    await conn.execute_query(
        f'INSERT INTO "article" ({columns}, "created_at", "updated_at") '
        f"VALUES ({', '.join(marks)}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        list(values.values()),
    )
    _count, rows = await conn.execute_query(
        f'SELECT "id" FROM "article" WHERE "slug" = {marks[0]}', [slug]
    )
    return int(rows[0]["id"])


async def test_upgrade_from_the_first_migration_keeps_data() -> None:
    async with migrated_database(target="0001_initial"):
        assert await migrate.applied() == ["0001_initial"]
        assert await migrate.pending() == ALL[1:]
        section_id = await _insert_section_as_0001_knew_it()
        article_id = await _insert_article_as_0001_knew_it(section_id)
        await ArticleSection.create(article_id=article_id, section_id=section_id, position=0)

        assert await migrate.apply() == ALL[1:]

        kept = await Article.get(slug="avant")
        assert kept.title == "Écrit avant la recherche"
        assert kept.body_text == "Un ornithorynque à Rabat."
        assert await ArticleSection.filter(article_id=kept.pk).count() == 1
        assert await search_index.ranked_ids(connection(), "ornithorynque") == [kept.pk]
        assert await migrate.pending() == []
        section = await Section.get(id=section_id)
        assert (section.name, section.language) == ("Monde", None)  # the site's language


async def test_search_analysis_reindexes_the_articles_already_there() -> None:
    """0009 fills the term columns of existing articles and rebuilds the index from them, so
    stemmed French and light-stemmed Arabic match what was written before it."""
    async with migrated_database(target="0008_preview_links"):
        section = await Section.create(slug="monde", name="Monde")
        french = await _insert_article_as_0001_knew_it(
            section.pk, "dialogue", "Reprise des dialogues", "Les négociateurs dialoguaient."
        )
        arabic = await _insert_article_as_0001_knew_it(
            section.pk, "hiwar", "ليبيا تستأنف الحوار", "استقبلت طرابلس وفدا.", "ar"
        )

        assert await migrate.apply() == ALL[8:]

        conn = connection()
        assert await search_index.ranked_ids(conn, "dialogue") == [french]
        assert await search_index.ranked_ids(conn, "negociateur") == [french]
        assert await search_index.ranked_ids(conn, "حوار") == [arabic]
        assert await search_index.ranked_ids(conn, "وليبيا") == [arabic]
        kept = await Article.get(id=french)
        assert kept.title_terms == "repris de dialogu"
        assert kept.body_terms == "le negoci dialogu"
        # The write path keeps the new columns current from here on.
        kept.title = "Les pourparlers"
        await kept.save(update_fields=["title"])
        assert await search_index.ranked_ids(conn, "pourparler") == [french]
        assert await search_index.ranked_ids(conn, "reprise") == []


async def _found_by_0002_index(word: str) -> list[int]:
    """Ids the index of migration 0002 (database-side French analysis) finds for ``word``."""
    conn = connection()
    if connection_dialect(conn) == "postgres":
        sql = "SELECT id FROM article WHERE search_vector @@ to_tsquery('gqlnews_fr', $1)"
    else:
        sql = "SELECT rowid AS id FROM article_fts WHERE article_fts MATCH ?"
    return [int(row["id"]) for row in await conn.execute_query_dict(sql, [word])]


async def test_search_analysis_can_be_reversed_and_applied_again() -> None:
    async with migrated_database(target="0009_search_analysis"):
        section = await Section.create(slug="monde", name="Monde")
        before = await _insert_article_as_0001_knew_it(section.pk, "a", "Les dialogues", "Un.")

        await migrate.apply(target="0008_preview_links")

        assert await migrate.pending() == ALL[8:]
        conn = connection()
        columns = (await conn.execute_query_dict("SELECT * FROM article"))[0]
        assert "title_terms" not in columns
        # 0002's index is back and kept current by its triggers / generated column.
        after = await _insert_article_as_0001_knew_it(section.pk, "b", "Le tamanoir", "Deux.")
        assert await _found_by_0002_index("dialogues") == [before]
        assert await _found_by_0002_index("tamanoir") == [after]

        assert await migrate.apply() == ALL[8:]
        assert await search_index.ranked_ids(conn, "dialogue") == [before]
        assert await search_index.ranked_ids(conn, "tamanoirs") == [after]


async def _search_function_count() -> int:
    """How many ``article_search_matches`` functions PostgreSQL holds (0011's)."""
    sql = "SELECT COUNT(*) AS n FROM pg_proc WHERE proname = 'article_search_matches'"
    return int((await connection().execute_query_dict(sql))[0]["n"])


async def test_search_rank_can_be_reversed_and_applied_again() -> None:
    """0011 (PostgreSQL: the rank vector and the matching function; SQLite: nothing) goes
    back and forth, and search ranks title over excerpt over body again afterwards."""
    async with migrated_database(target="0011_search_rank"):
        section = await make_section()
        in_body = (await make_article(section=section, body_html="<p>Un okapi.</p>")).pk
        in_title = (await make_article(section=section, title="Un okapi")).pk
        conn = connection()
        postgres = connection_dialect(conn) == "postgres"

        assert await migrate.apply(target="0010_feeds") == []  # reversed, not applied
        assert await migrate.pending() == ALL[10:]  # 0011 and those after it
        if postgres:
            assert await _search_function_count() == 0
            columns = (await conn.execute_query_dict("SELECT * FROM article"))[0]
            assert "rank_vector" not in columns

        assert await migrate.apply() == ALL[10:]
        if postgres:
            assert await _search_function_count() == 1
        assert await search_index.ranked_ids(conn, "okapi") == [in_title, in_body]


async def test_event_relay_marks_the_events_already_there_announced() -> None:
    """0012 adds ``announced_at``; the events written before it (announced by the old code)
    are marked announced at their creation, so the relay does not replay the history; it
    goes back and forth."""
    async with migrated_database(target="0011_search_rank"):
        conn = connection()
        postgres = connection_dialect(conn) == "postgres"
        marks = "$1, $2, $3, $4" if postgres else "?, ?, ?, ?"
        written = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        sql = 'INSERT INTO "publish_event" ("kind", "article_id", "payload", "created_at") '
        await conn.execute_query(
            f"{sql} VALUES ({marks})",
            ["published", 7, '{"why": "manual"}', written if postgres else written.isoformat()],
        )

        assert await migrate.apply(target="0012_event_relay") == ["0012_event_relay"]

        event = await PublishEvent.get(article_id=7)
        assert (event.kind, event.payload) == ("published", {"why": "manual"})
        assert event.announced_at == event.created_at == written
        assert await migrate.apply(target="0011_search_rank") == []
        assert await migrate.pending() == ALL[11:]  # 0012 and those after it
        columns = (await conn.execute_query_dict('SELECT * FROM "publish_event"'))[0]
        assert "announced_at" not in columns and columns["article_id"] == 7
        assert await migrate.apply() == ALL[11:]


async def test_migrate_command_reports_what_it_applied() -> None:
    async with scratch_database_url() as url:
        first = run_gqlnews("--database-url", url, "migrate")
        assert first.returncode == 0, first.stderr
        core = [line for line in first.stdout.splitlines() if ":" not in line]  # no plugin's
        assert core == [f"applied {name}" for name in ALL]
        again = run_gqlnews("--database-url", url, "migrate")
        assert again.returncode == 0, again.stderr
        assert "no migrations to apply" in again.stdout


async def test_serve_refuses_a_database_that_is_behind() -> None:
    async with scratch_database_url() as url:
        partial = run_gqlnews("--database-url", url, "migrate", "--target", "0001_initial")
        assert partial.returncode == 0, partial.stderr
        refused = run_gqlnews("--database-url", url, "serve", "--port", "8791")
        assert refused.returncode == 2
        pending = refused.stderr.split("migration(s) pending: ", 1)[1].split(". Run", 1)[0]
        assert [name for name in pending.split(", ") if ":" not in name] == ALL[1:]
        assert "gqlnews migrate" in refused.stderr


async def test_app_startup_refuses_pending_migrations_too() -> None:
    """Deployments that run uvicorn on the factory directly are protected by the lifespan."""
    async with scratch_database_url() as url:
        assert (
            run_gqlnews("--database-url", url, "migrate", "--target", "0001_initial").returncode
            == 0
        )
        env = {**os.environ, "GQLNEWS_DATABASE_URL": url}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "gqlnews.server:create_app",
                "--factory",
                "--port",
                "8792",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode != 0
        assert "pending" in done.stderr


def _serve(url: str, port: int, *extra: str) -> subprocess.Popen[str]:
    command = Path(sys.executable).with_name("gqlnews")
    return subprocess.Popen(
        [str(command), "--database-url", url, "serve", "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_healthy(port: int, process: subprocess.Popen[str]) -> httpx.Response:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1)
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("server did not start")


async def test_serve_migrates_an_empty_database_and_starts() -> None:
    async with scratch_database_url() as url:
        process = _serve(url, 8793)
        try:
            assert _wait_healthy(8793, process).status_code == 200
        finally:
            output, _ = stop_server(process, timeout=20)
        assert "applied migration 0001_initial" in output
        assert "no migrations to apply" in run_gqlnews("--database-url", url, "migrate").stdout


async def test_serve_can_be_told_to_start_anyway() -> None:
    async with scratch_database_url() as url:
        assert (
            run_gqlnews("--database-url", url, "migrate", "--target", "0001_initial").returncode
            == 0
        )
        process = _serve(url, 8794, "--allow-pending-migrations")
        try:
            assert _wait_healthy(8794, process).status_code == 200
        finally:
            stop_server(process, timeout=20)


async def _section_article_rows() -> set[tuple[int, int]]:
    rows = await connection().execute_query_dict(
        'SELECT "section_id", "article_id" FROM "section_article"'
    )
    return {(row["section_id"], row["article_id"]) for row in rows}


async def test_section_article_is_filled_and_can_be_reversed() -> None:
    """0014 fills the index of section trees from the links already there; reversed, the
    table and its triggers go (links are written again without them); applied again, it
    is filled again."""
    async with migrated_database(target="0013_webhooks"):
        top = await make_section()
        child = await make_section(parent=top)
        other = await make_section()
        first = await make_article(section=child, extra_sections=(other,))
        second = await make_article(section=top)

        assert await migrate.apply(target="0014_section_article") == ["0014_section_article"]
        expected = {
            (child.pk, first.pk),
            (top.pk, first.pk),
            (other.pk, first.pk),
            (top.pk, second.pk),
        }
        assert await _section_article_rows() == expected

        assert await migrate.apply(target="0013_webhooks") == []
        assert await migrate.pending() == ALL[13:]
        await ArticleSection.create(article=second, section=other, position=1)
        await Article.filter(id=first.pk).update(published_at=datetime(2020, 1, 1, tzinfo=UTC))

        assert await migrate.apply() == ALL[13:]
        assert await _section_article_rows() == expected | {(other.pk, second.pk)}
