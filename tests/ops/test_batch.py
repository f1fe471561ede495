"""ops.batch: the one envelope of a checked batch, keyed batches as the API sends them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from exportctl.errors import InputError
from exportctl.ops.batch import CheckBatch, check_book, check_keyed
from exportctl.ops.check import Context, check_one
from exportctl.ops.defaults import NOT_LEGAL_ADVICE

DAY = dt.date(2025, 5, 1)
QUERIES = {
    "po-1": {"destination": "CN", "as_of": DAY, "eccn": "3A090"},
    "po-2": {"destination": "DE", "as_of": DAY, "eccn": "EAR99"},
    "bad": {"destination": "Narnia", "as_of": DAY, "eccn": "3A090"},
}


def test_keyed_answers_are_check_one_answers(ctx: Context) -> None:
    responses, batch = check_keyed(QUERIES, context=ctx, fuzzy=False)
    assert list(responses) == ["po-1", "po-2", "bad"]
    one = check_one(destination="CN", as_of=DAY, eccn="3A090", context=ctx, fuzzy=False)
    assert responses["po-1"] == one  # the same object, transaction included
    assert responses["bad"]["verdict"] == "hold" and responses["bad"]["error"].startswith(
        "field 'destination'"
    )
    assert "fail_on" not in responses["po-1"] and batch.fail_fields() == {}
    assert batch.rows == 3 and batch.errors == 1 and batch.unscreened == 3
    assert batch.data_version == ctx.version and len(batch.regimes) == 1
    assert batch.warnings and "no party column" in batch.warnings[0]
    assert {c["verdict"]: c["rows"] for c in batch.summary} == {
        "prohibited": 0,
        "hold": 1,
        "license_required": 1,
        "license_exception_available": 0,
        "no_license_required": 1,
    }
    assert batch.disclaimer == NOT_LEGAL_ADVICE
    assert batch.notes()[0].startswith("1 row(s) with input errors") and "not screened" in batch.notes()[1]


@pytest.mark.parametrize(
    ("fail_on", "failed"), [("license_required", True), ("hold", True), ("prohibited", False)]
)
def test_fail_on_marks_each_answer_and_the_batch(ctx: Context, fail_on: str, failed: bool) -> None:
    responses, batch = check_keyed(QUERIES, context=ctx, fuzzy=False, fail_on=fail_on)
    assert batch.fail_fields() == {"fail_on": fail_on, "failed": failed}
    assert responses["po-2"]["failed"] is False and responses["po-2"]["fail_on"] == fail_on
    assert responses["bad"]["failed"] is (fail_on != "prohibited")


def test_a_bad_fail_on_is_refused_before_any_work(ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        check_keyed(QUERIES, context=ctx, fail_on="hit")
    assert err.value.field == "fail_on"
    with pytest.raises(InputError):
        check_book(tmp_path / "none.csv", context=ctx, fail_on="bogus")


def test_a_book_keeps_its_warnings_and_still_says_them(ctx: Context, tmp_path: Path) -> None:
    book = tmp_path / "b.csv"
    book.write_text("order_id,eccn,destination,date\n1,EAR99,DE,2025-05-01\n2,3A090,CN,2025-05-01\n")
    said: list[str] = []
    batch = check_book(book, context=ctx, fuzzy=False, warn=said.append, fail_on="license_required")
    assert isinstance(batch, CheckBatch) and batch.rows == 2 and batch.failed
    assert said == list(batch.warnings) and said
    assert [r["order_id"] for r in batch.answer_rows()] == ["1", "2"]


def test_a_keyed_answer_with_parties_is_check_one_answer(ctx: Context) -> None:
    ask = {"destination": "CN", "as_of": DAY, "eccn": "EAR99", "parties": ["Huawei Technologies Co., Ltd."]}
    responses, batch = check_keyed({"x": ask}, context=ctx, fuzzy=False)
    assert responses["x"] == check_one(**ask, context=ctx, fuzzy=False)  # type: ignore[arg-type]
    assert responses["x"]["transaction"]["ultimate_consignee"] == "Huawei Technologies Co., Ltd."
    assert not batch.warnings and batch.unscreened == 0
