"""Article mutations: create, update, the workflow moves, embargo, trash, revisions.

Each returns an ``ArticlePayload``: the article as it now is, or ``errors`` naming the field
and the rule (nothing was then written). Not being signed in, or not being allowed, is a
GraphQL error with code UNAUTHENTICATED or FORBIDDEN (and nothing is written either).

No mutation tells a caller whether an article it may not see exists: an anonymous caller is
refused (UNAUTHENTICATED) before any id is looked up, and a signed-in one who may not see the
article (an author, another author's draft) gets the NOT_FOUND error of an unknown id, same
field, code and message; FORBIDDEN is only for an article the caller sees but may not change.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime

import pluggy
import strawberry

from gqlnews.graphql.context import Info
from gqlnews.graphql.mutations.article_inputs import (
    ArticleCreateInput,
    ArticleUpdateInput,
    article_fields,
)
from gqlnews.graphql.mutations.inputs import attempt
from gqlnews.graphql.types.article import Article
from gqlnews.graphql.types.errors import MutationError
from gqlnews.ids import decode_id_of
from gqlnews.models import Article as ArticleModel
from gqlnews.newsroom import articles
from gqlnews.newsroom.problems import Code, refuse
from gqlnews.newsroom.publishing import Why, go_public
from gqlnews.newsroom.workflow import Move
from gqlnews.permissions import Action, require, require_article_edit, require_signed_in

NO_SUCH_ARTICLE = "no such article"


@strawberry.type(description="The result of an article mutation: the article, or errors.")
class ArticlePayload:
    article: Article | None
    errors: list[MutationError]


async def _attempt(work: Callable[[], Awaitable[ArticleModel]]) -> ArticlePayload:
    article, errors = await attempt(work)
    return ArticlePayload(
        article=Article.from_model(article) if article is not None else None, errors=errors
    )


async def _live(info: Info, article_id: strawberry.ID, action: Action) -> ArticleModel:
    """The article a mutation acts on: UNAUTHENTICATED for an anonymous caller before any
    look-up; NOT_FOUND when it is missing, in the trash or one the caller may not see (one
    statement, the same for the three)."""
    require_signed_in(info.context.viewer, action)
    pk = decode_id_of("Article", article_id)
    article: ArticleModel | None = await info.context.loaders.visible().filter(id=pk).first()
    if article is None:
        raise refuse("id", Code.NOT_FOUND, NO_SUCH_ARTICLE)
    return article


def _user(info: Info) -> int | None:
    return info.context.viewer.user_id


@strawberry.type
class ArticleMutations:
    @strawberry.mutation(description="Create a draft (authors, editors, admins).")
    async def article_create(self, info: Info, input: ArticleCreateInput) -> ArticlePayload:
        require(info.context.viewer, Action.ARTICLE_CREATE)
        limit = info.context.settings.max_body_bytes
        fields = article_fields(input)
        # stored: search and the language filter read the column
        fields.setdefault("language", info.context.settings.site_language)
        return await _attempt(
            lambda: articles.create(fields, _user(info), limit, info.context.viewer)
        )

    @strawberry.mutation(
        description=(
            "Change an article. Send the version you read: if someone changed it since, "
            "nothing is written and the error is CONFLICT. Authors may change their own drafts."
        )
    )
    async def article_update(
        self, info: Info, id: strawberry.ID, version: int, input: ArticleUpdateInput
    ) -> ArticlePayload:
        async def work() -> ArticleModel:
            article = await _live(info, id, Action.ARTICLE_UPDATE)
            require_article_edit(info.context.viewer, article)
            limit = info.context.settings.max_body_bytes
            return await articles.update(
                article,
                version,
                article_fields(input),
                _user(info),
                limit,
                viewer=info.context.viewer,
                plugins=_plugins(info),
            )

        return await _attempt(work)

    @strawberry.mutation(description="Send a draft to review (its author, or an editor).")
    async def article_submit(self, info: Info, id: strawberry.ID, version: int) -> ArticlePayload:
        return await _move(info, id, version, Move.SUBMIT, Action.ARTICLE_SUBMIT)

    @strawberry.mutation(description="Send an article in review or unpublished back to draft.")
    async def article_return_to_draft(
        self, info: Info, id: strawberry.ID, version: int
    ) -> ArticlePayload:
        return await _move(info, id, version, Move.RETURN, Action.ARTICLE_PUBLISH)

    @strawberry.mutation(
        description=(
            "Publish now (editors): the before_publish checks of the plugins run first and "
            "their reasons come back as PUBLISH_REFUSED errors."
        )
    )
    async def article_publish(self, info: Info, id: strawberry.ID, version: int) -> ArticlePayload:
        require(info.context.viewer, Action.ARTICLE_PUBLISH)
        ctx = info.context

        async def work() -> ArticleModel:
            pk = decode_id_of("Article", id)
            outcome = await go_public(
                pk,
                Why.MANUAL,
                ctx.publisher,
                ctx.now,
                user_id=_user(info),
                expected_version=version,
            )
            assert outcome is not None  # a manual publish either happens or is refused
            return outcome.article

        return await _attempt(work)

    @strawberry.mutation(
        description="Publish automatically at `at` (in the future); the scheduler does it."
    )
    async def article_schedule(
        self, info: Info, id: strawberry.ID, version: int, at: datetime
    ) -> ArticlePayload:
        return await _move(info, id, version, Move.SCHEDULE, Action.ARTICLE_PUBLISH, at)

    @strawberry.mutation(description="Take a published or scheduled article down.")
    async def article_unpublish(
        self, info: Info, id: strawberry.ID, version: int
    ) -> ArticlePayload:
        return await _move(info, id, version, Move.UNPUBLISH, Action.ARTICLE_PUBLISH)

    @strawberry.mutation(
        description=(
            "Embargo: staff and partners see the article, the public only from `until` on "
            "(in the future); null lifts the embargo."
        )
    )
    async def article_set_embargo(
        self, info: Info, id: strawberry.ID, version: int, until: datetime | None = None
    ) -> ArticlePayload:
        require(info.context.viewer, Action.ARTICLE_PUBLISH)

        async def work() -> ArticleModel:
            article = await _live(info, id, Action.ARTICLE_PUBLISH)
            return await articles.set_embargo(
                article, version, until, _user(info), info.context.now, _plugins(info)
            )

        return await _attempt(work)

    @strawberry.mutation(
        description="Move an article to the trash (editors); articleRestore undoes it."
    )
    async def article_delete(self, info: Info, id: strawberry.ID, version: int) -> ArticlePayload:
        require(info.context.viewer, Action.ARTICLE_DELETE)

        async def work() -> ArticleModel:
            article = await _live(info, id, Action.ARTICLE_DELETE)
            return await articles.delete(
                article, version, _user(info), info.context.now, _plugins(info)
            )

        return await _attempt(work)

    @strawberry.mutation(description="Take an article out of the trash.")
    async def article_restore(self, info: Info, id: strawberry.ID) -> ArticlePayload:
        require(info.context.viewer, Action.ARTICLE_DELETE)
        pk = decode_id_of("Article", id)
        return await _attempt(lambda: articles.restore(pk, _user(info), _plugins(info)))

    @strawberry.mutation(
        description="Put back the content of an earlier revision; the restore is a new revision."
    )
    async def article_restore_revision(
        self, info: Info, id: strawberry.ID, version: int, revision: int
    ) -> ArticlePayload:
        async def work() -> ArticleModel:
            article = await _live(info, id, Action.ARTICLE_UPDATE)
            require_article_edit(info.context.viewer, article)
            return await articles.restore_revision(
                article, version, revision, _user(info), _plugins(info)
            )

        return await _attempt(work)


async def _move(
    info: Info,
    id: strawberry.ID,
    version: int,
    how: Move,
    action: Action,
    at: datetime | None = None,
) -> ArticlePayload:
    async def work() -> ArticleModel:
        article = await _live(info, id, action)
        require(info.context.viewer, action, owner_id=article.created_by_id)
        return await articles.move(
            article, version, how, _user(info), info.context.now, at, _plugins(info)
        )

    return await _attempt(work)


def _plugins(info: Info) -> pluggy.PluginManager | None:
    """Whose ``gqlnews_event`` hook hears of the write's event after its commit."""
    return info.context.publisher.plugins


__all__ = ["ArticleCreateInput", "ArticleMutations", "ArticlePayload", "ArticleUpdateInput"]
