"""The trash: articles moved there by ``articleDelete``, for editors to restore."""

import strawberry

from gqlnews.errors import BadUserInput
from gqlnews.graphql.context import Info
from gqlnews.graphql.types.article import Article
from gqlnews.models import Article as ArticleModel
from gqlnews.permissions import Action, require

MAX_TRASH = 100


@strawberry.type
class TrashQueries:
    @strawberry.field(
        description=(
            "Articles in the trash, most recently deleted first (editors; `articleRestore` "
            f"takes one back). At most {MAX_TRASH}."
        )
    )
    async def trash(self, info: Info, first: int = 20) -> list[Article]:
        require(info.context.viewer, Action.ARTICLE_DELETE)
        if not 1 <= first <= MAX_TRASH:
            raise BadUserInput(f"first must be between 1 and {MAX_TRASH}", argument="first")
        rows = (
            await ArticleModel.filter(deleted_at__isnull=False)
            .order_by("-deleted_at", "-id")
            .limit(first)
        )
        return [Article.from_model(row) for row in rows]
