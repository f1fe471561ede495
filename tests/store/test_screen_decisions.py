"""A reviewer's false-positive decision suppresses its hit until the entry changes; it can be withdrawn;
every step is in the audit trail. The same tests on SQLite and PostgreSQL (`store` fixture)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from exportctl.errors import InputError
from exportctl.ops import audit, reviews
from exportctl.sources.base import SourceTable
from exportctl.store import Dataset, Store

AT = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


def _dataset(dob: str) -> Dataset:
    records = pl.DataFrame(
        {
            "list": ["SDN", "SDN"],
            "entity_id": ["7", "8"],
            "name": ["KARIMOV, Rustam", "Other Firm"],
            "countries": [["UZ"], ["CN"]],
            "dates_of_birth": [[dob], []],  # evidence counts in the entry's content
            "src_file": ["csl.json", "csl.json"],
            "src_line": [1, 2],
        }
    )
    return Dataset.from_tables(
        [SourceTable("csl", "Consolidated Screening List", "test", "2026-07-31", records)]
    )


def _hits(query: str) -> list[dict[str, object]]:
    return [{"query": query, "hits": [{"list": "SDN", "entity_id": "7"}, {"list": "SDN", "entity_id": "8"}]}]


def _decide(store: Store, ds: Dataset, decision: str = "false_positive") -> dict[str, object]:
    return reviews.review(
        party="Rustam Karimov", list_id="SDN", entity_id="7", decision=decision, note="born 1990, our client",
        actor="J. Doe (cli:jd)", at=AT, dataset=ds, engine=store.engine,
    )  # fmt: skip


def test_false_positive_suppresses_until_the_entry_changes(store: Store) -> None:
    ds = _dataset("1961-05-12")
    made = _decide(store, ds)
    (result,) = reviews.annotate(_hits("rustam  KARIMOV"), dataset=ds, engine=store.engine)
    first, second = result["hits"]
    assert first["suppressed"] == {
        "review_id": made["id"],
        "by": "J. Doe (cli:jd)",
        "at": "2026-11-23T09:30:00.000000Z",
        "reason": "born 1990, our client",
    }
    assert second["suppressed"] is None, "a decision names one entry"
    # the entry is amended (a new date of birth): the hit alerts again, the decision shows as expired
    (amended,) = reviews.annotate(_hits("Rustam Karimov"), dataset=_dataset("1962"), engine=store.engine)
    assert amended["hits"][0]["suppressed"] is None
    assert amended["hits"][0]["review"]["status"] == "expired"


def test_a_match_decision_never_suppresses(store: Store) -> None:
    ds = _dataset("1961-05-12")
    _decide(store, ds, "match")
    (result,) = reviews.annotate(_hits("Rustam Karimov"), dataset=ds, engine=store.engine)
    assert result["hits"][0]["review"]["decision"] == "match" and result["hits"][0]["suppressed"] is None


def test_withdraw_restores_the_alert_and_is_recorded(store: Store) -> None:
    ds = _dataset("1961-05-12")
    made = _decide(store, ds)
    gone = reviews.withdraw(int(made["id"]), reason="wrong person after all", actor="K. Roe", at=AT,
                          engine=store.engine)  # fmt: skip
    assert gone["decision"] == "withdrawn" and gone["note"] == "wrong person after all"
    (result,) = reviews.annotate(_hits("Rustam Karimov"), dataset=ds, engine=store.engine)
    assert result["hits"][0]["suppressed"] is None
    assert result["hits"][0]["review"]["decision"] == "withdrawn"
    kinds = [r["kind"] for r in audit.records(engine=store.engine)]
    assert kinds == ["review", "review"] and audit.verify(engine=store.engine)["ok"]
    # only the current decision of a pair can be withdrawn, and a withdrawal is no decision to withdraw
    with pytest.raises(InputError) as err:
        reviews.withdraw(int(made["id"]), actor="K. Roe", engine=store.engine)
    assert err.value.field == "id"
    with pytest.raises(InputError):
        reviews.withdraw(int(gone["id"]), actor="K. Roe", engine=store.engine)
    with pytest.raises(InputError):
        reviews.withdraw(999, actor="K. Roe", engine=store.engine)


def test_suppressions_for_the_engines(store: Store) -> None:
    ds = _dataset("1961-05-12")
    assert reviews.suppressions(dataset=ds, engine=store.engine).height == 0
    made = _decide(store, ds)
    frame = reviews.suppressions(dataset=ds, engine=store.engine)
    assert frame.select("party_key", "list", "entity_id").rows() == [
        (reviews.party_key("Rustam Karimov"), "SDN", "7")
    ]
    assert frame["suppressed_by"][0].startswith(f"review {made['id']} (J. Doe (cli:jd)")
    assert reviews.suppressions(dataset=_dataset("1962"), engine=store.engine).height == 0, "entry changed"


def test_check_answers_info_for_a_suppressed_party(store: Store) -> None:
    from exportctl.engine.common.lists import mark_suppressed
    from exportctl.engine.ear.parties import party_reasons

    ds = _dataset("1961-05-12")
    _decide(store, ds)
    hits = pl.DataFrame(
        {
            "row": [1],
            "role": ["end_user"],
            "name": ["Rustam Karimov"],
            "list": ["SDN"],
            "entity_id": ["7"],
            "listed_name": ["KARIMOV, Rustam"],
            "match_score": [1.0],
            "as_of": [dt.date(2026, 8, 1)],
            "eccn_base": ["EAR99"],
            "destination": ["UZ"],
            "federal_register_notice": [None],
            "license_requirement": [None],
            "license_policy": [None],
            "rkey": [0],
        },
        schema_overrides={
            "federal_register_notice": pl.Utf8,
            "license_requirement": pl.Utf8,
            "license_policy": pl.Utf8,
        },
    )
    blocked = party_reasons(mark_suppressed(hits, None))["reason"][0]
    assert blocked["effect"] == "prohibited"
    marked = mark_suppressed(hits, reviews.suppressions(dataset=ds, engine=store.engine))
    reason = party_reasons(marked)["reason"][0]
    assert reason["effect"] == "info" and "suppressed as a false positive by review 1" in reason["text"]
