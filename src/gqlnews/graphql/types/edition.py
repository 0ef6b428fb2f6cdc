"""Print editions and their pages."""

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from gqlnews.cache.deps import depends_on
from gqlnews.cache.keys import entity
from gqlnews.graphql.context import Info
from gqlnews.graphql.criteria import ArticleCriteria, ArticleOrder
from gqlnews.graphql.loaders import load_related
from gqlnews.graphql.types.article import Article
from gqlnews.graphql.types.article_lists import articles_field
from gqlnews.graphql.types.image import Image
from gqlnews.graphql.types.language import Localized
from gqlnews.graphql.types.node import Node
from gqlnews.ids import encode_id
from gqlnews.models import Edition as EditionModel

if TYPE_CHECKING:
    from gqlnews.graphql.types.supplement import Supplement


@strawberry.type(description="A page of a print edition and the articles printed on it.")
class EditionPage:
    number: int
    articles: list[Article]


@strawberry.type(description="A daily print edition (Couverture, pages, supplements).")
class Edition(Node, Localized):
    model: strawberry.Private[EditionModel]
    number: int
    date: date
    title: str
    page_count: int
    pdf_url: str | None

    @classmethod
    def from_model(cls, m: EditionModel) -> "Edition":
        depends_on(entity("Edition", m.pk))
        return cls(
            stored_language=m.language,
            model=m,
            id=strawberry.ID(encode_id("Edition", m.pk)),
            number=m.number,
            date=m.date,
            title=m.title,
            page_count=m.page_count,
            pdf_url=m.pdf_url,
        )

    @strawberry.field(description="The front-page picture of the print edition.")
    async def cover(self, info: Info) -> Image | None:
        return await load_related(info.context.loaders.image, self.model.cover_id, Image.from_model)

    @strawberry.field(
        description="Pages that carry visible articles, in page order, articles in print order."
    )
    async def pages(self, info: Info) -> list[EditionPage]:
        rows = await info.context.loaders.articles_of_edition.load(self.model.pk)
        pages: dict[int, list[Article]] = {}
        for row in rows:
            if row.page is not None:
                pages.setdefault(row.page, []).append(Article.from_model(row))
        return [EditionPage(number=n, articles=pages[n]) for n in sorted(pages)]

    @strawberry.field(description="Special supplements that ship with this edition.")
    async def supplements(
        self, info: Info
    ) -> list[Annotated["Supplement", strawberry.lazy("gqlnews.graphql.types.supplement")]]:
        from gqlnews.graphql.types.supplement import Supplement

        rows = await info.context.loaders.supplements_of_edition.load(self.model.pk)
        return [Supplement.from_model(s) for s in rows]

    articles = articles_field(
        lambda edition: ArticleCriteria(edition_ids=(edition.model.pk,)),
        "Visible articles printed in this edition, in print order by default.",
        ArticleOrder.PRINT_ORDER,
    )
