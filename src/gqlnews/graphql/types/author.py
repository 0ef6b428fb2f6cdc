"""Authors, as readers see them (no email)."""

import strawberry

from gqlnews.cache.deps import depends_on
from gqlnews.cache.keys import entity
from gqlnews.graphql.context import Info
from gqlnews.graphql.criteria import ArticleCriteria
from gqlnews.graphql.ids import encode_id
from gqlnews.graphql.loaders import load_related
from gqlnews.graphql.types.article import articles_field
from gqlnews.graphql.types.image import Image
from gqlnews.graphql.types.language import Localized
from gqlnews.graphql.types.node import Node
from gqlnews.models import Author as AuthorModel


@strawberry.type(description="A journalist who signs articles.")
class Author(Node, Localized):
    model: strawberry.Private[AuthorModel]
    slug: str
    name: str
    bio: str
    role: str

    @classmethod
    def from_model(cls, m: AuthorModel) -> "Author":
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

    articles = articles_field(
        lambda author: ArticleCriteria(author_ids=(author.model.pk,)),
        "Visible articles this author signed, newest first by default.",
    )
