"""From an ad to a case file: the opening form prefilled with the online situation, the file
linked to the ad (audited), the ad then kept as long as the file."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from vigie.audit.models import AuditAction, AuditEvent
from vigie.cases.models import Case, CaseNote
from vigie.identification.catalogue import load_catalogue
from vigie.identification.forms import ScreeningForm
from vigie.outreach.models import Advertisement
from vigie.outreach.services.case_from_ad import (
    departement_for_city,
    screening_prefill_for_case,
)
from vigie.outreach.services.retention import outreach_retention_purge
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_outreach import ad_for_tests, old_day

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(ad) -> str:
    return reverse("outreach:case_from_ad", kwargs={"ad_uuid": ad.uuid})


def case_data(**overrides):
    values = {
        "gender": "girl",
        "care_status": "none",
        "referral_source": "outreach",
        "exploitation_forms": ["online_sexual_exploitation"],
        "aliases": "Léa, Lea_x",
        "departement": "69",
        "situation_note": "Annonce en ligne ANN fictive, vue à Lyon.",
    }
    values.update(overrides)
    return values


@pytest.fixture
def ad(org_a):
    return ad_for_tests(
        org_a,
        site="escort-exemple.test",
        city="Lyon",
        declared_age=16,
        pseudonyms=["Léa", "Lea_x"],
        first_seen_on=old_day(20),
        last_seen_on=old_day(5),
    )


def shown(page, name):
    """The value the page's form shows in the field ``name``."""
    return page.context["form"][name].value()


def test_the_form_is_prefilled_with_the_online_situation(ad, users, client_for):
    page = client_for(users[("caseworker", "a")]).get(url(ad), **ENGLISH)

    content = page.content.decode()
    assert page.status_code == 200
    assert shown(page, "referral_source") == "outreach"
    assert shown(page, "exploitation_forms") == ["online_sexual_exploitation"]
    assert shown(page, "aliases") == "Léa, Lea_x"
    assert shown(page, "departement") == "69"
    # A stated age under 18: an estimated birth year, age marked disputed.
    assert shown(page, "birth_year") == timezone.localdate().year - 16
    assert shown(page, "age_disputed") is True
    # What the worker sees: the values in the page, the note in full.
    assert 'value="Léa, Lea_x"' in content
    assert 'value="69"' in content
    assert f"Online advertisement {ad.reference} on escort-exemple.test, seen from" in content
    assert "city Lyon, stated age 16." in content
    event = AuditEvent.objects.filter(action=AuditAction.OUTREACH_AD_VIEW).last()
    assert event is not None and str(ad.uuid) in event.object_uuids


def test_an_adult_stated_age_is_not_written_as_a_birth_year(org_a, users, client_for):
    adult = ad_for_tests(org_a, declared_age=22, city="Ajaccio")

    page = client_for(users[("caseworker", "a")]).get(url(adult))

    assert shown(page, "birth_year") is None
    assert not shown(page, "age_disputed")
    assert shown(page, "departement") == ""
    assert "22" in shown(page, "situation_note")


def test_opening_links_the_file_writes_the_note_and_audits(ad, users, client_for):
    caseworker = users[("caseworker", "a")]

    response = client_for(caseworker).post(url(ad), case_data())

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    ad.refresh_from_db()
    assert ad.case == case
    assert case.referral_source == "outreach"
    assert case.exploitation_forms == ["online_sexual_exploitation"]
    assert case.aliases == "Léa, Lea_x"
    assert case.departement == "69"
    assert case.assigned_to == caseworker
    assert CaseNote.objects.get(case=case).text == "Annonce en ligne ANN fictive, vue à Lyon."
    event = AuditEvent.objects.get(action=AuditAction.OUTREACH_CASE_OPEN)
    assert set(event.object_uuids) == {str(ad.uuid), str(case.uuid)}
    assert AuditEvent.objects.filter(action=AuditAction.CASE_CREATE).exists()
    # The ad page shows the file instead of the button.
    page = client_for(caseworker).get(reverse("outreach:ad_detail", kwargs={"ad_uuid": ad.uuid}))
    content = page.content.decode()
    assert case.reference in content
    assert 'data-action="see-case"' in content
    assert 'data-action="case-from-ad"' not in content


def test_an_ad_already_linked_leads_to_its_file(ad, org_a, users, client_for):
    case = CaseFactory(organisation=org_a)
    ad.case = case
    ad.save(update_fields=["case"])
    client = client_for(users[("coordinator", "a")])

    assert client.get(url(ad))["Location"] == case.get_absolute_url()
    assert client.post(url(ad), case_data())["Location"] == case.get_absolute_url()
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"nationality": "FRA"}, "nationality", "Ensure this value has at most 2 characters"),
        ({"exploitation_forms": ["webcam"]}, "exploitation_forms", "Select a valid choice."),
        ({"departement": "999"}, "departement", "Unknown département: 999"),
    ],
)
def test_a_wrong_form_is_refused_and_nothing_is_written(
    change, field, message, ad, users, client_for
):
    response = client_for(users[("caseworker", "a")]).post(url(ad), case_data(**change), **ENGLISH)

    assert response.status_code == 422
    content = response.content.decode()
    assert message in content
    assert f'id="id_{field}_error"' in content
    assert not Case.objects.exists()
    assert not CaseNote.objects.exists()
    ad.refresh_from_db()
    assert ad.case is None
    assert not AuditEvent.objects.filter(action=AuditAction.OUTREACH_CASE_OPEN).exists()


def test_a_linked_ad_escapes_the_short_retention(ad, org_a, users, client_for):
    forgotten = ad_for_tests(org_a, first_seen_on=old_day(20), last_seen_on=old_day(5))
    client_for(users[("caseworker", "a")]).post(url(ad), case_data())

    purged = outreach_retention_purge(today=timezone.localdate() + timedelta(days=3650))

    assert purged == 1
    assert Advertisement.objects.filter(pk=ad.pk).exists()
    assert not Advertisement.objects.filter(pk=forgotten.pk).exists()


@pytest.mark.parametrize(
    ("role", "organisation"),
    [("caseworker", "b"), ("coordinator", "b"), ("org_admin", "a"), ("analyst", "a")],
)
def test_others_get_a_404_and_no_file_is_opened(role, organisation, ad, users, client_for):
    client = client_for(users[(role, organisation)])

    assert client.get(url(ad)).status_code == 404
    assert client.post(url(ad), case_data()).status_code == 404
    assert not Case.objects.exists()


def test_the_screening_of_a_file_opened_from_an_ad_starts_with_the_online_ads_indicator(
    ad, org_a, users, client_for
):
    client_for(users[("caseworker", "a")]).post(url(ad), case_data())

    prefill = screening_prefill_for_case(Case.objects.get())

    assert prefill == {
        "indicators_exploitative_conditions": [
            "french_field.exploitative_conditions.online_sexual_advertisements"
        ]
    }
    # The screening form takes it as is: the field and the choice exist.
    form = ScreeningForm(initial=prefill, catalogue=load_catalogue())
    choices = dict(form.fields["indicators_exploitative_conditions"].choices)
    assert prefill["indicators_exploitative_conditions"][0] in choices
    assert screening_prefill_for_case(CaseFactory(organisation=org_a)) == {}

    # And the screening page shows it ticked; another file's page does not.
    case = Case.objects.get(advertisements=ad)
    indicator = 'value="french_field.exploitative_conditions.online_sexual_advertisements"'
    client = client_for(users[("caseworker", "a")])
    page = client.get(reverse("identification:screening_create", args=[case.uuid])).content
    ticked = page.decode().split(indicator, 1)[1].split(">", 1)[0]
    assert "checked" in ticked
    other = CaseFactory(organisation=org_a)
    page = client.get(reverse("identification:screening_create", args=[other.uuid])).content
    assert "checked" not in page.decode().split(indicator, 1)[1].split(">", 1)[0]


@pytest.mark.parametrize(
    ("city", "departement"),
    [
        ("Lyon", "69"),
        ("lyon centre", "69"),
        ("Paris 18e", "75"),
        ("Marseille 13008", "13"),
        ("Clermont-Ferrand", "63"),
        ("Besançon", "25"),
        ("Rhône", "69"),
        ("97400 Saint-Denis", "974"),
        ("Ajaccio 20000", ""),
        ("Quelque part", ""),
        ("", ""),
    ],
)
def test_the_departement_is_told_from_the_city_when_it_can_be(city, departement):
    assert departement_for_city(city) == departement
