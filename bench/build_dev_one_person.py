"""Build bench/data/dev_one_person.jsonl: one listed person in many spellings, a dev set (tuned on;
issue #12), made from the bundled lists themselves (CSL 2026-07-31 with its SDN persons), and the same
spelling kinds applied to the dev clean names (false alerts).

    .venv/bin/python bench/build_dev_one_person.py [--seed 71] [--per-kind 300]

Rows (`set`: "listed" or "clean"; `kind`; `query`; `country`; for listed rows `list`, `entity_id`, `target`
and `drop`, the alias taken out of the index when the row is screened):
- alias (leave one alias out): a person of the CSL with several AKAs, one AKA (a spelling of the same person:
  its family name is near the primary name's, by rapidfuzz, so other identities and maiden names are left
  out) screened against the lists without that AKA;
- generated from the primary name "FAMILY, Given [Patronymic]" of listed persons: initials before
  ("V. V. Family") and after ("Family V.V."), one initial ("V Family"), a title or office with the surname
  only and the person's country in the `country` column ("Minister Family"; only persons whose family name
  no other listed person's primary name has), given before family without a comma ("Given Family"), family
  first without a comma ("Family Given Patronymic"), patronymic inside ("Given Patronymic Family") and
  dropped ("Given Family" of a name with one);
- clean (set "clean"): the same kinds applied to the dev clean persons in Latin letters (en_US of
  dev_clean_names.csv) and in Cyrillic (ru, uk of dev_clean_names.csv and dev_clean_mimesis.csv, written in
  Latin letters with anyascii, which the matcher does not use): none of them is listed, so every alert is
  false.
Putin (the held-out one-person set's subject) is left out, and so is any query written so in bench/heldout
(only the query column of those files is read, to keep the sets apart).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Indel

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "data" / "dev_one_person.jsonl"
SEED = 71
# Offices and titles written before a surname in news and correspondence (test data, not matcher policy).
TITLES = (
    "President", "Prime Minister", "Minister", "Foreign Minister", "Defence Minister", "Deputy Minister",
    "General", "Gen.", "Lt. Gen.", "Col.", "Colonel", "Admiral", "Mr.", "Mrs.", "Ms.", "Dr.", "Senator",
    "Governor", "Ambassador", "Director", "Chairman", "Deputy", "Sheikh", "Mayor",
)  # fmt: skip
PATRONYMIC = re.compile(r"(ovich|evich|ovych|evych|ovna|evna|ivna|ichna|ich|ogly|kyzy)$", re.I)
CYR_PATRONYMIC = re.compile(r"(вич|вна|ична|ич)$")
WORD = re.compile(r"^[A-Za-z][A-Za-z'-]+$")


def fold(text: str) -> str:
    """Accents off, lower case (a key apart from exportctl's normaliser)."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def key(text: str) -> str:
    """Sorted words of a name, accents and punctuation off."""
    return " ".join(sorted(re.findall(r"[a-z0-9]+", fold(text))))


def heldout_queries() -> set[str]:
    """The query column of every held-out file (nothing else is read)."""
    out: set[str] = set()
    for path in (BENCH / "heldout").glob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            out.update(r["query"] for r in csv.DictReader(fh))
    return out


def split(name: str) -> tuple[str, list[str]] | None:
    """ "FAMILY, Given [Middle]" -> ("Family", ["Given", "Middle"]) for plain Latin names, else None."""
    if name.count(",") != 1:
        return None
    fam, given = (p.strip() for p in name.split(","))
    words = given.split()
    if " " in fam or not WORD.match(fam) or not 1 <= len(words) <= 2 or not all(WORD.match(w) for w in words):
        return None
    return fam.title(), [w.title() for w in words]


def initials(words: list[str], dotted: bool, spaced: bool) -> str:
    """ "V. V." / "V.V." / "V V" of given words."""
    marks = [w[0] + ("." if dotted else "") for w in words]
    return (" " if spaced or not dotted else "").join(marks)


def listed_rows(rng: random.Random, per_kind: int, taken: set[str]) -> list[dict[str, str]]:
    """Leave-one-alias-out rows and generated spellings of listed persons."""
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

    def add(kind: str, query: str, r: dict, drop: str = "", country: str = "") -> None:
        if query in taken:
            return
        rows.append(
            {"set": "listed", "kind": kind, "query": query, "country": country, "list": r["list"],
             "entity_id": r["entity_id"], "target": r["name"], "drop": drop}
        )  # fmt: skip

    alias_rows = []
    for r in persons:
        fam = fold(str(r["name"]).split(",")[0])
        own = key(r["name"])
        for alias in r["aliases"] or []:
            afam = fold(alias.split(",")[0])
            if key(alias) == own or not alias.isascii() or len(alias.split()) < 2:
                continue
            if Indel.normalized_similarity(fam, afam) >= 0.6:
                alias_rows.append((r, alias))
    for r, alias in rng.sample(alias_rows, min(per_kind * 2, len(alias_rows))):
        add("alias", alias, r, drop=alias)
    parsed = [(r, p) for r in persons if (p := split(str(r["name"])))]
    families = Counter(fold(p[0]) for _r, p in parsed)
    for r, (fam, given) in rng.sample(parsed, min(per_kind, len(parsed))):
        add("initials_front", f"{initials(given, True, True)} {fam}", r)
    for r, (fam, given) in rng.sample(parsed, min(per_kind, len(parsed))):
        add("initials_back", f"{fam} {initials(given, True, False)}", r)
    for r, (fam, given) in rng.sample(parsed, min(per_kind, len(parsed))):
        add("initial_one", f"{given[0][0]} {fam}", r)
    unique = [(r, p) for r, p in parsed if families[fold(p[0])] == 1 and len(p[0]) >= 3]
    for r, (fam, _given) in rng.sample(unique, min(per_kind, len(unique))):
        country = (r["countries"] or [""])[0] if rng.random() < 0.7 else ""
        add("title_surname", f"{rng.choice(TITLES)} {fam}", r, country=country)
    plain = [(r, p) for r, p in parsed if not (len(p[1]) == 2 and PATRONYMIC.search(p[1][1]))]
    patr = [(r, p) for r, p in parsed if len(p[1]) == 2 and PATRONYMIC.search(p[1][1])]
    for r, (fam, given) in rng.sample(plain, min(per_kind, len(plain))):
        add("inverted", " ".join([*given, fam]), r)
    for r, (fam, given) in rng.sample(parsed, min(per_kind, len(parsed))):
        add("family_first", " ".join([fam, *given]), r)
    for r, (fam, given) in rng.sample(patr, min(per_kind, len(patr))):
        add("patronymic_inside", " ".join([*given, fam]), r)
    for r, (fam, given) in rng.sample(patr, min(per_kind, len(patr))):
        add("patronymic_dropped", f"{given[0]} {fam}", r)
    return rows


def clean_persons() -> list[tuple[str, str, list[str]]]:
    """(lang, family, given words) of the dev clean persons in Latin and Cyrillic letters."""
    from anyascii import anyascii

    out: list[tuple[str, str, list[str]]] = []
    for name in ("dev_clean_names.csv", "dev_clean_mimesis.csv"):
        with (BENCH / "data" / name).open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                if r["type"] != "person" or r["script"] not in ("LATIN", "CYRILLIC"):
                    continue
                words = r["query"].split()
                if not 2 <= len(words) <= 3:
                    continue
                if r["script"] == "CYRILLIC" and len(words) == 3 and CYR_PATRONYMIC.search(words[2]):
                    fam, given = words[0], words[1:]  # Family Given Patronymic
                elif r["script"] == "CYRILLIC" and len(words) == 3 and CYR_PATRONYMIC.search(words[1]):
                    fam, given = words[2], words[:2]  # Given Patronymic Family
                else:
                    fam, given = words[-1], words[:-1]
                latin = [anyascii(w).replace("'", "") for w in (fam, *given)]
                if all(WORD.match(w) for w in latin):
                    out.append((r["lang"], latin[0], latin[1:]))
    return out


def clean_rows(rng: random.Random, taken: set[str]) -> list[dict[str, str]]:
    """The spelling kinds applied to clean persons: every alert on them is false."""
    rows: list[dict[str, str]] = []
    for lang, fam, given in clean_persons():
        kinds = {
            "plain": " ".join([*given, fam]),
            "initials_front": f"{initials(given, True, True)} {fam}",
            "initials_back": f"{fam} {initials(given, True, False)}",
            "initial_one": f"{given[0][0]} {fam}",
            "title_surname": f"{rng.choice(TITLES)} {fam}",
            "family_first": " ".join([fam, *given]),
        }
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
    counts = Counter((r["set"], r["kind"]) for r in rows)
    for (s, k), n in sorted(counts.items()):
        print(f"{s:7} {k:20} {n:5}")
    print(f"wrote {len(rows)} rows to {args.out}")


if __name__ == "__main__":
    main()
