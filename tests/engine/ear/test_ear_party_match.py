"""The one party-matching function: exact after normalisation, or the screening engine."""

from __future__ import annotations

import polars as pl

from exportctl.engine.parties import match_parties, normalize_names


def _lists() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "list": ["EL", "MEU"],
            "entity_id": ["1", "2"],
            "name": ["Huawei Technologies Co., Ltd.", "AECC Aviation Power Co. Ltd."],
            "aliases": [["Shenzhen Huawei Technologies"], []],
            "countries": [["CN"], ["CN"]],
            "license_requirement": ["For all items subject to the EAR", None],
            "license_policy": ["Presumption of denial", None],
            "federal_register_notice": [None, None],
        }
    )


def test_normalise() -> None:
    out = pl.DataFrame({"n": ["  HUAWEI Technologies Co., Ltd. ", "Société Générale", "a--b"]}).select(
        normalize_names(pl.col("n"))
    )
    assert out["n"].to_list() == ["huawei technologies co ltd", "societe generale", "a b"]


def test_exact_matching() -> None:
    q = pl.DataFrame(
        {
            "qid": [0, 1, 2, 3],
            "name": [
                "huawei technologies co ltd",
                "SHENZHEN HUAWEI TECHNOLOGIES",
                "Huawei Technologies",
                "AECC Aviation Power Co Ltd",
            ],
        }
    )
    hits = match_parties(q, _lists())
    assert sorted(hits["qid"].to_list()) == [0, 1, 3]
    assert set(hits.columns) >= {"qid", "list", "entity_id", "listed_name", "match_score", "license_policy"}


def test_fuzzy_matching_uses_the_screening_engine() -> None:
    q = pl.DataFrame(
        {"qid": [0, 1], "name": ["Huawei Technologies Company Limited", "Totally Unrelated Bakery"]}
    )
    hits = match_parties(q, _lists(), fuzzy=True)
    assert hits.filter(pl.col("qid") == 0).height >= 1
    assert hits.filter(pl.col("qid") == 1).height == 0


def test_empty_inputs() -> None:
    assert (
        match_parties(
            pl.DataFrame({"qid": [], "name": []}, schema={"qid": pl.Int64, "name": pl.Utf8}), _lists()
        ).height
        == 0
    )


def test_fuzzy_mode_never_loses_an_exact_match() -> None:
    lists = pl.DataFrame(
        {
            "list": ["UVL"],
            "entity_id": ["u"],
            "name": ["Abu Trade LLC"],
            "aliases": [[]],
            "countries": [["AE"]],
            "license_requirement": [None],
            "license_policy": [None],
            "federal_register_notice": [None],
        }
    )
    hits = match_parties(pl.DataFrame({"qid": [0], "name": ["ABU TRADE, LLC"]}), lists, fuzzy=True)
    assert hits["list"].to_list() == ["UVL"] and hits["match_score"][0] == 1.0
