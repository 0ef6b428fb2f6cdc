"""Public URLs: the templates are checked when the settings are made (and by ``gqlnews
check``), one builder makes every URL, and the schema's ``url`` fields load in a constant
number of statements."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from gqlnews.demo import DemoSummary
from gqlnews.models import Article
from gqlnews.settings import Settings, SettingsError
from gqlnews.testing import count_queries
from gqlnews.urls import SiteUrls, section_paths, site_urls
from tests.factories import make_article, make_section, unique
from tests.feed_support import SITE, feed_app, feed_client
from tests.helpers import gql_data, run_gqlnews


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("ARTICLE_URL_TEMPLATE", "{site}/{sectoin}/{slug}", "unknown placeholder {sectoin}"),
        ("SECTION_URL_TEMPLATE", "{site}/{year}/{slug}", "unknown placeholder {year}"),
        ("AUTHOR_URL_TEMPLATE", "{site}/{section}/{slug}", "unknown placeholder {section}"),
        ("TAG_URL_TEMPLATE", "{site}/tags/{slug", "is not a valid template"),
        ("TAG_URL_TEMPLATE", "{site}/tags/{slug!r}", "no format or conversion"),
        ("ARTICLE_URL_TEMPLATE", "{site}/{id:05d}", "no format or conversion"),
        ("ARTICLE_URL_TEMPLATE", "/{section}/{slug}", "must start with {site} or http(s)://"),
        ("SITE_URL", "www.example.org", "must be an absolute http:// or https:// URL"),
        ("SITE_URL", "https://", "must be an absolute http:// or https:// URL"),
        ("SITE_URL", "https://example.org/?x=1", "without query"),
        ("SITE_LANGUAGE", "French", "must be a language tag"),
        ("SITEMAP_MAX_URLS", "50001", "must be between 1 and 50000"),
        ("FEED_MAX_AGE", "-1", "must be 0 or more seconds"),
    ],
)
def test_bad_url_settings_are_refused_naming_the_variable(
    variable: str, value: str, message: str
) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({f"GQLNEWS_{variable}": value})
    assert str(refused.value).startswith(f"GQLNEWS_{variable} ")
    assert message in str(refused.value)


def test_gqlnews_check_reports_a_bad_template() -> None:
    done = run_gqlnews("check", env={"GQLNEWS_ARTICLE_URL_TEMPLATE": "{site}/{rubrique}/{slug}"})
    assert done.returncode == 2
    assert "GQLNEWS_ARTICLE_URL_TEMPLATE uses the unknown placeholder {rubrique}" in done.stderr


def test_the_builder() -> None:
    urls = SiteUrls(
        "https://ex.org",
        "{site}/{year}/{month}/{day}/{id}-{slug}",
        "{site}/rubriques/{section}",
        "{site}/auteurs/{slug}",
        "https://tags.ex.org/{id}",
    )
    day = datetime(2026, 3, 7, 23, 30, tzinfo=UTC)
    assert (
        urls.article(pk=42, slug="titre", section_path="monde", published_at=day)
        == "https://ex.org/2026/03/07/42-titre"
    )
    assert urls.section(pk=3, slug="afrique", path="monde/afrique") == (
        "https://ex.org/rubriques/monde/afrique"
    )
    assert urls.author(pk=1, slug="amina") == "https://ex.org/auteurs/amina"
    assert urls.tag(pk=9, slug="eau") == "https://tags.ex.org/9"
    assert site_urls(Settings(site_url="https://ex.org/")).site == "https://ex.org"


def test_section_paths_follow_the_tree_and_survive_a_loop() -> None:
    paths = section_paths([(1, None, "monde"), (2, 1, "afrique"), (3, 2, "maroc"), (4, 5, "x"),
                           (5, 4, "y")])  # fmt: skip
    assert paths[1] == "monde" and paths[2] == "monde/afrique"
    assert paths[3] == "monde/afrique/maroc"
    assert len(paths[4].split("/")) == 20  # a loop in the data is cut, not endless


URLS = """query ($slug: String!) {
  article(slug: $slug) {
    url
    primarySection { url parent { url } }
    authors { url }
    tags { url }
  }
}"""


async def test_url_fields_with_a_site_url(demo: DemoSummary) -> None:
    parent = await make_section(slug=unique("t-monde"))
    child = await make_section(slug=unique("t-afrique"), parent=parent)
    from gqlnews.models import Author, Tag

    author = await Author.create(slug=unique("t-author"), name="A")
    tag = await Tag.create(slug=unique("t-tag"), name="T")
    article = await make_article(section=child, authors=(author,), tags=(tag,))
    async with feed_client(feed_app()) as client:
        data = await gql_data(client, URLS, {"slug": article.slug})
    assert data["article"] == {
        "url": f"{SITE}/{parent.slug}/{child.slug}/{article.slug}",
        "primarySection": {
            "url": f"{SITE}/{parent.slug}/{child.slug}",
            "parent": {"url": f"{SITE}/{parent.slug}"},
        },
        "authors": [{"url": f"{SITE}/authors/{author.slug}"}],
        "tags": [{"url": f"{SITE}/tags/{tag.slug}"}],
    }


async def test_without_a_site_url_urls_are_paths(client: httpx.AsyncClient) -> None:
    article = (
        await Article.filter(status="published", published_at__lte=datetime.now(UTC))
        .filter(embargo_until__isnull=True, deleted_at__isnull=True)
        .order_by("-published_at")
        .first()
    )
    assert article is not None
    data = await gql_data(client, URLS, {"slug": article.slug})
    assert data["article"]["url"].startswith("/")
    assert data["article"]["url"].endswith(f"/{article.slug}")
    assert data["article"]["authors"][0]["url"].startswith("/authors/")


LIST = """query ($first: Int!) {
  articles(first: $first) {
    edges { node { url sections { url } authors { url } tags { url } } }
  }
}"""


async def test_url_fields_cost_no_statement_per_article(client: httpx.AsyncClient) -> None:
    counts = []
    for first in (2, 40):
        with count_queries() as log:
            data = await gql_data(client, LIST, {"first": first})
        assert len(data["articles"]["edges"]) == first
        counts.append(log.count)
    without = []
    for first in (2, 40):
        with count_queries() as log:
            await gql_data(
                client,
                LIST.replace(
                    "url sections { url } authors { url } tags { url }",
                    "sections { id } authors { id } tags { id }",
                ),
                {"first": first},
            )
        without.append(log.count)
    assert counts[0] == counts[1], counts
    assert counts[0] == without[0] + 1, (counts, without)  # the section tree, once per request
