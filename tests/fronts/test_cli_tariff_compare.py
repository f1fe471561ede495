"""`exportctl tariff compare`: one line from several origins side by side (table, JSON, chart)."""

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
CHAPTERS = (61, 84)
ORIGINS = "CN,VN,MX,IN,DE,JP,BR,CA"


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


def _json(*args: str) -> dict[str, object]:
    code, out, err = run("tariff", "compare", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def test_json_is_the_contract_shape_with_lookup_components(store: str) -> None:
    obj = _json("--hts", "6110.20.2010", "--origins", ORIGINS, "--date", "2025-09-01")
    assert set(obj) == {"date", "hts", "origins"} and obj["date"] == "2025-09-01"
    origins = obj["origins"]
    assert isinstance(origins, list) and [o["origin"] for o in origins] == ORIGINS.split(",")
    for o in origins:
        assert set(o) == {"origin", "total_ad_valorem_pct", "components"}
        code, out, _ = run(
            "tariff",
            "--hts",
            "6110.20.2010",
            "--origin",
            o["origin"],
            "--date",
            "2025-09-01",
            "--format",
            "json",
        )
        one = json.loads(out)
        assert code == 0 and o["components"] == one["components"]
        assert o["total_ad_valorem_pct"] == one["total_ad_valorem_pct"]
    totals = {o["origin"]: o["total_ad_valorem_pct"] for o in origins}
    # HTSUS 9903.02.69 (VN 20%), 9903.02.20 (EU 15% all-in), 9903.02.26 + 9903.01.84 (IN 25% + 25%),
    # 9903.01.77 + 9903.02.09 (BR 40% + 10%), 9903.01.10 (CA 35%, EO 14325), CN 301 List 4A 7.5% + fentanyl
    # 20% (EO 14228) + 10% baseline, on a 16.5% MFN sweater
    assert totals == {
        "CN": 54.0, "VN": 36.5, "MX": 41.5, "IN": 66.5, "DE": 16.5, "JP": 16.5, "BR": 66.5, "CA": 51.5,
    }  # fmt: skip


def test_repeated_and_named_origins_are_one_key(store: str) -> None:
    obj = _json("--hts", "8471.30.0100", "--origins", "vn, Vietnam,CN", "--date", "2025-09-01")
    assert [o["origin"] for o in obj["origins"]] == ["VN", "CN"]  # type: ignore[union-attr]


def test_table_lists_every_origin_and_the_programs(store: str) -> None:
    code, out, _ = run(
        "tariff", "compare", "--hts", "6110.20.2010", "--origins", "VN,BR", "--date", "2025-09-01"
    )
    assert code == 0
    assert "VN" in out and "BR" in out and "ieepa_brazil" in out and "36.5%" in out


def test_chart_is_written(store: str, tmp_path: Path) -> None:
    png = tmp_path / "c.png"
    code, _, err = run(
        "tariff", "compare", "--hts", "6110.20.2010", "--origins", ORIGINS, "--date", "2025-09-01",
        "--chart", str(png),
    )  # fmt: skip
    assert code == 0, err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    code, _, err = run(
        "tariff", "compare", "--hts", "6110.20.2010", "--origins", "CN", "--date", "2025-09-01",
        "--chart", str(tmp_path / "c.gif"),
    )  # fmt: skip
    assert code == 2 and "chart" in err


@pytest.mark.parametrize(
    ("args", "field", "text"),
    [
        (("--origins", "CN,ZZ", "--date", "2025-09-01"), "origins", "ZZ"),
        (("--origins", " , ", "--date", "2025-09-01"), "origins", "origin"),
        (("--origins", "CN,VN", "--date", "2026-11-10"), "date", "2026-11-09"),
        (("--origins", "CN,VN", "--date", "2019-13-01"), "date", "2019-13-01"),
    ],
)
def test_bad_input_is_exit_2_naming_the_field(
    store: str, args: tuple[str, ...], field: str, text: str
) -> None:
    code, _, err = run("tariff", "compare", "--hts", "6110.20.2010", *args)
    assert code == 2
    assert f"field '{field}'" in err and text in err


def test_unknown_hts_is_exit_2(store: str) -> None:
    code, _, err = run(
        "tariff", "compare", "--hts", "6110.99.9999", "--origins", "CN", "--date", "2025-09-01"
    )
    assert code == 2 and "field 'hts'" in err
