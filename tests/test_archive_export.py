"""``gqlnews export`` in process: the same format back, filters, the official ninjs 2.1 schema,
and round trips (export → import into an empty database → export gives the same articles)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from gqlnews.archive.exporter import ExportFilter, UnknownSection
from gqlnews.archive.records import KINDS
from gqlnews.demo import DemoSummary
from gqlnews.models import Article
from tests.test_archive_support import (
    SAMPLE,
    SAMPLE_COUNTS,
    Line,
    article_lines,
    decode,
    export_bytes,
    fresh_database,
    import_path,
    ninjs_errors,
    sample_lines,
    write_archive,
)


def _kinds(lines: list[Line]) -> list[str]:
    """Line types in file order, runs collapsed."""
    kinds: list[str] = []
    for line in lines:
        if not kinds or kinds[-1] != line["type"]:
            kinds.append(line["type"])
    return kinds


def _by_uri(lines: list[Line], drop_ids: bool = True) -> dict[str, Any]:
    """Article lines by uri (ids are numbered anew by each database)."""
    articles = {}
    for line in lines:
        if line["type"] == "article":
            ninjs = line["ninjs"]
            ext = {k: v for k, v in ninjs["gqlnews"].items() if not (drop_ids and k == "id")}
            articles[ninjs["uri"]] = {**ninjs, "gqlnews": ext}
    return articles


def _without_id(line: Line) -> Line:
    return {key: value for key, value in line.items() if key != "id"}


async def test_export_writes_the_archive_it_imported() -> None:
    """The sample comes back line for line, but for what gqlnews does not keep (an author's
    first/last name and beats) and the article ids it numbers itself."""
    async with fresh_database():
        await import_path(SAMPLE)
        exported = decode(await export_bytes(copyright_holder="Le Quotidien"))
    original = sample_lines()
    assert _kinds(exported) == list(KINDS)
    assert Counter(line["type"] for line in exported) == SAMPLE_COUNTS
    assert _by_uri(exported) == _by_uri(original)
    unkept = {"id", "first_name", "last_name", "beats"}
    assert [
        {k: v for k, v in line.items() if k not in unkept}
        for line in exported
        if line["type"] != "article"
    ] == [
        {k: v for k, v in line.items() if k not in unkept}
        for line in original
        if line["type"] != "article"
    ]


async def test_round_trip_through_an_empty_database(tmp_path: Path) -> None:
    async with fresh_database():
        await import_path(SAMPLE)
        first = await export_bytes()
    async with fresh_database():
        summary = await import_path(write_archive(tmp_path / "first.jsonl", decode(first)))
        assert summary.failures == [] and summary.total.created == sum(SAMPLE_COUNTS.values())
        second = await export_bytes()
    assert _by_uri(decode(second)) == _by_uri(decode(first))
    assert list(_by_uri(decode(second))) == list(_by_uri(decode(first))), "same order"
    assert [_without_id(line) for line in decode(second) if line["type"] != "article"] == [
        _without_id(line) for line in decode(first) if line["type"] != "article"
    ]


async def test_exported_articles_are_valid_ninjs_2_1() -> None:
    async with fresh_database():
        await import_path(SAMPLE)
        exported = decode(await export_bytes(copyright_holder="Le Quotidien"))
    articles = [line for line in exported if line["type"] == "article"]
    assert len(articles) == SAMPLE_COUNTS["article"]
    for line in articles:
        assert ninjs_errors(line) == [], line["ninjs"]["uri"]


async def test_since_and_section_filters(tmp_path: Path) -> None:
    modified = sorted(
        datetime.fromisoformat(line["ninjs"]["versioncreated"]) for line in article_lines()
    )
    cutoff = modified[len(modified) // 2]
    in_sport = {
        line["ninjs"]["uri"]
        for line in article_lines()
        if "sport" in line["ninjs"]["gqlnews"]["sections"]
    }
    async with fresh_database():
        await import_path(SAMPLE)
        recent = decode(await export_bytes(ExportFilter(since=cutoff)))
        sport = decode(await export_bytes(ExportFilter(section="sport")))
        both = decode(await export_bytes(ExportFilter(since=cutoff, section="sport")))
        with pytest.raises(UnknownSection, match="unknown section 'jardinage'"):
            await export_bytes(ExportFilter(section="jardinage"))
    recent_uris = set(_by_uri(recent))
    assert recent_uris == {
        line["ninjs"]["uri"]
        for line in article_lines()
        if datetime.fromisoformat(line["ninjs"]["versioncreated"]) >= cutoff
    }
    assert set(_by_uri(sport)) == in_sport and in_sport
    assert set(_by_uri(both)) == recent_uris & in_sport
    # A filtered export carries only the reference lines its articles need, and imports alone.
    used_tags = {tag for a in _by_uri(recent).values() for tag in a["gqlnews"]["tags"]}
    assert {line["slug"] for line in recent if line["type"] == "tag"} == used_tags
    assert len([line for line in recent if line["type"] == "edition"]) < SAMPLE_COUNTS["edition"]
    async with fresh_database():
        summary = await import_path(write_archive(tmp_path / "recent.jsonl", recent))
        assert summary.failures == []
        assert await Article.all().count() == len(recent_uris)


async def test_the_demo_newsroom_round_trips(demo: DemoSummary, tmp_path: Path) -> None:
    """Articles made in gqlnews (no uri, subsections, print positions, avatars, embargoes on
    published articles…) export as valid ninjs and come back the same."""
    first = decode(await export_bytes())
    articles = [line for line in first if line["type"] == "article"]
    assert len(articles) >= demo.articles
    for line in articles:
        assert ninjs_errors(line) == [], line["ninjs"]["uri"]
    assert any(line.get("parent") for line in first if line["type"] == "section")
    assert any(line.get("avatar") for line in first if line["type"] == "author")
    assert any("print_position" in line["ninjs"]["gqlnews"] for line in articles)
    async with fresh_database():
        summary = await import_path(write_archive(tmp_path / "demo.jsonl", first))
        assert summary.failures == []
        second = decode(await export_bytes())
    assert _by_uri(second) == _by_uri(first)
    assert [_without_id(line) for line in second if line["type"] != "article"] == [
        _without_id(line) for line in first if line["type"] != "article"
    ]
