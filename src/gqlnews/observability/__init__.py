"""Logs, metrics and per-request bookkeeping (request id, SQL query count)."""
