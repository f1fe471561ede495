"""The API's check takes the destination as `destination` (the contract's name) or `to` (the CLI's)."""

from __future__ import annotations

from exportctl.fronts.api.schemas import CheckItem


def test_to_and_destination_name_the_same_field() -> None:
    a = CheckItem.model_validate({"eccn": "3A090", "destination": "CN", "date": "2025-05-01"})
    b = CheckItem.model_validate({"eccn": "3A090", "to": "CN", "date": "2025-05-01"})
    assert a.destination == b.destination == "CN"
    assert "destination" in b.model_dump(mode="json") and "to" not in b.model_dump(mode="json")
