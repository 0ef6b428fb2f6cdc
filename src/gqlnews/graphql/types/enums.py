"""GraphQL enums, mapped onto the stored values (the model enums are registered in place)."""

from enum import Enum

import strawberry

from gqlnews.graphql.criteria import ArticleOrder
from gqlnews.models import ArticleStatus, Genre, TagKind, UserRole

strawberry.enum(Genre, description="The journalistic genre of an article.")
strawberry.enum(TagKind, description="What a tag names.")
strawberry.enum(
    ArticleStatus,
    description=(
        "Where an article is in the workflow: DRAFT → REVIEW → SCHEDULED or PUBLISHED → "
        "UNPUBLISHED. Readers see only PUBLISHED articles whose time and embargo have passed."
    ),
)
strawberry.enum(
    UserRole,
    description=(
        "What an account may do: ADMIN everything, accounts included; EDITOR edits and "
        "publishes any article and manages sections, editions, supplements and picks; AUTHOR "
        "writes articles and edits its own drafts; CONTRIBUTOR writes drafts."
    ),
)
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


__all__ = ["ArticleOrder", "ArticleStatus", "Genre", "TagKind", "TextDirection", "UserRole"]
