"""The text index after ``gqlnews import``: the related plugin indexes what the import wrote
(``gqlnews_archive_imported``) before the import returns, without the background indexer."""

from __future__ import annotations

from pathlib import Path

from gqlnews.archive.importer import Importer, ImportSummary
from gqlnews.archive.progress import SilentProgress
from gqlnews.archive.reader import ArchiveReader
from gqlnews.models import Article
from gqlnews.plugins import make_plugin_manager
from gqlnews.settings import Settings
from gqlnews_related.models import TextDocument, TextPosting
from gqlnews_related.text_index import stale_ids
from tests.helpers import migrated_database
from tests.test_archive_support import SAMPLE, SAMPLE_COUNTS, sample_lines, write_archive


async def _import(path: Path) -> ImportSummary:
    plugins = make_plugin_manager(Settings())  # the installed plugins, the related one among them
    with ArchiveReader.open(str(path)) as reader:
        return await Importer(progress=SilentProgress(), batch_size=25).run(reader, plugins=plugins)


async def test_the_import_returns_with_every_article_indexed(tmp_path: Path) -> None:
    async with migrated_database():
        summary = await _import(SAMPLE)
        articles = SAMPLE_COUNTS["article"]
        assert await stale_ids(limit=1000) == []
        assert await TextDocument.all().count() == await Article.all().count() == articles
        assert [plugin for plugin, _line in summary.plugin_lines] == ["related"]
        assert summary.plugin_lines[0][1].startswith(f"text index: {articles} article(s) indexed")
        assert summary.plugin_failures == []

        again = await _import(SAMPLE)
        assert again.counts["article"].unchanged == articles
        assert again.plugin_lines[0][1].startswith("text index: 0 article(s) indexed")


async def test_an_updated_article_is_reindexed_even_with_the_same_modification_time(
    tmp_path: Path,
) -> None:
    """The index tells stale articles by their modification time; an archive line may change
    the text and keep ``versioncreated``: the import names the article, so it is re-indexed."""
    lines = sample_lines()
    async with migrated_database():
        await _import(write_archive(tmp_path / "first.jsonl", lines))
        target = next(line for line in lines if line["type"] == "article")
        target["ninjs"]["headlines"][0]["value"] = "Le zorglub conquiert la Bretagne"
        summary = await _import(write_archive(tmp_path / "second.jsonl", lines))
        assert summary.counts["article"].updated == 1
        assert summary.plugin_lines[0][1].startswith("text index: 1 article(s) indexed")
        stored = await Article.get(uri=target["ninjs"]["uri"])
        terms = await TextPosting.filter(article_id=stored.id).values_list("term", flat=True)
        assert "zorglub" in terms
        assert await stale_ids(limit=1000) == []
