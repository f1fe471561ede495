"""Claims made by reports, each with a verdict against the official record, and machine checks of them.

Claims live under a measure's `claims` key, or in claim files (`data/claims/*.yaml`: a list of Claim)
when one report speaks of several measures. A claim's optional `check` pins the official fact the
verdict relies on, and is verified against the compiled registry (by lint and by the golden tests):

    check: {as_of: "2025-05-14", measure: us-tariff-..., effect: reciprocal, field: rate_pct, expect: 10}

Checks with a `kind` other than `registry` (verdict, tariff_total ...) need the engines and are run by
the golden tests, not here. Registry check keys: `kind: registry` (optional), `as_of` (required, ISO
date), `known_on` (optional), `measure` (required), `effect` (optional), `field` (optional): `state`
(default; an effect's state: active, suspended or inactive; without `effect`, the measure's status),
`status` (the measure's status: in_force, suspended, ended ...), or any effect field such as
`rate_pct` or `review_policy`. When the value read is a list (e.g. `waived_parties`), the check holds
when `expect` is in it. For an inconsistent claim the check records what the official record says,
not what the report said.
"""

from __future__ import annotations

from typing import Any

from exportctl.errors import RegistryError
from exportctl.registry.compile import compile_regime
from exportctl.registry.loader import ClaimEntry, Registry
from exportctl.registry.scenario import Scenario
from exportctl.registry.schema import Claim
from exportctl.registry.timeline import status_on

CHECK_KEYS = frozenset({"kind", "as_of", "known_on", "measure", "effect", "field", "expect"})


def verify_claim(
    registry: Registry, claim: Claim | ClaimEntry, scenario: Scenario | None = None
) -> dict[str, Any]:
    """Evaluate a claim's `check`: {claim, holds, expect, actual}; RegistryError if the check is malformed."""
    c = claim.claim if isinstance(claim, ClaimEntry) else claim
    check = c.check
    unknown = sorted(set(check) - CHECK_KEYS)
    if unknown:
        raise RegistryError(
            f"unknown check key {unknown[0]!r}", field="check", suggestions=sorted(CHECK_KEYS)
        )
    for key in ("as_of", "measure", "expect"):
        if key not in check:
            raise RegistryError(f"check needs {key!r}", field=f"check.{key}")
    as_of, known_on = str(check["as_of"]), check.get("known_on")
    mid = str(check["measure"])
    field = str(check.get("field") or ("state" if check.get("effect") else "status"))
    expect = check["expect"]
    if field == "status":
        actual: Any = status_on(
            registry, mid, as_of, known_on=None if known_on is None else str(known_on), scenario=scenario
        )
    else:
        if "effect" not in check:
            raise RegistryError(f"check of field {field!r} needs 'effect'", field="check.effect")
        ref = f"{mid}#{check['effect']}"
        regime = compile_regime(
            registry, as_of, known_on=None if known_on is None else str(known_on), scenario=scenario
        )
        found = [(a, "active") for a in regime.effects() if a.ref == ref]
        found += [(a, "suspended") for a in regime.suspended() if a.ref == ref]
        if field == "state":
            actual = found[0][1] if found else "inactive"
        elif not found:
            actual = None
        elif field == "waived_parties":
            actual = list(found[0][0].waived_parties)
        elif field in type(found[0][0].effect).model_fields:
            actual = getattr(found[0][0].effect, field)
        else:
            raise RegistryError(f"check of unknown field {field!r}", field="check.field")
    return {"claim": c.id, "holds": _equal(expect, actual), "expect": expect, "actual": actual}


def _equal(expect: Any, actual: Any) -> bool:
    if isinstance(actual, list):
        return expect in actual
    if isinstance(expect, int | float) and isinstance(actual, int | float) and not isinstance(actual, bool):
        return abs(float(expect) - float(actual)) < 1e-9
    return bool(expect == actual)


def claim_rows(registry: Registry, verdict: str | None = None) -> list[dict[str, Any]]:
    """Every claim as a flat row: id, verdict, why, text, source, date, measures, check result, file."""
    rows = []
    for entry in registry.claims:
        c = entry.claim
        if verdict is not None and c.verdict != verdict:
            continue
        checked: bool | None = None
        if c.check and c.check.get("kind", "registry") == "registry" and "measure" in c.check:
            try:
                checked = bool(verify_claim(registry, entry)["holds"])
            except RegistryError:
                checked = False
        rows.append(
            {
                "id": c.id,
                "verdict": c.verdict,
                "why": c.why,
                "text": c.text,
                "source": c.source.title,
                "source_url": c.source.url,
                "date": c.source.date,
                "measures": entry.measures,
                "check": checked,
                "file": entry.file,
            }
        )
    return rows
