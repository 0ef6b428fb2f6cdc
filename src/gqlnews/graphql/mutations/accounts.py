"""Signing in and out: a session token for an email and a password, and its revocation."""

from datetime import datetime, timedelta

import strawberry

from gqlnews.accounts import tokens, users
from gqlnews.graphql.context import Info
from gqlnews.graphql.types.errors import MutationError
from gqlnews.graphql.types.user import User
from gqlnews.permissions import Unauthenticated

INVALID_CREDENTIALS = "INVALID_CREDENTIALS"


@strawberry.type(description="The result of signIn: a token and its account, or errors.")
class SignInPayload:
    token: str | None = strawberry.field(
        description=(
            "Send it as `Authorization: Bearer <token>`. Shown once: only its hash is stored."
        )
    )
    expires_at: datetime | None = strawberry.field(description="When the token stops working.")
    user: User | None
    errors: list[MutationError]


@strawberry.type(description="The result of signOut.")
class SignOutPayload:
    revoked: bool = strawberry.field(description="True when the token was revoked by this call.")
    errors: list[MutationError]


@strawberry.type
class AccountMutations:
    @strawberry.mutation(
        description=(
            "Exchange an email and a password for a session token (valid GQLNEWS_SESSION_TTL_HOURS "
            "hours). A wrong email or password both answer INVALID_CREDENTIALS."
        )
    )
    async def sign_in(self, info: Info, email: str, password: str) -> SignInPayload:
        ctx = info.context
        ttl = timedelta(hours=ctx.settings.session_ttl_hours)
        signed_in = await users.sign_in(email, password, ttl=ttl, now=ctx.now)
        if signed_in is None:
            error = MutationError(
                field=None, code=INVALID_CREDENTIALS, message=users.INVALID_CREDENTIALS
            )
            return SignInPayload(token=None, expires_at=None, user=None, errors=[error])
        return SignInPayload(
            token=signed_in.token.text,
            expires_at=signed_in.token.row.expires_at,
            user=User.from_model(signed_in.user),
            errors=[],
        )

    @strawberry.mutation(description="Revoke the token this request was sent with.")
    async def sign_out(self, info: Info) -> SignOutPayload:
        ctx = info.context
        if ctx.token_id is None:
            raise Unauthenticated("sign in first: this request carries no token")
        return SignOutPayload(revoked=await tokens.revoke(ctx.token_id, ctx.now), errors=[])
