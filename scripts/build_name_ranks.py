"""Build the name-frequency table of the screening matcher (engine/screening/name_ranks.tsv.gz).

    python scripts/build_name_ranks.py --wheel names_dataset-3.3.1-py3-none-any.whl

Source: PyPI names-dataset 3.3.1 (MIT; philipperemy/name-dataset): first and last names with their rank
in each of 105 countries (from 491M public profiles). One table for every use of name frequencies (it
replaces common_names.tsv.gz and surname_ranks.tsv.gz, which held the same data twice). For every name
that ranks within MAX_RANK in some country, its best rank over countries, lower-case:
`token<TAB>g_rank<TAB>f_rank<TAB>f_read_rank` (0 when not ranked):

- `g_rank`, `f_rank`: as a given name and as a family name, the name as written, in any script (Latin
  letters, or Cyrillic, Arabic, Hangul ... for the countries that write names so);
- `f_read_rank`: a family name written in another script than Latin, as anyascii spells it (Бирюков ->
  biryukov): the family names of Russia, Ukraine, Greece, Israel, the Arab countries ... which would look
  rare in Latin letters (Ivanov ranks as written in Latin, Biryukov only so).

`terms.name_rank` reads `g_rank`/`f_rank`, `surname.surname_rank` all three, `homonym.py` the ranks of a
query's own words. The wheel is needed only to build; the file is shipped.
"""

from __future__ import annotations

import argparse
import gzip
import pickle
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "exportctl" / "engine" / "screening" / "name_ranks.tsv.gz"
MAX_RANK = 1000


def _best(attrs: dict[str, dict[str, int]]) -> int:
    ranks = [r for r in (attrs.get("rank") or {}).values() if r is not None and r <= MAX_RANK]
    return min(ranks, default=0)


def best_ranks(raw: dict[str, dict[str, dict[str, int]]]) -> dict[str, int]:
    """Lower-case name as written (letters only, two or more) -> its best rank in any country."""
    out: dict[str, int] = {}
    for name, attrs in raw.items():
        tok = name.strip().lower()
        rank = _best(attrs)
        if rank and tok.isalpha() and len(tok) >= 2:
            out[tok] = min(rank, out.get(tok, MAX_RANK + 1))
    return out


def read_ranks(raw: dict[str, dict[str, dict[str, int]]]) -> dict[str, int]:
    """anyascii spelling of each family name written in another script -> its best rank."""
    from anyascii import anyascii

    out: dict[str, int] = {}
    for name, attrs in raw.items():
        rank = _best(attrs)
        if not rank or name.isascii():
            continue
        tok = anyascii(name).strip().lower().replace("'", "")
        if tok.isascii() and tok.isalpha() and len(tok) >= 2:
            out[tok] = min(rank, out.get(tok, MAX_RANK + 1))
    return out


def main() -> None:
    """Read the wheel's two pickles and write the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", required=True)
    args = ap.parse_args()
    with zipfile.ZipFile(args.wheel) as zf:
        first = pickle.loads(gzip.decompress(zf.read("names_dataset/v3/first_names.pkl.gz")))
        last = pickle.loads(gzip.decompress(zf.read("names_dataset/v3/last_names.pkl.gz")))
    given, family, read = best_ranks(first), best_ranks(last), read_ranks(last)
    lines = [
        f"# names-dataset 3.3.1 (MIT), best rank over countries, rank <= {MAX_RANK}: "
        "token g_rank f_rank f_read_rank (scripts/build_name_ranks.py)"
    ]
    for tok in sorted(given.keys() | family.keys() | read.keys()):
        lines.append(f"{tok}\t{given.get(tok, 0)}\t{family.get(tok, 0)}\t{read.get(tok, 0)}")
    OUT.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0))
    print(OUT, len(lines) - 1)


if __name__ == "__main__":
    main()
