"""Build bench/data/dev_clean_mimesis.csv: clean names in Hangul, Arabic and Cyrillic from the locale data of
PyPI mimesis 22.2.0 (MIT; lk-geimfari/mimesis, mimesis/datasets/<locale>/*.json). A dev set (tuned on; issue
#12), apart from bench/heldout's clean names (yente's generator, sinonym, japanese-personal-name-dataset;
seed 33) and from the other dev sets (Faker, seed 12; names-dataset, seeds 44 and 71).

    .venv/bin/python bench/build_dev_mimesis.py --wheel mimesis-22.2.0-py3-none-any.whl

Rows (seed 58):
- ko person (400): a family name by census order (build_dev_nd_names.SURNAMES, weight 1/rank) and a given
  name of mimesis ko's male and female lists, written as Koreans write them (김가영, no space);
- ko entity (200): a mimesis ko company name with a legal form from the same file's list, in front as
  often as not ("주식회사 한솔제지", "(주)한솔제지", "한솔제지 주식회사");
- ar person (400): a given name and a family name (with its article) of mimesis ar-sa / ar-eg / ar-jo /
  ar-sy, and one in four with a father's given name between ("سارة محمد الحربي");
- ru person (300): a given name and a family name of one gender from mimesis ru, one in three with a
  patronymic made from another male given name by the usual suffixes;
- ru entity (200): a legal form of mimesis ru (ООО, АО, ПАО or written out) and a trade name in quotes
  made of one or two words of mimesis ru's word list or street names, capitalised ("ООО «Альбом»").
Names written so in bench/heldout/clean_names.csv are left out (the sets stay apart; nothing else of the
held-out file is read). The wheel is needed only to build; the CSV is kept.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import zipfile
from pathlib import Path

from build_dev_nd_names import SURNAMES, write_rows

OUT = Path(__file__).with_name("data") / "dev_clean_mimesis.csv"
SEED = 58
AR_LOCALES = ("ar-sa", "ar-eg", "ar-jo", "ar-sy")


def _patronymic(name: str, female: bool) -> str:
    """A Russian patronymic from a male given name (Иван -> Иванович / Ивановна)."""
    if name.endswith(("ий", "ей")):
        stem = name[:-1]
        return stem + ("евна" if female else "евич")
    if name.endswith("а"):
        return name[:-1] + ("ична" if female else "ич")
    return name + ("овна" if female else "ович")


def main() -> None:
    """Read the wheel's locale files, draw the names, write the CSV."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", required=True)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    with zipfile.ZipFile(args.wheel) as zf:

        def data(locale: str, kind: str) -> dict:
            return json.loads(zf.read(f"mimesis/datasets/{locale}/{kind}.json"))

        ko_person, ko_fin = data("ko", "person"), data("ko", "finance")
        ar_people = [data(loc, "person") for loc in AR_LOCALES]
        ru_person, ru_fin = data("ru", "person"), data("ru", "finance")
        ru_words, ru_streets = data("ru", "text")["words"], data("ru", "address")["street"]["name"]
    rng = random.Random(args.seed)
    rows: list[dict[str, str]] = []
    heldout = Path(__file__).with_name("heldout") / "clean_names.csv"
    with heldout.open(encoding="utf-8") as fh:
        seen: set[str] = {row["query"] for row in csv.DictReader(fh)}

    def add(lang: str, script: str, kind: str, name: str) -> bool:
        if name in seen:  # drawn already, or a held-out name
            return False
        seen.add(name)
        rows.append({"id": f"mm{len(rows):05d}", "lang": lang, "script": script, "type": kind, "query": name})
        return True

    ko_family = list(SURNAMES["ko"])
    ko_fw = [1.0 / (k + 1) for k in range(len(ko_family))]
    ko_given = ko_person["names"]["male"] + ko_person["names"]["female"]
    n = 0
    while n < 400:
        n += add("ko", "HANGUL", "person", rng.choices(ko_family, ko_fw)[0] + rng.choice(ko_given))
    forms = ko_fin["company"]["type"]["title"] + ko_fin["company"]["type"]["abbr"]
    forms = [f for f in forms if f != "LLC"]
    n = 0
    while n < 200:
        company, form = rng.choice(ko_fin["company"]["name"]), rng.choice(forms)
        r = rng.random()
        name = f"{form} {company}" if r < 0.4 else f"{form}{company}" if r < 0.55 else f"{company} {form}"
        n += add("ko", "HANGUL", "entity", name)
    n = 0
    while n < 400:
        people = rng.choice(ar_people)
        sex = rng.choice(("male", "female"))
        given = rng.choice(people["names"][sex])
        family = rng.choice(people["surnames"])
        father = rng.choice(people["names"]["male"])
        words = [given, father, family] if rng.random() < 0.25 and father != given else [given, family]
        n += add("ar", "ARABIC", "person", " ".join(words))
    n = 0
    while n < 300:
        sex = rng.choice(("male", "female"))
        given = rng.choice(ru_person["names"][sex])
        family = rng.choice(ru_person["surnames"][sex])
        if rng.random() < 1 / 3:
            father = _patronymic(rng.choice(ru_person["names"]["male"]), sex == "female")
            name = f"{given} {father} {family}"
        else:
            name = f"{given} {family}"
        n += add("ru", "CYRILLIC", "person", name)
    ru_forms = ru_fin["company"]["type"]["abbr"] + ru_fin["company"]["type"]["title"]
    ru_forms = [f.replace("ПAO", "ПАО") for f in ru_forms]  # the data set writes a Latin A in one
    nouns = [w for w in ru_words if len(w) >= 4]
    streets = [s for s in ru_streets if s.replace("-", "").isalpha() and " " not in s]
    n = 0
    while n < 200:
        if rng.random() < 0.5:
            trade = rng.choice(nouns).capitalize()
            if rng.random() < 0.3:
                trade += " " + rng.choice(nouns).capitalize()
        else:
            trade = rng.choice(streets)
        n += add("ru", "CYRILLIC", "entity", f"{rng.choice(ru_forms)} «{trade}»")
    write_rows(args.out, rows)


if __name__ == "__main__":
    main()
