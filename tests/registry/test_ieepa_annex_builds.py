"""The IEEPA annex lists (data/tariff_annexes/ieepa/*.csv) are what their scripts make of the official text
on disk (HTSUS 2026 Rev 6, chapter 99): a hand edit of a list, or a script that no longer reads the text the
same way, fails here."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
ANNEXES = REPO / "src" / "exportctl" / "data" / "tariff_annexes" / "ieepa"
REV6 = Path("hts-2026-ch99") / "chapter99_2026_rev_6.txt"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _column(file: str, effect: str | None = None, field: str = "hts") -> list[str]:
    with (ANNEXES / file).open(encoding="utf-8", newline="") as fh:
        return [r[field] for r in csv.DictReader(fh) if effect is None or r["effect"] == effect]


@pytest.mark.parametrize(
    "name",
    [
        "build_annex_ii",
        "build_eu_exceptions",
        "build_swiss_exceptions",
        "build_civil_aircraft",
        "build_generic_pharma",
    ],
)
def test_rebuild_equals_committed(name: str, shared_data: Path, tmp_path: Path) -> None:
    module = _script(name)
    out = tmp_path / module.OUT.name
    if hasattr(module, "ARTICLES_OUT"):
        module.ARTICLES_OUT = tmp_path / module.ARTICLES_OUT.name
    assert module.main(["--rev6", str(shared_data / REV6), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == module.OUT.read_text(encoding="utf-8")
    if hasattr(module, "ARTICLES_OUT"):
        committed = ANNEXES / module.ARTICLES_OUT.name
        assert module.ARTICLES_OUT.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")


def test_brazil_lists_are_the_rev6_note(shared_data: Path) -> None:
    """The Brazil split needs the Nov 20, 2025 order's annex (not on disk); its union and the particular
    articles are still the Rev 6 text's."""
    module = _script("build_brazil_exceptions")
    assert sorted(module.rev6_list(shared_data / REV6)) == sorted(_column("brazil-exceptions.csv"))
    articles = module.rev6_articles(shared_data / REV6)
    assert [c for c, _ in articles] == _column("brazil-particular-articles.csv")
    assert [d for _, d in articles] == _column("brazil-particular-articles.csv", field="description")
    assert len(_column("brazil-exceptions.csv", "brazil-annex-i-agriculture")) == 238  # Annex II 1(e)(i)


def test_annex_ii_keeps_the_printed_provision_shapes() -> None:
    """Headings (8471), subheadings (8473.30), 8-digit and 10-digit provisions are kept as printed."""
    codes = set(_column("annex-ii-2025-11-13.csv"))
    assert {"8471", "8473.30", "8505.11.0070", "0901.21.00"} <= codes


def test_annex_ii_2025_versions_fit_the_rev6_note(shared_data: Path) -> None:
    """The 2025 lists (build_annex_ii_2025.py, read from a transcription) keep the relations the instruments
    state: EO 14346 removes these 8 and adds 39; Proclamation 10976 (12) removes only chapter 44; EO 14360
    adds the 237 provisions that make the Rev 6 note."""
    module = _script("build_annex_ii_2025")
    lists = {day: _column(f"annex-ii-{day}.csv") for day in ("2025-04-05", "2025-09-08", "2025-10-14")}
    lists["check"] = module.rev6_list(shared_data / REV6)
    removed = {
        "2818.30.00",
        "3824.99.93",
        "3907.29.00",
        "3907.30.00",
        "3907.61.00",
        "3907.69.00",
        "3907.99.50",
    }
    module.check(lists, removed | {"3910.00.00"}, lists["check"])
    assert len(set(lists["2025-09-08"]) - set(lists["2025-04-05"])) == 39
    with pytest.raises(SystemExit, match="removals"):
        module.check(lists, removed, lists["check"])
