"""Authors, as readers see them (no email)."""

import strawberry

from gqlnews.cache.deps import depends_on
from gqlnews.cache.keys import entity
from gqlnews.graphql.context import Info
from gqlnews.graphql.criteria import ArticleCriteria
from gqlnews.graphql.loaders import load_related
from gqlnews.graphql.rows import AuthorLike
from gqlnews.graphql.types.article_lists import articles_field
from gqlnews.graphql.types.image import Image
from gqlnews.graphql.types.language import Localized
from gqlnews.graphql.types.node import Node
from gqlnews.ids import encode_id
from gqlnews.urls import site_urls


@strawberry.type(description="A journalist who signs articles.")
class Author(Node, Localized):
    model: strawberry.Private[AuthorLike]
    slug: str
    name: str
    bio: str
    role: str

    @classmethod
    def from_model(cls, m: AuthorLike) -> "Author":
        depends_on(entity("Author", m.pk))
        return cls(
            stored_language=m.language,
            model=m,
            id=strawberry.ID(encode_id("Author", m.pk)),
            slug=m.slug,
            name=m.name,
            bio=m.bio,
            role=m.role,
        )

    @strawberry.field(description="The author's portrait.")
    async def avatar(self, info: Info) -> Image | None:
        return await load_related(
            info.context.loaders.image, self.model.avatar_id, Image.from_model
        )

    @strawberry.field(
        description=(
            "The author page's public URL (GQLNEWS_AUTHOR_URL_TEMPLATE, default "
            "{site}/authors/{slug}); a path from the site's root when no site URL is configured."
        )
    )
    def url(self, info: Info) -> str:
        return site_urls(info.context.settings).author(pk=self.model.pk, slug=self.model.slug)

    articles = articles_field(
        lambda author: ArticleCriteria(author_ids=(author.model.pk,)),
        "Visible articles this author signed, newest first by default.",
    )
