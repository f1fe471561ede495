"""`exportctl check`: the contract JSON, one-line errors with exit 2, files, --demo and --fail-on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exportctl.fronts.cli.main import app
from exportctl.sources import china_lists, csl, ecfr
from exportctl.store import clear_cache, open_store


@pytest.fixture(scope="module")
def store_env(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A store of its own holding the shared snapshots, so the CLI runs end to end."""
    url = f"sqlite:///{tmp_path_factory.mktemp('clistore') / 'store.db'}"
    ear = shared_data / "ear-2026-07-23"
    tables = [
        ecfr.parse_ccl(ear / "ccl.json"),
        ecfr.parse_country_chart(ear / "country-chart.json"),
        ecfr.parse_country_groups(ear / "country-groups.json"),
        csl.parse_csl_compact(shared_data / "csl-2026-07-31" / "screening-list.json"),
        china_lists.parse_cn_parties(shared_data / "china-2026-07" / "cn_entity_lists.json"),
    ]
    store = open_store(url)
    store.import_tables(tables, note="cli check tests", activate=True)
    store.close()
    clear_cache()
    yield {"EXPORTCTL_DATABASE_URL": url}
    clear_cache()


def invoke(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={**env, "COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


def test_contract_json(store_env: dict[str, str]) -> None:
    code, out, _ = invoke(
        store_env, "check", "--eccn", "3A090", "--to", "CN", "--date", "2025-05-01", "--format", "json"
    )
    assert code == 0
    obj = json.loads(out)
    assert {
        "verdict",
        "license_required",
        "reasons",
        "review_policy",
        "exceptions",
        "as_of",
        "data_version",
    } <= set(obj)
    assert obj["verdict"] == "license_required" and obj["as_of"] == "2025-05-01"
    assert all({"code", "measure", "citation"} <= set(r) for r in obj["reasons"])


@pytest.mark.parametrize("args", [("--eccn", "9Z999", "--to", "CN"), ("--eccn", "3A090", "--to", "Atlantis")])
def test_bad_input_one_line_exit_2(store_env: dict[str, str], args: tuple[str, ...]) -> None:
    code, out, err = invoke(store_env, "check", *args)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "did you mean" in lines[0]
    assert "Traceback" not in err


def test_product_and_fail_on(store_env: dict[str, str]) -> None:
    code, out, _ = invoke(
        store_env,
        "check",
        "--product",
        "ethane",
        "--to",
        "China",
        "--date",
        "2025-06-15",
        "--fail-on",
        "license_required",
    )
    assert code == 1 and "license_required" in out
    code, _, _ = invoke(
        store_env,
        "check",
        "--product",
        "ethane",
        "--to",
        "China",
        "--date",
        "2025-07-10",
        "--fail-on",
        "license_required",
    )
    assert code == 0


def test_party_screening_in_single_check(store_env: dict[str, str]) -> None:
    code, out, _ = invoke(
        store_env,
        "check",
        "--eccn",
        "EAR99",
        "--to",
        "CN",
        "--date",
        "2025-03-01",
        "--party",
        "Huawei Technologies Co., Ltd.",
        "--format",
        "json",
    )
    assert code == 0
    obj = json.loads(out)
    assert obj["verdict"] == "license_required" and any(p["list"] == "EL" for p in obj["parties"])


@pytest.mark.parametrize(
    ("option", "role"),
    [
        ("--consignee", "ultimate_consignee"),
        ("--end-user", "end_user"),
        ("--forwarder", "intermediate_consignee"),
        ("--customer", "purchaser"),
    ],
)
def test_a_party_given_by_its_role(store_env: dict[str, str], option: str, role: str) -> None:
    # a new user types --consignee or --customer, not the order --party reads its names in
    args = ("check", "--eccn", "EAR99", "--to", "CN", "--date", "2025-03-01", "--format", "json")
    code, out, _ = invoke(store_env, *args, option, "Huawei Technologies Co., Ltd.")
    assert code == 0
    obj = json.loads(out)
    assert obj["verdict"] == "license_required"
    assert {p["role"] for p in obj["parties"] if p["list"] == "EL"} == {role}
    code, out, err = invoke(store_env, *args, option, "Huawei", "--party", "Huawei")
    assert code == 2 and '"field": "party"' in err and "not both" in err  # --format json: JSON errors


def test_file_in_file_out(store_env: dict[str, str], tmp_path: Path) -> None:
    src = tmp_path / "orders.csv"
    src.write_text(
        "id,eccn,destination,date\n1,3A090,CN,2025-05-01\n2,XX,CN,2025-05-01\n3,EAR99,DE,2025-05-01\n"
    )
    dst = tmp_path / "results.jsonl"
    code, _, err = invoke(store_env, "check", str(src), "-o", str(dst), "--exact", "--fail-on", "hold")
    assert code == 1 and "Traceback" not in err
    lines = [json.loads(x) for x in dst.read_text().splitlines()]
    assert [x["verdict"] for x in lines] == ["license_required", "hold", "no_license_required"]
    assert lines[0]["id"] == "1" and "row 2" in lines[1]["error"]


def test_demo(store_env: dict[str, str]) -> None:
    code, out, _ = invoke(store_env, "check", "--demo", "--exact")
    assert code == 0
    assert "summary" in out and "prohibited" in out and "PO-0001" in out


def test_scenario_changes_the_answer(store_env: dict[str, str], tmp_path: Path) -> None:
    scenario = tmp_path / "no-lift.yaml"
    scenario.write_text(
        "name: no-lift\ndescription: the May 2025 EDA letters never lifted\n"
        "remove: [us-ear-2025-07-eda-ethane-lifted]\n"
    )
    args = ("check", "--product", "EDA software", "--to", "CN", "--date", "2025-07-10", "--format", "json")
    code, out, _ = invoke(store_env, *args)
    assert code == 0 and json.loads(out)["verdict"] == "no_license_required"
    code, out, err = invoke(store_env, *args, "--scenario", str(scenario))
    assert code == 0, err
    assert json.loads(out)["verdict"] == "license_required"


def test_known_on_hides_later_news(store_env: dict[str, str]) -> None:
    # the H20 letter of Apr 9, 2025 became public on Apr 15 (NVIDIA 8-K): on Apr 10 it was not yet known
    args = (
        "check",
        "--eccn",
        "3A991",
        "--product",
        "NVIDIA H20",
        "--to",
        "CN",
        "--date",
        "2025-04-10",
        "--format",
        "json",
    )
    code, out, _ = invoke(store_env, *args)
    assert code == 0 and json.loads(out)["verdict"] == "license_required"
    code, out, _ = invoke(store_env, *args, "--known-on", "2025-04-12")
    assert code == 0 and json.loads(out)["verdict"] == "no_license_required"


ERP_BOOK = (
    "SO Number,Ship Date,ECCN,Description,Ship-To Country,Customer,End User\n"
    'SO-1,2025-03-03,EAR99,Network switch,China,"Huawei Technologies Co., Ltd.",\n'
    "SO-2,2025-03-04,EAR99,Wafer robot,China,Semiconductor Manufacturing International Corporation,\n"
    'SO-3,2025-03-05,EAR99,Camera module,China,"Hangzhou Hikvision Digital Technology Co., Ltd.",\n'
    "SO-4,2025-03-06,EAR99,Office chairs,Germany,Siemens AG,\n"
)


def test_erp_book_clears_no_listed_customer(store_env: dict[str, str], tmp_path: Path) -> None:
    src = tmp_path / "erp.csv"
    src.write_text(ERP_BOOK)
    code, out, err = invoke(store_env, "check", str(src), "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["SO Number"] for r in rows] == ["SO-1", "SO-2", "SO-3", "SO-4"]
    assert all(r["parties_screened"] for r in rows)
    assert [r["verdict"] for r in rows[:3]] == ["license_required"] * 3
    assert rows[3]["verdict"] == "no_license_required"
    code, out, _ = invoke(store_env, "check", str(src), "--fail-on", "license_required")
    assert code == 1 and "SO-1" in out and "Huawei" in out and "NOT SCREENED" not in out


def test_unplaced_column_exit_2_names_it(store_env: dict[str, str], tmp_path: Path) -> None:
    src = tmp_path / "erp.csv"
    src.write_text(
        ERP_BOOK.replace("End User\n", "End User,Geschäftspartner,Destinaton\n").replace(",\n", ",,,x\n")
    )
    code, out, err = invoke(store_env, "check", str(src), "-o", str(tmp_path / "out.csv"))
    assert code == 2 and out == "" and not (tmp_path / "out.csv").exists()
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: field 'columns'")
    assert "'Geschäftspartner'" in lines[0] and "'Destinaton' (closest: destination)" in lines[0]
    assert "accepted fields:" in lines[0] and "purchaser" in lines[0] and "--ignore-column" in lines[0]
    mapping = tmp_path / "map.yaml"
    mapping.write_text("Geschäftspartner: intermediate_consignee\n")
    for extra in (
        ("--columns", str(mapping), "--ignore-column", "Destinaton"),
        ("--column", "Geschäftspartner=forwarder", "--ignore-column", "Destinaton"),
        ("--ignore-column", "Geschäftspartner", "--ignore-column", "Destinaton"),
    ):
        code, out, err = invoke(store_env, "check", str(src), "--exact", "--format", "csv", *extra)
        assert code == 0, err
        assert out.splitlines()[0].startswith("SO Number,Ship Date,ECCN,Description,Ship-To Country")
    code, _, err = invoke(store_env, "check", str(src), "--column", "destination=Geschäftspartner")
    assert code == 2 and "Geschäftspartner=destination" in err


def test_book_without_parties_warns_once(store_env: dict[str, str], tmp_path: Path) -> None:
    src = tmp_path / "noparty.csv"
    src.write_text("Order No,Order Date,ECCN,Ship To Ctry\n1,15.03.2025,EAR99,DE\n2,,EAR99,DE\n")
    code, out, err = invoke(store_env, "check", str(src), "--exact", "--date", "2025-06-01")
    assert code == 0, err
    warnings = [x for x in err.splitlines() if x.startswith("warning:")]
    assert len(warnings) == 1 and "no party column" in warnings[0]
    assert out.count("NOT SCREENED") == 2 and "2025-03-15" in out and "2025-06-01" in out
    assert "2 row(s): parties not screened" in out
    code, out, _ = invoke(store_env, "check", str(src), "--exact", "--format", "json", "--date", "2025-06-01")
    rows = json.loads(out)
    assert [r["parties_screened"] for r in rows] == [False, False]
    assert all(any(x["code"] == "parties-not-screened" for x in r["reasons"]) for r in rows)


def test_date_options(store_env: dict[str, str], tmp_path: Path) -> None:
    src = tmp_path / "dates.csv"
    src.write_text("eccn,destination,date,customer\nEAR99,DE,03/04/2025,Siemens AG\n")
    code, out, _ = invoke(store_env, "check", str(src), "--exact", "--format", "json")
    assert code == 0 and "ambiguous" in json.loads(out)[0]["error"]
    code, out, _ = invoke(
        store_env, "check", str(src), "--exact", "--format", "json", "--date-format", "%d/%m/%Y"
    )
    assert code == 0 and json.loads(out)[0]["as_of"] == "2025-04-03"
    args = ("check", str(src), "--exact", "--format", "json", "--date", "2024-01-02", "--date-override")
    code, out, _ = invoke(store_env, *args)
    assert code == 0 and json.loads(out)[0]["as_of"] == "2024-01-02"
    code, _, err = invoke(store_env, "check", str(src), "--date-override")
    assert code == 2 and "--date" in err
    code, _, err = invoke(store_env, "check", "--eccn", "EAR99", "--to", "DE", "--ignore-column", "x")
    assert code == 2 and "order book" in err


def test_csv_on_stdout_names_dates_version_and_regime(store_env: dict[str, str]) -> None:
    code, out, _ = invoke(store_env, "check", "--demo", "--format", "csv")
    assert code == 0
    header = out.splitlines()[0].split(",")
    assert {"as_of", "known_on", "data_version", "regime", "verdict"} <= set(header)
    assert "checks" not in header  # a terminal line stays short; -o FILE and --format json carry them


def test_single_check_table_shows_the_checks(store_env: dict[str, str]) -> None:
    code, out, _ = invoke(store_env, "check", "--eccn", "EAR99", "--to", "DE", "--date", "2025-06-01")
    assert code == 0 and "no_license_required" in out
    assert "checks made" in out and "country_chart" in out and "not screened: no party given" in out
    assert out.index("checks made") < out.index("reasons")  # beneath the verdict, before the reasons


HUAWEI_ADDRESS = "Bantian, Longgang District, Shenzhen 518129, Guangdong Province, China"
DECORATED = [
    "Huawei Technologies Co., Ltd., " + ", ".join([HUAWEI_ADDRESS] * 17),  # 1,200+ characters
    "Huawei Technologies Co., Ltd. 123",
    "Huawei Techn0l0gies",
    "HUAWEI TECHNOLOGIES CO LTD, Bantian, Longgang District, Shenzhen 518129, China",
]


def decorated_book() -> str:
    """An order book whose customers are Huawei with an address, a number or look-alike digits, a name
    with nothing to screen, and a clean one (#16 part 4)."""
    lines = ["SO Number,Ship Date,ECCN,Ship-To Country,Customer"]
    for i, name in enumerate([*DECORATED, "!!!", "Siemens AG"]):
        lines.append(f'SO-{i},2025-03-03,EAR99,China,"{name}"')
    return "\n".join(lines) + "\n"


def test_decorated_and_long_names_are_screened_in_an_order_book(
    store_env: dict[str, str], tmp_path: Path
) -> None:
    src = tmp_path / "book.csv"
    src.write_text(decorated_book(), encoding="utf-8")
    code, out, err = invoke(store_env, "check", str(src), "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert len(DECORATED[0]) > 1200
    for row in rows[: len(DECORATED)]:
        # a listed party met: licence required, or hold for a person to review a near match (never clear)
        assert row["verdict"] in ("license_required", "hold") and row["parties_screened"], row["Customer"][
            :80
        ]
        assert any("HUAWEI" in str(p).upper() for p in row["parties"]), row["Customer"][:80]
    held = rows[len(DECORATED)]
    assert held["verdict"] == "hold" and "column 'Customer'" in (held["error"] or ""), held
    assert rows[-1]["verdict"] == "no_license_required"


def test_decorated_and_long_names_hit_on_screen(store_env: dict[str, str]) -> None:
    for name in DECORATED:
        code, out, err = invoke(store_env, "screen", name, "--format", "json")
        assert code == 1, (name[:80], err)
        hit = json.loads(out)["hits"][0]
        assert "HUAWEI" in hit["name"].upper() and hit["score"] >= 0.9
    code, out, _ = invoke(store_env, "screen", DECORATED[0], "--format", "json")
    assert code == 1 and "Longgang" in json.loads(out)["hits"][0]["explanation"]  # the rest is reported
    assert "Longgang" in json.loads(out)["warnings"][0]
    code, out, _ = invoke(store_env, "screen", "Zorbulax Widgets Ltd, 12 Main Street, Springfield")
    assert code == 0 and "no hits" in out and "note: screened the name part 'Zorbulax Widgets Ltd'" in out
    code, out, _ = invoke(store_env, "screen", "Zorbulax Widgets Ltd", "--format", "json")
    assert code == 0 and "warnings" not in json.loads(out)


@pytest.mark.parametrize(
    ("value", "verdict"), [("12.000", "license_required"), ("1.500,00", "license_exception_available")]
)
def test_a_value_option_is_read_as_written_not_as_a_float(
    store_env: dict[str, str], value: str, verdict: str
) -> None:
    # 2B350.g to the UAE on 2026-07-11: LVS up to $2,000. The float option read '12.000' (twelve thousand,
    # European notation) as $12 and took LVS; it now goes through ops.amounts as a book's cell does
    args = ("check", "--eccn", "2B350.g", "--to", "AE", "--date", "2026-07-11", "--format", "json")
    code, out, err = invoke(store_env, *args, "--value", value)
    assert code in (0, 1), err
    assert json.loads(out)["verdict"] == verdict
    code, out, err = invoke(store_env, *args, "--value", "EUR 1500")
    assert code == 2 and out == "" and "EUR" in err and '"field": "value"' in err
