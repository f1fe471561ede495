"""Build the name-variant table of the screening matcher (engine/screening/name_variants.tsv.gz).

    .venv/bin/python scripts/build_name_variants.py [--check]

For every token of the bundled lists' names and aliases (as the matcher normalises them), rigour's person-name
data gives the Wikidata given and family names and the nicknames the token can spell. Two tokens that share
one are spellings of one name ("Husayn" / "Hussein", "Hsi" / "Xi", "Ted" / "Theodore"). rigour answers such a
lookup in about a millisecond after a five-second start, too slow for a batch of a million names, so the
answers are computed here once and shipped: one line per token, `token<TAB>ids`, the ids numbering rigour's
symbols in the order first met. The same bundled lists and rigour version give a byte-identical file.
`--check` rebuilds in memory and fails when the committed file differs.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from exportctl.engine.screening.variants import TABLE_FILE, rigour_symbols  # noqa: E402


def vocabulary() -> list[str]:
    """The normalised tokens of every name and alias on the bundled lists, sorted."""
    from exportctl.data import pack
    from exportctl.engine.screening import build_index
    from exportctl.engine.screening.lists import LIST_TABLES, list_table

    tables = {t.name: t.records for t in pack.load_pack() if t.name in LIST_TABLES}
    index = build_index(list_table(tables))
    return sorted(tok for tok in index.df if len(tok) >= 2 and tok.isalpha())


def render(tokens: list[str]) -> bytes:
    """The table for these tokens: a header naming the rigour version, then one line per named token."""
    from importlib.metadata import version

    ids: dict[str, int] = {}
    lines = [f"# rigour {version('rigour')}; {len(tokens)} list tokens; token<TAB>symbols"]
    for tok in tokens:
        symbols = sorted(rigour_symbols(tok))
        if symbols:
            lines.append(tok + "\t" + ",".join(str(ids.setdefault(s, len(ids))) for s in symbols))
    text = "\n".join(lines) + "\n"
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: list[str] | None = None) -> int:
    """Build (or check) the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--check", action="store_true", help="rebuild in memory and compare with the file")
    args = ap.parse_args(argv)
    data = render(vocabulary())
    if args.check:
        same = TABLE_FILE.exists() and TABLE_FILE.read_bytes() == data
        print("name variants: up to date" if same else f"name variants: {TABLE_FILE} differs; rebuild it")
        return 0 if same else 1
    TABLE_FILE.write_bytes(data)
    print(f"wrote {TABLE_FILE} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
