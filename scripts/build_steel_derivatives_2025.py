"""Rebuild data/tariff_annexes/s232/s232-2025-03-12-steel-derivatives.csv: the steel derivative lists of
Proclamation 10896 from Mar 12, 2025 (Annex 1 of the BIS notice 90 FR 11249), U.S. note 16(l) (9903.81.89),
16(m) (9903.81.90) and 16(n) (9903.81.91) to subchapter III of chapter 99 as printed in 2025.

The 2026 schedule (Rev 6) no longer prints the 2025 note 16 and the annex was not found; the lists are
read from the transcription of the 2025 notes kept in brendanxmac/hts-hero, `tariffs/iron-and-steel.ts` at
commit 883d07e (Aug 16, 2025: after the appliances of Jun 23, 2025, before the inclusions of Aug 18, 2025).
The script refuses to write unless:

* the appliances in that 16(n) are exactly the eleven provisions of the BIS notice of Jun 16, 2025
  (s232-2025-06-23-appliances.csv), which are then left out (they have their own record from Jun 23);
* what is left of 16(n) is 12 provisions of chapters 84, 85 and 94 and 16(m) is of chapter 73 only;
* the same commit's transcription of the 2025 aluminium notes 19(i)-(k) (`tariffs/aluminum.ts`) differs from
  the lists read from HTSUS 2026 Rev 6 (s232-2025-03-12-aluminum-derivatives.csv) in at most TOLERANCE 8-digit
  lines, so the transcriber's reading of these notes is measured where the official text exists (it misses
  7612.10, 7612.90.50, 7613.00 and 7614.10.10 of note 19(j) and adds 9401.99.90: the steel lists may miss
  a few lines too).

    python scripts/build_steel_derivatives_2025.py --hts-hero GIT_DIR
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ch99_rev6 import write_annex

ROOT = Path(__file__).resolve().parents[1]
S232 = ROOT / "src" / "exportctl" / "data" / "tariff_annexes" / "s232"
OUT = S232 / "s232-2025-03-12-steel-derivatives.csv"
TOLERANCE = 5
COMMIT = "883d07e3c99ba05705b4fdaa71cd5f378a32be7e"
MEASURE = "us-tariff-2025-02-10-s232-proclamations-10895-10896"
SOURCE = (
    "Proclamation 10896 (90 FR 9817), BIS Annex 1 (90 FR 11249): 2025 U.S. note 16({sub}) ({heading}) as "
    "transcribed in brendanxmac/hts-hero tariffs/iron-and-steel.ts, commit 883d07e (Aug 16, 2025), less the "
    "Jun 23, 2025 appliances"
)
# (heading, note subdivision, effect, chapter-73 rows only / other rows only / all)
SPLIT = [
    ("9903.81.89", "l", "steel-derivatives-89-ch73", lambda c: c.startswith("73")),
    ("9903.81.89", "l", "steel-derivatives-89-other", lambda c: not c.startswith("73")),
    ("9903.81.90", "m", "steel-derivatives-90", lambda c: True),
    ("9903.81.91", "n", "steel-derivatives-91", lambda c: True),
]
ENTRY = re.compile(r'^\s*"(\d{4}(?:\.\d{2,4}){0,3})",?', re.M)


def git_show(git_dir: Path, path: str) -> str:
    """One file of the hts-hero repository at COMMIT."""
    cmd = ["git", "--git-dir", str(git_dir), "show", f"{COMMIT}:{path}"]
    return subprocess.run(cmd, check=True, capture_output=True).stdout.decode("utf-8")


def inclusions(text: str, heading: str) -> list[str]:
    """The `inclusions.codes` of the heading's entry, 10-digit codes as `7317.00.5503`."""
    i = text.index(f'code: "{heading}"')
    j = text.find("\n  {", i)
    entry = text[i : j if j > 0 else len(text)]
    codes = ENTRY.findall(entry[entry.index("inclusions") :])
    return [re.sub(r"^(\d{4}\.\d{2}\.\d{2})\.(\d{2})$", r"\1\2", c) for c in codes]


def column(path: Path, field: str = "hts") -> list[str]:
    """One column of an annex CSV."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [r[field] for r in csv.DictReader(fh)]


def eight(code: str) -> str:
    """The first 8 digits of a provision."""
    return code.replace(".", "")[:8]


def check_aluminum(text: str) -> tuple[list[str], list[str]]:
    """The transcription's 2025 aluminium derivative lists against those read in HTSUS 2026 Rev 6: the 8-digit
    lines it misses and those it adds (the Aug 18, 2025 inclusions aside); SystemExit past TOLERANCE."""
    theirs = {eight(c) for h in ("9903.85.04", "9903.85.07", "9903.85.08") for c in inclusions(text, h)}
    ours = {eight(c) for c in column(S232 / "s232-2025-03-12-aluminum-derivatives.csv")}
    aug18 = {eight(c) for c in column(S232 / "s232-2025-08-18-inclusions.csv")}
    missing, added = sorted(ours - theirs), sorted(theirs - ours - aug18)
    if len(missing) + len(added) > TOLERANCE:
        raise SystemExit(f"aluminium notes differ from Rev 6: missing {missing}, added {added}")
    return missing, added


def lists(text: str) -> dict[str, list[str]]:
    """Notes 16(l), (m), (n) as of Mar 12, 2025: the transcription less the Jun 23, 2025 appliances."""
    appliances = column(S232 / "s232-2025-06-23-appliances.csv")
    out = {h: inclusions(text, h) for h in ("9903.81.89", "9903.81.90", "9903.81.91")}
    if sorted(out["9903.81.91"][-len(appliances) :]) != sorted(appliances):
        raise SystemExit("the appliances are not the last eleven provisions of note 16(n)")
    out["9903.81.91"] = out["9903.81.91"][: -len(appliances)]
    if len(out["9903.81.91"]) != 12 or any(c[:2] not in ("84", "85", "94") for c in out["9903.81.91"]):
        raise SystemExit("note 16(n) before Jun 23 is not 12 provisions of chapters 84, 85 and 94")
    if any(not c.startswith("73") for c in out["9903.81.90"]):
        raise SystemExit("note 16(m) holds a provision outside chapter 73")
    for codes in out.values():
        if len(codes) != len(set(codes)):
            raise SystemExit("a provision is listed twice")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--hts-hero", type=Path, required=True, help="git dir of brendanxmac/hts-hero")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    missing, added = check_aluminum(git_show(args.hts_hero, "tariffs/aluminum.ts"))
    print(f"aluminium check against Rev 6: missing {missing}, added {added}")
    notes = lists(git_show(args.hts_hero, "tariffs/iron-and-steel.ts"))
    rows = [
        [code, MEASURE, effect, heading, SOURCE.format(sub=sub, heading=heading)]
        for heading, sub, effect, keep in SPLIT
        for code in notes[heading]
        if keep(code)
    ]
    write_annex(args.out, rows)
    print({h: len(c) for h, c in notes.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
