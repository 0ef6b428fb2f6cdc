"""Migrations of the editorial app (``python -m tortoise makemigrations editorial``)."""
