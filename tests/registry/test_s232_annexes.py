"""The tariff annex lists (data/tariff_annexes/s232/*.csv, .../ieepa/*.csv, each row citing its source)
are the scopes of the measures' effects: a list edited on one side only fails here."""

from __future__ import annotations

import csv
import functools
from collections import defaultdict
from pathlib import Path

import pytest

from exportctl.registry import Registry, load_registry

ANNEXES = Path(__file__).resolve().parents[2] / "src" / "exportctl" / "data" / "tariff_annexes"


def _rows() -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for f in sorted(ANNEXES.glob("*/*.csv")):
        with f.open(encoding="utf-8", newline="") as fh:
            out.extend(csv.DictReader(fh))
    return out


def test_every_row_names_its_source_and_heading() -> None:
    rows = _rows()
    assert rows
    assert all(r["source"] and r["heading"].startswith("9903.") and r["hts"][:4].isdigit() for r in rows)


@functools.cache
def _registry() -> Registry:
    return load_registry()


@pytest.mark.parametrize("key", sorted({(r["measure"], r["effect"]) for r in _rows()}))
def test_annex_list_is_the_effect_scope(key: tuple[str, str]) -> None:
    reg = _registry()
    measure, effect = key
    want: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in _rows():
        want[(r["measure"], r["effect"])].add(r["hts"])
    found = [e for e in reg.measures[measure].effects if e.id == effect]
    assert found, key
    assert set(found[0].scope.hts) == want[key]
    assert found[0].heading == next(r["heading"] for r in _rows() if (r["measure"], r["effect"]) == key)


def test_rev10_lists_are_rev6_with_the_recorded_changes() -> None:
    """s232-2026-06-08-annexes.csv is what scripts/build_s232_rev10_annexes.py makes of the Rev 6 lists and
    the copied Rev 9 -> Rev 10 changes; a change file that no longer fits them stops the script."""
    import importlib.util
    import sys

    path = ANNEXES.parents[3] / "scripts" / "build_s232_rev10_annexes.py"
    spec = importlib.util.spec_from_file_location("build_s232_rev10_annexes", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    ch = module.changes(module.CHANGES)
    lists = module.rev10(ch)
    with (ANNEXES / "s232" / "s232-2026-06-08-annexes.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {k: len(v) for k, v in lists.items()} == {"annex-i-b": 326, "annex-xi": 28, "annex-iii": 86}
    for key, codes in lists.items():
        assert [r["hts"] for r in rows if r["effect"] == f"{key}-2026-06-08"] == codes
    ch[("xi", "added")] = ch[("xi", "added")][1:]
    with pytest.raises(SystemExit, match="leaving"):
        module.rev10(ch)


def test_notes_50_52_listed_s232_layers_exclude_the_2026_s301_duties() -> None:
    """Every Section 232 layer charged from Jul 22, 2026 whose heading notes 50(a)(vi) and 52(f) list excludes
    the Brazil and 2026 Section 301 duties; a layer with an unlisted heading (UAS 9903.08) does not."""
    with (ANNEXES / "s301-notes-50-52-s232-headings.csv").open(encoding="utf-8", newline="") as fh:
        listed = {r["heading"] for r in csv.DictReader(fh)}
    want = {"section_301_brazil", "section_301_forced_labor"}
    seen = {True: 0, False: 0}
    for m in _registry().measures.values():
        for e in m.effects:
            if e.kind != "tariff" or not (e.program or "").startswith("section_232") or not e.heading:
                continue
            if e.end is not None and e.end.isoformat() <= "2026-07-22":
                continue
            old_metals = e.program in ("section_232_steel", "section_232_aluminum")
            if old_metals and e.effective.isoformat() < "2026-04-06":
                continue  # the 2025 metals layers, lifted on Apr 6, 2026 (Proclamation 11021)
            is_listed = e.heading in listed
            assert (want <= set(e.excludes_programs)) == is_listed, (m.id, e.id, e.heading)
            seen[is_listed] += 1
    assert seen[True] >= 40 and seen[False] >= 1
