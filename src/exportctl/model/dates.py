"""Dates and half-open date intervals `[start, end)`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from exportctl.errors import InputError

Date = dt.date


def parse_date(value: str | dt.date, field: str = "date") -> dt.date:
    """Parse an ISO date (YYYY-MM-DD), raising InputError naming `field`."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(f"not a date in the form YYYY-MM-DD: {value!r}", field=field) from None


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open interval of days: `start` included, `end` excluded; None means unbounded."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise InputError(f"interval ends ({self.end}) before it starts ({self.start})", field="end")

    def contains(self, day: dt.date) -> bool:
        """True when `day` lies in [start, end)."""
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def overlaps(self, other: Interval) -> bool:
        """True when the two intervals share at least one day."""
        lo = max(self.start or dt.date.min, other.start or dt.date.min)
        hi = min(self.end or dt.date.max, other.end or dt.date.max)
        return lo < hi

    def intersect(self, other: Interval) -> Interval | None:
        """The common part of two intervals, or None when they do not overlap."""
        if not self.overlaps(other):
            return None
        starts = [d for d in (self.start, other.start) if d is not None]
        ends = [d for d in (self.end, other.end) if d is not None]
        return Interval(max(starts) if starts else None, min(ends) if ends else None)

    def __str__(self) -> str:
        return f"[{self.start or '-inf'}, {self.end or '+inf'})"
