"""Build the table of company words in other scripts (engine/screening/company_words.tsv).

    python scripts/build_company_words.py --symbols PATH/TO/rigour/resources/names/symbols.yml \
        --org-types PATH/TO/rigour/resources/names/org_types.yml

Source: rigour's org symbols and domains (opensanctions/rigour, resources/names/symbols.yml, MIT; the file of
commit 8f4044dd6719d71e8ba59b5033818ff407e0efab was used): the same company word in many languages and
scripts ("technology": технологии, τεχνολογία, 技术 ...). For the symbols whose English word the matcher
already treats as a generic word (terms.yml `generic`, `legal_forms`), every one-word spelling that is not
ASCII (Cyrillic, Greek, Arabic, Hebrew, kana, Hangul ...; Han is left to terms.yml's `han_terms`) becomes a
row `word<TAB>canonical`. From rigour's legal forms (resources/names/org_types.yml, same commit), the words
of their aliases written in Arabic script that stand for the form alone: an alias of one word, or the word
after a company word of the table (شـركـة الـمـسـاهـمـة, written with tatweel: المساهمة -> jsc), tatweel and
short-vowel marks taken out, for the forms whose generic code is a legal form of terms.yml. translit.py
writes such a word as its English word before romanising a name, so that "Хуавэй Технологии" meets "Huawei
Technologies". Words rigour lacks are in terms.yml
`company_words` (hand list) and loanwords written out in another script are met by their sound
(company_words.py).
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "exportctl" / "engine" / "screening" / "company_words.tsv"

# rigour's symbol id -> the matcher's canonical word (terms.yml)
SYMBOLS = {
    "co": "company", "corp": "corporation", "grp": "group", "holding": "holding", "tech": "technology",
    "intl": "international", "industry": "industry", "eng": "engineering", "service": "service",
    "center": "center", "institute": "institute", "academy": "academy", "fdn": "foundation",
    "dept": "department", "natl": "national", "mgmt": "management", "partner": "partner",
    "equipment": "equipment", "factory": "factory", "assoc": "association", "association": "association",
    "org": "organization", "trade": "trading", "export": "export", "import": "import",
    "dev": "development", "enterprise": "enterprise", "general": "general", "global": "global",
    "system": "system", "solution": "solution", "product": "product", "network": "network",
    "commercial": "commercial", "office": "office", "bureau": "bureau", "ministry": "ministry",
    "agency": "agency", "branch": "branch", "investment": "investment", "research": "research",
    "scientific": "science", "shipping": "shipping", "logistics": "logistics",
    "manufacturing": "manufacturing", "electronic": "electronic", "electric": "electric",
    "chemical": "chemical", "comms": "communication", "supply": "supply", "resources": "resource",
    "university": "university",
}  # fmt: skip
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def rows(symbols: dict[str, dict[str, list[str]]]) -> dict[str, str]:
    """Non-ASCII one-word spellings -> canonical word (a word claimed by two symbols is left out)."""
    out: dict[str, str] = {}
    clash: set[str] = set()
    for section in ("org_symbols", "org_domains"):
        for sid, words in (symbols.get(section) or {}).items():
            canonical = SYMBOLS.get(str(sid))
            if canonical is None:
                continue
            for word in words or ():
                w = unicodedata.normalize("NFKC", str(word)).casefold().strip()
                if not w or w.isascii() or " " in w or _HAN.search(w):
                    continue
                if out.get(w, canonical) != canonical:
                    clash.add(w)
                out[w] = canonical
    return {w: c for w, c in sorted(out.items()) if w not in clash}


_MARKS = re.compile(r"[\u0640\u064b-\u065f\u0670]")  # Arabic tatweel and short-vowel marks
# Only Arabic-script aliases: rigour's runtime phrase matching misses them when written with tatweel or
# apart from شركة; the short Cyrillic codes (гу, ад, од) are also syllables of names, and stay with rigour.
_ARABIC = re.compile(r"[\u0600-\u06ff]+")
TERMS = REPO / "src" / "exportctl" / "engine" / "screening" / "terms.yml"


def legal_rows(org_types: dict[str, list[dict[str, object]]], known: dict[str, str]) -> dict[str, str]:
    """Arabic-script words that stand for a legal form alone -> its generic code in lower case (jsc, llc):
    a one-word alias, or the word after a company word of `known` in a two-word alias."""
    legal = {str(w).casefold() for w in yaml.safe_load(TERMS.read_text(encoding="utf-8"))["legal_forms"]}
    out: dict[str, str] = {}
    clash: set[str] = set()
    for form in org_types.get("types") or ():
        code = str(form.get("generic") or "").casefold()
        if code not in legal:
            continue
        for alias in form.get("aliases") or ():  # type: ignore[attr-defined]
            text = _MARKS.sub("", unicodedata.normalize("NFKC", str(alias))).casefold()
            words = text.split()
            if not words or not _ARABIC.fullmatch(text.replace(" ", "")):
                continue
            if len(words) == 2 and known.get(words[0]) in ("company", "corporation"):
                words = words[1:]
            if len(words) != 1 or words[0] in known or not words[0].isalpha():
                continue
            if out.get(words[0], code) != code:
                clash.add(words[0])
            out[words[0]] = code
    return {w: c for w, c in sorted(out.items()) if w not in clash}


def main() -> None:
    """Write the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--symbols", required=True, type=Path)
    ap.add_argument("--org-types", required=True, type=Path)
    args = ap.parse_args()
    table = rows(yaml.safe_load(args.symbols.read_text(encoding="utf-8")))
    table.update(legal_rows(yaml.safe_load(args.org_types.read_text(encoding="utf-8")), table))
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("# company words in other scripts -> canonical word; scripts/build_company_words.py from\n")
        fh.write("# rigour resources/names/symbols.yml and org_types.yml (MIT),")
        fh.write(" commit 8f4044dd6719d71e8ba59b5033818ff407e0efab\n")
        for w, c in table.items():
            fh.write(f"{w}\t{c}\n")
    print(f"{len(table)} words -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
