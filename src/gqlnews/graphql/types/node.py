"""The Relay ``Node`` interface."""

import strawberry


@strawberry.interface(description="An object with a stable, opaque global ID.")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global ID; use it with `node(id:)`.")
