"""Measures as data: schema, loader, the regime on a date, timelines, diffs, scenarios, lint, claims.

The names below are loaded on first use (PEP 562), so that importing one module of the registry (the
schema, the loader) does not import them all: a one-row check never needs lint, diff or timelines.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exportctl.registry.claims import claim_rows, verify_claim
    from exportctl.registry.compile import ActiveEffect, Regime, compile_regime, resolve_known_on
    from exportctl.registry.diff import diff
    from exportctl.registry.lint import Finding, lint
    from exportctl.registry.loader import ClaimEntry, Registry, load_measure_file, load_registry
    from exportctl.registry.scenario import Scenario, apply_scenario, load_scenario
    from exportctl.registry.schema import Action, Claim, Effect, Measure, Scope, Source
    from exportctl.registry.timeline import status_on, timeline

# public name -> the module that defines it
_LAZY = {
    "claim_rows": "claims",
    "verify_claim": "claims",
    "ActiveEffect": "compile",
    "Regime": "compile",
    "compile_regime": "compile",
    "resolve_known_on": "compile",
    "diff": "diff",
    "Finding": "lint",
    "lint": "lint",
    "ClaimEntry": "loader",
    "Registry": "loader",
    "load_measure_file": "loader",
    "load_registry": "loader",
    "Scenario": "scenario",
    "apply_scenario": "scenario",
    "load_scenario": "scenario",
    "Action": "schema",
    "Claim": "schema",
    "Effect": "schema",
    "Measure": "schema",
    "Scope": "schema",
    "Source": "schema",
    "status_on": "timeline",
    "timeline": "timeline",
}

__all__ = [
    "Action",
    "ActiveEffect",
    "Claim",
    "ClaimEntry",
    "Effect",
    "Finding",
    "Measure",
    "Regime",
    "Registry",
    "Scenario",
    "Scope",
    "Source",
    "apply_scenario",
    "claim_rows",
    "compile_regime",
    "diff",
    "lint",
    "load_measure_file",
    "load_registry",
    "load_scenario",
    "resolve_known_on",
    "status_on",
    "timeline",
    "verify_claim",
]


def __getattr__(name: str) -> Any:
    """Load a public name of the registry on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'exportctl.registry' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"exportctl.registry.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
