"""Build the family-name frequency table of the surname rule (engine/screening/surname_ranks.tsv.gz).

    python scripts/build_surname_ranks.py --wheel names_dataset-3.3.1-py3-none-any.whl

Source: PyPI names-dataset 3.3.1 (MIT; philipperemy/name-dataset), the family names with their rank in each
of 105 countries. common_names.tsv.gz (scripts/build_common_names.py) keeps the names written in Latin
letters only, so the family names of Russia, Ukraine, Belarus, Kazakhstan, Greece, Israel, the Arab
countries ... (written there in their own scripts) look rare in Latin letters: Ivanov ranks, Fomichev and
Biryukov do not. This table keeps every family name ranked within MAX_RANK in some country, in Latin
letters as written or as anyascii spells it (Фомичев -> fomichev), with its best rank:
`token<TAB>rank`. The wheel is needed only to build; the file is shipped.
"""

from __future__ import annotations

import argparse
import gzip
import pickle
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "exportctl" / "engine" / "screening" / "surname_ranks.tsv.gz"
MAX_RANK = 1000


def best_ranks(raw: dict[str, dict[str, dict[str, int]]]) -> dict[str, int]:
    """Lower-case Latin spelling of each family name -> its best rank in any country (within MAX_RANK)."""
    from anyascii import anyascii

    out: dict[str, int] = {}
    for name, attrs in raw.items():
        ranks = [r for r in (attrs.get("rank") or {}).values() if r is not None and r <= MAX_RANK]
        if not ranks:
            continue
        for tok in {name.strip().lower(), anyascii(name).strip().lower().replace("'", "")}:
            if tok.isascii() and tok.isalpha() and len(tok) >= 2:
                out[tok] = min(min(ranks), out.get(tok, MAX_RANK + 1))
    return out


def main() -> None:
    """Read the wheel's family-name pickle and write the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", required=True)
    args = ap.parse_args()
    with zipfile.ZipFile(args.wheel) as zf:
        family = best_ranks(pickle.loads(gzip.decompress(zf.read("names_dataset/v3/last_names.pkl.gz"))))
    lines = [
        f"# names-dataset 3.3.1 (MIT), family names, best rank over countries, rank <= {MAX_RANK}: token rank"
    ]
    lines += [f"{tok}\t{family[tok]}" for tok in sorted(family)]
    OUT.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0))
    print(OUT, len(lines) - 1)


if __name__ == "__main__":
    main()
