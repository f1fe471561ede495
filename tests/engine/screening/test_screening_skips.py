"""What screening may skip before scoring a candidate (screen.screen_tokens), and why that is safe: a CJK
person name scores 0 against an organisation whatever its parts, and no adjustment lifts a name score over 1,
so an entry whose country and type factors stay below the threshold never becomes a hit."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import build_index, screen
from exportctl.engine.screening.forms import whole_name
from exportctl.engine.screening.score import Part, Scored

_TOKEN = st.text(alphabet="abcdehiklmnorsuyz", min_size=1, max_size=6)
_PART = st.builds(
    Part,
    _TOKEN | st.just(""),
    _TOKEN | st.just(""),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
)


@given(
    st.floats(0.0, 1.0),
    st.lists(_PART, max_size=4),
    st.lists(_TOKEN, min_size=1, max_size=4),
    st.sampled_from(["", "김정은", "高市早苗", "佐藤陽翔", "王伟"]),
)
@settings(max_examples=80, deadline=None)
def test_cjk_person_never_meets_an_organisation(
    score: float, parts: list[Part], listed: list[str], chars: str
) -> None:
    assert whole_name(Scored(score, tuple(parts)), listed, True, chars).score == 0.0


def _lists() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "list": ["t"] * 4,
            "entity_id": ["1", "2", "3", "4"],
            "name": ["Emily Sarova", "Emily Sarova Trading LLC", "EMILY SAROVA", "王伟"],
            "type": ["person", "entity", "vessel", "entity"],
            "countries": [["RU"], ["RU"], ["PA"], ["CN"]],
        }
    )


@given(
    st.floats(0.0, 1.0),
    st.integers(0, 3),
    st.sampled_from(["", "RU", "PA", "CN", "DE"]),
    st.sampled_from(["", "person", "entity", "vessel", "aircraft"]),
)
@settings(max_examples=100, deadline=None)
def test_factors_cap_the_adjusted_score(score: float, entry: int, country: str, qtype: str) -> None:
    # screen_tokens skips an entry when its factors alone (a name scoring 1) stay below the threshold.
    from exportctl.engine.screening.screen import _adjust

    index = build_index(_lists())
    assert _adjust(index, entry, score, country, qtype)[0] <= _adjust(index, entry, 1.0, country, qtype)[0]


@given(
    st.sampled_from(["Emily Sarova", "Emily Sarowa", "Sarova Emily", "王伟", "Emily Sarova Trading"]),
    st.sampled_from(["", "person", "entity", "vessel"]),
)
@settings(max_examples=30, deadline=None)
def test_name_scores_stay_at_most_one(name: str, qtype: str) -> None:
    hits = screen(build_index(_lists()), pl.DataFrame({"name": [name], "type": [qtype]}), threshold=0.0)
    assert all(0.0 < s <= 1.0 for s in hits["score"].to_list())
