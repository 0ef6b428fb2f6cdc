"""Signing in and out: a session token for an email and a password, and its revocation.

Sign-in attempts are limited before any password is checked: per client IP and per account
named (see :mod:`gqlnews.ratelimit`), and to one ``signIn`` per request (aliases would
otherwise make one request check dozens of passwords).
"""

from datetime import datetime, timedelta

import strawberry
from graphql import (
    FieldNode,
    SelectionSetNode,
    value_from_ast_untyped,
)
from starlette.requests import Request
from starlette.responses import Response

from gqlnews.accounts import tokens, users
from gqlnews.errors import ClientError
from gqlnews.graphql.context import Info
from gqlnews.graphql.selections import fields_of
from gqlnews.graphql.types.errors import MutationError
from gqlnews.graphql.types.user import User
from gqlnews.permissions import Unauthenticated
from gqlnews.ratelimit import RATE_LIMITED, RateLimits

INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
TOO_MANY_SIGN_INS = "TOO_MANY_SIGN_INS"
SIGN_INS_PER_REQUEST = 1
"""``signIn`` fields one request may run; with more, none of them checks a password."""


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


def _sign_ins(selections: SelectionSetNode, info: Info) -> dict[str, FieldNode]:
    """The ``signIn`` fields of a root selection set (through fragments) by response key:
    fields with one key are merged into one execution, so they count once."""
    found: dict[str, FieldNode] = {}
    for node in fields_of(selections, info._raw_info.fragments):  # Strawberry hides them
        if node.name.value == "signIn":
            found.setdefault(node.alias.value if node.alias else node.name.value, node)
    return found


def _emails(info: Info) -> list[str]:
    """The email each ``signIn`` of the request names (variables applied)."""
    emails: list[str] = []
    for node in _sign_ins(info.operation.selection_set, info).values():
        given = (arg.value for arg in node.arguments or () if arg.name.value == "email")
        value = next(given, None)
        found = value_from_ast_untyped(value, info.variable_values) if value else None
        emails.append(found if isinstance(found, str) else "")
    return emails


async def _refusal(info: Info, request: Request) -> ClientError | None:
    """Count every ``signIn`` of the request against the sign-in limits (until one is
    refused: HTTP 429 with ``Retry-After``), then refuse a request with more than
    :data:`SIGN_INS_PER_REQUEST` of them."""
    emails = _emails(info)
    app_state = getattr(request.scope.get("app"), "state", None)  # None: a bare view
    limits: RateLimits | None = getattr(app_state, "rate_limits", None)
    if limits is not None:
        for email in emails:
            refusal = await limits.sign_in(request.scope, users.normalise_email(email))
            if refusal is None:
                continue
            response = info.context.response
            if isinstance(response, Response):
                response.status_code = 429
                response.headers["Retry-After"] = str(refusal.retry_after)
            return ClientError(refusal.message, code=RATE_LIMITED, retryAfter=refusal.retry_after)
    if len(emails) > SIGN_INS_PER_REQUEST:
        return ClientError(
            f"a request may sign in once: this one has {len(emails)} signIn fields, and none "
            "was checked (send them in separate requests)",
            code=TOO_MANY_SIGN_INS,
        )
    return None


async def _check_limits(info: Info) -> None:
    """Raise the refusal of this request's sign-ins, if any: the first ``signIn`` to run
    decides for all of them (a request's attempts are counted once)."""
    request = info.context.request
    if not isinstance(request, Request):
        return
    if not hasattr(request.state, "sign_in_refusal"):
        request.state.sign_in_refusal = await _refusal(info, request)
    refusal: ClientError | None = request.state.sign_in_refusal
    if refusal is not None:
        raise ClientError(refusal.message, **dict(refusal.extensions or {}))  # a fresh one


@strawberry.type
class AccountMutations:
    @strawberry.mutation(
        description=(
            "Exchange an email and a password for a session token (valid GQLNEWS_SESSION_TTL_HOURS "
            "hours). A wrong email or password both answer INVALID_CREDENTIALS. Attempts are "
            "limited per client IP and per email (RATE_LIMITED, HTTP 429), and to one signIn "
            "per request (TOO_MANY_SIGN_INS)."
        )
    )
    async def sign_in(self, info: Info, email: str, password: str) -> SignInPayload:
        ctx = info.context
        await _check_limits(info)
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
