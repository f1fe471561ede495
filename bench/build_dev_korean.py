"""Build bench/data/dev_korean_names.jsonl: Korean persons in Hangul in the word orders and forms people
write them, beside their romanised name; a dev set (tuned on; issue #12).

    .venv/bin/python bench/build_dev_korean.py --mimesis PATH/mimesis-22.2.0-py3-none-any.whl

The Hangul side is drawn from package data (seed 83): a family name in census order
(build_dev_nd_names.SURNAMES, weight 1/rank) or, one time in twenty, a two-syllable family name of mimesis
ko (남궁, 황보, 제갈, 선우 ...), and a given name of two syllables from PyPI `faker` ko_KR's first names and
mimesis 22.2.0's ko names (MIT; the wheel is needed only to build). Each person is written in one of three
forms, a third each (`script`): `HANGUL-joined` (김정은, as Koreans write it), `HANGUL-apart` (김 정은, the
family name apart) and `HANGUL-given-first` (정은 김, Western order).

The Latin side (`latin`) is the romanised name in the shapes lists write ("KIM, Jong Un", "Kim Jong-un",
"Jong Un Kim", "KIM Jongun"): the family name in Revised Romanization (korean-romanizer: Gim, I, Bak), in
McCune-Reischauer (ICU's Korean-Latin/BGN, marks dropped: Kim, Pak) or in the commonest spelling
names-dataset ranks among the matcher's family spellings that begins as a system's does (Kim, Lee, Park,
Choi); the given name in Revised or McCune-Reischauer (where ICU keeps every vowel: it drops some, 희연
hyon), joined, hyphenated or apart. Those are the libraries the matcher reads Hangul with, so
the pairs check the word orders and the family-name spellings, not the romanisers. Negative pairs: the
same Hangul name against the next person's Latin name. Names written so in bench/heldout/clean_names.csv
are left out (only its query column is read). None of these persons is meant to be listed: an alert on the
Hangul name against the full lists is a false alert unless the name is a listed person's (a homonym).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import unicodedata
import zipfile
from pathlib import Path

from build_dev_nd_names import SURNAMES
from faker.providers.person.ko_KR import Provider as FakerKo

DATA = Path(__file__).with_name("data")
OUT = DATA / "dev_korean_names.jsonl"
SEED = 83
PER_FORM = 200
FORMS = ("HANGUL-joined", "HANGUL-apart", "HANGUL-given-first")
_TWO = re.compile(r"^[\uac00-\ud7a3]{2}$")


def _mimesis(wheel: Path) -> tuple[list[str], list[str]]:
    """mimesis ko: (two-syllable family names, given names of two syllables)."""
    with zipfile.ZipFile(wheel) as zf:
        person = json.loads(zf.read("mimesis/datasets/ko/person.json"))
    family = [f for f in person["surnames"] if _TWO.match(f)]
    given = [g for kind in ("male", "female") for g in person["names"][kind] if _TWO.match(g)]
    return family, given


def _rr(text: str) -> str:
    from korean_romanizer.romanizer import Romanizer

    return str(Romanizer(text).romanize())


def _mr(text: str) -> str:
    import icu

    latin = icu.Transliterator.createInstance("Korean-Latin/BGN").transliterate(
        unicodedata.normalize("NFD", text)
    )
    plain = unicodedata.normalize("NFD", latin.replace("’", "").replace("'", ""))
    return "".join(c for c in plain if not unicodedata.combining(c))


def _family_latin(family: str, rng: random.Random) -> str:
    from exportctl.engine.screening.korean import family_spellings
    from exportctl.engine.screening.terms import name_rank

    if len(family) == 2:
        mr = _mr(family).replace(" ", "")
        keeps = len(re.findall("[aeiou]+", mr.lower())) == 2
        return rng.choice([_rr(family), mr] if keeps else [_rr(family)]).replace(" ", "").capitalize()
    rr, mr = _rr(family).lower(), _mr(family).lower()
    # a names-dataset family spelling that begins as a system does (Kim, Park, Choi), or as ㄹ/ㅇ + a vowel
    # is written (Lee, Rhee, Yoo for 이, 유)
    heads = {rr[:1], mr[:1]} | ({"l", "r", "y"} if rr[:1] in "aeiou" else set())
    ranked = sorted((name_rank(s), s) for s in family_spellings(family) if name_rank(s) and s[:1] in heads)
    options = [rr, mr, *[s for _r, s in ranked[:1]]]  # the commonest such spelling (Kim, Lee, Park, Choi)
    out = rng.choice([o for o in options if o]).capitalize()
    return "Yi" if out == "I" else out


def _given_latin(given: str, rng: random.Random) -> str:
    whole, first = _rr(given).lower(), _rr(given[0]).lower()
    mr = _mr(given).lower()
    if rng.random() < 0.5 and len(re.findall("[aeiou]+", mr)) == len(given):
        # ICU's McCune-Reischauer drops some vowels (희연 hyon, 해림 hrim): used only when it keeps them all
        whole, first = mr, _mr(given[0]).lower()
    if not whole.startswith(first) or len(whole) == len(first):  # the syllables run together (하림 Harim)
        return whole.capitalize()
    a, b = whole[: len(first)].capitalize(), whole[len(first) :]
    return rng.choice([f"{a}{b}", f"{a}-{b}", f"{a} {b.capitalize()}"])


def _latin(family: str, given: str, rng: random.Random) -> str:
    f, g = _family_latin(family, rng), _given_latin(given, rng)
    return rng.choice([f"{f.upper()}, {g}", f"{f} {g}", f"{g} {f}", f"{f.upper()} {g}"])


def main() -> None:
    """Draw the persons and write the pairs."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--mimesis", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--per-form", type=int, default=PER_FORM)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    two_family, given_mimesis = _mimesis(args.mimesis)
    given = sorted({g for g in FakerKo.first_names if _TWO.match(g)} | set(given_mimesis))
    family = list(SURNAMES["ko"])
    weights = [1.0 / (k + 1) for k in range(len(family))]
    with (Path(__file__).with_name("heldout") / "clean_names.csv").open(encoding="utf-8") as fh:
        seen = {row["query"] for row in csv.DictReader(fh)}
    persons: list[tuple[str, str, str]] = []
    for form in FORMS:
        n = 0
        while n < args.per_form:
            f = rng.choice(two_family) if rng.random() < 0.05 else rng.choices(family, weights)[0]
            g = rng.choice(given)
            query = {FORMS[0]: f + g, FORMS[1]: f"{f} {g}", FORMS[2]: f"{g} {f}"}[form]
            if query in seen or f + g in seen:
                continue
            seen.add(query)
            persons.append((form, query, _latin(f, g, rng)))
            n += 1
    with OUT.open("w", encoding="utf-8") as fh:
        for form, query, latin in persons:
            fh.write(
                json.dumps(
                    {"script": form, "lang": "ko", "query": query, "latin": latin, "match": "true"},
                    ensure_ascii=False,
                )
                + "\n"
            )
        for i, (form, query, _latin_name) in enumerate(persons):
            other = persons[(i + 7) % len(persons)][2]
            fh.write(
                json.dumps(
                    {"script": form, "lang": "ko", "query": query, "latin": other, "match": "false"},
                    ensure_ascii=False,
                )
                + "\n"
            )
    print(OUT, len(persons))


if __name__ == "__main__":
    main()
