"""A person whose whole name is common shares it with many people: a name match alone is no alert (#12).

王伟 (Wang Wei), 김영철 (Kim Yong-chol), علی هاشمی (Ali Hashemi), Александр Петров: each is borne by
thousands, so meeting a listed person of that name says little of whether the party is that person. The
rule reads the query alone: each of its name words is ranked in names-dataset's name lists
(`terms.name_ranks`, as written in its own script, or as its reading for Han and Hangul, whose family
names the data set lacks), and the people expected to bear the whole name are estimated with a Zipf law
(evidence.yml `common_name`). When they are many, every hit of the query scores at most the cap on its name
alone, below the default threshold, and says so in its explanation; a date of birth, nationality or id that
agrees lifts it again (evidence.py). A name with any rare word (Putin, Shoigu) or a word no list ranks keeps
its score: a full exact match of a rare name still alerts. Organisations are left alone.

The rule reads names of two words or more written in another script than Latin: such a name meets a Latin
listed name through a romanisation that many different names share (王伟, 王威 and 汪伟 are all "Wang Wei";
vowel-less Arabic and Persian spellings), so the match is weaker still. A Latin name is left as it is: on
the dev sets, capping Latin names too took recall@1 on mutated listed names from 0.985 to 0.956 (listed
persons of common names, "Dong Chen", "Walid Chehade", written "Last, First"), for 3 Congress alerts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from exportctl.engine.screening.evidence import EVIDENCE_FILE
from exportctl.engine.screening.forms import cjk_person, query_forms
from exportctl.engine.screening.terms import name_ranks, terms
from exportctl.engine.screening.translit import scripts

_WORD = re.compile(r"[^\W\d_]+")  # letters only: punctuation, digits and marks between words split them
Hit = tuple[int, int, float, str]


@dataclass(frozen=True, slots=True)
class Policy:
    """evidence.yml `common_name`: how many bearers make a name common, and what its name alone may score."""

    population: float
    zipf_norm: float
    least_bearers: float
    cap: float


@lru_cache(maxsize=1)
def policy() -> Policy:
    """The parsed `common_name` section of evidence.yml."""
    raw: dict[str, Any] = yaml.safe_load(EVIDENCE_FILE.read_text(encoding="utf-8"))["common_name"]
    return Policy(
        float(raw["population"]), float(raw["zipf_norm"]), float(raw["least_bearers"]), float(raw["cap"])
    )


def word_rank(word: str) -> int:
    """A name word's best rank as a given or family name in any country, in any script (0: unranked)."""
    ranks = name_ranks().get(word.lower())
    return min((r for r in ranks or () if r), default=0)


def _cjk_words(name: str) -> list[tuple[str, int]]:
    """A Han or Hangul person name written as one word: its family name (read, the data set lacks Han and
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
    return f"common name ({ranks}: ~{bearers:,.0f} bearers), name alone at most {pol.cap}"


def cap_hits(name: str, qtype: str, hits: list[Hit], threshold: float) -> list[Hit]:
    """The hits of one query, each at most the cap when its name is common (`common_name`), with the reason
    in its explanation; those left below `threshold` are dropped."""
    if not hits or max(h[2] for h in hits) <= policy().cap:
        return hits
    why = common_name(name, qtype)
    if not why:
        return hits
    cap = policy().cap
    out = [
        (e, nid, cap, f"{text}; {why}") if score > cap else (e, nid, score, text)
        for e, nid, score, text in hits
    ]
    return sorted((h for h in out if h[2] >= threshold), key=lambda h: (-h[2], h[0]))
