"""`gqlnews check` names each problem of a configuration with its fix."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from tests.helpers import installed_model_apps, run_gqlnews, scratch_database_url
from tests.test_migrations import ALL


def test_missing_sqlite_folder(tmp_path: Path) -> None:
    done = run_gqlnews("--database-url", f"sqlite://{tmp_path}/nope/x.sqlite3", "check")
    assert done.returncode == 1
    assert "PROBLEM database file: folder" in done.stdout
    assert "fix: create it (mkdir -p" in done.stdout


def test_unwritable_sqlite_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        done = run_gqlnews("--database-url", f"sqlite://{locked}/x.sqlite3", "check")
    finally:
        locked.chmod(0o700)
    if os.geteuid() == 0:  # root writes anywhere: the check rightly finds nothing wrong
        assert "x.sqlite3 does not exist yet" in done.stdout
    else:
        assert done.returncode == 1
        assert "is not writable" in done.stdout


def test_unreachable_postgres() -> None:
    done = run_gqlnews("--database-url", "postgres://postgres@127.0.0.1:1/x", "check")
    assert done.returncode == 1
    assert "PROBLEM database: cannot use postgres://postgres@127.0.0.1:1/x" in done.stdout
    assert "pg_isready -h 127.0.0.1 -p 1" in done.stdout


def test_bad_url_is_refused_before_anything_runs() -> None:
    done = run_gqlnews("--database-url", "mysql://localhost/x", "check")
    assert done.returncode == 2
    assert "must start with sqlite:// or postgres://" in done.stderr


async def test_pending_migrations_and_then_all_good() -> None:
    async with scratch_database_url() as url:
        assert (
            run_gqlnews("--database-url", url, "migrate", "--target", "0001_initial").returncode
            == 0
        )
        behind = run_gqlnews("--database-url", url, "check")
        assert behind.returncode == 1
        # every migration but the first: the core's and the built-in plugins'
        pending = (
            len(ALL)
            - 1
            + sum(len(list(files(app.migrations).glob("0*.py"))) for app in installed_model_apps())
        )
        assert f"PROBLEM migrations: {pending} pending: " in behind.stdout, behind.stdout
        for name in ("0002_search", "0004_workflow", "editorial:0001_initial", "related:0001"):
            assert name in behind.stdout
        assert "fix: run `gqlnews migrate`" in behind.stdout
        assert run_gqlnews("--database-url", url, "migrate").returncode == 0
        good = run_gqlnews("--database-url", url, "check")
        assert good.returncode == 0, good.stdout
        assert "ok      migrations: the schema is up to date" in good.stdout
        assert "ok      response cache: in this process only" in good.stdout
        off = run_gqlnews("--database-url", url, "check", env={"GQLNEWS_CACHE": "false"})
        assert "ok      response cache: off (GQLNEWS_CACHE=false)" in off.stdout
        redis_url = os.environ.get("GQLNEWS_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
        shared = run_gqlnews("--database-url", url, "check", env={"GQLNEWS_REDIS_URL": redis_url})
        assert shared.returncode == 0, shared.stdout
        assert "response cache: in each process and in Redis" in shared.stdout


async def test_unreachable_redis() -> None:
    async with scratch_database_url() as url:
        run_gqlnews("--database-url", url, "migrate")
        env_url = "redis://127.0.0.1:1/0"
        done = run_gqlnews("--database-url", url, "check", env={"GQLNEWS_REDIS_URL": env_url})
        assert done.returncode == 1
        assert "PROBLEM redis: redis://127.0.0.1:1/0 does not answer PING" in done.stdout
