"""The Article type: an article's fields, as readers and staff see them.

Its filter input is in :mod:`~gqlnews.graphql.types.article_filter`, the lists of articles in
:mod:`~gqlnews.graphql.types.article_lists`, related articles in
:mod:`~gqlnews.graphql.types.related`.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from gqlnews.cache.deps import depends_on
from gqlnews.cache.keys import entity
from gqlnews.errors import BadUserInput
from gqlnews.graphql.context import Info
from gqlnews.graphql.loaders import load_related
from gqlnews.graphql.rows import AuthorRow, SectionRow, TagRow
from gqlnews.graphql.types.enums import ArticleStatus, Genre, TextDirection
from gqlnews.graphql.types.image import Image
from gqlnews.graphql.types.language import direction_of
from gqlnews.graphql.types.node import Node
from gqlnews.ids import encode_id
from gqlnews.models import Article as ArticleModel
from gqlnews.permissions import Action, require
from gqlnews.text import cut_excerpt, reading_time_minutes
from gqlnews.urls import site_urls

if TYPE_CHECKING:
    from gqlnews.graphql.types.author import Author
    from gqlnews.graphql.types.edition import Edition
    from gqlnews.graphql.types.related import RelatedArticle
    from gqlnews.graphql.types.revision import ArticleRevision
    from gqlnews.graphql.types.section import Section
    from gqlnews.graphql.types.supplement import Supplement
    from gqlnews.graphql.types.tag import Tag

MAX_EXCERPT_LENGTH = 5000


def _body(root: strawberry.Parent["Article"]) -> str:
    """Read when asked: a list of teasers does not read the body's column (see
    :mod:`gqlnews.graphql.types.article_columns`)."""
    return root.model.body_html


@strawberry.type(description="A published piece: news, report, analysis, editorial…")
class Article(Node):
    model: strawberry.Private[ArticleModel]
    slug: str
    title: str
    subtitle: str
    body: str = strawberry.field(resolver=_body, description="The body as sanitised HTML.")
    genre: Genre
    language: str = strawberry.field(description="ISO 639-1 code, e.g. fr or ar.")
    dateline: str = strawberry.field(description="Where the article was filed from.")
    page: int | None = strawberry.field(
        description="Print page, in the edition or the supplement the article ran in."
    )
    published_at: datetime | None
    updated_at: datetime

    @classmethod
    def from_model(cls, m: ArticleModel) -> "Article":
        depends_on(entity("Article", m.pk))
        return cls(
            model=m,
            id=strawberry.ID(encode_id("Article", m.pk)),
            slug=m.slug,
            title=m.title,
            subtitle=m.subtitle,
            genre=m.genre,
            language=m.language,
            dateline=m.dateline,
            page=m.page,
            published_at=m.published_at,
            updated_at=m.updated_at,
        )

    @strawberry.field(
        description=(
            "The standfirst as plain text, or the start of the body when there is none. "
            "With maxLength, cut at a word boundary and ended with ellipsis (which counts)."
        )
    )
    def excerpt(self, max_length: int | None = None, ellipsis: str = "…") -> str:
        if max_length is not None and not 1 <= max_length <= MAX_EXCERPT_LENGTH:
            raise BadUserInput(
                f"maxLength must be between 1 and {MAX_EXCERPT_LENGTH}", argument="maxLength"
            )
        if len(ellipsis) > 10:
            raise BadUserInput("ellipsis must be at most 10 characters", argument="ellipsis")
        source = self.model.excerpt or self.model.body_text
        if not self.model.excerpt and max_length is None:
            max_length = 300
        return cut_excerpt(source, max_length, ellipsis)

    @strawberry.field(
        description=(
            "Where the article is in the workflow; null for readers who are not signed in "
            "(every article they see is published)."
        )
    )
    def status(self, info: Info) -> ArticleStatus | None:
        return self.model.status if info.context.viewer.is_authenticated else None

    @strawberry.field(
        description=(
            "Changes so far: send it back with an update (optimistic concurrency); an update "
            "sent with an older version is refused with CONFLICT."
        )
    )
    def version(self) -> int:
        return self.model.version

    @strawberry.field(
        description="When the embargo lifts (signed-in staff only; null for readers)."
    )
    def embargo_until(self, info: Info) -> datetime | None:
        return self.model.embargo_until if info.context.viewer.is_authenticated else None

    @strawberry.field(
        description=(
            "Every change, newest first: for editors, and for the article's own author "
            "(readers get UNAUTHENTICATED, other authors FORBIDDEN)."
        )
    )
    async def revisions(
        self, info: Info, first: int = 20
    ) -> list[Annotated["ArticleRevision", strawberry.lazy("gqlnews.graphql.types.revision")]]:
        from gqlnews.graphql.types.revision import ArticleRevision
        from gqlnews.models.revision import ArticleRevision as RevisionModel

        # editors any article's, authors and contributors their own articles'
        require(info.context.viewer, Action.ARTICLE_UPDATE, owner_id=self.model.created_by_id)
        if not 1 <= first <= 100:
            raise BadUserInput("first must be between 1 and 100", argument="first")
        rows = await RevisionModel.filter(article_id=self.model.pk).order_by("-number").limit(first)
        return [ArticleRevision.from_model(row) for row in rows]

    @strawberry.field(description="LTR, or RTL for Arabic and other right-to-left languages.")
    def direction(self) -> TextDirection:
        return direction_of(self.model.language)

    @strawberry.field(description="Minutes to read the body at 230 words a minute (at least 1).")
    def reading_time_minutes(self) -> int:
        return reading_time_minutes(self.model.word_count)

    @strawberry.field(description="Words in the body.")
    def word_count(self) -> int:
        return self.model.word_count

    @strawberry.field(description="The section the article belongs to first (never Une).")
    async def primary_section(
        self, info: Info
    ) -> Annotated["Section", strawberry.lazy("gqlnews.graphql.types.section")]:
        from gqlnews.graphql.types.section import Section

        # The ordered links start with the primary section: one loader serves both fields.
        loaders = info.context.loaders
        rows: list[SectionRow] = await loaders.sections_of_article.load(self.model.pk)
        primary = next((s for s in rows if s.pk == self.model.primary_section_id), None)
        if primary is None:
            primary = await loaders.section.load(self.model.primary_section_id)
        assert primary is not None  # a foreign key with RESTRICT: it exists
        return Section.from_model(primary)

    @strawberry.field(
        description="Every section the article sits in, primary first; Une may be among them."
    )
    async def sections(
        self, info: Info
    ) -> list[Annotated["Section", strawberry.lazy("gqlnews.graphql.types.section")]]:
        from gqlnews.graphql.types.section import Section

        rows: list[SectionRow] = await info.context.loaders.sections_of_article.load(self.model.pk)
        return [Section.from_model(s) for s in rows]

    @strawberry.field(description="The byline, in order.")
    async def authors(
        self, info: Info
    ) -> list[Annotated["Author", strawberry.lazy("gqlnews.graphql.types.author")]]:
        from gqlnews.graphql.types.author import Author

        rows: list[AuthorRow] = await info.context.loaders.authors_of_article.load(self.model.pk)
        return [Author.from_model(a) for a in rows]

    @strawberry.field
    async def tags(
        self, info: Info
    ) -> list[Annotated["Tag", strawberry.lazy("gqlnews.graphql.types.tag")]]:
        from gqlnews.graphql.types.tag import Tag

        rows: list[TagRow] = await info.context.loaders.tags_of_article.load(self.model.pk)
        return [Tag.from_model(t) for t in rows]

    @strawberry.field(
        description=(
            "Articles similaires: suggestions by a related-article strategy of an installed "
            "plugin (the configured default when `strategy` is not given); visible articles "
            "only. Null, with a PLUGIN_ERROR, when the strategy fails; empty when no plugin "
            "offers one."
        )
    )
    async def related(
        self, info: Info, strategy: str | None = None, first: int = 4
    ) -> list[Annotated["RelatedArticle", strawberry.lazy("gqlnews.graphql.types.related")]] | None:
        from gqlnews.graphql.types.related import related_articles

        return await related_articles(info, self, strategy, first)

    @strawberry.field(
        description=(
            "The article's public URL, from the site URL and GQLNEWS_ARTICLE_URL_TEMPLATE "
            "(default {site}/{section}/{slug}, {section} the primary section's path); a path "
            "from the site's root (/monde/un-titre) when no site URL is configured."
        )
    )
    async def url(self, info: Info) -> str:
        m = self.model
        path = await info.context.loaders.section_path.load(m.primary_section_id)
        return site_urls(info.context.settings).article(
            pk=m.pk, slug=m.slug, section_path=path, published_at=m.published_at
        )

    @strawberry.field(description="The main picture, with its credit.")
    async def image(self, info: Info) -> Image | None:
        preview = info.context.preview
        if preview is not None and preview.article is self.model:
            # The previewed article's own picture, loaded with it (see gqlnews.previews):
            # hidden from readers like the draft itself, shown with it.
            picture = self.model.image if self.model.image_id is not None else None
            return Image.from_model(picture) if picture is not None else None
        return await load_related(info.context.loaders.image, self.model.image_id, Image.from_model)

    @strawberry.field(description="The print edition the article ran in, if any.")
    async def edition(
        self, info: Info
    ) -> Annotated["Edition", strawberry.lazy("gqlnews.graphql.types.edition")] | None:
        from gqlnews.graphql.types.edition import Edition

        loader = info.context.loaders.edition
        return await load_related(loader, self.model.edition_id, Edition.from_model)

    @strawberry.field(description="The special supplement the article ran in, if any.")
    async def supplement(
        self, info: Info
    ) -> Annotated["Supplement", strawberry.lazy("gqlnews.graphql.types.supplement")] | None:
        from gqlnews.graphql.types.supplement import Supplement

        loader = info.context.loaders.supplement
        return await load_related(loader, self.model.supplement_id, Supplement.from_model)
