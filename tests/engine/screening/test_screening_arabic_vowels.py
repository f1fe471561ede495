"""Issue #12: an Arabic-script word that begins with a consonant is weak evidence for a Latin name that
begins with a vowel (Arabic writes a first vowel with alef or ain): حمد Hamad is not Ahmad, منا Mina not
Amin. Such a hit is lowered by a factor, shown in its explanation and evidence, never unmatched; no true
pair of the dev Arabic set (bench/data, tuned on) falls below the threshold through it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import DEFAULT_THRESHOLD, ScreeningIndex, arabic_vowels, score_names, screen
from exportctl.engine.screening.arabic_vowels import (
    NISBA_NAME,
    NO_LONG_A,
    UNWRITTEN,
    VOWEL_FACTOR,
    VOWEL_ONSET,
    consonant_onset,
    long_a,
    nisba_name,
    unwritten_long_a,
    unwritten_onset,
    written_onset,
)
from exportctl.engine.screening.readings import Marks
from exportctl.engine.screening.score import Part, Scored


@pytest.fixture(scope="module")
def index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    names = [
        "AL HADI, Ahmad",
        "HASAN, As'ad",
        "AMIN, Ali",
        "HAMAD, Ali",
        "AHMAD, Ali",
        "ARAQI, Abdullah",
        "AKBAR, Mohamad",
        "OMER, Muhammad",
        "IQBAL, Muhammad",
        "ABU ALI",
        "ELKHEDR, Muhammad",
    ]
    return sdn_index_of([(str(i), name, "Individual") for i, name in enumerate(names)])


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("هدوء حمد", "Ahmad al Hadi"),  # Hamad is no Ahmad
        ("سيد حسن", "As'ad Hasan"),  # Sayyid is no As'ad
        ("علي منا", "Ali Amin"),  # Mina is no Amin
    ],
)
def test_a_consonant_onset_is_weak_evidence_for_a_vowel_initial_name(
    index: ScreeningIndex, query: str, latin: str
) -> None:
    scored = score_names(index, query, latin)
    assert (UNWRITTEN, VOWEL_FACTOR) in scored.factors, (query, latin, scored.explain())
    assert scored.score > 0.0  # lowered, never unmatched


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("علي حمد", "Ali Hamad"),
        ("علي احمد", "Ali Ahmad"),  # the alef writes the vowel
        ("علي أمين", "Ali Amin"),
        ("عبدالله العراقي", "Abdullah Araqi"),  # the ain writes it, the article apart
        ("اكبر محمد", "Mohamad Akbar"),
        ("عمر محمد", "Muhammad Omer"),
        ("اقبال محمد", "Muhammad Iqbal"),
        ("ابو علي", "Abu Ali"),
        ("محمد الخضر", "Muhammad Elkhedr"),  # the article written joined: its vowel
    ],
)
def test_a_written_onset_keeps_its_match(index: ScreeningIndex, query: str, latin: str) -> None:
    scored = score_names(index, query, latin)
    assert scored.score >= 0.7, (query, latin, scored.score, scored.explain())
    assert UNWRITTEN not in scored.explain()


def test_the_article_is_no_onset_when_the_reading_leaves_it_out() -> None:
    assert consonant_onset("الحمد", "hmd")  # al-Hamd: 'hmd' begins with the ha
    assert not consonant_onset("الهام", "lhm")  # Elham: the alef is the word's own vowel
    assert not consonant_onset("العراقي", "rqy")  # the ain after the article writes the vowel
    assert not consonant_onset("Ahmad", "hmd")  # no Arabic word: nothing to say


_ARABIC_LETTERS = st.sampled_from(sorted("ابتثجحخدذرزسشصضطظعغفقكلمنهويأإآءؤئ"))


@given(st.lists(_ARABIC_LETTERS, min_size=2, max_size=6).map("".join), st.sampled_from(["hmd", "mn", "syd"]))
def test_onset_reads_only_the_first_letter(word: str, token: str) -> None:
    expected = word[0] not in VOWEL_ONSET
    if word.startswith("ال") and len(word) > 2:
        expected = word[2] not in VOWEL_ONSET
    assert consonant_onset(word, token) == expected


@given(
    st.floats(0.01, 0.99),
    st.floats(0.1, 1.0),
    st.sampled_from(["ahmad", "amin", "asad", "hamad", "min"]),
    st.sampled_from(["حمد", "احمد", "منا", "عامر"]),
)
def test_the_factor_never_raises_and_only_lowers_an_onset_mismatch(
    sim: float, weight: float, listed: str, word: str
) -> None:
    token = "hmd"
    parts = (Part(token, listed, sim, weight, 0.0), Part("ali", "ali", 1.0, 0.5, 0.0))
    scored = Scored(0.8, parts)
    out = unwritten_onset(scored, Marks(frozenset({token}), {token: (word,)}))
    assert scored.score * VOWEL_FACTOR - 1e-9 <= out.score <= scored.score  # a factor, never unmatched
    lowered = (listed[0] in "aeiou" and word[0] not in VOWEL_ONSET) or (
        listed[0] not in "aeiou" and word[0] in "اأإآٱعء"
    )
    assert (out.score < scored.score) == lowered
    assert unwritten_onset(scored, frozenset({token})) == scored  # no marks: no Arabic word to read


@pytest.fixture(scope="module")
def long_a_index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    names = [
        "LI, Youmin",
        "SIMO, Ali",
        "LI, Yamen",
        "AMER, Muhammad",
        "KHALID, Mahmood",
        "SALEH, Ali",
        "BILEL, Ali",
        "SON, Min",
    ]
    return sdn_index_of([(str(i), name, "Individual") for i, name in enumerate(names)])


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("يامن علي", "Youmin Li"),  # Yamen writes a long a that Youmin has not
        ("ثنا معین", "Son Min"),  # Sana (Persian BGN 'sn', read word for word) is no Son
    ],
)
def test_a_written_long_a_is_weak_evidence_for_a_name_without_a(
    long_a_index: ScreeningIndex, query: str, latin: str
) -> None:
    scored = score_names(long_a_index, query, latin)
    assert (NO_LONG_A, VOWEL_FACTOR) in scored.factors, (query, latin, scored.explain())
    assert scored.score > 0.0


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("يامن علي", "Yamen Li"),
        ("عامر محمد", "Muhammad Amer"),
        ("خالد محمود", "Khalid Mahmood"),
        ("صالح علي", "Ali Saleh"),
        ("بلال علي", "Bilel Ali"),  # the long a said e (imala), as Tunisia spells it
    ],
)
def test_a_long_a_spelt_keeps_its_match(long_a_index: ScreeningIndex, query: str, latin: str) -> None:
    scored = score_names(long_a_index, query, latin)
    assert scored.score >= 0.7, (query, latin, scored.score, scored.explain())
    assert NO_LONG_A not in scored.explain()


def test_long_a_reads_alef_past_the_onset() -> None:
    assert long_a("يامن") and long_a("عامر") and long_a("خالد") and long_a("الشام")
    assert not long_a("عمر") and not long_a("احمد") and not long_a("الاسدي") and not long_a("Amer")


@given(st.lists(_ARABIC_LETTERS, min_size=1, max_size=6).map("".join))
def test_long_a_is_alef_past_the_first_letter(word: str) -> None:
    body = word[2:] if word.startswith("ال") else word
    assert long_a(word) == any(ch in "اآ" for ch in body[1:])


@given(st.floats(0.01, 0.99), st.sampled_from(["youmin", "omer", "amer", "yamen", "yumin"]))
def test_long_a_only_lowers_a_pair_without_a(sim: float, listed: str) -> None:
    token = "ymn"
    scored = Scored(0.8, (Part(token, listed, sim, 0.5, 0.0), Part("ali", "ali", 1.0, 0.5, 0.0)))
    out = unwritten_long_a(scored, Marks(frozenset({token}), {token: ("يامن",)}))
    assert (out.score < scored.score) == ("a" not in listed and "e" not in listed)
    assert scored.score * VOWEL_FACTOR - 1e-9 <= out.score <= scored.score


@pytest.fixture(scope="module")
def onset_index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    names = ["KAYALI, Ali", "SAIDI, Hossein", "AQILI, Ali", "ASADI, Hossein", "BRAHIM, Ali"]
    return sdn_index_of([(str(i), name, "Individual") for i, name in enumerate(names)])


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("علي عقیلی", "Ali Kayali"),  # Aqili's ain is written: Kayali begins with a consonant
        ("حسين الاسدي", "Hossein Saidi"),  # al-Asadi's alef (after the article) is its onset
    ],
)
def test_a_written_onset_is_weak_evidence_for_a_consonant_initial_name(
    onset_index: ScreeningIndex, query: str, latin: str
) -> None:
    scored = score_names(onset_index, query, latin)
    assert (UNWRITTEN, VOWEL_FACTOR) in scored.factors, (query, latin, scored.explain())
    assert scored.score > 0.0


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("علي عقیلی", "Ali Aqili"),
        ("حسين الاسدي", "Hossein Asadi"),
        ("علي ابراهيم", "Ali Brahim"),  # the name table's reading (ibrahim) meets the Maghrebi spelling
    ],
)
def test_a_written_onset_keeps_its_spellings(onset_index: ScreeningIndex, query: str, latin: str) -> None:
    scored = score_names(onset_index, query, latin)
    assert scored.score >= 0.7, (query, latin, scored.score, scored.explain())


@given(
    st.lists(_ARABIC_LETTERS, min_size=2, max_size=6).map("".join), st.sampled_from(["qyly", "sdy", "lsdy"])
)
def test_written_onset_reads_the_first_letter_past_the_article(word: str, token: str) -> None:
    body = word[2:] if word.startswith("ال") and len(word) > 2 and not token.startswith("l") else word
    held = word.startswith("ال") and token.startswith("l")  # the article's alef, held in the token
    assert written_onset(word, token) == (not held and len(body) > 1 and body[0] in "اأإآٱعء")
    assert not (written_onset(word, token) and consonant_onset(word, token))


@pytest.fixture(scope="module")
def nisba_index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    names = ["SAEED, Muhammad", "IQBAL, Muhammad", "MOHAMMADI, Saeed", "AKBAR, Mohamad"]
    return sdn_index_of([(str(i), name, "Individual") for i, name in enumerate(names)])


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("سعید محمدی", "Muhammad Saeed"),  # Saeed Mohammadi: the family name Mohammadi is no Muhammad
        ("اقبال محمدى", "Muhammad Iqbal"),
        ("اكبر محمدی", "Mohamad Akbar"),
    ],
)
def test_a_nisba_is_another_name(nisba_index: ScreeningIndex, query: str, latin: str) -> None:
    scored = score_names(nisba_index, query, latin)
    assert scored.score < 0.7, (query, latin, scored.score, scored.explain())
    assert NISBA_NAME in scored.explain()


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("سعید محمدی", "Saeed Mohammadi"),
        ("محمد سعيد", "Muhammad Saeed"),
        ("محمد اقبال", "Muhammad Iqbal"),
    ],
)
def test_the_name_without_nisba_keeps_its_match(nisba_index: ScreeningIndex, query: str, latin: str) -> None:
    scored = score_names(nisba_index, query, latin)
    assert scored.score >= 0.7, (query, latin, scored.score, scored.explain())


@given(st.floats(0.71, 1.0), st.booleans(), st.integers(1, 4))
def test_nisba_name_only_on_a_short_name_with_a_nisba_pair(score: float, nisba: bool, words: int) -> None:
    parts = tuple(Part(f"w{i}x", f"w{i}y", 0.9, 0.5, 0.0) for i in range(words))
    factors = (("nisba ending", 0.9),) if nisba else ()
    out = nisba_name(Scored(score, parts, factors))
    assert (out.score < score) == (nisba and words <= 2)
    assert out.score >= score * 0.85 - 1e-9


def test_the_factor_shows_in_the_explanation_and_the_evidence(index: ScreeningIndex) -> None:
    """A hit lowered by a vowel rule says so: its explanation names the factor, its evidence holds an item of
    kind name with the same effect, beside the name score item."""
    hits = screen(index, pl.DataFrame({"name": ["علي منا"]}), 0.3).filter(
        pl.col("matched_name") == "AMIN, Ali"
    )
    assert hits.height == 1
    row = hits.row(0, named=True)
    effect = f"{UNWRITTEN} x{VOWEL_FACTOR:.2f}"
    assert effect in row["explanation"]
    notes = [e for e in row["evidence"] if e["kind"] == "name" and e["effect"] == effect]
    assert len(notes) == 1 and notes[0]["entry"] == "AMIN, Ali" and notes[0]["query"] == "علي منا"


def test_a_persian_reading_word_for_word_is_read_by_its_word() -> None:
    """Persian BGN reads ثنا as 'sn', a token no name-table reading records: the form reads the name word
    for word, so the token stands for ثنا (its long a) all the same."""
    from exportctl.engine.screening.forms import form_abjad, query_forms
    from exportctl.engine.screening.readings import written_of

    name = "ثنا معین"
    forms = [toks for _text, toks in query_forms(name) if toks[0] == "sn"]
    assert forms and written_of(form_abjad(name, forms[0]), "sn") == "ثنا"


DEV_PAIRS = Path(__file__).parents[3] / "bench" / "data" / "dev_arabic_wikidata.jsonl"


@pytest.fixture(scope="module")
def dev_pairs(
    sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex],
) -> tuple[ScreeningIndex, list[tuple[str, str]]]:
    """The dev Arabic pairs that are the same person (bench/data, tuned on) and an index of their Latin
    names."""
    cases = [json.loads(line) for line in DEV_PAIRS.read_text(encoding="utf-8").splitlines()]
    pairs = [(c["query"], c["latin"]) for c in cases if c["match"] == "true"]
    return sdn_index_of([(str(i), latin, "Individual") for i, (_q, latin) in enumerate(pairs)]), pairs


def test_the_rules_never_drop_a_true_dev_pair(
    dev_pairs: tuple[ScreeningIndex, list[tuple[str, str]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule that lowers must never take a true cross-script match of the dev pairs below the threshold:
    each pair scored with the rules and with their factors set to 1 (no effect)."""
    index, pairs = dev_pairs
    with_rules = [score_names(index, q, latin).score for q, latin in pairs]
    monkeypatch.setattr(arabic_vowels, "VOWEL_FACTOR", 1.0)
    monkeypatch.setattr(arabic_vowels, "SUBSTITUTION", 1.0)
    without = [score_names(index, q, latin).score for q, latin in pairs]
    assert sum(s < w for s, w in zip(with_rules, without, strict=True)) > 0  # the rules do act on the set
    dropped = [
        (q, latin, round(w, 3), round(s, 3))
        for (q, latin), s, w in zip(pairs, with_rules, without, strict=True)
        if w >= DEFAULT_THRESHOLD > s
    ]
    assert dropped == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_ARABIC_LETTERS, min_size=2, max_size=5).map("".join), min_size=1, max_size=3))
def test_a_form_reads_word_for_word_only_when_its_tokens_are_the_words(words: list[str]) -> None:
    """Marks.written pairs a form's tokens with the name's words in order, and only in a form of as many
    tokens as the name has words; any other form knows no word by place."""
    from exportctl.engine.screening.forms import form_abjad, query_forms
    from exportctl.engine.screening.readings import written_of

    name = " ".join(words)
    for _text, toks in query_forms(name):
        marks = form_abjad(name, toks)
        known = [written_of(marks, t) for t in toks]
        if len(toks) == len(words):
            assert all(w in words for w in known if w)
            assert [written_of(marks, t) for t in dict.fromkeys(toks)] == [
                dict(zip(toks, words, strict=True))[t] for t in dict.fromkeys(toks)
            ]
        else:
            assert not any(known)
