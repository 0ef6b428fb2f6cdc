"""Root fields about webhooks: the endpoints and their recent deliveries (admins only)."""

import strawberry

from gqlnews.errors import BadUserInput
from gqlnews.graphql.context import Info
from gqlnews.graphql.types.webhook import WebhookDelivery, WebhookEndpoint
from gqlnews.models import DeliveryStatus
from gqlnews.models import WebhookEndpoint as EndpointModel
from gqlnews.newsroom.problems import Refused
from gqlnews.permissions import Action, require
from gqlnews.webhooks import endpoints


@strawberry.type
class WebhookQueries:
    @strawberry.field(description="Every webhook endpoint, oldest first (admins only).")
    async def webhook_endpoints(self, info: Info) -> list[WebhookEndpoint]:
        require(info.context.viewer, Action.WEBHOOKS_MANAGE)
        rows = list(await EndpointModel.all().order_by("id"))
        slugs = await endpoints.section_slugs(rows)
        return [WebhookEndpoint.from_model(row, slugs) for row in rows]

    @strawberry.field(
        description=(
            "The newest deliveries of one endpoint with their attempts (admins only); first "
            "is at most the page size maximum."
        )
    )
    async def webhook_deliveries(
        self,
        info: Info,
        endpoint_id: int,
        status: DeliveryStatus | None = None,
        first: int = 20,
    ) -> list[WebhookDelivery]:
        ctx = info.context
        require(ctx.viewer, Action.WEBHOOKS_MANAGE)
        most = ctx.settings.max_page_size
        if not 1 <= first <= most:
            raise BadUserInput(f"first must be between 1 and {most}", argument="first")
        try:
            rows = await endpoints.deliveries(endpoint_id, first, status)
        except Refused as refused:
            raise BadUserInput(str(refused), code="NOT_FOUND", argument="endpointId") from None
        return [WebhookDelivery.from_model(row) for row in rows]
