"""Referral pages over HTTP: the server refuses a share without consent, a caseworker's override,
and shows the recipient only the sections shared."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from vigie.audit.models import AuditAction, AuditEvent
from vigie.network.models import FileSection, Referral, ReferralStatus, ServiceRecord
from vigie.tests_support.factories_referrals import ReferralFactory

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _create_url(case):
    return reverse("network:referral_create", kwargs={"case_uuid": case.uuid})


def _detail_url(referral):
    return reverse("network:referral_detail", kwargs={"referral_uuid": referral.uuid})


def _form(org, **changes):
    return {
        "to_organisation": str(org.uuid),
        "service": "health",
        "sections": ["identity", "health"],
        "message": "Suivi médical à organiser.",
        "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "child_consent": "consented",
        "parents_consent": "not_appropriate",
        "consent_recorded_on": timezone.localdate().isoformat(),
        "override_reason": "",
    } | changes


@pytest.fixture
def child(case_a):
    case_a.health_notes = "Asthme, traitement en cours."
    case_a.safety_notes = "Le cousin Moussa la recherche."
    case_a.legal_representative = "Tante, à Bamako"
    case_a.save()
    return case_a


def test_the_form_checks_no_section_and_offers_other_organisations(
    users, org_a, org_b, case_a, client_for
):
    response = client_for(users[("caseworker", "a")]).get(_create_url(case_a))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="sections"' in page and "checked" not in page.split('name="sections"')[1][:60]
    assert f'value="{org_b.uuid}"' in page
    assert f'value="{org_a.uuid}"' not in page
    default = (timezone.localdate() + timedelta(days=90)).isoformat()
    assert f'value="{default}"' in page


def test_a_referral_is_made_and_leads_to_its_page(users, org_b, child, client_for):
    response = client_for(users[("caseworker", "a")]).post(_create_url(child), _form(org_b))

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail_url(referral)
    assert referral.to_organisation == org_b
    assert referral.sections == ["identity", "health"]


def test_a_post_without_consent_is_refused_and_writes_nothing(users, org_b, child, client_for):
    data = _form(org_b)
    del data["child_consent"], data["parents_consent"]
    client = _english(client_for(users[("caseworker", "a")]))

    response = client.post(_create_url(child), data)

    assert response.status_code == 422
    assert 'id="id_child_consent_error"' in response.content.decode()
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.REFERRAL_CREATE).exists()


def test_a_post_without_section_is_refused(users, org_b, child, client_for):
    response = client_for(users[("caseworker", "a")]).post(
        _create_url(child), _form(org_b, sections=[])
    )
    assert response.status_code == 422
    assert 'id="id_sections_error"' in response.content.decode()
    assert not Referral.objects.exists()


def test_an_override_by_a_caseworker_is_refused(users, org_b, child, client_for):
    data = _form(org_b, child_consent="override", override_reason="Danger immédiat.")

    response = client_for(users[("caseworker", "a")]).post(_create_url(child), data)

    assert response.status_code == 403
    assert 'id="id_child_consent_error"' in response.content.decode()
    assert not Referral.objects.exists()


def test_an_override_by_a_coordinator_with_a_reason_is_accepted(users, org_b, child, client_for):
    data = _form(org_b, child_consent="override", override_reason="Danger immédiat.")

    response = client_for(users[("coordinator", "a")]).post(_create_url(child), data)

    assert response.status_code == 302
    assert Referral.objects.get().override_by == users[("coordinator", "a")]
    assert AuditEvent.objects.filter(action=AuditAction.REFERRAL_CONSENT_OVERRIDE).exists()


def test_the_recipient_sees_only_the_sections_shared(users, org_b, child, client_for):
    referral = ReferralFactory(
        case=child, to_organisation=org_b, sections=[FileSection.IDENTITY, FileSection.HEALTH]
    )

    response = client_for(users[("caseworker", "b")]).get(_detail_url(referral))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-section="identity"' in page and 'data-section="health"' in page
    for absent in ("situation", "legal", "accommodation", "schooling", "rights", "safety"):
        assert f'data-section="{absent}"' not in page
    assert child.last_name in page
    assert "Asthme, traitement en cours." in page
    assert "Le cousin Moussa" not in page
    assert "Tante, à Bamako" not in page
    # The recipient never gets a link into the case file itself.
    assert child.get_absolute_url() not in page


def test_the_recipient_accepts_records_a_service_and_loses_access_when_revoked(
    users, org_b, child, client_for
):
    referral = ReferralFactory(case=child, to_organisation=org_b)
    recipient = client_for(users[("caseworker", "b")])
    referrer = client_for(users[("caseworker", "a")])

    accepted = recipient.post(reverse("network:referral_accept", args=[referral.uuid]))
    assert accepted.status_code == 302
    service_url = reverse("network:referral_service", args=[referral.uuid])
    refused = recipient.post(service_url, {"delivered_on": "2999-01-01", "description": "Vu."})
    assert refused.status_code == 422
    recorded = recipient.post(
        service_url,
        {
            "delivered_on": timezone.localdate().isoformat(),
            "description": "Bilan pédiatrique UAPED.",
        },
    )
    assert recorded.status_code == 302
    assert ServiceRecord.objects.get().description == "Bilan pédiatrique UAPED."

    followed = referrer.get(_detail_url(referral)).content.decode()
    assert "Bilan pédiatrique UAPED." in followed
    assert 'data-form="revoke"' in followed
    # The referrer's reading of the services is in the child's access log.
    assert AuditEvent.objects.filter(action=AuditAction.CASE_VIEW).exists()

    revoked = referrer.post(reverse("network:referral_revoke", args=[referral.uuid]))
    assert revoked.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REVOKED
    assert recipient.get(_detail_url(referral)).status_code == 404
    assert recipient.post(service_url, {"description": "x"}).status_code == 404


def test_declining_needs_a_reason(users, org_b, child, client_for):
    referral = ReferralFactory(case=child, to_organisation=org_b)
    client = client_for(users[("caseworker", "b")])
    url = reverse("network:referral_decline", args=[referral.uuid])

    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 422
    assert client.post(url, {"reason": "Pas de place."}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert client.get(_detail_url(referral)).status_code == 404


def test_the_referrer_cannot_open_the_answer_forms(users, org_b, child, client_for):
    referral = ReferralFactory(case=child, to_organisation=org_b)
    client = client_for(users[("caseworker", "a")])
    assert client.get(reverse("network:referral_decline", args=[referral.uuid])).status_code == 403
    assert client.post(reverse("network:referral_accept", args=[referral.uuid])).status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_the_list_shows_received_referrals_without_child_data(users, org_b, child, client_for):
    referral = ReferralFactory(case=child, to_organisation=org_b)

    received = client_for(users[("caseworker", "b")]).get(reverse("network:referrals"))
    sent = client_for(users[("caseworker", "a")]).get(reverse("network:referrals"))

    assert received.status_code == sent.status_code == 200
    page = received.content.decode()
    assert str(referral.uuid) in page
    assert child.reference not in page and child.last_name not in page
    assert child.reference in sent.content.decode()


def test_the_case_page_lists_referrals_and_offers_to_refer(users, org_b, child, client_for):
    referral = ReferralFactory(case=child, to_organisation=org_b)
    before = AuditEvent.objects.count()

    response = client_for(users[("caseworker", "a")]).get(child.get_absolute_url())

    page = response.content.decode()
    assert f'data-referral="{referral.uuid}"' in page
    assert _create_url(child) in page
    # The panel adds no event of its own to the page's CASE_VIEW.
    actions = list(
        AuditEvent.objects.order_by("sequence")[before:].values_list("action", flat=True)
    )
    assert actions == [AuditAction.CASE_VIEW]


def test_an_empty_form_names_every_missing_answer_at_once(users, child, client_for):
    """A worker who submits too early sees every field to fill, the sections included, not one
    error after another; the sections' group is labelled by its legend, before the boxes."""
    client = _english(client_for(users[("caseworker", "a")]))

    response = client.post(_create_url(child), {})

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert {"to_organisation", "sections", "child_consent", "parents_consent"} <= set(errors)
    body = response.content.decode()
    assert "Choose at least one section: only what the service needs." in body
    assert body.index("<legend>Sections of the file") < body.index('value="identity"')
    assert not Referral.objects.exists()
