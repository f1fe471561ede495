"""Homonyms: a person's name many people bear alerts all the same, in a review band that says why (#12).

김정은 (Kim Jong Un), 王伟 (Wang Wei), علی هاشمی (Ali Hashemi), Александр Петров: each is borne by
thousands, so a hit on such a name says little of whether the party is the listed bearer. A screen must
still alert on an exact reading of a listed name and leave it to the reviewer to clear the homonym with
other evidence, so no score is lowered here: a hit of such a query is marked instead, in its explanation
("homonym review: ...") and in its evidence (an item of kind `name` whose effect begins "homonym"), unless
a date of birth, nationality or id the query gave already agreed with the entry (then the hit does not
rest on the name alone). A caller can then put those hits in a review queue of their own or below the
others (`HOMONYM` marks them).

Which names are common: each name word is ranked in names-dataset's name lists (`terms.name_ranks`, as
written in its own script, or as its reading for a Han or Hangul family name, which the data set lacks),
and the people expected to bear the whole name are estimated with a Zipf law (evidence.yml
`common_name`). The rule reads person names of two words or more written in another script than Latin
(a Latin name meets the lists as written; one word alone is the lone-word rule's, score.py). An
organisation's name is never a homonym.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from exportctl.engine.screening.evidence import EVIDENCE_FILE
from exportctl.engine.screening.forms import cjk_person, query_forms
from exportctl.engine.screening.korean import korean_order
from exportctl.engine.screening.terms import name_ranks, terms
from exportctl.engine.screening.translit import scripts

HOMONYM = "homonym review"  # how a marked hit's explanation and evidence say so
_WORD = re.compile(r"[^\W\d_]+")  # letters only: punctuation, digits and marks between words split them
_AGREEING = ("dob", "id", "nationality")  # evidence kinds that tell one bearer from another
Row = tuple[int, str, int, int, float, str]  # qid, query, entry row, name id, score, explanation


@dataclass(frozen=True, slots=True)
class Policy:
    """evidence.yml `common_name`: how many expected bearers make a name common."""

    population: float
    zipf_norm: float
    least_bearers: float


@lru_cache(maxsize=1)
def policy() -> Policy:
    """The parsed `common_name` section of evidence.yml."""
    raw: dict[str, Any] = yaml.safe_load(EVIDENCE_FILE.read_text(encoding="utf-8"))["common_name"]
    # partial_*: frequency.py's keys in the same section
    unknown = set(raw) - {"population", "zipf_norm", "least_bearers", "partial_bearers", "partial_factor"}
    if unknown:
        raise ValueError(f"evidence.yml: common_name has unknown keys {sorted(unknown)}")
    return Policy(float(raw["population"]), float(raw["zipf_norm"]), float(raw["least_bearers"]))


def word_rank(word: str) -> int:
    """A name word's best rank as a given or family name in any country, in any script (0: unranked)."""
    ranks = name_ranks().get(word.lower())
    return min((r for r in ranks or () if r), default=0)


def _cjk_words(name: str) -> list[tuple[str, int]]:
    """A Han or Hangul person name written as one word: its family name (read: the data set lacks Han and
    Hangul family names) and its given name (as written, else read)."""
    text = "".join(name.split())
    forms = query_forms(text)
    if not forms or len(forms[0][1]) < 2:
        return []
    toks = forms[0][1]
    given = text[1:]
    return [(toks[0], word_rank(toks[0])), (given, word_rank(given) or word_rank("".join(toks[1:])))]


def name_words(name: str) -> list[tuple[str, int]]:
    """The name words of a person's query with their ranks; particles (al, bin, de) left out."""
    if cjk_person(name):
        return _cjk_words(name)
    from anyascii import anyascii

    particles = terms().particles
    out = []
    for word in _WORD.findall(name):
        if len(word) < 2 or anyascii(word).lower().strip("'") in particles:
            continue
        out.append((word, word_rank(word)))
    return out


@lru_cache(maxsize=1 << 14)
def common_name(name: str, qtype: str = "") -> str:
    """Why the query is a common person's name ("" when it is not): its words, their ranks and the
    bearers expected."""
    name = korean_order(name) or name  # 정은 김 is 김정은
    if qtype not in ("", "person") or not scripts(name):
        return ""  # an organisation's, or a name written in Latin letters (see the module's note)
    forms = query_forms(name)
    if not forms or any(tok in terms().light for tok in forms[0][1]):
        return ""  # a legal form or generic word: an organisation's name
    words = name_words(name)
    if len(words) < 2 or any(rank <= 0 for _w, rank in words):
        return ""
    pol = policy()
    bearers = pol.population * math.prod(1.0 / (pol.zipf_norm * rank) for _w, rank in words)
    if bearers < pol.least_bearers:
        return ""
    ranks = " ".join(f"{w}#{r}" for w, r in words)
    return f"common name ({ranks}: ~{bearers:,.0f} bearers)"


def _agreed(items: Sequence[dict[str, str]]) -> bool:
    """Whether other evidence than the name raised the hit (a same dob, nationality or id)."""
    return any(i["kind"] in _AGREEING and i["effect"].startswith("+") for i in items)


def mark(
    rows: list[Row], items: list[list[dict[str, str]]], types: dict[int, str], names: dict[int, str]
) -> tuple[list[Row], list[list[dict[str, str]]]]:
    """The hits, those of a common person's name (`common_name`) that rest on the name alone marked
    HOMONYM in their explanation and evidence; scores and order unchanged. `types` and `names`: per qid,
    the query's type and the name it was screened as."""
    out_rows: list[Row] = []
    out_items: list[list[dict[str, str]]] = []
    for row, found in zip(rows, items, strict=True):
        qid, query, entry, nid, score, text = row
        why = common_name(names.get(qid, query), types.get(qid, ""))
        if why and not _agreed(found):
            note = f"{HOMONYM}: {why}; confirm with date of birth, nationality or id"
            listed = next((i["entry"] for i in found if i["kind"] == "name"), "")
            found = [*found, {"kind": "name", "query": query, "entry": listed, "effect": note}]
            row = (qid, query, entry, nid, score, f"{text}; {note}")
        out_rows.append(row)
        out_items.append(found)
    return out_rows, out_items


__all__ = ["HOMONYM", "common_name", "mark", "name_words", "policy", "word_rank"]
