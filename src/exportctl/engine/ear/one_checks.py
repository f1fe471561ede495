"""One key's checks in plain Python: what engine.ear.checks.key_checks (common.checks.key_checks with the
EAR's chart checks and engine.coverage's family checks) gives for one key row."""

from __future__ import annotations

import polars as pl

from exportctl.engine.common.checks import SEVERITY
from exportctl.engine.common.memo import ByIdentity
from exportctl.engine.ear.one_prep import EffectLookups, TableLookups
from exportctl.engine.ear.one_rules import Row

__all__ = ["FamilyLookups", "family_lookups", "frame_families", "key_checks_one"]

FamilyLookups = tuple[dict[int, list[Row]], list[tuple[int, bool]]]
_FAMILIES: ByIdentity[FamilyLookups] = ByIdentity(8)


def family_lookups(rows: list[Row]) -> FamilyLookups:
    """(the family rows per regime key, each family number with whether it is a party family on some
    regime): what common.checks.key_checks and coverage.check_columns read of the family frame."""
    by: dict[int, list[Row]] = {}
    party: dict[int, bool] = {}
    for r in rows:
        by.setdefault(r["rkey"], []).append(r)
        party[r["fi"]] = party.get(r["fi"], False) or bool(r["parties"])
    return by, sorted(party.items())


def frame_families(families: pl.DataFrame) -> FamilyLookups:
    """family_lookups of a family frame (coverage.family_frame), once per frame object."""
    return _FAMILIES.get_or_build(families, lambda: family_lookups(families.to_dicts()))


def _category(r: Row) -> str:
    """common.checks._category: which check a key-level reason belongs to."""
    if r["code"] == "coverage":
        return "coverage"
    if r["step"] == "GP6":
        return "embargo"
    if r["step"] == "GP5":
        return "end_use"
    if r["measure"] is not None or r["step"] == "POLICY":
        return "measures"
    if r["step"] in ("GP1", "DATA"):
        return "country_chart"
    return "measures"


def _label(r: Row) -> str | None:
    """common.checks._label."""
    label: str | None = r["column"] if r["column"] is not None else r["code"]
    if r["measure"] is not None and r["step"] is not None and r["step"] != "GP5":
        label = r["measure"]
    return label


def _summaries(reasons: list[Row]) -> dict[str, str] | None:
    """common.checks.reason_summary for one key: {category: 'license required (NS2, RS2)'}; None where
    the plan's text would be null or pick between effects arbitrarily."""
    by: dict[str, list[tuple[str, int, str | None]]] = {}
    for r in reasons:
        if r["effect"] is not None:
            by.setdefault(_category(r), []).append((r["effect"], SEVERITY.get(r["effect"], 0), _label(r)))
    out: dict[str, str] = {}
    for cat, rows in by.items():
        top = max(s for _, s, _ in rows)
        tops = [(e, lab) for e, s, lab in rows if s == top]
        effects = {e for e, _ in tops}
        labels = sorted({lab for _, lab in tops if lab is not None})
        if len(effects) > 1 or not labels:
            return None
        eff = effects.pop()
        eff = ("information only" if eff == "info" else eff).replace("_", " ")
        out[cat] = f"{eff} ({', '.join(labels)})"
    return out


def _check(step: str, what: str | None, result: str | None) -> Row:
    return {"step": step, "what": what, "result": result}


def key_checks_one(
    k: Row,
    reasons: list[Row],
    eff: EffectLookups,
    look: TableLookups,
    families: list[Row],
    steps: list[tuple[int, bool]],
) -> Row | None:
    """The key checks row (kid, coverage checks, c_country_chart, c_embargo, c_end_use, c_measures)."""
    s = _summaries(reasons)
    if s is None:
        return None
    rkey, as_of, dest, end_use = k["rkey"], k["as_of"], k["destination"], k["end_use"]
    out: Row = {"kid": k["kid"]}
    if steps:
        mine = {f["fi"]: f for f in families}
        for i, party in steps:
            step = "coverage" if i == 0 else f"coverage.{i}"
            f = mine.get(i)
            what = None if f is None else f["f_what"]
            if party:
                out[f"p_{step}"] = None if f is None else _check("coverage", what, f["f_result"])
                out[f"n_{step}"] = None if f is None else _check("coverage", what, f["f_unasked"])
            else:
                out[f"c_{step}"] = None if f is None else _check("coverage", what, f["f_result"])
    else:
        default = "covered" if k["covered"] else "hold"
        out["c_coverage"] = _check("coverage", f"registry coverage of {as_of}", s.get("coverage", default))
    what, default = _chart_what(k, look)
    out["c_country_chart"] = _check("country_chart", what, s.get("country_chart", default))
    out["c_embargo"] = _check(
        "embargo",
        f"Part 746 embargoes and Country Chart footnotes for {dest if dest is not None else '?'}",
        s.get("embargo", "none applies"),
    )
    rules = eff.eu_rules.get(rkey)
    stated = f" (end use stated: {end_use})" if end_use is not None else " (no end use stated)"
    d_eu = "none triggered: no end use stated" if end_use is None else "none applies to this end use"
    out["c_end_use"] = _check(
        "end_use",
        f"end-use rules in force: {rules if rules is not None else 'none'}{stated}",
        s.get("end_use", d_eu),
    )
    n = eff.n_measures.get(rkey, 0)
    out["c_measures"] = _check(
        "measures",
        f"{n} measures in force on {as_of} evaluated for the item to {dest if dest is not None else '?'}",
        s.get("measures", "none applies"),
    )
    return out


def _chart_what(k: Row, look: TableLookups) -> tuple[str, str]:
    """checks._chart_what: what the Country Chart check consulted and its default result."""
    base, para, row_iso, pointer = k["eccn_base"], k["eccn_para"], k["row_iso"], k["pointer"]
    if base is None:
        default = "not consulted"
    elif pointer is not None:
        default = "no marks: the destination is embargoed (see the embargo check)"
    else:
        default = "no license required by the chart"
    item = base + (f".{para}" if para is not None else "") if base is not None else ""
    if base is None:
        return "no ECCN given: the item is judged by the measures that name it", default
    if base == "EAR99":
        return "EAR99 is not on the Commerce Control List: no Country Chart column applies", default
    if row_iso is None:
        return f"{item} against the Country Chart: no row for {k['destination']}", default
    labels, cols, text_rules = look.labels.get(base, (None, None, None))
    marked = ", ".join(sorted(set(cols) & set(k["marks"]))) if cols is not None else ""
    what = (
        f"{item} reasons {labels if labels is not None else '(none listed)'} against {row_iso}'s Country "
        f"Chart row: {'X in ' + marked if marked else 'no X'}"
        + ("; rows without a column apply by the destinations their section names" if text_rules else "")
        + (" (the row points to Part 746)" if pointer is not None else "")
    )
    return what, default
