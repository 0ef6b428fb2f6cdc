"""Sections of the paper, as a tree."""

import strawberry

from gqlnews.cache.deps import depends_on
from gqlnews.cache.keys import entity
from gqlnews.graphql.context import Info
from gqlnews.graphql.criteria import ArticleCriteria
from gqlnews.graphql.loaders import load_related
from gqlnews.graphql.rows import SectionLike
from gqlnews.graphql.types.article_lists import articles_field
from gqlnews.graphql.types.language import Localized
from gqlnews.graphql.types.node import Node
from gqlnews.ids import encode_id
from gqlnews.urls import site_urls


@strawberry.type(description="A section of the paper (Monde, Politique, Une…).")
class Section(Node, Localized):
    model: strawberry.Private[SectionLike]
    slug: str
    name: str
    description: str
    position: int

    @classmethod
    def from_model(cls, m: SectionLike) -> "Section":
        depends_on(entity("Section", m.pk))
        return cls(
            stored_language=m.language,
            model=m,
            id=strawberry.ID(encode_id("Section", m.pk)),
            slug=m.slug,
            name=m.name,
            description=m.description,
            position=m.position,
        )

    @strawberry.field(description="The parent section, for a sub-section.")
    async def parent(self, info: Info) -> "Section | None":
        loader = info.context.loaders.section
        return await load_related(loader, self.model.parent_id, Section.from_model)

    @strawberry.field(description="Sub-sections, in order.")
    async def children(self, info: Info) -> list["Section"]:
        rows = await info.context.loaders.children_of_section.load(self.model.pk)
        return [Section.from_model(s) for s in rows]

    @strawberry.field(
        description=(
            "The section front's public URL (GQLNEWS_SECTION_URL_TEMPLATE, default "
            "{site}/{section} with the section's path, monde/afrique); a path from the site's "
            "root when no site URL is configured."
        )
    )
    async def url(self, info: Info) -> str:
        path = await info.context.loaders.section_path.load(self.model.pk)
        return site_urls(info.context.settings).section(
            pk=self.model.pk, slug=self.model.slug, path=path
        )

    articles = articles_field(
        lambda section: ArticleCriteria(section_tree_ids=(section.model.pk,)),
        "Visible articles in this section or its sub-sections (primary or not), newest first "
        "by default: the section front.",
    )
