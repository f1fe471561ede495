"""The life of every effect as segments of constant state, resolved from the measures that act on it.

Built once per (known_on, scenario) and cached on the Registry; the regime on any date is then a lookup
(see compile.py for the semantics this implements).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from exportctl.errors import RegistryError
from exportctl.registry.schema import EFFECT, Action, Effect, EffectBase, Measure

INSTANT = ("lift", "extend", "sunset", "resume")  # act once, on their date
DURABLE = ("suspend", "amend", "waive", "phase_out")  # hold over a window
# fields an amend/phase may change: the values of an effect, not its identity or its dates
AMENDABLE = frozenset(EffectBase.model_fields) - {"id", "kind", "effective", "end", "scope", "citations"}
INACTIVE_STATUSES = ("proposed", "threatened")

State = Literal["active", "suspended"]


@dataclass(frozen=True)
class Segment:
    """An interval [start, end) in which an effect keeps one state and one form."""

    start: dt.date
    end: dt.date | None
    state: State
    effect: Effect
    provenance: tuple[str, ...]
    waived_parties: tuple[str, ...]
    causes: tuple[str, ...]  # what produced the change into this segment (measure or measure#action)

    def contains(self, day: dt.date) -> bool:
        """True when `day` lies in [start, end)."""
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class EffectHistory:
    """All the segments of one effect, in order, and what ended the last one."""

    measure: Measure
    base: Effect
    segments: tuple[Segment, ...]
    end_causes: tuple[str, ...]

    @property
    def ref(self) -> str:
        """'measure-id#effect-id'."""
        return f"{self.measure.id}#{self.base.id}"

    def at(self, day: dt.date) -> Segment | None:
        """The segment holding `day`, if any."""
        for seg in self.segments:
            if seg.contains(day):
                return seg
        return None


@dataclass(frozen=True)
class Window:
    """An action of a measure with its resolved window [start, end) and its reference."""

    measure: Measure
    action: Action
    start: dt.date
    end: dt.date | None
    causes: tuple[str, ...] = ()  # the actions that moved its date or end (extend, lift, resume)

    @property
    def ref(self) -> str:
        """'measure-id#action-id'."""
        return f"{self.measure.id}#{self.action.id}"

    def contains(self, day: dt.date) -> bool:
        """True when `day` lies in [start, end)."""
        return self.start <= day and (self.end is None or day < self.end)


@dataclass
class Histories:
    """Everything compile, timeline and diff need for one (known_on, scenario)."""

    measures: dict[str, Measure]  # applicable: visible and not merely proposed/threatened
    visible: dict[str, Measure]  # known by known_on, including proposals
    effects: dict[str, EffectHistory]  # by 'measure#effect'
    windows: dict[str, Window]  # applicable actions, by 'measure#action'
    by_measure: dict[str, list[str]] = field(default_factory=dict)  # measure id -> effect refs


def action_known_on(measure: Measure, action: Action) -> dt.date:
    """When an action became public: its own date, else its measure's."""
    return action.known_on or measure.known_on


def build(
    measures: Mapping[str, Measure], known_on: dt.date | None, removed: frozenset[str] = frozenset()
) -> Histories:
    """Resolve every applicable effect's segments as known on `known_on` (None: everything).

    Actions aimed at a measure in `removed` (taken away by a scenario) act on nothing.
    """
    visible = {k: m for k, m in sorted(measures.items()) if known_on is None or m.known_on <= known_on}
    applicable = {k: m for k, m in visible.items() if m.status not in INACTIVE_STATUSES}
    # every action that applies, indexed by what it targets
    on: dict[str, list[tuple[Measure, Action]]] = defaultdict(list)
    for m in applicable.values():
        for a in m.actions:
            if known_on is not None and action_known_on(m, a) > known_on:
                continue
            if a.target.partition("#")[0] in removed:
                continue
            check_target(measures, m, a)
            on[a.target].append((m, a))
    windows: dict[str, Window] = {}
    for m in applicable.values():
        for a in m.actions:
            if known_on is None or action_known_on(m, a) <= known_on:
                w = _window(m, a, _acting_on(on, m.id, a.id))
                windows[w.ref] = w
    effects: dict[str, EffectHistory] = {}
    by_measure: dict[str, list[str]] = {}
    for m in applicable.values():
        refs = []
        for e in m.effects:
            h = _history(m, e, _acting_on(on, m.id, e.id), windows)
            effects[h.ref] = h
            refs.append(h.ref)
        by_measure[m.id] = refs
    return Histories(applicable, visible, effects, windows, by_measure)


def check_target(measures: Mapping[str, Measure], m: Measure, a: Action) -> None:
    """Raise RegistryError when an action's target names no measure, effect or action."""
    target_id, _, frag = a.target.partition("#")
    target = measures.get(target_id)
    where = f"{m.id}#{a.id}"
    if target is None:
        raise RegistryError(f"{where} acts on {a.target!r}, which is not a measure", field="target")
    if a.target == where:
        raise RegistryError(f"{where} acts on itself", field="target")
    if frag and frag not in {x.id for x in target.effects} | {x.id for x in target.actions}:
        raise RegistryError(
            f"{where} acts on {a.target!r}: {target_id} has no effect or action {frag!r}",
            field="target",
            suggestions=[x.id for x in target.effects] + [x.id for x in target.actions],
        )


def _acting_on(
    on: Mapping[str, list[tuple[Measure, Action]]], mid: str, item: str
) -> list[tuple[Measure, Action]]:
    found = on.get(mid, []) + on.get(f"{mid}#{item}", [])
    return sorted(found, key=lambda ma: (ma[1].effective, ma[0].id, ma[1].id))


def _end_of(
    start: dt.date,
    end: dt.date | None,
    own: str,
    acting: Iterable[tuple[Measure, Action]],
    windows: Mapping[str, Window],
) -> tuple[dt.date | None, tuple[str, ...]]:
    """An end date after sunsets (earliest wins), then extensions (the last decided wins), then lifts."""
    acting = list(acting)
    causes: tuple[str, ...] = (own,)
    for m, a in acting:
        if a.action == "sunset":
            ref = f"{m.id}#{a.id}"
            day = windows[ref].start if ref in windows else a.effective
            if end is None or day < end:
                end, causes = day, (ref, *(windows[ref].causes if ref in windows else ()))
    extends = [(m, a) for m, a in acting if a.action == "extend" and a.new_end is not None]
    if extends:
        m, a = extends[-1]
        end, causes = a.new_end, (f"{m.id}#{a.id}",)
    for m, a in acting:
        if a.action == "lift" and (end is None or a.effective < end):
            end, causes = max(a.effective, start), (f"{m.id}#{a.id}",)
        elif a.action == "lift" and a.effective == end:
            # the end is also recorded on the target: cite the lift that caused it
            causes = (*causes, f"{m.id}#{a.id}")
    return end, causes


def _window(m: Measure, a: Action, acting: list[tuple[Measure, Action]]) -> Window:
    """An action's window: its own end, its measure's end, moved by extend/sunset/lift/resume on it."""
    end = a.end
    if m.dates.end is not None and (end is None or m.dates.end < end):
        end = m.dates.end
    if a.action == "sunset":
        # extending a sunset moves its date
        ext = [(xm, x) for xm, x in acting if x.action == "extend" and x.new_end is not None]
        if ext and ext[-1][1].new_end is not None:
            xm, x = ext[-1]
            return Window(m, a, ext[-1][1].new_end or a.effective, None, (f"{xm.id}#{x.id}",))
        return Window(m, a, a.effective, None)
    if a.action == "extend":  # an extension holds until the end it sets
        return Window(m, a, a.effective, a.new_end)
    if a.action in INSTANT:
        return Window(m, a, a.effective, None)
    end, causes = _end_of(a.effective, end, m.id, acting, {})
    for rm, r in acting:
        if (
            r.action == "resume"
            and a.action == "suspend"
            and a.effective <= r.effective
            and (end is None or r.effective < end)
        ):
            end, causes = r.effective, (f"{rm.id}#{r.id}",)
    return Window(m, a, a.effective, end, tuple(c for c in causes if c != m.id))


def _history(
    m: Measure, e: Effect, acting: list[tuple[Measure, Action]], windows: Mapping[str, Window]
) -> EffectHistory:
    own = m.id
    end = e.end
    if m.dates.end is not None and (end is None or m.dates.end < end):
        end = m.dates.end
    refs = [f"{am.id}#{a.id}" for am, a in acting]
    end, end_causes = _end_of(e.effective, end, own, acting, windows)
    start = e.effective
    if end is not None and end <= start:
        return EffectHistory(m, e, (), end_causes)
    durable = [windows[r] for r, (_, a) in zip(refs, acting, strict=True) if a.action in DURABLE]
    resumes = [(r, a.effective) for r, (_, a) in zip(refs, acting, strict=True) if a.action == "resume"]
    # a resume aimed at the suspended effect ends every suspension of it open on the resume's date
    suspensions: list[tuple[Window, dt.date | None, str | None]] = []
    for w in durable:
        if w.action.action == "suspend":
            s_end, cause = w.end, None
            for ref, day in resumes:
                if w.start <= day and (s_end is None or day < s_end):
                    s_end, cause = day, ref
            suspensions.append((w, s_end, cause))
    # amendments: plain amends and each phase of a phase-out, each holding over its window
    changes: list[tuple[dt.date, dt.date | None, str, dict[str, Any]]] = []
    for w in durable:
        if w.action.action == "amend":
            changes.append((w.start, w.end, w.ref, dict(w.action.changes)))
        elif w.action.action == "phase_out":
            for i, phase in enumerate(w.action.phases):
                if w.end is None or phase.effective < w.end:
                    changes.append((phase.effective, w.end, f"{w.ref}/{i + 1}", dict(phase.changes)))
    # on a shared field the later act wins: later effective, then later published, then reference
    published = {w.ref: action_known_on(w.measure, w.action) for w in durable}
    changes.sort(key=lambda c: (c[0], published[c[2].split("/")[0]], c[2]))
    waivers = [w for w in durable if w.action.action == "waive"]
    edges: dict[dt.date, set[str]] = defaultdict(set)
    edges[start].add(own)
    for w, s_end, cause in suspensions:
        edges[w.start].add(w.ref)
        if s_end is not None:
            edges[s_end].update([cause] if cause else [w.ref, *w.causes])
    for c_start, c_end, ref, _ in changes:
        edges[c_start].add(ref.split("/")[0])
        if c_end is not None:
            edges[c_end].add(ref.split("/")[0])
            edges[c_end].update(windows[ref.split("/")[0]].causes)
    for w in waivers:
        edges[w.start].add(w.ref)
        if w.end is not None:
            edges[w.end].update([w.ref, *w.causes])
    days = sorted(d for d in edges if d >= start and (end is None or d < end))
    extended = tuple(
        r
        for r, (_, a) in zip(refs, acting, strict=True)
        if a.action in ("extend", "sunset") and r in end_causes
    )
    segments: list[Segment] = []
    cache: dict[tuple[Any, ...], Effect] = {}
    when = {f"{am.id}#{a.id}": a.effective for am, a in acting}
    for i, day in enumerate(days):
        seg_end = days[i + 1] if i + 1 < len(days) else end
        susp = [w.ref for w, s_end, _ in suspensions if w.start <= day and (s_end is None or day < s_end)]
        applied = [
            (ref, ch)
            for c_start, c_end, ref, ch in changes
            if c_start <= day and (c_end is None or day < c_end)
        ]
        waived = sorted({p for w in waivers if w.contains(day) for p in w.action.scope.parties})
        form = _amend(e, applied, m, cache)
        prov = [own, *dict.fromkeys(ref.split("/")[0] for ref, _ in applied)]
        prov += [w.ref for w in waivers if w.contains(day)] + list(extended)
        state: State = "suspended" if susp else "active"
        if susp:
            prov += susp
        prov += [
            r
            for r, d in resumes
            if d <= day and r not in prov and any(w.start <= d for w, _, cause in suspensions if cause == r)
        ]
        seg = Segment(
            day, seg_end, state, form, _chronological(prov, when), tuple(waived), tuple(sorted(edges[day]))
        )
        prev = segments[-1] if segments else None
        if prev and (prev.state, prev.effect, prev.waived_parties, prev.provenance) == (
            seg.state,
            seg.effect,
            seg.waived_parties,
            seg.provenance,
        ):
            segments[-1] = Segment(
                prev.start,
                seg_end,
                prev.state,
                prev.effect,
                prev.provenance,
                prev.waived_parties,
                prev.causes,
            )
        else:
            segments.append(seg)
    return EffectHistory(m, e, tuple(segments), end_causes)


def _chronological(prov: list[str], when: Mapping[str, dt.date]) -> tuple[str, ...]:
    """The effect's own measure first, then the acts that shaped it in the order they took effect."""
    own, rest = prov[0], list(dict.fromkeys(prov[1:]))
    rest.sort(key=lambda r: (when.get(r, dt.date.min), r))
    return (own, *rest)


def _amend(
    e: Effect, applied: list[tuple[str, dict[str, Any]]], m: Measure, cache: dict[tuple[Any, ...], Effect]
) -> Effect:
    if not applied:
        return e
    merged: dict[str, Any] = {}
    for _, ch in applied:
        merged.update(ch)
    key = tuple(sorted(merged.items(), key=lambda kv: kv[0]))
    if key in cache:
        return cache[key]
    bad = sorted(set(merged) - AMENDABLE)
    if bad:
        refs = ", ".join(r for r, _ in applied)
        raise RegistryError(
            f"{refs} changes {bad[0]!r} of {m.id}#{e.id}, which cannot be amended",
            field="changes",
            suggestions=sorted(AMENDABLE),
        )
    try:
        form = EFFECT.validate_python({**e.model_dump(), **merged})
    except ValidationError as err:
        refs = ", ".join(r for r, _ in applied)
        raise RegistryError(
            f"{refs} makes {m.id}#{e.id} invalid: {err.errors()[0]['msg']}", field="changes"
        ) from None
    cache[key] = form
    return form
