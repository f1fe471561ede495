"""A party in Hong Kong counts as China's (D:5) for the §740.2 exception limits only from Dec 23, 2020,
when Hong Kong stopped being a separate destination (85 FR 83765, rules file `destinations_following`).
Before, Hong Kong was in Country Groups A:6 and B, not D:5. Day before / of / after; the golden YAML
cannot state a party's country, so these cases are here.
Source: https://www.federalregister.gov/d/2020-28101 (us-ear-2020-12-hong-kong-not-separate-destination).
"""

from __future__ import annotations

import polars as pl
import pytest

from exportctl.data.pack import load_pack
from exportctl.ops.check import Context, check_table
from exportctl.registry import load_registry
from exportctl.store.dataset import Dataset


@pytest.fixture(scope="module")
def pack() -> Context:
    return Context(Dataset.from_tables(load_pack()), load_registry())


@pytest.mark.parametrize(
    ("day", "verdict", "why"),
    [
        ("2020-12-22", "license_exception_available", "value within the ECCN's LVS limit"),
        ("2020-12-23", "license_required", "600-series and 9x515 items to D:5"),
        ("2020-12-24", "license_required", "600-series and 9x515 items to D:5"),
    ],
)
def test_600_series_for_a_hong_kong_end_user(pack: Context, day: str, verdict: str, why: str) -> None:
    # 0A501 (600 series, LVS $500) to Germany (Country Group B), value $1, end user in Hong Kong
    row = {"eccn": "0A501", "destination": "DE", "as_of": day, "value": "1"}
    row |= {"end_user": "Acme Trading", "end_user_country": "HK"}
    got = check_table(pl.DataFrame([row]), context=pack, fuzzy=False).row(0, named=True)
    lvs = next(e for e in got["exceptions"] if e["code"] == "LVS")
    assert (got["verdict"], why in lvs["why"]) == (verdict, True), lvs
