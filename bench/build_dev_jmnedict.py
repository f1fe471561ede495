"""Build the Japanese family-name x given-name dev set (bench/data/dev_japanese_jmnedict.jsonl) from JMnedict.

JMnedict (EDRDG, CC BY-SA 4.0; the SQLite file of PyPI `jamdict-data` 1.5, JMnedict of 2020-05-29) lists
Japanese family names (type `surname`) and given names (`given`, `masc`, `fem`) one reading an entry, rare
readings beside common ones (斯波 しば and かすば). Unlike the other two Japanese dev sets (20th-century
persons UniDic mostly reads; gimei's modern names with a family name weighted by rank) the names here are
drawn uniformly from the dictionary, so most are not the common ones: a family name and a given name of one
to three kanji (々 allowed), each with the reading its entry gives, written family name first in kanji. The
Latin side: the reading in passport Hepburn (pykakasi's Hepburn of the kana; ou/oo/uu written short, n before
b/m/p as m) in one of three styles, rotating: "Given Family", "FAMILY Given", "Family Given". `negative`
rows pair a name with another case's Latin name. Deterministic (seed 83). The matcher is tuned on this set.

The reading table `engine/screening/name_readings/jmnedict_names.tsv.gz` is written from the same
dictionary (scripts/build_name_readings.py --jmnedict), so on this set the table reads every name: the figure
checks how names are split and spelt (family or given name first, long vowels, ん as m), not how many names
the table knows. The held-out sets draw on another source (japanese-personal-name-dataset).

    .venv/bin/python bench/build_dev_jmnedict.py PATH/TO/jamdict.db
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import sys
from pathlib import Path

OUT = Path(__file__).with_name("data") / "dev_japanese_jmnedict.jsonl"
N = 400
SEED = 83
_KANJI = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff\u3005]{0,2}$")
_KANA = re.compile(r"^[\u3041-\u3096\u30fc]+$")
_QUERY = (
    "select distinct k.text, n.text from NEKanji k join NEKana n on n.idseq = k.idseq "
    "join NETranslation tr on tr.idseq = k.idseq join NETransType t on t.tid = tr.ID "
    "where t.text in ({}) order by k.text, n.text"
)


def _names(db: sqlite3.Connection, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """(kanji, hiragana) of the entries of these name types, one to three kanji."""
    rows = db.execute(_QUERY.format(",".join("?" * len(kinds))), kinds).fetchall()
    return [(k, r) for k, r in rows if _KANJI.match(k) and _KANA.match(r)]


def passport(kana: str) -> str:
    """Hiragana in passport Hepburn: pykakasi's Hepburn, long vowels short, n before b/m/p as m."""
    import pykakasi

    latin = "".join(str(i["hepburn"]) for i in pykakasi.kakasi().convert(kana))  # type: ignore[no-untyped-call]
    latin = re.sub(r"ou|oo", "o", re.sub(r"uu", "u", latin))
    return re.sub(r"n(?=[bmp])", "m", latin).capitalize()


def main() -> None:
    """Write the cases."""
    db = sqlite3.connect(sys.argv[1])
    families = _names(db, ("surname",))
    givens = _names(db, ("given", "masc", "fem"))
    rnd = random.Random(SEED)
    out = []
    seen: set[str] = set()
    while len(out) < N:
        (fk, fr), (gk, gr) = rnd.choice(families), rnd.choice(givens)
        family, given = passport(fr), passport(gr)
        if fk + gk in seen or len(family) < 2 or len(given) < 2:
            continue
        seen.add(fk + gk)
        style = len(out) % 3
        latin = (
            f"{given} {family}"
            if style == 0
            else f"{family.upper()} {given}"
            if style == 1
            else f"{family} {given}"
        )
        out.append({"script": "HAN", "lang": "ja", "query": fk + gk, "latin": latin, "match": "true"})
    for i, case in enumerate(list(out)):
        other = out[(i + 7) % len(out)]
        out.append({**case, "latin": other["latin"], "match": "false"})
    with OUT.open("w", encoding="utf-8") as fh:
        for case in out:
            fh.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"{len(families)} family names, {len(givens)} given names, {len(out)} cases -> {OUT}")


if __name__ == "__main__":
    main()
