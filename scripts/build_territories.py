"""Write the territory table the name-part rule reads (src/exportctl/engine/screening/territories.tsv.gz):
the keys rigour's `lookup_territory` finds a territory under, so that telling whether a comma-separated part
of a party text is a country or place ("Doe, John, Springfield", "..., Germany") costs a set lookup, not
the ~2.7 s rigour spends normalising its ~29,000 territory names (transliterating most of them) the first
time it is asked, in every process that screens.

Two kinds of row: `id` (the codes `lookup_by_identifier` maps: ISO codes, alpha-3, other codes, Wikidata
ids, as rigour keys them) and `name` (the normalised strong names, weak names and places
`normalize_territory_name` keys). tests/engine/screening/test_territories.py checks that the table is
what the installed rigour holds.

    .venv/bin/python scripts/build_territories.py          # write the table
    .venv/bin/python scripts/build_territories.py --check  # exit 1 when the table differs from a rebuild
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "exportctl" / "engine" / "screening" / "territories.tsv.gz"


def render() -> str:
    """The table as text, from the installed rigour."""
    from rigour.territories import lookup

    ids = sorted(lookup._get_identifier_map())
    names = sorted(lookup._get_territory_names())
    head = "# kind\tkey (scripts/build_territories.py: rigour's territory identifiers and normalised names)\n"
    return head + "".join(f"id\t{k}\n" for k in ids) + "".join(f"name\t{k}\n" for k in names)


def main() -> None:
    """Write or check the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    text = render()
    if args.check:
        current = gzip.decompress(OUT.read_bytes()).decode("utf-8") if OUT.exists() else ""
        sys.exit(0 if current == text else 1)
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    print(OUT, text.count("\n") - 1, "keys")


if __name__ == "__main__":
    main()
