"""Single answers kept per Context: a question asked again is answered without running the engines.

A warm single determination ran ~700 polars operations on a one-row frame (~40 ms), while its answer is
a pure function of what the Context holds (data version, registry, EAR tables, lists) and of the
question: the transaction's fields, `fuzzy`, the EAR rules file, and for a row naming parties the
reviewers' current decisions. An order system asks the same (ECCN, destination, date) again and again,
so the result row of each question is kept on its Context (so a new data version or registry never
sees another's answers), keyed by exactly those inputs. A question asked the first time runs the one
batch path (`check_table`), which is what makes both paths answer identically; the result is kept
pickled, so every caller gets its own copy to change.

Not kept: questions with a scenario (an object with no content key), and answers of a row whose input
was refused (they raise).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import polars as pl

from exportctl.engine.common.memo import Lru
from exportctl.registry.rules import ear_rules_hash

__all__ = ["KEPT_ANSWERS", "SingleAnswers", "question_key"]

KEPT_ANSWERS = 4096  # result rows kept per Context (a few KB each)


def question_key(row: Mapping[str, Any], fuzzy: bool, decided: pl.DataFrame | None) -> tuple[Hashable, ...]:
    """What a single answer depends on beyond its Context: the row's fields, fuzzy matching, the EAR
    rules' content and, when it names parties, the reviewers' current false-positive decisions."""
    reviews = None if decided is None else tuple(decided.rows())
    return (tuple(sorted(row.items())), bool(fuzzy), ear_rules_hash(), reviews)


class SingleAnswers:
    """The result rows of single questions answered on one Context (bounded, least recently used)."""

    def __init__(self, kept: int = KEPT_ANSWERS) -> None:
        self._rows: Lru[bytes] = Lru(kept)

    def row(self, key: tuple[Hashable, ...], run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The result row of the question `key`: a copy of the kept one, else `run()` kept."""
        kept = self._rows.get(key)
        if kept is not None:
            loaded: dict[str, Any] = pickle.loads(kept)
            return loaded
        row = run()
        if row.get("error") is None:
            self._rows.put(key, pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL))
        return row

    def __len__(self) -> int:
        return len(self._rows)

    def clear(self) -> None:
        """Forget every kept answer."""
        self._rows.clear()
