"""Build the common-word table of the screening matcher (engine/screening/common_words.tsv.gz; issue #12).

    pip install --target DIR wordfreq==3.1.1 && PYTHONPATH=DIR:src python scripts/build_common_words.py

Source: PyPI wordfreq 3.1.1 (code Apache-2.0; its word frequencies CC BY-SA 4.0, rspeer/wordfreq: counts
from Wikipedia, subtitles, news, books, web text and social media). Every word of English and Russian
with a Zipf frequency of MIN_ZIPF or more (about once in 10,000 words of running text or more often), of
MIN_LEN letters or more: English words as written (letters a-z only), Russian words in Latin letters as
the matcher reads Cyrillic (`translit._cyrillic`, every reading). One line per word: `word<TAB>zipf`
(the best over languages and readings). `one_word.common_word` reads it: a company named by one such word
("Mission LLC", "ООО «Космос»") is named by an everyday word many companies bear. Brand names rank below
MIN_ZIPF (huawei 3.3, gazprom 2.6). The package is needed only to build; the file is shipped.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import wordfreq

from exportctl.engine.screening.translit import _cyrillic

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "exportctl" / "engine" / "screening" / "common_words.tsv.gz"
MIN_ZIPF = 4.0
MIN_LEN = 3
TOP = 100_000  # words read per language (far more than reach MIN_ZIPF)


def main() -> None:
    """Read the frequencies and write the table."""
    best: dict[str, float] = {}
    for lang in ("en", "ru"):
        for word in wordfreq.top_n_list(lang, TOP):
            zipf = wordfreq.zipf_frequency(word, lang)
            if zipf < MIN_ZIPF:
                break
            if lang == "en":
                readings = [word] if re.fullmatch(r"[a-z]+", word) else []
            else:
                readings = _cyrillic(word) if re.fullmatch(r"[а-яё]+", word) else []
            for r in readings:
                if len(r) >= MIN_LEN and re.fullmatch(r"[a-z]+", r):
                    best[r] = max(best.get(r, 0.0), zipf)
    lines = [f"{w}\t{z:.2f}" for w, z in sorted(best.items())]
    header = (
        f"# wordfreq 3.1.1 (CC BY-SA 4.0), English and Russian (read as the matcher reads Cyrillic), "
        f"zipf >= {MIN_ZIPF}, {MIN_LEN}+ letters: word zipf (scripts/build_common_words.py)\n"
    )
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write(header + "\n".join(lines) + "\n")
    print(OUT, len(lines))


if __name__ == "__main__":
    main()
