"""Each field's parsing: what people write in their spreadsheets, and the message when it is
wrong (saying what is accepted)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from vigie.imports.fields import (
    bool_parse,
    country_parse,
    date_parse,
    departement_parse,
    import_fields,
    year_parse,
)

CASE_FIELDS = {f.name: f for f in import_fields("cases")}


def _parse(name, cell):
    return CASE_FIELDS[name].parse(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2009-03-12", date(2009, 3, 12)),
        ("12/03/2009", date(2009, 3, 12)),
        ("2/3/2009", date(2009, 3, 2)),
        ("12-03-2009", date(2009, 3, 12)),
        ("12.03.2009", date(2009, 3, 12)),
        ("2009-03-12 00:00:00", date(2009, 3, 12)),
    ],
)
def test_dates_in_iso_or_french_order(cell, expected):
    assert date_parse(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("03/12", "is not a date"),
        ("demain", "is not a date"),
        ("31/02/2010", "does not exist"),
        ("1850-01-01", "not plausible"),
    ],
)
def test_bad_dates_say_what_is_accepted(cell, message):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        date_parse(cell)
    assert message in raised.value.messages[0]


def test_years():
    assert year_parse("2009") == 2009
    for cell in ("09", "2009.5", "1800", "3000"):
        with pytest.raises(ValidationError):
            year_parse(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("oui", True), ("OUI", True), ("x", True), ("Vrai", True), ("non", False), ("0", False)],
)
def test_yes_and_no(cell, expected):
    assert bool_parse(cell) is expected


def test_neither_yes_nor_no():
    with pytest.raises(ValidationError):
        bool_parse("peut-être")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("fille", "girl"),
        ("Garçon", "boy"),
        ("GARCON", "boy"),
        ("F", "girl"),
        ("girl", "girl"),
        ("Autre", "other"),
        ("inconnu", "unknown"),
    ],
)
def test_gender_in_french_words(cell, expected):
    assert _parse("gender", cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("NG", "NG"),
        ("ng", "NG"),
        ("NGA", "NG"),
        ("Nigéria", "NG"),
        ("Roumanie", "RO"),
        ("Romania", "RO"),
    ],
)
def test_nationality_as_code_or_name(cell, expected):
    assert country_parse(cell) == expected


def test_an_unknown_country():
    with translation.override("en"), pytest.raises(ValidationError, match="not a known country"):
        country_parse("Atlantide")


@pytest.mark.parametrize(
    ("cell", "expected"), [("75", "75"), ("6", "06"), ("2a", "2A"), ("974", "974")]
)
def test_departements(cell, expected):
    assert departement_parse(cell) == expected


def test_an_unknown_departement():
    with pytest.raises(ValidationError):
        departement_parse("20")


def test_several_forms_of_exploitation_in_one_cell():
    assert _parse("exploitation_forms", "prostitution; Mendicité forcée, forced_labour") == [
        "forced_begging",
        "forced_labour",
        "sexual_exploitation",
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("vol forcé", ["forced_criminality"]),
        ("Vols forcés; criminalité forcée", ["forced_criminality"]),
        ("contrainte à la délinquance", ["forced_criminality"]),
        ("exploitation par le travail", ["forced_labour"]),
    ],
)
def test_the_words_teams_use_for_forced_criminality_and_labour(cell, expected):
    assert _parse("exploitation_forms", cell) == expected


def test_every_unknown_form_is_named():
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        _parse("exploitation_forms", "prostitution; jonglage; cuisine")
    assert len(raised.value.messages) == 2
    assert "jonglage" in raised.value.messages[0]


@pytest.mark.parametrize(
    ("name", "cell", "expected"),
    [
        ("care_status", "ASE et PJJ", "both"),
        ("care_status", "aucune", "none"),
        ("care_status", "pjj", "pjj"),
        ("referral_source", "Police", "police"),
        ("referral_source", "maraude", "outreach"),
        ("unaccompanied", "oui", True),
    ],
)
def test_choices_by_code_label_or_usual_word(name, cell, expected):
    assert _parse(name, cell) == expected


def test_text_has_a_length_limit():
    with pytest.raises(ValidationError):
        _parse("first_name", "A" * 201)
