"""Build the screening dev sets in bench/data (the matcher is tuned on these; see bench/data/README.md).

- dev_cross_script.jsonl: the lists' own non-Latin aliases, each paired with its entry (list, entity_id) and
  the entry's Latin name.
- dev_clean_names.csv: clean persons and companies in 13 locales and 11 scripts made with Faker (PyPI faker,
  MIT; seed 12), a source and seed apart from bench/heldout's clean names (yente's generator, sinonym,
  japanese-personal-name-dataset; seed 33). Faker is needed only to build it (`--clean`).

    .venv/bin/python bench/build_dev_sets.py [--clean]
"""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from pathlib import Path

from screening_common import list_table, load_tables

OUT = Path(__file__).with_name("data") / "dev_cross_script.jsonl"
CLEAN_OUT = OUT.with_name("dev_clean_names.csv")
CLEAN_SEED = 12  # bench/heldout's clean names use seed 33 and other generators
PERSON_LOCALES = (
    "zh_CN", "zh_TW", "ja_JP", "ko_KR", "ar_SA", "fa_IR", "he_IL",
    "ru_RU", "uk_UA", "el_GR", "th_TH", "hi_IN", "en_US",
)  # fmt: skip
COMPANY_LOCALES = ("zh_CN", "ja_JP", "ko_KR", "ru_RU", "fa_IR", "th_TH")
PERSONS, COMPANIES = 300, 100
SCRIPTS = (
    "ARABIC",
    "CYRILLIC",
    "GREEK",
    "HEBREW",
    "CJK",
    "HANGUL",
    "HIRAGANA",
    "KATAKANA",
    "THAI",
    "DEVANAGARI",
)


def script_of(text: str) -> str:
    """The first non-Latin script of a name's letters ('' when all letters are Latin)."""
    seen: list[str] = []
    for ch in text:
        if ch.isalpha() and not ch.isascii():
            word = unicodedata.name(ch, "").split(" ")[0]
            if word in SCRIPTS and word not in seen:
                seen.append(word)
    if not seen:
        return ""
    if any(s in ("HIRAGANA", "KATAKANA") for s in seen):
        return "KANA"
    return "HAN" if seen[0] == "CJK" else seen[0]


def clean_names() -> None:
    """Write dev_clean_names.csv: Faker persons (given and family name, as each locale writes them; Russian
    and Ukrainian with patronymics as Faker writes them) and companies; listed names and repeats left out."""
    from faker import Faker

    from exportctl.engine.screening import build_index, normalise
    from exportctl.engine.screening.normalise import name_key

    index = build_index(list_table(load_tables()))
    rows: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(lang: str, kind: str, name: str) -> None:
        toks = normalise(name)
        if not name or name in seen or (toks and name_key(toks) in index.keys):
            return
        seen.add(name)
        rows.append(
            {"id": f"dev{len(rows):05d}", "lang": lang, "script": script_of(name) or "LATIN", "type": kind,
             "query": name}
        )  # fmt: skip

    for loc in PERSON_LOCALES:
        fake = Faker(loc)
        fake.seed_instance(CLEAN_SEED)
        sep = " " if loc in ("ja_JP",) or script_of(fake.last_name()) not in ("HAN", "HANGUL") else ""
        for _ in range(PERSONS):
            if loc in ("ru_RU", "uk_UA"):
                add(loc, "person", fake.name())
            else:
                add(loc, "person", f"{fake.first_name()} {fake.last_name()}" if sep == " " and loc != "ja_JP"
                    else f"{fake.last_name()}{sep}{fake.first_name()}")  # fmt: skip
    for loc in COMPANY_LOCALES:
        fake = Faker(loc)
        fake.seed_instance(CLEAN_SEED)
        for _ in range(COMPANIES):
            add(loc, "entity", fake.company())
    with CLEAN_OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "lang", "script", "type", "query"])
        w.writeheader()
        w.writerows(rows)
    print(CLEAN_OUT, len(rows))


def main() -> None:
    """Write the cases, one JSON object a line."""
    if "--clean" in sys.argv:
        clean_names()
        return
    lists = list_table(load_tables())
    rows = []
    for lst, eid, name, aliases, etype in lists.select(
        "list", "entity_id", "name", "aliases", "type"
    ).iter_rows():
        if not name or script_of(name):
            continue
        for alias in aliases or []:
            script = script_of(alias)
            if script:
                rows.append(
                    {
                        "query": alias,
                        "script": script,
                        "list": lst,
                        "entity_id": eid,
                        "latin": name,
                        "type": etype,
                    }
                )
    seen = set()
    with OUT.open("w", encoding="utf-8") as fh:
        for r in rows:
            key = (r["query"], r["list"], r["entity_id"])
            if key not in seen:
                seen.add(key)
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["script"]] = counts.get(r["script"], 0) + 1
    print(OUT, len(seen), counts)


if __name__ == "__main__":
    main()
