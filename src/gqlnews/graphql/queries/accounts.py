"""Root fields about accounts: the signed-in one, and all of them for admins."""

import strawberry

from gqlnews.graphql.context import Info
from gqlnews.graphql.pagination import Ordering, PageRequest, SortKey, paginate
from gqlnews.graphql.types.connection import Connection, to_connection
from gqlnews.graphql.types.user import User
from gqlnews.models import User as UserModel
from gqlnews.permissions import Action, require

_BY_EMAIL = Ordering((SortKey("email"), SortKey("id")))


@strawberry.type
class AccountQueries:
    @strawberry.field(description="The signed-in account; null for anonymous readers.")
    def me(self, info: Info) -> User | None:
        user = info.context.user
        return User.from_model(user) if user is not None else None

    @strawberry.field(description="Every account, by email (admins only).")
    async def users(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[User]:
        ctx = info.context
        require(ctx.viewer, Action.USERS_MANAGE)
        result = await paginate(
            UserModel.all(),
            _BY_EMAIL,
            PageRequest(first, after, last, before),
            default_size=ctx.settings.default_page_size,
            max_size=ctx.settings.max_page_size,
        )
        return to_connection(result, User.from_model)  # type: ignore[arg-type]
