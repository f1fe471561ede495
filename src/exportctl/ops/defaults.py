"""What the fronts must not decide each their own way: the default date and the verdict severity order.

One clock for every front: a check without a date is judged on today's date in UTC, in the CLI as in
the API (before, the CLI took the machine's local date and the API UTC's, so the two could differ by a day
around midnight). The severity order ranks verdicts for `--fail-on` and for summaries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from exportctl.errors import InputError

__all__ = ["FAIL_ON", "SEVERITY", "VERDICT_ORDER", "check_fail_on", "fails", "today"]

SEVERITY: dict[str, int] = {
    "no_license_required": 0,
    "license_exception_available": 1,
    "license_required": 2,
    "hold": 3,
    "prohibited": 4,
}
VERDICT_ORDER: tuple[str, ...] = tuple(sorted(SEVERITY, key=SEVERITY.__getitem__, reverse=True))
FAIL_ON: tuple[str, ...] = ("license_required", "hold", "prohibited")


def today() -> dt.date:
    """Today's date in UTC: the default `date` of a check in every front."""
    return dt.datetime.now(dt.UTC).date()


def check_fail_on(fail_on: str | None) -> str | None:
    """`fail_on` if it names a verdict one can fail on (or is None); else an InputError naming the field."""
    if fail_on is not None and fail_on not in FAIL_ON:
        raise InputError(f"--fail-on takes one of {', '.join(FAIL_ON)}", field="fail_on", suggestions=FAIL_ON)
    return fail_on


def fails(verdicts: Iterable[str], fail_on: str | None) -> bool:
    """Whether any verdict is at least as severe as `fail_on` (never, when `fail_on` is None)."""
    if check_fail_on(fail_on) is None:
        return False
    return any(SEVERITY.get(v, 0) >= SEVERITY[str(fail_on)] for v in verdicts)
