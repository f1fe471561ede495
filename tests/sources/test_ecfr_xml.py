"""The Country Chart from the eCFR XML (versioner TABLE and GPO GPOTABLE): same marks as the JSON."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from exportctl.errors import DataError
from exportctl.sources.ecfr import parse_country_chart
from exportctl.sources.ecfr_xml import parse_country_chart_xml

COLUMNS = ["country", "column", "mark", "embargoed", "footnotes", "footnote_texts", "pointer"]


@pytest.fixture
def sample(fixtures: Path) -> Path:
    return fixtures / "ecfr" / "part738_supp1_sample.xml"


@pytest.mark.parametrize("name", ["part738_supp1_sample.xml", "part738_supp1_gpotable.xml"])
def test_xml_marks_equal_json_marks(fixtures: Path, shared_data: Path, name: str) -> None:
    table = parse_country_chart_xml(fixtures / "ecfr" / name, date="2026-07-23")
    assert (table.name, table.format, table.date) == ("country_chart", "ecfr-versioner-xml", "2026-07-23")
    xml_rows = table.records.select(COLUMNS).sort("country", "column")
    json_rows = (
        parse_country_chart(shared_data / "ear-2026-07-23/country-chart.json")
        .records.filter(
            pl.col("inherited_from").is_null() & pl.col("country").is_in(xml_rows["country"].implode())
        )
        .select(COLUMNS)
        .sort("country", "column")
    )
    assert {"CA", "CN", "CU", "MO"} <= set(xml_rows["country"])
    assert xml_rows.equals(json_rows)


def test_sample_details(sample: Path) -> None:
    records = parse_country_chart_xml(sample, date="2026-07-23").records
    albania = records.filter(pl.col("country") == "AL").row(0, named=True)
    assert albania["footnotes"] == [2, 3] and albania["src_line"] == 41
    assert albania["country_name"] == "Albania"
    cuba = records.filter(pl.col("country") == "CU")
    assert cuba["mark"].null_count() == 16 and cuba["pointer"][0].startswith("See part 746")
    china = set(records.filter((pl.col("country") == "CN") & pl.col("mark"))["column"])
    assert {"NS1", "NS2", "RS1", "RS2", "MT1", "CB1"} <= china and "AT1" not in china
    assert records.filter(pl.col("country") == "HK").height == 0  # no row in the regulation


def test_date_from_file_name(sample: Path, tmp_path: Path) -> None:
    dated = tmp_path / "title-15-part-738-appendix-suppl1-2026-09-01.xml"
    dated.write_bytes(sample.read_bytes())
    assert parse_country_chart_xml(dated).date == "2026-09-01"
    with pytest.raises(DataError) as info:
        parse_country_chart_xml(sample)
    assert info.value.field == "date"


def _variant(sample: Path, tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = sample.read_text("utf-8")
    assert old in text
    path = tmp_path / "chart.xml"
    path.write_text(text.replace(old, new, count), "utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message", "field"),
    [
        ('">CB 2</TH>', '">NS 2</TH>', "16 known columns", None),
        ('">X</TD>', '">Y</TD>', "expected X or empty", "Albania.CB1"),
        ("Canada</TD>", "Atlantis</TD>", "unknown country", "Countries"),
        ("Canada</TD>", "Canada <sup>11</sup></TD>", "not in the table's notes", "Canada"),
        ('<TD class="center"></TD>\n</TR>', "</TR>", "expected 17 cells", "Albania"),
        ('N="Supplement No. 1 to Part 738"', 'N="Supplement No. 2 to Part 738"', "no element", None),
        ("</TBODY>", "", "malformed XML", None),
    ],
)
def test_strict(sample: Path, tmp_path: Path, old: str, new: str, message: str, field: str | None) -> None:
    with pytest.raises(DataError, match=message) as info:
        parse_country_chart_xml(_variant(sample, tmp_path, old, new), date="2026-07-23")
    assert info.value.file == "chart.xml" and info.value.line is not None
    if field:
        assert info.value.field == field


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE DIV9 SYSTEM "http://example.invalid/ecfr.dtd">',
    ],
)
def test_doctype_and_entities_refused(sample: Path, tmp_path: Path, prolog: str) -> None:
    text = sample.read_text("utf-8").replace("?> \n", "?>\n" + prolog + "\n", 1)
    path = tmp_path / "chart.xml"
    path.write_text(text, "utf-8")
    with pytest.raises(DataError, match="DOCTYPE") as info:
        parse_country_chart_xml(path, date="2026-07-23")
    assert info.value.line == 2


def test_undefined_entity_and_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "chart.xml"
    path.write_text('<DIV9 N="Supplement No. 1 to Part 738">&lol;</DIV9>', "utf-8")
    with pytest.raises(DataError, match="malformed XML"):
        parse_country_chart_xml(path, date="2026-07-23")
    path.write_text("  \n", "utf-8")
    with pytest.raises(DataError, match="empty"):
        parse_country_chart_xml(path, date="2026-07-23")
