"""Tags: themes, places, organisations, people."""

import strawberry

from gqlnews.cache.deps import depends_on
from gqlnews.cache.keys import entity
from gqlnews.graphql.context import Info
from gqlnews.graphql.criteria import ArticleCriteria
from gqlnews.graphql.rows import TagLike
from gqlnews.graphql.types.article_lists import articles_field
from gqlnews.graphql.types.enums import TagKind
from gqlnews.graphql.types.language import Localized
from gqlnews.graphql.types.node import Node
from gqlnews.ids import encode_id
from gqlnews.urls import site_urls


@strawberry.type(description="A subject an article is about.")
class Tag(Node, Localized):
    model: strawberry.Private[TagLike]
    slug: str
    name: str
    kind: TagKind

    @classmethod
    def from_model(cls, m: TagLike) -> "Tag":
        depends_on(entity("Tag", m.pk))
        return cls(
            stored_language=m.language,
            model=m,
            id=strawberry.ID(encode_id("Tag", m.pk)),
            slug=m.slug,
            name=m.name,
            kind=m.kind,
        )

    @strawberry.field(
        description=(
            "The tag page's public URL (GQLNEWS_TAG_URL_TEMPLATE, default {site}/tags/{slug}); "
            "a path from the site's root when no site URL is configured."
        )
    )
    def url(self, info: Info) -> str:
        return site_urls(info.context.settings).tag(pk=self.model.pk, slug=self.model.slug)

    articles = articles_field(
        lambda tag: ArticleCriteria(tag_ids=(tag.model.pk,)),
        "Visible articles with this tag, newest first by default.",
    )
