"""ops.party_columns: parties-file headers as CRMs and KYC tools export them are read, or refused by name;
an unread column is carried through and named, never dropped; the id column's header names the ids' kind."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from exportctl.errors import InputError
from exportctl.fronts.cli.main import app
from exportctl.ops.party_columns import PARTY_FIELDS, id_kind_of, party_field, place_party_columns
from exportctl.ops.party_file import read_parties

VOCABULARY = Path(__file__).parents[2] / "src" / "exportctl" / "data" / "vocabulary" / "party_headers.yaml"
SPELLINGS = sorted(
    (str(s), name)
    for name, by in yaml.safe_load(VOCABULARY.read_text(encoding="utf-8")).items()
    for words in by.values()
    for s in words
)


@given(
    pair=st.sampled_from(SPELLINGS),
    sep=st.sampled_from([" ", "_", "-", "."]),
    case=st.sampled_from([str.lower, str.upper, str.title, str]),
)
def test_every_spelling_reads_as_its_field_however_written(
    pair: tuple[str, str], sep: str, case: object
) -> None:
    spelling, name = pair
    written = case(spelling.replace(" ", sep))  # type: ignore[operator]
    assert party_field(written) == name


EN_NAMES = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))["name"]["en"]
ROLES = [str(s).removesuffix(" name") for s in EN_NAMES]
ROLES = [r for r in ROLES if r not in ("name", "full", "legal")]


@given(
    role=st.sampled_from(ROLES),
    pair=st.sampled_from([p for p in SPELLINGS if p[1] != "name"]),
    sep=st.sampled_from([" ", "_", "-", "."]),
    case=st.sampled_from([str.lower, str.upper, str.title, str]),
)
def test_a_field_after_the_partys_role_reads_as_that_field(
    role: str, pair: tuple[str, str], sep: str, case: object
) -> None:
    # a payment file's 'Beneficiary Country', a KYC export's 'Customer Date of Birth'
    spelling, name = pair
    written = case(f"{role} {spelling}".replace(" ", sep))  # type: ignore[operator]
    assert party_field(written) == name


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Beneficiary Country", "country"),
        ("Customer Country of Incorporation", "country"),
        ("Counterparty DOB", "dob"),
        ("Client Tax ID", "id_number"),
        ("Legal Entity Country", "country"),
        ("Beneficiary Bank Country", None),  # the bank's country, not the beneficiary's
        ("Kunde Land", None),  # German puts the role after the field: Land des Kunden
        ("Account Name", "name"),
        ("Legal Entity Name", "name"),
        ("Kundenname", "name"),
        ("客户名称", "name"),
        ("Country of Incorporation", "country"),
        ("Country (ISO)", "country"),
        ("Staatsangehoerigkeit", "nationality"),
        ("Date of Birth", "dob"),
        ("Passport No.", "id_number"),
        ("IMO Number", "id_number"),
        ("Customer No.", "id"),
        ("Account Owner", None),
        ("Country (final)", None),
        ("Date of Birth (DD/MM/YYYY)", None),  # a stated format check_dob does not read: not placed
    ],
)
def test_headers(header: str, field: str | None) -> None:
    assert party_field(header) == field


def test_the_ids_kind_comes_from_its_header() -> None:
    assert id_kind_of("Passport No.") == "passport"
    assert id_kind_of("IMO Number") == "imo"
    assert id_kind_of("ID Number") is None


def test_no_name_column_is_refused_with_a_suggestion() -> None:
    with pytest.raises(InputError) as err:
        place_party_columns(["Registered Name", "Country"])
    assert err.value.field == "name" and "Registered Name=name" in err.value.suggestions
    # the customer's legal name is the party's name
    assert place_party_columns(["Customer Legal Name", "Country"]).fields["Customer Legal Name"] == "name"


def test_two_columns_on_one_field_are_refused_naming_both() -> None:
    with pytest.raises(InputError) as err:
        place_party_columns(["Name", "DOB", "Date of Birth"])
    assert "'DOB' and 'Date of Birth'" in err.value.message
    placed = place_party_columns(["Name", "DOB", "Date of Birth"], ignore=["DOB"])
    assert placed.fields == {"Name": "name", "Date of Birth": "dob"} and placed.ignored == ["DOB"]


@given(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=6, unique=True))
def test_every_header_is_read_carried_or_refused(headers: list[str]) -> None:
    try:
        placed = place_party_columns(headers)
    except InputError as err:
        assert err.field in ("name", "columns")
        return
    assert sorted([*placed.fields, *placed.carried]) == sorted(headers)
    assert set(placed.fields.values()) <= set(PARTY_FIELDS) and "name" in placed.fields.values()


def test_a_crm_export_screens_with_its_evidence(tmp_path: Path) -> None:
    parties = tmp_path / "crm.csv"
    parties.write_text(
        "Account Name,Country of Incorporation,Passport No.,Account Owner\nIvan Sidorov,RU,1234567,jane\n",
        encoding="utf-8",
    )
    df, placed = read_parties(parties)
    assert df.columns == ["name", "country", "id_number", "Account Owner"]
    assert df["id_number"].to_list() == ["passport:1234567"] and placed.carried == ["Account Owner"]
    result = CliRunner().invoke(app, ["screen", str(parties), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code in (0, 1), result.output
    assert "carried through to the output unread" in result.stderr and "'Account Owner'" in result.stderr
    mapped = CliRunner().invoke(
        app, ["screen", str(parties), "--ignore-column", "Account Owner", "-o", str(tmp_path / "p.csv")]
    )
    assert mapped.exit_code in (0, 1) and "unread" not in mapped.stderr


def test_column_option_maps_a_header_and_needs_a_file(tmp_path: Path) -> None:
    parties = tmp_path / "p.csv"
    parties.write_text("Geschaeftspartner,Land\nSiemens AG,DE\n", encoding="utf-8")
    refused = CliRunner().invoke(app, ["screen", str(parties)])
    assert refused.exit_code == 2 and "no column of party names" in refused.stderr
    ok = CliRunner().invoke(app, ["screen", str(parties), "--column", "Geschaeftspartner=name", "-f", "json"])
    assert ok.exit_code in (0, 1), ok.stderr
    name_only = CliRunner().invoke(app, ["screen", "Siemens AG", "--column", "X=name"])
    assert name_only.exit_code == 2 and "--column needs a parties file" in name_only.stderr
