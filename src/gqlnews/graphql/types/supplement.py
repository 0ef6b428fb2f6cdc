"""Special supplements (Nos suppléments spéciaux)."""

from datetime import date

import strawberry

from gqlnews.cache.deps import depends_on
from gqlnews.cache.keys import entity
from gqlnews.graphql.context import Info
from gqlnews.graphql.criteria import ArticleCriteria, ArticleOrder
from gqlnews.graphql.loaders import load_related
from gqlnews.graphql.types.article_lists import articles_field
from gqlnews.graphql.types.edition import Edition
from gqlnews.graphql.types.image import Image
from gqlnews.graphql.types.language import Localized
from gqlnews.graphql.types.node import Node
from gqlnews.graphql.types.section import Section
from gqlnews.ids import encode_id
from gqlnews.models import Supplement as SupplementModel


@strawberry.type(description="A special supplement, often shipped with an edition.")
class Supplement(Node, Localized):
    model: strawberry.Private[SupplementModel]
    slug: str
    title: str
    description: str
    date: date
    page_count: int

    @classmethod
    def from_model(cls, m: SupplementModel) -> "Supplement":
        depends_on(entity("Supplement", m.pk))
        return cls(
            stored_language=m.language,
            model=m,
            id=strawberry.ID(encode_id("Supplement", m.pk)),
            slug=m.slug,
            title=m.title,
            description=m.description,
            date=m.date,
            page_count=m.page_count,
        )

    @strawberry.field(description="The supplement's cover picture.")
    async def cover(self, info: Info) -> Image | None:
        return await load_related(info.context.loaders.image, self.model.cover_id, Image.from_model)

    @strawberry.field(description="The edition it ships with, if any.")
    async def edition(self, info: Info) -> Edition | None:
        loader = info.context.loaders.edition
        return await load_related(loader, self.model.edition_id, Edition.from_model)

    @strawberry.field(description="The section it belongs to, if any.")
    async def section(self, info: Info) -> Section | None:
        loader = info.context.loaders.section
        return await load_related(loader, self.model.section_id, Section.from_model)

    articles = articles_field(
        lambda supplement: ArticleCriteria(supplement_ids=(supplement.model.pk,)),
        "Visible articles of this supplement, in print order by default.",
        ArticleOrder.PRINT_ORDER,
    )
