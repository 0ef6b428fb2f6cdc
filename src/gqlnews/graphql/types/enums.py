"""GraphQL enums, mapped onto the stored values (the model enums are registered in place)."""

from enum import Enum

import strawberry

from gqlnews.graphql.criteria import ArticleOrder
from gqlnews.models import Genre, TagKind

strawberry.enum(Genre, description="The journalistic genre of an article.")
strawberry.enum(TagKind, description="What a tag names.")
strawberry.enum(
    ArticleOrder,
    description=(
        "Order of an article list. PRINT_ORDER sorts by print page, then position on the page."
    ),
)


@strawberry.enum(description="Writing direction of a language.")
class TextDirection(Enum):
    LTR = "LTR"
    RTL = "RTL"


__all__ = ["ArticleOrder", "Genre", "TagKind", "TextDirection"]
