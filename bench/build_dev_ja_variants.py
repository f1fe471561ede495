"""Build the Japanese romanisation-variant dev set (bench/data/dev_japanese_variants.jsonl) from PyPI
`name-variants`.

name-variants 0.1.3 (MIT, Security Ronin Ltd; `name_variants/japanese_surnames.py` and
`japanese_given_names.py`) lists common Japanese family names (143) and given names (107) in kanji, each
with the Latin spellings people write it in: several readings of one name (河野 kono, kawano; 大翔 hiroto,
haruto, yamato) and the Hepburn variants of one reading (伊藤 ito, itou, itoh; 大野 ohno, ono; 佐藤 sato,
satō). Written by hand by its authors, not by any romaniser this project uses, and a source no held-out
set uses (those draw on japanese-personal-name-dataset, the UN list, watchman, nomenklatura, rigour's
tests). Each positive case: a family name and a given name drawn uniformly, written family name first in
kanji; the Latin side one of the listed spellings of each, drawn uniformly, in one of three styles,
rotating: "Given Family", "FAMILY Given", "Family Given". Negatives are near pairs that must not match: the
same kanji beside the Latin name of a case with the same family name and another given name (no spelling
in common), or the same given name and another family name. Deterministic (seed 71). The matcher is tuned
on this set.

    .venv/bin/python bench/build_dev_ja_variants.py PATH/TO/name_variants-0.1.3-py3-none-any.whl
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

OUT = Path(__file__).with_name("data") / "dev_japanese_variants.jsonl"
N = 400


def _load(wheel: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(family kanji -> spellings, given kanji -> spellings), kanji keys only (no katakana names)."""
    sys.path.insert(0, wheel)  # a wheel is a zip Python imports from
    from name_variants.japanese_given_names import JAPANESE_GIVEN_NAME_VARIANTS
    from name_variants.japanese_surnames import JAPANESE_SURNAME_VARIANTS

    def kanji(table: dict[str, dict[str, list[str]]]) -> dict[str, list[str]]:
        return {
            k: list(v["forms"])
            for k, v in table.items()
            if all("\u4e00" <= c <= "\u9fff" or c == "々" for c in k)
        }

    return kanji(JAPANESE_SURNAME_VARIANTS), kanji(JAPANESE_GIVEN_NAME_VARIANTS)  # type: ignore[arg-type]


def _latin(family: str, given: str, style: int) -> str:
    f, g = family.capitalize(), given.capitalize()
    return f"{g} {f}" if style == 0 else f"{f.upper()} {g}" if style == 1 else f"{f} {g}"


def main() -> None:
    """Write the cases."""
    families, givens = _load(sys.argv[1])
    rnd = random.Random(71)
    fam_keys, giv_keys = sorted(families), sorted(givens)
    seen: set[str] = set()
    out = []
    while len(out) < N:
        fam, giv = rnd.choice(fam_keys), rnd.choice(giv_keys)
        if fam + giv in seen:
            continue
        seen.add(fam + giv)
        latin = _latin(rnd.choice(families[fam]), rnd.choice(givens[giv]), len(out) % 3)
        out.append({"script": "HAN", "lang": "ja", "query": fam + giv, "latin": latin, "match": "true"})
        out[-1]["_f"], out[-1]["_g"] = fam, giv
    negatives = []
    for i, case in enumerate(out):
        fam, giv = case.pop("_f"), case.pop("_g")
        if i % 2 == 0:  # same family name, another given name with no spelling in common
            other = rnd.choice([g for g in giv_keys if not set(givens[g]) & set(givens[giv])])
            latin = _latin(rnd.choice(families[fam]), rnd.choice(givens[other]), i % 3)
        else:  # same given name, another family name with no spelling in common
            other = rnd.choice([f for f in fam_keys if not set(families[f]) & set(families[fam])])
            latin = _latin(rnd.choice(families[other]), rnd.choice(givens[giv]), i % 3)
        negatives.append({**case, "latin": latin, "match": "false"})
    with OUT.open("w", encoding="utf-8") as fh:
        for case in out + negatives:
            fh.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"{len(families)} family and {len(givens)} given names, {len(out) + len(negatives)} cases -> {OUT}")


if __name__ == "__main__":
    main()
