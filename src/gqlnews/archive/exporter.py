"""``gqlnews export``: write articles (and the reference lines they need) as an archive.

Reference lines come first (sections, authors, tags, editions, supplements), then articles in
id order, so the file imports in one streaming pass. Without filters every reference row is
written; with ``--since``/``--section`` only those the selected articles use (with a
supplement's edition and section, and a section's parents).
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

import orjson
from tortoise.expressions import Subquery

from gqlnews.archive import lines
from gqlnews.archive.ninjs import article_ninjs
from gqlnews.archive.progress import Progress
from gqlnews.archive.records import KINDS, ArticleRecord, ImageData, RecordKind
from gqlnews.archive.writer import ARTICLE_COLUMNS
from gqlnews.models import (
    Article,
    ArticleAuthor,
    ArticleSection,
    ArticleTag,
    Author,
    Edition,
    Image,
    Section,
    Supplement,
    Tag,
)

CHUNK = 500
"""Articles read per round of queries."""

Row = dict[str, Any]


class UnknownSection(ValueError):
    """``--section`` names a section that does not exist."""


@dataclass(frozen=True)
class ExportFilter:
    since: datetime | None = None
    """Only articles modified (``updated_at``, ninjs ``versioncreated``) at or after this."""
    section: str | None = None
    """Only articles in this section or one of its subsections (in any position)."""

    @property
    def active(self) -> bool:
        return self.since is not None or self.section is not None


@dataclass
class ExportSummary:
    counts: dict[RecordKind, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))


@dataclass
class _References:
    """Every reference row by id, and which ones the exported articles use."""

    sections: dict[int, Row]
    authors: dict[int, Row]
    tags: dict[int, Row]
    editions: dict[int, Row]
    supplements: dict[int, Row]
    used: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    async def load(cls) -> _References:
        async def by_id(model: Any) -> dict[int, Row]:
            return {row["id"]: row for row in await model.all().order_by("id").values()}

        return cls(
            sections=await by_id(Section),
            authors=await by_id(Author),
            tags=await by_id(Tag),
            editions=await by_id(Edition),
            supplements=await by_id(Supplement),
        )

    def slug(self, table: Mapping[int, Row], pk: int | None) -> str | None:
        return None if pk is None else str(table[pk]["slug"])


def _image(row: Row | None) -> ImageData | None:
    if row is None:
        return None
    return ImageData(
        url=row["url"],
        credit=row["credit"],
        byline=row["byline"],
        caption=row["caption"],
        alt=row["alt"],
        width=row["width"],
        height=row["height"],
        language=row["language"],
    )


async def _images(ids: Sequence[int | None]) -> dict[int, Row]:
    wanted = sorted({pk for pk in ids if pk is not None})
    if not wanted:
        return {}
    return {row["id"]: row for row in await Image.filter(id__in=wanted).values()}


def _dump(out: IO[bytes], line: Mapping[str, Any]) -> None:
    out.write(orjson.dumps(line) + b"\n")


class Exporter:
    """Writes an archive of the current database to a binary stream."""

    def __init__(
        self,
        *,
        filters: ExportFilter | None = None,
        copyright_holder: str | None = None,
        progress: Progress,
    ) -> None:
        self.filters = filters or ExportFilter()
        self.copyright_holder = copyright_holder
        self.progress = progress
        self.summary = ExportSummary()

    async def _article_ids(self, refs: _References) -> list[int]:
        query = Article.all()
        if self.filters.since is not None:
            query = query.filter(updated_at__gte=self.filters.since)
        if self.filters.section is not None:
            section_ids = self._subtree(refs, self.filters.section)
            links = ArticleSection.filter(section_id__in=section_ids).values("article_id")
            query = query.filter(id__in=Subquery(links))
        rows = await query.order_by("id").values("id")
        return [int(row["id"]) for row in rows]

    @staticmethod
    def _subtree(refs: _References, slug: str) -> list[int]:
        root = next((pk for pk, row in refs.sections.items() if row["slug"] == slug), None)
        if root is None:
            known = ", ".join(sorted(row["slug"] for row in refs.sections.values()))
            raise UnknownSection(f"unknown section {slug!r} (known: {known})")
        ids, frontier = [root], [root]
        while frontier:
            frontier = [pk for pk, row in refs.sections.items() if row["parent_id"] in frontier]
            ids += frontier
        return ids

    async def run(self, out: IO[bytes]) -> ExportSummary:
        """Write the archive to ``out``."""
        refs = await _References.load()
        ids = await self._article_ids(refs)
        self.progress.start(len(ids))
        try:
            with tempfile.TemporaryFile() as articles:
                for start in range(0, len(ids), CHUNK):
                    await self._write_articles(articles, refs, ids[start : start + CHUNK])
                    done = min(start + CHUNK, len(ids))
                    self.progress.update(done, done, "")
                await self._write_references(out, refs)
                articles.seek(0)
                while chunk := articles.read(1 << 20):
                    out.write(chunk)
        finally:
            self.progress.stop()
        return self.summary

    async def _write_articles(self, out: IO[bytes], refs: _References, ids: list[int]) -> None:
        rows = (
            await Article.filter(id__in=ids)
            .order_by("id")
            .values("id", "body_text", *ARTICLE_COLUMNS)
        )
        links: dict[str, dict[int, list[int]]] = {}
        for model, column, name in (
            (ArticleSection, "section_id", "sections"),
            (ArticleAuthor, "author_id", "authors"),
            (ArticleTag, "tag_id", "tags"),
        ):
            per_article: dict[int, list[int]] = defaultdict(list)
            for article_id, target in (
                await model.filter(article_id__in=ids)
                .order_by("article_id", "position")
                .values_list("article_id", column)
            ):
                per_article[article_id].append(target)
            links[name] = per_article
        images = await _images([row["image_id"] for row in rows])
        author_names = {row["slug"]: row["name"] for row in refs.authors.values()}
        tag_names = {row["slug"]: row["name"] for row in refs.tags.values()}
        for row in rows:
            article_id = row["id"]
            sections = links["sections"][article_id]
            authors = links["authors"][article_id]
            tags = links["tags"][article_id]
            refs.used["sections"].update(sections)
            refs.used["authors"].update(authors)
            refs.used["tags"].update(tags)
            if row["edition_id"] is not None:
                refs.used["editions"].add(row["edition_id"])
            if row["supplement_id"] is not None:
                refs.used["supplements"].add(row["supplement_id"])
            supplement = refs.supplements.get(row["supplement_id"] or 0)
            edition = refs.editions.get(row["edition_id"] or 0)
            record = ArticleRecord(
                line=0,
                uri=row["uri"] or f"urn:gqlnews:article:{article_id}",
                values=row,
                sections=[str(refs.sections[pk]["slug"]) for pk in sections]
                or [str(refs.sections[row["primary_section_id"]]["slug"])],
                authors=[str(refs.authors[pk]["slug"]) for pk in authors],
                tags=[str(refs.tags[pk]["slug"]) for pk in tags],
                edition_number=None if edition is None else int(edition["number"]),
                supplement=None if supplement is None else str(supplement["slug"]),
                image=_image(images.get(row["image_id"] or 0)),
            )
            ninjs = article_ninjs(
                record,
                article_id=article_id,
                author_names=author_names,
                tag_names=tag_names,
                copyright_holder=self.copyright_holder,
            )
            _dump(out, {"type": "article", "ninjs": ninjs})
            self.summary.counts["article"] += 1

    def _selected(self, refs: _References) -> dict[str, list[int]]:
        """Ids of the reference rows to write, per table, in id order."""
        tables = {
            "sections": refs.sections,
            "authors": refs.authors,
            "tags": refs.tags,
            "editions": refs.editions,
            "supplements": refs.supplements,
        }
        if not self.filters.active:
            return {name: sorted(table) for name, table in tables.items()}
        used = refs.used
        for pk in list(used["supplements"]):
            row = refs.supplements[pk]
            if row["edition_id"] is not None:
                used["editions"].add(row["edition_id"])
            if row["section_id"] is not None:
                used["sections"].add(row["section_id"])
        for pk in list(used["sections"]):
            parent = refs.sections[pk]["parent_id"]
            while parent is not None and parent not in used["sections"]:
                used["sections"].add(parent)
                parent = refs.sections[parent]["parent_id"]
        return {name: sorted(used[name]) for name in tables}

    async def _write_references(self, out: IO[bytes], refs: _References) -> None:
        selected = self._selected(refs)
        covers = await _images(
            [refs.editions[pk]["cover_id"] for pk in selected["editions"]]
            + [refs.supplements[pk]["cover_id"] for pk in selected["supplements"]]
            + [refs.authors[pk]["avatar_id"] for pk in selected["authors"]]
        )

        def image(pk: int | None) -> ImageData | None:
            return _image(covers.get(pk or 0))

        for pk in _parents_first(refs.sections, selected["sections"]):
            row = refs.sections[pk]
            _dump(out, lines.section_line(row, refs.slug(refs.sections, row["parent_id"])))
            self.summary.counts["section"] += 1
        for pk in selected["authors"]:
            row = refs.authors[pk]
            _dump(out, lines.author_line(row, image(row["avatar_id"])))
            self.summary.counts["author"] += 1
        for pk in selected["tags"]:
            _dump(out, lines.tag_line(refs.tags[pk]))
            self.summary.counts["tag"] += 1
        for pk in selected["editions"]:
            row = refs.editions[pk]
            _dump(out, lines.edition_line(row, image(row["cover_id"])))
            self.summary.counts["edition"] += 1
        for pk in selected["supplements"]:
            row = refs.supplements[pk]
            edition = refs.editions.get(row["edition_id"] or 0)
            _dump(
                out,
                lines.supplement_line(
                    row,
                    None if edition is None else int(edition["number"]),
                    refs.slug(refs.sections, row["section_id"]),
                    image(row["cover_id"]),
                ),
            )
            self.summary.counts["supplement"] += 1


def _parents_first(sections: Mapping[int, Row], ids: list[int]) -> list[int]:
    """``ids`` in id order, except that a parent always comes before its children."""
    ordered: list[int] = []
    placed: set[int] = set()

    def place(pk: int) -> None:
        if pk in placed:
            return
        parent = sections[pk]["parent_id"]
        if parent is not None and parent in ids:
            place(parent)
        placed.add(pk)
        ordered.append(pk)

    for pk in ids:
        place(pk)
    return ordered
