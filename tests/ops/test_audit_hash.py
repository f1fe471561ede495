"""record_hash writes the record's JSON with orjson where it can: the very hash canonical() gives."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.store.audit import FIELDS, GENESIS, canonical, record_hash

TEXT = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=40
)  # surrogates too
VALUE = st.one_of(TEXT, st.integers(-(2**70), 2**70))


def _reference(prev: str, fields: dict[str, object]) -> str:
    body = canonical({k: fields[k] for k in FIELDS})
    return hashlib.sha256((prev + body).encode("utf-8")).hexdigest()  # record_hash as it was


@settings(max_examples=300, deadline=None)
@given(values=st.fixed_dictionaries({k: VALUE for k in FIELDS}), prev=st.sampled_from([GENESIS, "ab" * 32]))
def test_record_hash_is_the_canonical_json_hash(values: dict[str, object], prev: str) -> None:
    try:
        expected = _reference(prev, values)
    except UnicodeEncodeError:  # a lone surrogate: it never could be hashed, and still cannot
        with pytest.raises(UnicodeEncodeError):
            record_hash(prev, values)
        return
    assert record_hash(prev, values) == expected


def test_record_hash_of_a_record_with_escapes_and_non_ascii() -> None:
    fields = {k: f'{k} "q" \\ \n\t\x00\x1f\x7f\u2028 é 中 😀' for k in FIELDS} | {"seq": 7}
    assert record_hash(GENESIS, fields) == _reference(GENESIS, fields)
