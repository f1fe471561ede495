"""Names of any length and decoration are screened (#16 part 4): the name part of a text with an address or
a reference number after it, look-alike characters in name words, and nothing skipped."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, screen
from exportctl.engine.screening.name_part import (
    MAX_WORDS,
    NAME_PART,
    name_part,
    screenable,
    screened_forms,
)
from exportctl.engine.screening.normalise import MAX_NAME_CHARS, fold_lookalikes, normalise

HUAWEI_ADDRESS = "Bantian, Longgang District, Shenzhen 518129, Guangdong Province, China"
LONG = "Huawei Technologies Co., Ltd., " + ", ".join([HUAWEI_ADDRESS] * 17)  # about 1,230 characters

NAMES = st.sampled_from(
    [
        "Huawei Technologies Co., Ltd.",
        "Zorbulax Trading GmbH",
        "Acme Widgets LLC",
        "Shenzhen Dajiang Innovation Technology Co Ltd",
        "Bank of Kunlun Co Ltd",
        "Rosoboronexport JSC",
    ]
)
ADDRESS_PARTS = st.lists(
    st.one_of(
        st.integers(1, 999_999).map(str),
        st.sampled_from(["Bantian", "Longgang District", "Shenzhen", "China", "Germany", "Moscow"]),
        st.builds(
            "{} {}".format,
            st.integers(1, 400),
            st.sampled_from(["Main Street", "Road", "Avenue", "Strasse", "Floor", "Room"]),
        ),
        st.sampled_from(["P.O. Box 71", "Building 4", "No. 88 Jianguo Road", "Postfach 12"]),
    ),
    min_size=1,
    max_size=40,
)


def _hits(index: ScreeningIndex, names: list[str]) -> dict[int, list[dict[str, object]]]:
    found = screen(index, pl.DataFrame({"name": names}))
    out: dict[int, list[dict[str, object]]] = {}
    for row in found.iter_rows(named=True):
        out.setdefault(row["qid"], []).append(row)
    return out


@settings(max_examples=150, deadline=None)
@given(name=NAMES, parts=ADDRESS_PARTS, sep=st.sampled_from([", ", "; ", "\n", " | ", ",", "\t"]))
def test_an_address_after_a_name_is_cut_off_and_kept(name: str, parts: list[str], sep: str) -> None:
    text = name + sep + sep.join(parts)
    cut = name_part(text)
    assert cut.name == name, (text, cut)
    # nothing is lost: the rest holds every word after the name part
    assert normalise(cut.rest) == normalise(text[len(name) :])
    assert " ".join(cut.rest.split())[:20] in cut.note()


@settings(max_examples=100, deadline=None)
@given(
    name=NAMES,
    ref=st.one_of(
        st.integers(100, 99_999_999).map(str),
        st.builds("PO {}".format, st.integers(1, 99_999)),
        st.builds("Ref: A-{}".format, st.integers(1, 9_999)),
        st.builds("Invoice #{}".format, st.integers(1, 9_999)),
    ),
)
def test_a_reference_number_after_a_name_is_cut_off(name: str, ref: str) -> None:
    cut = name_part(f"{name} {ref}")
    assert cut.name == name and cut.rest == ref


@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.from_regex(r"[A-Za-z]{2,12}", fullmatch=True), min_size=1, max_size=400))
def test_any_length_is_screened_on_at_most_max_words(words: list[str]) -> None:
    text = " ".join(words)
    forms = screened_forms(text)
    assert forms, "a text of words is always screened"
    assert all(len(form) <= MAX_NAME_CHARS for form, _, _ in forms)
    if len(text) > MAX_NAME_CHARS:
        assert len(forms) == 1 and len(forms[0][0].split()) <= MAX_WORDS and forms[0][1]
        assert forms[0][2] == 1.0  # the name part is all there is to screen: its hits count in full


@settings(max_examples=60, deadline=None)
@given(name=st.from_regex(r"[A-Za-z][A-Za-z ]{0,40}[A-Za-z]", fullmatch=True))
def test_a_plain_name_is_screened_as_it_is(name: str) -> None:
    assert screened_forms(name) == ((name, "", 1.0),)


LOOKS = {"o": "0", "l": "1", "e": "3", "a": "4", "s": "5", "t": "7", "b": "8", "i": "!"}


@settings(max_examples=300, deadline=None)
@given(word=st.from_regex(r"[a-z]{3,14}", fullmatch=True), data=st.data())
def test_look_alike_characters_inside_a_word_fold_to_its_letters(word: str, data: st.DataObject) -> None:
    if normalise(word) != (word,):
        return  # a legal form, a number word or a generic term: mapped before folding
    inner = [i for i in range(1, len(word) - 1) if word[i] in LOOKS]
    chosen = data.draw(st.sets(st.sampled_from(inner)) if inner else st.just(set[int]()))
    spelt = "".join(LOOKS[c] if i in chosen else c for i, c in enumerate(word))
    assert normalise(spelt) == normalise(word), spelt


@given(number=st.integers(0, 10**9))
def test_numbers_stay_numbers(number: int) -> None:
    assert normalise(f"Zu Zag Bong {number}")[-1] == str(number)
    assert fold_lookalikes(str(number)) == str(number)


def test_codes_are_not_folded() -> None:
    assert normalise("MiG-29") == ("mig", "29") and normalise("3M") == ("3m",)
    assert fold_lookalikes("su27") == "su27" and fold_lookalikes("x5") == "x5"


def test_nothing_to_screen() -> None:
    assert not screenable("!!!") and not screenable("x" * 10_000) and not screenable("   ")
    assert screenable(LONG) and screenable("Huawei Techn0l0gies")


def test_issue_16_names_hit_huawei(small_index: ScreeningIndex) -> None:
    names = [
        LONG,
        "Huawei Technologies Co., Ltd. 123",
        "Huawei Techn0l0gies",
        "HUAWEI TECHNOLOGIES CO LTD, Bantian, Longgang District, Shenzhen 518129, China",
        "Huawei Technologies Co Ltd PO 4711",
        "Hu@wei Techno1ogies Co., Ltd.",
    ]
    assert len(LONG) > 1200
    hits = _hits(small_index, names)
    for qid, name in enumerate(names):
        assert qid in hits, name
        best = hits[qid][0]
        assert best["entity_id"] == "1" and float(str(best["score"])) >= 0.9, (name, best)
    assert "Longgang" in str(hits[0][0]["explanation"])  # the rest is reported, not dropped
    assert "'123'" in str(hits[1][0]["explanation"])


def test_a_cut_never_loses_a_hit_of_the_whole_text(small_index: ScreeningIndex) -> None:
    # "Aero Engine Corporation of China": the words after the legal form are part of the name
    hits = _hits(small_index, ["Aero Engine Corporation of China", "ZU ZAG BONG 5"])
    assert hits[0][0]["entity_id"] == "9" and hits[1][0]["entity_id"] == "7"
    assert screened_forms("ZU ZAG BONG 6") == (("ZU ZAG BONG 6", "", 1.0),)  # a vessel's number is its name


def test_an_entry_the_whole_text_meets_ranks_before_the_name_part(
    sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex],
) -> None:
    parent = "Huawei Technologies Co., Ltd."
    affiliate = (
        "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Ningbo Huawei Computer & Net Co., Ltd."
    )
    index = sdn_index_of([("P", parent, "Entity"), ("A", affiliate, "Entity")])
    hits = _hits(index, [affiliate, parent + ", Bantian, Longgang District, Shenzhen 518129"])
    assert [h["entity_id"] for h in hits[0]] == ["A", "P"]  # both alert, the affiliate first
    assert hits[1][0]["entity_id"] == "P" and NAME_PART * 0.99 <= float(str(hits[1][0]["score"])) < 1.0
