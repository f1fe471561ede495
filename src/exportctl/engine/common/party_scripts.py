"""Party names the lists cannot meet: a company's name written in a script that no entry of the screened
lists uses (the US lists write every name in Latin letters) and that found no hit.

A person's name in Han, Cyrillic or Arabic script is met through its readings, which are how lists write
such names. A company's listed name is often a translation instead (中芯国际集成电路制造有限公司 is listed
as Semiconductor Manufacturing International Corporation): its reading finds nothing, and nothing found is
not evidence that the company is not listed. Such a row holds, naming the party, until it is screened
under its Latin name: fail closed, never a clearance on a name the lists could not be compared with.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import polars as pl

from exportctl.engine.common.memo import ByIdentity
from exportctl.engine.common.reasons import hold_reason

__all__ = [
    "any_held",
    "carried_scripts",
    "foreign_scripts",
    "is_organisation",
    "list_names",
    "script_holds",
    "script_note",
    "unmet_scripts",
    "written_scripts",
]

CITATION = "exportctl party screening (scripts of the screened lists)"
_NOT_SCRIPTS = frozenset({"Common", "Inherited", "Unknown", "Latin"})


@lru_cache(maxsize=1 << 14)
def foreign_scripts(name: str) -> frozenset[str]:
    """The Unicode scripts (ICU names: Han, Cyrillic, Arabic ...) of the letters of `name`, Latin aside."""
    if name.isascii():  # ASCII letters are all Latin: most names of a book, past the cache's bound
        return frozenset()
    return _scripts_of(set(unicodedata.normalize("NFKC", name)))


def _scripts_of(chars: set[str]) -> frozenset[str]:
    import icu

    return frozenset(
        script
        for ch in chars
        if ch.isalpha() and (script := icu.Script.getScript(ch).getName()) not in _NOT_SCRIPTS
    )


def written_scripts(names: Iterable[str]) -> frozenset[str]:
    """The scripts, Latin aside, that some of `names` (a list's names and aliases) is written in."""
    chars: set[str] = set()
    for name in names:
        if not name.isascii():
            chars.update(unicodedata.normalize("NFKC", name))
    return _scripts_of(chars)


@lru_cache(maxsize=1 << 14)
def is_organisation(name: str) -> bool:
    """The name carries a legal form or company word (有限公司, ООО, شركة, 株式会社 ...) as the screening
    engine reads them: a company's name, not a person's."""
    from exportctl.engine.screening.company_words import company_word
    from exportctl.engine.screening.normalise import normalise
    from exportctl.engine.screening.terms import terms

    if any(token in terms().light for token in normalise(name)):
        return True
    words = unicodedata.normalize("NFKC", name).split()
    return len(words) > 1 and any(company_word(word) is not None for word in words)


def list_names(lists: pl.DataFrame) -> pl.Series:
    """Every name and alias of a list table, as written."""
    names = lists.select(pl.col("name").cast(pl.Utf8))
    if "aliases" in lists.columns and lists.schema["aliases"] == pl.List(pl.Utf8):
        names = pl.concat([names, lists.select(pl.col("aliases").explode().alias("name"))])
    return names["name"].drop_nulls()


def unmet_scripts(name: str, carried: frozenset[str]) -> list[str]:
    """The scripts of a company's name outside `carried` (the scripts a list writes names in); [] for a
    person's name, a name in Latin letters, or one whose scripts the list carries."""
    scripts = foreign_scripts(name)
    if not scripts or not is_organisation(name):
        return []
    return sorted(scripts - carried)


def script_note(name: str, scripts: list[str], who: str = "the party", lists: list[str] | None = None) -> str:
    """Why a company's name in `scripts` with no hit is not a clearance (against `lists`, or all the
    lists screened), and what to do."""
    against = f"the lists {', '.join(lists)}" if lists else "the screened lists"
    return (
        f"{who} '{name}' is a company's name written in {' and '.join(scripts)} script; {against} "
        "write no name in it, and a company's listed name is often a translation its reading does not "
        "find: no hit is not a clearance. Screen the party under its Latin (English or romanised) name"
    )


_CARRIED: ByIdentity[frozenset[str]] = ByIdentity(4)  # per lists frame (kept by the engines)


def carried_scripts(lists: pl.DataFrame) -> frozenset[str]:
    """The scripts, Latin aside, that the names and aliases of `lists` are written in (kept per frame)."""
    return _CARRIED.get_or_build(lists, lambda: written_scripts(list_names(lists).to_list()))


def any_held(names: Iterable[str], lists: pl.DataFrame) -> bool:
    """Whether `script_holds` holds a row naming `names` when none of them has a hit."""
    return any(foreign_scripts(n) and unmet_scripts(n, carried_scripts(lists)) for n in names)


def script_holds(parties: pl.DataFrame, hits: pl.DataFrame, lists: pl.DataFrame) -> pl.DataFrame:
    """(row, reason): a hold for each row naming a company, without a hit, in a script the lists lack."""
    if parties.height == 0 or "name" not in parties.columns:
        return pl.DataFrame()
    with_hits = set(hits["name"].to_list()) if hits.height and "name" in hits.columns else set()
    names = [n for n in parties["name"].unique().to_list() if n not in with_hits and foreign_scripts(n)]
    if not names or not any(is_organisation(n) for n in names):
        return pl.DataFrame()
    carried = carried_scripts(lists)
    unmet = {n: found for n in names if (found := unmet_scripts(n, carried))}
    if not unmet:
        return pl.DataFrame()
    rows = parties.filter(pl.col("name").is_in(list(unmet))).select("row", "role", "name").unique()
    texts = [script_note(name, unmet[name], role) for role, name in rows.select("role", "name").iter_rows()]
    held = rows.with_columns(pl.Series("_text", texts, dtype=pl.Utf8)).sort("row", "role", "name")
    return held.select("row", hold_reason("party-script", CITATION, pl.col("_text")).alias("reason"))
