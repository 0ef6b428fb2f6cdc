"""The error type every mutation payload lists (Saleor-style typed errors)."""

import strawberry


@strawberry.type(
    description=(
        "Why a mutation did not do what was asked; the payload's other fields are then null."
    )
)
class MutationError:
    field: str | None = strawberry.field(
        description="The argument at fault (e.g. `email`), or null when it is the whole request."
    )
    code: str = strawberry.field(description="Stable, for programs: e.g. INVALID_CREDENTIALS.")
    message: str = strawberry.field(description="For people: what was wrong.")
