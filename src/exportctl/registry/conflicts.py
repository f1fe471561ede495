"""Effects in conflict: two effects that must agree, in force together with different values.

One chapter 99 heading of one tariff program has one rate; one review policy applies per scope. Two such
effects conflict when they are active on a common day, their scopes meet, their values differ, their
`priority` is equal (a higher priority is the rule saying which wins) and no action of one measure acts
on the other. License requirements, listings and tariff increments without a heading accumulate and
never conflict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from exportctl.registry.history import EffectHistory, Histories
from exportctl.registry.schema import Effect


def find_conflicts(hist: Histories) -> list[tuple[EffectHistory, EffectHistory, dt.date]]:
    """Each conflicting pair of effects once, with the first day both apply."""
    related: set[frozenset[str]] = set()
    for m in hist.measures.values():
        for a in m.actions:
            related.add(frozenset({m.id, a.target.split("#")[0]}))
    groups: dict[tuple[Any, ...], list[EffectHistory]] = {}
    for h in hist.effects.values():
        key = _key(h.base)
        if key is not None and h.segments:
            groups.setdefault(key, []).append(h)
    found: list[tuple[EffectHistory, EffectHistory, dt.date]] = []
    for members in groups.values():
        for i, h1 in enumerate(members):
            for h2 in members[i + 1 :]:
                if h1.measure.id == h2.measure.id or frozenset({h1.measure.id, h2.measure.id}) in related:
                    continue
                day = _first_clash(h1, h2)
                if day is not None:
                    found.append((h1, h2, day))
    return found


def _first_clash(h1: EffectHistory, h2: EffectHistory) -> dt.date | None:
    for s1 in h1.segments:
        for s2 in h2.segments:
            if s1.state != "active" or s2.state != "active":
                continue
            lo, hi = max(s1.start, s2.start), min(s1.end or dt.date.max, s2.end or dt.date.max)
            if lo >= hi or s1.effect.priority != s2.effect.priority:
                continue
            if _value(s1.effect) != _value(s2.effect) and _same_scope(s1.effect, s2.effect):
                return lo
    return None


def _key(e: Effect) -> tuple[Any, ...] | None:
    """Effects that must agree when they overlap: one ch. 99 heading of one program has one rate; one
    review policy per scope. Requirements, listings and increments without a heading accumulate."""
    if e.kind == "tariff" and e.heading:
        return ("tariff", e.program, e.heading)
    if e.kind == "review_policy":
        return ("review_policy", e.control_reason)
    return None


AXES = (
    "origins",
    "eccns",
    "control_codes",
    "products",
    "destinations",
    "parties",
    "exporting",
    "party_lists",
)


def _meets(a: list[str], b: list[str], prefix: bool = False) -> bool:
    """Two scope axes overlap: either is unrestricted, or some values match (HTS by prefix)."""
    if not a or not b:
        return True
    if prefix:
        flat_a, flat_b = [x.replace(".", "") for x in a], [y.replace(".", "") for y in b]
        return any(x.startswith(y) or y.startswith(x) for x in flat_a for y in flat_b)
    return bool(set(a) & set(b))


def _same_scope(a: Effect, b: Effect) -> bool:
    sa, sb = a.scope, b.scope
    if not _meets(sa.hts, sb.hts, prefix=True) or not all(
        _meets(getattr(sa, x), getattr(sb, x)) for x in AXES
    ):
        return False
    if a.kind == "tariff":
        return True
    # a review policy conflicts only where both name the same things on some axis
    return any(getattr(sa, x) and getattr(sb, x) for x in AXES)


def _value(e: Effect) -> tuple[Any, ...]:
    return (e.rate_pct, e.verdict, e.review_policy, e.stacking)
