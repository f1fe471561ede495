"""`exportctl screen NAME|PARTIES` through the real Typer app: contract JSON, files, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from exportctl.fronts.cli.main import app

runner = CliRunner()

LIST = """id,name,aliases,country,type
C-1,Zorbulax Trading GmbH,Zorbulax;ZTG Holding,DE,entity
C-2,华为技术有限公司,Huawei Technologies Co. Ltd.,CN,entity
C-3,Ivan Petrovich Sidorov,,RU,person
"""


@pytest.fixture()
def lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXPORTCTL_CACHE_DIR", str(tmp_path / "cache"))
    f = tmp_path / "mine.csv"
    f.write_text(LIST, encoding="utf-8")
    return f


def test_name_json_contract_and_exit_1(lists: Path) -> None:
    res = runner.invoke(
        app, ["screen", "Huawei Technologies Co., Ltd.", "--only-list-file", str(lists), "--format", "json"]
    )
    assert res.exit_code == 1, res.output
    out = json.loads(res.stdout)
    assert out["query"] == "Huawei Technologies Co., Ltd." and out["matcher"] == "exportctl-v3"
    hit = out["hits"][0]
    assert {"list", "entity_id", "name", "matched_name", "score", "country"} <= set(hit)
    assert hit["entity_id"] == "C-2" and hit["list"] == "mine" and 0.0 < hit["score"] <= 1.0
    assert hit["explanation"]


def test_no_hit_exits_0(lists: Path) -> None:
    res = runner.invoke(app, ["screen", "Acme Widgets", "--only-list-file", str(lists)])
    assert res.exit_code == 0, res.output
    assert "no hits" in res.stdout


def test_table_shows_explanation(lists: Path) -> None:
    res = runner.invoke(app, ["screen", "SIDOROV, Ivan", "--only-list-file", str(lists), "--type", "person"])
    assert res.exit_code == 1
    assert "C-3" in res.stdout and "why:" in res.stdout and "sidorov=sidorov" in res.stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["", "--only-list-file"], "name"),
        (["x" * 10_000, "--only-list-file"], "name"),
        (["...", "--only-list-file"], "name"),
        (["Acme", "--threshold", "1.5", "--only-list-file"], "threshold"),
        (["Acme", "--country", "Narnia", "--only-list-file"], "country"),
    ],
)
def test_bad_input_exits_2(lists: Path, args: list[str], field: str) -> None:
    res = runner.invoke(app, ["screen", *args, str(lists), "--format", "json"])
    assert res.exit_code == 2, res.output
    err = json.loads(res.stderr)
    assert err["field"] == field


def test_bad_list_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"id,name\n1,\xff\xfe\n")
    res = runner.invoke(app, ["screen", "Acme", "--only-list-file", str(bad)])
    assert res.exit_code == 2
    assert "not valid UTF-8" in res.stderr and "Traceback" not in res.output


def test_file_to_jsonl(lists: Path, tmp_path: Path) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_text(
        "id,name,country\np1,ZORBULAX TRADING LIMITED,DE\np2,Nobody Special,\np3,,\n", encoding="utf-8"
    )
    out = tmp_path / "hits.jsonl"
    res = runner.invoke(
        app, ["screen", str(parties), "-o", str(out), "--only-list-file", str(lists), "--workers", "1"]
    )
    assert res.exit_code == 1, res.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["p1", "p2", "p3"]
    assert rows[0]["hits"][0]["entity_id"] == "C-1" and rows[0]["country"] == "DE"
    assert rows[1]["hits"] == [] and rows[2]["hits"] == [] and rows[2]["error"] == "empty name"


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl", ".xlsx"])
def test_other_input_formats(lists: Path, tmp_path: Path, suffix: str) -> None:
    df = pl.DataFrame({"name": ["Zorbulax", "Nobody"], "id": ["a", "b"]})
    path = tmp_path / f"parties{suffix}"
    if suffix == ".parquet":
        df.write_parquet(path)
    elif suffix == ".jsonl":
        df.write_ndjson(path)
    else:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["name", "id"])
        for row in df.iter_rows():
            sheet.append(list(row))
        book.save(path)
    res = runner.invoke(
        app, ["screen", str(path), "--only-list-file", str(lists), "--format", "json", "--workers", "1"]
    )
    assert res.exit_code == 1, res.output
    out = json.loads(res.stdout)
    assert out["rows"] == 2 and out["hit_rows"] == 1
    assert out["results"][0]["hits"][0]["entity_id"] == "C-1"


def test_parties_file_without_name_column(lists: Path, tmp_path: Path) -> None:
    parties = tmp_path / "p.csv"
    parties.write_text("Account Owner\nAcme\n", encoding="utf-8")  # 'company' is a name column since
    res = runner.invoke(app, ["screen", str(parties), "--only-list-file", str(lists)])
    assert res.exit_code == 2 and "no column of party names" in res.stderr


@pytest.mark.slow
def test_against_the_active_dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTCTL_CACHE_DIR", str(tmp_path / "cache"))
    res = runner.invoke(app, ["screen", "華為技術有限公司", "--format", "json"])
    if res.exit_code == 2 and "no_data" in res.stderr:
        pytest.skip("the active dataset holds no CSL")
    assert res.exit_code == 1, res.output
    out = json.loads(res.stdout)
    assert any(h["list"] == "EL" and h["license_policy"] for h in out["hits"])


def test_a_mistyped_parties_file_is_an_error_not_a_name(tmp_path: Path) -> None:
    # screened as a party name, a missing file would find no hits and exit 0: it must fail closed
    from typer.testing import CliRunner

    from exportctl.fronts.cli.main import app

    result = CliRunner().invoke(app, ["screen", str(tmp_path / "parites.csv")])
    assert result.exit_code == 2
    assert "no such parties file" in result.output


def test_parties_files_are_refused_like_order_books(lists: Path, tmp_path: Path) -> None:
    # the same reader as `check`: UTF-16 with its byte-order mark is read (Excel's 'Unicode Text'), a
    # Windows-1252 file is refused naming its line until --encoding says so; two columns of one name: refused
    utf16 = tmp_path / "p16.csv"
    utf16.write_text("name\nZorbulax Trading\n", encoding="utf-16")
    res = runner.invoke(app, ["screen", str(utf16), "--only-list-file", str(lists), "--format", "json"])
    assert res.exit_code == 1 and json.loads(res.stdout)["hit_rows"] == 1, res.stderr
    ansi = tmp_path / "p1252.csv"
    ansi.write_bytes("name\nMüller GmbH\nZorbulax Trading\n".encode("cp1252"))
    res = runner.invoke(app, ["screen", str(ansi), "--only-list-file", str(lists)])
    assert res.exit_code == 2 and "field 'parties'" in res.stderr and "line 2" in res.stderr, res.stderr
    res = runner.invoke(
        app, ["screen", str(ansi), "--only-list-file", str(lists), "--encoding", "cp1252", "--format", "json"]
    )
    assert res.exit_code == 1 and json.loads(res.stdout)["hit_rows"] == 1, res.stderr
    twice = tmp_path / "twice.csv"
    twice.write_text("name,Name\nA,B\n", encoding="utf-8")
    res = runner.invoke(app, ["screen", str(twice), "--only-list-file", str(lists)])
    assert res.exit_code == 2 and "two columns" in res.stderr, res.stderr


@pytest.mark.slow
def test_date_screens_the_lists_as_they_stood(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the bundled data: Huawei's Entity List entry applies from May 16, 2019 (84 FR 22961)
    monkeypatch.setenv("EXPORTCTL_CACHE_DIR", str(tmp_path / "cache"))
    name = "Huawei Technologies Co., Ltd."
    before = json.loads(
        runner.invoke(app, ["screen", name, "--date", "2019-05-15", "--format", "json"]).stdout
    )
    of = json.loads(runner.invoke(app, ["screen", name, "--date", "2019-05-16", "--format", "json"]).stdout)
    assert before["as_of"] == "2019-05-15" and {"query", "hits"} <= set(before)
    assert not [h for h in before["hits"] if h["list"] == "EL"]
    el = [h for h in of["hits"] if h["list"] == "EL"]
    assert el and all(h["listed_on"] == "2019-05-16" and h["listed_status"] == "listed" for h in el)
    assert {"list", "entity_id", "name", "matched_name", "score", "country"} <= set(el[0])
    # entries whose date the data cannot fix on the day asked are kept and marked, never dropped
    assert all(h["listed_status"] in ("listed", "uncertain") for h in before["hits"])
    bad = runner.invoke(app, ["screen", name, "--date", "15/05/2019"])
    assert bad.exit_code == 2


def test_a_parties_file_carries_the_party_script_warning_of_a_single_screen(
    lists: Path, tmp_path: Path
) -> None:
    """A company named in a script the list never writes, with no hit: the file's row carries the very
    warning `screen NAME` gives (no hit is not a clearance), a Latin or person's name none."""
    company = "ООО Ромашка"  # Cyrillic: the list writes Latin and Han names only
    single = runner.invoke(app, ["screen", company, "--only-list-file", str(lists), "--format", "json"])
    assert single.exit_code == 0, single.output
    (warning,) = json.loads(single.stdout)["warnings"]
    assert "no hit is not a clearance" in warning and "Cyrillic" in warning
    parties = tmp_path / "parties.csv"
    parties.write_text(f"id,name\np1,{company}\np2,Nobody Special\np3,Иван Петров\n", encoding="utf-8")
    res = runner.invoke(
        app, ["screen", str(parties), "--only-list-file", str(lists), "--workers", "1", "--format", "jsonl"]
    )
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert rows[0]["warnings"] == [warning] and rows[0]["hits"] == []
    assert "warnings" not in rows[1] and "warnings" not in rows[2]
    table = runner.invoke(app, ["screen", str(parties), "--only-list-file", str(lists), "--workers", "1"])
    assert f"note: row 1: {warning}" in " ".join(table.stdout.split())


def test_dates_of_birth_are_read_as_the_file_writes_them(lists: Path, tmp_path: Path) -> None:
    # European parties files write 31/12/1975: read when the column settles the order, refused by line if not
    settled = tmp_path / "settled.csv"
    settled.write_text("name,dob\nZorbulax Trading,11/03/1957\nAcme,31.12.1975\n", encoding="utf-8")
    res = runner.invoke(app, ["screen", str(settled), "--only-list-file", str(lists), "--format", "json"])
    assert res.exit_code == 1 and json.loads(res.stdout)["hit_rows"] == 1, res.stderr
    unsettled = tmp_path / "unsettled.csv"
    unsettled.write_text("name,dob\nZorbulax Trading,11/03/1957\n", encoding="utf-8")
    res = runner.invoke(app, ["screen", str(unsettled), "--only-list-file", str(lists)])
    assert res.exit_code == 2 and "unsettled.csv:2" in res.stderr and "field 'dob'" in res.stderr, res.stderr
