"""Transfers through their services: consent, one proposal at a time, ownership moves and the
history stays, the abroad flow."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.cases.models import CaseChange, CaseNote, CaseStatus, CaseStatusChange
from vigie.network.models import (
    ChildConsent,
    Notification,
    NotificationKind,
    ParentsConsent,
    Referral,
    ReferralStatus,
    Transfer,
    TransferDestination,
    TransferStatus,
)
from vigie.network.services.consent import Consent
from vigie.network.services.transfers import (
    transfer_accept,
    transfer_cancel,
    transfer_decline,
    transfer_propose,
    transfer_send_abroad,
)
from vigie.rights.models import RightItem
from vigie.tests_support.factories import CaseFactory, OrganisationFactory
from vigie.tests_support.factories_events import HearingFactory, PlacementFactory
from vigie.tests_support.factories_rights import RightItemFactory
from vigie.tests_support.factories_transfers import CONSENTED

pytestmark = pytest.mark.django_db


def _actor(users, role="coordinator", org="a"):
    return Actor(user=users[(role, org)])


def _propose(users, case, to, *, consent=CONSENTED, role="coordinator", **overrides):
    arguments = {
        "actor": _actor(users, role),
        "case": case,
        "destination": TransferDestination.ORGANISATION,
        "to_organisation": to,
        "partner_name": "",
        "partner_country": "",
        "new_departement": "",
        "reason": "Mise à l'abri loin du réseau.",
        "consent": consent,
    }
    return transfer_propose(**(arguments | overrides))


def _abroad(users, case, **overrides):
    values = {
        "destination": TransferDestination.ABROAD,
        "partner_name": "Fictional Child Protection Service",
        "partner_country": "it",
    }
    return _propose(users, case, None, **(values | overrides))


# --- Proposing ----------------------------------------------------------------------------------


def test_a_coordinator_proposes_and_the_recipient_coordinators_are_notified(
    users, org_b, case_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transfer = _propose(users, case_a, org_b, new_departement="2a")

    assert transfer.status == TransferStatus.PROPOSED
    assert transfer.new_departement == "2A"
    assert transfer.from_organisation == case_a.organisation
    event = AuditEvent.objects.get(action=AuditAction.TRANSFER_PROPOSE)
    assert event.object_type == "cases.case"  # the case first: the child's access log
    assert set(event.object_uuids) == {str(case_a.uuid), str(transfer.uuid)}
    notified = Notification.objects.get(kind=NotificationKind.TRANSFER_RECEIVED)
    assert notified.recipient == users[("coordinator", "b")]
    assert notified.url == reverse(
        "network:transfer_detail", kwargs={"transfer_uuid": transfer.uuid}
    )
    assert [m.to for m in mail.outbox] == [[users[("coordinator", "b")].email]]
    assert case_a.last_name not in mail.outbox[0].body


def test_a_caseworker_cannot_transfer(users, org_b, case_a):
    with pytest.raises(PermissionDenied):
        _propose(users, case_a, org_b, role="caseworker")
    assert not Transfer.objects.exists()


def test_only_the_organisation_holding_the_file_transfers_it(users, org_a, case_b):
    with pytest.raises(PermissionDenied):
        _propose(users, case_b, org_a)


@pytest.mark.parametrize(
    ("consent", "field"),
    [
        (
            Consent(child_consent="", parents_consent="informed", recorded_on=date(2024, 1, 1)),
            "child_consent",
        ),
        (
            Consent(child_consent="consented", parents_consent="", recorded_on=date(2024, 1, 1)),
            "parents_consent",
        ),
        (
            Consent(
                child_consent="override", parents_consent="informed", recorded_on=date(2024, 1, 1)
            ),
            "override_reason",
        ),
    ],
    ids=["no-child-consent", "no-parents-answer", "override-without-reason"],
)
def test_no_transfer_without_a_recorded_consent(users, org_b, case_a, consent, field):
    with pytest.raises(ValidationError) as refused:
        _propose(users, case_a, org_b, consent=consent)
    assert field in refused.value.message_dict
    assert not Transfer.objects.exists()


def test_an_override_is_recorded_with_its_coordinator_and_audited_by_code(users, org_b, case_a):
    consent = Consent(
        child_consent=ChildConsent.OVERRIDE,
        parents_consent=ParentsConsent.NOT_APPROPRIATE,
        recorded_on=timezone.localdate(),
        override_reason="Danger immédiat : le réseau l'a retrouvée.",
    )
    transfer = _propose(users, case_a, org_b, consent=consent)
    assert transfer.override_by == users[("coordinator", "a")]
    event = AuditEvent.objects.get(action=AuditAction.TRANSFER_PROPOSE)
    assert event.reason_code == "consent_override"
    assert "réseau" not in str(event.object_uuids)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"to_organisation": None}, "to_organisation"),
        ({"new_departement": "20"}, "new_departement"),
        ({"destination": "moon"}, "destination"),
    ],
)
def test_an_organisation_transfer_needs_a_valid_destination(users, org_b, case_a, overrides, field):
    with pytest.raises(ValidationError) as refused:
        _propose(users, case_a, org_b, **overrides)
    assert field in refused.value.message_dict


def test_an_inactive_organisation_or_ones_own_is_refused(users, org_a, case_a):
    closed = OrganisationFactory(name="Closed association", is_active=False)
    for organisation in (closed, org_a):
        with pytest.raises(ValidationError) as refused:
            _propose(users, case_a, organisation)
        assert "to_organisation" in refused.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"partner_name": "  "}, "partner_name"),
        ({"partner_country": "FR"}, "partner_country"),
        ({"partner_country": "Italy"}, "partner_country"),
        ({"new_departement": "75"}, "new_departement"),
    ],
)
def test_abroad_needs_a_partner_and_a_foreign_iso_country(users, case_a, overrides, field):
    with pytest.raises(ValidationError) as refused:
        _abroad(users, case_a, **overrides)
    assert field in refused.value.message_dict


def test_one_proposal_at_a_time_per_file(users, org_b, case_a):
    first = _propose(users, case_a, org_b)
    with pytest.raises(ValidationError) as refused:
        _abroad(users, case_a)
    assert "destination" in refused.value.message_dict

    transfer_cancel(actor=_actor(users), transfer=first)
    assert _abroad(users, case_a).status == TransferStatus.PROPOSED


# --- Accepting: ownership moves, the history stays -----------------------------------------------


@pytest.fixture
def full_case(users, org_a):
    """A file of A with a history: a note, a right, a placement, a hearing, an edit, a referral."""
    caseworker = users[("caseworker", "a")]
    case = CaseFactory(organisation=org_a, assigned_to=caseworker, departement="93")
    CaseNote.objects.create(case=case, text="Première rencontre.")
    RightItemFactory(case=case, right_id="health_care")
    PlacementFactory(case=case)
    HearingFactory(case=case)
    CaseStatusChange.objects.create(case=case, from_status="open", to_status="identified")
    return case


def test_accepting_moves_the_file_whole_and_keeps_its_history(
    users, org_a, org_b, full_case, client_for, django_capture_on_commit_callbacks
):
    referral_to_c = Referral.objects.create(
        case=full_case,
        from_organisation=org_a,
        to_organisation=OrganisationFactory(name="Organisation C"),
        service="health",
        sections=["health"],
        child_consent="consented",
        parents_consent="informed",
        consent_recorded_on=date(2024, 1, 1),
        expires_at=timezone.now() + timedelta(days=30),
    )
    version = full_case.version
    transfer = _propose(users, full_case, org_b, new_departement="69")

    with django_capture_on_commit_callbacks(execute=True):
        case = transfer_accept(actor=_actor(users, org="b"), transfer=transfer)

    assert case.organisation == org_b
    assert case.assigned_to is None
    assert case.departement == "69"
    assert case.version == version + 1
    assert case.reference == full_case.reference
    # The history stays with the child.
    assert case.notes.count() == 1
    assert RightItem.objects.filter(case=case, right_id="health_care").exists()
    assert case.placements.count() == 1 and case.hearings.count() == 1
    assert case.status_changes.count() == 1
    change = CaseChange.objects.get(case=case)
    assert change.fields == ["organisation", "assigned_to", "departement"]
    # The referrer no longer holds the file: its referral ends.
    referral_to_c.refresh_from_db()
    assert referral_to_c.status == ReferralStatus.REVOKED and referral_to_c.revoked_at
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    assert transfer.decided_by == users[("coordinator", "b")]
    assert AuditEvent.objects.filter(action=AuditAction.TRANSFER_ACCEPT).get().object_type == (
        "cases.case"
    )
    assert Notification.objects.filter(
        kind=NotificationKind.TRANSFER_ACCEPTED, recipient=users[("coordinator", "a")]
    ).exists()

    detail = reverse("cases:detail", kwargs={"case_uuid": case.uuid})
    assert client_for(users[("caseworker", "a")]).get(detail).status_code == 404
    assert client_for(users[("coordinator", "a")]).get(detail).status_code == 404
    page = client_for(users[("caseworker", "b")]).get(detail)
    assert page.status_code == 200
    assert "Première rencontre." in page.content.decode()


def test_a_reference_already_used_by_the_recipient_is_renewed(users, org_b, case_a):
    CaseFactory(organisation=org_b, reference=case_a.reference)
    transfer = _propose(users, case_a, org_b)
    case = transfer_accept(actor=_actor(users, org="b"), transfer=transfer)
    assert case.reference != case_a.reference
    assert "reference" in CaseChange.objects.get(case=case).fields


def test_only_the_recipient_coordinator_answers(users, org_b, case_a):
    transfer = _propose(users, case_a, org_b)
    for actor in (_actor(users), _actor(users, "caseworker", "b")):
        with pytest.raises(PermissionDenied):
            transfer_accept(actor=actor, transfer=transfer)
        with pytest.raises(PermissionDenied):
            transfer_decline(actor=actor, transfer=transfer, reason="Non.")
    case_a.refresh_from_db()
    assert case_a.organisation != org_b


def test_an_answer_comes_once(users, org_b, case_a):
    transfer = _propose(users, case_a, org_b)
    transfer_accept(actor=_actor(users, org="b"), transfer=transfer)
    with pytest.raises(ValidationError) as refused:
        transfer_decline(actor=_actor(users, org="b"), transfer=transfer, reason="Trop tard.")
    assert "status" in refused.value.message_dict


def test_declining_needs_a_reason_and_leaves_the_file_where_it_is(users, org_a, org_b, case_a):
    transfer = _propose(users, case_a, org_b)
    with pytest.raises(ValidationError) as refused:
        transfer_decline(actor=_actor(users, org="b"), transfer=transfer, reason="  ")
    assert "decline_reason" in refused.value.message_dict

    transfer_decline(actor=_actor(users, org="b"), transfer=transfer, reason="Pas de place.")
    transfer.refresh_from_db()
    case_a.refresh_from_db()
    assert transfer.status == TransferStatus.DECLINED
    assert transfer.decline_reason == "Pas de place."
    assert case_a.organisation == org_a
    assert Notification.objects.filter(
        kind=NotificationKind.TRANSFER_DECLINED, recipient=users[("coordinator", "a")]
    ).exists()


def test_the_recipient_cannot_cancel_and_a_cancelled_proposal_cannot_be_accepted(
    users, org_b, case_a
):
    transfer = _propose(users, case_a, org_b)
    with pytest.raises(PermissionDenied):
        transfer_cancel(actor=_actor(users, org="b"), transfer=transfer)
    transfer_cancel(actor=_actor(users), transfer=transfer)
    with pytest.raises(ValidationError):
        transfer_accept(actor=_actor(users, org="b"), transfer=transfer)
    assert AuditEvent.objects.filter(action=AuditAction.TRANSFER_CANCEL).count() == 1


# --- Abroad --------------------------------------------------------------------------------------


def test_sending_abroad_marks_the_transfer_and_moves_the_file_to_transferred(users, org_a, case_a):
    transfer = _abroad(users, case_a)
    assert transfer.partner_country == "IT"
    assert not Notification.objects.exists()  # nobody in Vigie receives it

    transfer_send_abroad(actor=_actor(users), transfer=transfer)

    transfer.refresh_from_db()
    case_a.refresh_from_db()
    assert transfer.status == TransferStatus.SENT_ABROAD
    assert case_a.status == CaseStatus.TRANSFERRED
    assert case_a.organisation == org_a  # the record of what was done stays here
    assert CaseStatusChange.objects.filter(case=case_a, to_status="transferred").exists()
    export = AuditEvent.objects.get(action=AuditAction.TRANSFER_SUMMARY_EXPORT)
    assert export.object_type == "cases.case"
    # A transferred file cannot be transferred again.
    with pytest.raises(ValidationError):
        _abroad(users, case_a)


def test_a_transfer_to_an_organisation_is_not_sent_abroad(users, org_b, case_a):
    transfer = _propose(users, case_a, org_b)
    with pytest.raises(ValidationError):
        transfer_send_abroad(actor=_actor(users), transfer=transfer)


def test_a_place_held_for_the_child_passes_to_the_new_holder_of_the_file(users, org_a, org_b):
    """Given A holds a place for the child, when B accepts the file, then the hold is B's to
    confirm or release (A no longer sees the file), and a finished hold is left as it was."""
    from vigie.network.models import HoldStatus
    from vigie.tests_support.factories_places import PlaceHoldFactory

    case = CaseFactory(organisation=org_a)
    running = PlaceHoldFactory(case=case)
    released = PlaceHoldFactory(case=case, status=HoldStatus.RELEASED)
    transfer = _propose(users, case, org_b)

    transfer_accept(actor=_actor(users, org="b"), transfer=transfer)

    running.refresh_from_db()
    released.refresh_from_db()
    assert running.organisation == org_b and running.status == HoldStatus.HELD
    assert released.organisation == org_a
