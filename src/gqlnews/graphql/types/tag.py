"""Tags: themes, places, organisations, people."""

import strawberry

from gqlnews.cache.deps import depends_on
from gqlnews.cache.keys import entity
from gqlnews.graphql.criteria import ArticleCriteria
from gqlnews.graphql.ids import encode_id
from gqlnews.graphql.types.article import articles_field
from gqlnews.graphql.types.enums import TagKind
from gqlnews.graphql.types.language import Localized
from gqlnews.graphql.types.node import Node
from gqlnews.models import Tag as TagModel


@strawberry.type(description="A subject an article is about.")
class Tag(Node, Localized):
    model: strawberry.Private[TagModel]
    slug: str
    name: str
    kind: TagKind

    @classmethod
    def from_model(cls, m: TagModel) -> "Tag":
        depends_on(entity("Tag", m.pk))
        return cls(
            stored_language=m.language,
            model=m,
            id=strawberry.ID(encode_id("Tag", m.pk)),
            slug=m.slug,
            name=m.name,
            kind=m.kind,
        )

    articles = articles_field(
        lambda tag: ArticleCriteria(tag_ids=(tag.model.pk,)),
        "Visible articles with this tag, newest first by default.",
    )
