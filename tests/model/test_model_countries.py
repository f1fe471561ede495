"""Country resolution: ISO codes, ISO names and the EAR's own spellings, all to one ISO2 key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.model.countries import all_countries, country_name, ear_name, normalize_name, resolve_country


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [
        ("CN", "CN", "China"),
        ("chn", "CN", "China"),
        ("China (PRC)", "CN", "China"),
        ("People's Republic of China", "CN", "China"),
        ("Hong Kong", "HK", "Hong Kong"),
        ("Macao", "MO", "Macau"),
        ("macau", "MO", "Macau"),
        ("Korea, South", "KR", "Korea, South"),
        ("South Korea", "KR", "Korea, South"),
        ("Republic of Korea", "KR", "Korea, South"),
        ("Korea, North", "KP", "Korea, North"),
        ("Burma", "MM", "Burma"),
        ("Myanmar", "MM", "Burma"),
        ("Türkiye", "TR", "Türkiye"),
        ("TURKEY", "TR", "Türkiye"),
        ("turkiye", "TR", "Türkiye"),
        ("Taiwan", "TW", "Taiwan"),
        ("Russia", "RU", "Russia"),
        ("Russian Federation", "RU", "Russia"),
        ("Côte d’Ivoire", "CI", "Cote d'Ivoire"),
        ("Cote d'lvoire", "CI", "Cote d'Ivoire"),  # the Country Group B typo, verbatim
        ("The Bahamas", "BS", "Bahamas, The"),
        ("Bosnia & Herzegovina", "BA", "Bosnia and Herzegovina"),
        ("St. Kitts and Nevis", "KN", "St. Kitts and Nevis"),
        ("Kosovo", "XK", "Kosovo"),
        ("UK", "GB", "United Kingdom"),
        ("  united   states ", "US", "United States"),
        ("Congo (Democratic Republic of)", "CD", "Congo (Democratic Republic of the)"),
    ],
)
def test_resolves_codes_and_names(text: str, code: str, name: str) -> None:
    country = resolve_country(text)
    assert (country.code, country.name) == (code, name)


def test_hong_kong_is_not_china() -> None:
    # country-groups.json maps "hong kong" to China (PRC): that is territory inheritance, not identity.
    assert resolve_country("hong kong sar").code == "HK"
    assert resolve_country("hk").code == "HK"


def test_unknown_country_names_field_and_suggests() -> None:
    with pytest.raises(InputError) as info:
        resolve_country("Chna", field="destination")
    assert info.value.field == "destination"
    assert "China" in info.value.suggestions
    with pytest.raises(InputError) as info:
        resolve_country("Atlantis")
    assert info.value.field == "country"
    assert "Atlantis" in info.value.message


@pytest.mark.parametrize("bad", ["", "   ", "x" * 10_000, "\x00\x01", "--"])
def test_rejects_junk(bad: str) -> None:
    with pytest.raises(InputError):
        resolve_country(bad)


def test_every_ear_name_in_the_data_resolves(shared_data: Path) -> None:
    chart = json.loads((shared_data / "ear-2026-07-23/country-chart.json").read_text("utf-8"))
    groups = json.loads((shared_data / "ear-2026-07-23/country-groups.json").read_text("utf-8"))
    names = set(chart["countries"]) | set(chart["embargoed"])
    for members in groups["groups"].values():
        names |= set(members)
    codes = {resolve_country(name).code for name in names}
    assert len(codes) == len(set(chart["countries"]) | set(chart["embargoed"])) + 1  # + United States
    for name in chart["countries"]:
        assert resolve_country(name).name == name


def test_country_name_and_ear_name() -> None:
    assert country_name("hk") == "Hong Kong"
    assert country_name("MO") == "Macau"
    assert ear_name("KR") == "Korea, South"
    assert ear_name("PR") is None  # Puerto Rico is US customs territory, no EAR row
    with pytest.raises(InputError):
        country_name("ZZ")
    assert len(all_countries()) >= 249


def test_normalize_name() -> None:
    assert normalize_name("Côte d'Ivoire") == normalize_name("cote d ivoire")
    assert normalize_name("Bosnia & Herzegovina") == "bosnia and herzegovina"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_resolves_or_raises_input_error(text: str) -> None:
    try:
        country = resolve_country(text)
    except InputError as err:
        assert err.field == "country"
    else:
        assert len(country.code) == 2


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Deutschland", "DE"),  # German, as a German order book names Germany
        ("中国", "CN"),  # Simplified Chinese
        ("中國", "CN"),  # Traditional Chinese (zh_Hant)
        ("Россия", "RU"),
        ("الصين", "CN"),
        ("Chine", "CN"),
        ("Corée du Sud", "KR"),
        ("대한민국", "KR"),
        ("北朝鮮", "KP"),  # Japanese: North Korea, not the South
        ("ＤＥＵＴＳＣＨＬＡＮＤ", "DE"),  # full-width Latin folds
    ],
)
def test_names_in_other_languages_resolve_through_cldr(text: str, code: str) -> None:
    assert resolve_country(text).code == code


def test_a_name_in_a_script_other_than_latin_is_not_called_empty() -> None:
    with pytest.raises(InputError) as err:
        resolve_country("火星国")  # no country: "unknown", never "empty"
    assert "unknown country" in str(err.value)


@given(
    st.sampled_from(["DE", "CN", "RU", "KP", "KR", "TW", "HK", "IR", "JP"]),
    st.sampled_from(["de", "zh", "ru", "ar", "ja", "fr", "es", "ko"]),
)
def test_every_cldr_display_name_resolves_to_its_own_country(code: str, language: str) -> None:
    import icu

    name = icu.Locale("", code).getDisplayCountry(icu.Locale(language))
    assert resolve_country(name).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Volksrepublik China", "CN"),  # iso-codes' German official name, as a German ERP writes it
        ("中華人民共和国", "CN"),  # Japanese official name
        ("Russische Föderation", "RU"),
        ("Российская Федерация", "RU"),
        ("Sonderverwaltungsregion Hongkong", "HK"),
        ("Hong Kong, China", "HK"),  # the WTO's form
        ("Macau, China", "MO"),
        ("Chinese Taipei", "TW"),
        ("Demokratische Republik Kongo", "CD"),
        ("République du Congo", "CG"),
    ],
)
def test_official_names_in_other_languages_resolve(text: str, code: str) -> None:
    assert resolve_country(text).code == code


@pytest.mark.parametrize("text", ["Congo", "the Congo", "Kongo", "Korea", "KOREA", "Virgin Islands"])
def test_a_name_of_two_countries_is_refused_naming_both(text: str) -> None:
    # "Congo" was pycountry's Republic of the Congo, while a book may mean the Democratic Republic (D:5)
    with pytest.raises(InputError) as err:
        resolve_country(text, "destination")
    assert err.value.field == "destination" and "ambiguous" in err.value.message
    assert len(err.value.suggestions) == 2


def _iso_names() -> list[tuple[str, str, str]]:
    import gettext

    import pycountry

    out = []
    for language in sorted(d.name for d in Path(pycountry.LOCALES_DIR).iterdir()):
        try:
            catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        except OSError:
            continue
        for rec in pycountry.countries:
            for attr in ("name", "official_name"):
                english = getattr(rec, attr, None)
                if english and (name := catalog.gettext(english)) != english:
                    out.append((language, name, rec.alpha_2))
    return out


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_iso_names()))
def test_a_translated_iso_name_never_resolves_to_another_country(case: tuple[str, str, str]) -> None:
    # a name in any iso-codes language is its own country, or refused (shared by two), or the English name or
    # ASCII code of the country it resolves to (English wins: Guarani's "Mexico" for Malaysia is Mexico)
    from exportctl.model.countries import _index

    language, name, code = case
    try:
        got = resolve_country(name).code
    except InputError:
        return
    if got != code:
        key = normalize_name(name)
        assert _index().by_key.get(key) == got and (len(key) > 3 or name.isascii()), (language, name, got)


def test_folded_text_that_spells_a_code_is_not_that_code() -> None:
    # Vietnamese "Mỹ" (the United States) folds to "my", Malaysia's code: it is not resolved as Malaysia
    assert resolve_country("Mỹ").code == "US"
    assert resolve_country("MY").code == "MY" and resolve_country("my").code == "MY"


# The country names of statistics tables and order books as their authors write them: the World Bank's
# (World Development Indicators country names, data.worldbank.org/country), letters with full stops, a
# qualifier or a code in parentheses (UN M49 style "Iran (Islamic Republic of)"), a trailing ", The".
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Korea, Rep.", "KR"),
        ("Korea, Dem. People's Rep.", "KP"),
        ("Iran, Islamic Rep.", "IR"),
        ("Egypt, Arab Rep.", "EG"),
        ("Yemen, Rep.", "YE"),
        ("Venezuela, RB", "VE"),
        ("Congo, Dem. Rep.", "CD"),
        ("Congo, Rep.", "CG"),
        ("Lao PDR", "LA"),
        ("Hong Kong SAR, China", "HK"),
        ("Macao SAR, China", "MO"),
        ("Slovak Rep.", "SK"),
        ("Gambia, The", "GM"),
        ("Netherlands, The", "NL"),
        ("Virgin Islands (U.S.)", "VI"),
        ("Russian Fed.", "RU"),
        ("Russian Federation (the)", "RU"),
        ("U.A.E.", "AE"),
        ("U.S.A.", "US"),
        ("U.K.", "GB"),
        ("P.R.C.", "CN"),
        ("P.R. China", "CN"),
        ("China P.R.", "CN"),
        ("China (mainland)", "CN"),
        ("Hong Kong S.A.R.", "HK"),
        ("United Arab Emirates (UAE)", "AE"),
        ("Singapore (SG)", "SG"),
        ("S. Korea", "KR"),
        ("N. Macedonia", "MK"),
        ("Korea (South)", "KR"),
        ("Congo (Kinshasa)", "CD"),
        ("Palestine", "PS"),
        # the World Bank's and the UN statistics' forms (api.worldbank.org/v2/country, UN M49)
        ("Micronesia, Fed. Sts.", "FM"),
        ("Micronesia (Fed. States of)", "FM"),
        ("West Bank and Gaza", "PS"),
        ("Occupied Palestinian Territory", "PS"),
        ("Gaza Strip", "PS"),
        ("Taiwan, China", "TW"),
        ("China, Taiwan Province of", "TW"),
        ("China, Hong Kong SAR", "HK"),
        ("Korea, Dem. Rep.", "KP"),
        ("Macedonia, FYR", "MK"),
        ("Faeroe Islands", "FO"),
        ("Falkland Islands (Islas Malvinas)", "FK"),
        ("Falkland Islands", "FK"),
        ("St. Martin (French part)", "MF"),
        ("Sint Maarten (Dutch part)", "SX"),
        ("Kyrgyz Republic", "KG"),
        ("Côte d’Ivoire", "CI"),
    ],
)
def test_names_as_tables_and_books_write_them(text: str, code: str) -> None:
    assert resolve_country(text).code == code


@pytest.mark.parametrize(
    "text",
    [
        "S.A.",  # joined, Saudi Arabia's code; written so, as often South Africa (or a company's "S.A.")
        "P.R.",  # Puerto Rico's code, or the start of "P.R. China"
        "Germany (FR)",  # the parenthesis names another country
        "Congo (mainland)",  # a qualifier does not say which Congo
        "Crimea",  # a covered region of Ukraine (§746.6), not Ukraine
        "Republic of China",  # Taiwan's official name, easily written for the People's Republic
    ],
)
def test_forms_that_could_mean_another_country_are_refused(text: str) -> None:
    with pytest.raises(InputError) as err:
        resolve_country(text, "destination")
    assert err.value.field == "destination"


@pytest.mark.parametrize("text", ["Congo (the)", "Korea (the)", "the Korea", "Virgin Is."])
def test_a_qualified_name_of_two_countries_is_still_refused(text: str) -> None:
    with pytest.raises(InputError) as err:
        resolve_country(text)
    assert "ambiguous" in err.value.message


def _iso_countries() -> list[tuple[str, str]]:
    import pycountry

    ambiguous = {"CG", "CD", "KR", "KP", "VG", "VI"}
    return [(c.name, c.alpha_2) for c in pycountry.countries if c.alpha_2 not in ambiguous]


@given(
    st.sampled_from(_iso_countries()),
    st.sampled_from(["{} (the)", "{}, The", "The {}", "{} (mainland)", "  {}  ", "{} ({code})"]),
)
def test_a_qualified_iso_name_is_its_own_country(case: tuple[str, str], form: str) -> None:
    name, code = case
    assert resolve_country(form.format(name, code=code)).code == code


@given(st.sampled_from(_iso_countries()), st.sampled_from(_iso_countries()))
def test_a_parenthesis_naming_another_country_is_never_read_as_either(
    a: tuple[str, str], b: tuple[str, str]
) -> None:
    from exportctl.model.countries import _index

    if a[1] == b[1]:
        return
    try:
        got = resolve_country(f"{a[0]} ({b[0]})").code
    except InputError:
        return
    # only a name whose whole text is itself a country's (an ISO or EAR spelling) may resolve
    assert got not in (a[1], b[1]) or normalize_name(f"{a[0]} {b[0]}") in _index().by_key


@pytest.mark.parametrize(
    ("text", "day"),
    [("Netherlands Antilles", "2010-12-15"), ("Serbia and Montenegro", "2006-09-26"), ("SCG", "2006-09-26")],
)
def test_a_former_country_is_refused_saying_so(text: str, day: str) -> None:
    with pytest.raises(InputError) as err:
        resolve_country(text, field="destination")
    assert err.value.field == "destination"
    assert f"a former country, withdrawn from ISO 3166 on {day}" in str(err.value)
