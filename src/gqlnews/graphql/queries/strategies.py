"""Root fields listing the strategies the installed plugins offer."""

import strawberry

from gqlnews.graphql.context import Info


@strawberry.type(description="A strategy offered by a plugin.")
class Strategy:
    name: str
    description: str
    plugin: str = strawberry.field(description="The plugin that offers it.")


@strawberry.type
class StrategyQueries:
    @strawberry.field(description="Related-article strategies, for `Article.related(strategy:)`.")
    def related_strategies(self, info: Info) -> list[Strategy]:
        return [
            Strategy(name=name, description=o.strategy.description, plugin=o.plugin)
            for name, o in info.context.strategies.related.items()
        ]

    @strawberry.field(description="Ranking strategies (most read, trending…).")
    def ranking_strategies(self, info: Info) -> list[Strategy]:
        return [
            Strategy(name=name, description=o.strategy.description, plugin=o.plugin)
            for name, o in info.context.strategies.ranking.items()
        ]
