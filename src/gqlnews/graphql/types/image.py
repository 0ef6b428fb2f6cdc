"""Images with the credit the page prints.

Readers see an image only while something they see uses it (see :mod:`gqlnews.visibility`);
every path to one goes through the request's ``image`` loader, which applies that rule.
"""

import strawberry

from gqlnews.cache.deps import depends_on
from gqlnews.cache.keys import entity
from gqlnews.graphql.rows import ImageLike
from gqlnews.graphql.types.language import Localized
from gqlnews.graphql.types.node import Node
from gqlnews.ids import encode_id


@strawberry.type(
    description=(
        "A picture, registered by URL, with its credit and caption. Readers see it while a "
        "visible article, edition or supplement, or an author, uses it."
    )
)
class Image(Node, Localized):
    url: str
    credit: str = strawberry.field(description='What the page prints beside it, e.g. "© D.R".')
    byline: str = strawberry.field(description="The photographer, when known.")
    caption: str
    alt: str
    width: int | None
    height: int | None

    @classmethod
    def from_model(cls, m: ImageLike) -> "Image":
        depends_on(entity("Image", m.pk))
        return cls(
            stored_language=m.language,
            id=strawberry.ID(encode_id("Image", m.pk)),
            url=m.url,
            credit=m.credit,
            byline=m.byline,
            caption=m.caption,
            alt=m.alt,
            width=m.width,
            height=m.height,
        )
