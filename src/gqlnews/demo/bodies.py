"""Article bodies as HTML, composed from a story's facts and quotes and the sentence pools."""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from random import Random

from gqlnews.demo import prose
from gqlnews.demo.dates import weekday
from gqlnews.demo.specs import Story
from gqlnews.models import Genre
from gqlnews.text import count_words

MAX_WORDS = 700


@dataclass(frozen=True, slots=True)
class _Style:
    """How a genre reads: its first and last sentences, its pools, its furniture."""

    words: tuple[int, int]
    pools: tuple[tuple[str, ...], ...]
    openers: tuple[str, ...] = ()
    """One of these starts the body; without any, two of the story's facts do."""
    closers: tuple[str, ...] = ()
    quote: bool = False
    intertitles: bool = False


_STYLES: dict[Genre, _Style] = {
    Genre.BRIEF: _Style((155, 200), (prose.NEWS,)),
    Genre.NEWS: _Style((280, 430), (prose.NEWS,), closers=prose.NEWS_CLOSERS, quote=True),
    Genre.REPORT: _Style(
        (430, 600),
        (prose.REPORT, prose.NEWS),
        prose.REPORT_OPENERS,
        prose.NEWS_CLOSERS,
        quote=True,
        intertitles=True,
    ),
    Genre.INVESTIGATION: _Style(
        (480, 650),
        (prose.REPORT, prose.ANALYSIS, prose.NEWS),
        prose.REPORT_OPENERS,
        prose.ANALYSIS_CLOSERS,
        quote=True,
        intertitles=True,
    ),
    Genre.ANALYSIS: _Style(
        (420, 580),
        (prose.ANALYSIS, prose.NEWS),
        prose.ANALYSIS_OPENERS,
        prose.ANALYSIS_CLOSERS,
        quote=True,
        intertitles=True,
    ),
    Genre.PORTRAIT: _Style(
        (380, 520),
        (prose.PORTRAIT, prose.NEWS),
        prose.PORTRAIT_OPENERS,
        prose.PORTRAIT_CLOSERS,
        quote=True,
        intertitles=True,
    ),
    Genre.OPINION: _Style(
        (300, 420),
        (prose.OPINION, prose.COMMENT),
        prose.OPINION_OPENERS,
        prose.OPINION_CLOSERS,
    ),
    Genre.CHRONICLE: _Style(
        (260, 380),
        (prose.CHRONICLE, prose.OPINION),
        prose.CHRONICLE_OPENERS,
        prose.CHRONICLE_CLOSERS,
    ),
    Genre.EDITORIAL: _Style(
        (300, 420),
        (prose.EDITORIAL, prose.COMMENT),
        prose.EDITORIAL_OPENERS,
        prose.EDITORIAL_CLOSERS,
    ),
}
_INTERVIEW_WORDS = (360, 520)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def vocabulary(story: Story, day: date) -> dict[str, str]:
    """The placeholder values of :mod:`gqlnews.demo.prose` for ``story`` on ``day``."""
    return {
        "subject": story.subject,
        "Subject": _capitalised(story.subject),
        "actor": story.actor,
        "Actor": _capitalised(story.actor),
        "stake": story.stake,
        "Stake": _capitalised(story.stake),
        "place": story.place,
        "figure": story.figure,
        "figure_desc": story.figure_desc,
        "jour": weekday(day),
    }


def _p(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>"


def _block(text: str) -> str:
    if text.startswith("## "):
        return f"<h2>{html.escape(text[3:], quote=False)}</h2>"
    if text.startswith("> "):
        return f"<blockquote>{_p(text[2:])}</blockquote>"
    return _p(text)


def paragraphs_html(paragraphs: tuple[str, ...]) -> str:
    """Hand-written plain-text blocks as HTML: ``## `` starts an intertitle, ``> `` a quote."""
    return "\n".join(_block(text) for text in paragraphs)


def _quote_html(story: Story, rng: Random) -> tuple[str, int]:
    quote = rng.choice(story.quotes)
    said = quote.text.removesuffix(".")
    text = f"« {said} », {rng.choice(prose.QUOTE_VERBS)} {quote.who}."
    return f"<blockquote>{_p(text)}</blockquote>", count_words(text)


def _stream(style: _Style, story: Story, words: Mapping[str, str], rng: Random) -> Iterator[str]:
    """Sentences in reading order: an opening, then the pools and the facts interleaved."""
    pools = [list(pool) for pool in style.pools]
    facts = list(story.facts)
    for pool in (*pools, facts):
        rng.shuffle(pool)
    lead = [rng.choice(style.openers), facts.pop()] if style.openers else [facts.pop(), facts.pop()]
    queues = [pools[0], facts, *pools[1:]]
    for sentence in lead:
        yield sentence.format_map(words)
    while any(queues):
        for queue in queues:
            if queue:
                yield queue.pop().format_map(words)


def _sentences_html(sentences: list[str]) -> str:
    return _p(" ".join(sentences))


def compose_body(genre: Genre, story: Story, words: Mapping[str, str], rng: Random) -> str:
    """A body of several paragraphs for ``genre``, sized between 150 and 700 words."""
    if genre is Genre.INTERVIEW:
        return _interview(story, words, rng)
    style = _STYLES[genre]
    target = rng.randint(*style.words)
    blocks: list[str | list[str]] = []
    """Paragraphs as lists of sentences; quotes and intertitles as finished HTML."""
    paragraph: list[str] = []
    size, total, done = rng.choice((2, 3, 3)), 0, 0
    for sentence in _stream(style, story, words, rng):
        paragraph.append(sentence)
        total += count_words(sentence)
        if len(paragraph) < size and total < target:
            continue
        blocks.append(paragraph)
        paragraph, size, done = [], rng.choice((2, 3, 3, 4)), done + 1
        if total >= target:
            break
        if done == 2 and style.quote:
            quote, count = _quote_html(story, rng)
            blocks.append(quote)
            total += count
        if done in (2, 4) and style.intertitles:
            title = rng.choice(prose.INTERTITLES)
            blocks.append(f"<h2>{html.escape(title, quote=False)}</h2>")
            total += count_words(title)
    if paragraph:
        blocks.append(paragraph)
    last = blocks[-1]
    if isinstance(last, list):
        if len(last) == 1 and len(blocks) > 1 and isinstance(blocks[-2], list):
            blocks.pop()
            blocks[-1] = [*blocks[-1], *last]
        if style.closers:
            closing = rng.choice(style.closers).format_map(words)
            if total + count_words(closing) <= MAX_WORDS:
                blocks[-1] = [*blocks[-1], closing]
    return "\n".join(b if isinstance(b, str) else _sentences_html(b) for b in blocks)


def _interview(story: Story, words: Mapping[str, str], rng: Random) -> str:
    """An introduction, then questions in bold and answers in the interviewee's voice."""
    target = rng.randint(*_INTERVIEW_WORDS)
    facts = rng.sample(story.facts, len(story.facts))
    intro = " ".join([rng.choice(prose.INTERVIEW_INTROS).format_map(words), *facts[:2]])
    blocks = [_p(intro)]
    total = count_words(intro)
    answers = [quote.text for quote in story.quotes]
    answers += rng.sample([*prose.ANSWERS, *facts[2:]], len(prose.ANSWERS) + len(facts) - 2)
    for question in rng.sample(prose.QUESTIONS, len(prose.QUESTIONS)):
        if total >= target or len(answers) < 3:
            break
        asked = question.format_map(words)
        reply = " ".join(answers.pop(0).format_map(words) for _ in range(rng.choice((2, 3))))
        blocks.append(f"<p><strong>{html.escape(asked, quote=False)}</strong></p>")
        blocks.append(_p(reply))
        total += count_words(asked) + count_words(reply)
    return "\n".join(blocks)
