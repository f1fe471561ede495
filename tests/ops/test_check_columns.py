"""ops.check_columns: header spellings, explicit mappings and the refusal of columns with no place."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.ops.check_columns import (
    FIELDS,
    PARTY_ROLES,
    column_options,
    field_of,
    load_column_map,
    normalise_header,
    other_languages,
    place_columns,
)

ERP = ["SO Number", "Ship Date", "ECCN", "Description", "Ship-To Country", "Customer", "End User"]
SPELLINGS = sorted({s for name, aliases in FIELDS.items() for s in (name, *aliases)})


def _respell(words: list[str], seps: list[str], cases: list[int]) -> str:
    """One header written as people do: words joined by any separator, in any case."""
    out = []
    for i, w in enumerate(words):
        w = (w.lower(), w.upper(), w.title())[cases[i % len(cases)]]
        out.append(w + (seps[i % len(seps)] if i < len(words) - 1 else ""))
    return "".join(out)


@given(
    spelling=st.sampled_from(SPELLINGS),
    seps=st.lists(st.sampled_from([" ", "_", "-", ".", "  ", " - ", "/"]), min_size=1, max_size=3),
    cases=st.lists(st.integers(0, 2), min_size=1, max_size=3),
    pad=st.sampled_from(["", " ", "\t", " :"]),
)
def test_any_spelling_reads_as_its_field(spelling: str, seps: list[str], cases: list[int], pad: str) -> None:
    header = pad + _respell(normalise_header(spelling).split(), seps, cases) + pad
    assert field_of(header) == field_of(spelling) is not None


@given(st.text(max_size=40))
def test_normalise_is_idempotent_and_plain(text: str) -> None:
    once = normalise_header(text)
    assert normalise_header(once) == once
    assert once == once.strip() and "  " not in once and "_" not in once


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_- .#", max_size=30))
def test_case_does_not_matter(text: str) -> None:
    assert normalise_header(text.upper()) == normalise_header(text.lower())


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Ship-To Country", "destination"),
        ("ship_to_country", "destination"),
        ("SHIP TO CTRY", "destination"),
        ("ShipToCountry", "destination"),
        ("Customer Name", "purchaser"),
        ("Sold-To Party", "purchaser"),
        ("Bill To", "purchaser"),
        ("Consignee", "ultimate_consignee"),
        ("Ultimate Consignee Country", "ultimate_consignee_country"),
        ("End-User", "end_user"),
        ("Freight Forwarder", "intermediate_consignee"),
        ("SO Number", "order_id"),
        ("SO #", "order_id"),
        ("PO No.", "order_id"),
        ("Qty", "quantity"),
        ("Extended Value", "value"),
        ("Line Value", "value"),
        ("Value (USD)", "value"),
        ("Curr.", "currency"),
        ("SKU", "part_number"),
        ("Material No", "part_number"),
        ("Order Date", "date"),
        ("as_of", "date"),
        ("Export Classification", "eccn"),
        ("Export Class", "eccn"),
        ("Export Control Classification", "eccn"),
        ("Dest. Ctry", "destination"),
        ("Item Description", "description"),
        # SAP SD list reports (VA05, VL06O) as exported to a spreadsheet
        ("Sales Doc.", "order_id"),
        ("Planned GI Date", "date"),
        ("Act. Gds Mvmnt Date", "date"),
        ("Export Control Class. No.", "eccn"),
        ("ECCN No.", "eccn"),
    ],
)
def test_erp_spellings(header: str, field: str) -> None:
    assert field_of(header) == field


def test_the_issues_erp_book_is_placed_whole() -> None:
    p = place_columns(ERP)
    assert p.fields == {
        "date": "Ship Date",
        "eccn": "ECCN",
        "description": "Description",
        "destination": "Ship-To Country",
        "purchaser": "Customer",
        "end_user": "End User",
    }
    assert p.references == {"order_id": ["SO Number"]} and p.has_parties


@pytest.mark.parametrize(
    ("header", "suggested"),
    [("Material ECCN", "eccn"), ("Consignee Ship To Country", "destination"), ("Customer HS Code", "hts")],
)
def test_an_unplaced_header_suggests_its_head_noun(header: str, suggested: str) -> None:
    # 'Material ECCN' is the ECCN of a material, not a part number: the known tail wins the suggestion
    with pytest.raises(InputError) as err:
        place_columns([header], source="book.csv")
    assert f"{header}={suggested}" in err.value.suggestions


def test_an_unknown_column_refuses_by_name_with_the_accepted_names() -> None:
    with pytest.raises(InputError) as err:
        place_columns([*ERP, "Lager", "Destinaton"], source="book.csv")
    e = err.value
    assert e.field == "columns"
    assert "'Lager'" in e.message and "'Destinaton' (closest: destination)" in e.message
    assert "destination" in e.message and "purchaser" in e.message and "--ignore-column" in e.message
    assert "Destinaton=destination" in e.suggestions
    assert "\n" not in e.one_line()


def test_mapping_and_ignoring_place_every_column() -> None:
    p = place_columns([*ERP, "Kunde", "Lager"], {"Kunde": "intermediate_consignee"}, ["Lager"])
    assert p.fields["intermediate_consignee"] == "Kunde" and p.ignored == ["Lager"]
    # a mapping overrides the recognised role
    q = place_columns(ERP, {"Customer": "ultimate_consignee"})
    assert q.fields["ultimate_consignee"] == "Customer" and "purchaser" not in q.fields


def test_two_columns_on_one_field_are_refused_naming_both() -> None:
    with pytest.raises(InputError) as err:
        place_columns(["ECCN", "Destination", "Customer", "Bill-To"])
    assert "'Customer' and 'Bill-To'" in err.value.message and err.value.field == "columns"
    with pytest.raises(InputError) as err2:
        place_columns(["ECCN", "Destination", "Order Date", "Ship Date"])
    assert "'Order Date' and 'Ship Date'" in err2.value.message
    # references may repeat: both ids are kept for the user to join back
    assert place_columns(["ECCN", "Destination", "SO Number", "PO Number"]).references["order_id"] == [
        "SO Number",
        "PO Number",
    ]


def test_mapping_a_column_the_book_lacks_is_refused() -> None:
    with pytest.raises(InputError) as err:
        place_columns(ERP, {"Kunde": "purchaser"})
    assert "'Kunde'" in err.value.message
    with pytest.raises(InputError):
        place_columns(ERP, ignore=["Lager"])


def test_a_results_file_can_be_checked_again() -> None:
    headers = ["order_id", "eccn", "destination", "date", "verdict", "reasons", "as_of", "data_version"]
    p = place_columns(headers, text_columns=headers)
    assert p.fields["date"] == "date" and "as_of" in p.results and "verdict" in p.results
    # `parties` as text holds names to screen: it must be placed, not taken for earlier results
    with pytest.raises(InputError):
        place_columns(["eccn", "destination", "parties"], text_columns=["eccn", "destination", "parties"])
    assert place_columns(["eccn", "destination", "parties"], text_columns=["eccn", "destination"]).results


def test_column_options_read_header_then_field() -> None:
    assert column_options(["Ship Ctry=destination", "Sold-To=customer", "a=b=eccn"]) == {
        "Ship Ctry": "destination",
        "Sold-To": "purchaser",
        "a=b": "eccn",
    }
    with pytest.raises(InputError) as err:
        column_options(["destination=Lager"])  # written field first
    assert err.value.suggestions == ["Lager=destination"]
    with pytest.raises(InputError) as err2:
        column_options(["Lager=destinaton"])
    assert "destination" in err2.value.suggestions
    with pytest.raises(InputError):
        column_options(["Lager"])


def test_column_map_file(tmp_path: Path) -> None:
    good = tmp_path / "map.yaml"
    good.write_text("Kunde: customer\nEmpfänger: ultimate_consignee\nLand: destination\n", encoding="utf-8")
    assert load_column_map(good) == {
        "Kunde": "purchaser",
        "Empfänger": "ultimate_consignee",
        "Land": "destination",
    }
    for text in ("- a\n- b\n", "Kunde: [x]\n", "Kunde: nonsense\n", "a: : :\n"):
        bad = tmp_path / "bad.yaml"
        bad.write_text(text)
        with pytest.raises(InputError) as err:
            load_column_map(bad)
        assert err.value.field == "columns"
    with pytest.raises(InputError):
        load_column_map(tmp_path / "missing.yaml")


def test_every_party_role_has_a_country_field() -> None:
    for role in PARTY_ROLES:
        assert field_of(role) == role and field_of(f"{role} country") == f"{role}_country"


_PLAIN = str.maketrans("áàâäçéèêëíîïñóôöúùûüÁÉÍÓÚÑ", "aaaaceeeeiiinooouuuuAEIOUN")
OTHER = sorted(
    (spelling, name)
    for name, by_language in other_languages().items()
    for words in by_language.values()
    for spelling in words
)


@given(
    pair=st.sampled_from(OTHER),
    seps=st.lists(st.sampled_from([" ", "_", "-", "  "]), min_size=1, max_size=3),
    cases=st.lists(st.integers(0, 2), min_size=1, max_size=3),
    accents=st.booleans(),
)
def test_other_languages_read_as_their_field(
    pair: tuple[str, str], seps: list[str], cases: list[int], accents: bool
) -> None:
    spelling, name = pair
    header = _respell(normalise_header(spelling).split(), seps, cases)
    if not accents:  # typed without accents: 'Date d expedition'
        header = header.translate(_PLAIN)
    assert field_of(header) == name


def test_no_spelling_reads_as_two_fields() -> None:
    seen: dict[str, str] = {}
    for name, aliases in FIELDS.items():
        for s in (name, *aliases):
            seen.setdefault(normalise_header(s), name)
    clashes = [
        (s, name, seen[normalise_header(s)])
        for s, name in OTHER
        if seen.setdefault(normalise_header(s), name) != name
    ]
    assert clashes == []


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("N° commande", "order_id"),
        ("Pays de destination", "destination"),
        ("Date d'expédition", "date"),
        ("Kunde", "purchaser"),
        ("Warenempfaenger", "ultimate_consignee"),
        ("Bestimmungsland", "destination"),
        ("客户名称", "purchaser"),
        ("出荷日", "date"),
        ("Fecha de envío", "date"),
    ],
)
def test_other_language_headers(header: str, field: str) -> None:
    assert field_of(header) == field


@pytest.mark.parametrize("header", ["Ausfuhrlistennummer", "Data", "データ"])
def test_doubtful_headers_stay_refused(header: str) -> None:
    with pytest.raises(InputError) as err:
        place_columns([header, "ECCN", "Country"])
    assert err.value.field == "columns"
