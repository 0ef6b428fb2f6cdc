"""gqlnews's built-in editorial plugin: the edito of the day, the editors' picks and named
front-page slots, with publish checks; written against the public plugin API only."""

__version__ = "0.1.0"
