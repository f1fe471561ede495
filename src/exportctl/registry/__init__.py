"""Measures as data: schema, loader, the regime on a date, timelines, diffs, scenarios."""

from exportctl.registry.compile import ActiveEffect, Regime, compile_regime, resolve_known_on
from exportctl.registry.loader import ClaimEntry, Registry, load_measure_file, load_registry
from exportctl.registry.scenario import Scenario, apply_scenario, load_scenario
from exportctl.registry.schema import Action, Claim, Effect, Measure, Scope, Source

__all__ = [
    "Action",
    "ActiveEffect",
    "Claim",
    "ClaimEntry",
    "Effect",
    "Measure",
    "Regime",
    "Registry",
    "Scenario",
    "Scope",
    "Source",
    "apply_scenario",
    "compile_regime",
    "load_measure_file",
    "load_registry",
    "load_scenario",
    "resolve_known_on",
]
