"""``gqlnews picks …`` and ``gqlnews slots …`` end to end, each command in its own process
on a scratch database holding the demo newsroom: what they write, and that bad input is an
error with exit code 2 that writes nothing."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest_asyncio

from gqlnews.demo import ANATOMY_SLUG, DEMO_DRAFT_SLUGS
from tests.helpers import run_gqlnews, scratch_database_url

DRAFT = DEMO_DRAFT_SLUGS[0]
LATER = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)


@pytest_asyncio.fixture(scope="module")
async def url() -> AsyncIterator[str]:
    """A scratch database, migrated (the editorial app included) and holding the demo."""
    async with scratch_database_url() as scratch:
        loaded = run_gqlnews("--database-url", scratch, "demo")
        assert loaded.returncode == 0, loaded.stderr
        yield scratch


def _ok(url: str, *args: str) -> str:
    done = run_gqlnews("--database-url", url, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _refused(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    done = run_gqlnews("--database-url", url, *args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    return done


async def test_picks_set_list_and_clear(url: str) -> None:
    written = _ok(url, "picks", "set", ANATOMY_SLUG, DRAFT, "--expires", LATER.isoformat())
    assert written.splitlines() == [
        f"1.  {ANATOMY_SLUG}  until {LATER.isoformat()}  [shown]",
        f"2.  {DRAFT}  until {LATER.isoformat()}  [article not visible to readers]",
    ]
    assert _ok(url, "picks", "list") == written
    starts = _ok(url, "picks", "set", DRAFT, "--starts", "2099-01-01T08:00")
    assert starts.splitlines() == [f"1.  {DRAFT}  from 2099-01-01T08:00:00+00:00  [not started]"]
    assert _ok(url, "picks", "clear") == "removed 1 pick(s)\n"
    assert _ok(url, "picks", "list") == "no picks\n"


BAD_PICKS = [
    ((ANATOMY_SLUG, "pas-un-article"), "error: no article with slug 'pas-un-article'"),
    ((DRAFT, DRAFT), f"error: article '{DRAFT}' is picked twice"),
    ((DRAFT, "--expires", "2020-01-01T00:00:00+00:00"), "is not in the future"),
    ((DRAFT, "--expires", "demain"), "'demain' is not an ISO 8601 date-time"),
]


async def test_bad_picks_are_refused_and_nothing_is_written(url: str) -> None:
    before = _ok(url, "picks", "set", ANATOMY_SLUG)
    for args, message in BAD_PICKS:
        refused = _refused(url, "picks", "set", *args)
        assert message in refused.stderr, args
        assert "Traceback" not in refused.stderr
    assert _ok(url, "picks", "list") == before
    _ok(url, "picks", "clear")


async def test_slots_set_list_and_clear(url: str) -> None:
    _ok(url, "slots", "set", "une-principale", DRAFT)
    written = _ok(url, "slots", "set", "une-secondaire", ANATOMY_SLUG, "--expires", str(LATER))
    assert written.splitlines() == [
        f"une-principale  {DRAFT}  [article not visible to readers]",
        f"une-secondaire  {ANATOMY_SLUG}  until {LATER.isoformat()}  [shown]",
    ]
    replaced = _ok(url, "slots", "set", "une-principale", ANATOMY_SLUG)
    assert replaced.splitlines()[0] == f"une-principale  {ANATOMY_SLUG}  [shown]"
    assert _ok(url, "slots", "clear", "une-principale") == "slot une-principale cleared\n"
    again = _refused(url, "slots", "clear", "une-principale")
    assert again.stderr == "error: no slot named 'une-principale' is set\n"
    assert _ok(url, "slots", "list") == replaced.splitlines(keepends=True)[1]
    _ok(url, "slots", "clear", "une-secondaire")


BAD_SLOTS = [
    (("Une", ANATOMY_SLUG), "error: slot name 'Une' is not allowed"),
    (("une-principale", "pas-un-article"), "error: no article with slug 'pas-un-article'"),
]


async def test_bad_slots_are_refused_and_nothing_is_written(url: str) -> None:
    before = _ok(url, "slots", "set", "une-principale", ANATOMY_SLUG)
    for args, message in BAD_SLOTS:
        assert message in _refused(url, "slots", "set", *args).stderr, args
    assert _ok(url, "slots", "list") == before
    _ok(url, "slots", "clear", "une-principale")


async def test_a_database_behind_its_migrations_is_refused() -> None:
    async with scratch_database_url() as empty:
        refused = _refused(empty, "picks", "list")
    assert "editorial:0001_initial" in refused.stderr
    assert "run `gqlnews migrate` first" in refused.stderr


def test_the_commands_go_with_the_plugin() -> None:
    done = run_gqlnews("picks", "list", env={"GQLNEWS_DISABLED_PLUGINS": "editorial"})
    assert done.returncode == 2
    assert "No such command 'picks'" in done.stderr
