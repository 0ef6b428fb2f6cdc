"""Root fields for sections, authors and tags (slugs are looked up in their canonical form:
see :mod:`gqlnews.slugs`)."""

import strawberry

from gqlnews.cache import keys
from gqlnews.cache.deps import depends_on
from gqlnews.graphql.context import Info
from gqlnews.graphql.loaders import catalog_by_slug, top_sections
from gqlnews.graphql.rows import SectionRow, row_of
from gqlnews.graphql.types.author import Author
from gqlnews.graphql.types.section import Section
from gqlnews.graphql.types.tag import Tag
from gqlnews.models import Author as AuthorModel
from gqlnews.models import Section as SectionModel
from gqlnews.models import Tag as TagModel
from gqlnews.slugs import normalize_slug


@strawberry.type
class TaxonomyQueries:
    @strawberry.field(description="Top-level sections, in order; sub-sections are `children`.")
    async def sections(self, info: Info) -> list[Section]:
        depends_on(keys.catalog("Section"))
        rows = await top_sections()
        for row in rows:
            info.context.loaders.section.prime(row.pk, row_of(SectionRow, row))
        return [Section.from_model(s) for s in rows]

    @strawberry.field(description="A section by slug; null if unknown.")
    async def section(self, info: Info, slug: str) -> Section | None:
        slug = normalize_slug(slug)
        depends_on(keys.by_slug("Section", slug))
        row = await info.context.loaders.catalog_by_slug(SectionModel, slug)
        return Section.from_model(row) if row else None

    @strawberry.field(description="An author by slug; null if unknown.")
    async def author(self, slug: str) -> Author | None:
        slug = normalize_slug(slug)
        depends_on(keys.by_slug("Author", slug))
        row = await catalog_by_slug(AuthorModel, slug)
        return Author.from_model(row) if row else None

    @strawberry.field(description="A tag by slug; null if unknown.")
    async def tag(self, slug: str) -> Tag | None:
        slug = normalize_slug(slug)
        depends_on(keys.by_slug("Tag", slug))
        row = await catalog_by_slug(TagModel, slug)
        return Tag.from_model(row) if row else None
