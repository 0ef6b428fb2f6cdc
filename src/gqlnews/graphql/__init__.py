"""The GraphQL layer: context, loaders, pagination, types, queries and the schema."""
