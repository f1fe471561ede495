"""The other languages' header vocabulary (data/vocabulary/column_headers.yaml) is read only when a
header is not an English spelling, and the lazy table answers exactly as the whole one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exportctl.ops import column_spellings as cs


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the vocabulary file is read."""
    reads: list[int] = []
    real = cs.other_languages

    def read() -> dict[str, dict[str, list[str]]]:
        reads.append(1)
        return real()

    monkeypatch.setattr(cs, "other_languages", read)
    return reads


def test_english_headers_never_read_the_vocabulary(counted: list[int]) -> None:
    table = cs._Spellings()
    assert [table.get(cs.normalise_header(h)) for h in ("Ship-To Country", "ECCN", "as_of", "Customer")] == [
        "destination",
        "eccn",
        "date",
        "purchaser",
    ]
    assert counted == []


def test_another_language_reads_it_once(counted: list[int]) -> None:
    table = cs._Spellings()
    assert table.get(cs.normalise_header("Warenempfänger")) == "ultimate_consignee"
    assert table.get(cs.normalise_header("Warenempfaenger")) == "ultimate_consignee"
    assert cs.normalise_header("Kundenname") in table
    assert table.get("no such header at all") is None
    assert counted == [1]


WHOLE = cs._lookup()


@given(st.one_of(st.sampled_from(sorted(WHOLE)), st.text(max_size=30)))
def test_the_lazy_table_answers_as_the_whole_one(key: str) -> None:
    table = cs._Spellings()
    assert table.get(key) == WHOLE.get(key)
    assert (key in table) == (key in WHOLE)


def test_listing_every_spelling_gives_the_whole_table() -> None:
    assert dict(cs._Spellings()) == WHOLE and len(cs.SPELLINGS) == len(WHOLE)
