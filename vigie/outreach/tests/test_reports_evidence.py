"""The evidence PDF of an ad or a network, for the authorities: what it holds and leaves out,
re-authentication first, audited, for the ad's organisation's caseworkers and coordinators."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from vigie.accounts.sessions import REAUTH_AT_KEY
from vigie.audit.models import AuditAction, AuditEvent
from vigie.outreach.evidence_pdf import CONFIDENTIAL_NOTICE
from vigie.outreach.models import AdContact, AuthorityReport
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_outreach import ad_input, ads_for_tests

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
# The network's PDF kept for a human review: VIGIE_EVIDENCE_PDF=/tmp/evidence.pdf
EVIDENCE_PDF = os.environ.get("VIGIE_EVIDENCE_PDF", "")
SHARED_PHONE = "+33 7 00 55 44 33"
SHARED_PHONE_E164 = "+33700554433"


def squeezed(text: str) -> str:
    return "".join(text.split())


def pdf_text(response) -> str:
    """The PDF's text without whitespace (extraction breaks lines anywhere)."""
    assert response.status_code == 200, response.content.decode(errors="replace")[:2000]
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.content))
    return squeezed("".join(page.extract_text() for page in reader.pages))


def evidence_url(name: str, ad) -> str:
    return reverse(f"outreach:{name}", kwargs={"ad_uuid": ad.uuid})


@pytest.fixture
def network(org_a, users):
    """Three ads sharing a phone (one also a handle with the second), an observation, a contact,
    a report about the network, and a case file opened from the first ad."""
    ads = ads_for_tests(
        org_a,
        ad_input(
            phones=[SHARED_PHONE],
            handles=["snapchat:lea_fictive"],
            pseudonyms=["Léa"],
            city="Lyon",
            declared_age=16,
            observations="OBSERVATIONSECRETE la personne semble très jeune",
        ),
        ad_input(phones=[SHARED_PHONE], handles=["snapchat:lea_fictive"], city="Grenoble"),
        ad_input(phones=[SHARED_PHONE], image_hashes=["8f0f3c3c3c3c0f8f"], city="Annecy"),
    )
    AdContact.objects.create(
        ad=ads[0], channel="whatsapp", contacted_on=timezone.localdate(), message="MESSAGECONTACT"
    )
    report = AuthorityReport.objects.create(
        organisation=org_a,
        recipient="pharos",
        reported_on=timezone.localdate(),
        reference="PHAROSREF777",
        scope="cluster",
    )
    report.ads.set(ads)
    case = CaseFactory(organisation=org_a, reference="CASEREF-LINKED")
    ads[0].case = case
    ads[0].save(update_fields=["case"])
    return ads


def test_the_network_evidence_holds_the_ads_identifiers_signs_and_reports(
    network, users, client_for
):
    client = client_for(users[("caseworker", "a")])

    response = client.post(evidence_url("evidence_cluster", network[1]), **ENGLISH)
    if EVIDENCE_PDF:
        Path(EVIDENCE_PDF).write_bytes(response.content)

    text = pdf_text(response)

    for ad in network:
        assert squeezed(ad.reference) in text
        assert squeezed(ad.url) in text
    assert SHARED_PHONE_E164 in text
    assert "snapchat:lea_fictive" in text
    assert "8f0f3c3c3c3c0f8f" in text
    assert "Léa" in text
    assert "Grenoble" in text
    assert "PHAROSREF777" in text
    assert squeezed("Pharos (online reporting platform)") in text
    assert "OrganisationA" in text
    with translation.override("en"):
        assert squeezed(gettext(CONFIDENTIAL_NOTICE)) in text
    # A declared age of 16 is a sign of a minor, shown with what was found.
    assert squeezed("Declared age: 16") in text


def test_the_evidence_leaves_out_observations_contacts_and_the_case(network, users, client_for):
    client = client_for(users[("caseworker", "a")])

    for name in ("evidence_cluster", "evidence_ad"):
        text = pdf_text(client.post(evidence_url(name, network[0])))
        assert network[0].reference in text
        assert "OBSERVATIONSECRETE" not in text
        assert "MESSAGECONTACT" not in text
        assert "CASEREF-LINKED" not in text


def test_one_ad_evidence_holds_only_that_ad(network, users, client_for):
    text = pdf_text(
        client_for(users[("coordinator", "a")]).post(
            evidence_url("evidence_ad", network[2]), **ENGLISH
        )
    )

    assert network[2].reference in text
    assert network[0].reference not in text
    assert network[1].reference not in text
    assert "8f0f3c3c3c3c0f8f" in text
    assert "snapchat:lea_fictive" not in text


def test_the_evidence_is_in_the_pages_language(network, users, client_for):
    client = client_for(users[("caseworker", "a")])

    french = pdf_text(client.post(evidence_url("evidence_ad", network[0])))
    english = pdf_text(client.post(evidence_url("evidence_ad", network[0]), **ENGLISH))

    for language, text in (("fr", french), ("en", english)):
        with translation.override(language):
            assert squeezed(gettext(CONFIDENTIAL_NOTICE)) in text
            assert squeezed(gettext("Linked identifiers")) in text
    assert french != english


def test_the_export_is_audited_naming_every_ad(network, users, client_for):
    caseworker = users[("caseworker", "a")]

    response = client_for(caseworker).post(evidence_url("evidence_cluster", network[0]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="preuves-reseau-')
    event = AuditEvent.objects.get(action=AuditAction.OUTREACH_EVIDENCE_EXPORT)
    assert set(event.object_uuids) == {str(ad.uuid) for ad in network}
    assert event.actor_uuid == caseworker.uuid
    assert event.reason_code == "cluster"


def test_the_offer_page_says_what_the_pdf_leaves_out(network, users, client_for):
    page = client_for(users[("caseworker", "a")]).get(
        evidence_url("evidence_cluster", network[0]), **ENGLISH
    )

    content = page.content.decode()
    assert page.status_code == 200
    assert "observations and the contacts with the person" in content
    assert "Any case file opened from an advertisement" in content
    assert "3 advertisements" in content
    assert not AuditEvent.objects.filter(action=AuditAction.OUTREACH_EVIDENCE_EXPORT).exists()


@pytest.mark.parametrize("name", ["evidence_ad", "evidence_cluster"])
def test_a_stale_session_reauthenticates_first(name, network, users, client_for):
    client = client_for(users[("caseworker", "a")])
    session = client.session
    session[REAUTH_AT_KEY] = (timezone.now() - settings.REAUTH_MAX_AGE * 2).isoformat()
    session.save()

    for answer in (
        client.get(evidence_url(name, network[0])),
        client.post(evidence_url(name, network[0])),
    ):
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("accounts:reauth"))
    assert not AuditEvent.objects.filter(action=AuditAction.OUTREACH_EVIDENCE_EXPORT).exists()


@pytest.mark.parametrize("name", ["evidence_ad", "evidence_cluster"])
@pytest.mark.parametrize(
    ("role", "organisation"),
    [("caseworker", "b"), ("coordinator", "b"), ("org_admin", "a"), ("analyst", "a")],
)
def test_others_get_a_404_and_nothing_is_exported(
    name, role, organisation, network, users, client_for
):
    client = client_for(users[(role, organisation)])

    assert client.get(evidence_url(name, network[0])).status_code == 404
    assert client.post(evidence_url(name, network[0])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.OUTREACH_EVIDENCE_EXPORT).exists()
