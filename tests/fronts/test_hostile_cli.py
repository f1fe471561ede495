"""The command line as a hostile user drives it: every bad input is exit 2 with one line naming the field.

No traceback, no "internal error", the one JSON error shape under --format json, and a malformed row in a
batch is reported with its row number while the rest still runs. Each case runs through the real Typer
app on one fresh SQLite store (seeded from the bundled data pack on first use).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from exportctl.fronts.cli.main import app
from exportctl.store import clear_cache

runner = CliRunner()
ERROR_KEYS = {"error", "message", "field", "file", "line", "suggestions"}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private store for the module and a folder of hostile files."""
    d = tmp_path_factory.mktemp("hostile")
    old = os.environ.get("EXPORTCTL_DATABASE_URL")
    os.environ["EXPORTCTL_DATABASE_URL"] = f"sqlite:///{d / 'store.db'}"
    clear_cache()
    good = "eccn,destination,date\n3A090,CN,2025-05-01\n"
    (d / "empty.csv").write_text("")
    (d / "header_only.csv").write_text("eccn,destination,date\n")
    (d / "trunc.csv").write_text('eccn,destination,date\n3A090,"CN')
    (d / "binary.csv").write_bytes(bytes(range(256)) * 8)
    (d / "latin1.csv").write_bytes(
        "eccn,destination,date,parties\n3A090,CN,2025-05-01,Société\n".encode("latin-1")
    )
    (d / "utf16.csv").write_bytes(good.encode("utf-16"))  # with its byte-order mark: read, not refused
    (d / "utf16le.csv").write_bytes(good.encode("utf-16-le"))  # no mark: NUL bytes, refused by line
    (d / "missingcol.csv").write_text("eccn,date\n3A090,2025-05-01\n")
    (d / "nocols.csv").write_text("foo,bar\n1,2\n")
    (d / "extracol.csv").write_text("eccn,destination,date,foo\n3A090,CN,2025-05-01,x\n")
    (d / "bin.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (d / "empty.xlsx").write_bytes(b"")
    (d / "bad.jsonl").write_text('{"eccn":"3A090","destination":"CN","date":"2025-05-01"}\n{not json\n')
    (d / "empty.jsonl").write_text("")
    (d / "bad.parquet").write_bytes(b"PAR1garbage")
    (d / "nosuffix").write_text(good)
    (d / "adir.csv").mkdir()
    (d / "badrows.csv").write_text(
        "eccn,destination,date,value\n"
        "3A090,CN,2025-05-01,10\n"
        "ZZZZZ,CN,2025-05-01,10\n"
        "3A090,Narnia,2025-05-01,10\n"
        "3A090,CN,2025-13-01,10\n"
        "3A090,CN,2025-05-01,-5\n"
        "3A090,CN,2025-05-01,NaN\n"
        "3A090,CN,2025-05-01,1e400\n"
        "3A090,CN,1999-01-01,10\n"
        "3A090,CN,2025-05-011,10\n"
        "3A090,CN,2025-05-01 00:00:00,10\n"
    )
    (d / "scen_badyaml.yaml").write_text("add: [\n  - id: x\n")
    (d / "scen_unknown.yaml").write_text("name: s\nfrobnicate: 1\n")
    (d / "scen_list.yaml").write_text("- 1\n- 2\n")
    (d / "scen_empty.yaml").write_text("")
    (d / "scen_bin.yaml").write_bytes(b"\x91\xff\x00name: x")
    (d / "t_bad.csv").write_text(
        "hts,origin,date,value\n"
        "8471300100,CN,2025-05-01,100\n"
        "9999999999,CN,2025-05-01,100\n"
        "8471300100,Narnia,2025-05-01,100\n"
        "8471300100,CN,2025-13-01,100\n"
        "8471300100,CN,2025-05-01,-1\n"
        "8471300100,CN,2025-05-01,NaN\n"
        "8471300100,CN,2025-05-01,abc\n"
        "8471300100,CN,1999-01-01,1\n"
    )
    (d / "t_good.csv").write_text("hts,origin,date\n8471300100,CN,2025-05-01\n")
    (d / "t_missing.csv").write_text("hts,date\n8471300100,2025-05-01\n")
    yield d
    clear_cache()
    if old is None:
        os.environ.pop("EXPORTCTL_DATABASE_URL", None)
    else:
        os.environ["EXPORTCTL_DATABASE_URL"] = old


def run(d: Path, line: str) -> tuple[int, str, str]:
    """Run one command line ({d} is the hostile files' folder); no traceback may escape."""
    args = [a.replace("{d}", str(d)) for a in line.split("|")]
    result = runner.invoke(app, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{line}: {type(result.exception).__name__}: {result.exception}")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result.exit_code, result.stdout, result.stderr


# command line ('|' separates arguments), the field the error must name
BAD_INPUT = [
    ("check|--eccn|3A090|--to|CN|--date|2025-13-01", "date"),
    ("check|--eccn|3A090|--to|CN|--date|yesterday", "date"),
    ("check|--eccn|3A090|--to|CN|--date|", "date"),
    ("check|--eccn|3A090|--to|CN|--date|2025-05-01|--known-on|2025-02-30", "known_on"),
    ("check|--eccn|3A09X|--to|CN|--date|2025-05-01", "eccn"),
    ("check|--eccn||--to|CN|--date|2025-05-01", "eccn"),
    ("check|--eccn|3A090|--to|Narnia|--date|2025-05-01", "to"),
    ("check|--eccn|3A090|--to||--date|2025-05-01", "to"),
    ("check|--eccn|3A090|--to|CN|--date|2025-05-01|--value|-5", "value"),
    ("check|--eccn|3A090|--to|CN|--date|2025-05-01|--value|nan", "value"),
    ("check|--eccn|3A090|--to|CN|--date|2025-05-01|--value|1e400", "value"),
    ("check|--eccn|EAR99|--to|CN|--date|2025-05-01|--end-use|militray", "end_use"),
    ("check|--eccn|3A090|--to|CN|--date|2025-05-01|--exporting-country|FR", "exporting_country"),
    ("check|--eccn|3A090|--to|CN|--date|2025-05-01|--fail-on|bogus", "fail_on"),
    ("check|--eccn|3A090|--to|CN|--date|2025-05-01|-o|{d}/out.csv", "output"),
    ("check|--eccn|3A090|--to|CN|--date|2025-05-01|--scenario|{d}/none.yaml", "scenario"),
    ("check|{d}/nofile.csv", "orders"),
    ("check|{d}/adir.csv", "orders"),
    ("check|{d}/empty.csv", "orders"),
    ("check|{d}/trunc.csv", "orders"),
    ("check|{d}/binary.csv", "orders"),
    ("check|{d}/latin1.csv", "orders"),
    ("check|{d}/utf16le.csv", "orders"),
    ("check|{d}/latin1.csv|--encoding|klingon", "encoding"),
    ("check|{d}/latin1.csv|--encoding|utf-8", "orders"),
    ("check|{d}/latin1.csv|--sheet|Orders", "sheet"),
    ("check|--eccn|3A090|--to|CN|--sheet|Orders", "orders"),
    ("screen|Huawei|--sheet|Names", "sheet"),
    ("check|{d}/nocols.csv", "orders"),
    ("check|{d}/bin.xlsx", "orders"),
    ("check|{d}/empty.xlsx", "orders"),
    ("check|{d}/bad.jsonl", "orders"),
    ("check|{d}/empty.jsonl", "orders"),
    ("check|{d}/bad.parquet", "orders"),
    ("check|{d}/nosuffix", "orders"),
    ("check|{d}/badrows.csv|-o|{d}/out.txt", "output"),
    ("check|{d}/badrows.csv|-o|{d}/adir.csv", "output"),
    ("check|--eccn|3A090|--to|CN|--date|2025-05-01|--format|csv", "format"),
    ("tariff|lookup|--hts|8471300100|--origin|CN|--date|2025-05-01|--format|csv", "format"),
    ("tariff|history|--hts|8471300100|--origin|CN|--from|2018-01-01|--to|2025-01-01|--format|csv", "format"),
    ("tariff|lookup|--hts|9999999999|--origin|CN|--date|2025-05-01", "hts"),
    ("tariff|lookup|--hts|8471|--origin|CN|--date|2025-05-01", "hts"),
    ("tariff|lookup|--hts||--origin|CN|--date|2025-05-01", "hts"),
    ("tariff|lookup|--hts|99999999999999|--origin|CN|--date|2025-05-01", "hts"),
    ("tariff|lookup|--hts|8471300100|--origin|Narnia|--date|2025-05-01", "origin"),
    ("tariff|lookup|--hts|8471300100|--origin|EU|--date|2025-05-01", "origin"),
    ("tariff|lookup|--hts|8471300100|--origin|CN|--date|1999-01-01", "date"),
    ("tariff|lookup|--hts|8471300100|--origin|CN|--date|2025-13-01", "date"),
    ("tariff|lookup|--hts|8471300100|--origin|CN", "date"),
    ("tariff|lookup|--hts|8471300100|--origin|CN|--date|2025-05-01|--value|-1", "value"),
    ("tariff|lookup|--hts|8471300100|--origin|CN|--date|2025-05-01|--value|nan", "value"),
    ("tariff|lookup|--hts|8471300100|--origin|CN|--date|2025-05-01|--value|inf", "value"),
    ("tariff|lookup|--hts|8471300100|--origin|CN|--date|2025-05-01|--quantity|nan|kg", "quantity"),
    ("tariff|lookup|--hts|8471300100|--origin|CN|--date|2025-05-01|--destination|FR", "destination"),
    ("tariff|lookup|--hts|8471300100|--origin|CN|--date|2025-05-01|--known-on|2025-13-01", "known_on"),
    ("tariff|history|--hts|8471300100|--origin|CN|--from|2025-05-01|--to|2018-01-01", "to"),
    (
        "tariff|history|--hts|8471300100|--origin|CN|--from|2018-01-01|--to|2025-01-01|--plot|{d}/p.txt",
        "plot",
    ),
    (
        "tariff|history|--hts|8471300100|--origin|CN|--from|2018-01-01|--to|2025-01-01|--plot|{d}/no/p.png",
        "plot",
    ),
    ("tariff|batch|{d}/t_good.csv|-o|{d}/out.txt", "out"),
    ("tariff|batch|{d}/t_good.csv|-o|{d}/adir.csv", "out"),
    ("tariff|batch|{d}/t_good.csv|-o|{d}/no/out.csv", "out"),
    ("tariff|batch|{d}/t_missing.csv|-o|{d}/out.csv", "origin"),
    ("tariff|batch|{d}/nofile.csv|-o|{d}/out.csv", "file"),
    ("tariff|batch|{d}/adir.csv|-o|{d}/out.csv", "file"),
    ("tariff|batch|{d}/empty.csv|-o|{d}/out.csv", "file"),
    ("tariff|batch|{d}/utf16le.csv|-o|{d}/out.csv", "file"),
    ("tariff|batch|{d}/binary.csv|-o|{d}/out.csv", "file"),
    ("tariff|batch|{d}/bad.jsonl|-o|{d}/out.csv", "file"),
    ("tariff|batch|{d}/bad.parquet|-o|{d}/out.csv", "file"),
    ("timeline|--from|2025-05-01|--to|2018-01-01", "to"),
    ("timeline|--from|yesterday|--to|2019-01-01", "from"),
    ("timeline|--from|2018-01-01|--to|2019-01-01|-j|MARS", "jurisdiction"),
    ("timeline|--from|2018-01-01|--to|2019-01-01|-j|", "jurisdiction"),
    ("diff|--from|2025-05-01|--to|2018-01-01", "to"),
    ("diff|--from|2018-01-01|--to|2025-13-01", "to"),
    ("regime|--as-of|2025-13-01", "as_of"),
    ("regime|--as-of|", "as_of"),
    ("regime|--as-of|2025-05-01|-j|MARS", "jurisdiction"),
    ("registry|history|no-such-measure", "measure"),
    ("registry|history|", "measure"),
    ("registry|claims|--verdict|bogus", "verdict"),
    ("registry|check|--dir|{d}/nodir", "extra_dirs"),
    ("data|activate|nosuchversion", "version"),
    ("data|activate|", "version"),
    ("data|verify|nosuchversion", "version"),
    ("data|import|{d}/nofile.json", "path"),
    ("data|import|{d}/binary.csv", "path"),
]


@pytest.mark.parametrize(("line", "field"), BAD_INPUT, ids=[c[0][:70] for c in BAD_INPUT])
def test_bad_input_is_one_line_naming_the_field(files: Path, line: str, field: str) -> None:
    code, _, err = run(files, line)
    assert code == 2, err
    lines = [x for x in err.splitlines() if x.startswith("error:")]
    assert len(lines) == 1, err
    assert f"field '{field}'" in lines[0], err


@pytest.mark.parametrize(("line", "field"), BAD_INPUT[:12], ids=[c[0][:70] for c in BAD_INPUT[:12]])
def test_json_errors_use_the_one_shape(files: Path, line: str, field: str) -> None:
    code, out, err = run(files, line + "|--format|json")
    assert code == 2 and out == ""
    doc = json.loads(err.strip().splitlines()[-1])
    assert set(doc) == ERROR_KEYS and doc["field"] == field


SCENARIOS = ["scen_badyaml.yaml", "scen_unknown.yaml", "scen_list.yaml", "scen_empty.yaml", "scen_bin.yaml"]


@pytest.mark.parametrize("name", SCENARIOS)
def test_bad_scenario_names_the_file(files: Path, name: str) -> None:
    code, _, err = run(files, f"check|--eccn|3A090|--to|CN|--date|2025-05-01|--scenario|{{d}}/{name}")
    assert code == 2 and err.count("\n") == 1 and name in err, err


def _hostile_yaml(kind: str) -> str:
    if kind == "recursive":
        return "name: s\na: &a [*a]\n"
    if kind == "laughs":  # 10^9 values once expanded
        lines = ["name: s", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
        return "\n".join(lines) + "\n"
    if kind == "deep":
        return "name: s\nx: " + "[" * 3000 + "]" * 3000 + "\n"
    return "name: s\nx: !!python/object/apply:os.system ['echo pwned']\n"


@pytest.mark.parametrize("kind", ["recursive", "laughs", "deep", "python_tag"])
def test_hostile_yaml_scenario_is_one_line(files: Path, kind: str) -> None:
    path = files / f"scen_{kind}.yaml"
    path.write_text(_hostile_yaml(kind))
    code, _, err = run(files, f"regime|--as-of|2025-05-01|--scenario|{path}")
    assert code == 2 and err.count("\n") == 1 and path.name in err, err


def test_scenario_naming_an_unknown_measure_names_the_nearest(files: Path) -> None:
    path = files / "scen_typo.yaml"
    path.write_text("name: s\nremove: [us-ear-2025-05-eda-leters]\n")
    code, _, err = run(files, f"regime|--as-of|2025-05-01|--scenario|{path}|--format|json")
    doc = json.loads(err)
    assert code == 2 and doc["field"] == "remove"
    assert doc["suggestions"][0] == "us-ear-2025-05-eda-letters"


def test_unknown_scenario_key_is_named(files: Path) -> None:
    _, _, err = run(files, "timeline|--from|2018-01-01|--to|2019-01-01|--scenario|{d}/scen_unknown.yaml")
    assert "frobnicate" in err


def test_unknown_eccn_and_country_name_the_nearest(files: Path) -> None:
    _, _, err = run(files, "check|--eccn|3A09X|--to|CN|--date|2025-05-01")
    assert "3A090" in err
    _, _, err = run(files, "check|--eccn|3A090|--to|Chnia|--date|2025-05-01")
    assert "China" in err


def test_date_before_the_data_is_a_hold_with_the_reason(files: Path) -> None:
    code, out, _ = run(files, "check|--eccn|3A090|--to|CN|--date|1999-01-01|--format|json")
    assert code == 0
    doc = json.loads(out)
    assert doc["verdict"] == "hold"
    assert any("1999-01-01" in r["text"] for r in doc["reasons"] if r["step"] == "DATA")


def test_malformed_rows_are_named_and_the_rest_runs(files: Path) -> None:
    code, out, _ = run(files, "check|{d}/badrows.csv|--format|json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 10
    assert rows[0]["verdict"] == "license_required" and not rows[0].get("error")
    assert rows[9]["verdict"] == "license_required" and rows[9]["as_of"] == "2025-05-01"
    bad = [
        (2, "eccn"),
        (3, "destination"),
        (4, "as_of"),
        (5, "value"),
        (6, "value"),
        (7, "value"),
        (9, "as_of"),
    ]
    for i, field in bad:
        assert rows[i - 1]["verdict"] == "hold"
        assert rows[i - 1]["error"].startswith(f"row {i}: field '{field}'"), rows[i - 1]["error"]


def test_missing_and_extra_columns_hold_per_row(files: Path) -> None:
    code, out, _ = run(files, "check|{d}/missingcol.csv|--format|csv")
    assert code == 0 and "row 1: field 'destination': missing" in out
    # a column the reader cannot place stops the run by name (it once dropped a customer column) ...
    code, out, err = run(files, "check|{d}/extracol.csv|--format|json")
    assert code == 2 and out == "" and "'foo'" in err and "--ignore-column" in err
    # ... unless the user leaves it out: it is still written back with the answers
    code, out, _ = run(files, "check|{d}/extracol.csv|--format|json|--ignore-column|foo")
    assert code == 0 and json.loads(out)[0]["foo"] == "x"
    code, out, _ = run(files, "check|{d}/header_only.csv|--format|json")
    assert code == 0 and json.loads(out) == []


def test_big_order_book_with_one_bad_row(files: Path) -> None:
    n = 100_000
    frame = pl.DataFrame(
        {"eccn": ["EAR99"] * n, "destination": ["DE"] * n, "date": ["2025-05-01"] * n}
    ).with_columns(
        pl.when(pl.int_range(n) == 54_320).then(pl.lit("2025-02-30")).otherwise("date").alias("date")
    )
    path = files / "big.csv"
    frame.write_csv(path)
    out = files / "big_out.parquet"
    code, _, err = run(files, f"check|{path}|-o|{out}")
    assert code == 0, err
    res = pl.read_parquet(out, columns=["verdict", "error"])
    assert res.height == n
    bad = res.filter(pl.col("error").is_not_null())
    assert bad.height == 1 and bad["error"][0].startswith("row 54321: field 'as_of'")
    assert res["verdict"].value_counts().sort("verdict").to_dicts() == [
        {"verdict": "hold", "count": 1},
        {"verdict": "no_license_required", "count": n - 1},
    ]


def test_tariff_batch_marks_bad_lines_and_answers_the_rest(files: Path) -> None:
    out = files / "t_out.csv"
    code, _, err = run(files, f"tariff|batch|{{d}}/t_bad.csv|-o|{out}")
    assert code == 0, err
    res = pl.read_csv(out, infer_schema=False)
    assert res["status"].to_list() == [
        "ok",
        "unknown_hts",
        "invalid_origin",
        "invalid_date",
        "invalid_value",
        "invalid_value",
        "invalid_value",
        "out_of_coverage",
    ]
    # nearest valid codes travel with the unknown one, as JSON text in a CSV cell
    assert json.loads(res["suggestions"][1])


def test_tariff_six_digits_where_unambiguous(files: Path) -> None:
    code, out, _ = run(files, "tariff|lookup|--hts|847130|--origin|CN|--date|2025-05-01|--format|json")
    assert code == 0 and json.loads(out)["hts_matched"].startswith("8471.30")


def test_tariff_history_plot_writes_the_chart(files: Path) -> None:
    plot = files / "h.png"
    code, _, err = run(
        files, f"tariff|history|--hts|8471300100|--origin|CN|--from|2018-01-01|--to|2025-01-01|--plot|{plot}"
    )
    assert code == 0 and plot.stat().st_size > 0
    assert "Warning" not in err


def _corrupt(shared: Path, out: Path, kind: str) -> tuple[Path, str]:
    """A real official file made corrupt; returns it and what the error must name."""
    csl = (shared / "csl-official-samples" / "csl_2025_sample_consolidated.csv").read_text()
    meu = json.loads((shared / "bis-lists-2026-07" / "bis_meu.json").read_text())
    if kind == "cut":  # a CSL CSV cut in the middle of a quoted field
        path, where = out / "csl_cut.csv", "csl_cut.csv:"
        path.write_text(csl[:4000])
    elif kind == "short":  # one row with 3 of its 29 fields
        lines = csl.splitlines()
        lines[4] = ",".join(lines[4].split(",")[:3])
        path, where = out / "csl_short.csv", "csl_short.csv:5"
        path.write_text("\n".join(lines) + "\n")
    elif kind == "noname":  # a list entry without its name
        meu["entities"][3]["name"] = None
        path, where = out / "bis_meu.json", "field 'name'"
        path.write_text(json.dumps(meu))
    else:  # JSON cut in half
        path, where = out / "bis_meu_half.json", "bis_meu_half.json:"
        text = json.dumps(meu, indent=1)
        path.write_text(text[: len(text) // 2])
    return path, where


@pytest.mark.parametrize("kind", ["cut", "short", "noname", "half"])
def test_corrupt_import_names_file_and_line_and_changes_nothing(
    files: Path, shared_data: Path, kind: str
) -> None:
    _, before, _ = run(files, "data|status|--format|json")
    path, where = _corrupt(shared_data, files, kind)
    code, out, err = run(files, f"data|import|{path}")
    assert code == 2 and out == "", err
    assert err.count("\n") == 1 and where in err, err
    _, after, _ = run(files, "data|status|--format|json")
    assert json.loads(after)["active_version"] == json.loads(before)["active_version"]


def test_tariff_batch_takes_typed_dates_and_refuses_other_date_forms(files: Path) -> None:
    src = files / "typed.parquet"
    pl.DataFrame(
        {
            "hts": [8471300100] * 3,
            "origin": ["CN"] * 3,
            "date": [dt.datetime(2025, 5, 1, 12), dt.datetime(2025, 5, 2), None],
            "value": [1.0, float("nan"), 2.0],
        }
    ).write_parquet(src)
    out = files / "typed_out.csv"
    code, _, err = run(files, f"tariff|batch|{src}|-o|{out}")
    assert code == 0, err
    assert pl.read_csv(out)["status"].to_list() == ["ok", "invalid_value", "invalid_date"]
    text = files / "dates.csv"
    text.write_text("hts,origin,date\n8471300100,CN,05/01/2025\n8471300100,CN, 2025-05-01 \n")
    code, _, err = run(files, f"tariff|batch|{text}|-o|{out}")
    assert code == 0, err
    assert pl.read_csv(out)["status"].to_list() == ["invalid_date", "ok"]


@pytest.mark.parametrize("damage", ["garbage", "pages"])
def test_damaged_store_is_one_line_naming_the_setting(
    files: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    run(files, "data|status")  # the module's store exists and is seeded
    store = Path(os.environ["EXPORTCTL_DATABASE_URL"].removeprefix("sqlite:///"))
    clear_cache()  # close the store, then fold the WAL into the file so the copy holds the data
    with sqlite3.connect(store) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = files / f"damaged-{damage}.db"
    data = bytearray(store.read_bytes())
    if damage == "garbage":
        data = bytearray(b"\x13" * 8192)
    else:  # the header stays readable; table pages are overwritten
        for off in range(100_000, len(data) - 4096, 40_000):
            data[off : off + 3000] = b"\xa5" * 3000
    copy.write_bytes(bytes(data))
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", f"sqlite:///{copy}")
    clear_cache()
    try:
        for line in (
            "check|--eccn|3A090|--to|CN|--date|2025-05-01",
            "tariff|lookup|--hts|8471300100|--origin|CN|--date|2025-05-01",
            "data|verify",
        ):
            code, out, err = run(files, line)
            assert code == 2 and "no_license_required" not in out, err
            assert err.count("\n") == 1 and "EXPORTCTL_DATABASE_URL" in err, err
    finally:
        clear_cache()


def test_demo_book_as_json_is_clean(files: Path) -> None:
    code, out, err = run(files, "check|--demo|--format|json")
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) > 50 and all(r["verdict"] for r in rows)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_two_columns_of_one_name_are_refused(files: Path, suffix: str) -> None:
    # the second 'eccn' (EAR99) must not silently replace the first (3A090, licence required)
    rows = [["eccn", "destination", "date", "ECCN"], ["3A090", "CN", "2025-05-01", "EAR99"]]
    path = files / f"dup.{suffix}"
    if suffix == "csv":
        path.write_text("\n".join(",".join(r) for r in rows) + "\n")
    else:
        from openpyxl import Workbook

        book = Workbook()
        for r in rows:
            book.active.append(r)
        book.save(path)
    code, _, err = run(files, f"check|{path}")
    assert code == 2 and "field 'orders'" in err and "two columns" in err, err
