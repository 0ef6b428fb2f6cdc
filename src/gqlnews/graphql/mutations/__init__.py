"""Root mutation fields, one module per domain; ``schema.Mutation`` combines them."""
