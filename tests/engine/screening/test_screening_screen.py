"""Batch screening over a small list and quality floors on the shared benchmark data."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from exportctl.engine.screening import (
    HIT_SCHEMA,
    MATCHER_VERSION,
    ScreeningIndex,
    build_index,
    list_table,
    match_parties,
    normalise,
    read_list_file,
    score_names,
    screen,
)
from exportctl.errors import DataError


def _hits(index: ScreeningIndex, name: str, **extra: str) -> pl.DataFrame:
    return screen(index, pl.DataFrame({"name": [name], **{k: [v] for k, v in extra.items()}}))


def test_hits_carry_the_contract_columns(small_index: ScreeningIndex) -> None:
    hits = _hits(small_index, "Huawei Technologies Co Ltd")
    assert hits.schema == pl.Schema(HIT_SCHEMA)
    top = hits.row(0, named=True)
    assert top["list"] == "EL" and top["entity_id"] in ("1", "2") and top["score"] == 1.0
    assert top["matcher"] == MATCHER_VERSION and top["explanation"]
    el = hits.filter(pl.col("entity_id") == "1").row(0, named=True)
    assert el["license_policy"] == "Presumption of denial" and el["federal_register_notice"] == "84 FR 22963"
    assert el["country"] == "CN"


def test_han_and_latin_meet(small_index: ScreeningIndex) -> None:
    for query in ("华为技术有限公司", "華為技術有限公司", "Huawei Technologies Co., Ltd."):
        ids = set(_hits(small_index, query)["entity_id"].to_list())
        assert {"1", "2"} <= ids, query


def test_best_first_and_one_hit_per_entry(small_index: ScreeningIndex) -> None:
    hits = _hits(small_index, "Kim Jong Un")
    assert hits["score"].to_list() == sorted(hits["score"].to_list(), reverse=True)
    assert hits.select("list", "entity_id").is_unique().all()


def test_typos_order_and_legal_forms(small_index: ScreeningIndex) -> None:
    for query in (
        "Huawai Technologies",
        "Technologies Huawei Limited",
        "Bank of Kunlun",
        "PUTIN, Vladimir",
        "Joont Stock Company Tekhnodinamika",
        "BIT",
        "Sinobright Import & Export Co.",
    ):
        assert _hits(small_index, query).height >= 1, query


def test_generic_words_and_short_names_do_not_alert(small_index: ScreeningIndex) -> None:
    for query in ("CORP", "Company", "Technology Co Ltd", "Green Valley Trading Company", "Al Green"):
        assert _hits(small_index, query).height == 0, query


def test_country_and_type_adjust(small_index: ScreeningIndex) -> None:
    base = _hits(small_index, "Kim Jong Un")["score"][0]
    elsewhere = _hits(small_index, "Kim Jong Un", country="FR")
    as_company = _hits(small_index, "Kim Jong Un", type="company")
    assert elsewhere.is_empty() or elsewhere["score"][0] < base
    assert as_company.is_empty() or as_company["score"][0] < base


@pytest.mark.parametrize(
    "bad", ["", "a", "x" * 10_000, "\x00\x07\x1b", "Hu\ufffdawei", "Ivan Иванов 华为 ١٢٣", None]
)
def test_bad_input_never_crashes(small_index: ScreeningIndex, bad: str | None) -> None:
    hits = screen(small_index, pl.DataFrame({"name": [bad]}, schema={"name": pl.Utf8}))
    assert hits.height <= 10


def test_batch_equals_singles(small_index: ScreeningIndex) -> None:
    names = ["Huawei", "Kim Jong-un", "nobody at all", "Huawei"]
    batch = screen(small_index, pl.DataFrame({"name": names}))
    for i, name in enumerate(names):
        single = _hits(small_index, name)
        assert batch.filter(pl.col("qid") == i)["entity_id"].to_list() == single["entity_id"].to_list()


def test_match_parties_seam(small_index: ScreeningIndex) -> None:
    out = match_parties(small_index, pl.DataFrame({"qid": [7], "name": ["AERO ENGINE CORP. OF CHINA"]}))
    assert out["qid"].to_list()[0] == 7
    assert {"listed_name", "match_score", "match_kind", "list", "entity_id"} <= set(out.columns)
    assert out["match_kind"][0] == "exact"


def test_list_file(tmp_path: Path) -> None:
    f = tmp_path / "mine.csv"
    f.write_text("id,name,aliases,country,type\nC-1,Zorbulax Trading GmbH,Zorbulax;ZTG Holding,DE,entity\n")
    lists = read_list_file(f)
    assert lists["aliases"][0].to_list() == ["Zorbulax", "ZTG Holding"]
    hits = screen(build_index(lists), pl.DataFrame({"name": ["ZORBULAX TRADING LIMITED"]}))
    assert hits["entity_id"].to_list() == ["C-1"] and hits["list"][0] == "mine"
    bad = tmp_path / "bad.csv"
    bad.write_text("ident,title\n1,x\n")
    with pytest.raises(DataError, match="'id' column"):
        read_list_file(bad)
    empty_name = tmp_path / "empty.csv"
    empty_name.write_text("id,name\n1,\n")
    with pytest.raises(DataError) as err:
        read_list_file(empty_name)
    assert err.value.line == 2


# -- quality floors on the shared benchmark data ---------------------------------------------------------


@pytest.fixture(scope="module")
def csl_index(shared_data: Path) -> ScreeningIndex:
    from exportctl.sources.csl import parse_csl_compact

    table = parse_csl_compact(shared_data / "csl-2026-07-31" / "screening-list.json")
    return build_index(list_table({"csl": table.records}))


@pytest.mark.slow
def test_name_bench_floor(csl_index: ScreeningIndex, shared_data: Path) -> None:
    with (shared_data / "screening-bench" / "nk_name_bench_cases.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    tp = fp = fn = 0
    strong_wrong = []
    for r in rows:
        gold = r["is_match"] == "true"
        pred = score_names(csl_index, r["name1"], r["name2"]).score >= 0.7
        tp += pred and gold
        fp += pred and not gold
        fn += gold and not pred
        if r["quality"] == "STRONG" and pred != gold:
            strong_wrong.append((r["name1"], r["name2"]))
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert strong_wrong == []
    assert f1 >= 0.90  # 0.909 reached; nomenklatura logic-v2: 0.767 on the same cases (frozen scores)


@pytest.mark.slow
def test_congress_false_alert_floor(csl_index: ScreeningIndex, shared_data: Path) -> None:
    path = shared_data / "screening-bench" / "yente_us_congress_untreated.csv"
    with path.open(encoding="utf-8") as fh:
        names = [r["full_name"] for r in csv.DictReader(fh)]
    hits = screen(csl_index, pl.DataFrame({"name": names, "type": ["person"] * len(names)}))
    # Issue #12's goal: <= 5 per 1,000 (logic-v2 raises 8.3). Common given and family names met exactly
    # weigh less (score.common_weight): 12 of 1,254 names (9.6) became 6 (4.8); the six left meet listed
    # names through near spellings and variants (Miller / Miles, Rand / Prand, Young Kim / Yang Jian).
    assert hits["qid"].n_unique() * 1000 / len(names) <= 5.0


@pytest.mark.slow
def test_recall_of_typos_and_reordering(csl_index: ScreeningIndex) -> None:
    entries = csl_index.entries.filter(pl.col("name").str.len_chars().is_between(12, 60)).head(300)
    queries, expected = [], []
    for i, name in enumerate(entries["name"].to_list()):
        words = name.split()
        longest = max(range(len(words)), key=lambda k: len(words[k]))
        w = words[longest]
        words[longest] = w[:2] + w[3:] if i % 2 else w[:2] + w[3] + w[2] + w[4:]  # delete or swap a letter
        queries.append(" ".join(reversed(words)) if i % 3 == 0 else " ".join(words))
        expected.append(name)
    hits = screen(csl_index, pl.DataFrame({"name": queries}))
    top = hits.group_by("qid").agg(pl.col("name").filter(pl.col("score") == pl.col("score").max()))
    found = {q: set(n) for q, n in top.iter_rows()}
    recall = sum(expected[q] in found.get(q, set()) for q in range(len(queries))) / len(queries)
    assert recall >= 0.9


@pytest.mark.slow
def test_batch_retrieval_equals_one_query_at_a_time(csl_index: ScreeningIndex) -> None:
    from exportctl.engine.screening.retrieval import candidates_batch

    names = csl_index.entries["name"].head(400).to_list()
    queries = [normalise(n[:-1] if i % 2 else " ".join(reversed(n.split()))) for i, n in enumerate(names)]
    queries += [normalise(q) for q in ("Hua Wei", "Vladimir Putin", "Acme Widgets Ltd", "")]
    batch = candidates_batch(csl_index, queries, 0.7)
    for q, (ids, bounds) in zip(queries, batch, strict=True):
        one_ids, one_bounds = candidates_batch(csl_index, [q], 0.7)[0]
        assert ids.tolist() == one_ids.tolist() and bounds.tolist() == one_bounds.tolist(), q
    assert sum(len(ids) > 0 for ids, _ in batch) > 300


def test_person_against_a_vessel_weighs_less_than_against_a_company(small_index: ScreeningIndex) -> None:
    hits = screen(small_index, pl.DataFrame({"name": ["Green"], "type": ["person"]}), threshold=0.3)
    vessel = hits.filter(pl.col("entity_id") == "4")
    assert vessel.height == 1 and "x0.6" in vessel["explanation"][0]


def test_a_company_query_against_a_vessel_weighs_as_a_typed_one(
    sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex],
) -> None:
    index = sdn_index_of([("1", "SAMSUN", "Vessel"), ("2", "SAMSUN TRADING LLC", "Entity")])

    def best(name: str) -> tuple[str, float, str] | None:
        hits = screen(index, pl.DataFrame({"name": [name]}), threshold=0.3).filter(pl.col("entity_id") == "1")
        return None if hits.is_empty() else (hits["entity_id"][0], hits["score"][0], hits["explanation"][0])

    # the user's case: a consignee "Samsung Electronics" held on the vessel SAMSUN (0.714 before)
    assert best("Samsung Electronics") is None
    # a company's words the vessel's name lacks: a company, as if typed entity (x0.6)
    company = best("Samsun Electronics")
    assert company is not None and company[1] < 0.7 and "company words/vessel x0.6" in company[2]
    # the vessel's own name still alerts, untyped or typed, and so does an id: nothing the rule reads
    assert best("Samsun") is not None and best("Samsun")[1] == 1.0  # type: ignore[index]
    typed = screen(index, pl.DataFrame({"name": ["Samsun"], "type": ["vessel"]}), threshold=0.7)
    assert "1" in typed["entity_id"].to_list()
    # a legal form alone is no such word: a ship's one-ship owning company ("NAVIS 6 LLC") still alerts
    assert best("Samsun LLC") is not None and best("Samsun LLC")[1] >= 0.7  # type: ignore[index]
    # the company on the list is met by the company's name as before
    trading = screen(index, pl.DataFrame({"name": ["Samsun Trading"]}), threshold=0.7)
    assert trading["entity_id"][0] == "2"
