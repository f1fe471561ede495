"""Reasons for control read as data: each CCL control row becomes (scope within the ECCN, destination test).

A row names a Country Chart column ("NS Column 2") or states its own destination scope ("To or within
Macau or a destination specified in Country Group D:5 ..."). Both become one `dest_rule` the engine
joins against: `col:NS2`, a worded rule of the rules file (`ccl_destination_words`: `macau_d5`,
`cn_ru_ve`, `un`, `worldwide` ...), or `see_text` (fail closed: treated as applying everywhere, flagged
conditional, because the row sends the reader elsewhere in the EAR).
"""

from __future__ import annotations

import re

import polars as pl

from exportctl.registry.rules import ear_rules

REASON_SECTION = {
    "NS": "742.4",
    "MT": "742.5",
    "NP": "742.3",
    "CB": "742.2",
    "RS": "742.6",
    "FC": "742.17",
    "CC": "742.7",
    "AT": "742.8",
    "EI": "742.15",
    "SL": "742.13",
    "SI": "742.14",
    "CW": "742.18",
    "UN": "746.1(b)",
}

_COLUMN = re.compile(r"\b(NS|MT|NP|CB|RS|FC|CC|AT)\s+Column\s+(\d)", re.I)
_SECTION = re.compile(r"§+\s*(7\d\d\.\d+(?:\([a-z0-9]+\))*)")
_ECCN_PARA = re.compile(r"\b(\d[A-E]\d{3})((?:\.[a-z0-9]+)+)?")
_BARE_PARA = re.compile(r"(?:^|[\s,(])\.?([a-z](?:\.\d+(?:\.[a-z](?:\.\d+)?)?)?)(?=$|[\s,;.)])")


def dest_rule(chart_text: str, control: str) -> tuple[str, str | None]:
    """The destination test of one control row and the EAR section it cites."""
    text = f"{chart_text} {control}"
    low = text.lower()
    section_match = _SECTION.search(text)
    section = section_match.group(1) if section_match else None
    col = _COLUMN.search(chart_text) or _COLUMN.search(control)
    if col and "column" in chart_text.lower():
        return f"col:{col.group(1).upper()}{col.group(2)}", section
    for rid, rule in ear_rules().ccl_destination_words.items():  # data: rows naming destinations in words
        if rule.named(low):
            return rid, section or rule.section
    bare = re.match(r"\s*Column\s+(\d)", chart_text)
    reason = re.match(r"\s*(NS|MT|NP|CB|RS|FC|CC|AT)\b", control)
    if bare and reason:  # "Column 1." with the reason only in the control text
        return f"col:{reason.group(1)}{bare.group(1)}", section
    return "see_text", section


def _expand(token: str) -> list[str]:
    """'a.1 to a.3' -> a.1, a.2, a.3; 'k to n' -> k, l, m, n; anything else unchanged."""
    parts = re.split(r"\s+(?:to|through)\s+|\s*[–-]\s*", token)
    if len(parts) != 2:
        return [token]
    lo, hi = parts[0].strip(), parts[1].strip()
    if re.fullmatch(r"[a-z]", lo) and re.fullmatch(r"[a-z]", hi) and lo <= hi:
        return [chr(c) for c in range(ord(lo), ord(hi) + 1)]
    m1, m2 = re.fullmatch(r"(.*\.)(\d+)", lo), re.fullmatch(r"(?:(.*\.))?(\d+)", hi)
    if m1 and m2 and (m2.group(1) in (None, m1.group(1))) and int(m1.group(2)) <= int(m2.group(2)):
        return [f"{m1.group(1)}{i}" for i in range(int(m1.group(2)), int(m2.group(2)) + 1)]
    return [lo, hi]


def paragraph_scope(eccn: str, control: str) -> tuple[str, list[str]]:
    """What part of the ECCN a row covers: ('entire'|'except'|'listed'|'described', paragraphs)."""
    text = control.split(" applies", 1)[1] if " applies" in control else control
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    low = text.lower()
    if "entire entry" in low:
        if "except" not in low:
            return "entire", []
        return "except", _paras(eccn, low.split("except", 1)[1])
    # rows about software/technology "for items controlled by <other ECCNs>" describe, not list, paragraphs
    if re.search(r'"(software|technology)"|\bfor (items|commodities|equipment)\b', low) and not re.search(
        rf"\b{eccn.lower()}\.", low
    ):
        return "described", []
    paras = _paras(eccn, low)
    return ("listed", paras) if paras else ("described", [])


def _paras(eccn: str, text: str) -> list[str]:
    out: list[str] = []
    own = eccn.lower()
    chunks = re.split(r",|;|\band\b|\bor\b", text)
    for raw in chunks:
        chunk = raw.strip().rstrip(".")
        if not chunk:
            continue
        m = _ECCN_PARA.search(chunk.upper())
        if m and m.group(1).lower() != own:
            continue  # a paragraph of another ECCN: not a scope of this one
        chunk = re.sub(rf"^.*?{own}\.", "", chunk) if own in chunk else chunk
        chunk = re.sub(r"^(paragraphs?|items controlled by|items in)\s+", "", chunk).strip().lstrip(".")
        for piece in _expand(chunk):
            piece = piece.strip().lstrip(".").replace(" ", "")
            if re.fullmatch(r"[a-z](?:\.[0-9a-z]{1,3})*", piece):
                out.append(piece)
    return sorted(set(out))


def interpret_rows(rows: pl.DataFrame) -> pl.DataFrame:
    """Control rows (`eccn`, `control`, `chart_text`) -> reason, dest_rule, section, paragraph scope."""
    out: list[dict[str, object]] = []
    for eccn, control, chart_text in rows.select("eccn", "control", "chart_text").iter_rows():
        control = control or ""
        chart_text = chart_text or ""
        reason_match = re.match(r"\s*([A-Z]{2})\b", control)
        reason = reason_match.group(1) if reason_match else ("RS" if "Russian" in control else "??")
        if "Russian industry sector" in control:
            reason = "RS-746.5"
        rule, section = dest_rule(chart_text, control)
        scope_kind, paras = paragraph_scope(eccn, control)
        col_rs = rule.removeprefix("col:")
        out.append(
            {
                "eccn": eccn,
                "reason": reason,
                "dest_rule": rule,
                "column": col_rs if rule.startswith("col:") else None,
                "section": section or REASON_SECTION.get(reason, "738 Supp. 1"),
                "scope_kind": scope_kind,
                "paras": paras,
                "control": control,
                "chart_text": chart_text,
            }
        )
    schema: dict[str, pl.DataType | type[pl.DataType]] = {
        "eccn": pl.Utf8,
        "reason": pl.Utf8,
        "dest_rule": pl.Utf8,
        "column": pl.Utf8,
        "section": pl.Utf8,
        "scope_kind": pl.Utf8,
        "paras": pl.List(pl.Utf8),
        "control": pl.Utf8,
        "chart_text": pl.Utf8,
    }
    return pl.DataFrame(out, schema=schema).with_row_index("row_id")


def para_applies(scope_kind: str, paras: list[str], para: str | None) -> str:
    """Does a row cover the item's paragraph? 'yes', 'no' or 'conditional' (bare ECCN, described scope)."""
    if scope_kind == "entire":
        return "yes"
    if scope_kind == "described":
        return "conditional"
    if not para:
        return "conditional"
    hit = any(para == p or para.startswith(p + ".") for p in paras)
    wider = any(p.startswith(para + ".") for p in paras)  # item given as 'z', row lists 'z.1.a'
    if scope_kind == "except":
        return "no" if hit else ("conditional" if wider else "yes")
    return "yes" if hit else ("conditional" if wider else "no")
