"""Search in French and Arabic: tables of queries and the articles each must find, the same on
SQLite and PostgreSQL (the suite runs on both; the expected sets are written out, not
compared between databases)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from tortoise.context import TortoiseContext

from gqlnews.models import Section
from tests.factories import articles_removed_after, make_article, make_section
from tests.helpers import gql, gql_data

SEARCH = """query($q: String!, $language: String, $filter: ArticleFilter) {
  search(query: $q, first: 100, language: $language, filter: $filter) {
    edges { node { slug } }
  }
}"""

CORPUS = {
    "fr-dialogue": {
        "title": "Le dialogue reprend entre Rabat et Tripoli",
        "body_html": "<p>Les négociateurs ont dialogué trois jours durant.</p>",
    },
    "fr-otan": {
        "title": "L'OTAN renforce sa présence en Méditerranée",
        "body_html": "<p>L’Alliance atlantique envoie des navires.</p>",
    },
    "fr-elections": {
        "title": "Élections municipales : les électeurs aux urnes",
        "excerpt": "Le scrutin s'est déroulé dans le calme.",
        "body_html": "<p>Les bureaux de vote ont fermé à 19 heures.</p>",
    },
    "fr-ecole": {
        "title": "L'école publique manque d'enseignants",
        "body_html": "<p>Les écoles rurales attendent leurs enseignantes depuis la rentrée.</p>",
    },
    "fr-pluie": {
        "title": "Route coupée par les pluies",
        "body_html": "<p>Jusqu'à présent, lorsqu'il pleut, la route du col est coupée.</p>",
    },
    "fr-chevaux": {
        "title": "Les chevaux de la garde royale",
        "body_html": "<p>Chaque cheval est soigné par deux palefreniers, disent les journaux.</p>",
    },
    "fr-mixte": {
        "title": "Le mot « الحوار » dans la presse marocaine",
        "body_html": "<p>Un journal consacre sa une au dialogue national.</p>",
    },
}

FRENCH = [
    # plural and singular
    ("dialogues", {"fr-dialogue", "fr-mixte"}),
    ("dialogue", {"fr-dialogue", "fr-mixte"}),
    ("écoles", {"fr-ecole"}),
    ("école", {"fr-ecole"}),
    ("chevaux", {"fr-chevaux"}),
    ("cheval", {"fr-chevaux"}),
    ("journal", {"fr-chevaux", "fr-mixte"}),
    ("journaux", {"fr-chevaux", "fr-mixte"}),
    ("enseignante", {"fr-ecole"}),
    # verb forms
    ("dialoguer", {"fr-dialogue", "fr-mixte"}),
    ("dialoguaient", {"fr-dialogue", "fr-mixte"}),
    ("renforcer", {"fr-otan"}),
    ("renforçaient", {"fr-otan"}),
    ("soigner", {"fr-chevaux"}),
    ("soignaient", {"fr-chevaux"}),
    # elisions, straight and typographic apostrophes
    ("l'OTAN", {"fr-otan"}),
    ("l’otan", {"fr-otan"}),
    ("d'enseignants", {"fr-ecole"}),
    ("l'alliance", {"fr-otan"}),
    ("jusqu'à présent", {"fr-pluie"}),
    ("lorsqu'il pleut", {"fr-pluie"}),
    ("qu'il pleut", {"fr-pluie"}),
    # accents or none, any case
    ("election", {"fr-elections"}),
    ("ÉLECTIONS municipales", {"fr-elections"}),
    ("electeur", {"fr-elections"}),
    ("mediterranee", {"fr-otan"}),
    ("negociateur", {"fr-dialogue"}),
    ("presence", {"fr-otan"}),
    # every word must match
    ("dialogue otan", set()),
    ("scrutin calme", {"fr-elections"}),
    # a word of another script in the same query: each analysed by its own
    ("dialogue حوار", {"fr-mixte"}),
]

ARABIC = [
    # the definite article and attached prefixes
    ("حوار", {"ar-1-libye-otan"}),
    ("الحوار", {"ar-1-libye-otan"}),
    ("والحوار", {"ar-1-libye-otan"}),
    ("بالحوار", {"ar-1-libye-otan"}),
    ("ليبيا", {"ar-1-libye-otan"}),
    ("وليبيا", {"ar-1-libye-otan"}),
    ("تضخم", {"ar-2-bank-al-maghrib"}),
    ("مهرجان", {"ar-4-festival-marrakech"}),
    # alef forms: الأطلسي (ar-1) and الأطلس (ar-4) written without hamza
    ("الاطلسي", {"ar-1-libye-otan", "ar-4-festival-marrakech"}),
    ("إطلس", {"ar-1-libye-otan", "ar-4-festival-marrakech"}),
    # harakat and tatweel are ignored
    ("الجَفَاف", {"ar-3-secheresse"}),
    ("الجفـــاف", {"ar-3-secheresse"}),
    # taa marbuta and alef maqsura
    ("المائه", {"ar-2-bank-al-maghrib", "ar-3-secheresse"}),
    ("ملحوظه", {"ar-2-bank-al-maghrib"}),
    ("مستوى", {"ar-3-secheresse"}),
    # suffixes (plural)
    ("الحوارات", {"ar-1-libye-otan"}),
    # every word must match
    ("ليبيا تضخم", set()),
    ("تضخم سعر الفائدة", {"ar-2-bank-al-maghrib"}),
]


@pytest_asyncio.fixture(scope="module")
async def section(database: TortoiseContext) -> AsyncIterator[Section]:
    """The section holding this module's French articles, removed after the module."""
    async with articles_removed_after():
        made = await make_section()
        for slug, fields in CORPUS.items():
            await make_article(section=made, slug=f"{slug}-{made.slug}", **fields)
        yield made


async def _found(client: httpx.AsyncClient, query: str, **variables: Any) -> list[str]:
    data = await gql_data(client, SEARCH, {"q": query, **variables})
    return [edge["node"]["slug"] for edge in data["search"]["edges"]]


@pytest.mark.parametrize(("query", "expected"), FRENCH)
async def test_french_queries(
    client: httpx.AsyncClient, section: Section, query: str, expected: set[str]
) -> None:
    found = await _found(client, query, filter={"sections": [section.slug]})
    assert {slug.removesuffix(f"-{section.slug}") for slug in found} == expected


@pytest.mark.parametrize(("query", "expected"), ARABIC)
async def test_arabic_queries_on_the_demo(
    client: httpx.AsyncClient, query: str, expected: set[str]
) -> None:
    found = await _found(client, query)
    assert {slug for slug in found if slug.startswith("ar-")} == expected


async def test_forcing_a_language_changes_the_analysis(
    client: httpx.AsyncClient, section: Section
) -> None:
    only = {"filter": {"sections": [section.slug]}}
    # French stemming finds the plural's stem; forced to Arabic, "dialogues" is kept whole.
    assert len(await _found(client, "dialogues", language="fr", **only)) == 2
    assert await _found(client, "dialogues", language="ar-MA", **only) == []
    # Arabic light stemming drops the article; forced to French, "الحوار" is kept whole (and
    # still finds the demo's title, which the index holds as the stem حوار: it does not).
    assert "ar-1-libye-otan" in await _found(client, "الحوار", language="ar")
    assert "ar-1-libye-otan" not in await _found(client, "الحوار", language="fr")


@pytest.mark.parametrize("language", ["en", "xx-YY", "french", "", "fr_FR", "1a"])
async def test_a_language_without_analysis_is_refused(
    client: httpx.AsyncClient, language: str
) -> None:
    body = await gql(client, SEARCH, {"q": "otan", "language": language})
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith(f"language {language.split('-')[0].lower()!r}") or (
        "is not a BCP-47 language tag" in error["message"]
    )
