"""The plugin template in examples/ loads as a plugin and its strategy works on the demo."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import httpx

from gqlnews.demo import ANATOMY_SLUG
from gqlnews.models import ArticleAuthor
from gqlnews.plugins import describe, make_plugin_manager
from gqlnews.server import create_app
from gqlnews.settings import Settings
from tests.helpers import gql_data

TEMPLATE = Path(__file__).resolve().parent.parent / "examples" / "plugin-template"


def test_the_template_is_an_installable_plugin_package() -> None:
    project = tomllib.loads((TEMPLATE / "pyproject.toml").read_text())
    entry = project["project"]["entry-points"]["gqlnews"]
    assert entry == {"same_author": "gqlnews_same_author"}
    assert (TEMPLATE / "src" / "gqlnews_same_author.py").exists()
    assert (TEMPLATE / "tests" / "test_same_author.py").exists()


async def test_the_template_suggests_articles_by_the_same_author(demo: object) -> None:
    settings = Settings(plugins_dir=str(TEMPLATE / "src"))
    infos = describe(make_plugin_manager(settings))
    assert any(i.name == "gqlnews_same_author" and i.version == "0.1.0" for i in infos)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        data = await gql_data(
            client,
            "query($s: String!) { article(slug: $s) { authors { slug } "
            'related(strategy: "same-author", first: 3) { reason '
            "article { slug authors { slug } } } } }",
            {"s": ANATOMY_SLUG},
        )
    article = data["article"]
    mine = {a["slug"] for a in article["authors"]}
    assert article["related"], "the anatomy article's author signed other articles"
    for suggestion in article["related"]:
        assert suggestion["reason"] == "same author"
        assert mine & {a["slug"] for a in suggestion["article"]["authors"]}
    assert await ArticleAuthor.all().exists()


def test_the_templates_own_tests_pass_with_the_public_test_helpers() -> None:
    """What a plugin author runs: the template's tests, against gqlnews.testing."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=TEMPLATE,
        env={**os.environ, "PYTHONPATH": str(TEMPLATE / "src")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout, done.stdout
