"""Draft preview links: make one for an article, revoke an article's links (see
docs/previews.md and :mod:`gqlnews.previews`).

Authors may do both for the articles they created, whatever their status; editors and admins
for any article (the ``article.preview`` grant). As with the other article mutations, an
anonymous caller is refused before any look-up, and an article the caller may not see answers
like an unknown id (NOT_FOUND).
"""

from datetime import datetime
from urllib.parse import quote

import strawberry

from gqlnews import previews
from gqlnews.errors import BadUserInput
from gqlnews.graphql.context import Info
from gqlnews.graphql.mutations.inputs import attempt
from gqlnews.graphql.types.article import Article
from gqlnews.graphql.types.errors import MutationError
from gqlnews.ids import decode_id_of, encode_id
from gqlnews.models import Article as ArticleModel
from gqlnews.newsroom.problems import Code, refuse
from gqlnews.permissions import Action, require, require_signed_in
from gqlnews.settings import Settings


@strawberry.type(
    description=(
        "A draft preview link: whoever holds its token reads this one article, in its current "
        "state, through the `article` query with the HTTP header `Gqlnews-Preview-Token`."
    )
)
class PreviewLink:
    token: str = strawberry.field(
        description="The secret to share; shown once (only its hash is stored)."
    )
    url: str | None = strawberry.field(
        description=(
            "The front end's preview page for this link (GQLNEWS_PREVIEW_URL_TEMPLATE); null "
            "when that setting is empty."
        )
    )
    expires_at: datetime = strawberry.field(description="When the token stops working.")
    article: Article = strawberry.field(description="The one article the token opens.")


@strawberry.type(description="The result of articleCreatePreviewLink: the link, or errors.")
class PreviewLinkPayload:
    preview_link: PreviewLink | None
    errors: list[MutationError]


@strawberry.type(description="The result of articleRevokePreviewLinks.")
class PreviewLinksRevokedPayload:
    revoked: int | None = strawberry.field(
        description="How many links stopped working (0 when none was live)."
    )
    errors: list[MutationError]


def preview_url(settings: Settings, token: str, article: ArticleModel) -> str | None:
    """The preview page of ``token`` from ``GQLNEWS_PREVIEW_URL_TEMPLATE`` (each value
    percent-encoded), or None when the template is empty."""
    template = settings.preview_url_template
    if not template:
        return None
    values = {"token": token, "id": encode_id("Article", article.pk), "slug": article.slug}
    return template.format(**{name: quote(value, safe="") for name, value in values.items()})


def _expires_in(settings: Settings, expires_in: int | None) -> int:
    """``expiresIn`` checked against GQLNEWS_PREVIEW_MAX_TTL_SECONDS (default when left out:
    GQLNEWS_PREVIEW_TTL_SECONDS)."""
    if expires_in is None:
        return settings.preview_ttl_seconds
    most = settings.preview_max_ttl_seconds
    if not 1 <= expires_in <= most:
        raise BadUserInput(f"expiresIn must be between 1 and {most} seconds", argument="expiresIn")
    return expires_in


async def _article(info: Info, article_id: strawberry.ID) -> ArticleModel:
    """The article the caller may see and make preview links of: NOT_FOUND when it is
    missing, in the trash or hidden from the caller; FORBIDDEN when it is another account's
    and the caller's role may act on its own articles only."""
    pk = decode_id_of("Article", article_id)
    article: ArticleModel | None = await info.context.loaders.visible().filter(id=pk).first()
    if article is None:
        raise refuse("id", Code.NOT_FOUND, "no such article")
    require(info.context.viewer, Action.ARTICLE_PREVIEW, owner_id=article.created_by_id)
    return article


@strawberry.type
class PreviewMutations:
    @strawberry.mutation(
        description=(
            "Make a draft preview link of one article (authors: their own; editors: any). "
            "expiresIn is in seconds (default GQLNEWS_PREVIEW_TTL_SECONDS, at most "
            "GQLNEWS_PREVIEW_MAX_TTL_SECONDS; outside: BAD_USER_INPUT)."
        )
    )
    async def article_create_preview_link(
        self, info: Info, id: strawberry.ID, expires_in: int | None = None
    ) -> PreviewLinkPayload:
        context = info.context
        require_signed_in(context.viewer, Action.ARTICLE_PREVIEW)
        seconds = _expires_in(context.settings, expires_in)

        async def work() -> PreviewLink:
            article = await _article(info, id)
            issued = await previews.issue(article.pk, context.viewer.user_id, context.now, seconds)
            return PreviewLink(
                token=issued.token,
                url=preview_url(context.settings, issued.token, article),
                expires_at=issued.link.expires_at,
                article=Article.from_model(article),
            )

        link, errors = await attempt(work)
        return PreviewLinkPayload(preview_link=link, errors=errors)

    @strawberry.mutation(
        description=(
            "Revoke every preview link of one article (authors: their own; editors: any): "
            "their tokens stop working at once."
        )
    )
    async def article_revoke_preview_links(
        self, info: Info, id: strawberry.ID
    ) -> PreviewLinksRevokedPayload:
        require_signed_in(info.context.viewer, Action.ARTICLE_PREVIEW)

        async def work() -> int:
            article = await _article(info, id)
            return await previews.revoke_all(article.pk, info.context.now)

        revoked, errors = await attempt(work)
        return PreviewLinksRevokedPayload(revoked=revoked, errors=errors)


__all__ = ["PreviewMutations"]
