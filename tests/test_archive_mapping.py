"""The archive format without a database: line parsing, the ninjs mapping both ways, the
official ninjs 2.1 schema, and the reader (gzip, blank lines)."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from gqlnews.archive.lines import parse_line
from gqlnews.archive.ninjs import GENRE_LABELS, article_ninjs, image_uri
from gqlnews.archive.reader import ArchiveReader, UnreadableArchive
from gqlnews.archive.records import ArticleRecord, ImageData, LineError, ReferenceRecord
from gqlnews.archive.values import format_timestamp
from gqlnews.models import ArticleStatus, Genre
from tests.test_archive_support import (
    SAMPLE,
    SAMPLE_COUNTS,
    article_lines,
    encode,
    ninjs_errors,
    reference_lines,
    sample_lines,
)

SHARED_DATASET = Path(__file__).parents[2] / "shared" / "datasets" / "newsroom-500.jsonl"


def _parse(line: dict[str, Any] | str, number: int = 7) -> Any:
    return parse_line(number, encode([line]))


def _article(status: str) -> dict[str, Any]:
    return next(line for line in article_lines() if line["ninjs"]["gqlnews"]["status"] == status)


def test_a_published_article_maps_to_the_model_columns() -> None:
    line = next(
        a
        for a in article_lines()
        if a["ninjs"]["gqlnews"]["edition_number"] and "associations" in a["ninjs"]
    )
    ninjs, ext = line["ninjs"], line["ninjs"]["gqlnews"]
    record = _parse(line)
    assert isinstance(record, ArticleRecord)
    assert record.uri == ninjs["uri"]
    assert record.values["title"] == ninjs["headlines"][0]["value"]
    assert record.values["subtitle"] == ninjs["headlines"][1]["value"]
    assert record.values["excerpt"] == ninjs["descriptions"][0]["value"]
    assert record.values["body_html"] == ninjs["bodies"][0]["value"]
    assert record.values["dateline"] == ninjs["located"]
    assert record.values["status"] == ArticleStatus.PUBLISHED
    assert record.values["view_count"] == ext["views"]
    assert record.values["created_at"] == datetime.fromisoformat(ninjs["firstcreated"])
    assert record.values["updated_at"] == datetime.fromisoformat(ninjs["versioncreated"])
    assert record.values["published_at"] == datetime.fromisoformat(ext["published_at"])
    assert record.values["embargo_until"] is None
    assert record.sections == ext["sections"] and record.sections[0] == ext["primary_section"]
    assert (record.authors, record.tags) == (ext["authors"], ext["tags"])
    assert (record.edition_number, record.values["page"], record.supplement) == (
        ext["edition_number"], ext["page"], None,
    )  # fmt: skip
    feature = ninjs["associations"][0]
    assert record.image == ImageData(
        url=feature["renditions"][0]["href"],
        credit=feature["copyrightholder"],
        byline=feature.get("by", ""),
        caption=feature["descriptions"][0]["value"],
        width=feature["renditions"][0]["width"],
        height=feature["renditions"][0]["height"],
    )


def test_drafts_and_scheduled_articles() -> None:
    draft = _parse(_article("draft"))
    assert draft.values["status"] == ArticleStatus.DRAFT
    assert draft.values["published_at"] is None
    scheduled_line = _article("scheduled")
    scheduled = _parse(scheduled_line)
    assert scheduled.values["status"] == ArticleStatus.SCHEDULED
    embargo = datetime.fromisoformat(scheduled_line["ninjs"]["embargoed"])
    assert scheduled.values["embargo_until"] == embargo == scheduled.values["published_at"]


@pytest.mark.parametrize(
    ("name", "genre"),
    [(name, genre) for genre, (name, _) in GENRE_LABELS.items()]
    + [("actualite", Genre.NEWS), ("urn:gqlnews:genre:enquete", Genre.INVESTIGATION)],
)
def test_genres(name: str, genre: Genre) -> None:
    line = _article("published")
    line["ninjs"]["genres"] = [{"name": name}]
    assert _parse(line).values["genre"] == genre


def test_reference_lines() -> None:
    kinds = [_parse(line).kind for line in reference_lines()]
    assert {kind: kinds.count(kind) for kind in set(kinds)} == {
        kind: count for kind, count in SAMPLE_COUNTS.items() if kind != "article"
    }
    supplement = next(line for line in reference_lines() if line["type"] == "supplement")
    record = _parse(supplement)
    assert isinstance(record, ReferenceRecord)
    assert record.key == supplement["slug"]
    assert record.refs == {
        "edition_id": ("edition", supplement["edition_number"]),
        "section_id": ("section", supplement["section"]),
    }
    assert record.image_given and record.image is not None
    assert record.image.credit == supplement["cover"]["credit"]


def _with(changes: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    line = _article("published")
    ninjs = line["ninjs"]
    for key in drop:
        ninjs.pop(key) if key in ninjs else ninjs["gqlnews"].pop(key)
    for key, value in changes.items():
        if key.startswith("gqlnews."):
            ninjs["gqlnews"][key.removeprefix("gqlnews.")] = value
        else:
            ninjs[key] = value
    return line


BAD_LINES = [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "must be a JSON object"),
    ({"type": "comment", "text": "?"}, "unknown type 'comment'"),
    ({"id": 3, "slug": "x"}, "missing required field 'type'"),
    ({"type": "article"}, "missing required field 'ninjs'"),
    (_with({}, drop=("uri",)), "missing required field 'uri'"),
    (_with({"headlines": [{"role": "sub", "value": "x"}]}), "headlines[role=main]"),
    (_with({"firstcreated": "2024-13-45T00:00:00Z"}), "bad date in 'firstcreated'"),
    (_with({"versioncreated": "2024-06-01T10:00:00"}), "has no time zone"),
    (_with({"gqlnews.published_at": "hier"}), "bad date in 'gqlnews.published_at'"),
    (_with({"gqlnews.sections": ["une", "monde"], "gqlnews.primary_section": "une"}), "front-page"),
    (_with({"gqlnews.primary_section": "sport"}), "must be the first of gqlnews.sections"),
    (_with({"gqlnews.supplement": "x", "gqlnews.edition_number": 23001}), "not both"),
    (_with({"gqlnews.views": -3}), "'gqlnews.views' must be at least 0"),
    (_with({"gqlnews.authors": ["a", "a"]}), "lists a more than once"),
    (_with({"gqlnews.status": "lost"}), "unknown gqlnews.status 'lost'"),
    (_with({"genres": [{"name": "Horoscope"}]}), "unknown genre 'Horoscope'"),
    ({"type": "tag", "slug": "x", "name": "X", "kind": "color"}, "unknown tag kind 'color'"),
    ({"type": "edition", "number": 1, "date": "2024-02-30", "title": "T"}, "bad date in 'date'"),
    ({"type": "edition", "number": "12", "date": "2024-02-03", "title": "T"}, "whole number"),
    ({"type": "section", "name": "Sans slug"}, "missing required field 'slug'"),
]


@pytest.mark.parametrize(("line", "reason"), BAD_LINES)
def test_bad_lines_say_what_is_wrong(line: dict[str, Any] | str, reason: str) -> None:
    with pytest.raises(LineError) as error:
        _parse(line)
    assert reason in str(error.value)


def test_export_mapping_is_the_inverse_of_the_import_mapping() -> None:
    """record → ninjs → record gives the record back, for every sample article."""
    authors = {line["slug"]: line["name"] for line in reference_lines() if line["type"] == "author"}
    tags = {line["slug"]: line["name"] for line in reference_lines() if line["type"] == "tag"}
    for line in article_lines():
        record = _parse(line)
        record.derive_text()
        ninjs = article_ninjs(record, article_id=1, author_names=authors, tag_names=tags)
        again = _parse({"type": "article", "ninjs": ninjs})
        again.derive_text()
        assert again == record
        # Reproduced exactly, but for what gqlnews does not store (copyright) or numbers anew.
        original = {k: v for k, v in line["ninjs"].items() if not k.startswith("copyright")}
        assert {
            **ninjs,
            "gqlnews": {**ninjs["gqlnews"], "id": original["gqlnews"]["id"]},
        } == original


def test_an_image_gets_a_stable_uri() -> None:
    assert image_uri("https://m.example/2024/06/15/ca6f02ec8078.jpg") == (
        "urn:gqlnews:image:ca6f02ec8078"
    )
    odd = image_uri("https://m.example/photo?id=3&size=x")
    assert odd.startswith("urn:gqlnews:image:") and odd == image_uri(
        "https://m.example/photo?id=3&size=x"
    )


def test_the_sample_articles_are_valid_ninjs_2_1() -> None:
    for line in article_lines():
        assert ninjs_errors(line) == [], line["ninjs"]["uri"]


def test_the_schema_rejects_what_ninjs_2_1_forbids() -> None:
    line = _article("published")
    line["ninjs"]["unknownfield"] = 1
    assert ninjs_errors(line)
    line = _article("published")
    line["ninjs"]["pubstatus"] = "draft"
    assert ninjs_errors(line)


@pytest.mark.skipif(not SHARED_DATASET.exists(), reason="../shared/datasets is not here")
def test_the_shared_dataset_is_valid_ninjs_2_1() -> None:
    """A sanity check of the schema file against the dataset's own articles (all 500)."""
    lines = [json.loads(text) for text in SHARED_DATASET.read_text(encoding="utf-8").splitlines()]
    articles = [line for line in lines if line["type"] == "article"]
    assert len(articles) == 500
    for line in articles:
        assert ninjs_errors(line) == [], line["ninjs"]["uri"]


def test_the_reader_sees_gzip_by_its_magic_number_and_skips_blank_lines(tmp_path: Path) -> None:
    plain = encode(sample_lines()[:3]).replace(b"\n", b"\n\n", 1)
    disguised = tmp_path / "archive.jsonl"  # gzip, whatever the name says
    disguised.write_bytes(gzip.compress(plain))
    with ArchiveReader.open(str(disguised)) as reader:
        numbers = [number for number, _ in reader.lines()]
        assert reader.size == disguised.stat().st_size
    assert numbers == [1, 3, 4]
    with ArchiveReader.open(str(SAMPLE)) as reader:
        assert sum(1 for _ in reader.lines()) == sum(SAMPLE_COUNTS.values())
        assert reader.position == reader.size


def test_unreadable_archives(tmp_path: Path) -> None:
    with pytest.raises(UnreadableArchive, match="cannot read"):
        ArchiveReader.open(str(tmp_path / "missing.jsonl"))
    truncated = tmp_path / "truncated.jsonl.gz"
    truncated.write_bytes(SAMPLE.read_bytes()[:50_000])
    with (
        ArchiveReader.open(str(truncated)) as reader,
        pytest.raises(UnreadableArchive, match="unreadable after line"),
    ):
        for _ in reader.lines():
            pass


def test_timestamps_are_written_in_utc_with_z() -> None:
    assert format_timestamp(datetime(2024, 6, 15, 8, 0, tzinfo=UTC)) == "2024-06-15T08:00:00Z"
    assert format_timestamp(datetime(2024, 6, 15, 8, 0, 0, 5, tzinfo=UTC)).endswith(".000005Z")
