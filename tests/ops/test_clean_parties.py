"""A question whose parties all screen clean, answered as the question with stand-ins (ops.clean_parties),
equals the question answered alone through check_table on a fresh Context, field by field, for names in
Latin, Han, Arabic and Cyrillic script, empty-ish names, listed names and names near them; its answer
echoes the names as given and never a stand-in."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops import clean_parties
from exportctl.ops.check import Context, check_one, check_table
from exportctl.ops.check_answer import RESULT_COLUMNS, answer
from exportctl.ops.check_input import transaction_echo
from exportctl.ops.check_single import names_a_party, question_row
from exportctl.ops.clean_parties import STAND_INS, clean_result, stand_in
from exportctl.ops.neighbours import PARTY_BLOCK_ROWS, block_pairs

ECCNS = ("5A992", "3A090", "3A001", "4A994", "5A002", "2B350", "0A919", "EAR99", "9A991")
DESTS = ("DE", "CN", "RU", "IR", "HK", "AE", "IN", "Germany")
DAYS = ("2023-10-16", "2024-12-02", "2025-01-15", "2025-06-01", "2026-07-01")
WORDS = ("Acme", "Global", "Widgets", "Nova", "Smith", "Tech", "Trading", "Apex", "Blue", "River", "Orion")
FORMS = ("Ltd", "LLC", "GmbH", "Inc", "Co., Ltd.", "Group", "")


def _recorder(seen: list[dict[str, Any]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A compute that records the question it is asked and answers nothing."""

    def compute(asked: dict[str, Any]) -> dict[str, Any]:
        seen.append(asked)
        return {"error": None}

    return compute


def _fresh(ctx: Context) -> Context:
    """A Context of the same data version and registry with nothing kept (answers, blocks, hits)."""
    return Context(ctx.dataset, ctx.registry)


def _result(ref: Context, row: dict[str, Any], *, known_on: dt.date | None, fuzzy: bool) -> dict[str, Any]:
    """The whole path: the question as the one row of a check_table batch."""
    frame = pl.DataFrame([row], schema=dict.fromkeys(row, pl.Utf8))
    out = check_table(frame, known_on=known_on, fuzzy=fuzzy, context=ref).select(RESULT_COLUMNS)
    return dict(out.row(0, named=True))


def _equal(fast: dict[str, Any], full: dict[str, Any]) -> None:
    a, b = answer(fast), answer(full)
    assert a.keys() == b.keys()
    for k in b:
        assert a[k] == b[k], k  # type: ignore[literal-required]


def _script(lo: int, hi: int, suffix: str) -> st.SearchStrategy[str]:
    letters = st.text(st.characters(min_codepoint=lo, max_codepoint=hi), min_size=2, max_size=8)
    return st.tuples(letters, st.sampled_from(("", suffix))).map(lambda t: f"{t[0]} {t[1]}".strip())


@st.composite
def _names(draw: st.DrawFn, listed: list[str]) -> str:
    kind = draw(st.sampled_from(("latin", "latin", "han", "arabic", "cyrillic", "empty", "listed", "near")))
    if kind == "latin":
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
        return " ".join([*words, draw(st.sampled_from(FORMS))]).strip()
    if kind == "han":
        return draw(_script(0x4E00, 0x9FFF, "有限公司"))
    if kind == "arabic":
        return draw(_script(0x0621, 0x064A, "شركة"))
    if kind == "cyrillic":
        return draw(_script(0x0410, 0x044F, "ООО"))
    if kind == "empty":
        return draw(st.sampled_from(("", " ", "!!!", "--", "a", "Ltd", "  Acme  Widgets  ")))
    name = draw(st.sampled_from(listed))
    if kind == "near" and len(name) > 4:
        at = draw(st.integers(1, len(name) - 2))
        change = draw(st.sampled_from(("drop", "double", "word")))
        if change == "drop":
            return name[:at] + name[at + 1 :]
        if change == "double":
            return name[:at] + name[at] + name[at:]
        return f"{name} {draw(st.sampled_from(WORDS))}"
    return name


@pytest.fixture(scope="module")
def listed(ctx: Context) -> list[str]:
    """Names of the CSL's entries (some persons, some companies) to screen as they are or nearly."""
    csl = ctx.table("csl")
    assert csl is not None
    return sorted(csl["name"].drop_nulls().unique().to_list())[::97]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
def test_a_clean_question_answers_as_the_whole_path(
    ctx: Context, listed: list[str], data: st.DataObject
) -> None:
    names = data.draw(st.lists(_names(listed), min_size=1, max_size=4), label="parties")
    if len(names) > 1 and data.draw(st.booleans(), label="a party twice?"):
        names[-1] = names[0]  # one party in two roles: a row naming one distinct party
    q: dict[str, Any] = {
        "eccn": data.draw(st.sampled_from(ECCNS), label="eccn"),
        "destination": data.draw(st.sampled_from(DESTS), label="destination"),
        "as_of": data.draw(st.sampled_from(DAYS), label="as_of"),
        "parties": names,
    }
    if data.draw(st.integers(0, 3), label="known_on?") == 0:
        q["known_on"] = data.draw(st.sampled_from(DAYS), label="known_on")
    if data.draw(st.integers(0, 4), label="end use?") == 0:
        q["end_use"] = "military"
    if data.draw(st.integers(0, 5), label="value?") == 0:
        q["value"] = 1500.0
    fuzzy = data.draw(st.booleans(), label="fuzzy")
    row = question_row(**q)
    known_on = dt.date.fromisoformat(q["known_on"]) if "known_on" in q else None
    decided = ctx.suppressions() if names_a_party(names) else None
    asked: list[dict[str, Any]] = []

    def compute(r: dict[str, Any]) -> dict[str, Any]:
        asked.append(r)
        return _result(_fresh(ctx), r, known_on=known_on, fuzzy=fuzzy)

    fast = clean_result(
        ctx, row, names, known_on=known_on, scenario=None, fuzzy=fuzzy, decided=decided, compute=compute,
        kept=lambda r: None,
    )  # fmt: skip
    full = _result(_fresh(ctx), row, known_on=known_on, fuzzy=fuzzy)
    _equal(fast, full)
    if asked[-1] is not row:  # answered with stand-ins: no party had a hit, a hold or an error
        assert not full["screening"] and full["error"] is None
        assert not any(r["code"] in ("party-script", "csl") for r in full["reasons"] or [])


def test_clean_consignees_share_one_answer_and_echo_their_names(ctx: Context) -> None:
    # of the stand-ins' blocks: through them and the plan, not the one-row path (Context.one_row)
    ctx.one_row = False
    try:
        ctx.answers.clear()
        ctx.neighbours.clear()
        ref = _fresh(ctx)
        given = ["Nova River Trading GmbH", " Apex  Orion Ltd ", "Blue Widgets Inc", "Smith Tech LLC"]
        near = block_pairs("5A002", "DE", *ctx.neighbours.axes(ctx), PARTY_BLOCK_ROWS)[1]
        asked = [("5A992", "DE"), ("5A992", "DE"), ("5A002", "DE"), near]
        for i, (name, (eccn, dest)) in enumerate(zip(given, asked, strict=True)):
            q: dict[str, Any] = {"eccn": eccn, "destination": dest, "as_of": "2025-06-01", "parties": [name]}
            got = check_one(**q, context=ctx, fuzzy=True)
            row = question_row(**q)
            full = _result(ref, row, known_on=None, fuzzy=True)
            assert {k: v for k, v in got.items() if k != "transaction"} == answer(full)
            assert got["transaction"] == transaction_echo(row, [name])
            assert got["transaction"]["ultimate_consignee"] == name and got["transaction"]["parties"] == [
                name
            ]
            text = json.dumps(got, default=str)
            assert not any(s in text for s in STAND_INS.values())
            # the first asks the stand-in question alone, the second reads it, a new item builds the stand-in
            # question's block, the next item is read from that block
            # (each kept for its own question too, as the whole path keeps it)
            assert len(ctx.answers) == i + 2 and len(ctx.neighbours) == (0 if i < 2 else 1)
    finally:
        ctx.one_row = True


def test_a_party_asked_again_is_read_from_the_keep_unscreened(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    q: dict[str, Any] = {"eccn": "5A992", "destination": "DE", "as_of": "2025-06-01"}
    q["parties"] = ["Apex Nova Ltd"]
    first = check_one(**q, context=ctx, fuzzy=True)

    def unscreened(*args: Any, **kwargs: Any) -> bool:
        raise AssertionError("screened again")

    monkeypatch.setattr(clean_parties, "_screens_clean", unscreened)
    assert check_one(**q, context=ctx, fuzzy=True) == first


def test_a_listed_or_held_party_takes_the_whole_path(ctx: Context) -> None:
    row = question_row(eccn="3A090", destination="CN", as_of="2025-06-01", parties=["x"])
    assert stand_in(row, ["Huawei Technologies Co., Ltd."], None) is not None  # asked: screening decides
    held = (["Huawei Technologies Co., Ltd."], ["华为技术有限公司"], ["Acme Ltd", "Huawei Technologies"])
    for parties in held:
        r = question_row(eccn="3A090", destination="CN", as_of="2025-06-01", parties=parties)
        seen: list[dict[str, Any]] = []
        clean_result(
            ctx, r, parties, known_on=None, scenario=None, fuzzy=True, decided=ctx.suppressions(),
            compute=_recorder(seen), kept=lambda r: None,
        )  # fmt: skip
        assert seen == [r], parties


def test_questions_not_answered_with_stand_ins() -> None:
    base = {"eccn": "5A992", "destination": "DE", "as_of": "2025-06-01"}
    assert stand_in(question_row(**base, parties=["Acme"]), ["Acme"], scenario=object()) is None
    assert stand_in(question_row(**base, parties=["Acme"], value=10.0), ["Acme"], None) is None
    cn = question_row(**base, parties=["Acme"], exporting_country="CN")
    assert stand_in(cn, ["Acme"], None) is None
    assert stand_in(question_row(**base, parties=["!!!"]), ["!!!"], None) is None
    assert stand_in(question_row(**base, parties=[" "]), [" "], None) is None
    assert stand_in(question_row(**base), [], None) is None
    five = ["A Co", "B Co", "C Co", "D Co", "E Co"]
    assert stand_in(question_row(**base, parties=five), five, None) is None
    two = stand_in(question_row(**base, parties=["Acme", " Acme "]), ["Acme", " Acme "], None)
    assert two is not None and two.row["ultimate_consignee"] == two.row["end_user"]
    other = stand_in(question_row(**base, parties=["Acme", "Nova"]), ["Acme", "Nova"], None)
    assert other is not None and other.row["ultimate_consignee"] != other.row["end_user"]


def test_a_stand_in_with_a_hit_is_never_used(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(clean_parties.STAND_INS, "ultimate_consignee", "Huawei Technologies Co., Ltd.")
    r = question_row(eccn="5A992", destination="DE", as_of="2025-06-01", parties=["Nova River Trading GmbH"])
    seen: list[dict[str, Any]] = []
    clean_result(
        ctx, r, ["Nova River Trading GmbH"], known_on=None, scenario=None, fuzzy=True,
        decided=ctx.suppressions(), compute=_recorder(seen), kept=lambda r: None,
    )  # fmt: skip
    assert seen == [r]


def _screened_clean(ctx: Context, tx: pl.DataFrame, day: dt.date, fuzzy: bool, *, fast: bool) -> bool | None:
    """Whether the names of `tx`'s one row screen clean: by the one row's path, or by screen_parties."""
    from exportctl.engine.ear.determine import parties_clean, screen_parties
    from exportctl.ops.check import index_key
    from exportctl.registry import compile_regime

    regime, csl = compile_regime(ctx.registry, day, None, None), ctx.us_lists()
    key = index_key(ctx) + ":us"
    if fast:
        names = [n for n in tx.select(clean_parties.ROLES).row(0) if n is not None]
        dest = tx["destination"][0]
        return parties_clean(
            regime, ctx.tables, names, dest, csl, fuzzy=fuzzy, index_key=key, data_version=ctx.version
        )
    hits, held = screen_parties(
        regime, ctx.tables, tx, csl, fuzzy=fuzzy, index_key=key, data_version=ctx.version
    )
    return hits.height == 0 and held.height == 0


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
def test_one_rows_screening_answers_as_screen_parties(
    ctx: Context, listed: list[str], data: st.DataObject
) -> None:
    """engine.ear.determine.parties_clean (no frames; the memory's hits or the same scorer) says clean
    exactly when screen_parties finds no hit and no script hold: asked first, after screen_parties
    remembered the names, and before it (what it remembers must not change screen_parties' answer)."""
    from exportctl.engine.parties import remembering
    from exportctl.ops.check import index_key, warm_indexes

    names = data.draw(st.lists(_names(listed), min_size=1, max_size=4), label="parties")
    names = [n.strip() for n in names]
    dest = data.draw(st.sampled_from(("DE", "CN", "RU", "IR", "HK", "AE", "IN")), label="destination")
    day = dt.date.fromisoformat(data.draw(st.sampled_from(DAYS), label="as_of"))
    fuzzy = data.draw(st.booleans(), label="fuzzy")
    roles = dict(zip(clean_parties.ROLES, [*names, None, None, None], strict=False))
    tx = pl.DataFrame(
        {"row": [1], "kid": [0], "as_of": [day], "eccn_base": ["5A992"], "destination": [dest]}
        | {r: [roles[r]] for r in clean_parties.ROLES},
        schema={
            "row": pl.Int64,
            "kid": pl.Int64,
            "as_of": pl.Date,
            "eccn_base": pl.Utf8,
            "destination": pl.Utf8,
        }
        | dict.fromkeys(clean_parties.ROLES, pl.Utf8),
    )
    warm_indexes(ctx, index_key(ctx), tx, tx.clear())
    with remembering():
        whole = _screened_clean(ctx, tx, day, fuzzy, fast=False)
        assert _screened_clean(ctx, tx, day, fuzzy, fast=True) == whole  # from the memory
    with remembering():
        assert _screened_clean(ctx, tx, day, fuzzy, fast=True) == whole  # screened alone
        assert _screened_clean(ctx, tx, day, fuzzy, fast=False) == whole  # after what it remembered
