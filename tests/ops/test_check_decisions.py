"""`check` screens each party with its country (else the destination) and honours reviewers' decisions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from exportctl.engine.common.lists import screen_rows
from exportctl.ops import reviews
from exportctl.ops.check import Context, check_one
from exportctl.store import open_store

PARTY = "AL-ZAWAHIRI, Ayman"  # the CSL's SDN entry 2676, matched exactly


def test_party_country_reaches_the_screening() -> None:
    lists = pl.DataFrame(
        {
            "list": ["EL"],
            "entity_id": ["1"],
            "name": ["Zorbulax Photonics Trading GmbH"],
            "aliases": [[]],
            "countries": [["CN"]],
        },
        schema_overrides={"aliases": pl.List(pl.Utf8)},
    )

    def score(country: str) -> float:
        parties = pl.DataFrame(
            {"row": [1], "role": ["end_user"], "name": ["Zorbulax Photonic Trading"], "country": [country]}
        )
        hits = screen_rows(parties, lists, fuzzy=True)
        return float(hits["match_score"][0]) if hits.height else 0.0

    assert score("CN") > score("DE") > 0.0, "a country the entry does not list costs the name score"


@pytest.mark.slow
def test_a_suppressed_hit_does_not_block(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        ctx = Context(engine=store.engine)
        ask = {
            "destination": "EG",
            "as_of": dt.date(2025, 5, 1),
            "eccn": "EAR99",
            "parties": [PARTY],
            "fuzzy": False,
        }
        before = check_one(context=ctx, **ask)  # type: ignore[arg-type]
        assert before["verdict"] == "prohibited"
        made = reviews.review(
            party=PARTY, list_id="SDN", entity_id="2676", decision="false_positive", note="our client",
            actor="J. Doe", dataset=ctx.dataset, engine=store.engine,
        )  # fmt: skip
        after = check_one(context=ctx, **ask)  # type: ignore[arg-type]
        assert after["verdict"] != "prohibited"
        texts = [r["text"] for r in after["reasons"] if r.get("step") == "OFAC"]
        assert any(f"suppressed as a false positive by review {made['id']} (J. Doe" in t for t in texts), (
            texts
        )
        reviews.withdraw(int(made["id"]), actor="K. Roe", engine=store.engine)
        assert check_one(context=ctx, **ask)["verdict"] == "prohibited"  # type: ignore[arg-type]
    finally:
        store.close()


def test_suppressions_see_a_decision_written_through_another_connection(tmp_path: Path) -> None:
    """The suppressions are kept between calls (ops.reviews.suppressions) only while the review table's
    stamp is unchanged: a decision another process writes is seen by the next call."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    mine, other = open_store(url), open_store(url)  # two handles: as the service and `exportctl audit review`
    try:
        ctx = Context(engine=mine.engine)
        assert reviews.suppressions(dataset=ctx.dataset, engine=mine.engine).height == 0
        first = reviews.suppressions(dataset=ctx.dataset, engine=mine.engine)
        made = reviews.review(
            party=PARTY, list_id="SDN", entity_id="2676", decision="false_positive", note="n",
            actor="J. Doe", dataset=ctx.dataset, engine=other.engine,
        )  # fmt: skip
        seen = reviews.suppressions(dataset=ctx.dataset, engine=mine.engine)
        assert first.height == 0 and seen.height == 1
        assert seen["suppressed_by"][0].startswith(f"review {made['id']} ")
        assert reviews.suppressions(dataset=ctx.dataset, engine=mine.engine) is seen  # kept: nothing changed
        reviews.withdraw(int(made["id"]), actor="K. Roe", engine=other.engine)
        assert reviews.suppressions(dataset=ctx.dataset, engine=mine.engine).height == 0
    finally:
        mine.close()
        other.close()
