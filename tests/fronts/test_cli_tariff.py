"""`exportctl tariff ...` through the real Typer app, on a SQLite store holding HTS 2025 chapters."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from exportctl.fronts.cli.main import app
from exportctl.sources.base import SourceTable
from exportctl.sources.hts import parse_hts_json
from exportctl.store import clear_cache, open_store

runner = CliRunner()
CHAPTERS = (3, 12, 27, 84)


@pytest.fixture(scope="module")
def hts(shared_data: Path) -> SourceTable:
    folder = shared_data / "hts-2025-json"
    records = pl.concat(
        [parse_hts_json(folder / f"{c}.json").records for c in CHAPTERS], how="vertical_relaxed"
    )
    return SourceTable("hts", "Harmonized Tariff Schedule", "usitc-hts-json", "2025-01-13", records)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hts: SourceTable) -> Iterator[str]:
    """A fresh store with the HTS table active, named by EXPORTCTL_DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'tariff.db'}"
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", url)
    clear_cache()
    st = open_store(url)
    version = st.import_tables([hts], note="test", activate=True)
    st.close()
    yield version
    clear_cache()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_contract_shape_of_one_lookup(store: str) -> None:
    code, out, _ = run(
        "tariff", "--hts", "8481.80.1030", "--origin", "CN", "--date", "2025-06-15", "--format", "json"
    )
    assert code == 0
    obj = json.loads(out)
    for key in (
        "hts",
        "origin",
        "destination",
        "date",
        "mfn",
        "components",
        "total_ad_valorem_pct",
        "data_version",
    ):
        assert key in obj
    for comp in obj["components"]:
        assert {"program", "heading", "rate_pct", "basis", "measure", "citation"} <= comp.keys()
        assert comp["basis"] == "value"
    # 4% MFN + List 3 25% + 10% reciprocal + 20% fentanyl
    assert obj["total_ad_valorem_pct"] == 59.0 and obj["data_version"] == store
    assert {c["heading"] for c in obj["components"]} == {"9903.88.03", "9903.01.25", "9903.01.24"}


def test_a_code_in_place_of_a_file_is_a_lookup(store: str) -> None:
    # a new user typed `exportctl tariff 8481.80.1030 --origin CN`: the code is read as --hts, not a file
    args = ("--origin", "CN", "--date", "2025-06-15", "--format", "json")
    code, out, err = run("tariff", "8481.80.1030", *args)
    assert code == 0, err
    assert json.loads(out) == json.loads(run("tariff", "--hts", "8481.80.1030", *args)[1])


def test_code_origin_and_date_in_the_library_s_order(store: str) -> None:
    # a new user typed `exportctl tariff 8481.80.1030 CN 2025-06-15` (as exportctl.tariff(hts, origin, date)
    # reads them) and was told "Missing option '--origin'": origin then date, options after them still apply
    args = ("--origin", "CN", "--date", "2025-06-15", "--format", "json")
    plain = run("tariff", "--hts", "8481.80.1030", *args)
    code, out, err = run("tariff", "8481.80.1030", "CN", "2025-06-15", "--format", "json")
    assert code == 0, err
    assert json.loads(out) == json.loads(plain[1])
    code, out, err = run("tariff", "8481.80.1030", "CN", "--date", "2025-06-15", "--format", "json")
    assert code == 0, err
    assert json.loads(out) == json.loads(plain[1])
    code, _, err = run("tariff", "8481.80.1030", "CN", "2025-06-15", "surplus")
    assert code == 2 and "surplus" in err


def test_value_and_quantity_give_the_duty_amount(store: str) -> None:
    args = ("--hts", "2709.00.20", "--origin", "China", "--date", "2025-04-15", "--value", "1000")
    code, out, _ = run("tariff", *args, "--quantity", "100", "bbl", "--format", "json")
    obj = json.loads(out)
    assert code == 0 and obj["origin"] == "CN"
    assert obj["duty"]["amount"] == 460.5  # 45% of 1000 + 10.5¢/bbl x 100 (Annex II: no reciprocal duty)


def test_table_output_names_layers_and_instruments(store: str) -> None:
    code, out, _ = run("tariff", "--hts", "8471.30.0100", "--origin", "CN", "--date", "2025-04-15")
    assert code == 0
    assert "9903.01.24" in out and "not applied: ieepa_reciprocal" in out and "20%" in out


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--hts", "9999.99.9999", "--origin", "CN", "--date", "2025-05-01"), "hts"),
        (("--hts", "8481.80", "--origin", "CN", "--date", "2025-05-01"), "hts"),
        (("--hts", "8481.80.1030", "--origin", "Atlantis", "--date", "2025-05-01"), "origin"),
        (
            ("--hts", "8481.80.1030", "--origin", "CN", "--destination", "DE", "--date", "2025-05-01"),
            "destination",
        ),
        (("--hts", "8481.80.1030", "--origin", "CN", "--date", "2015-05-01"), "date"),
        (("--hts", "8481.80.1030", "--origin", "CN", "--date", "2025-13-01"), "date"),
        (("--hts", "8481.80.1030", "--origin", "CN", "--date", "2025-05-01", "--value", "-5"), "value"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(store: str, args: tuple[str, ...], field: str) -> None:
    code, out, err = run("tariff", *args)
    assert code == 2
    assert "Traceback" not in out + err
    assert f"field '{field}'" in err and err.count("\n") == 1


def test_unknown_and_ambiguous_codes_name_valid_codes(store: str) -> None:
    _, _, err = run("tariff", "--hts", "8481.80.1099", "--origin", "CN", "--date", "2025-05-01")
    assert "did you mean: 8481.80" in err
    _, _, err = run("tariff", "--hts", "8481.80", "--origin", "CN", "--date", "2025-05-01")
    assert "ambiguous" in err and "8481.80.10" in err


def test_batch_file_to_jsonl(store: str, tmp_path: Path) -> None:
    src = tmp_path / "lines.csv"
    src.write_text(
        "hts,origin,date,value\n"
        "0304.81.50,CN,2025-04-10,100\n"
        "0304.81.50,CN,2025-05-14,100\n"
        "0304.81.50,CN,2025-11-10,100\n"
        "9999.99.9999,CN,2025-05-01,100\n"
        "0304.81.50,Atlantis,2025-05-01,100\n"
        "0304.81.50,CN,2010-01-01,100\n"
    )
    out = tmp_path / "out.jsonl"
    code, _, err = run("tariff", str(src), "-o", str(out))
    assert code == 0, err
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["status"] for r in rows] == [
        "ok",
        "ok",
        "ok",
        "unknown_hts",
        "invalid_origin",
        "out_of_coverage",
    ]
    assert [r["total_ad_valorem_pct"] for r in rows[:3]] == [145.0, 30.0, 20.0]
    assert all(r["data_version"] == store for r in rows)


def test_batch_reads_xlsx_like_the_other_fronts(store: str, tmp_path: Path) -> None:
    # one reader (ops.files) for order books, parties files and tariff lines: XLSX works here too
    from exportctl.ops.xlsx import write_xlsx

    src = tmp_path / "lines.xlsx"
    write_xlsx(pl.DataFrame({"hts": ["0304.81.50"], "origin": ["CN"], "date": ["2025-05-14"]}), src, "lines")
    out = tmp_path / "out.jsonl"
    code, _, err = run("tariff", str(src), "-o", str(out))
    assert code == 0, err
    assert json.loads(out.read_text())["total_ad_valorem_pct"] == 30.0
    # Excel's 'Unicode Text' is UTF-16 with a byte-order mark: read as such, the same duty
    utf16 = tmp_path / "lines16.csv"
    utf16.write_text("hts,origin,date\n0304.81.50,CN,2025-05-14\n", encoding="utf-16")
    code, _, err = run("tariff", str(utf16), "-o", str(out))
    assert code == 0, err
    assert json.loads(out.read_text())["total_ad_valorem_pct"] == 30.0
    # without the mark it is not text polars can read: refused naming the file, never read as garble
    bare = tmp_path / "lines16le.csv"
    bare.write_bytes("hts,origin,date\n0304.81.50,CN,2025-05-14\n".encode("utf-16-le"))
    code, _, err = run("tariff", str(bare), "-o", str(out))
    assert code == 2 and "field 'file'" in err and "NUL" in err, err


def test_history_table_json_and_plot(store: str, tmp_path: Path) -> None:
    png = tmp_path / "h.png"
    code, out, err = run(
        "tariff",
        "history",
        "--hts",
        "0304.81.50",
        "--origin",
        "CN",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--plot",
        str(png),
        "--format",
        "json",
    )
    assert code == 0, err
    obj = json.loads(out)
    totals = [(p["date"], p["total_ad_valorem_pct"]) for p in obj["series"]]
    assert totals == [
        ("2025-01-01", 0.0),
        ("2025-02-04", 10.0),
        ("2025-03-04", 20.0),
        ("2025-04-05", 30.0),
        ("2025-04-09", 104.0),
        ("2025-04-10", 145.0),
        ("2025-05-14", 30.0),
        ("2025-11-10", 20.0),
    ]
    assert obj["series"][5]["labels"] == ["EO 14266"] and obj["series"][6]["labels"] == ["EO 14298"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "h.svg"
    code, out, _ = run(
        "tariff",
        "history",
        "--hts",
        "8471.30.0100",
        "--origin",
        "US",
        "--destination",
        "CN",
        "--from",
        "2025-04-01",
        "--to",
        "2025-06-01",
        "--plot",
        str(svg),
    )
    assert code == 0 and "<svg" in svg.read_text()[:400] and "Announcement No. 6" in out


def test_history_plot_needs_png_or_svg(store: str, tmp_path: Path) -> None:
    code, _, err = run(
        "tariff",
        "history",
        "--hts",
        "0304.81.50",
        "--origin",
        "CN",
        "--from",
        "2025-01-01",
        "--to",
        "2025-02-01",
        "--plot",
        str(tmp_path / "h.gif"),
    )
    assert code == 2 and "field 'plot'" in err


def test_scenario_promotes_the_threatened_100pct(store: str, tmp_path: Path) -> None:
    scen = tmp_path / "threat.yaml"
    scen.write_text("name: threat\npromote:\n  - id: us-tariff-2025-10-10-threatened-100pct\n")
    args = ("tariff", "--hts", "0304.81.50", "--origin", "CN", "--date", "2025-11-15", "--format", "json")
    actual = json.loads(run(*args)[1])
    what_if = json.loads(run(*args, "--scenario", str(scen))[1])
    assert actual["total_ad_valorem_pct"] == 20.0
    assert what_if["total_ad_valorem_pct"] == 120.0 and what_if["regime"] != actual["regime"]


def test_metal_content_changes_the_base_of_the_232_layer(store: str) -> None:
    # 8422.11 dishwashers: a steel derivative from Jun 23, 2025 (90 FR 25208), 50% on the steel content
    args = ("--hts", "8422.11.0000", "--origin", "CN", "--date", "2025-09-01", "--format", "json")
    code, out, _ = run("tariff", *args, "--value", "1000", "--steel-content", "400")
    assert code == 0
    obj = json.loads(out)
    steel = next(c for c in obj["components"] if c["program"] == "section_232_steel")
    assert (steel["basis"], steel["basis_share"], steel["applied_pct"]) == ("steel_content", 0.4, 20.0)
    rest = [c for c in obj["components"] if c["basis"] == "non_metal_content"]
    assert rest and all(abs(c["basis_share"] - 0.6) < 1e-9 for c in rest)
    assert any("40.0% of the customs value" in n for n in obj["notes"])
    code, out, _ = run("tariff", *args)
    obj = json.loads(out)
    assert any("whole customs value is assumed" in n for n in obj["notes"])
    code, _, err = run("tariff", *args, "--steel-content", "400")
    assert code == 2 and "--value" in err


def test_batch_metal_content_columns(store: str, tmp_path: Path) -> None:
    src = tmp_path / "lines.csv"
    src.write_text(
        "hts,origin,date,value,steel_content\n"
        "8422.11.0000,CN,2025-09-01,1000,250\n"
        "8422.11.0000,CN,2025-09-01,1000,\n"
        "8422.11.0000,CN,2025-09-01,100,250\n"
        "8422.11.0000,CN,2025-09-01,,250\n"
    )
    out = tmp_path / "out.jsonl"
    code, _, err = run("tariff", str(src), "-o", str(out))
    assert code == 0, err
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["status"] for r in rows] == ["ok", "ok", "invalid_metal_content", "invalid_metal_content"]
    shares = [
        next(c["basis_share"] for c in r["components"] if c["program"] == "section_232_steel")
        for r in rows[:2]
    ]
    assert shares == [0.25, 1.0]


def test_a_value_as_a_user_writes_it_is_read_by_the_amounts_parser(store: str, tmp_path: Path) -> None:
    # a new user's '--value 12.000' (twelve thousand, European notation) was read by the float option as $12:
    # 59% on 8481.80.1030 from China on 2025-06-15 gave a duty of $7.08, not $7,080
    line = ("tariff", "8481.80.1030", "CN", "2025-06-15")
    for text, want in (("12.000", 12_000.0), ("12.000,50", 12_000.5), ("$1,500", 1_500.0)):
        code, out, err = run(*line, "--value", text, "--format", "json")
        assert code == 0, err
        assert json.loads(out)["duty"]["value"] == want
    assert json.loads(run(*line, "--value", "12.000", "--format", "json")[1])["duty"]["amount"] == 7_080.0
    code, out, err = run(*line, "--value", "EUR 12000")
    assert code == 2 and out == "" and "field 'value'" in err and "EUR" in err
    code, out, err = run(*line, "--value", "1000", "--quantity", "1.500", "kg", "--format", "json")
    assert code == 0 and json.loads(out)["duty"]["quantity"] == 1_500.0, err
    src = tmp_path / "lines.csv"
    src.write_text(
        "hts,origin,date,value,currency\n"
        "8481.80.1030,CN,2025-06-15,12.000,\n"
        '8481.80.1030,CN,2025-06-15,"$1,500",\n'
        "8481.80.1030,CN,2025-06-15,12000,EUR\n"
        "8481.80.1030,CN,2025-06-15,€12.000,\n"
    )
    out_file = tmp_path / "out.jsonl"
    code, _, err = run("tariff", str(src), "-o", str(out_file))
    assert code == 0, err
    rows = [json.loads(x) for x in out_file.read_text().splitlines()]
    assert [r["status"] for r in rows] == ["ok", "ok", "value_not_usd", "value_not_usd"]
    assert [r.get("duty_amount") for r in rows[:2]] == [7_080.0, 885.0]


def test_batch_of_a_broker_file_prints_a_table_without_an_output_file(store: str, tmp_path: Path) -> None:
    # a new user's line file: the broker's headers, US dates, no -o; it was "Missing option '-o'", then
    # "the input lacks a 'hts' column"
    src = tmp_path / "entry.csv"
    src.write_text(
        "Invoice No.,Tariff No,Ctry Orig,Date of Entry,Entered Value (USD)\n"
        "INV-9,0304.81.50,CN,04/10/2025,100\n"
        "INV-9,0304.81.50,China,05/14/2025,100\n"
    )
    code, out, err = run("tariff", str(src))
    assert code == 0, err
    assert "INV-9" in out and "145" in out and "30" in out
    assert "2 lines, 0 not answered" in err and "Not legal advice" in err
    # a column nobody placed stops the run naming it; --column places it, --ignore-column leaves it out
    src.write_text("Zolltarifnummer,COO,Entry Date,Bemerkung\n0304.81.50,CN,2025-05-14,x\n")
    code, _, err = run("tariff", str(src), "-o", str(tmp_path / "o.jsonl"))
    assert code == 2 and "'Zolltarifnummer'" in err and "'Bemerkung'" in err
    code, _, err = run(
        "tariff",
        str(src),
        "--column",
        "Zolltarifnummer=hts",
        "--ignore-column",
        "Bemerkung",
        "-o",
        str(tmp_path / "o.jsonl"),
    )
    assert code == 0, err
    row = json.loads((tmp_path / "o.jsonl").read_text())
    assert row["total_ad_valorem_pct"] == 30.0 and "Bemerkung" not in row
