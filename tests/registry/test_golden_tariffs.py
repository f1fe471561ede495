"""Golden duty stacks: the bundled US-TARIFF / CN-TARIFF measures through compile_regime and the tariff
engine, on the real HTS 2025 lines, on the days on each side of every change. Each case names its source.

What the headline figures add up to (a line with a free MFN rate, product of China):
  145%  Apr 10 - May 13, 2025 = 125% reciprocal (9903.01.63, EO 14266) + 20% fentanyl (9903.01.24, EO 14228)
  104%  Apr 9, 2025 only      = 84% reciprocal (EO 14259) + 20% fentanyl
   30%  May 14 - Nov 9, 2025  = 10% reciprocal (9903.01.25, EO 14298) + 20% fentanyl
   55%  a Section 301 List 1-3 line from May 14, 2025 = 25% + 10% + 20% (the "55%" of Jun 11, 2025)
 37.5%  a List 4A line in the same period = 7.5% + 10% + 20%. The issue's "42.5%" is not the record:
        it would need 35 points of IEEPA duty, the IEEPA duties were 30 (10 + 20). 42.5% is 55 - 12.5,
        i.e. the 25 -> 7.5 difference mis-subtracted; no instrument ever set a 42.5% stack.
   20%  from Nov 10, 2025     = 10% reciprocal + 10% fentanyl (EO 14357, EO 14358)
    0%   of IEEPA duties from Feb 24, 2026 (EO 14389 after the Supreme Court's ruling; CSMS 67834313);
         Section 122 surcharge 10% (9903.03.01) from Feb 24 to Jul 23, 2026 (CSMS 67844987)
China's side (any US good): 84% on Apr 10-11, 2025; 125% from Apr 12; 10% from May 14, 2025 (24 points
suspended to Nov 10, 2026; China's later moves are not in the sources read).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from exportctl.engine.tariff import tariff
from exportctl.registry import Registry, compile_regime, load_registry
from exportctl.sources.base import SourceTable
from exportctl.sources.hts import parse_hts_json
from exportctl.store.dataset import Dataset

CHAPTERS = (1, 3, 12, 15, 27, 72, 76, 84, 87)
FREE_NO_301 = "0304.81.50"  # fish fillets, MFN Free, no Section 301 footnote, not excepted
LIST1, LIST2, LIST3, LIST4A = "8407.10.00", "8407.34.05", "0302.13.00", "0101.21.00"  # all MFN Free

EO14266 = "EO 14266 (90 FR 15625); SteelOrbis quoting US officials, Apr 10, 2025: 125% + 20% = 145%"
EO14298 = "EO 14298 (90 FR 21831); CBP guidance of May 14, 2025 (10% under 9903.01.25)"
EO14357 = "EO 14357 and EO 14358; CSMS 66749380"
SEC122 = "EO 14389 and CSMS 67834313 (IEEPA duties end); CSMS 67844987 (Section 122, 10%, 9903.03.01)"
JUN11 = "White House official on the Jun 11, 2025 '55%': 25% Section 301 + 10% + 20% (facts 3.4)"


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


@pytest.fixture(scope="module")
def ds(shared_data: Path) -> Dataset:
    folder = shared_data / "hts-2025-json"
    records = pl.concat(
        [parse_hts_json(folder / f"{c}.json").records for c in CHAPTERS], how="vertical_relaxed"
    )
    return Dataset.from_tables([SourceTable("hts", "HTS", "usitc-hts-json", "2025-01-13", records)])


def stack(
    reg: Registry, ds: Dataset, hts: str, origin: str, day: str, dest: str = "US", **kw: Any
) -> dict[str, Any]:
    known_on = kw.pop("known_on", None)
    line = {"hts": [hts], "origin": [origin], "destination": [dest]} | {k: [v] for k, v in kw.items()}
    row = tariff(compile_regime(reg, day, known_on), ds, pl.DataFrame(line)).row(0, named=True)
    assert row["status"] == "ok", row
    return row


def parts(row: dict[str, Any]) -> dict[str, tuple[str | None, float]]:
    """program -> (heading, rate) of the applied components (one per program in these cases)."""
    return {c["program"]: (c["heading"], c["rate_pct"]) for c in row["components"]}


HEADLINES = [
    # (hts, origin, date, total %, {program: (heading, rate)}, source)
    (FREE_NO_301, "CN", "2025-02-03", 0.0, {}, "EO 14195: effective Feb 4, 2025"),
    (
        FREE_NO_301,
        "CN",
        "2025-02-04",
        10.0,
        {"ieepa_fentanyl": ("9903.01.20", 10.0)},
        "EO 14195 (90 FR 9121)",
    ),
    (FREE_NO_301, "CN", "2025-03-03", 10.0, {"ieepa_fentanyl": ("9903.01.20", 10.0)}, "EO 14228: from Mar 4"),
    (
        FREE_NO_301,
        "CN",
        "2025-03-04",
        20.0,
        {"ieepa_fentanyl": ("9903.01.24", 20.0)},
        "EO 14228 (90 FR 11463)",
    ),
    (FREE_NO_301, "CN", "2025-04-04", 20.0, {"ieepa_fentanyl": ("9903.01.24", 20.0)}, "EO 14257: from Apr 5"),
    (
        FREE_NO_301,
        "CN",
        "2025-04-05",
        30.0,
        {"ieepa_fentanyl": ("9903.01.24", 20.0), "ieepa_reciprocal": ("9903.01.25", 10.0)},
        "EO 14257 (90 FR 15041)",
    ),
    (
        FREE_NO_301,
        "CN",
        "2025-04-08",
        30.0,
        {"ieepa_fentanyl": ("9903.01.24", 20.0), "ieepa_reciprocal": ("9903.01.25", 10.0)},
        "EO 14257 Annex I: Apr 9",
    ),
    (
        FREE_NO_301,
        "CN",
        "2025-04-09",
        104.0,
        {"ieepa_fentanyl": ("9903.01.24", 20.0), "ieepa_reciprocal": ("9903.01.63", 84.0)},
        "EO 14259 (90 FR 15509), effective the same moment as the 34%",
    ),
    (
        FREE_NO_301,
        "CN",
        "2025-04-10",
        145.0,
        {"ieepa_fentanyl": ("9903.01.24", 20.0), "ieepa_reciprocal": ("9903.01.63", 125.0)},
        EO14266,
    ),
    (
        FREE_NO_301,
        "CN",
        "2025-05-13",
        145.0,
        {"ieepa_fentanyl": ("9903.01.24", 20.0), "ieepa_reciprocal": ("9903.01.63", 125.0)},
        EO14266,
    ),
    (
        FREE_NO_301,
        "CN",
        "2025-05-14",
        30.0,
        {"ieepa_fentanyl": ("9903.01.24", 20.0), "ieepa_reciprocal": ("9903.01.25", 10.0)},
        EO14298,
    ),
    (
        FREE_NO_301,
        "CN",
        "2025-08-12",
        30.0,
        {"ieepa_fentanyl": ("9903.01.24", 20.0), "ieepa_reciprocal": ("9903.01.25", 10.0)},
        "EO 14334 extension",
    ),
    (
        FREE_NO_301,
        "CN",
        "2025-11-09",
        30.0,
        {"ieepa_fentanyl": ("9903.01.24", 20.0), "ieepa_reciprocal": ("9903.01.25", 10.0)},
        EO14298,
    ),
    (
        FREE_NO_301,
        "CN",
        "2025-11-10",
        20.0,
        {"ieepa_fentanyl": ("9903.01.24", 10.0), "ieepa_reciprocal": ("9903.01.25", 10.0)},
        EO14357,
    ),
    (
        FREE_NO_301,
        "CN",
        "2026-02-23",
        20.0,
        {"ieepa_fentanyl": ("9903.01.24", 10.0), "ieepa_reciprocal": ("9903.01.25", 10.0)},
        "last day of the IEEPA duties (CSMS 67834313: none for entries from Feb 24, 2026)",
    ),
    (FREE_NO_301, "CN", "2026-02-24", 10.0, {"section_122": ("9903.03.01", 10.0)}, SEC122),
    (FREE_NO_301, "CN", "2026-07-23", 10.0, {"section_122": ("9903.03.01", 10.0)}, SEC122),
    (
        FREE_NO_301,
        "CN",
        "2026-07-24",
        12.5,
        {"section_301_forced_labor": ("9903.05.31", 12.5)},
        SEC122 + "; 150 days, to 12:01 a.m. Jul 24, 2026; 91 FR 47318: China +12.5% (9903.05.31)",
    ),
    (
        FREE_NO_301,
        "CN",
        "2026-07-31",
        12.5,
        {"section_301_forced_labor": ("9903.05.31", 12.5)},
        "EO 14389 ended the IEEPA duties, so no 34% returns; 2026 Section 301 12.5% (91 FR 47318)",
    ),
    (
        FREE_NO_301,
        "HK",
        "2025-04-15",
        145.0,
        {"ieepa_fentanyl": ("9903.01.24", 20.0), "ieepa_reciprocal": ("9903.01.63", 125.0)},
        "CSMS 64701128 (China incl. Hong Kong, Macau); CBP May 14 guidance (fentanyl: China, Hong Kong)",
    ),
    (
        FREE_NO_301,
        "MO",
        "2025-04-15",
        125.0,
        {"ieepa_reciprocal": ("9903.01.63", 125.0)},
        "CSMS 64701128 names Macau for the reciprocal duty; the fentanyl orders name Hong Kong only",
    ),
    (
        LIST3,
        "CN",
        "2025-06-15",
        55.0,
        {
            "section_301": ("9903.88.03", 25.0),
            "ieepa_fentanyl": ("9903.01.24", 20.0),
            "ieepa_reciprocal": ("9903.01.25", 10.0),
        },
        JUN11,
    ),
    (
        LIST3,
        "CN",
        "2025-04-15",
        170.0,
        {
            "section_301": ("9903.88.03", 25.0),
            "ieepa_fentanyl": ("9903.01.24", 20.0),
            "ieepa_reciprocal": ("9903.01.63", 125.0),
        },
        "List 3 25% + 145%",
    ),
    (
        LIST4A,
        "CN",
        "2025-06-15",
        37.5,
        {
            "section_301": ("9903.88.15", 7.5),
            "ieepa_fentanyl": ("9903.01.24", 20.0),
            "ieepa_reciprocal": ("9903.01.25", 10.0),
        },
        "85 FR 3741 (List 4A 7.5%) + 30%; the issue's 42.5% is inconsistent with the record (see module doc)",
    ),
    (
        LIST4A,
        "CN",
        "2025-11-10",
        27.5,
        {
            "section_301": ("9903.88.15", 7.5),
            "ieepa_fentanyl": ("9903.01.24", 10.0),
            "ieepa_reciprocal": ("9903.01.25", 10.0),
        },
        EO14357,
    ),
    (
        "8471.30.0100",
        "CN",
        "2025-04-15",
        20.0,
        {"ieepa_fentanyl": ("9903.01.24", 20.0)},
        "Apr 11, 2025 memorandum, CSMS 64724565: 8471 out of the reciprocal duty, not the fentanyl duty",
    ),
    (
        "8703.80.0020",
        "CN",
        "2025-06-15",
        132.5,
        {
            "section_301": ("9903.91.03", 100.0),
            "ieepa_fentanyl": ("9903.01.24", 20.0),
            "ieepa_reciprocal": ("9903.01.25", 10.0),
        },
        "89 FR 76581 (EVs 100%, replacing List 1's 25%) + 30%; MFN 2.5%",
    ),
]


@pytest.mark.parametrize(("hts", "origin", "day", "total", "expected", "source"), HEADLINES)
def test_headline_stacks(
    reg: Registry,
    ds: Dataset,
    hts: str,
    origin: str,
    day: str,
    total: float,
    expected: dict[str, tuple[str, float]],
    source: str,
) -> None:
    row = stack(reg, ds, hts, origin, day)
    assert parts(row) == expected, source
    assert row["total_ad_valorem_pct"] == total, source


SECTION_301_HISTORY = [
    (LIST1, "2018-07-05", 0.0, "83 FR 28710: List 1 from Jul 6, 2018"),
    (LIST1, "2018-07-06", 25.0, "83 FR 28710"),
    (LIST2, "2018-08-22", 0.0, "83 FR 40823: List 2 from Aug 23, 2018"),
    (LIST2, "2018-08-23", 25.0, "83 FR 40823"),
    (LIST3, "2018-09-23", 0.0, "83 FR 47974: List 3 from Sept 24, 2018"),
    (LIST3, "2018-09-24", 10.0, "83 FR 47974"),
    (LIST3, "2019-05-09", 10.0, "84 FR 20459: 25% from May 10, 2019"),
    (LIST3, "2019-05-10", 25.0, "84 FR 20459"),
    (LIST4A, "2019-08-31", 0.0, "84 FR 43304 / 84 FR 45821: List 4A from Sept 1, 2019"),
    (LIST4A, "2019-09-01", 15.0, "84 FR 45821 (15%)"),
    (LIST4A, "2020-02-13", 15.0, "85 FR 3741: 7.5% from Feb 14, 2020"),
    (LIST4A, "2020-02-14", 7.5, "85 FR 3741"),
]


@pytest.mark.parametrize(("hts", "day", "rate", "source"), SECTION_301_HISTORY)
def test_section_301_rate_history(
    reg: Registry, ds: Dataset, hts: str, day: str, rate: float, source: str
) -> None:
    row = stack(reg, ds, hts, "CN", day)
    assert parts(row).get("section_301", (None, 0.0))[1] == rate, source
    assert row["total_ad_valorem_pct"] == rate, source


def test_section_232_steel_2025_increase_and_reciprocal_exclusion(reg: Registry, ds: Dataset) -> None:
    """7208.10.15 (hot-rolled, Free): Proclamation 10896 heading 9903.81.87; Proc. 10947 50% from Jun 4;
    EO 14257 sec. 3(b): not subject to the reciprocal duty; 301 four-year review 25% (9903.91.01)."""
    before = stack(reg, ds, "7208.10.1500", "CN", "2025-06-03")
    after = stack(reg, ds, "7208.10.1500", "CN", "2025-06-04")
    assert parts(before) == {
        "section_232_steel": ("9903.81.87", 25.0),
        "section_301": ("9903.91.01", 25.0),
        "ieepa_fentanyl": ("9903.01.24", 20.0),
    }
    assert before["total_ad_valorem_pct"] == 70.0 and after["total_ad_valorem_pct"] == 95.0
    assert {x["program"] for x in after["excluded"]} == {"ieepa_reciprocal"}
    assert parts(stack(reg, ds, "7208.10.1500", "CN", "2025-03-11"))["section_232_steel"] == (
        "9903.80.01",
        25.0,
    )


def test_section_232_aluminum_steps(reg: Registry, ds: Dataset) -> None:
    """7601.10.60: Proclamation 9704 10%; Proclamation 10895 25% from Mar 12, 2025; Proclamation 10947 50%."""
    rates = [
        parts(stack(reg, ds, "7601.10.60", "CN", d))["section_232_aluminum"][1]
        for d in ("2025-03-11", "2025-03-12", "2025-06-03", "2025-06-04")
    ]
    assert rates == [10.0, 25.0, 25.0, 50.0]


def test_annex_ii_energy_keeps_fentanyl_and_specific_mfn(reg: Registry, ds: Dataset) -> None:
    """2709.00.20 crude (MFN 10.5¢/bbl, List 3): EO 14257 Annex II leaves out the reciprocal duty only."""
    row = stack(reg, ds, "2709.00.20", "CN", "2025-04-15", value=1000.0, quantity=100.0, unit="bbl")
    assert parts(row) == {"section_301": ("9903.88.03", 25.0), "ieepa_fentanyl": ("9903.01.24", 20.0)}
    assert row["mfn_kind"] == "specific" and row["total_ad_valorem_pct"] == 45.0
    assert row["duty_amount"] == 460.5  # 45% of 1000 + 10.5¢ x 100 bbl
    assert {x["excluded_by"].split("#")[1] for x in row["excluded"]} == {"annex-ii"}


def test_specific_and_compound_mfn_lines(reg: Registry, ds: Dataset) -> None:
    """0102.29.40 (1¢/kg, List 4A) and 1504.20.60 (1.5¢/kg + 5%, List 3) on Jun 15, 2025 (HTS 2025 rates)."""
    spec = stack(reg, ds, "0102.29.40", "CN", "2025-06-15", value=1000.0, quantity=500.0, unit="kg")
    assert spec["total_ad_valorem_pct"] == 37.5 and spec["duty_amount"] == 380.0  # 375 + 500 x $0.01
    comp = stack(reg, ds, "1504.20.60", "CN", "2025-06-15", value=1000.0, quantity=100.0, unit="kg")
    assert comp["mfn_ad_valorem_pct"] == 5.0 and comp["total_ad_valorem_pct"] == 60.0
    assert comp["duty_amount"] == 601.5  # 60% of 1000 + 100 x $0.015


def test_known_on_hides_what_was_not_yet_public(reg: Registry, ds: Dataset) -> None:
    """EO 14266 was signed Apr 9: as known on Apr 8, Apr 10 still looked like 84% + 20%."""
    assert (
        stack(reg, ds, FREE_NO_301, "CN", "2025-04-10", known_on="2025-04-08")["total_ad_valorem_pct"]
        == 104.0
    )


def test_list_4a_as_known_before_the_increase_to_15pct(reg: Registry, ds: Dataset) -> None:
    """84 FR 43304 announced 10%; the Aug 23, 2019 increase to 15% (84 FR 45821) was not public on Aug 20."""
    assert stack(reg, ds, LIST4A, "CN", "2019-09-01", known_on="2019-08-20")["total_ad_valorem_pct"] == 10.0
    assert stack(reg, ds, LIST4A, "CN", "2019-09-01")["total_ad_valorem_pct"] == 15.0


def test_threatened_100pct_never_applies(reg: Registry, ds: Dataset) -> None:
    """The Oct 10, 2025 threat (status threatened) was never implemented."""
    row = stack(reg, ds, FREE_NO_301, "CN", "2025-11-15")
    assert "threatened_100pct" not in parts(row) and row["total_ad_valorem_pct"] == 20.0


def test_column_2_for_cuba_north_korea_and_from_2022_russia(reg: Registry, ds: Dataset) -> None:
    """HTSUS General Note 3(b); Pub. L. 117-110 (column 2 for Russia and Belarus from Apr 9, 2022)."""
    assert stack(reg, ds, "8481.80.1030", "CU", "2025-06-15")["mfn_text"] == "47%"
    assert stack(reg, ds, "8481.80.1030", "KP", "2019-01-01")["base_column"] == "column_2"
    assert stack(reg, ds, "8481.80.1030", "RU", "2022-04-08")["mfn_text"] == "4%"
    russia = stack(reg, ds, "8481.80.1030", "RU", "2022-04-09", value=100.0)
    assert (russia["mfn_text"], russia["duty_amount"]) == ("47%", 47.0)


CHINA = [
    ("8471.30.0100", "2025-04-09", 0.0, "Tariff Commission Ann. No. 4: from Apr 10, 2025"),
    ("8471.30.0100", "2025-04-10", 84.0, "Ann. Nos. 4 and 5 both effective Apr 10 (No. 5 at 12:01)"),
    ("8471.30.0100", "2025-04-11", 84.0, "Ann. No. 6: from Apr 12"),
    ("8471.30.0100", "2025-04-12", 125.0, "Ann. No. 6 of 2025"),
    ("8471.30.0100", "2025-05-13", 125.0, "May 13 announcement: from May 14"),
    ("8471.30.0100", "2025-05-14", 10.0, "May 13 announcement (Geneva): 24 points suspended, 10% kept"),
    ("8471.30.0100", "2025-08-12", 10.0, "Aug 12 announcement: suspension continued"),
    ("8471.30.0100", "2025-11-10", 10.0, "Nov 5 announcements: suspension to Nov 10, 2026"),
    ("1201.90.0010", "2025-03-09", 0.0, "Ann. No. 2 of 2025: from Mar 10"),
    ("1201.90.0010", "2025-03-10", 10.0, "Ann. No. 2: soybeans 10%"),
    ("1201.90.0010", "2025-04-12", 135.0, "Ann. No. 2 10% + Ann. Nos. 4-6 125%"),
    ("1201.90.0010", "2025-11-09", 20.0, "Ann. No. 2 10% + 10%"),
    (
        "1201.90.0010",
        "2025-11-10",
        10.0,
        "Nov 5: Ann. No. 2 ceases; 3% MFN + 10% = 13% per livarava (MFN not in data)",
    ),
    ("2701.12.0010", "2025-02-09", 0.0, "Feb 4 announcement: from Feb 10"),
    ("2701.12.0010", "2025-02-10", 15.0, "Feb 4 announcement: coal 15%"),
    ("2701.12.0010", "2025-11-15", 25.0, "coal 15% (not rolled back) + 10%"),
]


@pytest.mark.parametrize(("hts", "day", "total", "source"), CHINA)
def test_china_tariffs_on_us_goods(
    reg: Registry, ds: Dataset, hts: str, day: str, total: float, source: str
) -> None:
    row = stack(reg, ds, hts, "US", day, dest="CN")
    assert row["total_additional_pct"] == total, source
    assert row["mfn_known"] is False  # China's MFN schedule is not in the data: said, not guessed


# facts/timeline.md PART 6: the machine-readable series of the IEEPA add-ons and China's all-goods rate.
PART6 = """series,from_date,to_date_exclusive,rate_pct,hts_heading
ieepa_fentanyl,2025-02-04,2025-03-04,10,9903.01.20
ieepa_fentanyl,2025-03-04,2025-11-10,20,9903.01.24
ieepa_fentanyl,2025-11-10,,10,9903.01.24
ieepa_reciprocal,2025-04-05,2025-04-09,10,9903.01.25
ieepa_reciprocal,2025-04-09,2025-04-10,84,9903.01.63
ieepa_reciprocal,2025-04-10,2025-05-14,125,9903.01.63
ieepa_reciprocal,2025-05-14,2025-08-12,10,9903.01.25
ieepa_reciprocal,2025-08-12,2025-11-10,10,9903.01.25
ieepa_reciprocal,2025-11-10,2026-11-10,10,9903.01.25
prc_retaliation_all_us_goods,2025-04-12,2025-05-14,125,
prc_retaliation_all_us_goods,2025-05-14,2026-11-10,10,
"""


IEEPA_END = dt.date(2026, 2, 24)  # EO 14389; CSMS 67834313
LAST_DAY = dt.date(2026, 7, 31)  # registry.yaml: the US-TARIFF and CN-TARIFF families' researched_through


def _part6() -> list[tuple[str, str, float, str]]:
    cases = []
    for r in csv.DictReader(io.StringIO(PART6)):
        start = dt.date.fromisoformat(r["from_date"])
        days = [start]
        end = dt.date.fromisoformat(r["to_date_exclusive"]) if r["to_date_exclusive"] else None
        if r["series"].startswith("ieepa_"):
            # The facts file predates EO 14389: every IEEPA duty ended for entries from Feb 24, 2026.
            end = min(end or IEEPA_END, IEEPA_END)
        if end is not None:
            # the tariff families are researched through 2026-07-31 (data of July 2026): later days hold
            days.append(min(end - dt.timedelta(days=1), LAST_DAY))
        cases += [(r["series"], d.isoformat(), float(r["rate_pct"]), r["hts_heading"]) for d in days]
    return cases


@pytest.mark.parametrize(("series", "day", "rate", "heading"), _part6())
def test_facts_part6_series_on_both_sides(
    reg: Registry, ds: Dataset, series: str, day: str, rate: float, heading: str
) -> None:
    if series.startswith("prc_"):
        row = stack(reg, ds, "8471.30.0100", "US", day, dest="CN")
        assert row["total_additional_pct"] == rate
        return
    comp = parts(stack(reg, ds, FREE_NO_301, "CN", day))[series]
    assert comp == (heading, rate)


def test_ieepa_duties_end_on_feb_24_2026_but_section_301_and_232_stay(reg: Registry, ds: Dataset) -> None:
    """EO 14389 / CSMS 67834313: IEEPA duties end; Section 232 and 301 are not affected; Section 122 (10%)
    applies from Feb 24 to Jul 23, 2026 except to Section 232 goods (9903.03.06)."""
    list3 = stack(reg, ds, LIST3, "CN", "2026-03-01")
    assert parts(list3) == {"section_301": ("9903.88.03", 25.0), "section_122": ("9903.03.01", 10.0)}
    steel = stack(reg, ds, "7208.10.1500", "CN", "2026-03-01")
    assert parts(steel) == {"section_232_steel": ("9903.81.87", 50.0), "section_301": ("9903.91.01", 25.0)}
    # from Jul 24, 2026 the 2026 Section 301 action adds China's 12.5% (9903.05.31, 91 FR 47318)
    assert stack(reg, ds, LIST3, "CN", "2026-07-31")["total_ad_valorem_pct"] == 37.5


def test_dates_after_the_data_hold(reg: Registry, ds: Dataset) -> None:
    """The tariff families are researched through 2026-07-31 (the newest snapshots are of July 2026):
    later dates may have duties the registry does not know, so the stack holds instead of answering."""
    for hts, origin, dest in ((FREE_NO_301, "CN", "US"), ("8471.30.0100", "US", "CN")):
        line = pl.DataFrame({"hts": [hts], "origin": [origin], "destination": [dest]})
        row = tariff(compile_regime(reg, "2026-11-10"), ds, line).row(0, named=True)
        assert row["status"] == "hold", row
