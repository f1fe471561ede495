"""Build bench/data/dev_clean_faker2.csv: more clean persons and companies of the kinds that raise false
alerts (Korean persons and companies in Hangul, Chinese persons in Han, Arabic persons, Russian
companies), from PyPI faker's locale providers (MIT) with another seed. A dev set (tuned on; issue #12).

    .venv/bin/python bench/build_dev_faker2.py

Rows (seed 91):
- ko person (500): a family name by census order (build_dev_nd_names.SURNAMES, weight 1/rank) and a
  given name of faker ko_KR's first names, written as Koreans write them (no space);
- ko entity (500): faker ko_KR's `company()` ("(주) 가야항공", "유한회사 원더코리아유통");
- zh person (500): faker zh_CN's `name()` (its family names carry the census weights faker gives them);
- ar person (500): faker ar_SA / ar_PS / ar_AA / ar_DZ `first_name() last_name()` (no titles);
- ru entity (500): faker ru_RU's `company()` made up of family names ("ООО «Фролов»", "ОАО «Мясников,
  Фокин и Большакова»"); its list of large real companies (some listed) is left out.
Names written so in bench/heldout/clean_names.csv or in another dev clean set are left out (the sets stay
apart; nothing else of the held-out file is read). Deterministic for one faker version.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from build_dev_nd_names import SURNAMES, write_rows
from faker import Faker

DATA = Path(__file__).with_name("data")
OUT = DATA / "dev_clean_faker2.csv"
SEED = 91
PER_KIND = 500
AR_LOCALES = ("ar_SA", "ar_PS", "ar_AA", "ar_DZ")


def main() -> None:
    """Draw the names and write the CSV."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--per-kind", type=int, default=PER_KIND)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    seen: set[str] = set()
    others = [Path(__file__).with_name("heldout") / "clean_names.csv"]
    others += [p for p in sorted(DATA.glob("dev_clean_*.csv")) if p != args.out]
    for path in others:
        with path.open(encoding="utf-8") as fh:
            seen |= {row["query"] for row in csv.DictReader(fh)}
    rows: list[dict[str, str]] = []

    def add(lang: str, script: str, kind: str, name: str) -> bool:
        name = " ".join(name.split())
        if not name or name in seen:
            return False
        seen.add(name)
        rows.append({"id": f"fk{len(rows):05d}", "lang": lang, "script": script, "type": kind, "query": name})
        return True

    def fake(locale: str) -> Faker:
        f = Faker(locale)
        f.seed_instance(rng.randrange(1 << 30))
        return f

    ko = fake("ko_KR")
    ko_family = list(SURNAMES["ko"])
    ko_fw = [1.0 / (k + 1) for k in range(len(ko_family))]
    n = 0
    while n < args.per_kind:
        n += add("ko", "HANGUL", "person", rng.choices(ko_family, ko_fw)[0] + ko.first_name())
    n = 0
    while n < args.per_kind:
        n += add("ko", "HANGUL", "entity", ko.company())
    zh = fake("zh_CN")
    n = 0
    while n < args.per_kind:
        n += add("zh", "HAN", "person", zh.name())
    ars = [fake(loc) for loc in AR_LOCALES]
    n = 0
    while n < args.per_kind:
        f = rng.choice(ars)
        n += add("ar", "ARABIC", "person", f"{f.first_name()} {f.last_name()}")
    ru = fake("ru_RU")
    n = 0
    while n < args.per_kind:
        name = ru.company()
        # faker's list of large Russian companies holds listed ones (Россельхозбанк): only its made-up
        # names, a legal form and family names in quotes, are clean
        n += "«" in name and add("ru", "CYRILLIC", "entity", name)
    write_rows(args.out, rows)


if __name__ == "__main__":
    main()
