"""Party values: country resolved to ISO2, aliases cleaned, unknown fields refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from exportctl.errors import InputError
from exportctl.model.parties import Party


def test_party_resolves_country_and_cleans_aliases() -> None:
    party = Party(
        name=" Huawei Technologies Co., Ltd. ", aliases=("Huawei", " Huawei", ""), country="China (PRC)"
    )
    assert party.name == "Huawei Technologies Co., Ltd."
    assert party.aliases == ("Huawei",)
    assert party.country == "CN"
    assert party.names == ("Huawei Technologies Co., Ltd.", "Huawei")
    assert Party(name="x", country="  ").country is None


def test_party_rejects_bad_values() -> None:
    with pytest.raises(InputError) as info:
        Party(name="x", country="Atlantis")
    assert info.value.field == "country"
    with pytest.raises(ValidationError):
        Party(name="   ")
    with pytest.raises(ValidationError):
        Party(name="x", type="robot")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Party(name="x", nickname="y")  # type: ignore[call-arg]
