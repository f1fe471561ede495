"""Days that answer alike: a question answered on one day is answered on every day of the same span.

A new single question on a day never asked ran the whole columnar plan (~60-110 ms warm: the regime's
frames, the key's work, the row), although a question naming no party, asked for a US export with no
scenario, depends on its date only through comparisons with the dates the engine is given: the
registry's (every date of a US-EAR or US-OFAC measure or of a measure acting on one: its effects' and
actions' days, `known_on`; coverage and families' `researched_through`; snapshot statements), the EAR
rules file's (exceptions' first days, §744.21's countries, the destinations that follow another), the
EAR tables' (Country Group `since`, snapshot dates) and the data version's sources. A date in the engine
is a bug (tests/engine/test_no_legal_literals.py), so those are all of them. Every such date `d` splits
the calendar at `d` and at `d + 1` (a test `as_of < d` flips at d, `as_of <= d` at d + 1): two days in
the same span compare alike with each, so every rule the engine applies gives the same result on both,
and the answer differs only in the day it echoes (`as_of`, the regime id, and texts naming the day, "63
measures in force on 2025-06-01").

So ops.neighbours keeps such answers (and blocks of them) per span, and a day of the span is answered
from a kept one by `restamp`: the kept day replaced by the asked one wherever it appears. A kept day is
only lent when no input names it (`lends`): its ISO form then appears in an answer only as the asked
day, and the replacement is exact. tests/ops/test_day_spans.py compares restamped answers with the
columnar plan's on random questions and days.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from exportctl.ops.check import Context

__all__ = ["DaySpans", "dates_in", "day_spans", "restamp"]

# a measure's claims are commentary (left out of Registry.content_hash too): no answer reads them
_COMMENTARY = frozenset({"claims"})
_ISO = r"\d{4}-\d{2}-\d{2}"  # over-reading (a longer number) only adds a harmless cut


class DaySpans:
    """The spans of days the inputs of a Context cannot tell apart, and the days an input names."""

    def __init__(self, named: Iterable[dt.date]) -> None:
        self.named = frozenset(named)
        cuts = set(self.named)
        cuts.update(d + dt.timedelta(days=1) for d in self.named if d < dt.date.max)
        self._cuts = sorted(cuts)

    def span(self, day: dt.date) -> int:
        """The span of `day`: days with the same number compare alike with every date of the inputs."""
        return bisect.bisect_right(self._cuts, day)

    def lends(self, day: dt.date) -> bool:
        """An answer computed on `day` may answer another day of its span (no input names `day`)."""
        return day not in self.named

    def first_days(self) -> list[dt.date]:
        """The first day of every span (but the one before the first cut): answered together, they answer
        a question on every day, restamped (a day an input names is a span of its own, answered as is)."""
        return list(self._cuts)

    def __len__(self) -> int:
        return len(self._cuts)


def day_spans(ctx: Context) -> DaySpans:
    """The DaySpans of a Context's registry, EAR rules, EAR tables and data version."""
    from exportctl.engine.ear.determine import US_JURISDICTIONS
    from exportctl.registry.rules import ear_rules
    from exportctl.registry.snapshots import table_dating

    reg = ctx.registry
    found: set[dt.date] = set()
    # the measures the US EAR engine reads (its jurisdictions') and any measure acting on one of them: a
    # tariff's or a PRC measure's dates neither decide nor appear in a US export's answer
    us = {mid for mid, m in reg.measures.items() if m.jurisdiction in US_JURISDICTIONS}
    read = [
        m
        for mid, m in reg.measures.items()
        if mid in us or any(a.target.split("#")[0] in us for a in m.actions)
    ]
    dates_in(read, found)
    dates_in([reg.settings, reg.coverage, reg.known_through, table_dating(reg), ear_rules()], found)
    dates_in([ctx.tables, [s.date for s in ctx.dataset.sources]], found)
    return DaySpans(found)


def dates_in(obj: Any, out: set[dt.date]) -> None:
    """Add to `out` every date in `obj`: date values, ISO dates in text, Date columns and ISO dates in
    the text columns of frames, through dicts, sequences, dataclasses and pydantic models."""
    seen: set[int] = set()
    todo = [obj]
    while todo:
        x = todo.pop()
        if x is None or isinstance(x, bool | int | float | bytes):
            continue
        if isinstance(x, dt.datetime):
            out.add(x.date())
        elif isinstance(x, dt.date):
            out.add(x)
        elif isinstance(x, str):
            out.update(_parsed(m) for m in re.findall(_ISO, x))
        elif id(x) in seen:
            continue
        elif isinstance(x, pl.DataFrame):
            seen.add(id(x))
            _frame_dates(x, out)
        elif isinstance(x, dict):
            seen.add(id(x))
            todo.extend(x.keys())
            todo.extend(x.values())
        elif isinstance(x, list | tuple | set | frozenset):
            seen.add(id(x))
            todo.extend(x)
        elif dataclasses.is_dataclass(x):
            seen.add(id(x))
            todo.extend(getattr(x, f.name) for f in dataclasses.fields(x))
        elif hasattr(x, "__dict__"):  # a pydantic model or another object: its public attributes
            seen.add(id(x))
            todo.extend(v for k, v in vars(x).items() if not k.startswith("_") and k not in _COMMENTARY)


def _parsed(iso: str) -> dt.date:
    try:
        return dt.date.fromisoformat(iso)
    except ValueError:
        return dt.date.min  # not a day ("2025-13-45"): a harmless cut


def _frame_dates(frame: pl.DataFrame, out: set[dt.date]) -> None:
    for name, dtype in frame.schema.items():
        col = frame[name]
        if dtype == pl.Date:
            out.update(d for d in col.drop_nulls().unique().to_list())
        elif dtype == pl.Datetime:
            out.update(d.date() for d in col.drop_nulls().unique().to_list())
        elif dtype in (pl.Utf8, pl.String):
            iso = col.drop_nulls().str.extract_all(_ISO)
            out.update(_parsed(m) for m in iso.explode().drop_nulls().unique().to_list())
        elif isinstance(dtype, pl.List | pl.Struct):
            dates_in(col.drop_nulls().to_list(), out)


def restamp(row: dict[str, Any], lent: dt.date, day: dt.date, regime: str) -> dict[str, Any]:
    """The result row `row`, answered on `lent`, as the answer on `day` of the same span: the day
    replaced wherever it appears (its value, its ISO form in texts) and the regime id of `day`."""
    old, new = lent.isoformat(), day.isoformat()

    def swap(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(old, new) if old in value else value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return day if value == lent else value
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    out: dict[str, Any] = swap(row)
    out["regime"] = regime
    return out
