"""Scenarios: hypothetical changes on top of the actual registry ("what if this waiver took effect?").

A scenario file is YAML with these keys (all but `name` optional), validated strictly:

    name: el-waiver-aug
    description: What if the Entity List waiver for these parties took effect on 2025-08-01
    add: [<Measure>, ...]          # new measures, full measure schema
    remove: [measure-id, ...]      # measures taken away (actions that target them then act on nothing)
    modify:                        # field edits; a path walks mappings by key and lists by element id
      - id: us-tariff-ieepa-fentanyl     # or by index: `effects.0.rate_pct`
        set: {effects.fentanyl.rate_pct: 20, dates.end: 2025-12-31}
    promote:                       # proposed/threatened measures treated as in force
      - id: us-ear-proposed-waiver
        effective: 2025-08-01      # optional: every effect and action of it starts that day

Order of application: remove, modify, add, promote. The scenario's hash (canonical JSON of the file's
content) is part of every Regime id compiled under it, so answers under a scenario never pass for
answers about the actual registry.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from exportctl.errors import RegistryError
from exportctl.registry.schema import Measure, Strict
from exportctl.registry.strict_yaml import load_yaml, validate_loaded

ScalarValue = float | int | str | bool | dt.date | list[str] | None


class Modification(Strict):
    """Set fields of one measure: `set` maps a dotted path to its new value."""

    id: str
    set: dict[str, ScalarValue] = Field(default_factory=dict)


class Promotion(Strict):
    """Treat a proposed or threatened measure as in force, optionally from another date."""

    id: str
    effective: dt.date | None = None


class Scenario(Strict):
    """A named set of changes applied on top of the registry."""

    name: str
    description: str | None = None
    add: list[Measure] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)
    modify: list[Modification] = Field(default_factory=list)
    promote: list[Promotion] = Field(default_factory=list)

    @cached_property
    def hash(self) -> str:
        """sha256 of the scenario's canonical JSON."""
        return hashlib.sha256(json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario file strictly; errors name file, line and field."""
    p = Path(path)
    if not p.is_file():
        raise RegistryError(f"no such scenario file: {p}", field="scenario", file=str(p))
    return validate_loaded(Scenario, load_yaml(p), p)


def apply_scenario(measures: Mapping[str, Measure], scenario: Scenario) -> dict[str, Measure]:
    """The measures after the scenario's removals, modifications, additions and promotions (sorted by id)."""
    out = dict(measures)
    where = f"scenario {scenario.name!r}"
    for mid in scenario.remove:
        if mid not in out:
            raise RegistryError(
                f"{where} removes unknown measure {mid!r}", field="remove", suggestions=_near(mid, out)
            )
        del out[mid]
    for mod in scenario.modify:
        if mod.id not in out:
            raise RegistryError(
                f"{where} modifies unknown measure {mod.id!r}", field="modify", suggestions=_near(mod.id, out)
            )
        data = out[mod.id].model_dump()
        for path, value in sorted(mod.set.items()):
            _set_path(data, path.split("."), value, f"{where}, modify {mod.id}, {path}")
        out[mod.id] = _revalidate(data, f"{where}, modify {mod.id}")
    for measure in scenario.add:
        if measure.id in out:
            raise RegistryError(f"{where} adds {measure.id!r}, which exists (use modify)", field="add")
        out[measure.id] = measure
    for promo in scenario.promote:
        if promo.id not in out:
            raise RegistryError(
                f"{where} promotes unknown measure {promo.id!r}",
                field="promote",
                suggestions=_near(promo.id, out),
            )
        out[promo.id] = promote(out[promo.id], promo.effective, where)
    return {k: out[k] for k in sorted(out)}


def _near(mid: str, measures: Mapping[str, Measure]) -> list[str]:
    """The measure ids closest to an unknown one (a typo in a scenario names what was meant)."""
    return difflib.get_close_matches(mid, sorted(measures), n=5, cutoff=0.6)


def promote(measure: Measure, effective: dt.date | None, where: str = "scenario") -> Measure:
    """A proposed/threatened measure as in force; with `effective`, its effects and actions start then."""
    if measure.status not in ("proposed", "threatened"):
        raise RegistryError(
            f"{where} promotes {measure.id!r} with status {measure.status} (only proposed or threatened)",
            field="promote",
        )
    data = measure.model_dump()
    data["status"] = "in_force"
    if effective is not None:
        data["dates"]["effective"] = effective
        for item in data["effects"] + data["actions"]:
            item["effective"] = effective
            if item.get("end") is not None and item["end"] <= effective:
                raise RegistryError(
                    f"{where}: {measure.id}#{item['id']} would end ({item['end']}) before {effective}",
                    field="promote",
                )
    return _revalidate(data, f"{where}, promote {measure.id}")


def _set_path(data: Any, parts: list[str], value: Any, where: str) -> None:
    head, rest = parts[0], parts[1:]
    if isinstance(data, dict):
        if head not in data:
            raise RegistryError(f"{where}: no field {head!r}", field=head, suggestions=sorted(data))
        if not rest:
            data[head] = value
        else:
            _set_path(data[head], rest, value, where)
    elif isinstance(data, list):
        index = _list_index(data, head, where)
        if not rest:
            data[index] = value
        else:
            _set_path(data[index], rest, value, where)
    else:
        raise RegistryError(f"{where}: cannot descend into {head!r}", field=head)


def _list_index(items: list[Any], key: str, where: str) -> int:
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == key:
            return i
    if key.isdigit() and int(key) < len(items):
        return int(key)
    ids = [str(item.get("id")) for item in items if isinstance(item, dict)]
    raise RegistryError(f"{where}: no element {key!r}", field=key, suggestions=ids)


def _revalidate(data: dict[str, Any], where: str) -> Measure:
    try:
        return Measure.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        dotted = ".".join(str(p) for p in first["loc"])
        raise RegistryError(f"{where}: {first['msg']}", field=dotted) from None
