"""Build the name-frequency table of the screening matcher (engine/screening/common_names.tsv.gz).

    python scripts/build_common_names.py --wheel names_dataset-3.3.1-py3-none-any.whl

Source: PyPI names-dataset 3.3.1 (MIT; philipperemy/name-dataset): first and last names with their rank
in each of 105 countries (from 491M public profiles). For every name written in Latin letters that ranks
within MAX_RANK in some country, the table keeps its best rank over countries, as given name (`g`) and as
family name (`f`): `token<TAB>g_rank<TAB>f_rank` (0 when not ranked). The matcher reads it to weigh common
name words lightly and to tell two different attested names apart (score.py). The wheel is needed only to
build; the file is shipped.
"""

from __future__ import annotations

import argparse
import gzip
import pickle
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

OUT = REPO / "src" / "exportctl" / "engine" / "screening" / "common_names.tsv.gz"
MAX_RANK = 1000


def best_ranks(raw: dict[str, dict[str, dict[str, int]]]) -> dict[str, int]:
    """Lower-case ASCII name -> its best rank in any country (within MAX_RANK)."""
    out: dict[str, int] = {}
    for name, attrs in raw.items():
        tok = name.strip().lower()
        if not tok.isascii() or not tok.isalpha() or len(tok) < 2:
            continue
        ranks = [r for r in (attrs.get("rank") or {}).values() if r is not None and r <= MAX_RANK]
        if ranks:
            out[tok] = min(min(ranks), out.get(tok, MAX_RANK + 1))
    return out


def main() -> None:
    """Read the wheel's two pickles and write the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", required=True)
    args = ap.parse_args()
    with zipfile.ZipFile(args.wheel) as zf:
        given = best_ranks(pickle.loads(gzip.decompress(zf.read("names_dataset/v3/first_names.pkl.gz"))))
        family = best_ranks(pickle.loads(gzip.decompress(zf.read("names_dataset/v3/last_names.pkl.gz"))))
    lines = [
        f"# names-dataset 3.3.1 (MIT), best rank over countries, rank <= {MAX_RANK}: token g_rank f_rank"
    ]
    for tok in sorted(given.keys() | family.keys()):
        lines.append(f"{tok}\t{given.get(tok, 0)}\t{family.get(tok, 0)}")
    OUT.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0))
    print(OUT, len(lines) - 1)


if __name__ == "__main__":
    main()
