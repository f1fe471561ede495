"""Build bench/data/dev_clean_companies.csv: clean company names of the kinds that raise false alerts, a legal
form beside one short or common word, and Chinese companies with a province or city prefix, in Han, kana,
Hangul, Cyrillic, Arabic script and Latin letters, from PyPI faker's locale providers (MIT). A dev set
(tuned on; issue #12).

    PYTHONPATH=src .venv/bin/python bench/build_dev_companies.py

Rows (seed 97, PER_KIND each):
- zh entity: faker zh_CN `company()` ("昊嘉科技有限公司"), half of them behind a province or city of faker
  zh_CN's address provider ("浙江昊嘉科技有限公司", "荆门佳禾传媒有限公司");
- ja entity: faker ja_JP `company()` ("山田電気株式会社"), or a legal form (株式会社, 合同会社,
  有限会社) before or behind one word of faker ja_JP's lorem word list ("株式会社コミュニティ");
- ko entity: one or two of faker ko_KR's company name words behind or before a legal form ("네오 주식회사",
  "(주)스타에코"): the order faker ko_KR's `company()` does not write;
- ru entity: a legal form (ООО, АО, ПАО, ЗАО, ОАО) and one word of faker ru_RU's lorem word list in quotes
  ("ООО «Монета»");
- ar entity: شركة and one word of faker ar_AA's lorem word list, sometimes with المحدودة or ذ.م.م;
- en entity: one word of faker en_US's lorem word list with a legal form ("Effort LLC", "Care Co., Ltd.").
Rows written so in another dev clean set are left out, and so are names that are listed: a query the
matcher meets at 0.999 or more when it is written in Latin or Cyrillic letters (their reading is exact:
"ООО «Альфа»" is the listed LLC ALFA), or that equals a listed name or alias (NFKC, case and spaces
ignored). A Han, kana, Hangul or Arabic name met only through its reading ("유한회사 스타" / LLC STA) is kept:
that reading is a guess, and such hits are what the set measures. Deterministic for one faker version and
one set of bundled lists.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import unicodedata
from pathlib import Path

from build_dev_nd_names import write_rows
from faker import Faker
from faker.providers.company.ko_KR import Provider as KoCompany
from faker.providers.lorem.ar_AA import Provider as ArLorem
from faker.providers.lorem.en_US import Provider as EnLorem
from faker.providers.lorem.ja_JP import Provider as JaLorem
from faker.providers.lorem.ru_RU import Provider as RuLorem

DATA = Path(__file__).with_name("data")
OUT = DATA / "dev_clean_companies.csv"
SEED = 97
PER_KIND = 300
JA_FORMS = ("株式会社", "合同会社", "有限会社")
KO_FORMS = ("주식회사", "(주)", "유한회사", "(유)")
RU_FORMS = ("ООО", "АО", "ПАО", "ЗАО", "ОАО")
EN_FORMS = ("LLC", "Ltd", "Inc.", "Corp.", "Co., Ltd.", "GmbH", "Limited")


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _listed(rows: list[dict[str, str]]) -> set[int]:
    """Rows whose name is listed (see the module docstring)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import polars as pl
    from screening_common import build_index, list_table, load_tables

    from exportctl.engine.screening import screen

    table = list_table(load_tables(sdn=True, extra=True))
    names = {_key(n) for n in table["name"].to_list() if n}
    names |= {_key(a) for al in table["aliases"].to_list() for a in (al or []) if a}
    index = build_index(table)
    q = pl.DataFrame({"name": [r["query"] for r in rows], "type": [r["type"] for r in rows]})
    hits = screen(index, q, 0.999)
    out = {i for i, r in enumerate(rows) if _key(r["query"]) in names}
    out |= {int(i) for i in hits["qid"].to_list() if rows[int(i)]["script"] in ("LATIN", "CYRILLIC")}
    return out


def main() -> None:
    """Draw the names, leave the listed ones out and write the CSV."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--per-kind", type=int, default=PER_KIND)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    seen: set[str] = set()
    for path in sorted(DATA.glob("dev_clean_*.csv")):
        if path != args.out:
            with path.open(encoding="utf-8") as fh:
                seen |= {row["query"] for row in csv.DictReader(fh)}
    rows: list[dict[str, str]] = []

    def add(lang: str, script: str, name: str) -> bool:
        name = " ".join(name.split())
        if not name or name in seen:
            return False
        seen.add(name)
        rows.append(
            {"id": f"co{len(rows):05d}", "lang": lang, "script": script, "type": "entity", "query": name}
        )
        return True

    def fake(locale: str) -> Faker:
        f = Faker(locale)
        f.seed_instance(rng.randrange(1 << 30))
        return f

    def fill(lang: str, script: str, draw) -> None:  # type: ignore[no-untyped-def]
        n = tries = 0
        while n < args.per_kind and tries < 50 * args.per_kind:
            tries += 1
            n += add(lang, script, draw())

    zh = fake("zh_CN")
    fill(
        "zh",
        "HAN",
        lambda: (rng.choice([zh.province(), zh.city()]) if rng.random() < 0.5 else "") + zh.company(),
    )
    ja = fake("ja_JP")
    ja_words = [w for w in JaLorem.word_list if not re.search(r"[\u3040-\u309f]$", w)]  # no verb or adjective

    def ja_name() -> str:
        if rng.random() < 0.4:
            return ja.company()
        form, word = rng.choice(JA_FORMS), rng.choice(ja_words)
        return form + word if rng.random() < 0.6 else word + form

    fill("ja", "HAN", ja_name)
    ko_words = list(KoCompany.company_name_words)

    def ko_name() -> str:
        word = "".join(rng.sample(ko_words, 1 if rng.random() < 0.7 else 2))
        form = rng.choice(KO_FORMS)
        return f"{word} {form}" if rng.random() < 0.5 else f"{form}{'' if rng.random() < 0.5 else ' '}{word}"

    fill("ko", "HANGUL", ko_name)
    ru_words = [w for w in RuLorem.word_list if len(w) >= 3]
    fill("ru", "CYRILLIC", lambda: f"{rng.choice(RU_FORMS)} «{rng.choice(ru_words).capitalize()}»")
    ar_words = [w for w in ArLorem.word_list if len(w) >= 3]

    def ar_name() -> str:
        word = rng.choice(ar_words)
        return rng.choice([f"شركة {word}", f"شركة {word} المحدودة", f"{word} ذ.م.م", f"شركة {word} ذ.م.م"])

    fill("ar", "ARABIC", ar_name)
    en_words = [w for w in EnLorem.word_list if len(w) >= 3]
    fill("en", "LATIN", lambda: f"{rng.choice(en_words).capitalize()} {rng.choice(EN_FORMS)}")
    drop = _listed(rows)
    kept = [r for i, r in enumerate(rows) if i not in drop]
    print(f"left out as listed: {len(drop)}: {[rows[i]['query'] for i in sorted(drop)]}")
    write_rows(args.out, kept)


if __name__ == "__main__":
    main()
