"""Plain-text helpers: HTML to text, excerpts, direction, reading time, search words."""

import pytest

from gqlnews.text import (
    count_words,
    cut_excerpt,
    html_to_text,
    reading_time_minutes,
    text_direction,
)


def test_html_to_text_drops_tags_scripts_and_folds_space() -> None:
    html = "<h2>Titre</h2><p>La <b>Libye</b>&nbsp;et l&#39;OTAN.</p><script>alert(1)</script>"
    assert html_to_text(html) == "Titre La Libye et l'OTAN."


def test_paragraphs_do_not_glue_words() -> None:
    assert html_to_text("<p>fin</p><p>début</p>") == "fin début"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("La Libye et l'OTAN renouent le dialogue", 20, "La Libye et l'OTAN…"),
        ("Court", 20, "Court"),
        ("Anticonstitutionnellement", 10, "Anticonst…"),
        ("Un mot, puis un autre", 9, "Un mot…"),
    ],
)
def test_cut_excerpt_at_word_boundary(text: str, limit: int, expected: str) -> None:
    result = cut_excerpt(text, limit)
    assert result == expected
    assert len(result) <= limit


def test_cut_excerpt_custom_ellipsis_counts() -> None:
    assert cut_excerpt("un deux trois quatre", 12, " [...]") == "un [...]"


def test_direction_of_arabic_is_rtl() -> None:
    assert text_direction("ar") == "RTL"
    assert text_direction("ar-MA") == "RTL"
    assert text_direction("fr") == "LTR"


def test_reading_time_is_at_least_one_minute() -> None:
    assert reading_time_minutes(0) == 1
    assert reading_time_minutes(230 * 4) == 4
    assert count_words("La Libye et l'OTAN,  à Rabat") == 6
