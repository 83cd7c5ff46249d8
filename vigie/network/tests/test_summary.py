"""The continuity summary (issue 6, "How it is judged": a transfer produces the continuity summary,
HTML and PDF, with every ongoing item of the plan)."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from vigie.accounts.sessions import REAUTH_AT_KEY
from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.network.models import TransferDestination
from vigie.network.services.transfers import transfer_propose
from vigie.network.summary import continuity_summary_build
from vigie.rights.catalogue import load_catalogue
from vigie.rights.models import OPEN_STATES, RightState
from vigie.tests_support.factories_events import AgeAppealFactory, ProceedingFactory
from vigie.tests_support.factories_transfers import CONSENTED, continuity_case_for_tests

pytestmark = pytest.mark.django_db

# The parts of the file a service taking the child over must find, each by a distinctive word.
EVERY_PART = [
    "Kouyatezz",  # identity
    "Soussou",  # languages
    "Tontonzz",  # safety notes: the exploiter
    "Gare du Nordzz",  # safety notes: the place to avoid
    "Ventolinzz",  # health notes
    "Pregabalin",  # substances
    "Fictivillezz",  # the proceeding's court
    "CIVI Bobignyzz",  # the compensation claim
    "Maître Fictivezz",  # the ad hoc administrator
    "Parquet de Bobigny",  # who appointed her or him
]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def rich_case(org_a, today):
    return continuity_case_for_tests(org_a, today=today)


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _propose(users, case, *, destination=TransferDestination.ORGANISATION, to=None):
    abroad = destination == TransferDestination.ABROAD
    return transfer_propose(
        actor=Actor(user=users[("coordinator", "a")]),
        case=case,
        destination=destination,
        to_organisation=None if abroad else to,
        partner_name="Fictional Child Protection Service" if abroad else "",
        partner_country="IT" if abroad else "",
        new_departement="" if abroad else "69",
        reason="",
        consent=CONSENTED,
    )


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 1
    return "\n".join(page.extract_text() for page in reader.pages)


def _squeezed(text: str) -> str:
    """PDF text extraction breaks lines anywhere: compare without whitespace."""
    return "".join(text.split())


# --- What the summary holds -------------------------------------------------------------------


def test_the_summary_holds_every_open_right_and_flags_the_overdue_one(rich_case, today):
    with translation.override("en"):
        summary = continuity_summary_build(case=rich_case, today=today)

    open_ids = set(
        rich_case.rights.filter(state__in=OPEN_STATES).values_list("right_id", flat=True)
    )
    assert open_ids == set(load_catalogue().rights)
    assert {row.right_id for row in summary.rights} == open_ids
    assert [row.right_id for row in summary.overdue] == ["ad_hoc_administrator"]
    assert summary.rights[0].right_id == "ad_hoc_administrator"  # the most urgent first
    assert {r.right_id for r in summary.treatments.care_rights} == {
        "health_care",
        "psychological_care",
        "addiction_care",
    }
    assert summary.schooling.right is not None
    assert summary.legal.civi_deadline == rich_case.rights.get(right_id="compensation_claim").due_on


def test_the_summary_carries_appointments_proceedings_appeal_placement_and_safety(rich_case, today):
    with translation.override("en"):
        summary = continuity_summary_build(case=rich_case, today=today)

    kinds = [a.kind for a in summary.appointments]
    assert "hearing" in kinds
    assert kinds.count("right_deadline") == len(load_catalogue().rights)
    assert summary.appointments == tuple(sorted(summary.appointments, key=lambda a: a.on))
    assert summary.legal.proceedings[0].court == "Tribunal pour enfants de Fictivillezz"
    assert summary.legal.proceedings[0].non_punishment == "To raise with the court"
    # Filed 200 days ago: six whole months pending at least (Collective 2022: up to 18).
    assert summary.legal.pending_appeals[0].months_pending >= 6
    assert summary.placement is not None and summary.placement.kind == "Foster family"
    assert "Tontonzz" in summary.safety_notes
    assert summary.ad_hoc_administrator.appointed
    assert summary.identity.majority_on is not None


def test_closed_proceedings_decided_appeals_and_finished_rights_are_left_out(org_a, today):
    case = continuity_case_for_tests(org_a, today=today)
    ProceedingFactory(case=case, court="Closed court", closed_on=today - timedelta(days=1))
    case.age_appeals.update(decided_on=today, outcome="minor")
    case.rights.filter(right_id="bank_account").update(state=RightState.DONE)
    other_child = continuity_case_for_tests(org_a, today=today)
    ProceedingFactory(case=other_child, court="Another child's court")

    summary = continuity_summary_build(case=case, today=today)

    assert [p.court for p in summary.legal.proceedings] == ["Tribunal pour enfants de Fictivillezz"]
    assert summary.legal.pending_appeals == ()
    assert "bank_account" not in {r.right_id for r in summary.rights}
    assert len(summary.rights) == len(load_catalogue().rights) - 1


def test_a_past_placement_is_not_the_current_one(org_a, today):
    case = continuity_case_for_tests(org_a, today=today)
    case.placements.update(ended_on=today - timedelta(days=1))
    assert continuity_summary_build(case=case, today=today).placement is None


# --- HTML: the transfer page ------------------------------------------------------------------


def test_the_recipient_reads_every_ongoing_item_on_the_transfer_page(
    users, org_b, rich_case, client_for, today
):
    transfer = _propose(users, rich_case, to=org_b)
    client = _english(client_for(users[("coordinator", "b")]))

    page = client.get(
        reverse("network:transfer_detail", kwargs={"transfer_uuid": transfer.uuid})
    ).content.decode()

    with translation.override("en"):
        titles = [right.label["en"] for right in load_catalogue().rights.values()]
    for title in titles:
        assert title in page, title
    for word in EVERY_PART:
        assert word in page, word
    assert page.count('data-right="') >= len(titles)
    assert 'data-right="ad_hoc_administrator" data-overdue' in page
    assert 'data-appointment="hearing"' in page
    assert "data-proceeding" in page and "data-appeal" in page and "data-placement" in page
    assert "data-civi" in page


def test_reading_the_summary_is_in_the_childs_access_log(users, org_b, rich_case, client_for):
    transfer = _propose(users, rich_case, to=org_b)
    reader = users[("coordinator", "b")]

    client_for(reader).get(
        reverse("network:transfer_detail", kwargs={"transfer_uuid": transfer.uuid})
    )

    event = AuditEvent.objects.filter(action=AuditAction.TRANSFER_SUMMARY_VIEW).get()
    assert event.actor_uuid == reader.uuid
    assert event.object_type == "cases.case"
    assert sorted(event.object_uuids) == sorted([str(rich_case.uuid), str(transfer.uuid)])


# --- PDF ----------------------------------------------------------------------------------------


def test_the_pdf_holds_every_ongoing_item(users, org_b, rich_case, client_for):
    transfer = _propose(users, rich_case, to=org_b)
    client = _english(client_for(users[("coordinator", "a")]))

    response = client.get(
        reverse("network:transfer_summary_pdf", kwargs={"transfer_uuid": transfer.uuid})
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF-")
    text = _squeezed(_pdf_text(response.content))
    for right in load_catalogue().rights.values():
        assert _squeezed(right.label["en"]) in text, right.id
    for word in EVERY_PART:
        assert _squeezed(word) in text, word
    # The footer: the reference and the confidentiality notice, on every page.
    assert _squeezed(rich_case.reference) in text
    assert _squeezed("Confidential — shared professional secrecy") in text
    assert AuditEvent.objects.filter(action=AuditAction.TRANSFER_SUMMARY_VIEW).count() == 1


def test_the_summary_for_a_partner_abroad_is_bilingual_and_an_audited_export(
    users, rich_case, client_for
):
    transfer = _propose(users, rich_case, destination=TransferDestination.ABROAD)
    client = client_for(users[("coordinator", "a")])

    response = client.get(
        reverse("network:transfer_summary_pdf", kwargs={"transfer_uuid": transfer.uuid})
    )

    assert response.status_code == 200
    text = _squeezed(_pdf_text(response.content))
    assert _squeezed("Plan d’accès aux droits") in text  # the French heading
    assert _squeezed("Rights plan") in text  # and the English one
    titles = load_catalogue().rights["psychological_care"].label
    assert _squeezed(titles["fr"]) in text and _squeezed(titles["en"]) in text
    assert "Tontonzz" in text
    event = AuditEvent.objects.filter(action=AuditAction.TRANSFER_SUMMARY_EXPORT).get()
    assert str(rich_case.uuid) in event.object_uuids


def test_the_export_abroad_needs_a_fresh_reauthentication(users, rich_case, client_for):
    transfer = _propose(users, rich_case, destination=TransferDestination.ABROAD)
    client = client_for(users[("coordinator", "a")])
    session = client.session
    # Signing in counted as a re-authentication; long ago now.
    session[REAUTH_AT_KEY] = (timezone.now() - settings.REAUTH_MAX_AGE * 2).isoformat()
    session.save()

    response = client.get(
        reverse("network:transfer_summary_pdf", kwargs={"transfer_uuid": transfer.uuid})
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauth"))
    assert not AuditEvent.objects.filter(action=AuditAction.TRANSFER_SUMMARY_EXPORT).exists()


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/x.png", "https://example.org/x.css", "file:///etc/hostname"]
)
def test_the_pdf_renderer_fetches_nothing_but_inline_data(url):
    from vigie.network.pdf import _url_fetcher

    fetcher = _url_fetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch(url)
    inline = fetcher.fetch("data:text/plain;base64,b2s=")
    assert inline is not None


def test_a_long_pending_appeal_counts_its_months(org_a, today):
    case = continuity_case_for_tests(org_a, today=today)
    case.age_appeals.all().delete()
    AgeAppealFactory(case=case, filed_on=today - timedelta(days=31 * 13))
    summary = continuity_summary_build(case=case, today=today)
    assert summary.legal.pending_appeals[0].months_pending >= 12
