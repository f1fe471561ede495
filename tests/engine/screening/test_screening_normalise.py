"""Normalisation: legal forms, Chinese, other scripts, numbers, CSL name cleaning, bad input."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, normalise, score_names, split_listed_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES LIMITED"),
        ("Siemens Aktiengesellschaft", "Siemens AG"),
        ("OAO Gazprom", "Open Joint Stock Company Gazprom"),
        ("ООО Ромашка", "LLC Romashka"),
        ("Pemex S.A. de C.V.", "PEMEX SA DE CV"),
        ("Brigade Forty-Four", "Brigade 44"),
        ("1st International Bank", "First International Bank"),
        ("A.B.C. Company", "ABC Company"),
        ("Nicolás Maduro", "NICOLAS MADURO"),
    ],
)
def test_variants_meet(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_chinese_traditional_simplified_and_pinyin_meet() -> None:
    simplified = normalise("华为技术有限公司")
    assert simplified == normalise("華為技術有限公司")
    assert simplified == ("hua", "wei", "technology", "llc")
    assert normalise("Hua Wei Ji Shu You Xian Gong Si") == simplified
    assert normalise("Huawei Technologies Co., Ltd.") == ("huawei", "technology", "llc")


def test_other_scripts_become_latin() -> None:
    assert normalise("Москва") == ("moskva",)
    assert normalise("バラク・オバマ") == ("baraku", "obama")


def test_numbers_are_kept() -> None:
    assert normalise("Zu Zag Bong 6") == ("zu", "zag", "bong", "6")
    assert normalise("Trust 2004-1") == ("trust", "2004", "1")
    assert normalise("Citigroup Capital Trust XV")[-1] == "15"


def test_han_and_its_pinyin_meet() -> None:
    assert normalise("国际造船股份有限公司") == normalise("guo ji zao chuan gu fen you xian gong si")
    assert normalise("因美纳公司") == normalise("yin mei na gong si")
    assert normalise("習近平") == ("xi", "jin", "ping")


@pytest.mark.parametrize("bad", ["", " ", "\x00\x01", "...", "x" * 1001])
def test_unusable_names_give_no_tokens(bad: str) -> None:
    assert normalise(bad) == ()


def test_control_and_format_characters() -> None:
    assert normalise("Hua\u200bwei\x00Tech") == ("huawei", "technology")
    assert normalise("abc\udcff def") == ("abc", "def")  # a lone surrogate from undecodable bytes


def test_split_listed_name() -> None:
    assert split_listed_name("PEARL (A.K.A. NEI-CHIEN CHU) LI") == ("PEARL LI", ["NEI-CHIEN CHU"])
    assert split_listed_name("Kreig; a.k.a. Cow Craig; a.k.a. Hall Jermaine") == (
        "Kreig",
        ["Cow Craig", "Hall Jermaine"],
    )
    name, aliases = split_listed_name(
        "Wisdom Import and Export (Shanghai) Co., Ltd. and any successor, sub-unit, or subsidiary thereof"
    )
    assert name == "Wisdom Import and Export (Shanghai) Co., Ltd." and aliases == []
    assert split_listed_name("SEMICONDUCTOR SYSTEMS INTL., INC. (SSI)") == (
        "SEMICONDUCTOR SYSTEMS INTL., INC.",
        ["SSI"],
    )
    assert split_listed_name("Al-Qa'ida/Islamic Army") == ("Al-Qa'ida", ["Islamic Army"])
    assert split_listed_name("Mendez Denmark A/S") == ("Mendez Denmark A/S", [])


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_normalise_never_fails_and_is_ascii(text: str) -> None:
    tokens = normalise(text)
    assert all(t and t.isascii() and t.isalnum() and t == t.lower() for t in tokens)
    assert normalise(text) == tokens  # deterministic


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_split_listed_name_never_fails(text: str) -> None:
    name, aliases = split_listed_name(text)
    assert isinstance(name, str) and all(isinstance(a, str) and a for a in aliases)


def test_roman_two_and_dotted_forms() -> None:
    assert normalise("Bowne Global Solutions II, Inc.") == ("bowne", "global", "solution", "2", "llc")
    assert normalise("Oboronnye Initsiativy o.O.O.")[-1] == "llc"
    assert normalise("Toptics, Inc.")[0] == "toptics"  # not a misspelt "optics"


@pytest.mark.slow
def test_name_variant_table_is_current() -> None:
    """The shipped table agrees with rigour on a sample of its tokens, when built with the installed rigour
    (scripts/build_name_variants.py --check compares the whole table)."""
    import gzip
    from importlib.metadata import version

    from exportctl.engine.screening.variants import TABLE_FILE, are_variants, rigour_symbols

    with gzip.open(TABLE_FILE, "rt", encoding="utf-8") as fh:
        header = fh.readline()
        rows = [line.split("\t")[0] for line in fh]
    native = [r for r in rows if not r.isascii()]  # names in their own scripts, keyed by variants.native_key
    rows = [r for r in rows if r.isascii()]
    assert header.startswith("# rigour ") and len(rows) > 5000 and len(native) > 1000
    assert (
        are_variants("husayn", "hussein") and are_variants("hsi", "xi") and not are_variants("ivan", "john")
    )
    if header.split()[2].rstrip(";") != version("rigour"):
        pytest.skip(f"table built with {header.split()[1:3]}, rigour {version('rigour')} installed")
    sample = [*rows[::700], "husayn", "hussein", "hsi", "xi", "ben", "benjamin", "kim", "jin"]
    live = {tok: rigour_symbols(tok) for tok in sample}
    for a in sample:
        assert live[a], a
        for b in sample:
            assert are_variants(a, b) == bool(live[a] & live[b]), (a, b)


def test_ampersand_between_letters_joins_them() -> None:
    assert normalise("M&P Trading Inc.") == ("mp", "trading", "llc")
    assert normalise("AT&T Inc.") == ("att", "llc")
    assert normalise("Johnson & Johnson") == ("johnson", "johnson")


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("IL’IN, Dem’yan", ("ilin", "demyan")),  # BGN/PCGN: not "il" and the legal form "IN"
        ("Ignat`ev", ("ignatev",)),  # GOST 7.79 system B: not "ignat" and the legal form "e.V."
        ("Il'in", ("ilin",)),
        ("Ilʹin", ("ilin",)),  # ISO 9's modifier prime
        ("ABEDINI, Sa'id", ("abedini", "said")),  # the ayn's apostrophe: not the legal form "S.A." + "id"
        ("AL-'AMILI, Mu'in", ("al", "amili", "muin")),  # not "mu" + the legal form "IN"
        ("AL-JUBURI, Lu'ay", ("al", "juburi", "luay")),  # not "lu" + the legal form "AY"
    ],
)
def test_soft_sign_apostrophe_keeps_the_word(name: str, tokens: tuple[str, ...]) -> None:
    """An apostrophe inside a word (a transliterated soft or hard sign) keeps the word whole, so its pieces
    are never read as legal forms."""
    assert normalise(name) == tokens


def test_legal_form_words_still_read() -> None:
    """A legal form standing as a word of its own is still one."""
    assert normalise("Acme e.V.") == normalise("Acme eV")
    assert normalise("Acme e.V.")[-1] != "ev"


def test_title_in_another_script_before_a_name_with_an_apostrophe(
    sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex],
) -> None:
    """A name romanised with its company words (an Arabic title before "Sa'id") keeps "Sa'id" one word there
    too: it meets the listed name, not another Izadi."""
    index = sdn_index_of([("1", "IZADI, Muhammad Sa'id", "Individual"), ("2", "IZADI, Reza", "Individual")])
    query = "الرئيس IZADI, Muhammad Sa'id"
    assert score_names(index, query, "IZADI, Muhammad Sa'id").score >= 0.7
    assert score_names(index, query, "IZADI, Reza").score < 0.7
