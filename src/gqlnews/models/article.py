"""Articles and their ordered links to sections, authors and tags."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from gqlnews.analysis import index_text
from gqlnews.models.account import User
from gqlnews.models.author import Author
from gqlnews.models.edition import Edition, Supplement
from gqlnews.models.enums import ArticleStatus, Genre
from gqlnews.models.image import Image
from gqlnews.models.section import Section
from gqlnews.models.tag import Tag
from gqlnews.text import count_words, html_to_text

DERIVED_COLUMNS = {
    "title": ("title_terms",),
    "excerpt": ("excerpt_terms",),
    "body_html": ("body_text", "word_count", "body_terms"),
}
"""The columns computed from each written column (see :func:`derived_columns`)."""


def derived_columns(values: dict[str, Any]) -> dict[str, Any]:
    """The derived columns that follow the written ``values``: plain text and word count of
    ``body_html``, and the search terms (:mod:`gqlnews.analysis`) of title, excerpt and body.
    Every path that writes those columns adds these (save, the write API, the importer)."""
    derived: dict[str, Any] = {}
    if "title" in values:
        derived["title_terms"] = index_text(values["title"])
    if "excerpt" in values:
        derived["excerpt_terms"] = index_text(values["excerpt"])
    if "body_html" in values:
        body_text = html_to_text(values["body_html"])
        derived.update(
            body_text=body_text, word_count=count_words(body_text), body_terms=index_text(body_text)
        )
    return derived


class Article(Model):
    id = fields.IntField(primary_key=True)
    uri = fields.CharField(max_length=500, null=True, unique=True)
    """Identity in an external archive (ninjs ``uri``); used by import."""
    slug = fields.CharField(max_length=255, unique=True)
    title = fields.CharField(max_length=500)
    subtitle = fields.TextField(default="")
    excerpt = fields.TextField(default="")
    body_html = fields.TextField(default="")
    body_text = fields.TextField(default="")
    """Plain text of ``body_html``, kept in step by :meth:`save`; what search indexes."""
    word_count = fields.IntField(default=0)
    title_terms = fields.TextField(default="", db_default="")
    """Search terms of ``title`` (:mod:`gqlnews.analysis`), kept in step like ``body_text``;
    the full-text index (migrations 0002 and 0009) is built from the three ``*_terms``."""
    excerpt_terms = fields.TextField(default="", db_default="")
    """Search terms of ``excerpt``."""
    body_terms = fields.TextField(default="", db_default="")
    """Search terms of ``body_text``."""
    dateline = fields.CharField(max_length=200, default="")
    genre = fields.CharEnumField(Genre, max_length=20, default=Genre.NEWS)
    language = fields.CharField(max_length=12, default="fr")
    status = fields.CharEnumField(ArticleStatus, max_length=20, default=ArticleStatus.DRAFT)
    published_at = fields.DatetimeField(null=True)
    embargo_until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    version = fields.IntField(default=1)
    primary_section: fields.ForeignKeyRelation[Section] = fields.ForeignKeyField(
        "models.Section", related_name=False, on_delete=fields.RESTRICT, db_index=True
    )
    primary_section_id: int
    image: fields.ForeignKeyNullableRelation[Image] = fields.ForeignKeyField(
        "models.Image", related_name=False, null=True, on_delete=fields.SET_NULL, db_index=True
    )
    image_id: int | None
    edition: fields.ForeignKeyNullableRelation[Edition] = fields.ForeignKeyField(
        "models.Edition", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    edition_id: int | None
    supplement: fields.ForeignKeyNullableRelation[Supplement] = fields.ForeignKeyField(
        "models.Supplement", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    supplement_id: int | None
    page = fields.IntField(null=True)
    print_position = fields.IntField(default=0)
    """Order of the article on its print page (edition or supplement)."""
    view_count = fields.BigIntField(default=0)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    """The account that created the article: authors may edit their own drafts. Indexed in
    Meta (Tortoise adds no index for a foreign key added by a migration)."""
    created_by_id: int | None
    released_at = fields.DatetimeField(null=True)
    """When the article became public through the publishing path (an embargo lifting sets it
    at the end of the embargo)."""
    deleted_at = fields.DatetimeField(null=True)
    """Set when the article was moved to the trash: nobody reads it until it is restored."""
    import_hash = fields.CharField(max_length=64, null=True)
    """sha256 (hex) of the archive line the article was last imported from, as the importer
    normalised it (see :mod:`gqlnews.archive.writer`); None for articles made by the write API.
    A line with the same hash changes nothing, whatever happened to the article since."""

    class Meta:
        table = "article"
        indexes = (
            Index(fields=("status", "published_at"), name="article_status_pub_idx"),
            Index(fields=("published_at",), name="article_published_idx"),
            Index(fields=("edition_id", "page"), name="article_edition_page_idx"),
            Index(fields=("supplement_id", "page"), name="article_supplement_page_idx"),
            Index(fields=("genre", "published_at"), name="article_genre_pub_idx"),
            Index(fields=("created_by_id",), name="article_created_by_idx"),
            Index(
                fields=("status", "id", "published_at", "deleted_at", "embargo_until"),
                name="article_visible_idx",
            ),
            # The latest edit (feeds' and sitemaps' Last-Modified): MAX without a table scan.
            Index(fields=("updated_at",), name="article_updated_idx"),
            # The sitemap index groups every visible article by month: with this index it
            # reads no row (the dates sit after the bodies, in SQLite's overflow pages).
            Index(
                fields=("status", "published_at", "deleted_at", "embargo_until", "updated_at"),
                name="article_visible_dates_idx",
            ),
        )
        """``article_visible_idx`` covers the visibility rule (:mod:`gqlnews.visibility`) by
        id: search checks each match against it without reading the article's row (whose
        visibility columns sit after its text), 9x faster for a word in 30 % of 10k
        articles on SQLite."""

    def refresh_derived_text(self) -> None:
        """Recompute ``body_text``, ``word_count`` and the search terms from the text."""
        values = {name: getattr(self, name) for name in DERIVED_COLUMNS}
        for name, value in derived_columns(values).items():
            setattr(self, name, value)

    async def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, keeping the derived text columns in step with the text."""
        self.refresh_derived_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = [d for name in update_fields for d in DERIVED_COLUMNS.get(name, ())]
            kwargs["update_fields"] = [*update_fields, *derived]
        await super().save(*args, **kwargs)


class ArticleSection(Model):
    """An article's membership of a section (position 0 is the primary section)."""

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "models.Article", related_name="section_links", on_delete=fields.CASCADE
    )
    article_id: int
    section: fields.ForeignKeyRelation[Section] = fields.ForeignKeyField(
        "models.Section", related_name="article_links", on_delete=fields.CASCADE
    )
    section_id: int
    position = fields.IntField(default=0)

    class Meta:
        table = "article_section"
        unique_together = (("article_id", "section_id"),)
        indexes = (Index(fields=("section_id", "article_id"), name="article_section_sec_idx"),)


class SectionArticle(Model):
    """An article as a section's tree lists it.

    One row per section that one of the article's links reaches (the linked section, its
    parent and its grandparent: the reach of ``Section.articles``), with the article's
    publication time beside it.

    The database keeps this table itself: triggers on ``article_section``, ``article`` and
    ``section`` (migration 0014) rewrite an article's rows when its links or its publication
    time change, and the rows of every article below a section that moves. The application
    never writes it. Its index by (section, publication, article) reads a section's newest
    articles in order, however few of the archive's articles the section holds (see
    :func:`gqlnews.graphql.criteria.order_articles`)."""

    id = fields.IntField(primary_key=True)
    section: fields.ForeignKeyRelation[Section] = fields.ForeignKeyField(
        "models.Section", related_name="tree_entries", on_delete=fields.CASCADE, db_index=False
    )
    section_id: int
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "models.Article", related_name="tree_entries", on_delete=fields.CASCADE, db_index=True
    )
    article_id: int
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "section_article"
        unique_together = (("section_id", "article_id"),)
        indexes = (
            Index(fields=("section_id", "published_at", "article_id"), name="section_article_idx"),
        )


class ArticleAuthor(Model):
    """An article's byline, in order."""

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "models.Article", related_name="author_links", on_delete=fields.CASCADE
    )
    article_id: int
    author: fields.ForeignKeyRelation[Author] = fields.ForeignKeyField(
        "models.Author", related_name="article_links", on_delete=fields.CASCADE
    )
    author_id: int
    position = fields.IntField(default=0)

    class Meta:
        table = "article_author"
        unique_together = (("article_id", "author_id"),)
        indexes = (Index(fields=("author_id", "article_id"), name="article_author_aut_idx"),)


class ArticleTag(Model):
    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "models.Article", related_name="tag_links", on_delete=fields.CASCADE
    )
    article_id: int
    tag: fields.ForeignKeyRelation[Tag] = fields.ForeignKeyField(
        "models.Tag", related_name="article_links", on_delete=fields.CASCADE
    )
    tag_id: int
    position = fields.IntField(default=0)

    class Meta:
        table = "article_tag"
        unique_together = (("article_id", "tag_id"),)
        indexes = (Index(fields=("tag_id", "article_id"), name="article_tag_tag_idx"),)
