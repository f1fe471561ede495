"""Parties: the people, firms, vessels and aircraft that lists name and transactions involve."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from exportctl.model.countries import resolve_country

__all__ = ["Party", "PartyType"]

PartyType = Literal["entity", "individual", "vessel", "aircraft", "unknown"]


class Party(BaseModel):
    """One party: name, aliases, country (ISO2, resolved from any spelling), address, type."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    address: str | None = None
    type: PartyType = "unknown"

    @field_validator("name")
    @classmethod
    def _name_not_empty(cls, value: str) -> str:
        if not value:
            raise ValueError("a party needs a name")
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases_clean(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        seen: list[str] = []
        for alias in value:
            alias = alias.strip()
            if alias and alias not in seen:
                seen.append(alias)
        return tuple(seen)

    @field_validator("country", mode="before")
    @classmethod
    def _country_iso2(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            raise ValueError("country must be text")
        return resolve_country(value).code  # InputError names the field 'country'

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by the aliases, as screening matches them."""
        return (self.name, *self.aliases)
