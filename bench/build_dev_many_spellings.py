"""Build bench/data/dev_many_spellings.jsonl: persons in many spellings, a second one-person dev set (tuned
on; issue #12), apart from bench/build_dev_one_person.py (which draws from the bundled lists).

    .venv/bin/python bench/build_dev_many_spellings.py \
        --wikidata /path/to/steveash/NETransliteration-COLING2018/.git --iuliia /path/to/unpacked/iuliia

Rows in the format of `bench/screening_names_dev.py` (`script`, `lang`, `query`, `latin`, `match`) plus
`kind` (the spelling kind; the measure groups by it with `--key kind`) and `person`:
- wikidata: well-known persons whose English label has a Hebrew and a Hangul Wikidata label
  (steveash/NETransliteration-COLING2018, commit 5d5f59e561ecea45a6d3602121e1049baa7a76c3,
  data/wd_hebrew and data/wd_korean, CC0; the persons in the order of the files, the first PERSONS with a
  label of two or three words), beside the English label: `hebrew`, `hangul` (the labels themselves) and,
  made from the English label, `title` (a form of address or academic title from PyPI faker's person
  providers of several locales: Herr, Dott., Sr., Bay, Ing., Mr.), `initials_front` ("G. W. Bush"),
  `initials_back` ("Bush G.W."), `comma_caps` ("BUSH, George Walker"), `caps`, `family_first`;
- cyrillic: Russian persons of faker ru_RU (a given name, patronymic and family name; seed SEED) whose list
  spelling is BGN/PCGN ("FAMILY, Given Patronymic", as OFAC writes them), beside the Cyrillic original
  (`cyrillic`), the Cyrillic with a form of address of faker ru_RU (`cyrillic_title`), and the Latin
  spellings of several standards made by PyPI iuliia 0.13.0 (MIT; its schemas): ISO 9 (gost_779), GOST 7.79
  alt, ICAO Doc 9303 (Russian passports since 2013), MVD 310 French (older passports: "Tchernov"),
  MVD 782, ALA-LC, scientific, UNGEGN 1987, Wikipedia, telegram, each given name first
  (`std_<schema>`); and BGN/PCGN initials ("Ivanov I.P.", `std_initials`);
- chinese: persons of faker zh_CN, pinyin beside Wade-Giles (PyPI pypinyin's WADEGILES style:
  "Mao Tse-tung"), either order (`wade_giles`, `wade_giles_given_first`);
- korean: persons of faker ko_KR, McCune-Reischauer (ICU Korean-Latin/BGN: "Kim Min-jun") beside Revised
  Romanization (PyPI korean-romanizer: "Gim Minjun", `revised`) and the Hangul (`hangul_rr`).
Every positive row has a negative twin: the same query beside the next person's Latin name (`match`
"false"). Putin and McConnell (the held-out one-person set's subjects) are left out, and so is any query
written so in a bench/heldout file (only their query column is read). The wheels are needed only to build.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "data" / "dev_many_spellings.jsonl"
SEED = 97
PERSONS = 120
# Faker locales whose person provider's `prefix()` is a form of address or title (fr_FR and es_ES give
# name particles there, not titles).
TITLE_LOCALES = ("en_US", "de_DE", "it_IT", "pt_BR", "tr_TR", "cs_CZ", "hu_HU", "id_ID")
SCHEMAS = (
    "gost_779", "gost_779_alt", "icao_doc_9303", "mvd_310_fr", "mvd_782", "ala_lc", "scientific",
    "ungegn_1987", "wikipedia", "telegram",
)  # fmt: skip
LEFT_OUT = re.compile(r"putin|mcconnell|путин|макконнелл", re.I)
WORD = re.compile(r"^[^\W\d_]+(?:['-][^\W\d_]+)*$")


def heldout_queries() -> set[str]:
    """The query column of every held-out file (nothing else is read)."""
    out: set[str] = set()
    for path in (BENCH / "heldout").glob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            out.update(r["query"] for r in csv.DictReader(fh))
    return out


def wikidata_labels(git_dir: str, name: str) -> dict[str, str]:
    """English label -> label of the file (the first one of each English label)."""
    text = subprocess.run(
        ["git", "--git-dir", git_dir, "show", f"HEAD:data/{name}"], capture_output=True, check=True, text=True
    ).stdout
    out: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and parts[0] not in out:
            out[parts[0]] = parts[1]
    return out


def initials(words: list[str], sep: str) -> str:
    """ "G. W." (sep " ") / "G.W." (sep "") of given words."""
    return sep.join(w[0] + "." for w in words)


def wikidata_rows(git_dir: str, rng: random.Random) -> list[dict[str, str]]:
    """Hebrew and Hangul labels and Latin forms of well-known persons, beside the English label."""
    from faker import Faker

    he, ko = wikidata_labels(git_dir, "wd_hebrew"), wikidata_labels(git_dir, "wd_korean")
    fakers = [Faker(loc) for loc in TITLE_LOCALES]
    for f in fakers:
        f.seed_instance(SEED)
    rows: list[dict[str, str]] = []
    persons = 0
    for eng, he_label in he.items():
        words = eng.split()
        if eng not in ko or not 2 <= len(words) <= 3 or not all(WORD.match(w) for w in words):
            continue
        if LEFT_OUT.search(eng) or any(w[0].islower() for w in words) or len(words[-1]) < 3:
            continue  # particles ("van", "de") and short family names make no plain "Given Family" label
        given, fam = words[:-1], words[-1]
        f = rng.choice(fakers)
        title = f.prefix_male() if rng.random() < 0.5 else f.prefix()
        forms = {
            "hebrew": ("HEBREW", "he", he_label),
            "hangul": ("HANGUL", "ko", ko[eng]),
            "title": ("LATIN", f.locales[0][:2], f"{title} {eng}"),
            "initials_front": ("LATIN", "en", f"{initials(given, ' ')} {fam}"),
            "initials_back": ("LATIN", "en", f"{fam} {initials(given, '')}"),
            "comma_caps": ("LATIN", "en", f"{fam.upper()}, {' '.join(given)}"),
            "caps": ("LATIN", "en", eng.upper()),
            "family_first": ("LATIN", "en", f"{fam} {' '.join(given)}"),
        }
        for kind, (script, lang, query) in forms.items():
            rows.append(
                {"kind": kind, "script": script, "lang": lang, "query": query, "latin": eng, "person": eng}
            )
        persons += 1
        if persons >= PERSONS:
            break
    return rows


def cyrillic_rows(iuliia_dir: str, rng: random.Random) -> list[dict[str, str]]:
    """Russian persons in Cyrillic and in the Latin of several standards, beside BGN/PCGN."""
    sys.path.insert(0, iuliia_dir)
    import iuliia
    from faker import Faker

    f = Faker("ru_RU")
    f.seed_instance(SEED)
    rows: list[dict[str, str]] = []
    for _ in range(PERSONS // 2):
        male = rng.random() < 0.6
        if male:
            given, patr, fam = f.first_name_male(), f.middle_name_male(), f.last_name_male()
            title = rng.choice(f.prefixes_male) if hasattr(f, "prefixes_male") else "г-н"
        else:
            given, patr, fam = f.first_name_female(), f.middle_name_female(), f.last_name_female()
            title = "г-жа"
        bgn = [iuliia.BGN_PCGN.translate(w) for w in (given, patr, fam)]
        latin = f"{bgn[2].upper()}, {bgn[0]} {bgn[1]}"
        person = f"{fam} {given} {patr}"
        rows.append({"kind": "cyrillic", "script": "CYRILLIC", "lang": "ru", "query": f"{given} {patr} {fam}",
                     "latin": latin, "person": person})  # fmt: skip
        rows.append({"kind": "cyrillic_title", "script": "CYRILLIC", "lang": "ru",
                     "query": f"{title} {fam} {given} {patr}", "latin": latin, "person": person})  # fmt: skip
        for name in SCHEMAS:
            schema = getattr(iuliia, name.upper())
            query = " ".join(schema.translate(w) for w in (given, patr, fam))
            rows.append({"kind": f"std_{name}", "script": "LATIN", "lang": "ru", "query": query,
                         "latin": latin, "person": person})  # fmt: skip
        query = f"{bgn[2]} {bgn[0][0]}.{bgn[1][0]}."
        rows.append({"kind": "std_initials", "script": "LATIN", "lang": "ru", "query": query, "latin": latin,
                     "person": person})  # fmt: skip
    return rows


def chinese_rows() -> list[dict[str, str]]:
    """Chinese persons in pinyin beside Wade-Giles."""
    from faker import Faker
    from pypinyin import Style, lazy_pinyin

    f = Faker("zh_CN")
    f.seed_instance(SEED)
    rows: list[dict[str, str]] = []
    for _ in range(PERSONS // 3):
        fam, given = f.last_name(), f.first_name()
        if len(fam) != 1:
            continue
        py = [s.capitalize() for s in lazy_pinyin(fam + given)]
        wg = [s.replace("v", "ü").capitalize() for s in lazy_pinyin(fam + given, style=Style.WADEGILES)]
        latin = f"{py[0]} {''.join(py[1:]).capitalize()}"
        wg_given = "-".join(wg[1:]).capitalize()
        person = fam + given
        rows.append({"kind": "wade_giles", "script": "LATIN", "lang": "zh", "query": f"{wg[0]} {wg_given}",
                     "latin": latin, "person": person})  # fmt: skip
        rows.append({"kind": "wade_giles_given_first", "script": "LATIN", "lang": "zh",
                     "query": f"{wg_given} {wg[0]}", "latin": latin, "person": person})  # fmt: skip
    return rows


def korean_rows() -> list[dict[str, str]]:
    """Korean persons in McCune-Reischauer beside Revised Romanization and Hangul."""
    import icu
    from faker import Faker
    from korean_romanizer.romanizer import Romanizer

    mr = icu.Transliterator.createInstance("Korean-Latin/BGN")
    f = Faker("ko_KR")
    f.seed_instance(SEED)
    rows: list[dict[str, str]] = []
    for _ in range(PERSONS // 3):
        fam, given = f.last_name(), f.first_name()
        if len(fam) != 1 or len(given) != 2:
            continue
        mr_fam = str(mr.transliterate(unicodedata.normalize("NFD", fam))).capitalize()
        mr_given = "-".join(
            str(mr.transliterate(unicodedata.normalize("NFD", s))) for s in given
        ).capitalize()
        rr_fam = Romanizer(fam).romanize().capitalize()
        rr_given = Romanizer(given).romanize().capitalize()
        latin, person = f"{mr_fam} {mr_given}", fam + given
        rows.append({"kind": "revised", "script": "LATIN", "lang": "ko", "query": f"{rr_fam} {rr_given}",
                     "latin": latin, "person": person})  # fmt: skip
        rows.append({"kind": "hangul_mr", "script": "HANGUL", "lang": "ko", "query": fam + given,
                     "latin": latin, "person": person})  # fmt: skip
    return rows


def main() -> None:
    """Draw the rows, add the negative twins and write the JSONL file."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--wikidata", required=True, help="git dir of steveash/NETransliteration-COLING2018")
    ap.add_argument("--iuliia", required=True, help="a folder with PyPI iuliia 0.13.0 unpacked")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rng = random.Random(SEED)
    taken = heldout_queries()
    groups = [
        wikidata_rows(args.wikidata, rng),
        cyrillic_rows(args.iuliia, rng),
        chinese_rows(),
        korean_rows(),
    ]
    out: list[dict[str, str]] = []
    for rows in groups:
        rows = [r for r in rows if r["query"] not in taken and not LEFT_OUT.search(r["query"])]
        persons = list(dict.fromkeys(r["person"] for r in rows))
        latin = {r["person"]: r["latin"] for r in rows}
        nxt = {p: latin[persons[(i + 1) % len(persons)]] for i, p in enumerate(persons)}
        for r in rows:
            out.append({**r, "match": "true"})
            out.append({**r, "latin": nxt[r["person"]], "match": "false"})
    with args.out.open("w", encoding="utf-8") as fh:
        for r in out:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(out)} rows -> {args.out}")


if __name__ == "__main__":
    main()
