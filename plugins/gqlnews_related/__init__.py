"""gqlnews's built-in related-article strategies, written against the public plugin API only."""

__version__ = "0.1.0"
