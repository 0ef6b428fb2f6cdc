"""Edges of written data (#11, item 9): image URLs that would break out of an HTML attribute
are refused naming the field; look-alike Unicode slugs are stored in their canonical form."""

from __future__ import annotations

import pytest
from tortoise.context import TortoiseContext

from gqlnews.models import Image, Tag
from gqlnews.newsroom import catalog
from gqlnews.newsroom.problems import Code, Refused
from gqlnews.slugs import is_slug, normalize_slug


@pytest.mark.parametrize(
    "url",
    [
        'https://x/a.jpg"><script>alert(1)</script>',
        "https://x/a.jpg'onerror='alert(1)",
        "https://x/a.jpg<b>",
        "https://x/a b.jpg",
        "https://x/a\tb.jpg",
        "https://x/a\x00.jpg",
        "https://x/a\u200b.jpg",
        "https://x/a\\b.jpg",
        "https://x/`a`.jpg",
        "https://user:secret@x/a.jpg",
        "https://x:99999/a.jpg",
        "javascript:alert(1)//https://x/a.jpg",
        "https://x/" + "a" * 1000,
    ],
)
async def test_unsafe_image_urls_are_refused_naming_the_field(
    database: TortoiseContext, url: str
) -> None:
    before = await Image.all().count()
    with pytest.raises(Refused) as refused:
        await catalog.create_image({"url": url})
    assert [(p.field, p.code) for p in refused.value.problems] in (
        [("url", Code.INVALID)],
        [("url", Code.TOO_LONG)],
    )
    assert await Image.all().count() == before


async def test_plain_image_urls_are_kept(database: TortoiseContext) -> None:
    for url in ("https://img.example/2027/a.jpg?w=800#x", "http://[::1]:8080/ليبيا.jpg"):
        image = await catalog.create_image({"url": url})
        assert image.url == url
        await image.delete()


@pytest.mark.parametrize(
    ("given", "stored"),
    [("ｍonde-ｍaroc", "monde-maroc"), ("ﬁlm-ﬂash", "film-flash"), ("Monde", "monde"),
     ("ＭＯＮＤＥ-２", "monde-2"), ("ليبيا", "ليبيا")],
)  # fmt: skip
async def test_look_alike_slugs_are_stored_canonical(
    database: TortoiseContext, given: str, stored: str
) -> None:
    tag = await catalog.create_tag({"name": "Nom", "slug": given})
    try:
        assert tag.slug == stored and is_slug(tag.slug)
        with pytest.raises(Refused) as again:  # the look-alike names the same slug
            await catalog.create_tag({"name": "Nom", "slug": given.upper()})
        assert [(p.field, p.code) for p in again.value.problems] == [("slug", Code.DUPLICATE)]
    finally:
        await Tag.filter(slug=stored).delete()


@pytest.mark.parametrize("given", ["mоnde", "pаris", "ｍоnde"])  # Cyrillic о, а
async def test_slugs_mixing_latin_and_cyrillic_are_refused(
    database: TortoiseContext, given: str
) -> None:
    with pytest.raises(Refused) as refused:
        await catalog.create_tag({"name": "Nom", "slug": given})
    assert [(p.field, p.code) for p in refused.value.problems] == [("slug", Code.INVALID)]


def test_normalize_slug() -> None:
    assert normalize_slug(" ｍonde ") == "monde"
    assert normalize_slug("Straße") == "strasse"
    assert not is_slug("ｍonde") and is_slug("monde")
