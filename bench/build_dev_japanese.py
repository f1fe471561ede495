"""Build the Japanese kanji person-name dev set (bench/data/dev_japanese_names.jsonl) from JMnedict.

JMnedict (EDRDG, CC BY-SA 4.0; read from the SQLite file of PyPI `jamdict-data` 1.5, JMnedict of 2020-05-29)
lists persons by their kanji name with its reading and a romanised gloss, family name first
("夏目漱石", "Natsume Souseki (1867-1916)"). Kept: persons born in the 20th or 21st century (a year 19xx or
20xx in the gloss), written in 3-5 kanji (々 allowed), glossed as two Latin words. A source no held-out set
uses (those draw on japanese-personal-name-dataset, the UN list, watchman, nomenklatura, rigour's tests).
Each person gives one case, its Latin side in one of three styles, rotating: "Given Family" and
"FAMILY Given" in passport Hepburn (macrons and ou/uu written short, as the held-out's builder does with
another source), "Family Given" as JMnedict writes it, macrons taken off. `negative` rows pair a name with
another case's Latin name. Deterministic (seed 44). The matcher is tuned on this set.

    .venv/bin/python bench/build_dev_japanese.py PATH/TO/jamdict.db
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).with_name("data") / "dev_japanese_names.jsonl"
N = 400
_KANJI = re.compile(r"^[\u4e00-\u9fff\u3005]{3,5}$")
_GLOSS = re.compile(r"^([A-Z][a-zāīūēō]+) ([A-Z][a-zāīūēō]+) \(.*\b(19|20)\d\d\b")


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _passport(word: str) -> str:
    return re.sub(r"ou|oo", "o", re.sub(r"uu", "u", _plain(word).lower())).capitalize()


def main() -> None:
    """Write the cases."""
    db = sqlite3.connect(sys.argv[1])
    rows = db.execute(
        "select distinct k.text, g.text from NETransType t join NETranslation tr on tr.ID = t.tid "
        "join NEKanji k on k.idseq = tr.idseq join NETransGloss g on g.tid = tr.ID "
        "where t.text = 'person' order by k.text, g.text"
    ).fetchall()
    seen: set[str] = set()
    people: list[tuple[str, str, str]] = []
    for kanji, gloss in rows:
        m = _GLOSS.match(gloss)
        if not m or not _KANJI.match(kanji) or kanji in seen:
            continue
        seen.add(kanji)
        people.append((kanji, m.group(1), m.group(2)))
    rnd = random.Random(44)
    picked = rnd.sample(people, N)
    out = []
    for i, (kanji, family, given) in enumerate(picked):
        style = i % 3
        if style == 0:
            latin = f"{_passport(given)} {_passport(family)}"
        elif style == 1:
            latin = f"{_passport(family).upper()} {_passport(given)}"
        else:
            latin = f"{_plain(family)} {_plain(given)}"
        out.append({"script": "HAN", "lang": "ja", "query": kanji, "latin": latin, "match": "true"})
    for i, case in enumerate(list(out)):
        other = out[(i + 7) % len(out)]
        out.append({**case, "latin": other["latin"], "match": "false"})
    with OUT.open("w", encoding="utf-8") as fh:
        for case in out:
            fh.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"{len(people)} persons, {len(out)} cases -> {OUT}")


if __name__ == "__main__":
    main()
