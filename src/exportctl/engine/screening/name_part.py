"""The name part of a party text that carries more than a name: an address pasted after it (as ERP exports
do: "HUAWEI TECHNOLOGIES CO LTD, Bantian, Longgang District, Shenzhen 518129, China"), a reference number
("... Ltd 123", "PO 4711") or thousands of characters. Screening screens the whole text (when it is short
enough to be a name) and its name part, and reports what was cut off: nothing is skipped.

Where the name ends, in this order:
- at a comma (or semicolon, tab, line break, bar) before an address: a part holding a digit, an address
  word (rigour's address keyword data, less the words that are common in company names), a territory
  (rigour's territory names) or a place word of the gazetteer (places.py); a part after a complete name
  (one ending in a legal form) ends it too. A part that is only a legal form ("Co., Ltd.") is kept;
- at a reference marker followed by a number ("PO 4711", "Ref: A-12", "Invoice #9");
- after the last legal form when only numbers, codes or address words follow it ("Co., Ltd. 123");
- before a trailing number of three digits or more after two name words ("Huawei Technologies 4711");
- at MAX_WORDS words, when what is left is still longer than a name may be (MAX_NAME_CHARS characters or
  MAX_TOKENS words).

A hit on the name part of a text that was screened whole too scores NAME_PART times its score: the cut
threw words away, so an entry the whole text meets as well ranks first (a listed affiliate "Huawei ...
Affiliated Entity: Ningbo Huawei ..." before Huawei itself).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from exportctl.engine.screening.normalise import MAX_NAME_CHARS, MAX_TOKENS, normalise
from exportctl.engine.screening.places import is_territory, place_words
from exportctl.engine.screening.terms import terms

NAME_PART = 0.95  # the factor of a hit on the name part when the whole text was screened too
MAX_WORDS = 12  # a name part is at most this many words (listed names are shorter: 99.9% of them)
MAX_WORD_CHARS = 64  # a "word" longer than this is no word of a name (the CSL's longest: 50 characters)
REST_SHOWN = 120  # characters of the cut-off rest quoted in an explanation
_SEPARATORS = re.compile(r"[,;\t\r\n|]+")
_WORD = re.compile(r"\S+")
_REFERENCE = re.compile(
    r"(?i)(?<![\w])(?:p\.?\s?o\.?(?:\s?box)?|ref(?:erence)?|order|invoice|inv|acct|account|cust(?:omer)?|"
    r"kd\.?-?nr|auftrag|bestell(?:ung|nr)?|po\s?#|#)\s*(?:no\.?|nr\.?|number)?\s*[:#.]?\s*[a-z]{0,3}[-/]?\d"
)
_ADDRESS_EXTRA = frozenset(
    {
        "district",
        "province",
        "street",
        "road",
        "floor",
        "room",
        "building",
        "postcode",
        "industrial",
        "hi-tech",
        "xiang",
        "lu",
        "jie",
        "qu",
        "cun",
        "zhen",
        "hao",
        "shi",
        "sheng",
    }
)
# rigour's address keywords that are as often words of a company's name: never an address boundary alone.
_NAME_WORDS = frozenset(
    {
        "&",
        "and",
        "und",
        "of",
        "or",
        "et",
        "co",
        "international",
        "national",
        "federal",
        "central",
        "commercial",
        "center",
        "centre",
        "centro",
        "centrum",
        "branch",
        "development",
        "republic",
        "nat",
        "int",
        "ind",
        "fed",
        "comm",
        "pt",
        "sub",
        "saint",
        "est",
        "superior",
        "inferior",
        "upper",
        "lower",
        "point",
        "studio",
        "studios",
        "boutique",
        "bureau",
        "cabinet",
        "metro",
        "garden",
        "gardens",
        "community",
        "section",
        "office",
        "head office",
        "headquarters",
        "hq",
        "dev",
        "rep",
        "res",
        "per",
        "lit",
        "mans",
        "shop",
        "tower",
        "towers",
        "estate",
        "estates",
        "park",
        "plaza",
        "station",
        "village",
        "harbour",
        "harbor",
        "mount",
        "hill",
        "hills",
        "heights",
        "via",
        "zone",
    }
)


@dataclass(frozen=True)
class Cut:
    """The name part of a text, what was cut off after it ("" when nothing) and why."""

    name: str
    rest: str = ""
    reason: str = ""

    def note(self) -> str:
        """The explanation line of a hit on the name part: what was screened and what was not."""
        if not self.rest:
            return ""
        rest = " ".join(self.rest.split())  # line breaks and tabs of a pasted address as spaces
        shown = rest if len(rest) <= REST_SHOWN else rest[:REST_SHOWN] + "..."
        return f"screened the name part {self.name!r} ({self.reason}); the rest, not a name: {shown!r}"


@lru_cache(maxsize=1)
def address_words() -> frozenset[str]:
    """Address keywords (rigour's address data in ASCII, lower case, plus a few of Chinese addresses)."""
    from rigour.data.addresses.data import FORMS

    words = {w.casefold() for key, forms in FORMS.items() for w in (key, *forms)}
    ascii_words = {w for w in words if w.isascii() and len(w) > 1}
    return frozenset((ascii_words | _ADDRESS_EXTRA) - _NAME_WORDS)


def _bare(word: str) -> str:
    return word.strip(".,:;()[]{}\"'").casefold()


def _legal_only(text: str) -> bool:
    """Whether a text is a legal form and nothing else ("Ltd.", "S.A. de C.V.", "Co")."""
    toks = normalise(text)
    legal = terms().legal
    return bool(toks) and all(t in legal or (len(t) == 1 and t.isalpha()) for t in toks)


def _is_place(text: str) -> bool:
    words = [_bare(w) for w in text.split()]
    if not words or len(words) > 4:
        return False
    if is_territory(text.strip()):
        return True
    places = place_words()
    return all(w in places for w in words)


def _is_address(part: str) -> bool:
    """Whether a comma-separated part of a text reads as a piece of an address."""
    if any(ch.isdigit() for ch in part):
        return True
    words = [_bare(w) for w in part.split()]
    known = address_words()
    if any(w in known for w in words):
        return True
    if any(" ".join(pair) in known for pair in itertools.pairwise(words)):
        return True
    return _is_place(part)


def _ends_legal(text: str) -> bool:
    words = text.split()
    return len(words) >= 2 and _legal_only(words[-1])


def _legal_prefix(part: str) -> int:
    """The end of the longest run of words at the start of `part` that is a legal form, or 0."""
    words = list(_WORD.finditer(part))
    for k in range(len(words) - 1, 0, -1):
        if _legal_only(part[: words[k - 1].end()]):
            return words[k - 1].end()
    return 0


def _segments(text: str) -> tuple[str, str, str]:
    """The leading parts of a text up to an address part, the rest and the reason."""
    spans = [(m.start(), m.end()) for m in _SEPARATORS.finditer(text)]
    if not spans:
        return text, "", ""
    starts = [0] + [e for _, e in spans]
    ends = [s for s, _ in spans] + [len(text)]
    kept_end = ends[0]
    for i in range(1, len(starts)):
        part = text[starts[i] : ends[i]]
        if not part.strip():
            continue
        kept = text[:kept_end]
        if _legal_only(part):
            kept_end = ends[i]
            continue
        lead = _legal_prefix(part)
        if lead:  # "Co., Ltd. 123": the legal form ends the name, the rest follows it
            end = starts[i] + lead
            reason = "an address follows" if _is_address(text[end:]) else "more follows a complete name"
            return text[:end], text[end:], reason
        if _is_address(part):
            return kept, text[starts[i] :], "an address follows"
        if _ends_legal(kept) or i > 1 or len(part.split()) > 3:
            return kept, text[starts[i] :], "more follows a complete name"
        kept_end = ends[i]  # "Kim, Jong Un": a family name, then the given names
    return text[:kept_end], text[kept_end:], ""


def _after_legal(text: str) -> tuple[str, str]:
    """Cut after the last legal form when only numbers, codes and address words follow it."""
    words = list(_WORD.finditer(text))
    last = _bare(words[-1].group()) if words else ""
    if last and last not in address_words() and not any(ch.isdigit() for ch in last):
        return text, ""  # every cut below keeps the last word, which is no number, code or address word
    for k in range(len(words) - 2, 0, -1):
        if not _legal_only(words[k].group()):
            continue
        after = [_bare(w.group()) for w in words[k + 1 :]]
        known = address_words()
        if all(any(ch.isdigit() for ch in w) or w in known or not w for w in after):
            return text[: words[k].end()], text[words[k + 1].start() :]
        return text, ""
    return text, ""


def _trailing_number(text: str) -> tuple[str, str]:
    words = list(_WORD.finditer(text))
    tail = len(words)
    while tail > 0 and _bare(words[tail - 1].group()).isdigit():
        tail -= 1
    if tail == len(words) or tail < 2 or len(_bare(words[-1].group())) < 3:
        return text, ""
    if sum(1 for w in words[:tail] if any(ch.isalpha() for ch in w.group())) < 2:
        return text, ""
    return text[: words[tail - 1].end()], text[words[tail].start() :]


@lru_cache(maxsize=1 << 16)
def name_part(text: str) -> Cut:
    """The name part of a party text (see the module's rules); the text itself when nothing is cut."""
    whole = text.strip()
    name, rest, reason = _segments(whole)
    ref = _REFERENCE.search(name)
    if ref is not None and ref.start() > 0 and normalise(name[: ref.start()]):
        rest = name[ref.start() :] + rest
        name, reason = name[: ref.start()], "a reference number follows"
    cut, more = _after_legal(name)
    if more:
        name, rest, reason = cut, more + rest, "numbers or an address follow the legal form"
    cut, more = _trailing_number(name)
    if more:
        name, rest, reason = cut, more + rest, "a number follows the name"
    words = list(_WORD.finditer(name))
    if len(name) > MAX_NAME_CHARS or len(words) > MAX_TOKENS:
        end = words[min(MAX_WORDS, len(words)) - 1].end() if words else 0
        while end > MAX_NAME_CHARS and words:
            words.pop()
            end = words[-1].end() if words else 0
        end = min(end, MAX_NAME_CHARS) if end else min(len(name), MAX_NAME_CHARS)
        name, rest, reason = name[:end], name[end:] + rest, f"the first {MAX_WORDS} words"
    name = name.strip().rstrip(",;:-/").strip()
    rest = rest.strip(" ,;:\t\r\n|")
    if name and all(len(w) > MAX_WORD_CHARS for w in name.split()):
        return Cut("", whole, f"no word of a name ({MAX_WORD_CHARS} characters at most)")
    if not rest or name == whole:
        return Cut(whole)
    return Cut(name, rest, reason)


def uncut(whole: str) -> bool:
    """Whether `name_part` leaves a stripped text whole, read cheaply (most party texts are a bare name):
    no separator, no digit (a reference number, a trailing number and numbers after a legal form all
    hold one), a last word that is no address word (`_after_legal`), not too long, and a word short
    enough to be a word of a name."""
    if _SEPARATORS.search(whole) or any(map(str.isdigit, whole)):
        return False
    words = whole.split()
    if not words or len(words) > MAX_TOKENS or len(whole) > MAX_NAME_CHARS:
        return False
    last = _bare(words[-1])
    if not last or last in address_words():
        return False
    name = whole.rstrip(",;:-/").strip()
    return not name or any(len(w) <= MAX_WORD_CHARS for w in name.split())


def screened_forms(text: str) -> tuple[tuple[str, str, float], ...]:
    """The texts to screen for a party text, each with its explanation note and score factor: the whole
    text when it may be a name (MAX_NAME_CHARS at most), and its name part when something was cut off
    (at NAME_PART when the whole text is screened too)."""
    out: list[tuple[str, str, float]] = []
    if text and len(text) <= MAX_NAME_CHARS:
        out.append((text, "", 1.0))
    if not text or uncut(text.strip()):
        return tuple(out)  # `name_part` would cut nothing off (a bare name): its rules are not run
    cut = name_part(text)
    if cut.rest and cut.name and cut.name != text:
        factor = NAME_PART if out else 1.0
        note = cut.note() + (f" x{NAME_PART}" if out else "")
        out.append((cut.name, note, factor))
    return tuple(out)


def screenable(text: str) -> bool:
    """Whether a party text has anything to screen: a form of it (whole or its name part) with tokens."""
    from exportctl.engine.screening.forms import query_forms

    return any(query_forms(form) for form, _note, _factor in screened_forms(text.strip()))
