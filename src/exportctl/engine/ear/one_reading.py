"""One row's party hits read on their date in plain Python: what engine.ear.parties.party_reasons (the shared
steps of engine.common.party_reasons with the EAR's reading of the US lists) and grouping.group_entries
give for the hits of one transaction, as `.rows(named=True)` gives the reason structs.

The expressions' three-valued logic is kept where a fact may be null (a list's rule without a verdict,
a null text part making the whole text null, as pl.concat_str does). None where the plan's answer would
depend on something this path does not settle (a null effect, two entries sorting equal).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from exportctl.engine.common.grouping import LIST_NAMES
from exportctl.engine.common.grouping import SEVERITY as GROUP_SEVERITY
from exportctl.engine.common.memo import ByIdentity
from exportctl.engine.ear.one_rules import Row, cat, meu_all_items, reason
from exportctl.engine.ear.parties import FDP_FOOTNOTES, LIST_TEXTS, us_list_reading
from exportctl.engine.parties import name_keys

__all__ = ["list_rule_rows", "party_reasons_one"]

_R_COLS = ("r_verdict", "r_policy", "r_citation", "r_measure", "r_reason", "r_text", "r_waived")
_M_COLS = ("m_verdict", "m_text", "m_citation", "m_policy", "m_reason", "m_measure")
_RULES: ByIdentity[dict[tuple[int, str], Row]] = ByIdentity(8)


def list_rule_rows(rules: pl.DataFrame | None) -> dict[tuple[int, str], Row]:
    """lists.list_rules' frame by (rkey, list), built once per frame."""
    if rules is None or rules.height == 0:
        return {}
    return _RULES.get_or_build(
        rules, lambda: {(r["rkey"], r["list"]): r for r in rules.iter_rows(named=True)}
    )


@functools.lru_cache(maxsize=4096)
def _score_text(score: float | None) -> str | None:
    """pl.col('match_score').round(2).cast(pl.Utf8) for one score (polars' rounding and formatting)."""
    text: str | None = pl.select(pl.lit(score, pl.Float64).round(2).cast(pl.Utf8)).item()
    return text


def _norm(name: str | None) -> str | None:
    """parties.normalize_names of one name."""
    return None if name is None else name_keys([name])[0]


_FDP = tuple((re.compile(pattern), note) for pattern, note in FDP_FOOTNOTES)


def _fdp(requirement: str | None) -> str:
    """parties.fdp_footnotes for one entry's licence requirement."""
    t = requirement or ""
    return "".join(note for pattern, note in _FDP if pattern.search(t))


def _facts(h: Row, builtins: Mapping[str, tuple[str, str, str, str]], exact_party: bool) -> Row:
    """common.party_reasons._facts for one hit (the Hit's values, rule parts as rule0..rule3)."""
    lst = h["list"]
    ruled = h["r_verdict"] is not None
    as_of, listed_from, listed_by = h["as_of"], h["listed_from"], h["listed_by"]
    not_yet = listed_from is not None and as_of < listed_from
    base = builtins.get(lst)
    rules: list[Any] = []
    for i in range(4):
        if ruled:
            rules.append(
                [
                    base[0] if base is not None else "PARTY",
                    h["r_reason"] if h["r_reason"] is not None else lst,
                    h["r_verdict"],
                    h["r_citation"],
                ][i]
            )
        else:
            rules.append(base[i] if base is not None else None)
    waivers = h["r_waived"] or []
    score = h["match_score"] if h["match_score"] is not None else 1.0
    who = cat(h["role"], " '", h["name"], "' matches '", h["listed_name"], "'")
    waived = bool(waivers) and (_norm(h["listed_name"]) in waivers or _norm(h["name"]) in waivers)
    return {
        "who": who,
        "not_yet": not_yet,
        "undated": (not not_yet) and listed_by is not None and as_of < listed_by,
        "measure_hit": lst.startswith("effect:"),
        "ruled": ruled,
        "waived": waived,
        "fuzzy": score < 1.0 and not exact_party,
        "weak": score < 1.0 and exact_party,
        "decided": h.get("suppressed_by") is not None,
        "rule": rules,
    }


def _meu_ear99(h: Row) -> bool:
    """parties._meu_ear99."""
    return (
        h["list"] == "MEU" and h["eccn_base"] == "EAR99" and not meu_all_items(h["destination"], h["as_of"])
    )


def _effect(h: Row, f: Row) -> str | None:
    """common.party_reasons._effect with the EAR's reading (§744.21 EAR99 to an MEU entry)."""
    binding = f["rule"][2] in ("prohibited", "license_required") if f["rule"][2] is not None else None
    if f["weak"] or f["waived"] or f["decided"]:
        return "info"
    if f["fuzzy"] and not f["not_yet"]:
        return "hold"
    if f["measure_hit"]:
        return h["m_verdict"] if h["m_verdict"] is not None else "license_required"
    if f["not_yet"]:
        return "info"
    if f["undated"] and binding:
        return "hold"
    if _meu_ear99(h):
        return "info"
    rule = f["rule"][2]
    return "info" if rule == "no_license_required" else rule


def _text(h: Row, f: Row) -> str | None:
    """common.party_reasons._text with the EAR's list texts and FDP footnotes."""
    who, lst = f["who"], h["list"]
    binding = f["rule"][2] in ("prohibited", "license_required") if f["rule"][2] is not None else None
    if f["decided"]:
        return cat(who, " on the ", lst, ": suppressed as a false positive by ", h["suppressed_by"])
    if f["waived"]:
        return cat(who, " on the ", lst, ": the listing is waived for this party on this date.")
    if f["fuzzy"] and not f["not_yet"]:
        score = _score_text(h["match_score"])
        return cat(
            who, " on the ", lst, " only as a possible match (score ", score, "): a person must review it."
        )
    if f["not_yet"]:
        return cat(
            who, " on the ", lst, ", but the entry applies only from ", _day(h["listed_from"]),
            ": not yet listed on the date asked (", h["listed_basis"] or "", ").",
        )  # fmt: skip
    if f["undated"] and binding:
        listed_from = _day(h["listed_from"])
        return cat(
            who, " on the ", lst, " (entry ", h["entity_id"] if h["entity_id"] is not None else "?",
            "): listed for sure only from ", _day(h["listed_by"]), ", not before ",
            listed_from if listed_from is not None else "a date the data does not give",
            " (", h["listed_basis"] or "", "); a person must check whether it applied on the date asked.",
        )  # fmt: skip
    if _meu_ear99(h):
        return cat(who, LIST_TEXTS["MEU-EAR99"])
    if lst in ("MEU", "UVL"):
        return cat(who, LIST_TEXTS[lst])
    if f["measure_hit"]:
        return cat(who, ": ", h["m_text"] or "")
    requirement = h["license_requirement"]
    return cat(who, ": ", requirement if requirement is not None else "listed", _fdp(requirement))


def _day(value: Any) -> str | None:
    """A date cast to text as polars casts it (ISO), null kept."""
    return None if value is None else value.isoformat()


def _policy(h: Row, f: Row) -> str | None:
    """common.party_reasons._policy with §744.21's presumption of denial for the MEU List."""
    policy: str | None = h["license_policy"]
    if f["measure_hit"]:
        policy = h["m_policy"]
    elif policy is None and f["ruled"]:
        policy = h["r_policy"]
    elif policy is None and h["list"] == "MEU":
        policy = "presumption of denial"
    return policy


def _citation(h: Row, f: Row) -> str | None:
    """common.party_reasons._citation."""
    if f["measure_hit"]:
        cited: str | None = h["m_citation"]
        return cited
    notice = h.get("federal_register_notice")
    return cat(f["rule"][3], "; " + notice if notice is not None else "")


def party_reasons_one(hits: Sequence[Row], rules: Mapping[tuple[int, str], Row]) -> list[Row] | None:
    """The reasons engine.ear.parties.party_reasons gives the hits of one row (their `reason` structs),
    after group_entries; None where the plan's answer is not settled here."""
    if not hits:
        return []
    reading = us_list_reading()
    builtins = reading.builtins
    rows: list[Row] = []
    for hit in hits:
        h = {c: None for c in (*_M_COLS, "listed_from", "listed_by", "listed_basis")} | dict(hit)
        rule = rules.get((h["rkey"], h["list"]))
        h.update({c: (rule[c] if rule is not None else None) for c in _R_COLS})
        if h["list"] in builtins or h["list"].startswith("effect:") or h["r_verdict"] is not None:
            rows.append(h)
    if not rows:
        return []
    exact_roles = {
        h["role"] for h in rows if (h["match_score"] if h["match_score"] is not None else 1.0) >= 1.0
    }
    facts = [_facts(h, builtins, h["role"] in exact_roles) for h in rows]
    effects = [_effect(h, f) for h, f in zip(rows, facts, strict=True)]
    if any(e is None for e in effects):
        return None
    definite = any(e in ("license_required", "prohibited") for e in effects)
    out: list[Row] = []
    for h, f, eff in zip(rows, facts, effects, strict=True):
        uncertain = (f["fuzzy"] and not f["not_yet"]) or (f["undated"] and not f["measure_hit"])
        rule2 = f["rule"][2]
        if eff == "hold" and uncertain and definite and rule2 is not None and rule2 != "prohibited":
            eff = "info"
        step = reading.measure_step if f["measure_hit"] else f["rule"][0]
        code = (h["m_reason"] if h["m_reason"] is not None else "PARTY") if f["measure_hit"] else f["rule"][1]
        measure = h["m_measure"] if f["measure_hit"] else h["r_measure"] if f["ruled"] else None
        r = reason(
            step=step,
            code=code,
            measure=measure,
            citation=_citation(h, f),
            effect=eff,
            review_policy=_policy(h, f),
            le_ok=False,
            conditional=h["list"] == "MEU" and h["eccn_base"] != "EAR99",
            text=_text(h, f),
        )
        out.append({"hit": h, "measure_hit": f["measure_hit"], "reason": r})
    return _grouped(out)


def _grouped(rs: list[Row]) -> list[Row] | None:
    """grouping.group_entries for one row's reasons (each with its hit and whether a measure names it)."""
    for r in rs:
        r["sev"] = GROUP_SEVERITY.get(r["reason"]["effect"], 0)
    firm: dict[tuple[Any, ...], int] = {}
    for r in rs:
        h = r["hit"]
        party = (h["role"], h["name"], h["list"])
        if not r["measure_hit"]:
            firm[party] = max(firm.get(party, r["sev"]), r["sev"])
    for r in rs:
        h = r["hit"]
        f = firm.get((h["role"], h["name"], h["list"]))
        info = r["reason"]["effect"] == "info" and not r["measure_hit"]
        r["group"] = (
            h["role"],
            h["name"],
            h["list"],
            f if info and f is not None and f > r["sev"] else r["sev"],
        )
    counts: dict[tuple[Any, ...], int] = {}
    for r in rs:
        counts[r["group"]] = counts.get(r["group"], 0) + 1
    single = [r["reason"] for r in rs if r["measure_hit"] or counts[r["group"]] <= 1]
    multi = [r for r in rs if not r["measure_hit"] and counts[r["group"]] > 1]
    if not multi:
        return single
    keys = [_lead_key(r) for r in multi]
    if len(set(zip((r["group"] for r in multi), keys, strict=True))) < len(keys):
        return None  # two entries of one party the plan's (unstable) sort cannot tell apart
    ordered = [r for _, r in sorted(zip(keys, multi, strict=True), key=lambda p: p[0])]
    groups: dict[tuple[Any, ...], list[Row]] = {}
    for r in ordered:
        groups.setdefault(r["group"], []).append(r)
    for members in groups.values():
        lead, h = members[0]["reason"], members[0]["hit"]
        n = len(members)
        listed = LIST_NAMES.get(h["list"], h["list"])
        other = " other entry" if n == 2 else " other entries"
        text = cat(listed, ": ", h["listed_name"], " and ", str(n - 1), other, " — ", lead["text"])
        entries = [
            {
                "list": m["hit"]["list"],
                "entity_id": m["hit"]["entity_id"],
                "name": m["hit"]["listed_name"],
                "score": m["hit"]["match_score"] if m["hit"]["match_score"] is not None else 1.0,
                "notice": m["hit"].get("federal_register_notice"),
            }
            for m in members
        ]
        single.append({**lead, "text": text, "entries": entries})
    return single


def _lead_key(r: Row) -> tuple[Any, ...]:
    """group_entries' order of a party's entries: the firmest effect, the best score, the entry named as
    the party is, the shortest listed name, the entity id (nulls last)."""
    h = r["hit"]
    score = h["match_score"] if h["match_score"] is not None else 1.0
    listed, name = h["listed_name"], h["name"]
    exact = None if listed is None or name is None else _norm(listed) == _norm(name)
    eid = h["entity_id"]
    return (
        -r["sev"],
        -score,
        2 if exact is None else 0 if exact else 1,
        (1, 0) if listed is None else (0, len(listed)),
        (1, "") if eid is None else (0, eid),
    )
