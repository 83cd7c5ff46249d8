"""Who sees a referral, and what the recipient reads of the file: only the sections shared."""

from dataclasses import fields
from datetime import date, timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vigie.audit.models import AuditAction
from vigie.audit.selectors import audit_events_for_object
from vigie.audit.services import Actor
from vigie.cases.models import Case, Placement
from vigie.network.models import FileSection, ReferralStatus
from vigie.network.selectors_referrals import (
    referral_get_for_user,
    referral_page_for_user,
    referrals_for_case,
    referrals_incoming,
    referrals_outgoing,
    shared_file_get_for_user,
)
from vigie.network.shared_file import SharedFile, shared_file_build
from vigie.tests_support.factories import CaseFactory, OrganisationFactory
from vigie.tests_support.factories_referrals import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(org_a):
    case = CaseFactory(
        organisation=org_a,
        first_name="Aminata",
        last_name="Diallo",
        languages="bambara, français",
        health_notes="Asthme, traitement en cours.",
        safety_notes="Le cousin Moussa la recherche à Saint-Denis.",
        legal_representative="Tante, à Bamako",
        exploitation_places="Gare du Nord",
    )
    Placement.objects.create(case=case, kind="foster_family", started_on=date(2025, 1, 5))
    return case


def _referral(child, org_b, sections, **extra):
    return ReferralFactory(case=child, to_organisation=org_b, sections=sections, **extra)


def _as(users, key):
    return Actor(user=users[key])


def test_the_recipient_reads_only_the_sections_shared(users, child, org_b):
    """Given a referral sharing identity and health, when B reads it, then identity and
    health are there and every other section is absent (not even read)."""
    referral = _referral(child, org_b, [FileSection.IDENTITY, FileSection.HEALTH])

    shared = shared_file_get_for_user(
        actor=_as(users, ("caseworker", "b")), referral_uuid=referral.uuid
    )

    assert shared.reference == child.reference
    assert shared.sections == ("identity", "health")
    assert shared.identity is not None and shared.identity.last_name == "Diallo"
    assert shared.identity.minority in ("yes", "presumed")
    assert (
        shared.health is not None and shared.health.health_notes == "Asthme, traitement en cours."
    )
    for absent in ("situation", "legal", "accommodation", "schooling", "rights", "safety_notes"):
        assert getattr(shared, absent) is None, absent


def test_a_shared_file_never_holds_the_case(child):
    """A template given a SharedFile cannot reach an unshared section through the Case."""
    shared = shared_file_build(case=child, sections=FileSection.values)
    assert not any(isinstance(getattr(shared, f.name), Case) for f in fields(SharedFile))
    assert shared.safety_notes == "Le cousin Moussa la recherche à Saint-Denis."
    assert shared.legal is not None and shared.legal.legal_representative == "Tante, à Bamako"
    assert shared.accommodation is not None and shared.accommodation[0].started_on == date(
        2025, 1, 5
    )
    assert shared.situation is not None and shared.situation.exploitation_places == "Gare du Nord"


def test_each_read_by_the_recipient_is_in_the_childs_access_log(users, child, org_b):
    referral = _referral(child, org_b, [FileSection.IDENTITY])
    reader = users[("caseworker", "b")]

    shared_file_get_for_user(actor=Actor(user=reader), referral_uuid=referral.uuid)
    referral_page_for_user(actor=Actor(user=reader), referral_uuid=referral.uuid)

    reads = [
        e
        for e in audit_events_for_object(object_uuid=child.uuid)
        if e.action == AuditAction.REFERRAL_FILE_VIEW
    ]
    assert len(reads) == 2
    assert all(e.actor_uuid == reader.uuid for e in reads)
    assert all(str(referral.uuid) in e.object_uuids for e in reads)


@pytest.mark.parametrize(
    "change",
    [
        {"status": ReferralStatus.REVOKED, "revoked_at": timezone.now},
        {"status": ReferralStatus.DECLINED},
        {"expires_at": lambda: timezone.now() - timedelta(seconds=1)},
    ],
    ids=["revoked", "declined", "expired"],
)
def test_a_closed_referral_is_404_for_the_recipient_and_visible_to_the_referrer(
    users, child, org_b, change
):
    referral = _referral(
        child,
        org_b,
        [FileSection.IDENTITY],
        **{k: v() if callable(v) else v for k, v in change.items()},
    )

    for reader in (users[("caseworker", "b")], users[("coordinator", "b")]):
        with pytest.raises(Http404):
            referral_get_for_user(actor=Actor(user=reader), referral_uuid=referral.uuid)
        with pytest.raises(Http404):
            shared_file_get_for_user(actor=Actor(user=reader), referral_uuid=referral.uuid)
    page = referral_page_for_user(
        actor=_as(users, ("caseworker", "a")), referral_uuid=referral.uuid
    )
    assert page.shared_file is None
    assert page.referral.case_reference == child.reference
    assert not page.referral.can_revoke or page.referral.is_expired


def test_other_organisations_do_not_see_the_referral(users, child, org_b):
    referral = _referral(child, org_b, [FileSection.IDENTITY])
    outsider = OrganisationFactory(name="Organisation C")
    from vigie.tests_support.factories import UserFactory

    stranger = UserFactory(role="coordinator", organisation=outsider)
    for actor in (Actor(user=stranger), _as(users, ("platform_admin", None))):
        with pytest.raises(Http404):
            referral_get_for_user(actor=actor, referral_uuid=referral.uuid)


def test_the_referrer_does_not_read_through_the_shared_file(users, child, org_b):
    referral = _referral(child, org_b, [FileSection.IDENTITY])
    with pytest.raises(Http404):
        shared_file_get_for_user(actor=_as(users, ("caseworker", "a")), referral_uuid=referral.uuid)


def test_lists_split_sent_and_received_without_n_plus_one(users, org_a, org_b, child):
    for _ in range(3):
        _referral(CaseFactory(organisation=org_a), org_b, [FileSection.IDENTITY])
        _referral(CaseFactory(organisation=org_b), org_a, [FileSection.HEALTH])
    sender, recipient = _as(users, ("caseworker", "a")), _as(users, ("caseworker", "b"))

    referrals_outgoing(actor=sender)  # the audit trail's first event creates its head
    with CaptureQueriesContext(connection) as queries:
        outgoing = referrals_outgoing(actor=sender)
    few = len(queries)
    assert len(outgoing) == 3 and all(r.case_reference for r in outgoing)
    for _ in range(3):
        _referral(CaseFactory(organisation=org_a), org_b, [FileSection.IDENTITY])
    with CaptureQueriesContext(connection) as queries:
        assert len(referrals_outgoing(actor=sender)) == 6
    assert len(queries) == few

    incoming = referrals_incoming(actor=recipient)
    assert len(incoming) == 6
    assert all(r.case_reference == "" and r.case_uuid is None for r in incoming)
    assert len(referrals_incoming(actor=sender)) == 3


def test_the_case_panel_lists_the_files_referrals_without_auditing(users, child, org_b):
    _referral(child, org_b, [FileSection.IDENTITY])
    before = audit_events_for_object(object_uuid=child.uuid).count()
    rows = referrals_for_case(case=child)
    assert [r.to_organisation for r in rows] == [org_b.name]
    assert audit_events_for_object(object_uuid=child.uuid).count() == before
