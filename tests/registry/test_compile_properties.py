"""Property tests: random measures acting on one effect; histories, compile and diff always agree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.registry import Measure, Registry, compile_regime
from exportctl.registry.compile import histories
from exportctl.registry.diff import diff

DAY0 = dt.date(2025, 1, 1)
CITE = [{"kind": "executive_order", "title": "EO", "url": "https://example.org/eo"}]
KINDS = ("suspend", "resume", "lift", "amend", "extend", "waive", "phase_out", "sunset")


def day(offset: int) -> dt.date:
    return DAY0 + dt.timedelta(days=offset)


def measure(mid: str, known: int, **over: Any) -> Measure:
    doc: dict[str, Any] = {
        "id": mid, "title": mid, "jurisdiction": "US-TARIFF", "authority": "President",
        "instrument": "executive_order", "known_on": day(known), "status": "in_force",
        "dates": {}, "citations": CITE,
    }  # fmt: skip
    doc.update(over)
    return Measure.model_validate(doc)


@st.composite
def action(draw: st.DrawFn, index: int) -> Measure:
    kind = draw(st.sampled_from(KINDS))
    start = draw(st.integers(0, 300))
    act: dict[str, Any] = {
        "id": "a",
        "action": kind,
        "target": draw(st.sampled_from(["base", "base#e"])),
        "effective": day(start),
    }
    if kind in ("suspend", "amend", "waive", "phase_out") and draw(st.booleans()):
        act["end"] = day(start + draw(st.integers(1, 200)))
    if kind == "extend":
        act["new_end"] = day(start + draw(st.integers(1, 300)))
        if index > 0 and draw(st.booleans()):
            act["target"] = f"m{index - 1}#a"  # may extend an earlier suspension, waiver or sunset
    if kind == "amend":
        act["changes"] = {"rate_pct": float(draw(st.integers(0, 150)))}
    if kind == "waive":
        act["scope"] = {"parties": draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=2))}
    if kind == "phase_out":
        offsets = sorted(set(draw(st.lists(st.integers(0, 200), min_size=1, max_size=3))))
        act["phases"] = [
            {"effective": day(start + o), "changes": {"rate_pct": float(50 - 10 * i)}}
            for i, o in enumerate(offsets)
        ]
    known = draw(st.integers(-10, 320))
    return measure(f"m{index}", known, actions=[act])


@st.composite
def registries(draw: st.DrawFn) -> Registry:
    end = draw(st.one_of(st.none(), st.integers(30, 400)))
    effect: dict[str, Any] = {
        "id": "e",
        "kind": "tariff",
        "effective": DAY0,
        "program": "section_301",
        "rate_pct": 10.0,
    }
    if end is not None:
        effect["end"] = day(end)
    ms = [measure("base", -20, effects=[effect])]
    ms += [draw(action(i)) for i in range(draw(st.integers(1, 6)))]
    order = draw(st.permutations(ms))
    return Registry({m.id: m for m in order}, {}, [])


def states(reg: Registry, on: dt.date, known_on: dt.date | None = None) -> str | None:
    regime = compile_regime(reg, on, known_on=known_on)
    if regime.effects():
        return "active"
    return "suspended" if regime.suspended() else None


@settings(max_examples=150, deadline=None)
@given(registries())
def test_segments_are_ordered_and_contiguous(reg: Registry) -> None:
    h = histories(reg, None).effects["base#e"]
    for seg in h.segments:
        assert seg.end is None or seg.start < seg.end
    for a, b in zip(h.segments, h.segments[1:], strict=False):
        assert a.end == b.start
        assert (a.state, a.effect, a.waived_parties, a.provenance) != (
            b.state,
            b.effect,
            b.waived_parties,
            b.provenance,
        )
    if h.segments:
        assert h.segments[0].start == DAY0
        assert h.segments[0].provenance[0] == "base"


@settings(max_examples=150, deadline=None)
@given(registries())
def test_diff_agrees_with_compile(reg: Registry) -> None:
    expected = {
        "entered_into_force": (None, "active"),
        "suspended": ("active", "suspended"),
        "resumed": ("suspended", "active"),
        "amended": ("active", "active"),
    }
    for row in diff(reg, day(-1), day(800)):
        before, after = states(reg, row["date"] - dt.timedelta(days=1)), states(reg, row["date"])
        if row["change"] == "ended":
            assert before is not None and after is None
        else:
            assert (before, after) == expected[row["change"]]


@settings(max_examples=100, deadline=None)
@given(registries(), st.integers(-5, 330))
def test_known_on_only_hides_what_was_not_public(reg: Registry, known: int) -> None:
    cut = day(known)
    visible = {k: m for k, m in reg.measures.items() if m.known_on <= cut}
    # an act aimed at something not yet public acts on nothing: leave it out of the small registry
    # (to a fixed point: leaving one out can leave out an act aimed at it in turn)
    while True:
        kept = {k: m for k, m in visible.items() if all(a.target.split("#")[0] in visible for a in m.actions)}
        if len(kept) == len(visible):
            break
        visible = kept
    # a registry holding only what was public on `cut` gives the same answers as `known_on=cut`
    small = Registry(visible, {}, [])
    for offset in range(-1, 500, 37):
        on = day(offset)
        a = compile_regime(reg, on, known_on=cut)
        b = compile_regime(small, on, known_on=cut)
        assert [(x.ref, x.effect, x.waived_parties, x.provenance) for x in a.effects()] == [
            (x.ref, x.effect, x.waived_parties, x.provenance) for x in b.effects()
        ]
        assert [x.ref for x in a.suspended()] == [x.ref for x in b.suspended()]
