"""The territory table of the name-part rule (places.is_territory) answers what rigour's lookup_territory
answers: the table is rigour's own keys (scripts/build_territories.py), read without rebuilding them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rigour.territories import lookup_territory
from rigour.territories.lookup import _load_territory_names

from exportctl.engine.screening.places import is_territory

ROOT = Path(__file__).resolve().parents[3]


def test_territory_table_is_current() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_territories.py"), "--check"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()


def _names() -> list[str]:
    out: list[str] = []
    for territory, strong, weak, places in _load_territory_names():
        out.extend([territory.code, territory.alpha3 or "", *strong[:3], *weak[:2], *places[:2]])
    return out


def test_every_listed_name_and_code_agrees() -> None:
    for text in _names():
        for form in (text, text.upper(), text.lower(), f" {text} "):
            assert is_territory(form.strip()) == (lookup_territory(form.strip()) is not None), form


def test_known_places_and_non_places() -> None:
    assert is_territory("Germany") and is_territory("DE") and is_territory("Deutschland")
    assert is_territory("Москва") == (lookup_territory("Москва") is not None)
    assert not is_territory("Huawei Technologies")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_text_agrees(text: str) -> None:
    assert is_territory(text.strip()) == (lookup_territory(text.strip()) is not None)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_names()), st.sampled_from(["", ".", " ", "-", "'", "(x)"]))
def test_near_names_agree(name: str, extra: str) -> None:
    text = (name + extra).strip()
    assert is_territory(text) == (lookup_territory(text) is not None)
