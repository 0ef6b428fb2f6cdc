"""``gqlnews import`` in process: counts, fidelity, idempotency, updates by uri, bad lines,
``--strict``, database refusals, and stopping between batches. Each test starts from an empty
database of the test dialect."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from gqlnews import search_index
from gqlnews.db import connection
from gqlnews.models import (
    Article,
    ArticleAuthor,
    ArticleSection,
    ArticleStatus,
    ArticleTag,
    Author,
    Edition,
    Image,
    Section,
    Supplement,
    Tag,
)
from gqlnews.newsroom.publishing import Publisher
from gqlnews.newsroom.scheduler import run_once
from tests.test_archive_support import (
    SAMPLE,
    SAMPLE_COUNTS,
    Line,
    article_lines,
    fresh_database,
    import_path,
    reference_lines,
    renamed,
    sample_lines,
    snapshot,
    table_counts,
    write_archive,
)

TOTAL_LINES = sum(SAMPLE_COUNTS.values())


async def _stored(uri: str) -> dict[str, Any]:
    """An article as stored, with its links as slugs (in order) and its image."""
    article = await Article.get(uri=uri)

    async def slugs(model: Any, target: Any, column: str) -> list[str]:
        ids = (
            await model.filter(article_id=article.id)
            .order_by("position")
            .values_list(column, flat=True)
        )
        by_id = dict(await target.filter(id__in=ids).values_list("id", "slug"))
        return [by_id[pk] for pk in ids]

    image = await Image.get(id=article.image_id) if article.image_id else None
    edition = await Edition.get(id=article.edition_id) if article.edition_id else None
    supplement = await Supplement.get(id=article.supplement_id) if article.supplement_id else None
    primary = await Section.get(id=article.primary_section_id)
    return {
        "article": article,
        "sections": await slugs(ArticleSection, Section, "section_id"),
        "primary": primary.slug,
        "authors": await slugs(ArticleAuthor, Author, "author_id"),
        "tags": await slugs(ArticleTag, Tag, "tag_id"),
        "image": image,
        "edition_number": edition.number if edition else None,
        "supplement": supplement.slug if supplement else None,
    }


def _assert_matches(stored: dict[str, Any], line: Line) -> None:
    ninjs, ext = line["ninjs"], line["ninjs"]["gqlnews"]
    article: Article = stored["article"]
    assert article.slug == ext["slug"] and article.title == ninjs["headlines"][0]["value"]
    assert article.status == ext["status"]
    assert article.created_at == datetime.fromisoformat(ninjs["firstcreated"])
    assert article.updated_at == datetime.fromisoformat(ninjs["versioncreated"])
    published = ext["published_at"]
    assert article.published_at == (published and datetime.fromisoformat(published))
    embargoed = ninjs.get("embargoed")
    assert article.embargo_until == (embargoed and datetime.fromisoformat(embargoed))
    assert article.dateline == ninjs["located"] and article.view_count == ext["views"]
    assert article.body_text and article.word_count > 100
    assert stored["sections"] == ext["sections"] and stored["primary"] == ext["primary_section"]
    assert stored["authors"] == ext["authors"] and stored["tags"] == ext["tags"]
    assert stored["edition_number"] == ext["edition_number"] and article.page == ext["page"]
    assert stored["supplement"] == ext["supplement"]
    feature = next(iter(ninjs.get("associations", [])), None)
    image: Image | None = stored["image"]
    if feature is None:
        assert image is None
    else:
        assert image is not None
        assert image.url == feature["renditions"][0]["href"]
        assert image.credit == feature["copyrightholder"]
        assert image.byline == feature.get("by", "")
        assert image.caption == feature["descriptions"][0]["value"]


async def test_import_loads_everything_and_keeps_it_as_written() -> None:
    async with fresh_database():
        summary = await import_path(SAMPLE)
        assert summary.stopped is None and summary.failures == []
        assert {kind: summary.counts[kind].created for kind in SAMPLE_COUNTS} == SAMPLE_COUNTS
        counts = await table_counts()
        articles = article_lines()
        with_image = sum("associations" in line["ninjs"] for line in articles)
        assert (
            counts["Image"] == SAMPLE_COUNTS["edition"] + SAMPLE_COUNTS["supplement"] + with_image
        )
        assert counts["ArticleSection"] == sum(
            len(a["ninjs"]["gqlnews"]["sections"]) for a in articles
        )
        assert counts["ArticleTag"] == sum(len(a["ninjs"]["gqlnews"]["tags"]) for a in articles)
        for line in articles:
            _assert_matches(await _stored(line["ninjs"]["uri"]), line)
        supplement = next(line for line in reference_lines() if line["type"] == "supplement")
        stored = await Supplement.get(slug=supplement["slug"])
        edition = await Edition.get(id=stored.edition_id)
        section = await Section.get(id=stored.section_id)
        assert (edition.number, section.slug) == (
            supplement["edition_number"],
            supplement["section"],
        )
        cover = await Image.get(id=stored.cover_id)
        assert (cover.url, cover.credit) == (
            supplement["cover"]["url"],
            supplement["cover"]["credit"],
        )


async def test_importing_again_changes_nothing(tmp_path: Path) -> None:
    async with fresh_database():
        await import_path(SAMPLE, batch_size=200)
        before = await snapshot()
        again = await import_path(SAMPLE, batch_size=37)
        assert (again.total.created, again.total.updated, again.total.failed) == (0, 0, 0)
        assert again.total.unchanged == TOTAL_LINES
        assert await snapshot() == before


async def _publish_due_scheduled_articles() -> list[str]:
    """Run the in-server scheduler's round far in the future: every scheduled article of the
    sample goes out through the publishing path. Their uris."""
    scheduled = await Article.filter(status=ArticleStatus.SCHEDULED).values_list("uri", flat=True)
    assert scheduled, "the sample has scheduled articles"
    await run_once(Publisher(), now=datetime(2100, 1, 1, tzinfo=UTC))
    published = await Article.filter(uri__in=scheduled).values_list("status", flat=True)
    assert set(published) == {ArticleStatus.PUBLISHED}
    return [str(uri) for uri in scheduled]


async def test_reimporting_after_the_scheduler_published_changes_nothing() -> None:
    """An unchanged line is a no-op even when the article changed since it was imported: the
    scheduled articles the scheduler published stay published."""
    async with fresh_database():
        await import_path(SAMPLE)
        scheduled = await _publish_due_scheduled_articles()
        before = await snapshot()
        again = await import_path(SAMPLE, batch_size=37)
        assert (again.total.created, again.total.updated, again.total.failed) == (0, 0, 0)
        assert again.counts["article"].unchanged == SAMPLE_COUNTS["article"]
        assert again.article_ids == []
        assert await snapshot() == before
        statuses = await Article.filter(uri__in=scheduled).values_list("status", flat=True)
        assert set(statuses) == {ArticleStatus.PUBLISHED}


async def test_a_changed_line_still_updates_an_article_the_scheduler_published(
    tmp_path: Path,
) -> None:
    lines = sample_lines()
    async with fresh_database():
        await import_path(write_archive(tmp_path / "first.jsonl", lines))
        scheduled = await _publish_due_scheduled_articles()
        target = next(line for line in lines if line.get("ninjs", {}).get("uri") in scheduled)
        target["ninjs"]["headlines"][0]["value"] = "Le titre corrigé"
        summary = await import_path(write_archive(tmp_path / "second.jsonl", lines))
        assert summary.counts["article"].updated == 1
        assert summary.counts["article"].unchanged == SAMPLE_COUNTS["article"] - 1
        stored = await Article.get(uri=target["ninjs"]["uri"])
        assert summary.article_ids == [stored.id]
        assert stored.title == "Le titre corrigé"
        assert stored.status == ArticleStatus.SCHEDULED, "the line says scheduled: it wins"
        again = await import_path(write_archive(tmp_path / "third.jsonl", lines))
        assert again.counts["article"].unchanged == SAMPLE_COUNTS["article"]


async def test_an_article_without_import_hash_is_compared_with_its_row(tmp_path: Path) -> None:
    """Articles made by the write API (or imported before the hash existed) have no hash: a
    line for them updates them when they differ, and leaves them alone when they do not; both
    store the line's hash."""
    lines = article_lines()[:2]
    path = write_archive(tmp_path / "a.jsonl", [*reference_lines(), *lines])
    edited, same = (line["ninjs"]["uri"] for line in lines)
    async with fresh_database():
        await import_path(path)
        hashes = dict(await Article.all().values_list("uri", "import_hash"))
        assert all(len(value) == 64 for value in hashes.values())
        await Article.filter(uri__in=[edited, same]).update(import_hash=None)
        await Article.filter(uri=edited).update(title="Changé par la rédaction")
        summary = await import_path(path)
        assert summary.counts["article"].updated == 1
        assert summary.counts["article"].unchanged == 1
        assert (await Article.get(uri=edited)).title == lines[0]["ninjs"]["headlines"][0]["value"]
        assert dict(await Article.all().values_list("uri", "import_hash")) == hashes
        await Article.filter(uri=edited).update(title="Changé après l'import")
        summary = await import_path(path)
        assert summary.counts["article"].unchanged == 2
        assert (await Article.get(uri=edited)).title == "Changé après l'import"


async def test_an_article_whose_uri_exists_is_updated(tmp_path: Path) -> None:
    lines = sample_lines()
    async with fresh_database():
        await import_path(write_archive(tmp_path / "first.jsonl", lines))
        target = next(line for line in lines if line["type"] == "article")
        uri = target["ninjs"]["uri"]
        before = await _stored(uri)
        images_before = await Image.all().count()
        ninjs = target["ninjs"]
        ninjs["headlines"][0]["value"] = "Les zorglubs conquièrent la Bretagne"
        ninjs["versioncreated"] = "2024-12-30T10:00:00Z"
        ninjs["gqlnews"]["sections"] = ["culture", "une"]
        ninjs["gqlnews"]["primary_section"] = "culture"
        ninjs["gqlnews"]["tags"] = ninjs["gqlnews"]["tags"][::-1]
        ninjs["associations"][0]["copyrightholder"] = "Jeanne Martin / AFP"
        summary = await import_path(write_archive(tmp_path / "second.jsonl", lines))
        assert summary.counts["article"].updated == 1
        assert summary.total.updated == 1 and summary.total.created == 0
        assert summary.total.unchanged == TOTAL_LINES - 1
        after = await _stored(uri)
        _assert_matches(after, target)
        assert after["article"].id == before["article"].id
        assert after["image"].id == before["image"].id, "the image row is updated in place"
        assert await Article.all().count() == SAMPLE_COUNTS["article"]
        assert await Image.all().count() == images_before
        ranked = await search_index.ranked_ids(connection(), "zorglub")
        assert ranked == [after["article"].id]
        # The importer writes the analysed terms: plural, accent and verb form fold away.
        assert after["article"].title_terms == "le zorglub conquierent la bretagn"
        assert await search_index.ranked_ids(connection(), "Zorglubs BRETAGNE") == ranked


async def test_reference_lines_are_upserted_by_key(tmp_path: Path) -> None:
    lines = reference_lines()
    async with fresh_database():
        await import_path(write_archive(tmp_path / "refs.jsonl", lines))
        section = next(line for line in lines if line["type"] == "section")
        section["name"] = "À LA UNE"
        edition = next(line for line in lines if line["type"] == "edition")
        edition["cover"]["caption"] = "Une autre légende."
        author = next(line for line in lines if line["type"] == "author")
        del author["bio"]  # a key a line leaves out keeps its stored value
        summary = await import_path(write_archive(tmp_path / "again.jsonl", lines))
        assert summary.total.updated == 2 and summary.total.created == 0
        assert (await Section.get(slug=section["slug"])).name == "À LA UNE"
        stored = await Edition.get(number=edition["number"])
        assert (await Image.get(id=stored.cover_id)).caption == "Une autre légende."
        assert (await Author.get(slug=author["slug"])).bio


def _bad_lines() -> tuple[list[Line | str], dict[int, str]]:
    """Reference lines, two good articles and, between them, one bad line of each kind."""
    references = reference_lines()
    first, *_, last = article_lines()
    base = article_lines()[1]

    def broken(suffix: str, **ext: Any) -> Line:
        line = renamed(base, suffix)
        line["ninjs"]["gqlnews"].update(ext)
        return line

    bad_date = renamed(base, "date")
    bad_date["ninjs"]["firstcreated"] = "2024-02-30T10:00:00Z"
    missing = renamed(base, "missing")
    del missing["ninjs"]["headlines"]
    too_long = renamed(base, "long")
    too_long["ninjs"]["headlines"][0]["value"] = "Très " * 120
    ghost = {"type": "section", "slug": "ghost", "name": "Ghost", "parent": "nowhere"}
    bad: list[tuple[Line | str, str]] = [
        ('{"type": "article", "ninjs": {', "invalid JSON"),
        (
            broken("section", sections=["jardinage"], primary_section="jardinage"),
            "unknown section 'jardinage'",
        ),
        (broken("author", authors=["personne"]), "unknown author 'personne'"),
        (broken("tag", tags=["licorne"]), "unknown tag 'licorne'"),
        (broken("edition", edition_number=1, supplement=None, page=1), "unknown edition 1"),
        (
            broken("supplement", supplement="hors-serie", edition_number=None),
            "unknown supplement 'hors-serie'",
        ),
        (bad_date, "bad date in 'firstcreated'"),
        ({"type": "podcast", "uri": "urn:x"}, "unknown type 'podcast'"),
        (missing, "missing required field 'headlines[role=main].value'"),
        (ghost, "unknown section 'nowhere'"),
        (too_long, "article title is 600 characters long (at most 500)"),
    ]
    lines: list[Line | str] = [*references, first, *(line for line, _ in bad), last]
    start = len(references) + 2  # line numbers are 1-based; the first good article comes first
    expected = {start + index: reason for index, (_, reason) in enumerate(bad)}
    return lines, expected


async def test_bad_lines_are_reported_by_number_and_nothing_of_them_is_written(
    tmp_path: Path,
) -> None:
    lines, expected = _bad_lines()
    async with fresh_database():
        summary = await import_path(write_archive(tmp_path / "bad.jsonl", lines), batch_size=4)
        assert summary.stopped is None
        reported = {failure.line: failure.reason for failure in summary.failures}
        assert set(reported) == set(expected)
        for number, reason in expected.items():
            assert reason in reported[number], (number, reported[number])
        assert summary.total.failed == len(expected)
        assert summary.counts["article"].created == 2
        assert summary.counts[None].failed == 1  # the invalid JSON: its type cannot be told
        uris = set(await Article.all().values_list("uri", flat=True))
        assert uris == {article_lines()[0]["ninjs"]["uri"], article_lines()[-1]["ninjs"]["uri"]}
        assert not await Section.filter(slug="ghost").exists()
        article_ids = set(await Article.all().values_list("id", flat=True))
        for model in (ArticleSection, ArticleAuthor, ArticleTag):
            assert set(await model.all().values_list("article_id", flat=True)) == article_ids


async def test_strict_stops_at_the_first_bad_line_after_importing_the_lines_before_it(
    tmp_path: Path,
) -> None:
    lines, expected = _bad_lines()
    first_bad = min(expected)
    async with fresh_database():
        summary = await import_path(
            write_archive(tmp_path / "bad.jsonl", lines), batch_size=500, strict=True
        )
        assert summary.stopped == "strict"
        assert [failure.line for failure in summary.failures] == [first_bad]
        assert "invalid JSON" in summary.stop_detail and f"line {first_bad}" in summary.stop_detail
        assert await Article.all().count() == 1  # the line before the bad one, in the same batch
        # A bad reference found while writing a batch: the lines before it are committed.
        second_bad = sorted(expected)[1]
        tail = lines[: first_bad - 1] + lines[second_bad - 1 :]
        summary = await import_path(write_archive(tmp_path / "tail.jsonl", tail), strict=True)
        assert summary.stopped == "strict"
        assert "unknown section 'jardinage'" in summary.failures[0].reason
        assert summary.counts["article"].unchanged == 1


async def test_a_row_the_database_refuses_fails_alone(tmp_path: Path) -> None:
    editions = [line for line in reference_lines() if line["type"] == "edition"][:6]
    clash = dict(editions[4], number=99999)  # a new number on a date already taken
    async with fresh_database():
        summary = await import_path(
            write_archive(tmp_path / "editions.jsonl", [*editions, clash, editions[5]]),
            batch_size=10,
        )
        assert summary.counts["edition"].created == 6
        assert [(failure.line, failure.kind) for failure in summary.failures] == [(7, "edition")]
        assert "database refused it" in summary.failures[0].reason
        assert await Edition.all().count() == 6


async def test_a_slug_taken_by_another_article_is_a_bad_line(tmp_path: Path) -> None:
    first = article_lines()[0]
    twin = renamed(first, "twin")
    twin["ninjs"]["gqlnews"]["slug"] = first["ninjs"]["gqlnews"]["slug"]
    async with fresh_database():
        summary = await import_path(
            write_archive(tmp_path / "twins.jsonl", [*reference_lines(), first, twin])
        )
        assert summary.counts["article"].created == 1
        assert "already belongs to" in summary.failures[0].reason


async def test_a_stop_request_ends_the_import_at_a_batch_boundary(tmp_path: Path) -> None:
    async with fresh_database():
        summary = await import_path(SAMPLE, batch_size=1000, should_stop=lambda: True)
        assert summary.stopped == "interrupted"
        assert summary.lines == 1000 and summary.total.created == 1000
        assert await Article.all().count() == 0
        summary = await import_path(SAMPLE)
        assert summary.total.unchanged == 1000 and summary.total.created == TOTAL_LINES - 1000


async def test_concurrent_batches_give_the_same_result(tmp_path: Path) -> None:
    """Two batches in flight (PostgreSQL's default) write what one at a time writes; a row seen
    twice in the file keeps its last version."""
    articles = article_lines()
    later = renamed(articles[3], "x")
    later["ninjs"]["uri"] = articles[3]["ninjs"]["uri"]
    later["ninjs"]["gqlnews"]["slug"] = articles[3]["ninjs"]["gqlnews"]["slug"]
    later["ninjs"]["headlines"][0]["value"] = "La dernière version gagne"
    lines = [*reference_lines(), *articles, later]
    async with fresh_database():
        summary = await import_path(
            write_archive(tmp_path / "a.jsonl", lines), batch_size=7, jobs=3
        )
        assert summary.failures == []
        assert summary.counts["article"].created == SAMPLE_COUNTS["article"]
        assert summary.counts["article"].updated == 1
        stored = await Article.get(uri=later["ninjs"]["uri"])
        assert stored.title == "La dernière version gagne"
        concurrent = await snapshot()
    async with fresh_database():
        await import_path(write_archive(tmp_path / "b.jsonl", lines), batch_size=7, jobs=1)
        assert _without_ids(await snapshot()) == _without_ids(concurrent)


def _without_ids(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Rows compared by content: ids depend on which batch committed first (and an image's
    ``created_at`` is when it was imported)."""
    skip = {"id", "created_at"}
    return {
        name: sorted(
            repr(sorted((k, v) for k, v in row.items() if not (k in skip or k.endswith("_id"))))
            if name in ("Image", "ArticleSection", "ArticleAuthor", "ArticleTag")
            else repr(sorted((k, v) for k, v in row.items() if k != "id" and not k.endswith("_id")))
            for row in rows
        )
        for name, rows in tables.items()
    }


async def test_import_progress_shows_in_metrics(tmp_path: Path) -> None:
    from prometheus_client import REGISTRY

    def count(outcome: str) -> float:
        value = REGISTRY.get_sample_value("gqlnews_import_articles_total", {"outcome": outcome})
        return value or 0.0

    path = write_archive(tmp_path / "sample.jsonl", sample_lines())
    articles = len(article_lines())
    async with fresh_database():
        before = count("created"), count("unchanged")
        await import_path(path)
        await import_path(path)
        assert count("created") - before[0] == articles
        assert count("unchanged") - before[1] == articles


def test_the_summary_shows_what_plugins_did_after_the_import(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from gqlnews.archive.importer import ImportSummary
    from gqlnews.cli_archive import _print_import_summary

    summary = ImportSummary(elapsed=6.5, plugins_elapsed=41.25)
    summary.plugin_lines = [("related", "text index: 10000 article(s) indexed in 41.2 s")]
    summary.plugin_failures = ["sitemap"]
    _print_import_summary("a.jsonl", summary, None)
    out, err = capsys.readouterr()
    assert "plugins, after the import: 41.2 s (47.8 s in all)" in out
    assert "  related: text index: 10000 article(s) indexed in 41.2 s" in out
    assert "plugin 'sitemap' failed after the import" in err
