"""A word's written onset in Arabic script: a name that begins with a vowel writes it (issue #12).

Arabic and Persian leave short vowels unwritten inside a word, but never at its start: a word said with a
vowel first begins with alef (ا أ إ آ ٱ) or ain (ع), or a hamza's seat (ء ؤ ئ); و and ي may stand for a
Latin u/o or i/e too (ولد Ould, يوسف Iusuf). A word whose first letter is any other consonant is no
spelling of a Latin name that begins with a vowel: حمد (Hamad) is not أحمد (Ahmad), منا (Mina) is not أمين
(Amin), سيد (Sayyid) is not أسعد (As'ad). Its vowel-less reading ('hmd', 'mn', 'syd') meets those names
only because the consonant skeleton drops the vowel the Arabic would have written, so such a pair is
evidence of nothing: it counts as unmatched (similarity 0), the factor named in the explanation.

The Arabic word behind a reading token is what the query's marks say it stands for (`readings.reads_of`,
filled by `arabic_names.native_reads`); a token with no Arabic word behind it is left alone. The article
(ال) written on the word is not its onset when the reading token leaves it out ('hmd' of الحمد).
"""

from __future__ import annotations

from exportctl.engine.screening.readings import reads_of
from exportctl.engine.screening.score import Scored

VOWEL_ONSET = frozenset("اأإآٱعءؤئوىي")  # first letters an Arabic-script word said with a vowel may have
_ARTICLE = "ال"
_LATIN_VOWELS = frozenset("aeiou")
UNWRITTEN = "vowel onset not written"  # the factor's name in explanations


def _arabic(word: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in word)


def consonant_onset(word: str, token: str) -> bool:
    """Whether the Arabic-script `word` behind the reading `token` begins with a consonant that writes no
    vowel (not alef, ain, a hamza's seat, waw or ya); the article is skipped when the token leaves it out."""
    word = word.strip()
    if word.startswith(_ARTICLE) and len(word) > len(_ARTICLE) and not token.startswith("l"):
        word = word[len(_ARTICLE) :]
    return bool(word) and _arabic(word[0]) and word[0] not in VOWEL_ONSET


def unwritten_onset(scored: Scored, marks: frozenset[str]) -> Scored:
    """A reading token of an Arabic-script word that begins with a consonant (`consonant_onset`), paired
    below equality with a listed Latin word that begins with a vowel, counts as unmatched: the Arabic would
    have written that vowel. Joined tokens and single letters are left alone."""
    if scored.score <= 0.0:
        return scored
    lost = 0.0
    for p in scored.parts:
        if (
            not p.query
            or not p.listed
            or not 0.0 < p.sim < 1.0
            or "+" in p.query
            or len(p.query) < 2
            or p.query[0] in _LATIN_VOWELS
            or p.listed[0] not in _LATIN_VOWELS
        ):
            continue
        words = [w for w in reads_of(marks, p.query) if _arabic(w)]
        if words and all(consonant_onset(w, p.query) for w in words):
            lost += p.sim * p.weight
    num = sum(p.sim * p.weight for p in scored.parts if p.query and p.listed)
    if lost <= 0.0 or num <= 0.0:
        return scored
    factor = max(0.0, num - lost) / num
    return Scored(scored.score * factor, scored.parts, (*scored.factors, (UNWRITTEN, factor)))


__all__ = ["UNWRITTEN", "VOWEL_ONSET", "consonant_onset", "unwritten_onset"]
