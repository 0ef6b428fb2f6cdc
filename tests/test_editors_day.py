"""The editor's day in examples/ runs end to end: every step answers as the script expects,
and a reader sees exactly what they should at each step."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import httpx

from gqlnews.models import ArticleRevision, UserRole
from gqlnews.newsroom.publishing import Publisher
from gqlnews.newsroom.scheduler import Scheduler
from gqlnews.plugins import make_plugin_manager
from gqlnews.settings import Settings
from tests.account_factories import PASSWORD, make_user

SCRIPT = Path(__file__).resolve().parent.parent / "examples" / "editors-day" / "editors_day.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("editors_day", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_an_editors_day(client: httpx.AsyncClient) -> None:
    editor = await make_user(UserRole.EDITOR, password=PASSWORD)
    said: list[str] = []
    scheduler = Scheduler(Publisher(make_plugin_manager(Settings())), interval=1)
    scheduler.start()  # what the server's lifespan runs: it lifts the embargo
    try:
        final = await _load().run(
            client, editor.email, PASSWORD, say=said.append, embargo_seconds=1.5
        )
    finally:
        await scheduler.stop()
    assert final["status"] == "PUBLISHED"
    sights = [line.strip() for line in said if "reader" in line]
    assert sights[0] == "a reader does not see it"  # draft
    assert sights[1] == "a reader does not see it"  # published under embargo
    assert sights[-1] == "a reader sees it"
    actions = await ArticleRevision.filter(article__slug=final["slug"]).values_list(
        "action", flat=True
    )
    assert {"create", "submit", "embargo", "publish", "unpublish", "restore"} <= set(actions)
