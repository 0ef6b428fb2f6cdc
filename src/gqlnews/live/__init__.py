"""Live updates: each server process's feed of committed outbox events, which GraphQL
subscriptions read (see docs/subscriptions.md)."""
