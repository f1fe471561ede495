"""Federal Register citations and the volume/page -> publication date table.

A citation "84 FR 22961" names a page of a volume; every daily issue of the Federal Register takes the next
run of pages of its year's volume (volume 84 is 2019), so a page fixes the day it was published. The
package ships what is known of that mapping as anchors (`data/federal_register/pages.csv`: volume,
first_page, last_page, date, source), built by scripts/build_fr_pages.py from `notices.yaml` and the
dated citations of Supplements No. 4 and No. 7 to Part 744. A page between two anchors of different days
gets the interval between them, never a guess.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from exportctl.errors import DataError

# libyaml's safe loader when PyYAML was built with it (the same documents, about ten times faster)
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = [
    "Citation",
    "ListRule",
    "Notices",
    "PageDates",
    "load_notices",
    "load_page_dates",
    "parse_citations",
    "parse_dated_citations",
    "parse_issue_date",
    "volume_year",
]

FIRST_VOLUME_YEAR = 1935  # volume 1 is 1936: volume N holds the documents of year 1935 + N
_CITE = re.compile(r"\b(\d{1,3})\s*F\.?\s*R\.?\s*(\d{1,3}(?:,\d{3})+|\d{1,6})\b", re.IGNORECASE)
_DATED = re.compile(
    r"\b(\d{1,3})\s*\.?\s*F\.?\s*R\.?\s*(\d{1,3}(?:,\d{3})+|\d{1,6})\b[,;]?\s*\(?\s*(\d{1,2})/(\d{1,2})/(\d{2,4})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, order=True)
class Citation:
    """A Federal Register page: volume and page."""

    volume: int
    page: int


def volume_year(volume: int) -> int:
    """The year a Federal Register volume covers (84 -> 2019)."""
    return FIRST_VOLUME_YEAR + volume


def parse_citations(text: str | None) -> list[Citation]:
    """Every 'V FR P' citation in a notice field, in the order written ('77 FR 24587; 85 FR 34497')."""
    out: list[Citation] = []
    for vol, page in _CITE.findall(text or ""):
        v, p = int(vol), int(page.replace(",", ""))
        if v >= 1 and p >= 1:
            out.append(Citation(v, p))
    return out


def _year(text: str) -> int:
    y = int(text)
    return y if len(text) == 4 else (2000 + y if y < 70 else 1900 + y)


def parse_dated_citations(text: str | None) -> list[tuple[Citation, dt.date]]:
    """Citations written with a date beside them ('84 FR 22963, 5/21/19'); impossible dates are left out."""
    out = []
    for vol, page, m, d, y in _DATED.findall(text or ""):
        try:
            day = dt.date(_year(y), int(m), int(d))
        except ValueError:
            continue
        out.append((Citation(int(vol), int(page.replace(",", ""))), day))
    return out


_ISSUE_DATE = re.compile(
    r"\b(\d{1,3})\s*\.?\s*F\.?\s*R\.?\s*No\.\s*\d+\s*\(?\s*(\d{1,2})/(\d{1,2})/(\d{2,4})\b", re.IGNORECASE
)


def parse_issue_date(text: str | None) -> tuple[int, dt.date] | None:
    """A citation by issue number and date without a page ('76 FR No. 197 (10/12/2011)'): (volume, date)."""
    m = _ISSUE_DATE.search(text or "")
    if not m:
        return None
    try:
        return int(m.group(1)), dt.date(_year(m.group(4)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# -- the notices file ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListRule:
    """A BIS rule that added parties to a list: its pages, publication and effective dates, sources."""

    volume: int
    first_page: int
    last_page: int | None  # None: up to the last page of its issue (see Notices.rule_for)
    published: dt.date
    effective: dt.date
    title: str
    sources: tuple[str, ...]

    def covers(self, c: Citation, pages: PageDates | None = None) -> bool:
        """Whether the citation is a page of this rule.

        Without a known last page, a page is the rule's when it follows the first page and the page table
        puts it in the same issue: the list notices cite pages of list rules, and `rules` holds every list
        rule BIS names for that day (Notices.rule_for takes the nearest start).
        """
        if c.volume != self.volume or c.page < self.first_page:
            return False
        if self.last_page is not None:
            return c.page <= self.last_page
        return pages is not None and pages.bounds(c) == (self.published, self.published)

    def citation(self) -> str:
        """'85 FR 83416' and the rule's title."""
        return f"{self.volume} FR {self.first_page} ({self.title})"


@dataclass(frozen=True)
class Notices:
    """notices.yaml: page anchors of issues, list rules with effective dates, the uncertainty window."""

    issues: tuple[tuple[Citation, int, dt.date, str], ...]
    rules: tuple[ListRule, ...]
    window_days: int

    def rule_for(self, c: Citation, pages: PageDates | None = None) -> ListRule | None:
        """The list rule whose pages hold the citation (the nearest start at or before it), if known."""
        found = [r for r in self.rules if r.covers(c, pages)]
        return max(found, key=lambda r: r.first_page) if found else None


_ISSUE_KEYS = {"volume", "first_page", "last_page", "date", "source"}
_RULE_KEYS = {"volume", "first_page", "last_page", "published", "effective", "title", "sources"}


def _date(value: Any, field: str, path: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DataError(f"not a date: {value!r}", file=path, field=field) from None


def _int(value: Any, field: str, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DataError(f"expected a positive whole number, got {value!r}", file=path, field=field)
    return value


def _keys(obj: Any, allowed: set[str], where: str, path: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise DataError("expected a mapping", file=path, field=where)
    unknown = set(obj) - allowed
    missing = allowed - set(obj)
    if unknown or missing:
        raise DataError(
            f"unknown keys {sorted(unknown)}, missing keys {sorted(missing)}", file=path, field=where
        )
    return obj


def _check_pages(first: int, last: int, date: dt.date, volume: int, where: str, path: str) -> None:
    if last < first:
        raise DataError(f"last page {last} before first page {first}", file=path, field=where)
    if date.year != volume_year(volume):
        raise DataError(f"{date} is not in volume {volume}'s year", file=path, field=where)


def load_notices(path: Path | str | None = None) -> Notices:
    """Read notices.yaml (the bundled one by default), rejecting unknown or missing keys."""
    p = str(path) if path else "federal_register/notices.yaml"
    text = Path(path).read_text(encoding="utf-8") if path else _bundled("notices.yaml")
    doc = yaml.load(text, Loader=_LOADER)
    doc = _keys(doc, {"effective_before_publication_days", "issues", "rules"}, "notices", p)
    window = doc["effective_before_publication_days"]
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise DataError("expected days >= 0", file=p, field="effective_before_publication_days")
    issues = []
    for i, raw in enumerate(doc["issues"] or []):
        o = _keys(raw, _ISSUE_KEYS, f"issues[{i}]", p)
        v = _int(o["volume"], f"issues[{i}].volume", p)
        first, last = _int(o["first_page"], "first_page", p), _int(o["last_page"], "last_page", p)
        day = _date(o["date"], f"issues[{i}].date", p)
        _check_pages(first, last, day, v, f"issues[{i}]", p)
        issues.append((Citation(v, first), last, day, str(o["source"])))
    rules = []
    for i, raw in enumerate(doc["rules"] or []):
        o = _keys(raw, _RULE_KEYS, f"rules[{i}]", p)
        v = _int(o["volume"], f"rules[{i}].volume", p)
        first = _int(o["first_page"], "first_page", p)
        end = None if o["last_page"] is None else _int(o["last_page"], "last_page", p)
        pub = _date(o["published"], f"rules[{i}].published", p)
        eff = _date(o["effective"], f"rules[{i}].effective", p)
        _check_pages(first, first if end is None else end, pub, v, f"rules[{i}]", p)
        srcs = o["sources"]
        if not isinstance(srcs, list) or not srcs or not all(str(s).startswith("http") for s in srcs):
            raise DataError("sources must be a non-empty list of URLs", file=p, field=f"rules[{i}].sources")
        rules.append(ListRule(v, first, end, pub, eff, str(o["title"]), tuple(str(s) for s in srcs)))
    return Notices(tuple(issues), tuple(rules), window)


def _bundled(name: str) -> str:
    return (resources.files("exportctl.data") / "federal_register" / name).read_text(encoding="utf-8")


# -- the page table ------------------------------------------------------------------------------------

PAGES_HEADER = ("volume", "first_page", "last_page", "date", "source")


class PageDates:
    """Publication-date bounds of any Federal Register page, from anchors (volume, first, last, date)."""

    def __init__(self, anchors: Iterable[tuple[int, int, int, dt.date]]) -> None:
        by_vol: dict[int, list[tuple[int, int, dt.date]]] = {}
        for v, first, last, day in anchors:
            by_vol.setdefault(v, []).append((first, last, day))
        self._vols = {v: sorted(rows) for v, rows in by_vol.items()}
        self._firsts = {v: [r[0] for r in rows] for v, rows in self._vols.items()}

    def bounds(self, c: Citation) -> tuple[dt.date, dt.date]:
        """(earliest, latest) publication date of the page: equal when an anchor holds it."""
        year = volume_year(c.volume)
        lo, hi = dt.date(year, 1, 1), dt.date(year, 12, 31)
        rows = self._vols.get(c.volume, [])
        if not rows:
            return lo, hi
        i = bisect.bisect_right(self._firsts[c.volume], c.page)
        for _first, last, day in rows[:i]:  # anchors starting at or before the page
            if last >= c.page:
                return day, day
            lo = max(lo, day)
        for _first, _last, day in rows[i:]:  # anchors after the page
            hi = min(hi, day)
        return lo, max(lo, hi)


def read_pages(path: Path | str | None = None) -> list[tuple[int, int, int, dt.date, str]]:
    """The anchors of pages.csv (the bundled one by default)."""
    p = str(path) if path else "federal_register/pages.csv"
    text = Path(path).read_text(encoding="utf-8") if path else _bundled("pages.csv")
    rows = list(csv.reader(text.splitlines()))
    if not rows or tuple(rows[0]) != PAGES_HEADER:
        raise DataError(f"expected the header {','.join(PAGES_HEADER)}", file=p, line=1)
    out = []
    for line, r in enumerate(rows[1:], start=2):
        if len(r) != len(PAGES_HEADER):
            raise DataError(f"expected {len(PAGES_HEADER)} fields, got {len(r)}", file=p, line=line)
        try:
            v, first, last, day = int(r[0]), int(r[1]), int(r[2]), dt.date.fromisoformat(r[3])
        except ValueError as err:
            raise DataError(f"bad anchor: {err}", file=p, line=line) from None
        if last < first or day.year != volume_year(v):
            raise DataError("pages out of order or date outside the volume's year", file=p, line=line)
        out.append((v, first, last, day, r[4]))
    return out


def load_page_dates(path: Path | str | None = None) -> PageDates:
    """The page table of pages.csv (the bundled one by default)."""
    return PageDates((v, f, last, d) for v, f, last, d, _ in read_pages(path))


def consistent(
    anchors: list[tuple[int, int, int, dt.date, str]],
) -> tuple[list[tuple[int, int, int, dt.date, str]], list[tuple[int, int, int, dt.date, str]]]:
    """Split anchors into those whose dates rise with their pages and those that contradict the others.

    Within a volume, a later page never has an earlier date; an anchor taking part in a contradiction is
    dropped, the one with most contradictions first, until none is left.
    """
    keep = sorted(set(anchors))
    dropped: list[tuple[int, int, int, dt.date, str]] = []
    while True:
        clash: dict[int, int] = {}
        for i, a in enumerate(keep):
            for j in range(i + 1, len(keep)):
                b = keep[j]
                if b[0] != a[0]:
                    break
                overlap = b[1] <= a[2]
                if (overlap and b[3] != a[3]) or (not overlap and b[3] < a[3]):
                    clash[i] = clash.get(i, 0) + 1
                    clash[j] = clash.get(j, 0) + 1
        if not clash:
            return keep, dropped
        worst = max(clash, key=lambda k: (clash[k], k))
        dropped.append(keep.pop(worst))
