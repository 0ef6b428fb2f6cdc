"""The fields of an article an editor can change, declared once.

Everything that lists them is made from :data:`EDITABLE`: the write API's create and update
inputs (:mod:`gqlnews.graphql.mutations.article_inputs`), the checks before a write
(:mod:`gqlnews.newsroom.validation`), what a revision keeps and a restore puts back
(:mod:`gqlnews.newsroom.revisions`), the columns an archive line sets (:mod:`gqlnews.archive.
writer`) and where a ninjs line carries the texts (:mod:`gqlnews.archive.ninjs`). A field added
here (with its column) reaches all of them; ``tests/test_article_fields.py`` checks that every
column of :class:`~gqlnews.models.article.Article` is editable, derived or system.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tortoise.models import Model

from gqlnews.models.article import DERIVED_COLUMNS, ArticleAuthor, ArticleSection, ArticleTag
from gqlnews.models.author import Author
from gqlnews.models.section import Section
from gqlnews.models.tag import Tag


class Kind(StrEnum):
    """What a field holds, which decides its GraphQL input type and how it is checked."""

    TEXT = "text"
    """Plain text of at most ``max_length`` characters."""
    HTML = "html"
    """HTML, sanitised on the way in, at most GQLNEWS_MAX_BODY_BYTES bytes."""
    LANGUAGE = "language"
    """A language tag (fr, ar, ar-MA)."""
    SLUG = "slug"
    """The article's own slug: unique, and fixed once the article was published."""
    GENRE = "genre"
    """A :class:`~gqlnews.models.enums.Genre`."""
    SECTION = "section"
    """One section, by slug, stored as the id in ``column``."""
    SLUGS = "slugs"
    """An ordered list of slugs, stored as rows of a link table (``links``)."""
    IMAGE = "image"
    """An image, by id (a GraphQL ``ID``)."""


@dataclass(frozen=True)
class Links:
    """The link table an ordered list is kept in (rows with a ``position``)."""

    model: type[Model]
    column: str
    """The column of the linked row's id, e.g. ``section_id``."""
    target: type[Model]
    """The model the slugs name (:class:`~gqlnews.models.section.Section`…)."""
    revision_key: str
    """Under which key a revision keeps the ordered ids."""


@dataclass(frozen=True)
class NinjsPlace:
    """Where a ninjs line carries an optional text: the ``value`` of the item with ``role`` in
    the list ``key`` (``headlines``…), or the string ``key`` itself when ``role`` is None."""

    key: str
    role: str | None = None
    contenttype: str | None = None
    """Written beside the value on export (``text/html``…)."""

    def __str__(self) -> str:
        return self.key if self.role is None else f"{self.key}[role={self.role}].value"


@dataclass(frozen=True)
class EditableField:
    """One field an editor can change, and how each part of the system handles it."""

    name: str
    """The write side's name (:class:`~gqlnews.newsroom.validation.ArticleFields`)."""
    kind: Kind
    column: str | None
    """The article column it is stored in; None for a list kept in a link table."""
    output: str
    """The field of the GraphQL ``Article`` type that shows it."""
    input_name: str | None = None
    """The Python name of the GraphQL input field (Strawberry writes it in camelCase); None:
    ``name``."""
    required: bool = False
    """Required when an article is created."""
    max_length: int | None = None
    """For text: the most characters allowed."""
    max_items: int | None = None
    """For lists: the most slugs allowed."""
    links: Links | None = None
    create_description: str | None = None
    """The description of the create input's field (SDL); None: none."""
    update_description: str | None = None
    """The description of the update input's field (SDL); None: none."""
    clearable: bool = False
    """On an update, null removes the value (otherwise null is the same as leaving it out)."""
    revisioned: bool = True
    """Kept by every revision and put back by a restore."""
    ninjs: NinjsPlace | None = None
    """Where ninjs carries it, for a text mapped by the generic code of
    :mod:`gqlnews.archive.ninjs` (the others have code of their own there)."""
    ninjs_doc: str = ""
    """Where ninjs carries a field without a ``ninjs`` place, as ``docs/archive.md`` writes
    it."""

    @property
    def graphql_input(self) -> str:
        return self.input_name or self.name

    @property
    def ninjs_mapping(self) -> str:
        """Where ninjs carries it, as ``docs/archive.md`` writes it."""
        return str(self.ninjs) if self.ninjs is not None else self.ninjs_doc

    @property
    def camel_name(self) -> str:
        """The GraphQL name of its input field (what error messages and ``field`` name)."""
        head, *rest = self.graphql_input.split("_")
        return head + "".join(part.title() for part in rest)


TITLE_LENGTH = 300

SECTION_LINKS = Links(ArticleSection, "section_id", Section, "section_ids")
"""Every section of an article: the primary section first (``primary_section_id``), then the
``sections`` an editor adds."""

EDITABLE: tuple[EditableField, ...] = (
    EditableField(
        "title",
        Kind.TEXT,
        "title",
        "title",
        required=True,
        max_length=TITLE_LENGTH,
        create_description=f"1–{TITLE_LENGTH} characters.",
        ninjs=NinjsPlace("headlines", "main"),
    ),
    EditableField(
        "primary_section",
        Kind.SECTION,
        "primary_section_id",
        "primarySection",
        required=True,
        create_description="The slug of the article's section.",
        ninjs_doc="gqlnews.primary_section",
    ),
    EditableField(
        "sections",
        Kind.SLUGS,
        None,
        "sections",
        max_items=5,
        links=SECTION_LINKS,
        create_description="More section slugs, in order (the front page, say).",
        ninjs_doc="gqlnews.sections",
    ),
    EditableField(
        "subtitle",
        Kind.TEXT,
        "subtitle",
        "subtitle",
        max_length=1000,
        ninjs=NinjsPlace("headlines", "sub"),
    ),
    EditableField(
        "excerpt",
        Kind.TEXT,
        "excerpt",
        "excerpt",
        max_length=2000,
        create_description="The standfirst (chapô).",
        ninjs=NinjsPlace("descriptions", "summary", "text/plain"),
    ),
    EditableField(
        "body_html",
        Kind.HTML,
        "body_html",
        "body",
        input_name="body",
        create_description=("HTML, sanitised on the way in; at most GQLNEWS_MAX_BODY_BYTES bytes."),
        ninjs=NinjsPlace("bodies", "main", "text/html"),
    ),
    EditableField("genre", Kind.GENRE, "genre", "genre", ninjs_doc="genres[0]"),
    EditableField(
        "language",
        Kind.LANGUAGE,
        "language",
        "language",
        create_description=("ISO 639-1, e.g. fr, ar (ar-MA too); left out: the site's language."),
        ninjs_doc="language",
    ),
    EditableField(
        "dateline",
        Kind.TEXT,
        "dateline",
        "dateline",
        max_length=200,
        ninjs=NinjsPlace("located"),
    ),
    EditableField(
        "slug",
        Kind.SLUG,
        "slug",
        "slug",
        create_description="Made from the title when left out (unique).",
        update_description="Cannot change once the article was published.",
        ninjs_doc="gqlnews.slug",
    ),
    EditableField(
        "authors",
        Kind.SLUGS,
        None,
        "authors",
        max_items=10,
        links=Links(ArticleAuthor, "author_id", Author, "author_ids"),
        create_description="Author slugs.",
        ninjs_doc="gqlnews.authors",
    ),
    EditableField(
        "tags",
        Kind.SLUGS,
        None,
        "tags",
        max_items=30,
        links=Links(ArticleTag, "tag_id", Tag, "tag_ids"),
        create_description="Tag slugs.",
        ninjs_doc="gqlnews.tags",
    ),
    EditableField(
        "image_id",
        Kind.IMAGE,
        "image_id",
        "image",
        update_description="null removes the image.",
        clearable=True,
        ninjs_doc="associations[name=featureimage]",
    ),
)
"""Every editable field, in the order of the write API's inputs."""

BY_NAME = {f.name: f for f in EDITABLE}

EDITABLE_COLUMNS = tuple(f.column for f in EDITABLE if f.column is not None)
"""The article columns an editor changes."""

REVISIONED_COLUMNS = tuple(f.column for f in EDITABLE if f.revisioned and f.column is not None)
"""The columns every revision keeps and a restore puts back."""

LINKS = tuple(f.links for f in EDITABLE if f.links is not None)
"""The link tables of the editable lists."""

REVISIONED_LINKS = tuple(f.links for f in EDITABLE if f.revisioned and f.links is not None)
"""The link tables every revision keeps (ordered ids) and a restore puts back."""

DERIVED = tuple(name for names in DERIVED_COLUMNS.values() for name in names)
"""The columns computed from editable ones (:func:`gqlnews.models.article.derived_columns`)."""

SYSTEM_COLUMNS = (
    "id",
    "uri",
    "status",
    "published_at",
    "embargo_until",
    "created_at",
    "updated_at",
    "version",
    "edition_id",
    "supplement_id",
    "page",
    "print_position",
    "view_count",
    "created_by_id",
    "released_at",
    "deleted_at",
    "import_hash",
)
"""The other columns: set by the workflow, publishing, print placement, counting or import,
never by an article's create or update input."""
