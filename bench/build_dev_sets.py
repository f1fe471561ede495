"""Build the cross-script dev cases (bench/data/dev_cross_script.jsonl) from the lists' own non-Latin aliases.

Each case is one alias written in a non-Latin script, paired with its entry (list, entity_id) and the
entry's Latin name. These are the only cross-script cases the matcher was tuned on; see bench/data/README.md.

    .venv/bin/python bench/build_dev_sets.py
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from screening_common import list_table, load_tables

OUT = Path(__file__).with_name("data") / "dev_cross_script.jsonl"
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


def main() -> None:
    """Write the cases, one JSON object a line."""
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
