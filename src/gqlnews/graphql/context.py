"""The typed per-request context: settings, viewer, the request's instant and its loaders.

``user`` and ``token_id`` are the signed-in account and the token its request carried (both
None for anonymous readers); ``viewer`` is what visibility and permissions look at.
``preview`` is set when the request carried a draft preview token (``Gqlnews-Preview-Token``):
what that token opens, which only the ``article`` root field looks at (see
:mod:`gqlnews.previews`). ``feed`` is the process's event feed (subscriptions read it), and
``connection_params`` the payload of a WebSocket's ``connection_init`` (see
:mod:`gqlnews.graphql.subscriptions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from gqlnews.graphql.loaders import Loaders
from gqlnews.live.feed import EventFeed
from gqlnews.models import User
from gqlnews.newsroom.publishing import Publisher
from gqlnews.plugins.registry import Strategies
from gqlnews.previews import Preview
from gqlnews.settings import Settings
from gqlnews.visibility import ANONYMOUS, Viewer


@dataclass(slots=True)
class Context:
    settings: Settings
    viewer: Viewer = ANONYMOUS
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    request: Request | WebSocket | None = None
    response: Response | WebSocket | None = None
    strategies: Strategies = field(default_factory=Strategies)
    publisher: Publisher = field(default_factory=Publisher)
    user: User | None = None
    token_id: int | None = None
    preview: Preview | None = None
    feed: EventFeed | None = None
    connection_params: dict[str, object] | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.viewer, self.now)


Info = strawberry.Info[Context, None]
