"""Build bench/data/dev_person_forms.jsonl: more forms of one listed person's name (a dev set, tuned on;
issue #12), beside bench/data/dev_one_person.jsonl and in its row format (measured by
`bench/screening_one_person_dev.py --file dev_person_forms.jsonl`).

    .venv/bin/python bench/build_dev_person_forms.py [--seed 83] [--per-kind 300]

From the primary names "FAMILY, Given [Patronymic]" of the SDN persons of the CSL 2026-07-31:
- title_full: a title or honorific in one of several languages and the full name, the patronymic (or middle
  name) as an initial ("Herr Vadim S. Dobrov", "Dr. Vadim S. Dobrov");
- title_foreign: an honorific of another language than English and the surname alone ("Gospodin Dobrov",
  "Señor Dobrov"), the person's country in the `country` column 70% of the time (only persons whose family
  name no other listed primary name has);
- family_comma_given: "Family, Given" with the patronymic left out;
- given_patronymic: the given name and patronymic alone ("Vadim Sergeevich"), the Russian form of address.
Clean rows: the same kinds applied to the dev clean persons of bench/build_dev_one_person.py (en_US, ru and
uk persons of the dev clean sets, in Latin letters by anyascii): none is listed, every alert is false.
The honorifics are test data written here (the ordinary word in each language), not the matcher's title
data. Putin (the held-out one-person set's subject) is left out, and so is any query written so in a
bench/heldout file (only their query column is read).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

from build_dev_one_person import PATRONYMIC, clean_persons, fold, heldout_queries, split

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "data" / "dev_person_forms.jsonl"
SEED = 83
TITLES = (
    "Dr.", "Prof.", "Mr.", "Mrs.", "General", "Herr", "Frau", "Monsieur", "Madame", "Señor", "Señora",
    "Signor", "Signora", "Senhor", "Gospodin", "Gospozha", "Meneer", "Mevrouw", "Präsident", "Président",
    "Presidente", "Premier", "Ministro", "Sheikh", "H.E.", "Pan", "Don", "Sr.", "Dott.", "Ing.",
)  # fmt: skip
FOREIGN = tuple(t for t in TITLES if t not in ("Dr.", "Prof.", "Mr.", "Mrs.", "General", "H.E."))


def listed_rows(rng: random.Random, per_kind: int, taken: set[str]) -> list[dict[str, str]]:
    """Generated forms of listed persons' primary names."""
    sys.path.insert(0, str(BENCH))
    from screening_common import list_table, load_tables

    lists = list_table(load_tables())
    persons = [
        r
        for r in lists.iter_rows(named=True)
        if str(r["type"] or "").lower() in ("individual", "person")
        and r["list"] == "SDN"
        and "PUTIN" not in str(r["name"]).upper()
    ]
    rows: list[dict[str, str]] = []

    def add(kind: str, query: str, r: dict, country: str = "") -> None:
        if query not in taken:
            rows.append(
                {"set": "listed", "kind": kind, "query": query, "country": country, "list": r["list"],
                 "entity_id": r["entity_id"], "target": r["name"], "drop": ""}
            )  # fmt: skip

    parsed = [(r, p) for r in persons if (p := split(str(r["name"])))]
    families = Counter(fold(p[0]) for _r, p in parsed)
    for r, (fam, given) in rng.sample(parsed, min(per_kind, len(parsed))):
        middle = f" {given[1][0]}." if len(given) == 2 else ""
        add("title_full", f"{rng.choice(TITLES)} {given[0]}{middle} {fam}", r)
    unique = [(r, p) for r, p in parsed if families[fold(p[0])] == 1 and len(p[0]) >= 3]
    for r, (fam, _given) in rng.sample(unique, min(per_kind, len(unique))):
        country = (r["countries"] or [""])[0] if rng.random() < 0.7 else ""
        add("title_foreign", f"{rng.choice(FOREIGN)} {fam}", r, country=country)
    for r, (fam, given) in rng.sample(parsed, min(per_kind, len(parsed))):
        add("family_comma_given", f"{fam}, {given[0]}", r)
    patr = [(r, p) for r, p in parsed if len(p[1]) == 2 and PATRONYMIC.search(p[1][1])]
    for r, (_fam, given) in rng.sample(patr, min(per_kind, len(patr))):
        add("given_patronymic", " ".join(given), r)
    return rows


def clean_rows(rng: random.Random, taken: set[str]) -> list[dict[str, str]]:
    """The same forms of clean persons: every alert on them is false."""
    rows: list[dict[str, str]] = []
    for lang, fam, given in clean_persons():
        middle = f" {given[1][0]}." if len(given) == 2 else ""
        kinds = {
            "title_full": f"{rng.choice(TITLES)} {given[0]}{middle} {fam}",
            "title_foreign": f"{rng.choice(FOREIGN)} {fam}",
            "family_comma_given": f"{fam}, {given[0]}",
        }
        if len(given) == 2 and PATRONYMIC.search(given[1]):
            kinds["given_patronymic"] = " ".join(given)
        for kind, query in kinds.items():
            if query not in taken:
                rows.append({"set": "clean", "kind": kind, "query": query, "country": "", "lang": lang})
    return rows


def main() -> None:
    """Draw the rows and write the JSONL file."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--per-kind", type=int, default=300)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    taken = heldout_queries()
    rows = listed_rows(rng, args.per_kind, taken) + clean_rows(rng, taken)
    with args.out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    for (s, k), n in sorted(Counter((r["set"], r["kind"]) for r in rows).items()):
        print(f"{s:7} {k:20} {n:5}")
    print(f"wrote {len(rows)} rows to {args.out}")


if __name__ == "__main__":
    main()
