"""Rebuild data/tariff_annexes/s232/s232-2026-06-08-annexes.csv: the U.S. note 16(c) lists of HTSUS 2026
Revision 10 (Proclamation 11032, from Jun 8, 2026) for the tiers it changes: (vi)-(viii) at 25%
(9903.82.09), the new (xi) (mobile industrial equipment, 9903.82.09 and the partner-country 9903.82.22) and
(ix)-(x), the 15% all-in tier (9903.82.10).

No Rev 10 text is on disk. The lists are the Rev 6 lists (s232-2026-04-06-annexes.csv, read from the Rev 6
note) with the Rev 9 -> Rev 10 changes of sources/hts-2026-rev10-note16c-changes.txt applied. The script
refuses to write unless the changes fit each other and the Rev 6 lists:

* every code Rev 10 takes out of (vi)/(vii) is in the Rev 6 (vi)-(viii) list, and no code it adds is already
  in the tier it joins (so Rev 6 and Rev 9 agree on the codes that move);
* the 62 codes leaving (vii) are the 28 of the new (xi), the 34 joining (x) (8708.29.21 joining as its
  10-digit 8708.29.2120) and nothing else; the four 8415.90.80 lines leaving (vi) are those joining (ix).

    python scripts/build_s232_rev10_annexes.py
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ch99_rev6 import write_annex

ROOT = Path(__file__).resolve().parents[1]
S232 = ROOT / "src" / "exportctl" / "data" / "tariff_annexes" / "s232"
CHANGES = S232 / "sources" / "hts-2026-rev10-note16c-changes.txt"
REV6 = S232 / "s232-2026-04-06-annexes.csv"
OUT = S232 / "s232-2026-06-08-annexes.csv"
MEASURE = "us-tariff-2026-06-08-s232-proclamation-11032"
SOURCE = (
    "HTSUS 2026 Revision 10, chapter 99 U.S. note 16(c){subs}: the Rev 6 lists with the Rev 9 -> Rev 10 "
    "changes (PP 11032, from Jun 8, 2026) of sources/hts-2026-rev10-note16c-changes.txt"
)
LINE = re.compile(r"^\((\w+)\) (added|removed): (.*)$")


def normal(code: str) -> str:
    """A provision as the Rev 6 list prints it (10 digits as `8415.90.8010`)."""
    return re.sub(r"^(\d{4}\.\d{2}\.\d{2})\.(\d{2})$", r"\1\2", code.strip())


def changes(path: Path) -> dict[tuple[str, str], list[str]]:
    """{(subdivision, 'added'|'removed'): codes} from the changes file."""
    out: dict[tuple[str, str], list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := LINE.match(line):
            out[(m[1], m[2])] = [normal(c) for c in m[3].split(",")]
    return out


def rev6(effect: str) -> list[str]:
    """One Rev 6 list of s232-2026-04-06-annexes.csv, in its order."""
    with REV6.open(encoding="utf-8", newline="") as fh:
        return [r["hts"] for r in csv.DictReader(fh) if r["effect"] == effect]


def rev10(ch: dict[tuple[str, str], list[str]]) -> dict[str, list[str]]:
    """The Rev 10 lists by effect: annex-i-b ((vi)-(viii)), annex-xi, annex-iii ((ix)-(x)); SystemExit when
    the changes do not fit each other or the Rev 6 lists."""
    get = lambda sub, kind: set(ch.get((sub, kind), []))  # noqa: E731
    b6, a6 = rev6("annex-i-b"), rev6("annex-iii")
    gone = get("vi", "removed") | get("vii", "removed")
    new_b = get("vi", "added") | get("vii", "added")
    new_iii = get("ix", "added") | get("x", "added")
    xi = ch[("xi", "added")]
    if gone - set(b6) or new_b & set(b6) or new_iii & set(a6) or set(xi) & set(b6 + a6) - gone:
        raise SystemExit("the Rev 9 -> Rev 10 changes do not fit the Rev 6 lists")
    moved_x = (get("x", "added") - {"8708.29.2120"}) | {"8708.29.21"}
    if get("vii", "removed") != moved_x | set(xi) or len(get("vii", "removed")) != 62:
        raise SystemExit("the codes leaving (vii) are not those joining (x) and (xi)")
    if {c for c in get("vi", "removed") if c.startswith("8415")} != {
        c for c in get("ix", "added") if c.startswith("8415")
    }:
        raise SystemExit("the 8415.90.80 lines leaving (vi) are not those joining (ix)")
    return {
        "annex-i-b": [c for c in b6 if c not in gone] + sorted(new_b),
        "annex-xi": xi,
        "annex-iii": a6 + sorted(new_iii),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--changes", type=Path, default=CHANGES)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    lists = rev10(changes(args.changes))
    subs = {"annex-i-b": "(vi)-(viii)", "annex-xi": "(xi)", "annex-iii": "(ix)-(x)"}
    heads = {"annex-i-b": "9903.82.09", "annex-xi": "9903.82.09", "annex-iii": "9903.82.10"}
    rows = (
        [code, MEASURE, f"{key}-2026-06-08", heads[key], SOURCE.format(subs=subs[key])]
        for key, codes in lists.items()
        for code in codes
    )
    write_annex(args.out, rows)
    print({k: len(v) for k, v in lists.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
