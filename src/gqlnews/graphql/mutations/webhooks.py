"""Registering, removing and re-enabling webhook endpoints (admins only; see
docs/webhooks.md). A refused input answers typed errors; the secret is in the create
payload, once."""

import strawberry

from gqlnews.graphql.context import Info
from gqlnews.graphql.mutations.inputs import attempt
from gqlnews.graphql.types.errors import MutationError
from gqlnews.graphql.types.webhook import WebhookEndpoint
from gqlnews.permissions import Action, require
from gqlnews.webhooks import endpoints


@strawberry.input(description="A new webhook endpoint.")
class WebhookEndpointInput:
    url: str = strawberry.field(
        description="Absolute http(s) URL; public addresses only unless "
        "GQLNEWS_WEBHOOK_ALLOW_PRIVATE is on."
    )
    events: list[str] | None = strawberry.field(
        default=None,
        description="Event kinds to send (published, released, updated, unpublished, deleted, "
        "restored, refused); left out: all but refused.",
    )
    sections: list[str] | None = strawberry.field(
        default=None, description="Section slugs to limit it to; left out: every article."
    )
    description: str = strawberry.field(default="", description="What it is for.")


@strawberry.type(description="The result of webhookEndpointCreate: the endpoint and its secret.")
class WebhookEndpointCreatePayload:
    endpoint: WebhookEndpoint | None
    secret: str | None = strawberry.field(
        description="The signing secret (whsec_…) for the receiver; shown once."
    )
    errors: list[MutationError]


@strawberry.type(description="The result of webhookEndpointDelete or webhookEndpointEnable.")
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = strawberry.field(
        description="The endpoint as it is now (null after a deletion)."
    )
    errors: list[MutationError]


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(
        description=(
            "Register a webhook endpoint (admins only). Its URL is checked (http/https, a "
            "public address); it receives the events written from now on."
        )
    )
    async def webhook_endpoint_create(
        self, info: Info, input: WebhookEndpointInput
    ) -> WebhookEndpointCreatePayload:
        ctx = info.context
        require(ctx.viewer, Action.WEBHOOKS_MANAGE)
        registered, errors = await attempt(
            lambda: endpoints.register(
                input.url,
                input.events or (),
                input.sections or (),
                input.description,
                created_by_id=ctx.viewer.user_id,
                allow_private=ctx.settings.webhook_allow_private,
            )
        )
        if registered is None:
            return WebhookEndpointCreatePayload(endpoint=None, secret=None, errors=errors)
        slugs = await endpoints.section_slugs([registered.endpoint])
        return WebhookEndpointCreatePayload(
            endpoint=WebhookEndpoint.from_model(registered.endpoint, slugs),
            secret=registered.secret,
            errors=[],
        )

    @strawberry.mutation(description="Delete a webhook endpoint with its deliveries (admins only).")
    async def webhook_endpoint_delete(self, info: Info, id: int) -> WebhookEndpointPayload:
        require(info.context.viewer, Action.WEBHOOKS_MANAGE)
        _, errors = await attempt(lambda: endpoints.remove(id))
        return WebhookEndpointPayload(endpoint=None, errors=errors)

    @strawberry.mutation(description="Turn a disabled webhook endpoint back on (admins only).")
    async def webhook_endpoint_enable(self, info: Info, id: int) -> WebhookEndpointPayload:
        require(info.context.viewer, Action.WEBHOOKS_MANAGE)
        endpoint, errors = await attempt(lambda: endpoints.enable(id))
        if endpoint is None:
            return WebhookEndpointPayload(endpoint=None, errors=errors)
        slugs = await endpoints.section_slugs([endpoint])
        return WebhookEndpointPayload(
            endpoint=WebhookEndpoint.from_model(endpoint, slugs), errors=[]
        )


__all__ = ["WebhookMutations"]
