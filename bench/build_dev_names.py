"""Build the person-name dev cases per script (bench/data/dev_names_scripts.jsonl) from Faker's providers.

Each case is a person name written in a non-Latin script beside a Latin spelling of the same name, from a
source no held-out set uses (bench/heldout draws on the UN list, watchman, nomenklatura, rigour's tests,
japanese-personal-name-dataset and sinonym):
- ja: Faker ja_JP's (kanji, katakana, romaji) name triples: kanji and katakana full names, family name
  first, beside "Given Family" or "FAMILY Given" in Faker's romaji.
- ru, uk: Faker ru_RU / uk_UA names (with patronymics for ru), beside Faker's own transliteration of them
  (its tables, not iuliia's or ICU's), as "Given Family" or "FAMILY, Given Patronymic".
- ar, el, fa, he, ko, th, hi: Faker's names in those scripts beside a Latin spelling the bundled lists use for
  the same Wikidata name (rigour's name data), drawn at random among the spellings: these cases check the
  wiring of the name-data spelling and the variant step, not a romaniser (the table is built from the same
  data; say so when quoting them).
`negative` rows pair a name with another case's Latin name of the same script (a false match if scored
as one). Deterministic (seed 12).

    .venv/bin/python bench/build_dev_names.py
"""

from __future__ import annotations

import importlib
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

OUT = Path(__file__).with_name("data") / "dev_names_scripts.jsonl"
PER_SCRIPT = 80


def _provider(locale: str) -> type:
    return importlib.import_module(f"faker.providers.person.{locale}").Provider  # type: ignore[no-any-return]


def _names(field: object) -> list[str]:
    return list(field.keys()) if isinstance(field, dict) else list(field)  # type: ignore[call-overload]


def japanese(rnd: random.Random) -> list[dict[str, str]]:
    """Kanji and katakana names beside their romaji."""
    p = _provider("ja_JP")
    family = _names(p.last_name_pairs)
    given = list(p.first_name_pairs)
    out = []
    for i in range(PER_SCRIPT * 2):
        f, g = rnd.choice(family), rnd.choice(given)
        kana = i % 4 == 3
        query = f[1] + " " + g[1] if kana else f[0] + g[0]
        latin = f"{g[2]} {f[2]}" if i % 2 == 0 else f"{f[2].upper()} {g[2]}"
        out.append({"script": "KANA" if kana else "HAN", "lang": "ja", "query": query, "latin": latin})
    return out


def translitted(rnd: random.Random, locale: str, script: str, lang: str) -> list[dict[str, str]]:
    """Faker's names with Faker's own transliteration of them."""
    module = importlib.import_module(f"faker.providers.person.{locale}")
    p = module.Provider
    tr = module.translit
    first = _names(getattr(p, "first_names_male", p.first_names))
    last = _names(getattr(p, "last_names_male", p.last_names))
    middle = _names(getattr(p, "middle_names_male", ()))
    out = []
    for i in range(PER_SCRIPT):
        f, la = rnd.choice(first), rnd.choice(last)
        m = rnd.choice(middle) if middle and i % 2 else ""
        query = " ".join(x for x in (la, f, m) if x) if i % 3 else " ".join(x for x in (f, m, la) if x)
        latin = f"{tr(f)} {tr(la)}" if i % 2 == 0 else f"{tr(la).upper()}, {tr(f)} {tr(m)}".strip()
        out.append({"script": script, "lang": lang, "query": query, "latin": latin})
    return out


def by_name_data(rnd: random.Random, locale: str, script: str, lang: str) -> list[dict[str, str]]:
    """Faker's names whose every word the name data spells in Latin, beside one such spelling each."""
    from exportctl.engine.screening.variants import latin_spelling, variant_spellings

    p = _provider(locale)
    first, last = _names(p.first_names), _names(p.last_names)

    def spell(word: str) -> str:
        w = unicodedata.normalize("NFKC", word).lower()
        top = latin_spelling(w)
        if not top:
            return ""
        options = sorted({top, *(t for t in variant_spellings(top) if t.isascii() and len(t) > 2)})
        return rnd.choice(options)

    out = []
    for _ in range(PER_SCRIPT * 20):
        if len(out) >= PER_SCRIPT:
            break
        words = [rnd.choice(first), rnd.choice(last)]
        if any(re.search(r"[\sA-Za-z]", w) for w in words):
            continue
        latin = [spell(w) for w in words]
        if all(latin):
            out.append(
                {"script": script, "lang": lang, "query": " ".join(words), "latin": " ".join(latin).title()}
            )
    return out


def main() -> None:
    """Write the cases, positives then negatives."""
    rnd = random.Random(12)
    cases = japanese(rnd)
    cases += translitted(rnd, "ru_RU", "CYRILLIC", "ru")
    cases += translitted(rnd, "uk_UA", "CYRILLIC", "uk")
    for locale, script, lang in (
        ("ar_AA", "ARABIC", "ar"),
        ("el_GR", "GREEK", "el"),
        ("fa_IR", "ARABIC", "fa"),
        ("he_IL", "HEBREW", "he"),
        ("ko_KR", "HANGUL", "ko"),
        ("th_TH", "THAI", "th"),
        ("hi_IN", "DEVANAGARI", "hi"),
    ):
        cases += by_name_data(rnd, locale, script, lang)
    for c in cases:
        c["match"] = "true"
    negatives = []
    for c in cases:
        same = [o for o in cases if o["script"] == c["script"] and o["latin"] != c["latin"]]
        if same:
            negatives.append({**c, "latin": rnd.choice(same)["latin"], "match": "false"})
    with OUT.open("w", encoding="utf-8") as fh:
        for c in cases + negatives:
            fh.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}: {len(cases)} positives, {len(negatives)} negatives")


if __name__ == "__main__":
    main()
