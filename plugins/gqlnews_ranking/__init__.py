"""gqlnews's built-in ranking plugin: view counting, ``recordView`` and the most-read, gravity
and trending strategies, written against the public plugin API only (see README.md)."""

__version__ = "0.1.0"
