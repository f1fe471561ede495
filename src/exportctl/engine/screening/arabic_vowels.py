"""The vowels Arabic script writes, which a Latin spelling of the same name should have (issue #12).

Arabic and Persian leave short vowels unwritten, but two vowels are always written, and a vowel-less
reading (the consonant skeleton `similarity.skeleton_key` compares) loses both:

- the onset (`unwritten_onset`): a word never begins with an unwritten vowel;
- a long a (`unwritten_long_a`): alef inside or at the end of a word is a long a, which every Latin
  spelling of the name writes as a, or as e where the dialect says it so (imala: بلال Bilel, وسام Wissem):
  يامن Yamen is not Youmin.

The onset: a word said with a vowel first begins with alef (ا أ إ آ ٱ) or ain (ع),
or a hamza's seat (ء ؤ ئ); و and ي may stand for a Latin u/o or i/e too (ولد Ould,
يوسف Iusuf). A word whose first letter is any other consonant is no spelling of a Latin
name that begins with a vowel: حمد (Hamad) is not أحمد (Ahmad), منا (Mina) is not أمين
(Amin), سيد (Sayyid) is not أسعد (As'ad). Its vowel-less reading ('hmd', 'mn', 'syd')
meets those names only because the consonant skeleton drops the vowel the Arabic would
have written, so such a pair is weak evidence: the hit takes VOWEL_FACTOR per such word, named in the
explanation and in the hit's evidence (an item of kind `name`). It is never unmatched: a real Latin
spelling now and then breaks the rule (a transcriber's slip, a name said otherwise), and a missed listed
name is worse than a false alert a reviewer clears.

The reverse holds as well: a word that begins with alef, ain or hamza is no spelling of a Latin name
that begins with a consonant (عقيلي 'qyly' Aqili is not Kayali).

A word with alef past its first letter (the article ال aside) against a Latin word with neither a nor e
is the same: the hit takes VOWEL_FACTOR.

A written final ی makes another name of a name word: Mohammadi (محمدی) is a family name, not Muhammad;
`weak.nisba_pairs` caps such a pair, and in a short name it takes the substitution factor (`nisba_name`).

The Arabic word behind a reading token is what the query's marks say it stands for (`readings.reads_of`,
filled by `native.native_reads`), else the word a word-for-word form reads at its place
(`readings.written_of`: Persian BGN's 'sn' of ثنا); a token with no Arabic word behind it is left alone. The
article (ال) written on the word is not its onset when the reading token leaves it out ('hmd' of الحمد), and a
word with the article is never refused a Latin word that begins with a vowel: the Latin may write the
article joined (الخضر Elkhedr, السنجاري Alsangary).
"""

from __future__ import annotations

from collections.abc import Callable

from exportctl.engine.screening.readings import reads_of, written_of
from exportctl.engine.screening.score import SUBSTITUTION, Scored

VOWEL_ONSET = frozenset("اأإآٱعءؤئوىي")  # first letters an Arabic-script word said with a vowel may have
_ARTICLE = "ال"
_LATIN_VOWELS = frozenset("aeiou")
UNWRITTEN = "vowel onset not written"  # the factor's name in explanations
VOWEL_FACTOR = (
    0.85  # each word read against a Latin word whose vowels its script would have written otherwise
)


def _arabic(word: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in word)


def _without_article(word: str, token: str) -> str:
    if word.startswith(_ARTICLE) and len(word) > len(_ARTICLE) and not token.startswith("l"):
        return word[len(_ARTICLE) :]
    return word


def consonant_onset(word: str, token: str) -> bool:
    """Whether the Arabic-script `word` behind the reading `token` begins with a consonant that writes no
    vowel (not alef, ain, a hamza's seat, waw or ya); the article is skipped when the token leaves it out."""
    word = _without_article(word.strip(), token)
    return bool(word) and _arabic(word[0]) and word[0] not in VOWEL_ONSET


def unwritten_onset(scored: Scored, marks: frozenset[str]) -> Scored:
    """A reading token (beginning with a consonant) of an Arabic-script word, paired below equality with a
    listed Latin word, takes VOWEL_FACTOR when the word begins with a consonant (`consonant_onset`) and the
    Latin word with a vowel (the Arabic would have written that vowel), or the word begins with a written
    vowel (`written_onset`) and the Latin word with a consonant (the Latin would have written it). Joined
    tokens and single letters are left alone."""
    return _unmatched(scored, marks, UNWRITTEN, _vowel_onset)


LONG_A = frozenset("اآ")  # alef (and alef madda) past a word's first letter: a long a
NO_LONG_A = "long a not written"  # the factor's name in explanations
_A_SPELLINGS = frozenset("aâàáäāeéèê")  # a, or e where the dialect says the long a so (imala)


def long_a(word: str) -> bool:
    """Whether the Arabic-script `word` writes a long a: alef past its first letter, the article ال at
    its start left out."""
    word = word.strip()
    if word.startswith(_ARTICLE):
        word = word[len(_ARTICLE) :]
    return _arabic(word) and any(ch in LONG_A for ch in word[1:])


def unwritten_long_a(scored: Scored, marks: frozenset[str]) -> Scored:
    """A reading token of an Arabic-script word that writes a long a (`long_a`), paired below equality
    with a listed Latin word that has no a, takes VOWEL_FACTOR: no Latin spelling of the name leaves the
    long a out. Joined tokens are left alone."""
    return _unmatched(scored, marks, NO_LONG_A, _no_long_a)


def _no_long_a(token: str, listed: str, words: list[str]) -> bool:
    return _A_SPELLINGS.isdisjoint(listed) and all(long_a(w) for w in words)


def _vowel_onset(token: str, listed: str, words: list[str]) -> bool:
    if token[0] in _LATIN_VOWELS:
        return False
    if listed[0] in _LATIN_VOWELS:
        # a word with the article may meet a Latin word that writes it joined (الخضر Elkhedr): its vowel
        return all(consonant_onset(w, token) and not w.strip().startswith(_ARTICLE) for w in words)
    return all(written_onset(w, token) for w in words)


WRITTEN_ONSET = frozenset("اأإآٱعء")  # first letters that write a vowel onset (alef, ain, hamza)


def written_onset(word: str, token: str) -> bool:
    """Whether the Arabic-script `word` behind the reading `token` begins with alef, ain or hamza: a vowel
    (or ain and its vowel) every Latin spelling writes first (عقيلي Aqili is no Kayali, الاسدي al-Asadi no
    Saidi); the article is skipped when the token leaves it out, and is no onset when the token holds it."""
    word = word.strip()
    if word.startswith(_ARTICLE) and token.startswith("l"):
        return False  # the article's alef, which a Latin spelling writes apart or leaves out (El Saadawi)
    word = _without_article(word, token)
    return len(word) > 1 and word[0] in WRITTEN_ONSET


def _unmatched(
    scored: Scored, marks: frozenset[str], name: str, test: Callable[[str, str, list[str]], bool]
) -> Scored:
    """`scored` times VOWEL_FACTOR for each pair of a reading token of Arabic-script words that `test`
    refuses (the factor `name` in the explanation): weaker evidence, never an unmatched name (a missed listed
    name is worse than a false alert a reviewer clears)."""
    if scored.score <= 0.0:
        return scored
    refused = 0
    for p in scored.parts:
        if not p.query or not p.listed or not 0.0 < p.sim < 1.0 or "+" in p.query or len(p.query) < 2:
            continue
        words = [w for w in reads_of(marks, p.query) or (written_of(marks, p.query),) if _arabic(w)]
        if words and test(p.query, p.listed, words):
            refused += 1
    if not refused:
        return scored
    factor = VOWEL_FACTOR**refused
    return Scored(scored.score * factor, scored.parts, (*scored.factors, (name, factor)))


NISBA_FACTOR = "nisba ending"  # weak.nisba_pairs' factor: a word and the same word with the nisba -i
NISBA_NAME = "nisba, another name"  # this module's factor in explanations
SHORT_NAME = 2  # a name of this many name words or fewer rests on each of them (weak.SHORT_NAME)


def nisba_name(scored: Scored) -> Scored:
    """A short name (at most SHORT_NAME name words) one of whose words met the listed word only through the
    nisba ending (`weak.nisba_pairs`: محمدی Mohammadi / Muhammad, a family name against a given name, the
    final ی written) names another person: the substitution factor, as for a word replaced by another."""
    if scored.score <= 0.0 or not any(name == NISBA_FACTOR for name, _ in scored.factors):
        return scored
    from exportctl.engine.screening.terms import terms

    particles = terms().particles
    words = [p.query for p in scored.parts if p.query and len(p.query) > 1 and p.query not in particles]
    if len(words) > SHORT_NAME or any(name in _HEAVY for name, _ in scored.factors):
        return scored
    return Scored(scored.score * SUBSTITUTION, scored.parts, (*scored.factors, (NISBA_NAME, SUBSTITUTION)))


VOWEL_RULES = (UNWRITTEN, NO_LONG_A, NISBA_NAME)  # the factors this module names, shown as evidence
_HEAVY = ("substitution", "near only", "clash only", "surname missing", "weak pair", UNWRITTEN, NO_LONG_A)


def written_vowels(scored: Scored, marks: frozenset[str]) -> Scored:
    """The rules of the vowels an Arabic-script word writes: its onset, its long a, the nisba's final ی."""
    return nisba_name(unwritten_long_a(unwritten_onset(scored, marks), marks))


__all__ = [
    "LONG_A",
    "NISBA_NAME",
    "NO_LONG_A",
    "UNWRITTEN",
    "VOWEL_FACTOR",
    "VOWEL_ONSET",
    "VOWEL_RULES",
    "WRITTEN_ONSET",
    "consonant_onset",
    "long_a",
    "nisba_name",
    "unwritten_long_a",
    "unwritten_onset",
    "written_onset",
    "written_vowels",
]
