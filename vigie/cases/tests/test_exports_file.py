"""A child's full file as a PDF: what it holds, in the language chosen, for those who may open the
file only (404 otherwise), after a fresh re-authentication, with its purpose in the access log."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from vigie.accounts.sessions import REAUTH_AT_KEY
from vigie.audit.models import AuditAction, AuditEvent
from vigie.cases.exports.case_file import CONFIDENTIAL_NOTICE
from vigie.cases.models import CaseNote
from vigie.identification.models import Screening
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_documents import document_for_tests
from vigie.tests_support.factories_events import PlacementFactory, ProceedingFactory
from vigie.tests_support.factories_rights import RightItemFactory
from vigie.tests_support.factories_sharing import full_referral_for_tests
from vigie.tests_support.factories_transfers import TransferFactory

pytestmark = pytest.mark.django_db


def url(case) -> str:
    return reverse("cases:file_export", kwargs={"case_uuid": case.uuid})


def pdf_text(response) -> str:
    """The PDF's text without whitespace (extraction breaks lines anywhere)."""
    assert response.status_code == 200, response.content.decode(errors="replace")[:2000]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def squeezed(text: str) -> str:
    return "".join(text.split())


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return squeezed(gettext(message))


@pytest.fixture
def child(org_a, org_b, users):
    """A file with something in every section."""
    case = CaseFactory(
        organisation=org_a,
        reference="REF-A-7",
        first_name="Aminata",
        last_name="Zéphirine",
        aliases="Mimi la Douce",
        safety_notes="Éviter la gare du Nord.",
        assigned_to=users[("caseworker", "a")],
    )
    Screening.objects.create(
        case=case,
        catalogue_version="test",
        input={},
        result={
            "forms": ["forced_criminality"],
            "actions": [],
            "rules": [{"detail": {"fr": "Règle appliquée", "en": "Rule applied"}, "source": "S1"}],
            "dimensions": [],
            "explanation": {"fr": "Explication du résultat", "en": "Explanation of the result"},
        },
        assessment="presumed_victim",
        minor="presumed",
    )
    RightItemFactory(case=case, right_id="ad_hoc_administrator", due_on=timezone.localdate())
    PlacementFactory(case=case, kind="hotel", departement="93")
    ProceedingFactory(case=case, court="Tribunal pour enfants de Bobigny")
    CaseNote.objects.create(case=case, text="Entretien au foyer, confiance établie.")
    document_for_tests(case, title="Jugement en assistance éducative", content=b"\x89PNG secret")
    full_referral_for_tests(case, org_b)
    TransferFactory(case=case, to_organisation=org_b)
    return case


def export(client, case, **data):
    return client.post(url(case), {"purpose": "judge", "language": "fr", **data})


# --- What the PDF holds -----------------------------------------------------------------------


def test_the_pdf_holds_every_part_of_the_file_in_french(child, users, client_for):
    caseworker = users[("caseworker", "a")]

    response = export(client_for(caseworker), child)

    text = pdf_text(response)
    assert response["Content-Disposition"] == (
        f'attachment; filename="dossier-ref-a-7-{timezone.localdate().isoformat()}.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    # Header: organisation, who exported, the purpose, the confidentiality notice.
    assert squeezed("Organisation A") in text
    assert squeezed(caseworker.full_name) in text
    assert in_language("fr", "For a judge or a court") in text
    assert in_language("fr", CONFIDENTIAL_NOTICE) in text
    # Identity and situation (decrypted).
    for value in ("REF-A-7", "Aminata", "Zéphirine", "Mimi la Douce", "Éviter la gare du Nord."):
        assert squeezed(value) in text
    # Screening and its explained result, in French.
    assert squeezed("Explication du résultat") in text and "Règleappliquée" in text
    assert "Explanationoftheresult" not in text
    # Rights plan, events, notes, documents (titles only), referrals and transfers.
    for heading in (
        "Identity",
        "Situation",
        "Screening for trafficking indicators",
        "Rights plan",
        "Notes",
        "Documents",
        "Referrals",
        "Transfers",
    ):
        assert in_language("fr", heading) in text, heading
    assert squeezed("Tribunal pour enfants de Bobigny") in text
    assert in_language("fr", "Rights violation") in text  # the hotel placement
    assert squeezed("Entretien au foyer, confiance établie.") in text
    assert squeezed("Jugement en assistance éducative") in text
    assert "OrganisationB" in text  # the referral and the transfer


def test_the_pdf_in_english_says_everything_in_english(child, users, client_for):
    text = pdf_text(export(client_for(users[("coordinator", "a")]), child, language="en"))

    assert "Rightsplan" in text and "Identity" in text
    assert in_language("fr", "Rights plan") not in text
    assert "Explanationoftheresult" in text and "Explicationdurésultat" not in text
    assert in_language("en", CONFIDENTIAL_NOTICE) in text


def test_the_pdf_is_audited_with_its_purpose(child, users, client_for):
    coordinator = users[("coordinator", "a")]

    export(client_for(coordinator), child, purpose="access_request")

    events = list(AuditEvent.objects.order_by("sequence"))
    assert [event.action for event in events] == [
        AuditAction.CASE_VIEW,
        AuditAction.CASE_FILE_EXPORT,
    ]
    exported = events[-1]
    assert exported.reason_code == "access_request"
    assert exported.object_uuids == [str(child.uuid)]
    assert exported.actor_uuid == coordinator.uuid


def test_the_form_page_offers_the_purposes_and_the_readers_language(child, users, client_for):
    client = client_for(users[("caseworker", "a")])

    response = client.get(url(child))

    assert response.status_code == 200
    page = response.content.decode()
    for purpose in ("judge", "transfer", "access_request", "other"):
        assert f'value="{purpose}"' in page
    assert 'value="fr" id="id_language_0" required checked' in page
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_FILE_EXPORT).exists()


@pytest.mark.parametrize(
    "data", [{"purpose": ""}, {"purpose": "curiosity"}, {"language": "de"}], ids=str
)
def test_an_unknown_purpose_or_language_is_an_error(data, child, users, client_for):
    response = export(client_for(users[("caseworker", "a")]), child, **data)

    assert response.status_code == 422
    assert 'class="error"' in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_FILE_EXPORT).exists()


# --- Who may export ---------------------------------------------------------------------------


def test_another_organisations_file_does_not_exist(child, users, client_for):
    client = client_for(users[("coordinator", "b")])

    assert client.get(url(child)).status_code == 404
    assert export(client, child).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_FILE_EXPORT).exists()


@pytest.mark.parametrize("role", ["org_admin", "analyst"])
def test_roles_without_case_work_get_a_404(role, child, users, client_for):
    client = client_for(users[(role, "a")])

    assert client.get(url(child)).status_code == 404
    assert export(client, child).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_FILE_EXPORT).exists()


def test_an_archived_file_is_not_exported_from_here(child, users, client_for):
    from vigie.tests_support.factories_alerts import archive_for_tests

    archive_for_tests(child)

    assert export(client_for(users[("coordinator", "a")]), child).status_code == 404


def test_a_stale_session_reauthenticates_first(child, users, client_for):
    client = client_for(users[("caseworker", "a")])
    session = client.session
    session[REAUTH_AT_KEY] = (timezone.now() - settings.REAUTH_MAX_AGE * 2).isoformat()
    session.save()

    page = client.get(url(child))
    response = export(client, child)

    for answer in (page, response):
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("accounts:reauth"))
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_FILE_EXPORT).exists()


@pytest.mark.parametrize("role", ["caseworker", "coordinator"])
def test_the_case_page_links_to_the_export(role, child, users, client_for):
    page = client_for(users[(role, "a")]).get(child.get_absolute_url())

    assert f'href="{url(child)}"' in page.content.decode()
