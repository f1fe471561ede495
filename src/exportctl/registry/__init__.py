"""Measures as data: schema, loader, the regime on a date, timelines, diffs, scenarios, lint, claims."""

from exportctl.registry.claims import claim_rows, verify_claim
from exportctl.registry.compile import ActiveEffect, Regime, compile_regime, resolve_known_on
from exportctl.registry.diff import diff
from exportctl.registry.lint import Finding, lint
from exportctl.registry.loader import ClaimEntry, Registry, load_measure_file, load_registry
from exportctl.registry.scenario import Scenario, apply_scenario, load_scenario
from exportctl.registry.schema import Action, Claim, Effect, Measure, Scope, Source
from exportctl.registry.timeline import status_on, timeline

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
