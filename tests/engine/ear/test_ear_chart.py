"""Control rows read as data: destination tests and paragraph scopes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.ear.chart import dest_rule, para_applies, paragraph_scope


@pytest.mark.parametrize(
    ("chart_text", "control", "rule"),
    [
        ("NS Column 2.", "NS applies to entire entry", "col:NS2"),
        ("Column 1.", "AT applies to entire entry", "col:AT1"),
        (
            "To or within any destination worldwide, see § 742.6(a)(6)(iii)(A) of the EAR.",
            "RS applies to 3A090.a",
            "worldwide",
        ),
        (
            "To or within Macau or a destination specified in Country Group D:5 ...",
            "RS applies to 3A090.c",
            "macau_d5",
        ),
        (
            "To or within the United Arab Emirates or destinations "
            "specified in Country Groups D:1, D:4, and D:5 ... "
            "excluding any destination also specified in Country Groups A:5 or A:6.",
            "RS applies to 3A090.b",
            "uae_d1d4d5_not_a5a6",
        ),
        ("China, Russia or Venezuela (see § 742.6(a)(7)).", "RS applies to 9A515.y", "cn_ru_ve"),
        ("See § 746.1(b) for UN controls", "UN applies to entire entry", "un"),
        ("Refer to § 742.15 of the EAR.", "EI applies to entire entry", "not_ca"),
        ("See § 742.6(a)(11) of the EAR.", "RS applies to entire entry", "see_text"),
    ],
)
def test_dest_rule(chart_text: str, control: str, rule: str) -> None:
    assert dest_rule(chart_text, control)[0] == rule


def test_dest_rule_keeps_the_section() -> None:
    assert (
        dest_rule("To or within Macau or ... D:5 ... See § 742.4(a)(4) of the EAR.", "NS applies to 3B002.c")[
            1
        ]
        == "742.4(a)(4)"
    )


def test_paragraph_scope_ranges_and_exceptions() -> None:
    kind, paras = paragraph_scope(
        "3B001", "NS applies to 3B001.a.4, c, d, f.1, f.5, f.6, k to n, p.2, p.4, r"
    )
    assert kind == "listed"
    assert {"a.4", "c", "k", "l", "m", "n", "p.2", "r"} <= set(paras)
    assert paragraph_scope("9A515", "NS applies to entire entry, except 9A515.e, .x and .y") == (
        "except",
        ["e", "x", "y"],
    )
    assert paragraph_scope("3A090", "AT applies to entire entry") == ("entire", [])
    assert (
        paragraph_scope("1E001", 'NS applies to "technology" for items controlled by 1A002, 1A003')[0]
        == "described"
    )


def test_para_applies() -> None:
    assert para_applies("listed", ["a"], "a.1") == "yes"
    assert para_applies("listed", ["a"], "b") == "no"
    assert para_applies("listed", ["z.1.a"], "z") == "conditional"  # the item is wider than the row
    assert para_applies("listed", ["a"], None) == "conditional"  # bare ECCN: rows differ by subparagraph
    assert para_applies("except", ["y"], "y.1") == "no"
    assert para_applies("except", ["y"], "a") == "yes"
    assert para_applies("entire", [], None) == "yes"


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "c.1", "z.2.a"]), min_size=1, max_size=3),
    st.sampled_from(["a", "a.1", "b.2", "c.1.x", "z", None]),
)
def test_para_applies_total(paras: list[str], para: str | None) -> None:
    assert para_applies("listed", paras, para) in ("yes", "no", "conditional")
    # an item inside a listed paragraph is always reached
    if para is not None and any(para == p or para.startswith(p + ".") for p in paras):
        assert para_applies("listed", paras, para) == "yes"
