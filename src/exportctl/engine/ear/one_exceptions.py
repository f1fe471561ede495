"""The licence exceptions considered for one key (Part 740), in plain Python: what
`exceptions.considered` and `checks.exception_checks` give for one row of their inputs, with polars'
three-valued logic where a flag is null (a condition that is null falls through a when/then chain, and
`fill_null(False)` reads it as false).

The texts are the ones exceptions.py writes; tests/engine/ear/test_one_exceptions.py compares every
combination of the flags, with requirements, measures' exclusions, limits and LVS outcomes, against the
columnar expressions, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from exportctl.engine.ear import exceptions as le
from exportctl.engine.ear.one_rules import cat, kand
from exportctl.registry.rules import EarRules, ear_rules

__all__ = ["Kleene", "considered_one", "exception_check", "kor"]

Kleene = bool | None


def kor(*xs: Kleene) -> Kleene:
    """Polars' `|` on booleans with nulls (Kleene): true wins, then null."""
    if any(x is True for x in xs):
        return True
    return None if any(x is None for x in xs) else False


def _not(x: Kleene) -> Kleene:
    return None if x is None else not x


def _when(*chain: tuple[Kleene, str | None], otherwise: str | None = None) -> str | None:
    """pl.when(...).then(...) ... .otherwise(...): the first branch whose condition is true."""
    for condition, text in chain:
        if condition is True:
            return text
    return otherwise


class _Key:
    """The facts of one (key, LVS outcome) the exception steps test (exceptions._Row)."""

    def __init__(self, flags: Mapping[str, Kleene], reasons: Sequence[str], rules: EarRules) -> None:
        self.f = flags
        self.reasons = set(reasons)
        self.has_mt = "MT" in self.reasons
        self.part746 = bool(self.reasons & set(rules.own_exception_codes.codes))
        self.russia = "RS-RU" in self.reasons
        f = flags
        self.restricted = kor(f["x_e"], kand(f["x_md5"], kor(f["x_adv"], f["x_sme"], f["x_600"])))
        self.why_restricted = _when(
            (f["x_e"], "not available to embargoed or E:1/E:2 destinations (§740.2; Part 746)"),
            (
                kand(f["x_md5"], f["x_600"]),
                "600-series and 9x515 items to D:5: no license exceptions (§740.2)",
            ),
            (
                kand(f["x_md5"], kor(f["x_adv"], f["x_sme"])),
                "advanced-computing/SME items to Macau or D:5: only the exceptions of §740.2(a)(9)",
            ),
        )

    def only(self, allowed: Sequence[str]) -> bool:
        """Every requirement to overcome is one of `allowed`."""
        return not (self.reasons - set(allowed))


def _lvs(k: _Key, value: float | None, limit: float | None) -> tuple[Kleene, str | None]:
    f = k.f
    above = None if value is None or limit is None else value > limit
    ok = kand(
        limit is not None,
        value is not None,
        _not(above),
        f["x_b"],
        _not(k.restricted),
        not k.has_mt,
        _not(f["x_lvs_d3"]),
        not k.part746,
    )
    text = None if limit is None else str(int(limit))
    why = _when(
        (limit is None, "the ECCN lists no LVS value limit (N/A)"),
        (k.restricted, k.why_restricted),
        (_not(f["x_b"]), "destination not in Country Group B"),
        (f["x_lvs_d3"], "the ECCN's LVS excludes destinations also in D:3"),
        (k.has_mt, "LVS is not available for MT reasons"),
        (k.part746, "Part 746 (§746.8(c) Russia/Belarus, §746.6 Crimea/covered regions) does not name LVS"),
        (value is None, cat("limit $", text, ": no value given")),
        (above, cat("value above the ECCN's LVS limit of $", text)),
        otherwise=cat("value within the ECCN's LVS limit of $", text, " to a Group B destination"),
    )
    return ok, why


def _gbs(k: _Key) -> tuple[Kleene, str | None]:
    f = k.f
    ns = k.only(["NS"])
    ok = kand(f["x_gbs"], ns, f["x_b"], _not(k.restricted))
    why = _when(
        (_not(f["x_gbs"]), "the ECCN does not list GBS as available"),
        (k.restricted, k.why_restricted),
        (not ns, "GBS overcomes only a requirement for NS reasons alone"),
        (_not(f["x_b"]), "destination not in Country Group B"),
        otherwise="NS-only requirement to a Group B destination; the ECCN lists GBS",
    )
    return ok, why


_RUSSIA_ENC = (
    "§746.8(c): ENC (and CCD for consumer devices) to Russia/Belarus only for the end users it names (e.g. "
    "U.S. or A:5/A:6 companies' subsidiaries and joint ventures); the row does not say: a license is "
    "required unless the exporter establishes one"
)


def _enc(k: _Key) -> tuple[Kleene, str | None]:
    f = k.f
    ns_ei = k.only(["NS", "EI"])
    ok = kand(f["x_enc"], ns_ei, _not(f["x_e"]), _not(f["x_adv"]))
    why = _when(
        (_not(f["x_enc"]), "ENC covers Category 5 Part 2 items only"),
        (f["x_e"], "not available to E:1/E:2 destinations (§740.17)"),
        (f["x_adv"], ".z items take the advanced-computing restrictions (§740.2(a)(9)(ii))"),
        (k.russia, _RUSSIA_ENC),
        (not ns_ei, "requirements other than NS/EI remain"),
        otherwise="encryption item: ENC available subject to §740.17 classification/reporting",
    )
    return ok, why


def _aca(k: _Key, rules: EarRules) -> tuple[Kleene, str | None]:
    f = k.f
    exists = f["x_aca_exists"]
    adv_rs = kand(f["x_adv"], k.only(["RS"]), _not(f["x_hbm"]))
    ok = kand(adv_rs, exists, _not(f["x_md5"]), _not(f["x_e"]))
    why = _when(
        (_not(f["x_adv"]), "ACA covers advanced-computing items (3A090, 4A090, .z) only"),
        (_not(exists), f"ACA did not exist before {le.since(rules, 'ACA')}"),
        (
            f["x_md5"],
            "Macau/D:5 destinations or Macau/D:5-headquartered parties need NAC (notification), not ACA",
        ),
        (
            _not(adv_rs),
            f"{', '.join(rules.aca_excluded_items.scope.eccns)} or requirements other than RS remain",
        ),
        otherwise="advanced-computing RS requirement outside Macau/D:5: ACA available (§740.8)",
    )
    return ok, why


def _nac(k: _Key, rules: EarRules) -> str | None:
    f = k.f
    return _when(
        (_not(f["x_adv"]), "NAC covers advanced-computing items only"),
        (_not(f["x_aca_exists"]), f"NAC did not exist before {le.since(rules, 'NAC')}"),
        (_not(f["x_md5"]), "NAC is for Macau/D:5; see ACA"),
        otherwise="needs a prior NAC notification to BIS and its confirmation (§740.8); not assumed",
    )


def considered_one(
    flags: Mapping[str, Kleene],
    rreasons: str,
    ex_off: str | None,
    lvs_limit: float | None,
    value: float | None,
    sections: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """exceptions.considered for one row: `flags` by exceptions.FLAG_COLUMNS, the requirements to
    overcome ('NS,RS'), the exceptions measures make unavailable ('CIV'), the LVS limit and the value
    standing for the LVS outcome."""
    rules = ear_rules()
    secs = {**rules.sections(), **{c: s for c, s in (sections or {}).items() if c in le.EVALUATED}}
    k = _Key(flags, [r for r in rreasons.split(",") if r != ""], rules)
    off = set((ex_off or "").split(","))
    steps: list[tuple[str, Kleene, str | None]] = [
        ("LVS", *_lvs(k, value, lvs_limit)),
        ("GBS", *_gbs(k)),
        ("ENC", *_enc(k)),
        ("ACA", *_aca(k, rules)),
        ("NAC", False, _nac(k, rules)),
        ("TMP", False, "only for temporary exports (§740.9); the transaction does not say it is one"),
        ("RPL", False, "only for one-for-one replacement parts/servicing (§740.10); not stated"),
    ]
    return [
        {
            "code": code,
            "section": f"15 CFR {secs[code]}",
            "applies": ok is True and code not in off,
            "why": "made unavailable by a measure in force on this date" if code in off else why,
        }
        for code, ok, why in steps
    ]


def exception_check(exceptions: list[dict[str, Any]] | None) -> dict[str, str]:
    """checks.exception_checks for one row's exceptions considered (None: none considered)."""
    if not exceptions:
        return {
            "step": "license_exceptions",
            "what": "Part 740 license exceptions",
            "result": "not considered: no requirement an exception can overcome",
        }
    codes = ", ".join(e["code"] for e in exceptions)
    applies = ", ".join(e["code"] for e in exceptions if e["applies"])
    return {
        "step": "license_exceptions",
        "what": f"Part 740 exceptions considered: {codes}",
        "result": f"available: {applies}" if applies else "none applies",
    }
