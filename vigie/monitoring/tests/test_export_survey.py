"""The annual survey's file (MIPROF / SSMSI), from a published release.

Same made-up files as the CTDC tests: the true counts are known, so every count written can be
checked against them, and no suppressed count may show as a number.
"""

import csv
import io
import re

import pytest
from django.urls import reverse

from vigie.audit.models import AuditAction, AuditEvent
from vigie.cases.models import ExploitationForm, Gender
from vigie.monitoring.dimensions import UNKNOWN, Minor, build_dimensions
from vigie.monitoring.exports.release_tables import MissingTables
from vigie.monitoring.exports.survey import (
    FORM_GROUPS,
    HEADER,
    MINORS,
    SEXES,
    SURVEY_TABLES,
    TABLE_TITLES,
    survey_csv,
    survey_lines,
)
from vigie.monitoring.tables_spec import tables_normalise
from vigie.tests_support.factories_releases import (
    counts_from_records,
    release_build,
    release_published,
)

from .test_export_ctdc import REFERENCE, TOTAL, records


def survey_release(**kwargs):
    tables = counts_from_records(records(), [table for table in SURVEY_TABLES if table])
    return release_build(tables=tables, reference_date=REFERENCE, **kwargs)


def bounds(text: str) -> tuple[int, int]:
    if text == "< 11":
        return 0, 10
    if match := re.fullmatch(r"(\d+) à (\d+)", text):
        return int(match[1]), int(match[2])
    if match := re.fullmatch(r"au plus (\d+)", text):
        return 0, int(match[1])
    assert text.isdigit(), text
    return int(text), int(text)


def table(title: str, lines):
    return [line for line in lines if line["tableau"] == title]


def test_the_survey_tables_are_a_valid_release_specification():
    assert all(len(names) <= 2 for names in SURVEY_TABLES)
    assert tables_normalise(SURVEY_TABLES) == SURVEY_TABLES
    assert set(TABLE_TITLES) == set(SURVEY_TABLES)


def test_every_value_of_vigie_has_a_survey_category():
    assert set(SEXES) == set(Gender.values)
    assert set(MINORS) == {*Minor.values, UNKNOWN}
    grouped = [form for _name, forms in FORM_GROUPS for form in forms]
    assert sorted(grouped) == sorted([*ExploitationForm.values, UNKNOWN])


def test_the_file_counts_victims_in_the_surveys_categories():
    text = survey_csv(survey_release())
    lines = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert tuple(lines[0]) == HEADER

    assert [line["victimes"] for line in table("Ensemble des victimes", lines)] == [str(TOTAL)]
    forms = {
        line["forme_exploitation"]: line["victimes"]
        for line in table("Par forme d’exploitation", lines)
    }
    assert forms == {
        "Exploitation sexuelle": "150",  # prostitution 120 and online 30
        "Exploitation par le travail (hors domestique)": "15",
        "Exploitation par le travail domestique": "12",
        "Contrainte à commettre des délits": "60",
        "Mendicité forcée": "25",
        # Marriage 4, sale 2: known exactly from the total, and still below the threshold.
        "Autres formes d’exploitation": "< 11",
        "Non renseignée": "13",
    }
    sexes = {line["sexe"]: line["victimes"] for line in table("Par sexe", lines)}
    assert sexes == {"Féminin": "191", "Masculin": "77", "Autre": "13", "Non renseigné": "< 11"}
    minors = {
        line["mineur_ou_majeur"]: line["victimes"] for line in table("Mineurs et majeurs", lines)
    }
    assert minors == {"Mineur": "248", "Majeur": "20", "Non renseigné": "13"}
    nationalities = {
        (line["nationalite_code"], line["nationalite"]): line["victimes"]
        for line in table("Par nationalité", lines)
    }
    assert nationalities[("NG", "Nigeria")] == "100"
    assert nationalities[("RO", "Roumanie")] == "31"
    assert nationalities[("", "Non renseignée")] == "28"
    assert nationalities[("SN", "Sénégal")] == "< 11"


def test_every_count_holds_the_true_number_and_no_suppressed_one_shows():
    sexes = {label: code for code, label in SEXES.items()}
    minors = {label: code for code, label in MINORS.items()}
    forms = dict(FORM_GROUPS)
    checked = 0
    for line in survey_lines(survey_release()):
        text = line["victimes"]
        assert not (text.isdigit() and int(text) < 11), line
        wanted = {}
        if line["sexe"]:
            wanted["gender"] = sexes[line["sexe"]]
        if line["mineur_ou_majeur"]:
            wanted["minor"] = minors[line["mineur_ou_majeur"]]
        if line["nationalite"]:
            wanted["nationality"] = line["nationalite_code"] or UNKNOWN
        members = forms[line["forme_exploitation"]] if line["forme_exploitation"] else None
        truth = sum(
            1
            for record in records()
            if (members is None or record["form"] in members)
            and all(record[k] == v for k, v in wanted.items())
        )
        low, high = bounds(text)
        assert low <= truth <= high, (line, truth)
        checked += 1
    assert checked > 250


def test_a_category_adding_suppressed_cells_gets_bounds():
    lines = table("Par forme d’exploitation et sexe", survey_lines(survey_release()))
    counts = {(line["forme_exploitation"], line["sexe"]): line["victimes"] for line in lines}
    # Boys: forced labour 15 (published), domestic servitude none (suppressed).
    assert counts[("Exploitation par le travail (hors domestique)", "Masculin")] == "15"
    assert counts[("Contrainte à commettre des délits", "Masculin")] == "60"
    # Girls: the other forms are suppressed cells only (forced marriage: 4 files).
    assert counts[("Autres formes d’exploitation", "Féminin")] == "< 11"
    assert counts[("Exploitation sexuelle", "Féminin")] == "150"


def test_totals_are_consistent_in_every_table():
    lines = survey_lines(survey_release())
    for title in TABLE_TITLES.values():
        rows = table(title, lines)
        low = sum(bounds(line["victimes"])[0] for line in rows)
        high = sum(bounds(line["victimes"])[1] for line in rows)
        assert low <= TOTAL <= high, title


def test_a_release_without_a_needed_table_is_refused_by_name():
    with pytest.raises(MissingTables) as refused:
        survey_csv(survey_release(without=[("gender", "minor")]))
    assert "gender x minor" in str(refused.value)


@pytest.fixture
def published(db):
    tables = counts_from_records(records(), [names for names in SURVEY_TABLES if names])
    return release_published(tables=tables, reference_date=REFERENCE, name="Enquête 2025")


def test_an_analyst_downloads_the_survey_for_a_french_spreadsheet(published, users, client_for):
    analyst = users[("analyst", "a")]
    response = client_for(analyst).get(reverse("monitoring:release_survey", args=[published.uuid]))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-enquete-annuelle.csv"')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffannee_de_suivi;tableau;forme_exploitation;sexe;")
    assert f"Ensemble des victimes;;;;;;{TOTAL}" in text
    event = AuditEvent.objects.get(action=AuditAction.RELEASE_DOWNLOAD)
    assert event.object_uuids == [str(published.uuid)] and event.reason_code == "survey"


def test_the_survey_needs_the_aggregates_permission(published, users, client_for):
    response = client_for(users[("coordinator", "a")]).get(
        reverse("monitoring:release_survey", args=[published.uuid])
    )
    assert response.status_code == 404


def test_a_release_lacking_survey_tables_gets_a_page_naming_them(db, users, client_for):
    release = survey_release(without=[("minor",)])
    release.save()

    response = client_for(users[("analyst", "a")]).get(
        reverse("monitoring:release_survey", args=[release.uuid])
    )

    assert response.status_code == 409
    missing = response.content.decode().split('id="missing-tables"')[1].split("</div>")[0]
    assert str(build_dimensions(REFERENCE)["minor"].label) in missing


def test_a_release_of_the_files_followed_in_a_year_names_the_year():
    from vigie.monitoring.exports.survey import SURVEY_TABLES, survey_lines
    from vigie.tests_support.factories_releases import counts_from_records, release_build

    records = [{"form": "forced_begging", "gender": "girl", "minor": "minor", "nationality": "RO"}]
    tables = counts_from_records(records * 30, [t for t in SURVEY_TABLES if t])
    of_2025 = release_build(tables=tables, followed_in=2025)
    of_every_year = release_build(tables=tables)

    assert {line["annee_de_suivi"] for line in survey_lines(of_2025)} == {"2025"}
    assert {line["annee_de_suivi"] for line in survey_lines(of_every_year)} == {""}
