"""Slugs from French and Arabic titles."""

from __future__ import annotations

import pytest

from gqlnews.slugs import MAX_LENGTH, is_slug, slugify, with_suffix


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("La Libye et l'OTAN renouent le dialogue", "la-libye-et-l-otan-renouent-le-dialogue"),
        ("L’Union européenne : « Été 2024 » !", "l-union-europeenne-ete-2024"),
        ("Œuvres complètes, Ægée & Straße", "oeuvres-completes-aegee-strasse"),
        ("ليبيا والناتو يستأنفان الحوار", "ليبيا-والناتو-يستأنفان-الحوار"),
        ("مُحَمَّد ـــ السادس", "محمد-السادس"),  # harakat and tatweel removed
        ("Rabat — 3e édition du Salon_du_livre", "rabat-3e-edition-du-salon-du-livre"),
        ("!!! ???", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert slug == "" or is_slug(slug)


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    slug = slugify("Le Conseil de sécurité des Nations unies " * 5)
    assert len(slug) <= MAX_LENGTH and not slug.endswith("-")
    assert slugify("x" * 200) == "x" * MAX_LENGTH


def test_suffixes_keep_the_length() -> None:
    base = slugify("mot " * 40)
    assert with_suffix(base, 12).endswith("-12")
    assert len(with_suffix(base, 12)) <= MAX_LENGTH
    assert with_suffix("libye", 2) == "libye-2"


@pytest.mark.parametrize(
    "value", ["Libye", "libye--otan", "-libye", "libye otan", "libye_otan", ""]
)
def test_malformed_slugs_are_recognised(value: str) -> None:
    assert not is_slug(value)
