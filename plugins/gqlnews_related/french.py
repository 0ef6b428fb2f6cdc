"""Turning French text into index terms: elisions, accents, stop words and plurals.

``terms("L'Otan et l'Union européenne")`` gives ``["otan", "union", "europeenne"]``:

- words are lower-cased and split on anything that is not a letter or a digit;
- an elided article or pronoun (l', d', j', qu', jusqu'…) is dropped with its apostrophe,
  whichever apostrophe the text uses (' or ’);
- accents are folded (é → e), so "Libye" and "LIBYE", "élection" and "election" meet;
- stop words (articles, pronouns, auxiliaries, common adverbs) and one-letter words go;
- a light stemmer strips the plural -s and -x of longer words ("sanctions" → "sanction").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ELISIONS = ("l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu")

STOP_WORDS = frozenset(
    """
    a ai aie aient aies ait alors as au aucun aucune aupres auquel aura aurai auraient aurais
    aurait auras aurez auriez aurions aurons auront aussi autre autres aux auxquelles auxquels
    avaient avais avait avant avec avez aviez avions avoir avons ayant ayez ayons bien c ca car
    ce ceci cela celle celles celui cependant certain certaine certaines certains ces cet cette
    ceux chacun chaque chez ci comme comment contre d dans de depuis des desquelles desquels
    donc dont du duquel elle elles en encore entre es est et etaient etais etait etant ete etes
    etiez etions etre eu eue eues eumes eurent eus eut eux fait faire fois font fut furent hors
    ici il ils j je jusqu l la laquelle le lequel les lesquelles lesquels leur leurs lors
    lorsque lui m ma mais me meme memes mes moi moins mon n ne ni non nos notre nous on ont or
    ou par parce pas peu peut plus plusieurs pour pourquoi puis qu quand que quel quelle
    quelles quels qui quoi s sa sans se selon ses si sien sienne soi soit sommes son sont sous
    suis sur t ta tandis te tel telle telles tels tes toi ton tous tout toute toutes tres tu un
    une unes uns vers via voici voila vos votre vous y deja ainsi apres afin dit
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def fold(word: str) -> str:
    """Lower-case and strip accents: "Élysée" → "elysee"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(word: str) -> str:
    if len(word) > 4 and word[-1] in "sx" and word[-2] not in "su":
        return word[:-1]
    return word


def _strip_elision(word: str) -> str:
    head, apostrophe, tail = word.replace("’", "'").partition("'")
    if apostrophe and head in _ELISIONS:
        return tail
    return word


def terms(text: str) -> Iterator[str]:
    """The index terms of ``text``, in order (a term may repeat)."""
    for match in _WORD.finditer(text):
        word = fold(_strip_elision(match.group()))
        for part in word.split("'"):
            if len(part) > 1 and part not in STOP_WORDS and not part.isdigit():
                yield _stem(part)
