"""Newsroom accounts, as their owner and admins see them."""

from datetime import datetime

import strawberry

from gqlnews.graphql.context import Info
from gqlnews.graphql.loaders import load_related
from gqlnews.graphql.types.author import Author
from gqlnews.graphql.types.enums import UserRole
from gqlnews.ids import encode_id
from gqlnews.models import User as UserModel


@strawberry.type(description="A newsroom account (seen by itself, through `me`, and by admins).")
class User:
    model: strawberry.Private[UserModel]
    id: strawberry.ID = strawberry.field(description="Opaque ID of the account.")
    email: str
    name: str
    role: UserRole
    active: bool = strawberry.field(description="False once disabled: it can no longer sign in.")
    created_at: datetime
    last_login_at: datetime | None = strawberry.field(
        description="The last successful signIn (API tokens do not count)."
    )

    @classmethod
    def from_model(cls, m: UserModel) -> "User":
        return cls(
            model=m,
            id=strawberry.ID(encode_id("User", m.pk)),
            email=m.email,
            name=m.name,
            role=m.role,
            active=m.is_active,
            created_at=m.created_at,
            last_login_at=m.last_login_at,
        )

    @strawberry.field(description="The byline profile of this account, if any.")
    async def author(self, info: Info) -> Author | None:
        loader = info.context.loaders.author
        return await load_related(loader, self.model.author_id, Author.from_model)
