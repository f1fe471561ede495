"""Similarity of two normalised tokens: equal, within an edit budget that grows with length, an initial
against its name, or a vowel-less transliteration against its vowelled spelling."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA

from exportctl.engine.screening.arabic_names import arabic_word, native_sim
from exportctl.engine.screening.loan_han import lattice_sim
from exportctl.engine.screening.loanwords import loan_sim

INITIAL_SIM = 0.8  # "J" against "Joachim"
FIRST_LETTER = 0.85
SHORT_WORD = 5  # one edit in a word this short may well be another word
LONG_WORD = 11  # two consonant edits in a longer word are a spelling variant (Khodorkovsky / Khordorovsky)
FUZZ = 1.0  # similarity lost per edit, relative to token length
CONSONANT_EDITS = 0.6  # similarity factor of a pair whose consonant skeletons differ by two edits or more
SKELETON_SIM = 0.85  # vowel-less transliteration (Arabic, Hebrew, Persian) against its vowelled form
SKELETON_VOWELS = 0.95  # ... when the long vowels it writes (y, w) sit where the Latin spelling has i/e, o/u
SKELETON_CLASH = 0.75  # ... when one of them sits where the Latin spelling has another vowel or none
SKELETON_SHORT = 0.65  # most a skeleton of one consonant says (lwy / La, Lee, Ali, Leila, Lou ...)
SKELETON_LOOSE = 0.9  # skeletons equal but for dh/th, a final h or q said g: times how the vowels sit
SKELETON_END = 0.6  # most a skeleton says when one word ends in a long vowel and the other does not
TRANSLIT_SIM = 0.8  # a word romanised from an alphabet (Cyrillic, Greek ...) and a listed spelling whose
# consonants are the same (`vowel_skeleton`): standards write its vowels differently (Хезболла / Hizballah)
TRANSLIT_MIN = 3  # consonants a vowel skeleton needs to say anything (two name dozens of short words)


def edit_budget(length: int) -> int:
    """How many edits a token of this length may carry and still align."""
    if length <= 2:
        return 0
    if length == 3:
        return 1
    if length <= 5:
        return 1
    if length <= 9:
        return 2
    return 3


@lru_cache(maxsize=1 << 20)
def token_sim(
    a: str, b: str, abjad: bool = False, reads: tuple[str, ...] = (), vowelled: bool = False
) -> float:
    """Similarity of a query token `a` and a listed token `b` in [0, 1] (symmetric but for skeletons and
    readings: only a query word romanised from an abjad, `abjad` true (`abjad_set`), compares by its
    skeleton; a query token that reads a foreign name, `reads` (`readings.reads_of`), also by each Latin
    reading it stands for (`loanwords.loan_sim`), Han word (`loan_han.lattice_sim`) or Arabic-script word
    (`arabic_names.native_sim`); a query word
    romanised from an alphabet, `vowelled` (`readings.vowelled_of`), also by its vowel skeleton)."""
    sim = _token_sim(a, b, abjad and _vowelless(a))
    if vowelled and sim < TRANSLIT_SIM:
        sim = max(sim, translit_sim(a, b))
    if reads and b.isascii() and b.isalpha():
        for r in reads:
            if r.isascii():
                sim = max(sim, loan_sim(r, b))
            elif arabic_word(r):
                sim = max(sim, native_sim(r, b))
            else:
                sim = max(sim, lattice_sim(r, b))
    return sim


BATCH_MIN = 8  # fewer candidates than this are left to token_sim one by one


def may_align(a: str, cands: list[str], abjad: bool = False) -> list[str]:
    """The candidates `b` of `cands` for which `token_sim(a, b, abjad)` may be above 0: all of them for an
    abjad reading (its skeleton meets words beyond the edit budget); else those within the edit budget of
    the longer word, equal, digits or a single letter (left to token_sim), found with one rapidfuzz call
    for the batch instead of one Python call per candidate. Every candidate dropped scores 0 in
    `_token_sim`: beyond its budget (or its length difference beyond it) with neither side one letter long."""
    if abjad or len(cands) < BATCH_MIN or len(a) <= 1:
        return cands
    from rapidfuzz.process import cdist

    dist = cdist([a], cands, scorer=OSA.distance, score_cutoff=3)[0].tolist()
    la = len(a)
    return [b for b, d in zip(cands, dist, strict=True) if d <= edit_budget(max(la, len(b))) or len(b) <= 1]


def _token_sim(a: str, b: str, abjad: bool) -> float:
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 0.0
    la, lb = len(a), len(b)
    if la == 1 or lb == 1:
        return INITIAL_SIM if (la == 1) != (lb == 1) and a[0] == b[0] else 0.0
    longest = max(la, lb)
    budget = edit_budget(longest)
    dist = budget + 1
    if budget > 0 and abs(la - lb) <= budget:
        dist = OSA.distance(a, b, score_cutoff=budget)
    if dist <= budget:
        sim = 1.0 - FUZZ * dist / longest
        if (
            dist >= 2
            and longest <= LONG_WORD
            and OSA.distance(_consonants(a), _consonants(b), score_cutoff=2) >= 2
        ):
            # Two consonants changed is another name (Monteiro / Montenegro); spelling variants of one
            # name mostly differ in vowels and y/w/h (Volodimir / Volodymyr, Husayn / Hussein).
            sim *= CONSONANT_EDITS
        if a[0] != b[0] and longest <= SHORT_WORD:
            sim *= FIRST_LETTER  # Gary / Mary: a short word with another first letter is another word
        if abjad:
            return max(sim, _skeleton_sim(a, b))
        return max(0.0, sim)
    if not abjad or _VOWEL_SET.isdisjoint(a) == _VOWEL_SET.isdisjoint(b) or not (a.isalpha() and b.isalpha()):
        return 0.0
    return _skeleton_sim(a, b)


_SKELETON_DROP = str.maketrans("vpqcg", "bbkkj", "aeiouwy")


@lru_cache(maxsize=1 << 16)
def skeleton_key(tok: str) -> str:
    """The consonant skeleton a vowel-less romanisation (Arabic, Persian, Hebrew, in BGN's letters) shares
    with the Latin spellings of the same name: vowels and the semivowels w/y dropped (they are long vowels
    as often as consonants), v and p as b (Hebrew bet; Arabic has no p), q and c as k, g and zh as j
    (Persian zhe: Ahmadinejad), doubles once: mhmd = Mohammed, hsyn = Hussein, vnymyn = Binyamin."""
    out: list[str] = []
    for ch in tok.replace("zh", "j").translate(_SKELETON_DROP):
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


_VOWEL_SET = frozenset("aeiou")


def _collapsed(tok: str) -> str:
    """A word with the letters alphabets' standards write either way folded: kh as h (х, χ), ph as f (φ),
    doubled consonants once, a final h dropped (Hizballah / Hezbolla)."""
    tok = tok.replace("kh", "h").replace("ph", "f")
    out: list[str] = []
    for ch in tok:
        if not out or out[-1] != ch or ch in "aeiouy":
            out.append(ch)
    if len(out) > 3 and out[-1] == "h":
        out.pop()
    return "".join(out)


_VOWELS_Y = str.maketrans("", "", "aeiouy")


@lru_cache(maxsize=1 << 16)
def vowel_skeleton(tok: str) -> str:
    """The consonants of a word as every standard of one alphabet writes them (`_collapsed`, vowels and y
    dropped; no consonant folded): Хезболла 'hezbolla' / 'khezbolla' and Hizballah share 'hzbl'."""
    return _collapsed(tok).translate(_VOWELS_Y)


def translit_sim(a: str, b: str) -> float:
    """TRANSLIT_SIM when a query word romanised from an alphabet and a listed word have one vowel skeleton
    of TRANSLIT_MIN consonants or more and differ in at most two vowels once folded (`_collapsed`; one in
    a word of six letters or fewer); else 0.
    Standards write the vowels of one word differently (e / i, o / a, ya / ia), not all of them."""
    if not (a.isalpha() and b.isalpha()) or _vowelless(b):
        return 0.0
    key = vowel_skeleton(a)
    if len(key) < TRANSLIT_MIN or key != vowel_skeleton(b):
        return 0.0
    ca, cb = _collapsed(a), _collapsed(b)
    edits = 2 if min(len(ca), len(cb)) > SHORT_WORD + 1 else 1  # two vowels of a short word: another word
    if OSA.distance(ca, cb, score_cutoff=edits) > edits:
        return 0.0
    return TRANSLIT_SIM


def other_name(a: str, b: str) -> bool:
    """Two names of the name data that are not spellings of one name (Mahdi / Majdi, Walid / Vahid, Nader /
    Nasser, Panov / Ivanov, Takada / Takagi): both ranked as names somewhere, not variants of each other in
    rigour's name data, and their consonants differ beyond the letters romanisations write either way
    (`name_consonants`: vowels, s/z, v/f, k/q/g, t/d, kh/h ...); when only one is ranked, one consonant
    put for another (Petrov / Vetrov). In a Latin query this is as often a typo."""
    if a == b or name_consonants(a) == name_consonants(b):
        return False
    from exportctl.engine.screening.terms import name_rank
    from exportctl.engine.screening.variants import are_variants

    ranked = bool(name_rank(a)) + bool(name_rank(b))
    if ranked == 1:
        # A word no name list ranks may be a spelling the fold does not know (Lawrow): only one consonant
        # put for another, in words of one length, is another name (Petrov / Vetrov).
        diff = [(x, y) for x, y in zip(a, b, strict=False) if x != y]
        if len(a) != len(b) or len(diff) != 1 or diff[0][0] in "aeiouyhw" or diff[0][1] in "aeiouyhw":
            return False
    return ranked >= 1 and not are_variants(a, b)


# Letter groups romanisations write for one sound (kh / h / x for х and خ, sh / ch / s, th / dh / t ...).
_NAME_DIGRAPHS = (("kh", "h"), ("x", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("zh", "z"))
_NAME_DIGRAPHS_S = (("shch", "s"), ("sh", "s"), ("ch", "s"), ("ts", "s"), ("tz", "s"))
# vowels, w and y (long vowels as often as consonants) dropped; letters romanisations swap folded
_NAME_FOLD = str.maketrans("zvbqcgdj", "sfpkkktj", "aeiouyw")


@lru_cache(maxsize=1 << 16)
def name_consonants(tok: str) -> str:
    """The consonants of a name with the letters romanisations write either way folded together and a
    final h dropped (Fatimah / Fatima): equal for spellings of one name, different for two names."""
    for group, one in (*_NAME_DIGRAPHS_S, *_NAME_DIGRAPHS):
        tok = tok.replace(group, one)
    out: list[str] = []
    for ch in tok.translate(_NAME_FOLD):
        if not out or out[-1] != ch:
            out.append(ch)
    if len(out) > 2 and out[-1] == "h":
        out.pop()
    return "".join(out)


_CONSONANTS = str.maketrans("zvwpqcx", "sffbkks", "aeiouyhj")


def _consonants(tok: str) -> str:
    """The consonants of a token, with letters that transliterations swap folded together (s/z, v/w/f)."""
    out: list[str] = []
    for ch in tok.translate(_CONSONANTS):
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def _vowelless(tok: str) -> bool:
    return _VOWEL_SET.isdisjoint(tok)


def abjad_set(tokens: tuple[str, ...], abjad: bool) -> frozenset[str]:
    """The tokens of one query form that are romanised from a script without short vowels (Arabic, Persian,
    Hebrew: `abjad`) and written without vowels: only they compare by skeleton (a Latin "xy" or "mr" is no
    spelling of "Xu" or "Omar"). A property of the query alone: earlier queries change nothing."""
    if not abjad:
        return frozenset()
    return frozenset(tok for tok in tokens if _vowelless(tok))


def _skeleton_sim(a: str, b: str) -> float:
    """Scripts written without short vowels (Arabic, Persian, Hebrew) romanise to consonants only: a query
    word `a` so romanised against a listed word `b` written with vowels. A vowel-less listed word (an
    abbreviation, "AO BRT") is no skeleton. Called only for a query word of an abjad (`abjad_set`)."""
    if not _vowelless(a) or _vowelless(b):
        return 0.0
    bare, full = a, b
    if len(bare) < 2 or (len(bare) == 2 and len(full) > 4):
        return 0.0  # two written letters name only a short word (ly / Ali, mr / Omar, bd / Abd)
    if not _initial_fits(bare, full):
        return 0.0
    sa, sb = skeleton_key(bare), skeleton_key(full)
    if not sa or not sb or (len(sa) < 2 and len(full) > 3):
        return 0.0
    if _ends_long(bare, True) != _ends_long(full, False):
        # An abjad writes a final long vowel (ي, و) and names end on no short vowel, so a Latin spelling
        # ending in i, y, o or u is a word that writes one: الشام / Shami, حمیدی / Hamid are two names.
        return min(SKELETON_END, _skeleton_sim_equal(sa, sb, bare, full))
    return _skeleton_sim_equal(sa, sb, bare, full)


# How Latin spellings begin a name whose first letter is ي / י (y) or و / ו (w): at the start of a word these
# are consonants (Yasser, Jusuf, Iyad; Walid, Vahid, Ouahid), or follow an alef or ain the romanisation does
# not write (أيمن Ayman, أيوب Ayoub, عواد Awad), never a long vowel the skeleton may drop.
_INITIAL = {"y": ("yjie", "yie"), "w": ("wvou", "wvou")}  # first letters; after a first a or e
_LATIN_INITIAL = {"y": "yj", "w": "wv"}  # a Latin name's consonant y / w is written in the query


def _initial_fits(bare: str, full: str) -> bool:
    """Whether a vowel-less romanisation and a Latin spelling can begin alike: a word-initial y or w is a
    consonant on either side (יובל 'ywvl' is no Bill, وصاف 'wsf' no Assaf, יחיאל 'yhyl' no Hala, דני 'dny' no
    Waddani), though the skeleton drops y and w elsewhere, where they are long vowels as often."""
    first = _INITIAL.get(bare[:1])
    if first is not None and not (full[:1] in first[0] or (full[:1] in "ae" and full[1:2] in first[1])):
        return False
    written = _LATIN_INITIAL.get(full[:1])
    return written is None or full[1:2] not in "aeiou" or bare[:1] in written


def _ends_long(tok: str, written: bool) -> bool:
    """Whether a word ends in a long vowel: y or w after a consonant in a vowel-less romanisation, i, y, o,
    u or w in a Latin spelling (a final a or e may be a ta marbuta or Persian he, written or not)."""
    if len(tok) < 2:
        return False
    if written:
        # A final y or w after a consonant, or after a y/w that is itself a consonant or a hamza seat
        # (خامنئي 'khmnyy' / Khamenei, موسوي 'mwswy' / Musawi), is a written long vowel.
        return tok[-1] in "yw" and (tok[-2] not in "yw" or len(tok) > 2)
    return tok[-1] in "iyouw"


def _skeleton_sim_equal(sa: str, sb: str, bare: str, full: str) -> float:
    if sa == sb:
        # One consonant is the skeleton of dozens of unrelated names: weak evidence at best. (Two are not
        # capped: on the dev cross-script pairs that cost Arabic names such as Omar or Zaid their match.)
        return min(_vowel_fit(bare, full), SKELETON_SHORT) if len(sa) <= 1 else _vowel_fit(bare, full)
    if min(len(sa), len(sb)) >= 4 and OSA.distance(sa, sb, score_cutoff=1) <= 1:
        return SKELETON_SIM * 0.85
    if _loose_equal(sa, full):
        # Weaker than equal skeletons, and only as good as the long vowels sit (ذريت is no Dart).
        return SKELETON_LOOSE * _vowel_fit(_loose(bare), _loose(full))
    return 0.0


def _loose(sk: str) -> str:
    """A skeleton or a spelling with the letters Latin spellings of one name write either way folded: dh and
    th as d and t (ذ, ث: Uthman / Usman is not folded, Gaddafi / Qadhafi is), a final h dropped (ة, ه:
    Bourguibah / Bourguiba, Fatimah / Fatima)."""
    sk = sk.replace("dh", "d").replace("th", "t")
    return sk[:-1] if len(sk) > 3 and sk.endswith("h") else sk


def _loose_equal(sa: str, full: str) -> bool:
    """Skeletons equal but for dh/th, a final h, or a q the Latin spelling writes g as it is said in Egypt,
    the Maghreb and the Gulf (القذافي Gaddafi, بورقيبة Bourguiba); three consonants at least."""
    la = _loose(sa)
    if len(la) < 3:
        return False
    spellings = (full, full.replace("g", "q")) if "k" in la and "g" in full else (full,)
    return any(la == _loose(skeleton_key(f)) for f in spellings)


def _gaps(tok: str, written: bool) -> list[str]:
    """Per consonant of the skeleton, the vowel class after it: I (i, e, y), U (o, u, w) or '' (none, or a
    only: the short vowel an abjad leaves unwritten). `written`: a vowel-less romanisation, where only y and
    w after the first letter mark long vowels."""
    out: list[str] = []
    cluster = ""
    for k, ch in enumerate(tok.replace("zh", "j")):
        vowel = (
            ch in "yw" and k > 0
            if written
            else ch in "aeiouyw" and not (ch in "yw" and not cluster and k == 0)
        )
        if vowel:
            cluster += ch
            continue
        if out:
            out[-1] = out[-1] or _vowel_class(cluster)
        if not out or ch != _last(tok, k):
            out.append("")
        cluster = ""
    if out:
        out[-1] = out[-1] or _vowel_class(cluster)
    return out


def _last(tok: str, k: int) -> str:
    """The consonant before position k (skipping vowels), '' when none."""
    for ch in reversed(tok[:k]):
        if ch not in "aeiouyw":
            return ch
    return ""


def _vowel_class(cluster: str) -> str:
    if any(c in cluster for c in "iey"):
        return "I"
    if any(c in cluster for c in "ouw"):
        return "U"
    return ""


def _vowel_fit(bare: str, full: str) -> float:
    """Equal skeletons: how well the long vowels the abjad spelling writes sit in the Latin spelling."""
    ga, gb = _gaps(bare, True), _gaps(full, False)
    if len(ga) != len(gb):
        return SKELETON_SIM
    if all(not a or a == b for a, b in zip(ga, gb, strict=True)):
        return SKELETON_VOWELS
    return SKELETON_CLASH
