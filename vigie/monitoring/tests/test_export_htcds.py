"""The HTCDS 2.0 export of an organisation's case files: the standard's fields and picklists,
own files only, re-authentication, audit, and nothing that identifies a child."""

import csv
import io
import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from vigie.accounts.models import Organisation
from vigie.accounts.sessions import REAUTH_AT_KEY
from vigie.audit.models import AuditAction, AuditEvent
from vigie.cases.models import CaseNote, CaseStatus, ExploitationForm, Gender
from vigie.identification.catalogue import load_catalogue
from vigie.identification.models import Screening
from vigie.monitoring.exports import htcds_columns
from vigie.monitoring.exports.htcds import HEADER, htcds_validate
from vigie.monitoring.exports.htcds_columns import (
    CASE_STATUSES,
    DECISION_ORGANISATIONS,
    FALSE_PROMISES_PREFIX,
    GENDERS,
    METHODS_OF_CONTROL,
    SEX_EXPLOITATION,
    TYPES_OF_EXPLOITATION,
)
from vigie.monitoring.exports.htcds_fields import RECORD_KEY, htcds_fields_load
from vigie.tests_support.factories import CaseFactory

URL = "monitoring:htcds"

# What identifies the child in the files below: none of it may reach the export.
SECRETS = (
    "Aminata",
    "Zéphirine",
    "Testname",
    "Mimi la Douce",
    "2010-06-14",
    "14/06/2010",
    "Hôtel du Port",
    "asthme",
    "éviter la gare",
    "rencontrée au foyer",
    "REF-A-",
)


def _screening(case, assessment, indicators=()):
    return Screening.objects.create(
        case=case,
        catalogue_version="test",
        input={"situations": [], "indicators": list(indicators)},
        result={"forms": [], "actions": [], "rules": [], "dimensions": [], "explanation": {}},
        assessment=assessment,
        minor="yes",
    )


@pytest.fixture
def files(org_a, org_b):
    """Three files of organisation A (one with everything), one archived, one of B."""
    criminality = CaseFactory(
        organisation=org_a,
        reference="REF-A-001",
        first_name="Zéphirine",
        aliases="Mimi la Douce",
        birth_date=date(2010, 6, 14),
        birth_year=2010,
        majority_month=date(2028, 6, 1),
        gender="girl",
        nationality="NG",
        exploitation_forms=["forced_criminality", "sexual_exploitation"],
        exploitation_started_on=date(2024, 1, 10),
        exploitation_places="Hôtel du Port, Marseille",
        health_notes="asthme",
        safety_notes="éviter la gare",
        status=CaseStatus.PROTECTED,
        identified_on=date(2024, 9, 2),
    )
    CaseNote.objects.create(case=criminality, text="rencontrée au foyer")
    _screening(criminality, "at_risk")
    _screening(
        criminality,
        "presumed_victim",
        indicators=[
            "child_labour.coercion_at_destination.debt_bondage",
            "french_field.coercion_at_destination.psychotropics_supplied_by_adults",
            "child_labour.deceptive_recruitment.deceived_about_work",
        ],
    )
    domestic = CaseFactory(
        organisation=org_a,
        reference="REF-A-002",
        gender="boy",
        nationality="",
        majority_month=None,
        birth_year=None,
        exploitation_forms=["domestic_servitude"],
        status=CaseStatus.TRANSITION,
    )
    unknown = CaseFactory(
        organisation=org_a, reference="REF-A-003", gender="unknown", exploitation_forms=[]
    )
    archived = CaseFactory(organisation=org_a, reference="REF-A-004", archived_at=timezone.now())
    other = CaseFactory(organisation=org_b, reference="REF-B-001", nationality="BR")
    return {
        "criminality": criminality,
        "domestic": domestic,
        "unknown": unknown,
        "archived": archived,
        "other": other,
    }


def _export(client):
    response = client.post(reverse(URL))
    assert response.status_code == 200, response.content[:300]
    text = response.content.decode("utf-8")
    return response, text, list(csv.DictReader(io.StringIO(text)))


def _record(rows, **values):
    (row,) = [row for row in rows if all(row[k] == v for k, v in values.items())]
    return row


# --- The standard ---------------------------------------------------------------------------


def test_the_export_validates_against_the_field_list(files, users, client_for):
    _response, _text, rows = _export(client_for(users[("coordinator", "a")]))

    assert htcds_validate(rows) == []
    fields = htcds_fields_load()
    columns = list(rows[0])
    assert columns == list(HEADER) and columns[0] == RECORD_KEY
    # Every other column is a field of the HTCDS 2.0 list still in use.
    assert all(fields[name].status == "DRAFT" for name in columns[1:])
    for row in rows:
        for name in columns[1:]:
            field, value = fields[name], row[name]
            if value and field.is_picklist and not field.standard:
                assert set(value.split(";")) <= set(field.values), (name, value)


def test_the_columns_are_those_of_the_official_template_then_the_fields_it_lacks():
    # Row 1 of htcds_excel_v2.0.xlsx (its "vic_TraffickinStatusDecisionMakingOrg" spelt right).
    template = [
        "cas_CaseOwner",
        "prs_Salutation",
        "prs_FirstName",
        "prs_SecondName",
        "con_Consent",
        "prs_Birthdate",
        "prs_Gender",
        "prs_Citizenship",
        "prs_Title",
        "prs_Email",
        "prs_HomePhone",
        "prs_MobilePhone",
        "prs_MailingCity",
        "prs_MailingCountry",
        "prs_MailingState",
        "prs_MailingStreet",
        "prs_MailingPostalCode",
        "vic_TraffickingStatus",
        "vic_TraffickingStatusDecisionMakingOrg",
        "vic_MethodOfRecruitment",
        "vic_LocationOfRecruitment",
        "vic_MethodsOfControl",
        "vic_TypeOfExploitation",
        "vic_ForcedLabourIndustry",
        "vic_TypeOfSexExploitation",
        "vic_LocationOfExploitation",
        "cas_Status",
        "cas_ReferringOrganisation",
        "cas_IncomingReferralDate",
        "cas_ReferringPrimaryCaseWorker",
        "cas_ReasonForIncomingReferral",
        "cas_IncomingReferralDetails",
        "cas_ReferredOrganisation",
        "cas_ReferredPrimaryCaseWorker",
        "cas_ReasonForOutgoingReferral",
        "cas_OutgoingReferralDate",
        "cas_OutgoingReferralDetails",
        "cas_ReasonForCaseClosure",
    ]
    extra = ["vic_AgeWhenTrafficked", "hte_Type", "hte_Description"]
    assert list(HEADER) == [RECORD_KEY, *template, *extra]
    # The page says what each filled column holds.
    assert all(column.description for column in htcds_columns.HTCDS_COLUMNS if column.filled)


def test_every_vigie_code_has_an_htcds_value_in_the_picklists():
    fields = htcds_fields_load()

    def picklist(name):
        return set(fields[name].values)

    assert set(GENDERS) == set(Gender.values)
    assert set(GENDERS.values()) <= picklist("prs_Gender")
    assert set(TYPES_OF_EXPLOITATION) == set(ExploitationForm.values)
    assert {value for value, _detail in TYPES_OF_EXPLOITATION.values()} <= picklist(
        "vic_TypeOfExploitation"
    )
    assert set(SEX_EXPLOITATION.values()) <= picklist("vic_TypeOfSexExploitation")
    assert set(CASE_STATUSES) == set(CaseStatus.values)
    assert set(CASE_STATUSES.values()) <= picklist("cas_Status")
    assert set(DECISION_ORGANISATIONS) == set(Organisation.Kind.values)
    assert set(DECISION_ORGANISATIONS.values()) <= picklist(
        "vic_TraffickingStatusDecisionMakingOrg"
    )
    assert {*METHODS_OF_CONTROL.values(), "FalsePromises"} <= picklist("vic_MethodsOfControl")
    # Every indicator the mapping names exists in the catalogue (a typo would map nothing).
    elements = {indicator.rsplit(".", 1)[-1] for indicator in load_catalogue().indicators}
    assert set(METHODS_OF_CONTROL) <= elements
    assert any(element.startswith(FALSE_PROMISES_PREFIX) for element in elements)


def test_forced_criminality_is_other_with_its_detail(files, users, client_for):
    _response, _text, rows = _export(client_for(users[("coordinator", "a")]))

    record = _record(rows, prs_Citizenship="NGA")
    assert record["vic_TypeOfExploitation"] == "SexualExploitation;Other"  # picklist order
    assert record["hte_Type"] == "Exploitation"
    assert record["hte_Description"] == "Forced criminality"
    assert record["vic_TypeOfSexExploitation"] == "Prostitution"


def test_the_coded_situation_of_a_file(files, users, client_for):
    _response, _text, rows = _export(client_for(users[("coordinator", "a")]))

    record = _record(rows, prs_Citizenship="NGA")
    assert record["prs_Gender"] == "Feminine"
    # Born (presumably) in June 2010, exploited from January 2024: 13.
    assert record["vic_AgeWhenTrafficked"] == "13"
    # The latest screening presumes a victim: "possible", decided by an association (NGO).
    assert record["vic_TraffickingStatus"] == "PossibleVictimOfTrafficking"
    assert record["vic_TraffickingStatusDecisionMakingOrg"] == "NGO"
    assert record["vic_MethodsOfControl"] == "DebtBondage;FalsePromises;PsychoactiveSubstance"
    assert record["cas_Status"] == "Active"

    domestic = _record(rows, prs_Gender="Masculine")
    assert domestic["vic_TypeOfExploitation"] == "Servitude"
    assert domestic["vic_ForcedLabourIndustry"] == "T_ActivitiesOfHouseholdsAsEmployers"
    assert domestic["cas_Status"] == "FollowUp"
    assert domestic["prs_Citizenship"] == domestic["vic_AgeWhenTrafficked"] == ""
    assert domestic["vic_TraffickingStatus"] == domestic["hte_Type"] == ""

    unknown = _record(rows, prs_Gender="NonSpecifiedUnknown")
    assert unknown["vic_TypeOfExploitation"] == ""


# --- Privacy --------------------------------------------------------------------------------


def test_no_name_birth_date_free_text_or_reference_leaves(files, users, client_for):
    _response, text, rows = _export(client_for(users[("coordinator", "a")]))

    for secret in SECRETS:
        assert secret not in text, secret
    for case in files.values():
        assert str(case.uuid) not in text and case.reference not in text
    for row in rows:
        for name in ("prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_MailingStreet"):
            assert row[name] == ""
        assert re.fullmatch(r"VIG-[0-9a-f]{16}", row[RECORD_KEY])


def test_two_exports_cannot_be_linked(files, users, client_for):
    client = client_for(users[("coordinator", "a")])
    _r, _t, first = _export(client)
    _r, _t, second = _export(client)
    assert {row[RECORD_KEY] for row in first}.isdisjoint({row[RECORD_KEY] for row in second})


@translation.override("en")
def test_the_validator_names_what_does_not_follow_the_standard():
    good = dict.fromkeys(HEADER, "")
    rows = [
        {**good, RECORD_KEY: "a1", "prs_Gender": "Girl", "prs_Citizenship": "ZZZ"},
        {**good, RECORD_KEY: "a1", "prs_FirstName": "Aminata", "vic_AgeWhenTrafficked": "13 ans"},
        {**good, RECORD_KEY: "b2", "prs_Birthdate": "2010-06-14", "cas_Status": "Active"},
    ]
    problems = htcds_validate(rows)
    text = "\n".join(problems)
    assert "Record 1, prs_Gender" in text and "Girl" in text
    assert "Record 1, prs_Citizenship" in text
    assert "Record 2: its identifier is empty or repeated" in text
    assert "Record 2, prs_FirstName" in text
    assert "Record 2, vic_AgeWhenTrafficked" in text
    assert "Record 3, prs_Birthdate" in text
    assert not any("cas_Status" in problem for problem in problems)
    columns = [*HEADER, "vic_Vulnerabilities", "child_name"]
    problems = htcds_validate([], columns=columns)
    assert any("vic_Vulnerabilities" in problem and "deprecated" in problem for problem in problems)
    assert any("child_name" in problem for problem in problems)
    assert htcds_validate([], columns=HEADER) == []


def test_an_export_that_does_not_validate_is_not_written(files, users, client_for, monkeypatch):
    # A mapping gone wrong (a value outside the picklist): the bug is named, nothing leaves.
    monkeypatch.setitem(htcds_columns.GENDERS, "girl", "Girl")
    response = client_for(users[("coordinator", "a")]).post(reverse(URL))

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "prs_Gender" in page and "Girl" in page
    assert not AuditEvent.objects.filter(action=AuditAction.STATS_HTCDS_EXPORT).exists()


# --- Scope, re-authentication, audit ----------------------------------------------------------


def test_only_the_organisations_own_active_files(files, users, client_for):
    _response, text, rows = _export(client_for(users[("coordinator", "a")]))

    assert len(rows) == 3  # neither the archived file nor organisation B's
    assert "BRA" not in text


def test_the_export_is_audited_with_its_files_and_number(files, users, client_for):
    coordinator = users[("coordinator", "a")]
    _export(client_for(coordinator))

    event = AuditEvent.objects.get(action=AuditAction.STATS_HTCDS_EXPORT)
    assert event.actor_uuid == coordinator.uuid
    assert event.reason_code == "records-3"
    exported = {files[name].uuid for name in ("criminality", "domestic", "unknown")}
    assert set(event.object_uuids) == {str(uuid) for uuid in exported}


def test_a_stale_session_must_reauthenticate_first(files, users, client_for):
    client = client_for(users[("coordinator", "a")])
    session = client.session
    session[REAUTH_AT_KEY] = (timezone.now() - settings.REAUTH_MAX_AGE * 2).isoformat()
    session.save()

    response = client.post(reverse(URL))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauth"))
    # Back to the export page afterwards.
    assert urlencode({"next": reverse(URL)}) in response["Location"]
    assert not AuditEvent.objects.filter(action=AuditAction.STATS_HTCDS_EXPORT).exists()
    page = client.get(reverse(URL))
    assert page.status_code == 200
    assert 'id="htcds-reauth"' in page.content.decode()  # the page says it will be asked


def test_the_page_says_what_is_exported_and_reads_no_file(files, users, client_for):
    response = client_for(users[("coordinator", "a")]).get(reverse(URL))

    assert response.status_code == 200
    page = response.content.decode()
    assert "vic_TypeOfExploitation" in page and "prs_FirstName" in page
    assert response.context["records"] == 3
    assert 'id="htcds-reauth"' not in page  # just signed in: fresh
    assert not AuditEvent.objects.filter(action=AuditAction.STATS_HTCDS_EXPORT).exists()


@pytest.mark.parametrize("role", ["caseworker", "org_admin", "analyst"])
def test_other_roles_may_not_export(files, users, client_for, role):
    client = client_for(users[(role, "a")])
    assert client.get(reverse(URL)).status_code == 403
    assert client.post(reverse(URL)).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.STATS_HTCDS_EXPORT).exists()


def test_an_organisation_without_files_exports_the_header_only(org_b, users, client_for):
    _response, text, rows = _export(client_for(users[("coordinator", "b")]))
    assert rows == []
    assert text.splitlines()[0].split(",") == list(HEADER)
    event = AuditEvent.objects.get(action=AuditAction.STATS_HTCDS_EXPORT)
    assert event.reason_code == "records-0"


def test_a_nationality_that_is_no_iso_country_is_left_empty(org_a, users, client_for):
    CaseFactory(organisation=org_a, nationality="ZZ")
    _response, _text, rows = _export(client_for(users[("coordinator", "a")]))
    assert rows[0]["prs_Citizenship"] == ""


def test_the_age_is_never_negative_nor_read_from_the_birth_date(org_a, users, client_for):
    # Exploitation recorded before the presumed birth (a typing error): 0, not -2.
    CaseFactory(
        organisation=org_a,
        majority_month=date(2030, 1, 1),
        exploitation_started_on=date(2010, 1, 1),
        birth_date=date(1990, 1, 1),  # not what the export reads
    )
    _response, _text, rows = _export(client_for(users[("coordinator", "a")]))
    assert rows[0]["vic_AgeWhenTrafficked"] == "0"


@pytest.mark.browser
def test_the_export_page_in_a_browser_passes_axe(page, visit, browser_sign_in, org_a):
    """The page opens in a real browser and axe-core finds nothing (``visit`` checks)."""
    from playwright.sync_api import expect

    from vigie.tests_support.factories import UserFactory

    CaseFactory(organisation=org_a)
    browser_sign_in(UserFactory(role="coordinator", organisation=org_a))
    visit(reverse(URL))
    expect(page.locator("#htcds-records")).to_contain_text("1")
    expect(page.locator("#htcds-columns caption")).to_be_visible()
