"""What the fronts must not decide each their own way: the default date, the severity orders of
`--fail-on` (verdicts of a check, hits of a screening), and the words that close every answer.

One clock for every front: a check without a date is judged on today's date in UTC, in the CLI as in
the API (before, the CLI took the machine's local date and the API UTC's, so the two could differ by a day
around midnight). The severity order ranks verdicts for `--fail-on` and for summaries; a screening hit
ranks by what reviewers decided of it (`hit_level`). The CLI turns a failure into exit code 1, the API
into `"failed": true` beside the `fail_on` it was judged against (`fail_fields`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from exportctl.errors import InputError

__all__ = [
    "FAIL_ON",
    "NOT_LEGAL_ADVICE",
    "SCREEN_FAIL_ON",
    "SCREEN_FAIL_ON_DEFAULT",
    "SCREEN_SEVERITY",
    "SEVERITY",
    "VERDICT_ORDER",
    "answer_fail_fields",
    "check_fail_on",
    "check_screen_fail_on",
    "fail_fields",
    "fails",
    "hit_level",
    "screen_fails",
    "today",
]

NOT_LEGAL_ADVICE = "exportctl is not legal advice: check each answer against the cited instruments."

SEVERITY: dict[str, int] = {
    "no_license_required": 0,
    "license_exception_available": 1,
    "license_required": 2,
    "hold": 3,
    "prohibited": 4,
}
VERDICT_ORDER: tuple[str, ...] = tuple(sorted(SEVERITY, key=SEVERITY.__getitem__, reverse=True))
FAIL_ON: tuple[str, ...] = ("license_required", "hold", "prohibited")

# A screening hit, least to most severe: suppressed by a reviewer's current false-positive decision, an
# alert nobody has decided on (or whose decision expired), a match a reviewer confirmed.
SCREEN_SEVERITY: dict[str, int] = {"suppressed": 0, "hit": 1, "match": 2}
SCREEN_FAIL_ON: tuple[str, ...] = tuple(SCREEN_SEVERITY)
# `exportctl screen` exits 1 when anything hit that no false-positive decision suppresses (the contract)
SCREEN_FAIL_ON_DEFAULT = "hit"


def today() -> dt.date:
    """Today's date in UTC: the default `date` of a check in every front."""
    return dt.datetime.now(dt.UTC).date()


def _choice(fail_on: str | None, choices: tuple[str, ...]) -> str | None:
    if fail_on is not None and fail_on not in choices:
        # the choices once, as the suggestions (the CLI's line says "did you mean: ...")
        raise InputError(f"--fail-on takes no {fail_on!r}", field="fail_on", suggestions=choices)
    return fail_on


def check_fail_on(fail_on: str | None) -> str | None:
    """`fail_on` if it names a verdict one can fail on (or is None); else an InputError naming the field."""
    return _choice(fail_on, FAIL_ON)


def check_screen_fail_on(fail_on: str | None) -> str | None:
    """`fail_on` if it names a screening level (suppressed, hit, match) or is None; else an InputError."""
    return _choice(fail_on, SCREEN_FAIL_ON)


def fails(verdicts: Iterable[str], fail_on: str | None) -> bool:
    """Whether any verdict is at least as severe as `fail_on` (never, when `fail_on` is None)."""
    if check_fail_on(fail_on) is None:
        return False
    return any(SEVERITY.get(v, 0) >= SEVERITY[str(fail_on)] for v in verdicts)


def hit_level(hit: Mapping[str, Any]) -> str:
    """A screening hit's level: `suppressed`, `hit`, or `match` (a reviewer's current match decision)."""
    if hit.get("suppressed"):
        return "suppressed"
    review = hit.get("review") or {}
    if review.get("decision") == "match" and review.get("status") == "current":
        return "match"
    return "hit"


def screen_fails(hits: Iterable[Mapping[str, Any]], fail_on: str | None) -> bool:
    """Whether any hit is at least at `fail_on` (never, when `fail_on` is None)."""
    if check_screen_fail_on(fail_on) is None:
        return False
    return any(SCREEN_SEVERITY[hit_level(h)] >= SCREEN_SEVERITY[str(fail_on)] for h in hits)


def fail_fields(failed: bool, fail_on: str | None) -> dict[str, Any]:
    """The API's verdict on `fail_on`: {"fail_on", "failed"} when one was asked, else nothing."""
    return {} if fail_on is None else {"fail_on": fail_on, "failed": failed}


def answer_fail_fields(answer: Mapping[str, Any], fail_on: str | None) -> dict[str, Any]:
    """fail_fields of one determination: failed when its verdict is at least `fail_on`."""
    return fail_fields(fails([str(answer.get("verdict"))], fail_on), fail_on)
