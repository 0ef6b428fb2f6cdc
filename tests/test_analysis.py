"""The search analyser: normalisation, elisions, stemming by script, forced languages, and terms
that both databases' tokenizers keep whole."""

from __future__ import annotations

import pytest
from tortoise.context import TortoiseContext

from gqlnews.analysis import (
    Analysis,
    index_text,
    light10,
    normalise,
    parse_language,
    query_terms,
    script_of,
    terms,
)
from gqlnews.db import connection, connection_dialect


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Élève ÉCOLE Œuvre naïve", "eleve ecole oeuvre naive"),
        ("e\u0301te\u0301", "ete"),  # decomposed accents
        ("أحمد إسلام آمال ٱلله", "احمد اسلام امال الله"),  # alef forms
        ("مدرسة مستشفى", "مدرسه مستشفي"),  # taa marbuta, alef maqsura
        ("مُحَمَّدٌ", "محمد"),  # harakat
        ("الجفـــاف", "الجفاف"),  # tatweel
        ("سؤال قائد", "سؤال قائد"),  # hamza on waw and yeh kept
        ("٢٠٢٤ ۱۹", "2024 19"),  # Arabic-Indic digits
        ("l’OTAN", "l'otan"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_french_elisions_and_one_letter_words_are_dropped() -> None:
    assert terms("L'OTAN, d'Alger, qu'il, jusqu'à, lorsqu'on, puisqu'elle, s'est, c'est") == [
        "otan",
        "alger",
        "il",
        "on",
        "elle",
        "est",
        "est",
    ]
    assert terms("aujourd'hui à Rabat y") == ["aujourd", "hui", "rabat"]
    assert query_terms("d' l' ' ") == []


def test_french_words_share_their_stem_with_accents_or_none() -> None:
    for forms in (
        ("dialogue", "dialogues", "dialoguer", "dialogué", "dialoguaient"),
        ("élection", "elections", "ÉLECTIONS"),
        ("cheval", "chevaux"),
    ):
        assert len({stem for form in forms for stem in terms(form)}) == 1, forms


def test_arabic_prefixes_and_suffixes() -> None:
    assert light10("والحوار") == "حوار"
    assert light10("للحوار") == "حوار"
    assert light10("حوارات") == "حوار"
    assert light10("ولد") == "ولد"  # و is kept when fewer than three letters would remain
    for forms in (
        ("حوار", "الحوار", "والحوار", "بالحوار", "فالحوار", "كالحوار", "للحوار", "الحوارات"),
        ("ليبيا", "وليبيا"),
        ("المغرب", "بالمغرب", "والمغرب", "للمغرب"),
    ):
        assert len({stem for form in forms for stem in terms(form)}) == 1, forms


def test_each_word_is_analysed_by_its_script_unless_forced() -> None:
    assert script_of("حوار") is Analysis.ARABIC
    assert script_of("otan") is Analysis.FRENCH
    assert query_terms("dialogues الحوار") == ["dialogu", "حوار"]
    assert query_terms("dialogues الحوار", Analysis.ARABIC)[0] == "dialogues"
    assert query_terms("dialogues الحوار", Analysis.FRENCH)[1] != "حوار"


@pytest.mark.parametrize(
    ("tag", "analysis"),
    [
        ("fr", Analysis.FRENCH),
        ("FR-ma", Analysis.FRENCH),
        ("ar", Analysis.ARABIC),
        ("ar-Arab-MA", Analysis.ARABIC),
    ],
)
def test_language_tags(tag: str, analysis: Analysis) -> None:
    assert parse_language(tag) is analysis


@pytest.mark.parametrize("tag", ["", "en", "f", "fr_FR", "français", "ar--", "1234"])
def test_language_tags_refused(tag: str) -> None:
    with pytest.raises(ValueError, match="language"):
        parse_language(tag)


SAMPLES = [
    "L'OTAN et la Libye renouent le dialogue à Tripoli (2024).",
    "Saint-Étienne, e-mail: redaction@example.org, 3.5 % — www.example.org/a_b?x=1",
    "G5 Sahel, COVID-19, 1er mai, xxe siècle, 10h30, n°7, l’Alliance",
    "ليبيا وحلف شمال الأطلسي يستأنفان الحوار، ٢٠٢٤م، مُحَمَّد والـمغرب",
    "Œuvres complètes ; naïveté ; ﻻ ; ß ; Ǆ ; ﬁn ; ½ ; x²",
]


@pytest.mark.parametrize("text", SAMPLES)
async def test_both_databases_tokenize_analysed_text_into_its_terms(
    database: TortoiseContext, text: str
) -> None:
    """The premise of identical results: the database splits what the analyser wrote into
    exactly the analyser's terms (FTS5 unicode61 on SQLite, 'simple' on PostgreSQL)."""
    analysed = index_text(text)
    conn = connection()
    if connection_dialect(conn) == "postgres":
        rows = await conn.execute_query_dict(
            "SELECT unnest(tsvector_to_array(to_tsvector('simple', $1))) AS term", [analysed]
        )
    else:
        await conn.execute_script(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.probe USING fts5(t, "
            "tokenize='unicode61 remove_diacritics 0');"
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.probe_vocab USING fts5vocab(probe, 'row');"
            "DELETE FROM temp.probe;"
        )
        await conn.execute_query("INSERT INTO temp.probe(t) VALUES (?)", [analysed])
        rows = await conn.execute_query_dict("SELECT term FROM temp.probe_vocab")
    assert {row["term"] for row in rows} == set(terms(text))
