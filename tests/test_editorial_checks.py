"""The editorial plugin's publish checks, called through the real plugin manager on unsaved
articles: headline length, picture credits, and the excerpt filled from the body."""

from __future__ import annotations

import importlib.metadata
import logging
from collections.abc import Iterator

import pluggy
import pytest

from gqlnews.models import Article, Image
from gqlnews.plugins import call_list, make_plugin_manager
from gqlnews.plugins.manager import ENTRY_POINT_GROUP
from gqlnews.settings import Settings
from gqlnews.text import html_to_text
from gqlnews_editorial.checks import EXCERPT_LENGTH, MAX_TITLE_LENGTH

BODY = (
    "<p>Le Conseil de gouvernement a adopté jeudi le projet de loi sur l'eau, après trois "
    "mois de concertation avec les agences de bassin.</p><p>Le texte prévoit une tarification "
    "progressive, des quotas pour l'irrigation et un fonds pour les communes rurales les plus "
    "exposées à la sécheresse, qui dure depuis trois ans.</p>"
)


@pytest.fixture(scope="module")
def pm() -> pluggy.PluginManager:
    """The installed plugins with only the editorial one left enabled, so the reasons seen
    are the editorial plugin's alone."""
    others = {ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)} - {
        "editorial"
    }
    manager = make_plugin_manager(Settings(disabled_plugins=",".join(sorted(others))))
    assert manager.get_plugin("editorial") is not None
    return manager


@pytest.fixture(autouse=True)
def _no_plugin_failure(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """The host logs and skips a hook that raises, which would look like an acceptance."""
    caplog.set_level(logging.ERROR, logger="gqlnews.plugins")
    yield
    failures = [r for r in caplog.get_records("call") if r.name == "gqlnews.plugins"]
    assert not failures, caplog.text


def _article(**kw: object) -> Article:
    values: dict[str, object] = {"title": "La loi sur l'eau adoptée", "excerpt": "Un chapô."}
    return Article(**{**values, **kw})


async def test_a_sound_article_is_accepted_unchanged(pm: pluggy.PluginManager) -> None:
    article = _article(title="x" * MAX_TITLE_LENGTH, body_html=BODY)
    assert await call_list(pm, "gqlnews_before_publish", article=article) == []
    assert article.excerpt == "Un chapô."


@pytest.mark.parametrize("title", ["", "   ", None])
async def test_an_empty_headline_is_refused(pm: pluggy.PluginManager, title: str | None) -> None:
    article = Article(excerpt="Un chapô.")
    article.title = title  # type: ignore[assignment]
    assert await call_list(pm, "gqlnews_before_publish", article=article) == [
        "The headline is empty: give the article a title."
    ]


async def test_a_long_headline_is_refused_with_its_length(pm: pluggy.PluginManager) -> None:
    article = _article(title="Un titre " + "très " * 25 + "long")
    length = len(article.title)
    assert length > MAX_TITLE_LENGTH
    assert await call_list(pm, "gqlnews_before_publish", article=article) == [
        f"The headline is {length} characters long; shorten it to at most {MAX_TITLE_LENGTH}."
    ]


async def test_a_picture_without_credit_is_refused_by_name(
    pm: pluggy.PluginManager, database: object
) -> None:
    blank = await Image.create(url="https://img.example/sans-credit.jpg", credit="  ")
    credited = await Image.create(url="https://img.example/credit.jpg", credit="A. Photo / AFP")
    try:
        refused = _article(image=blank)
        assert await call_list(pm, "gqlnews_before_publish", article=refused) == [
            f"The picture https://img.example/sans-credit.jpg (image {blank.pk}) has no "
            "credit: add the photographer or agency before publishing."
        ]
        accepted = _article(image_id=credited.pk)
        assert await call_list(pm, "gqlnews_before_publish", article=accepted) == []
        # the id decides, not a stale object: the credited picture was swapped for the blank
        swapped = _article(image=credited)
        swapped.image_id = blank.pk
        reasons = await call_list(pm, "gqlnews_before_publish", article=swapped)
        assert len(reasons) == 1 and "sans-credit.jpg" in reasons[0]
    finally:
        await Image.filter(id__in=[blank.pk, credited.pk]).delete()


async def test_every_reason_is_given_at_once(pm: pluggy.PluginManager, database: object) -> None:
    blank = await Image.create(url="https://img.example/muette.jpg")
    try:
        article = _article(title="T" * (MAX_TITLE_LENGTH + 1), image=blank)
        reasons = await call_list(pm, "gqlnews_before_publish", article=article)
    finally:
        await blank.delete()
    assert [r.split(" ", 2)[1] for r in reasons] == ["headline", "picture"]


async def test_an_empty_excerpt_is_cut_from_the_body(pm: pluggy.PluginManager) -> None:
    article = _article(excerpt="", body_html=BODY)
    assert await call_list(pm, "gqlnews_before_publish", article=article) == []
    text = html_to_text(BODY)
    assert len(text) > EXCERPT_LENGTH
    assert article.excerpt.endswith("…") and len(article.excerpt) <= EXCERPT_LENGTH
    kept = article.excerpt.removesuffix("…")
    assert text.startswith(kept)
    assert text[len(kept)] in " ,.", "cut at a word boundary"
    assert len(kept) > EXCERPT_LENGTH - 20, "not cut much shorter than it may be"


async def test_the_excerpt_follows_the_body_as_it_will_be_saved(
    pm: pluggy.PluginManager,
) -> None:
    edited = _article(excerpt="  ", body_html="<p>Court et <b>complet</b>.</p>", body_text="old")
    assert await call_list(pm, "gqlnews_before_publish", article=edited) == []
    assert edited.excerpt == "Court et complet."
    nothing = _article(excerpt="", body_html="")
    assert await call_list(pm, "gqlnews_before_publish", article=nothing) == []
    assert nothing.excerpt == ""


async def test_the_checks_go_with_the_plugin() -> None:
    without = make_plugin_manager(Settings(disabled_plugins="editorial"))
    article = _article(title="T" * (MAX_TITLE_LENGTH + 1), excerpt="", body_html=BODY)
    reasons = await call_list(without, "gqlnews_before_publish", article=article)
    assert not [r for r in reasons if r.startswith("The headline")]
    assert article.excerpt == ""
