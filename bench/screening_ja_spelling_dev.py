"""Japanese given names no name list reads, spelt kanji by kanji (`ja_names.kanji_latin`), dev (tuned on).

`ja_names.read_as` reads a given name by the readings the name data gives it (gimei, JMnedict) and, when the
data lacks the name, spells it with the name readings of its kanji in order (陽翔 Haruto: haru + to). This
prints how often that spelling alone finds a name's reading: JMnedict's given names (types `given`, `masc`,
`fem`; two or three kanji; EDRDG, CC BY-SA 4.0, the SQLite file of PyPI `jamdict-data` 1.5) that gimei's list
(the table the per-kanji readings were first cut from) lacks, 3,000 drawn (seed 5), each beside its own
reading in passport Hepburn (pairs: spelt is a find) and beside the reading of another name of the sample
(negatives: spelt is a false find), with the mean number of spellings per kanji (the search's size).

    .venv/bin/python bench/screening_ja_spelling_dev.py PATH/TO/jamdict.db

Prints figures; asserts nothing.
"""

from __future__ import annotations

import random
import re
import sqlite3
import sys
import time

N = 3000
_GIVEN = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
_HIRA = re.compile(r"^[\u3041-\u3096]+$")


def main() -> None:
    """Print the shares."""
    from exportctl.engine.screening.ja_names import _spelt, given_readings, kanji_latin
    from exportctl.engine.screening.japanese import _hepburn, _short

    db = sqlite3.connect(sys.argv[1])
    rows = db.execute(
        "select distinct k.text, n.text from NEKanji k join NEKana n on n.idseq = k.idseq "
        "join NETranslation tr on tr.idseq = k.idseq join NETransType t on t.tid = tr.ID "
        "where t.text in ('given', 'masc', 'fem') order by k.text, n.text"
    ).fetchall()
    rows = [(k, r) for k, r in rows if _GIVEN.match(k) and _HIRA.match(r) and not given_readings(k)]
    random.Random(5).shuffle(rows)
    rows = rows[:N]
    start = time.perf_counter()
    found = false = sizes = chars = 0
    for i, (kanji, reading) in enumerate(rows):
        sets = [kanji_latin(c) for c in kanji]
        sizes, chars = sizes + sum(len(s) for s in sets), chars + len(sets)
        latin = _short(_hepburn(reading))
        found += _spelt(sets, latin)
        other = _short(_hepburn(rows[(i + 13) % len(rows)][1]))
        false += other != latin and _spelt(sets, other)
    secs = time.perf_counter() - start
    what = f"{len(rows)} JMnedict names gimei lacks, {secs:.1f}s"
    print(f"== Japanese given names spelt kanji by kanji, dev ({what})")
    print(f"  pairs spelt {found / len(rows):.3f} | negatives spelt {false / len(rows):.4f}")
    print(f"  spellings per kanji (mean) {sizes / chars:.1f}")


if __name__ == "__main__":
    main()
