"""Review decisions on screening hits: in the chain, shown on later hits, expired by a changed entry."""

from __future__ import annotations

import datetime as dt
import io
import json

import polars as pl
import pytest

from exportctl.errors import InputError
from exportctl.ops import audit, reviews
from exportctl.ops.audit_runs import chunk_digest
from exportctl.sources.base import SourceTable
from exportctl.store import Dataset, Store

AT = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


def _dataset(address: str) -> Dataset:
    records = pl.DataFrame(
        {
            "list": ["EL", "EL"],
            "entity_id": ["e1", "e2"],
            "name": ["Acme Photonics Co., Ltd.", "Other Firm"],
            "countries": [["CN"], ["CN"]],
            "programs": [[address], []],  # stands for any field of the entry that a new list may change
            "src_file": ["csl.json", "csl.json"],
            "src_line": [1, 2],
        }
    )
    return Dataset.from_tables(
        [SourceTable("csl", "Consolidated Screening List", "test", "2026-07-31", records)]
    )


def _hits(query: str) -> list[dict[str, object]]:
    return [{"query": query, "hits": [{"list": "EL", "entity_id": "e1", "name": "Acme Photonics Co., Ltd."}]}]


def test_decision_shown_then_expired(store: Store) -> None:
    ds = _dataset("EAR")
    before = reviews.annotate(_hits("Acme Photonics"), dataset=ds, engine=store.engine)
    assert before[0]["hits"][0]["review"] is None
    made = reviews.review(
        party="ACME photonics", list_id="EL", entity_id="e1", decision="false_positive", note="other Acme",
        actor="token:abc", at=AT, dataset=ds, engine=store.engine,
    )  # fmt: skip
    assert made["at"] == "2026-11-23T09:30:00.000000Z" and made["audit_seq"] == 1
    shown = reviews.annotate(_hits("Acme  Photonics!"), dataset=ds, engine=store.engine)
    hit = shown[0]["hits"][0]
    assert hit["entity_id"] == "e1", "the hit stays in the answer"
    assert hit["review"]["decision"] == "false_positive" and hit["review"]["status"] == "current"
    assert hit["review"]["note"] == "other Acme"
    # another party hitting the same entry does not inherit the decision
    assert (
        reviews.annotate(_hits("Beta Trading"), dataset=ds, engine=store.engine)[0]["hits"][0]["review"]
        is None
    )
    # the list entry changes in a newer list: the decision is still shown, marked expired
    changed = reviews.annotate(_hits("Acme Photonics"), dataset=_dataset("EAR;IEEPA"), engine=store.engine)
    assert changed[0]["hits"][0]["review"]["status"] == "expired"


def test_newest_decision_wins_and_all_are_in_the_chain(store: Store) -> None:
    ds = _dataset("EAR")
    for decision in ("false_positive", "match"):
        reviews.review(party="Acme Photonics", list_id="EL", entity_id="e1", decision=decision, actor="r",
                     at=AT, dataset=ds, engine=store.engine)  # fmt: skip
    shown = reviews.annotate(_hits("Acme Photonics"), dataset=ds, engine=store.engine)
    assert shown[0]["hits"][0]["review"]["decision"] == "match"
    assert [r["decision"] for r in reviews.reviews(engine=store.engine)] == ["match", "false_positive"]
    out = io.StringIO()
    assert audit.export(out, "jsonl", engine=store.engine) == 2
    kinds = [json.loads(line)["kind"] for line in out.getvalue().splitlines()]
    assert kinds == ["review", "review"]
    assert audit.verify(engine=store.engine)["ok"]


def test_review_refuses_unknown_entry_and_decision(store: Store) -> None:
    ds = _dataset("EAR")
    with pytest.raises(InputError) as err:
        reviews.review(
            party="x",
            list_id="EL",
            entity_id="nope",
            decision="match",
            actor="r",
            dataset=ds,
            engine=store.engine,
        )
    assert err.value.field == "entity_id"
    with pytest.raises(InputError) as err:
        reviews.review(
            party="x",
            list_id="EL",
            entity_id="e1",
            decision="maybe",
            actor="r",
            dataset=ds,
            engine=store.engine,
        )
    assert err.value.field == "decision"
    with pytest.raises(InputError) as err:
        reviews.review(
            party=" ,. ",
            list_id="EL",
            entity_id="e1",
            decision="match",
            actor="r",
            dataset=ds,
            engine=store.engine,
        )
    assert err.value.field == "party"


def test_record_keeps_input_hash_and_outputs(store: Store) -> None:
    seq = audit.record("check", {"b": 2, "a": 1}, {"verdict": "hold"}, data_version="d", engine_version="e",
                       actor="t", at=AT, engine=store.engine)  # fmt: skip
    assert seq == 1
    (row,) = list(audit.records("2026-11-23", "2026-11-23", engine=store.engine))
    assert row["input_hash"] == audit.input_hash({"a": 1, "b": 2})
    assert json.loads(row["outputs"]) == {"verdict": "hold"}
    assert list(audit.records("2026-11-24", None, engine=store.engine)) == []
    with pytest.raises(InputError):
        list(audit.records("2026-11-24", "2026-11-23", engine=store.engine))


def test_record_run_keeps_counts_and_the_hash_of_its_rows(store: Store) -> None:
    results = pl.DataFrame(
        {
            "order_id": ["A", "B"],
            "eccn": ["3A090", "EAR99"],
            "verdict": ["license_required", "no_license_required"],
            "as_of": [dt.date(2025, 5, 1), dt.date(2025, 5, 1)],
            "engine_version": ["ear-1", "ear-1"],
        }
    )
    with audit.acting_as("token:abc", AT, store.engine) as state:
        seqs = audit.record_run(results, source="book.csv", data_version="v1")
    assert state["seqs"] == seqs == [1, 2]
    chunk, run = list(audit.records(engine=store.engine))
    assert [r["kind"] for r in (chunk, run)] == ["check_chunk", "check_run"]
    assert chunk["actor"] == run["actor"] == "token:abc" and chunk["engine_version"] == "ear-1"
    got = json.loads(chunk["outputs"])
    assert got["source"] == "book.csv" and got["first_row"] == 1 and got["rows"] == 2
    assert got["verdicts"] == {"license_required": 1, "no_license_required": 1}
    assert got["hashed"] == "arrow_ipc" and got["sha256"] == chunk_digest(results)
    ran = json.loads(run["outputs"])
    assert ran["rows"] == 2 and ran["chunks"] == [1] and ran["output"] is None and ran["sha256"] is None
    # the input hash covers the input columns only: the same orders hash alike whatever the answers
    other = results.with_columns(pl.lit("hold").alias("verdict"))
    audit.record_run(other, source="book.csv", data_version="v1", actor="cli:someone", engine=store.engine)
    third = list(audit.records(engine=store.engine))[2]
    assert third["input_hash"] == chunk["input_hash"] and third["actor"] == "cli:someone"
    assert json.loads(third["outputs"])["sha256"] != got["sha256"]  # other answers, another hash
    assert audit.verify(engine=store.engine)["ok"]
