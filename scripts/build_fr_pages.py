"""Build src/exportctl/data/federal_register/pages.csv: Federal Register page anchors for volumes 83-91.

    .venv/bin/python scripts/build_fr_pages.py [--shared PATH] [--check]

Anchors come from notices.yaml (issue page ranges and list rules, each with the URL it was read from) and
from the dated citations of the Entity List and the MEU List ('84 FR 22963, 5/21/19': Supplements No. 4
and No. 7 to Part 744, in the bis-lists-2026-07 snapshot). Anchors that contradict the others (a later
page with an earlier date) are dropped and printed. The same inputs give the same file.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from exportctl.sources.fr_pages import (  # noqa: E402
    PAGES_HEADER,
    consistent,
    load_notices,
    parse_dated_citations,
)

VOLUMES = range(83, 92)  # 2018-2026
OUT = REPO / "src" / "exportctl" / "data" / "federal_register" / "pages.csv"
SUPPLEMENTS = {
    "bis-lists-2026-07/bis_entity_list.json": "Supp. No. 4 to Part 744 (Entity List) as of 2026-07-09",
    "bis-lists-2026-07/bis_meu.json": "Supp. No. 7 to Part 744 (MEU List) as of 2026-07-09",
}


def anchors(
    shared: Path,
) -> tuple[list[tuple[int, int, int, object, str]], list[tuple[int, int, int, object, str]]]:
    """All anchors (kept, dropped)."""
    notices = load_notices()
    rows = [(c.volume, c.page, last, day, src) for c, last, day, src in notices.issues]
    rows += [(r.volume, r.first_page, r.first_page, r.published, r.sources[0]) for r in notices.rules]
    for rel, label in SUPPLEMENTS.items():
        doc = json.loads((shared / rel).read_text(encoding="utf-8"))
        for rec in doc["entities"]:
            for cite, day in parse_dated_citations(rec.get("federal_register")):
                if cite.volume in VOLUMES and day.year == 1935 + cite.volume:
                    rows.append(
                        (
                            cite.volume,
                            cite.page,
                            cite.page,
                            day,
                            f"{label}: '{cite.volume} FR {cite.page}, {day:%-m/%-d/%y}'",
                        )
                    )
    # one anchor per (volume, page, date): the first source in sorted order names it
    best: dict[tuple[int, int, int, object], str] = {}
    for v, f, last, day, src in rows:
        key = (v, f, last, day)
        best[key] = min(best.get(key, src), src)
    return consistent([(*k, s) for k, s in best.items()])


def render(rows: list[tuple[int, int, int, object, str]]) -> str:
    """The CSV text."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(PAGES_HEADER)
    for v, f, last, day, src in sorted(rows):
        w.writerow([v, f, last, str(day), src])
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--check", action="store_true", help="fail when pages.csv differs from a rebuild")
    args = ap.parse_args(argv)
    kept, dropped = anchors(args.shared)
    for d in dropped:
        print(f"dropped (contradicts the others): {d}", file=sys.stderr)
    text = render(kept)
    if args.check:
        return 0 if OUT.read_text(encoding="utf-8") == text else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"{len(kept)} anchors written to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
