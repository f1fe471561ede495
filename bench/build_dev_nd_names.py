"""Build bench/data/dev_clean_nd_names.csv: clean person names in their own scripts, drawn with the real
frequencies of PyPI names-dataset 3.3.1 (MIT; philipperemy/name-dataset: first and last names ranked per
country from public profiles). A dev set (tuned on), apart from bench/heldout's clean names (yente's
generator, sinonym, japanese-personal-name-dataset; seed 33) and from Faker's dev set (seed 12).

    .venv/bin/python bench/build_dev_nd_names.py --wheel names_dataset-3.3.1-py3-none-any.whl

Per language, 300 persons: a given name and a family name each drawn with weight 1/rank among the names
written in the language's script that rank in its countries (Arabic: EG, IQ, JO, SY; Persian: IR; Hebrew:
IL; Korean: KR; Russian: RU; Chinese: CN and TW; Japanese: JP), written as the language writes them
(Chinese, Japanese and Korean without a space, family name first; the others given name first). Names of
one letter, with a space (kunyas such as ابو علي) or outside the script are left out. names-dataset holds
no name of one Han character or one Hangul syllable, so Chinese and Korean family names of one are the
commonest ones in the order of their national census (SURNAMES below: bench data, not matcher data), drawn
with weight 1/rank beside the data set's two-character family names (Chinese) at their own weight; Chinese
given names of one character are the first character of a data set given name. Seed 44. A second dev set,
dev_clean_nd2_names.csv, is drawn the same way with `--seed 71 --per-lang 700 --prefix nd2 --out ...`.
The wheel is needed only to build; the CSVs are kept.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import pickle
import random
import unicodedata
import zipfile
from pathlib import Path

OUT = Path(__file__).with_name("data") / "dev_clean_nd_names.csv"
SEED = 44
PER_LANG = 300
LANGS = {  # lang: (countries, script, family first, joined)
    "ar": (("EG", "IQ", "JO", "SY"), "ARABIC", False, False),
    "fa": (("IR",), "ARABIC", False, False),
    "he": (("IL",), "HEBREW", False, False),
    "ko": (("KR",), "HANGUL", True, True),
    "ru": (("RU",), "CYRILLIC", False, False),
    "zh": (("CN", "TW"), "CJK", True, True),
    "ja": (("JP",), "CJK", True, True),
}


SURNAMES = {  # one-character family names, commonest first (census order)
    "zh": "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁"
    "潘于蒋蔡余杜叶程苏魏吕丁任沈",
    "ko": "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민",
}


def _script(name: str) -> str:
    names = {unicodedata.name(ch, "").split(" ")[0] for ch in name if ch.isalpha()}
    return names.pop() if len(names) == 1 else ""


def _pool(raw: dict, countries: tuple[str, ...], script: str) -> tuple[list[str], list[float]]:
    """Names of one script ranked in these countries, with weight 1/best rank."""
    names, weights = [], []
    for name, attrs in raw.items():
        ranks = [r for c, r in (attrs.get("rank") or {}).items() if c in countries and r is not None]
        if not ranks or " " in name.strip() or len(name.strip()) < 2 or _script(name) != script:
            continue
        names.append(name.strip())
        weights.append(1.0 / min(ranks))
    return names, weights


def write_rows(out: Path, rows: list[dict[str, str]]) -> None:
    """Write a dev clean-name CSV (id, lang, script, type, query) and say how many rows."""
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "lang", "script", "type", "query"])
        w.writeheader()
        w.writerows(rows)
    print(out, len(rows))


def main() -> None:
    """Read the wheel's pickles, draw the names, write the CSV."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", required=True)
    ap.add_argument("--seed", type=int, default=SEED, help="another seed draws another dev set")
    ap.add_argument("--per-lang", type=int, default=PER_LANG)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--prefix", default="nd", help="row id prefix (keep ids apart between sets)")
    args = ap.parse_args()
    with zipfile.ZipFile(args.wheel) as zf:
        first = pickle.loads(gzip.decompress(zf.read("names_dataset/v3/first_names.pkl.gz")))
        last = pickle.loads(gzip.decompress(zf.read("names_dataset/v3/last_names.pkl.gz")))
    rng = random.Random(args.seed)
    rows = []
    for lang, (countries, script, family_first, joined) in LANGS.items():
        given, gw = _pool(first, countries, script)
        family, fw = _pool(last, countries, script)
        if lang == "ko":
            family, fw = list(SURNAMES["ko"]), [1.0 / (k + 1) for k in range(len(SURNAMES["ko"]))]
        if lang == "zh":
            two = [(f, w) for f, w in zip(family, fw, strict=True) if len(f) == 2]
            family = list(SURNAMES["zh"]) + [f for f, _ in two]
            fw = [1.0 / (k + 1) for k in range(len(SURNAMES["zh"]))] + [w for _, w in two]
        seen: set[str] = set()
        while len(seen) < args.per_lang:
            g = rng.choices(given, gw)[0]
            f = rng.choices(family, fw)[0]
            if lang == "zh" and rng.random() < 0.3:
                g = g[0]  # a one-character given name
            if g == f:
                continue
            parts = (f, g) if family_first else (g, f)
            name = ("" if joined else " ").join(parts)
            if name in seen:
                continue
            seen.add(name)
            rows.append(
                {
                    "id": f"{args.prefix}{len(rows):05d}",
                    "lang": lang,
                    "script": script,
                    "type": "person",
                    "query": name,
                }
            )
    write_rows(args.out, rows)


if __name__ == "__main__":
    main()
