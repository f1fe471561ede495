"""Dates of birth as parties files write them: read like an order book's dates (ops.check_dates).

A date of birth is screening evidence that can lower a score (a contradicting date takes a listed
person's hit below the alert threshold), so a misread date fails open: `11/03/1957` is read as 11 March
only when the file's own dates of birth settle the day/month order (another value such as `31/12/1975`),
else refused naming its line. Partial dates (`1957`, `1957-03`) and ISO dates pass as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from exportctl.engine.screening.evidence import query_dob
from exportctl.errors import InputError
from exportctl.ops.check_dates import column_order, parse_book_date

__all__ = ["file_dobs"]


def file_dobs(values: Sequence[Any], file: str | None = None, first_line: int = 2) -> list[Any]:
    """A parties file's date-of-birth cells with every full date in a non-ISO form written YYYY-MM-DD;
    InputError naming the line for an ambiguous one (the other cells are left for check_dob to judge)."""
    texts = [v.strip() if isinstance(v, str) else None for v in values]
    order = column_order(t for t in texts if t and query_dob(t) is None)
    out: list[Any] = []
    for line, (value, text) in enumerate(zip(values, texts, strict=True), start=first_line):
        if not text or query_dob(text) is not None:
            out.append(value)
            continue
        try:
            out.append(parse_book_date(text, "dob", order=order).isoformat())
        except InputError as err:
            if "ambiguous" not in err.message:
                out.append(value)  # not a date at all: check_dob's own message names it
                continue
            raise InputError(
                f"date of birth {err.message.split(': state')[0]} and no other date of birth in the file "
                "settles the day/month order: write it YYYY-MM-DD",
                field="dob",
                file=file,
                line=line,
            ) from None
    return out
