"""Languages in the archive: the ``language`` of reference lines and of pictures (a ninjs
association's own ``language``) is imported and exported; an article that does not say its
language is in the site's; a malformed tag is a bad line."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from gqlnews.archive.lines import parse_line
from gqlnews.archive.records import ArticleRecord, LineError, ReferenceRecord
from gqlnews.models import Article, Author, Edition, Image, Section, Supplement, Tag
from tests.test_archive_support import (
    article_lines,
    decode,
    encode,
    export_bytes,
    fresh_database,
    import_path,
    ninjs_errors,
    reference_lines,
    write_archive,
)

MODELS = {
    "section": Section,
    "author": Author,
    "tag": Tag,
    "edition": Edition,
    "supplement": Supplement,
}


def _first(kind: str) -> dict[str, Any]:
    return copy.deepcopy(next(line for line in reference_lines() if line["type"] == kind))


def _pictured_article() -> dict[str, Any]:
    return copy.deepcopy(next(a for a in article_lines() if "associations" in a["ninjs"]))


def _arabic_lines() -> list[dict[str, Any]]:
    """The sample's references, one of each kind in Arabic, and one article whose picture's
    caption is Arabic (``language`` on the association) and whose own language is left out."""
    lines = [copy.deepcopy(line) for line in reference_lines()]
    for kind in MODELS:
        next(line for line in lines if line["type"] == kind)["language"] = "ar-MA"
    article = _pictured_article()
    article["ninjs"].pop("language", None)
    for association in article["ninjs"]["associations"]:
        association["language"] = "ar"
    return [*lines, article]


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_a_reference_line_carries_its_language(kind: str) -> None:
    line = _first(kind)
    assert "language" not in parse_line(1, encode([line])).values  # type: ignore[union-attr]
    line["language"] = "ar"
    record = parse_line(1, encode([line]))
    assert isinstance(record, ReferenceRecord)
    assert record.values["language"] == "ar"
    line["language"] = "arabe"
    with pytest.raises(LineError, match="field 'language' must be a language tag"):
        parse_line(1, encode([line]))


def test_a_picture_and_an_article_language() -> None:
    article = _pictured_article()
    article["ninjs"].pop("language", None)
    article["ninjs"]["associations"][0]["language"] = "ar"
    record = parse_line(1, encode([article]), default_language="ar")
    assert isinstance(record, ArticleRecord)
    assert record.values["language"] == "ar"  # the site's, as the article does not say
    assert record.image is not None and record.image.language == "ar"
    assert parse_line(1, encode([article])).values["language"] == "fr"  # type: ignore[union-attr]
    article["ninjs"]["associations"][0]["language"] = "AR"
    with pytest.raises(LineError, match=r"featureimage\.language"):
        parse_line(1, encode([article]))
    article["ninjs"]["associations"][0]["language"] = "ar"
    article["ninjs"]["language"] = "fr_FR"
    with pytest.raises(LineError, match="field 'language' must be a language tag"):
        parse_line(1, encode([article]))


async def test_languages_survive_import_and_export(tmp_path: Path) -> None:
    lines = _arabic_lines()
    article = lines[-1]
    async with fresh_database():
        summary = await import_path(
            write_archive(tmp_path / "ar.jsonl", lines), default_language="ar"
        )
        assert summary.failures == []
        for kind, model in MODELS.items():
            assert await model.filter(language="ar-MA").count() == 1, kind
        stored = await Article.get(uri=article["ninjs"]["uri"])
        assert stored.language == "ar"
        image = await Image.get(id=stored.image_id)
        assert image.language == "ar"
        exported = decode(await export_bytes())
    for kind in MODELS:
        languages = [line.get("language") for line in exported if line["type"] == kind]
        assert languages.count("ar-MA") == 1 and set(languages) <= {"ar-MA", None}, kind
    out = next(
        line for line in exported if line.get("ninjs", {}).get("uri") == article["ninjs"]["uri"]
    )
    assert out["ninjs"]["language"] == "ar"
    assert out["ninjs"]["associations"][0]["language"] == "ar"
    assert ninjs_errors(out) == []
