"""Plain-text helpers: HTML to text, excerpts, direction, reading time, search words."""

import functools
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _whole_text_excerpt(text: str, max_length: int | None, ellipsis: str) -> str:
    """The excerpt of the text folded whole first (a folded text has no run of space for
    cut_excerpt to skip, so the start it folds is always long enough)."""
    return cut_excerpt(re.sub(r"\s+", " ", text).strip(), max_length, ellipsis)


@settings(max_examples=400, deadline=None)
@given(
    text=st.lists(
        st.one_of(
            st.text(alphabet=st.sampled_from("ab \n\t\u00a0é,.«"), max_size=40),
            st.integers(min_value=1, max_value=900).map(lambda n: " \n" * n),  # long runs
        ),
        max_size=30,
    ).map("".join),
    max_length=st.one_of(st.none(), st.integers(min_value=1, max_value=400)),
    ellipsis=st.sampled_from(["…", "...", ""]),
)
def test_a_long_text_is_cut_as_if_folded_whole(
    text: str, max_length: int | None, ellipsis: str
) -> None:
    assert cut_excerpt(text, max_length, ellipsis) == _whole_text_excerpt(
        text, max_length, ellipsis
    )


@pytest.mark.parametrize("max_length", [1, 2, 9, 10, 11, 160, 300])
def test_a_text_whose_start_is_mostly_space_is_cut_as_if_folded_whole(max_length: int) -> None:
    """Runs of space around the length of the start cut_excerpt folds first (4 × maxLength +
    64 characters): the folded start is then about maxLength long, the case to get right."""
    for before in range(max(0, max_length - 3), max_length + 3):
        for run in range(3 * max_length + 56, 3 * max_length + 72):
            text = "a" * before + " " * run + "b" * (max_length + 5)
            for ellipsis in ("…", ""):
                expected = _whole_text_excerpt(text, max_length, ellipsis)
                assert cut_excerpt(text, max_length, ellipsis) == expected


@functools.cache
def _every_space() -> str:
    """Every character either way takes for white space (a pass over all of Unicode, about
    a second: made when the test first draws, not when the module is collected)."""
    return "".join(
        chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(c)) or chr(c).isspace()
    )


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(
        alphabet=st.deferred(lambda: st.sampled_from(_every_space() + "ab é«")), max_size=400
    ),
    max_length=st.one_of(st.none(), st.integers(min_value=1, max_value=80)),
)
def test_folding_takes_every_unicode_space_as_the_pattern_does(
    text: str, max_length: int | None
) -> None:
    """The whole-text fold splits on white space (faster than the pattern ``\\s+``): the
    same characters, and so the same excerpt (whole, or from a start folded first), for every
    white space character there is."""
    assert cut_excerpt(text, None) == re.sub(r"\s+", " ", text).strip()
    assert (
        html_to_text(text.replace("<", "").replace("&", ""))
        == re.sub(r"\s+", " ", text.replace("<", "").replace("&", "")).strip()
    )
    assert cut_excerpt(text, max_length) == _whole_text_excerpt(text, max_length, "…")
