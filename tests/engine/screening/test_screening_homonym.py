"""Korean names in the word orders people write them, and homonyms of listed persons (#12): an exact reading
of a listed name alerts, marked for review when the name is common; an unlisted common name does not alert;
answers do not depend on earlier queries; one name-frequency table."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import DEFAULT_THRESHOLD, ScreeningIndex, build_index, score_names, screen
from exportctl.engine.screening.homonym import HOMONYM, common_name, mark, word_rank
from exportctl.engine.screening.korean import family_names, korean_order
from exportctl.engine.screening.lists import LIST_SCHEMA
from exportctl.engine.screening.loan_hangul import hangul_loan_forms
from exportctl.engine.screening.surname import surname_rank
from exportctl.engine.screening.terms import name_rank, name_ranks

LISTED = [
    ("1", "KIM, Jong Un", "Individual"),
    ("2", "KIM, Yong Chol", "Individual"),
    ("3", "PARK, Geun-hye", "Individual"),
    ("4", "LEE, Myung-bak", "Individual"),
    ("5", "PUTIN, Vladimir Vladimirovich", "Individual"),
    ("6", "TRUMP, Donald", "Individual"),
]


@pytest.fixture(scope="module")
def index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """An index over the names above."""
    return sdn_index_of(LISTED)


def _hits(index: ScreeningIndex, *names: str, **more: str) -> pl.DataFrame:
    frame = pl.DataFrame({"name": list(names), **{k: [v] * len(names) for k, v in more.items()}})
    return screen(index, frame, DEFAULT_THRESHOLD)


def test_kim_jong_un_alone_alerts_and_says_it_is_a_common_name(index: ScreeningIndex) -> None:
    """김정은 is the exact Korean reading of the listed KIM, Jong Un: it alerts on the name alone, and since
    Kim and Jeong-eun are common, the hit says it needs review (explanation and evidence)."""
    hits = _hits(index, "김정은")
    assert hits["entity_id"].to_list() == ["1"]
    row = hits.row(0, named=True)
    assert row["score"] >= 0.9
    assert HOMONYM in row["explanation"] and "bearers" in row["explanation"]
    notes = [e for e in row["evidence"] if e["kind"] == "name" and e["effect"].startswith(HOMONYM)]
    assert len(notes) == 1 and notes[0]["entry"] == row["matched_name"]


def test_agreeing_evidence_takes_the_homonym_mark_off() -> None:
    """A same date of birth tells the listed bearer from the others: the hit no longer rests on the name."""
    row = {
        "list": "SDN",
        "list_name": "Specially Designated Nationals (SDN) - Treasury Department",
        "entity_id": "9",
        "name": "KIM, Jong Un",
        "aliases": [],
        "type": "Individual",
        "countries": ["KP"],
        "programs": ["DPRK3"],
        "dates_of_birth": ["1984-01-08"],
        "nationalities": ["KP"],
        "ids": [],
    }
    dated = build_index(
        pl.DataFrame([row]).select(
            [pl.col(c).cast(t) if c in row else pl.lit(None, t).alias(c) for c, t in LIST_SCHEMA.items()]
        )
    )
    plain = _hits(dated, "김정은").row(0, named=True)
    assert HOMONYM in plain["explanation"]
    agreed = _hits(dated, "김정은", dob="1984-01-08").row(0, named=True)
    assert agreed["score"] > plain["score"] and HOMONYM not in agreed["explanation"]
    assert _hits(dated, "김정은", dob="1990-05-05").is_empty()  # a contradicting date clears it


@pytest.mark.parametrize(
    ("query", "entity"),
    [
        ("김 정은", "1"),
        ("정은 김", "1"),
        ("김, 정은", "1"),
        ("영철 김", "2"),
        ("박 근혜", "3"),
        ("근혜 박", "3"),
        ("이 명박", "4"),
        ("명박 이", "4"),
    ],
)
def test_korean_names_in_other_word_orders_meet_their_romanisation(
    index: ScreeningIndex, query: str, entity: str
) -> None:
    hits = _hits(index, query)
    assert hits["entity_id"].to_list()[:1] == [entity], hits.select("name", "score", "explanation").rows()
    assert "loan" not in hits.row(0, named=True)["explanation"]


def test_foreign_names_in_hangul_keep_their_loan_reading(index: ScreeningIndex) -> None:
    """도널드 트럼프 is no Korean name (lone consonants): read as a loanword, it alerts."""
    assert korean_order("도널드 트럼프") == korean_order("조 바이든") == ""
    assert hangul_loan_forms("도널드 트럼프") and hangul_loan_forms("존 케리")
    assert hangul_loan_forms("정은 김") == hangul_loan_forms("김 정은") == []
    assert _hits(index, "도널드 트럼프")["entity_id"].to_list()[:1] == ["6"]


@pytest.mark.parametrize("name", ["김상훈", "김영숙", "박지훈", "상훈 김", "이 서연", "민준 박"])
def test_unlisted_common_korean_names_do_not_alert(index: ScreeningIndex, name: str) -> None:
    hits = _hits(index, name)
    assert hits.is_empty(), hits.select("name", "score", "explanation").rows()


_FAMILY = st.sampled_from(["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "남궁", "황보"])
_GIVEN = st.text(alphabet=st.sampled_from(list("정은영철민수지훈서연준호근혜명박")), min_size=2, max_size=2)


@settings(max_examples=40, deadline=None)
@given(_FAMILY, _GIVEN)
def test_the_forms_of_one_korean_name_read_alike(family: str, given_name: str) -> None:
    """김 정은, 정은 김 and 김, 정은 are read as 김정은: the same family and given name."""
    assert family in family_names()
    for written in (f"{family} {given_name}", f"{given_name} {family}", f"{family}, {given_name}"):
        assert korean_order(written) == family + given_name


@settings(max_examples=25, deadline=None)
@given(st.permutations(["김정은", "김 민수", "Vladimir Putin", "王伟", "정은 김", "근혜 박", "Acme GmbH"]))
def test_answers_do_not_depend_on_earlier_queries(index: ScreeningIndex, names: list[str]) -> None:
    """Each name's hits are the same screened alone or after any others, in any order."""
    together = _hits(index, *names)
    for qid, name in enumerate(names):
        alone = _hits(index, name).drop("qid")
        mine = together.filter(pl.col("qid") == qid).drop("qid")
        assert mine.to_dicts() == alone.to_dicts(), name


def test_rare_and_latin_names_are_no_homonyms(index: ScreeningIndex) -> None:
    assert not common_name("Владимир Путин") and not common_name("Kim Jong Un")
    assert not common_name("김정은", "entity")
    assert common_name("김정은") and common_name("정은 김") == common_name("김정은")
    hit = _hits(index, "Владимир Путин").row(0, named=True)
    assert HOMONYM not in hit["explanation"]


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(st.text(max_size=12), st.sampled_from(["김정은", "王伟", "علی هاشمی", "Иван Петров"])),
    st.lists(st.floats(min_value=DEFAULT_THRESHOLD, max_value=1.0), max_size=4),
)
def test_marking_never_changes_a_score_or_drops_a_hit(name: str, scores: list[float]) -> None:
    """Any query, any hits: the marked hits keep their scores and order; the mark says why."""
    rows = [(0, name, i, i, s, "x") for i, s in enumerate(scores)]
    items = [[{"kind": "name", "query": name, "entry": "X", "effect": f"{s:.3f}"}] for s in scores]
    out, found = mark(rows, items, {0: ""}, {0: name})
    assert [r[4] for r in out] == scores and len(found) == len(items)
    for row, its in zip(out, found, strict=True):
        assert (HOMONYM in row[5]) == any(i["effect"].startswith(HOMONYM) for i in its)


def test_one_table_for_every_name_frequency() -> None:
    """name_ranks.tsv.gz holds the given and family ranks as written in any script, and the anyascii
    reading of family names written in another script: name_rank and surname_rank both read it."""
    assert name_rank("smith") > 0 and surname_rank("smith") == name_rank("smith")
    assert name_rank("biryukov") == 0 < surname_rank("biryukov")  # ranked only as Бирюков
    assert word_rank("영철") > 0 and word_rank("Александр") > 0 and word_rank("Путин") == 0
    assert all(len(v) == 3 for v in list(name_ranks().values())[:100])


def test_a_two_syllable_family_name_is_met_first_or_last() -> None:
    from exportctl.engine.screening.korean import spelt_by

    assert spelt_by("남궁민수", ["namgung", "minsu"]) and spelt_by("남궁민수", ["minsu", "namgung"])
    assert spelt_by("남궁민수", ["min", "su", "namgung"]) and not spelt_by("남궁민수", ["minsu", "nam"])
    assert not spelt_by("김민수", ["minsu", "kimgung"])


def test_score_names_reads_the_word_orders_too(index: ScreeningIndex) -> None:
    assert score_names(index, "정은 김", "KIM, Jong Un").score >= 0.9
    assert score_names(index, "김 정은", "Jong Un Kim").score >= 0.9
    assert score_names(index, "상훈 김", "KIM, Jong Un").score < DEFAULT_THRESHOLD
