"""Legal rules the EAR engine interprets, as dated and cited data (`data/rules/us-ear.yaml`).

Measures say what changed on a day; these are the standing rules the determination reads every time:
the licence exceptions it evaluates (Part 740), the item sets those exceptions name (ENC, the
advanced-computing and SME items of §740.2(a)(9)), the countries §744.21 reaches on each date, and the
rule of each US party list. The file is validated as strictly as a measure (unknown keys fail, every
error names file and line) and reuses the measure shapes: `Scope` for country and ECCN sets,
`Citation` for sources, half-open `[effective, end)` for dates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from exportctl.model.citation import Citation
from exportctl.registry.schema import Scope, Strict

RULES_FILE = "us-ear.yaml"
ENV_RULES = "EXPORTCTL_EAR_RULES"  # another rules file (an expert's edited copy) instead of the bundled one


class ExceptionRule(Strict):
    """One licence exception the engine evaluates: its symbol, its Part 740 section, since when."""

    code: str
    section: str
    # the first day the exception existed in this form; null: before the registry's coverage start
    effective: dt.date | None = None
    citations: list[Citation] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> ExceptionRule:
        if not re.fullmatch(r"[A-Z]{3}", self.code):
            raise ValueError(f"not a licence exception symbol: {self.code!r}")
        if not re.fullmatch(r"740\.\d{1,2}", self.section):
            raise ValueError(f"not a Part 740 section: {self.section!r}")
        if self.effective is not None and not self.citations:
            raise ValueError(f"{self.code}: a dated exception cites the act that made it")
        return self


class ItemSet(Strict):
    """A set of ECCNs a rule names (`scope.eccns`), plus paragraphs that join it under any ECCN."""

    scope: Scope
    paragraphs: list[str] = Field(default_factory=list)  # '.z': 3A001.z, 4A003.z, 5A992.z ...
    citations: list[Citation] = Field(min_length=1)

    @model_validator(mode="after")
    def _eccns(self) -> ItemSet:
        bad = [e for e in self.scope.eccns if not re.fullmatch(r"\d[A-E]\d{3}", e)]
        if bad or not self.scope.eccns:
            raise ValueError(f"an item set lists whole ECCNs (5A002), got {bad or 'none'}")
        if any(not re.fullmatch(r"[a-z]", p) for p in self.paragraphs):
            raise ValueError(f"paragraphs are single letters ('z'), got {self.paragraphs}")
        return self


class ParagraphSet(Strict):
    """ECCN paragraphs a rule names ('3A090.c'): an item is in the set when its paragraph starts with one."""

    scope: Scope
    citations: list[Citation] = Field(min_length=1)

    @model_validator(mode="after")
    def _eccns(self) -> ParagraphSet:
        bad = [e for e in self.scope.eccns if not re.fullmatch(r"\d[A-E]\d{3}\.[a-z0-9.]+", e)]
        if bad or not self.scope.eccns:
            raise ValueError(f"a paragraph set lists ECCN paragraphs (3A090.c), got {bad or 'none'}")
        return self


class DestinationSet(Strict):
    """Destinations a rule names: ISO codes and Country Groups ('MO', 'D:5') in `scope.destinations`."""

    scope: Scope
    citations: list[Citation] = Field(min_length=1)


class CodeSet(Strict):
    """Requirement codes of measures (their `control_reason`) that a rule treats alike."""

    codes: list[str] = Field(min_length=1)
    citations: list[Citation] = Field(min_length=1)
    note: str | None = None


class CountryRule(Strict):
    """Destinations a rule reaches on [effective, end): `scope.destinations`, ISO codes."""

    id: str
    # null: in force before the registry's coverage start (the day is cited when known)
    effective: dt.date | None = None
    end: dt.date | None = None
    scope: Scope
    citations: list[Citation] = Field(min_length=1)
    gap: str | None = None  # what could not be sourced, said visibly

    @model_validator(mode="after")
    def _shape(self) -> CountryRule:
        bad = [d for d in self.scope.destinations if not re.fullmatch(r"[A-Z]{2}", d)]
        if bad or not self.scope.destinations:
            raise ValueError(f"{self.id}: destinations are ISO codes, got {bad or 'none'}")
        if self.effective and self.end and self.end <= self.effective:
            raise ValueError(f"{self.id}: end {self.end} is not after effective {self.effective}")
        return self

    def applies(self, day: dt.date) -> bool:
        """Whether the rule is in force on `day`."""
        return (self.effective is None or day >= self.effective) and (self.end is None or day < self.end)


class WordRule(Strict):
    """A CCL control row that names its destinations in words rather than by a Country Chart column:
    `words` (a regular expression searched in the row's lowercased text; the first rule of the file that
    matches names the row) and what they reach - ISO codes and Country Groups minus `excluding` (no
    `destinations`: every destination but those excluded), every destination (`everywhere`), or the
    destinations a Country Chart footnote marks (`footnote`). `section`: the EAR section a row citing
    none takes."""

    words: str
    destinations: list[str] | None = None
    excluding: list[str] = Field(default_factory=list)
    everywhere: bool = False
    footnote: int | None = None
    section: str | None = None
    citations: list[Citation] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes(self) -> WordRule:
        try:
            re.compile(self.words)
        except re.error as e:
            raise ValueError(f"words is not a regular expression: {e}") from e
        codes = [*(self.destinations or []), *self.excluding]
        bad = [c for c in codes if not re.fullmatch(r"[A-Z]{2}|[A-E]:\d", c)]
        reach = bool(codes) + self.everywhere + (self.footnote is not None)
        if bad or reach != 1:
            raise ValueError(
                "a worded rule reaches ISO codes or Country Groups ('D:5'), everywhere, or a footnote's "
                f"destinations (one of them), got {bad or codes or 'none'}"
            )
        return self

    def named(self, text: str) -> bool:
        """The row's lowercased text says these words."""
        return re.search(self.words, text, re.S) is not None


class FollowRule(Strict):
    """A destination the EAR treats as part of another from a day on (Hong Kong as China): a measure or
    group naming `follows` reaches `destination` on [effective, end)."""

    id: str
    destination: str
    follows: str
    effective: dt.date
    end: dt.date | None = None
    citations: list[Citation] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes(self) -> FollowRule:
        bad = [c for c in (self.destination, self.follows) if not re.fullmatch(r"[A-Z]{2}", c)]
        if bad:
            raise ValueError(f"{self.id}: destinations are ISO codes, got {bad}")
        return self


class ListRule(Strict):
    """What a hit on one US party list means when no list-level measure rules it."""

    step: Literal["GP4", "GP5", "OFAC"]
    code: str
    verdict: Literal["license_required", "prohibited", "hold"]
    citation: str


class EarRules(Strict):
    """The EAR rules file: every section required, none unknown."""

    license_exceptions: list[ExceptionRule] = Field(min_length=1)
    encryption_items: ItemSet  # §740.17: ENC
    advanced_computing_items: ItemSet  # §740.2(a)(9), §740.8: ACA/NAC
    sme_items: ItemSet  # §740.2(a)(9)(i)
    aca_excluded_items: ParagraphSet  # §740.8: paragraphs ACA does not reach (3A090.c)
    advanced_restricted_destinations: DestinationSet  # §740.2(a)(9): Macau and D:5
    own_exception_codes: CodeSet  # Part 746 requirements whose sections name their own exceptions
    military_end_use: list[CountryRule] = Field(min_length=1)  # §744.21(a)(1): Supp. 2 items
    military_end_use_all_items: list[CountryRule] = Field(min_length=1)  # §744.21(a)(2): any item
    party_lists: dict[str, ListRule] = Field(min_length=1)
    ccl_destination_words: dict[str, WordRule] = Field(min_length=1)  # Supp. 1 to Part 774 rows
    destinations_following: list[FollowRule] = Field(min_length=1)  # Hong Kong as China (85 FR 83765)

    def exception(self, code: str) -> ExceptionRule:
        """One licence exception by symbol (KeyError when the file does not list it)."""
        for rule in self.license_exceptions:
            if rule.code == code:
                return rule
        raise KeyError(code)

    def sections(self) -> dict[str, str]:
        """Symbol -> Part 740 section of every exception the engine evaluates."""
        return {r.code: r.section for r in self.license_exceptions}

    def followers(self, day: dt.date | None) -> dict[str, list[str]]:
        """Destination -> the destinations that follow it on `day` ({'CN': ['HK']} from Dec 23, 2020);
        with no day, every rule's."""
        out: dict[str, list[str]] = {}
        for r in self.destinations_following:
            if day is None or (r.effective <= day and (r.end is None or day < r.end)):
                out.setdefault(r.follows, []).append(r.destination)
        return out

    def list_rules(self) -> dict[str, tuple[str, str, str, str]]:
        """List -> (step, code, verdict, citation), the shape the party step joins on."""
        return {k: (r.step, r.code, r.verdict, r.citation) for k, r in self.party_lists.items()}


def rules_path() -> Path:
    """The rules file the engine reads: the file named by $EXPORTCTL_EAR_RULES, else the bundled one."""
    named = os.environ.get(ENV_RULES)
    return Path(named) if named else bundled_rules_path()


@lru_cache(maxsize=1)
def bundled_rules_path() -> Path:
    """The bundled rules file (found once: every single check's key asks for it)."""
    return Path(str(resources.files("exportctl") / "data" / "rules" / RULES_FILE))


def load_rules(path: str | Path) -> EarRules:
    """Read and validate one rules file; errors name file, line and field (RegistryError)."""
    from exportctl.registry.strict_yaml import load_yaml, validate_loaded

    p = Path(path)
    return validate_loaded(EarRules, load_yaml(p), p)


def rules_hash(rules: EarRules) -> str:
    """sha256 of the rules' canonical JSON: what answers depend on (comments and layout do not count)."""
    doc = json.dumps(rules.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(doc.encode()).hexdigest()


@lru_cache(maxsize=8)
def _rules_at(path: Path, stamp: tuple[int, int, int]) -> tuple[EarRules, str]:
    rules = load_rules(path)
    return rules, rules_hash(rules)


def _stamp(path: Path) -> tuple[int, int, int]:
    """(inode, size, mtime ns) of the rules file: an edit or a replacement gives another stamp, so the
    edited file is read again (a missing file gives (0, 0, 0): load_rules then names it)."""
    try:
        st = path.stat()
    except OSError:
        return (0, 0, 0)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


# the rules one question reads, pinned by `one_reading` (one stat of the file per question, not ~15)
_PINNED: ContextVar[tuple[EarRules, str] | None] = ContextVar("exportctl_pinned_ear_rules", default=None)


def _current() -> tuple[EarRules, str]:
    pinned = _PINNED.get()
    if pinned is not None:
        return pinned
    path = rules_path()
    return _rules_at(path, _stamp(path))


@contextmanager
def one_reading() -> Iterator[None]:
    """Within the block, ear_rules() and ear_rules_hash() give the rules file as read on entering it (in
    this thread or task): one question reads one version of the file, and stats it once (each stat was
    ~4 us, ~15 per single answer)."""
    if _PINNED.get() is not None:
        yield
        return
    token = _PINNED.set(_current())
    try:
        yield
    finally:
        _PINNED.reset(token)


def ear_rules() -> EarRules:
    """The EAR rules the engine reads (rules_path()), read once per process and version of the file."""
    return _current()[0]


def ear_rules_hash() -> str:
    """The content hash of ear_rules(): part of every regime id (registry.compile.regime_id)."""
    return _current()[1]
