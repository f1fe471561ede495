"""Build the modern Japanese person-name dev set (bench/data/dev_japanese_gimei.jsonl) from PyPI `gimei`.

gimei 0.2.3 (MIT; nabetama/gimei, `gimei/data/names.yml`) lists Japanese given names as parents write them
today (愛翔 あいと, 陽菜 ひな: many modern readings no older dictionary has) and family names in order of
frequency, each in kanji with its hiragana reading. A source no held-out set uses (those draw on
japanese-personal-name-dataset, the UN list, watchman, nomenklatura, rigour's tests) and apart from the
JMnedict dev set (20th-century persons). Each case: a family name drawn with weight 1/rank and a given
name drawn uniformly (male or female), written family name first in kanji; the Latin side the reading in
passport Hepburn (macrons and ou/uu/oo written short, n before b/m/p as m) in one of three styles,
rotating: "Given Family", "FAMILY Given", "Family Given". `negative` rows pair a name with another case's
Latin name. Deterministic (seed 61). The matcher is tuned on this set.

    .venv/bin/python bench/build_dev_gimei.py PATH/TO/gimei/data/names.yml
"""

from __future__ import annotations

import ast
import json
import random
import re
import sys
from pathlib import Path

OUT = Path(__file__).with_name("data") / "dev_japanese_gimei.jsonl"
N = 400
_ROW = re.compile(r"^\s*- (\[.*\])\s*$")


def _read(path: Path) -> dict[str, list[tuple[str, str]]]:
    """The names.yml lists by section (male, female, last_name): (kanji, hiragana) pairs."""
    out: dict[str, list[tuple[str, str]]] = {"male": [], "female": [], "last_name": []}
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        key = line.strip().rstrip(":")
        if key in out and line.rstrip().endswith(":"):
            section = key
            continue
        m = _ROW.match(line)
        if m and section:
            kanji, hira, _ = ast.literal_eval(m.group(1))
            out[section].append((kanji, hira))
    return out


def _hepburn(hiragana: str) -> str:
    """Passport Hepburn of a reading (pykakasi's Hepburn, long vowels written short, m before b/m/p)."""
    import pykakasi

    kks = pykakasi.kakasi()  # type: ignore[no-untyped-call]
    word = "".join(str(i["hepburn"]) for i in kks.convert(hiragana))
    word = re.sub(r"ou|oo", "o", re.sub(r"uu", "u", word))
    return re.sub(r"n(?=[bmp])", "m", word).capitalize()


def main() -> None:
    """Write the cases."""
    data = _read(Path(sys.argv[1]))
    rnd = random.Random(61)
    families = data["last_name"]
    weights = [1 / (rank + 1) for rank in range(len(families))]
    given = data["male"] + data["female"]
    seen: set[str] = set()
    out = []
    while len(out) < N:
        fam = rnd.choices(families, weights)[0]
        giv = rnd.choice(given)
        kanji = fam[0] + giv[0]
        if kanji in seen:
            continue
        seen.add(kanji)
        f, g = _hepburn(fam[1]), _hepburn(giv[1])
        style = len(out) % 3
        latin = f"{g} {f}" if style == 0 else f"{f.upper()} {g}" if style == 1 else f"{f} {g}"
        out.append({"script": "HAN", "lang": "ja", "query": kanji, "latin": latin, "match": "true"})
    for i, case in enumerate(list(out)):
        other = out[(i + 7) % len(out)]
        out.append({**case, "latin": other["latin"], "match": "false"})
    with OUT.open("w", encoding="utf-8") as fh:
        for case in out:
            fh.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"{len(families)} family and {len(given)} given names, {len(out)} cases -> {OUT}")


if __name__ == "__main__":
    main()
