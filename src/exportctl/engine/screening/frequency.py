"""Common names in a partial match: a listed person met only in part, through names many people bear (#12).

A clean party whose name shares two common name words with a listed person's longer name ("Mohammad Ali"
in "Mohammad Ali Hosseini Nejad") is one of thousands who would: the match rests on how common the words
are, not on the listed person. Such a hit takes a factor (evidence.yml `common_name.partial_factor`) when

- the listed entry is a person and the query is not an organisation's name (no legal form or generic word,
  not typed entity, vessel or aircraft): companies keep their scores;
- the match is partial: a name word of the listed name is left unaligned (an exact reading of the whole
  listed name is the homonym rule's, homonym.py, and keeps its score; a near spelling of a whole name is
  left to the scorer: it is as often the same name written another way);
- every query name word that met a listed word is a ranked given or family name (names-dataset's ranks,
  `surname.surname_rank`, on the query's or the listed word) and the people expected to bear them all,
  with the Zipf law of homonym.py, reach `common_name.partial_bearers`: a rare word (Putin) anywhere in
  the aligned words, or three rarer names together, is evidence and keeps the score.

The factor is named in the explanation (PARTIAL) and appears in the hit's evidence as an item of kind
`name` (`note_evidence`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from exportctl.engine.screening.evidence import EVIDENCE_FILE
from exportctl.engine.screening.score import Part, Scored
from exportctl.engine.screening.surname import surname_rank
from exportctl.engine.screening.terms import terms

PARTIAL = "common names, partial match"  # the factor's name in explanations and evidence
Row = tuple[int, str, int, int, float, str]  # qid, query, entry row, name id, score, explanation


@dataclass(frozen=True, slots=True)
class Partial:
    """evidence.yml `common_name`, the part this rule reads."""

    population: float
    zipf_norm: float
    bearers: float  # partial_bearers
    factor: float  # partial_factor


@lru_cache(maxsize=1)
def partial_policy() -> Partial:
    """The parsed `common_name` keys of the partial-match rule."""
    raw: dict[str, Any] = yaml.safe_load(EVIDENCE_FILE.read_text(encoding="utf-8"))["common_name"]
    factor = float(raw["partial_factor"])
    if not 0.0 < factor <= 1.0:
        raise ValueError(f"evidence.yml: common_name.partial_factor {factor} is not in (0, 1]")
    return Partial(float(raw["population"]), float(raw["zipf_norm"]), float(raw["partial_bearers"]), factor)


def _rank(words: str) -> int:
    """The product of the ranks of a token or a join ("ali+reza"); 0 when any of its words is unranked."""
    out = 1
    for w in words.split("+"):
        r = surname_rank(w)
        if r <= 0:
            return 0
        out *= r
    return out


def pair_rank(part: Part) -> int:
    """How common an aligned pair's name is: the query word's rank, else the listed word's (0: rare)."""
    return _rank(part.query) or _rank(part.listed)


def expected_bearers(ranks: Sequence[int], population: float, zipf_norm: float) -> float:
    """The people expected to bear every one of these ranked names (homonym.py's Zipf law)."""
    return population * math.prod(1.0 / (zipf_norm * r) for r in ranks)


def _name_word(tok: str, identity: Callable[[str], bool]) -> bool:
    return len(tok) > 1 and tok not in terms().particles and identity(tok.split("+")[0])


def partial_common(
    scored: Scored,
    identity: Callable[[str], bool],
    person_entry: bool,
    organisation_query: bool,
    abjad: frozenset[str] = frozenset(),
) -> Scored:
    """`scored` times the partial factor when the match is a partial one of a listed person resting only on
    common names (see the module's note); else unchanged."""
    if scored.score <= 0.0 or not person_entry or organisation_query:
        return scored
    light = terms().light
    if any(tok in light for p in scored.parts for tok in (p.query, p.listed) if tok):
        return scored  # a legal form or a generic word on either side: not a person's name
    aligned = [
        p
        for p in scored.parts
        if p.query
        and p.listed
        and p.sim > 0.0
        and len(p.query) > 1
        and len(p.listed) > 1  # no initials
        and _name_word(p.query, identity)
    ]
    if not aligned:
        return scored
    # partial: a listed name word the query leaves out (a query word beyond the listed name, a title or an
    # initial does not make it partial: it costs already; nor does a near spelling, which is as often the
    # same name written another way: Mohammed bin Sultan / Salman, Abiyot / Abiy Ahmed, labelled matches)
    partial = any(p.listed and not p.query and _name_word(p.listed, identity) for p in scored.parts)
    pol = partial_policy()
    if not partial:
        return scored
    ranks = [pair_rank(p) for p in aligned]
    if any(r <= 0 for r in ranks):
        return scored
    if expected_bearers(ranks, pol.population, pol.zipf_norm) < pol.bearers:
        return scored
    return Scored(scored.score * pol.factor, scored.parts, (*scored.factors, (PARTIAL, pol.factor)))


def note_evidence(
    rows: list[Row], items: list[list[dict[str, str]]], names: Sequence[str] = (PARTIAL,)
) -> list[list[dict[str, str]]]:
    """The hits' evidence, with an item of kind `name` for each factor of `names` (this rule's, by default)
    that a hit's explanation holds."""
    out: list[list[dict[str, str]]] = []
    for row, found in zip(rows, items, strict=True):
        for name in names:
            at = row[5].find(name + " x")
            if at >= 0:
                effect = row[5][at:].split(";", 1)[0].strip()
                listed = next((i["entry"] for i in found if i["kind"] == "name"), "")
                found = [*found, {"kind": "name", "query": row[1], "entry": listed, "effect": effect}]
        out.append(found)
    return out


__all__ = ["PARTIAL", "expected_bearers", "note_evidence", "pair_rank", "partial_common", "partial_policy"]
