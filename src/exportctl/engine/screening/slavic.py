"""Russian, Belarusian and Ukrainian names as other Latin-script languages write them, read back into the
English (BGN/PCGN-like) spelling the lists use.

Each language spells the Cyrillic letters with its own letters: German (Sergej Wiktorowitsch Lawrow,
Schoigu: w for в, sch for ш, tsch for ч, j for й), Polish (Siergiej Ławrow, Szojgu, Wiktorowicz: sz, cz, rz,
ie after a consonant for е), Dutch (Loekasjenko, Viktorovitsj: oe for у, sj, tsj), French (Loukachenko,
Choïgou, Viktorovitch: ou for у, ch for ш, tch for ч), Czech, Slovak, Croatian, Slovene and the Baltic
languages (č, š, ž; Lithuanian and Latvian add their nominative endings: Lavrovas, Sergejus, Lavrovs) and
Hungarian (cs, zs, gy: Medvegyev, Anatoljevics). The rules are those of the languages' ordinary
transcription of Russian (the Wikipedias' spellings of the same persons, e.g. the German, Polish, Dutch and
French articles on Sergei Lavrov and Alexander Lukashenko), and those of the standards of Russian
transliteration that write ц as c, я and ю with a circumflex or j, ь and ъ as a prime or backtick and х as x
(ISO 9 / GOST 7.79 systems A and B, the scientific transliteration, UNGEGN 1987: Kuznecova, Viktoriâ,
Il`in, Xoxlov; as PyPI iuliia's schemas write them). A name is read back only when it carries a mark
of one of these spellings that English names do not have (a German, Polish or Dutch letter group, a
patronymic or surname ending), so "John Schwartz" stays as it is; the reading is one more form to screen,
never a replacement for the name as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A word written in one of those orthographies: a letter group, letter or ending English names lack.
_MARK = re.compile(
    r"(tsch|tsj|szcz|sz|cz|rz|[łżčšžćïě]|sj[aeiou]|oe[a-z]|iej$|(?<=[^aeiou])ij$|[dgkmnrtv]ej$"
    r"|(?<![dcr]r)(?<=[kntdrlv])(ow|ew|owa|ewa|owna|ewna)$|owitsch|ewitsch|owicz|ewicz|ovitsj|evitsj|ovitch|evitch"
    r"|ovics|evics|(ov|ev|in)(as|s)$|(ij|ej)(us|s)$|ndras$|ou\w*ch|ch\w*ou"
    r"|(?<=[bdhklmnrstvz])ine$|(?<=[bdhklmnrstvz])yn$|sch\w*(in|ow|ew|ij)$"
    r"|[âûŝʹʺ`]|(?<=[aeiounrlv])c(ov|ev|ova|eva)$|^x[aeiou]\w*(ov|ev|in)$|^iou|guen)"
)
_HUNGARIAN = re.compile(r"cs|zs|gy|ics$")
_POLISH = re.compile(r"[włżś]|cz|rz|(?<=[^aeiou])ie")
_FRENCH = re.compile(r"ou|tch|ï|gue")

# Rewrites, each orthography's letter groups read in one pass, the longest group first. Where they
# conflict (Polish sz is ш, Hungarian sz is с; French ch is ш, German ch is х) `_rules` chooses per name.
_COMMON = {
    "č": "ch", "š": "sh", "ž": "zh", "ć": "ch", "ł": "l", "ż": "zh", "ś": "s", "ï": "i", "ě": "e",
    "tsch": "ch", "sch": "sh", "szcz": "shch", "tsj": "ch", "sj": "sh", "cz": "ch", "rz": "zh",
    "witsch": "vich", "wicz": "vich", "itsj": "ich", "w": "v", "oe": "u", "sz": "sh",
    # the standards' letters (ISO 9, GOST 7.79, scientific): я ю щ, the signs, c for ц and x for х; ch, cz
    # and cs keep their readings (the longest group is read first)
    "â": "ya", "û": "yu", "ŝ": "shch", "ʹ": "", "ʺ": "", "`": "", "'": "", "’": "", "ë": "e", "è": "e",
    "c": "ts", "ch": "ch", "ck": "k", "x": "kh",
}  # fmt: skip
# German writes ц as z and х as ch (Kusnezow), French ц as ts and кс as x (Alexandre): neither c nor x is
# read as in the standards there.
_GERMAN = re.compile(r"sch|w")
_HUNGARIAN_RULES = {**_COMMON, "sz": "s", "cs": "ch", "zs": "zh", "gy": "d"}
_FRENCH_RULES = {
    **{k: v for k, v in _COMMON.items() if k not in ("c", "x", "ck")},
    "tch": "ch", "ch": "sh", "ou": "u", "gue": "ge", "gui": "gi",
}  # fmt: skip
_GERMAN_RULES = {k: v for k, v in _COMMON.items() if k not in ("c", "x", "ck")}
# Endings of a Russian surname in -ин as French writes it (Poutine, Volodine, Michoustine) and as the
# Ukrainian romanisation reads the Russian letter и (Putyn, Mishustyn): -in in the English spelling.
_IN_END = re.compile(r"(?<=[bdklmnrstvzh])(ine|yn)$")
IN_END_MIN = 6  # letters of such a word at least ("Putyn", "Sechyn" and longer; "Glyn", "Bryn" stay)
_BALTIC_END = re.compile(r"(?<=ov|ev|in|ij|ej|dr)(as|us|s)$|(?<=[^aeiou]i)jus$")
_Y = (
    (re.compile(r"(?<=[aeiou])j$"), "y"),  # Sergej, Andrej: й at the end
    (re.compile(r"(?<=[^aeiou])ij$"), "iy"),  # Dmitrij, Jurij
    (re.compile(r"(?<=[^aeiou\s])ie(?=[a-z])"), "e"),  # Polish ie after a consonant: Siergiej, Pieskow
    (re.compile(r"(?<=[a-z])j(?=[aeiou])"), "y"),  # Grigorjewitsch, Anatoljevič: the я ю е ё glides
    (re.compile(r"(?<=[aeiou])j(?=[^aeiou])"), "y"),  # Szojgu, Sjojgoe: й before a consonant
    (re.compile(r"^i(?=[au][^aeiou])"), "y"),  # Iakov, Iulia (ICAO, French: Iouliia): я ю at the start
    (re.compile(r"(?<=[^aeiou])iia$"), "iya"),  # Evgeniia, Kseniia (ICAO): -ия at the end
)
_INITIAL_J = re.compile(r"^j(?=[aeiou])")  # Jurij, Jewgenij: only in a word that carries a mark
_WORD = re.compile(r"[^\W\d_]+(?:['’`ʹʺ][^\W\d_]+)*")  # a word, with the signs written inside it


@lru_cache(maxsize=4)
def _pattern(rules: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(sorted(rules, key=len, reverse=True)))


def _rewrite(word: str, rules: dict[str, str]) -> str:
    return _pattern(tuple(rules)).sub(lambda m: rules[m.group(0)], word)


def _rules(words: list[str]) -> dict[str, str]:
    """The rewrites for a name: Hungarian where a word has its letter groups (or sz with no Polish mark),
    French where a word has French marks and none German or Polish, the common ones otherwise."""
    text = " ".join(words)
    if _HUNGARIAN.search(text) or ("sz" in text and not _POLISH.search(text)):
        return _HUNGARIAN_RULES
    if _FRENCH.search(text) and not re.search("sch|sz|cz|w", text):
        return _FRENCH_RULES
    if _GERMAN.search(text):
        return _GERMAN_RULES
    return _COMMON


def _read(word: str, rules: dict[str, str]) -> str:
    """One word in the English spelling of the name: its orthography's letter groups, then the Baltic
    ending, then j as y (so Sergejus -> sergej -> sergey)."""
    out = _rewrite(word, rules)
    if len(out) > 5:
        out = _BALTIC_END.sub("", out)
    out = re.sub(r"iei$", "ei", out)  # Siergiej: the Polish ie before a final j
    if len(word) >= IN_END_MIN - (word.endswith("yn")):
        out = _IN_END.sub("in", out)
    for pattern, new in _Y:
        out = pattern.sub(new, out)
    return _INITIAL_J.sub("y", out) if _MARK.search(word) else out


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    """Titles written before a name (titles.py's data: rigour's prefixes, terms.yml, nameparser's offices),
    lower case: read as written ("Monsieur", "Premier" are no Russian words to respell)."""
    from .titles import library_title_words

    return library_title_words()


@lru_cache(maxsize=1 << 14)
def slavic_spelling(text: str) -> str | None:
    """A Latin-script name read back from another language's transcription of a Russian, Belarusian or
    Ukrainian name into the English spelling ("Sergej Wiktorowitsch Lawrow" -> "sergey viktorovich
    lavrov"); None when no word carries such a mark or nothing changes."""
    words = _WORD.findall(text.lower())
    if not words or not any(_MARK.search(w) for w in words):
        return None
    rules = _rules(words)
    kept = _title_words()
    out = " ".join(w if w in kept else _read(w, rules) for w in words)
    return out if out != " ".join(words) else None


_GENDERED = (
    ("ov", "ova"), ("ev", "eva"), ("in", "ina"), ("yn", "yna"), ("skiy", "skaya"), ("skii", "skaia"),
    ("skij", "skaja"), ("sky", "skaya"), ("ski", "skaya"), ("skyy", "ska"), ("skyi", "ska"), ("sky", "ska"),
    ("ski", "ska"), ("skiy", "ska"), ("tskiy", "tskaya"), ("tsky", "tskaya"),
)  # fmt: skip


def gendered_pair(a: str, b: str) -> bool:
    """Two surnames that are one Russian, Belarusian, Ukrainian or Polish family name in its male and female
    forms (Lavrov / Lavrova, Pushkin / Pushkina, Dostoevsky / Dostoevskaya, Bazilevsky / Bazilevska): two
    people. Shoigu / Shoygu is no such pair."""
    if a == b:
        return False
    for x, y in ((a, b), (b, a)):
        for male, female in _GENDERED:
            stem = x[: -len(male)]
            if x.endswith(male) and len(stem) >= 3 and y == stem + female:
                return True
    return False
