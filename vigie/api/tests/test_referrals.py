"""Referrals through the API: the pages' rules, the recipient reads only the shared sections."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from vigie.api.scopes import ApiScope
from vigie.audit.models import AuditEvent
from vigie.network.models import Referral, ReferralStatus
from vigie.tests_support.api import api_client_for, without_tokens
from vigie.tests_support.factories import OrganisationFactory, UserFactory
from vigie.tests_support.factories_referrals import ReferralFactory, ServiceRecordFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/referrals"


def _post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _actions():
    """The audit trail's actions in order, the token's own creation left out."""
    actions = AuditEvent.objects.order_by("sequence").values_list("action", flat=True)
    return [action for action in actions if not action.startswith("api.")]


def _body(org_b, **changes):
    body = {
        "to_organisation": str(org_b.uuid),
        "service": "health",
        "sections": ["identity", "health"],
        "message": "Consultation pédiatrique à organiser.",
        "child_consent": "consented",
        "parents_consent": "not_appropriate",
    }
    return body | changes


@pytest.fixture
def referral(case_a, org_b):
    """A pending referral of A's file to B, sharing identity and health."""
    return ReferralFactory(case=case_a, to_organisation=org_b)


def test_the_sent_list_names_the_files_and_is_audited_as_a_list(users, referral, case_a):
    response = api_client_for(users[("caseworker", "a")]).get(LIST)
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["uuid"] == str(referral.uuid)
    assert item["side"] == "referrer"
    assert item["service"] == "health"
    assert item["sections"] == ["identity", "health"]
    assert item["case_reference"] == case_a.reference
    assert item["case_uuid"] == str(case_a.uuid)
    event = AuditEvent.objects.get(action="case.list")
    assert without_tokens(event.object_uuids) == [str(case_a.uuid)]


def test_the_received_list_carries_no_child_data(users, referral):
    response = api_client_for(users[("caseworker", "b")]).get(LIST, {"direction": "received"})
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["side"] == "recipient" and item["status"] == "pending"
    assert item["case_uuid"] is None and item["case_reference"] is None
    assert not AuditEvent.objects.filter(action="case.list").exists()
    # A third organisation sees neither side.
    stranger = UserFactory(role="caseworker", organisation=OrganisationFactory())
    for direction in ("sent", "received"):
        response = api_client_for(stranger).get(LIST, {"direction": direction})
        assert response.json()["items"] == []


def test_the_recipient_reads_only_the_shared_sections_and_the_read_is_logged(
    users, referral, case_a
):
    case_a.safety_notes = "Exploiteur connu sous le nom de Tontonzz."
    case_a.save()
    response = api_client_for(users[("caseworker", "b")]).get(f"{LIST}/{referral.uuid}")
    assert response.status_code == 200
    body = response.json()
    shared = body["shared_file"]
    assert shared["sections"] == ["identity", "health"]
    assert shared["identity"]["first_name"] == "Aminata"
    assert shared["identity"]["minority"] in ("yes", "presumed")
    assert shared["health"] is not None
    for hidden in ("situation", "legal", "accommodation", "schooling", "rights", "safety_notes"):
        assert shared[hidden] is None
    assert "Tontonzz" not in response.content.decode()
    assert body["case_uuid"] is None
    event = AuditEvent.objects.get(action="referral.file_view")
    assert str(referral.uuid) in event.object_uuids


def test_the_referrer_reads_the_services_recorded_not_a_shared_file(users, org_b, case_a):
    record = ServiceRecordFactory(referral__case=case_a, referral__to_organisation=org_b)
    response = api_client_for(users[("caseworker", "a")]).get(f"{LIST}/{record.referral.uuid}")
    assert response.status_code == 200
    body = response.json()
    assert body["shared_file"] is None
    assert body["status"] == "accepted"
    assert body["child_consent"] == "consented"
    assert body["parents_consent"] == "not_appropriate"
    assert [s["description"] for s in body["services"]] == [record.description]
    assert "case.view" in _actions()


def test_a_third_organisation_and_a_declined_recipient_get_404(users, referral, org_b):
    stranger = api_client_for(users[("caseworker", "b")])
    other = ReferralFactory(to_organisation=OrganisationFactory())
    assert stranger.get(f"{LIST}/{other.uuid}").status_code == 404
    referral.status = ReferralStatus.DECLINED
    referral.save()
    response = stranger.get(f"{LIST}/{referral.uuid}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_create_refers_the_child_with_the_consent_recorded(users, case_a, org_b):
    client = api_client_for(users[("caseworker", "a")])
    response = _post(client, f"/api/v1/cases/{case_a.uuid}/referrals", _body(org_b))
    assert response.status_code == 201, response.content
    body = response.json()
    referral = Referral.objects.get(uuid=body["uuid"])
    assert body["status"] == "pending"
    assert referral.to_organisation == org_b and referral.sections == ["identity", "health"]
    assert referral.consent_recorded_on == timezone.localdate()
    assert timezone.localdate(referral.expires_at) == timezone.localdate() + timedelta(days=90)
    assert _actions() == ["case.view", "referral.create"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sections": []}, "sections"),
        ({"sections": ["diary"]}, "sections.0"),
        ({"service": "juggling"}, "service"),
        ({"child_consent": None}, "child_consent"),
        ({"expires_on": "2999-01-01"}, "expires_on"),
        ({"consent_recorded_on": "2100-01-01"}, "consent_recorded_on"),
        ({"override_reason": "Pas besoin."}, "override_reason"),
        ({"message": "a\x00b"}, "message"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(users, case_a, org_b, changes, field):
    client = api_client_for(users[("caseworker", "a")])
    response = _post(client, f"/api/v1/cases/{case_a.uuid}/referrals", _body(org_b, **changes))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not Referral.objects.exists()


def test_create_refuses_an_unknown_or_own_organisation(users, case_a, org_a):
    client = api_client_for(users[("caseworker", "a")])
    url = f"/api/v1/cases/{case_a.uuid}/referrals"
    inactive = OrganisationFactory(is_active=False)
    for organisation in (org_a, inactive):
        response = _post(client, url, _body(org_a, to_organisation=str(organisation.uuid)))
        assert response.status_code == 422
        assert response.json()["field"] == "to_organisation"
    assert not Referral.objects.exists()


def test_sharing_without_agreement_is_a_coordinator_s_written_decision(users, case_a, org_b):
    url = f"/api/v1/cases/{case_a.uuid}/referrals"
    override = {"child_consent": "override", "override_reason": "Danger immédiat."}
    response = _post(api_client_for(users[("caseworker", "a")]), url, _body(org_b, **override))
    assert response.status_code == 403
    assert response.json()["field"] == "child_consent"
    coordinator = api_client_for(users[("coordinator", "a")])
    response = _post(coordinator, url, _body(org_b, child_consent="override"))
    assert response.status_code == 422 and response.json()["field"] == "override_reason"
    assert not Referral.objects.exists()
    response = _post(coordinator, url, _body(org_b, **override))
    assert response.status_code == 201
    assert "referral.consent_override" in _actions()


def test_another_organisation_cannot_refer_a_file_it_does_not_hold(users, case_a, org_a):
    client = api_client_for(users[("caseworker", "b")])
    response = _post(client, f"/api/v1/cases/{case_a.uuid}/referrals", _body(org_a))
    assert response.status_code == 404
    assert not Referral.objects.exists()


def test_the_recipient_accepts_once(users, referral):
    client = api_client_for(users[("caseworker", "b")])
    url = f"{LIST}/{referral.uuid}/accept"
    response = _post(client, url)
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert response.json()["decided_at"] is not None
    response = _post(client, url)
    assert response.status_code == 422 and response.json()["field"] == "status"
    assert _actions().count("referral.accept") == 1


def test_the_referrer_cannot_answer_its_own_referral(users, referral):
    client = api_client_for(users[("coordinator", "a")])
    assert _post(client, f"{LIST}/{referral.uuid}/accept").status_code == 404
    response = _post(client, f"{LIST}/{referral.uuid}/decline", {"reason": "Non."})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_declining_needs_a_reason(users, referral):
    client = api_client_for(users[("caseworker", "b")])
    url = f"{LIST}/{referral.uuid}/decline"
    response = _post(client, url, {"reason": "   "})
    assert response.status_code == 422 and response.json()["field"] == "reason"
    response = _post(client, url, {})
    assert response.status_code == 422 and response.json()["field"] == "reason"
    response = _post(client, url, {"reason": "Plus de place avant trois mois."})
    assert response.status_code == 200 and response.json()["status"] == "declined"
    referral.refresh_from_db()
    assert referral.decline_reason == "Plus de place avant trois mois."
    assert "referral.decline" in _actions()


def test_revoking_ends_the_recipient_s_access_at_once(users, referral):
    recipient = api_client_for(users[("caseworker", "b")])
    assert recipient.get(f"{LIST}/{referral.uuid}").status_code == 200
    # Only the organisation holding the file revokes.
    assert _post(recipient, f"{LIST}/{referral.uuid}/revoke").status_code == 404
    referrer = api_client_for(users[("caseworker", "a")])
    response = _post(referrer, f"{LIST}/{referral.uuid}/revoke")
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert recipient.get(f"{LIST}/{referral.uuid}").status_code == 404
    response = _post(referrer, f"{LIST}/{referral.uuid}/revoke")
    assert response.status_code == 422 and response.json()["field"] == "status"


def test_a_read_scope_does_not_write_and_other_scopes_do_not_read(users, referral):
    reader = api_client_for(users[("caseworker", "b")], scopes=[ApiScope.REFERRALS_READ])
    assert reader.get(f"{LIST}/{referral.uuid}").status_code == 200
    response = _post(reader, f"{LIST}/{referral.uuid}/accept")
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"
    cases_only = api_client_for(users[("caseworker", "b")], scopes=[ApiScope.CASES_READ])
    assert cases_only.get(LIST).status_code == 403
    # An analyst's role allows no referral scope at all.
    assert api_client_for(users[("analyst", "a")]).get(LIST).status_code == 403


def test_a_person_who_lost_the_permission_loses_it_through_the_token_too(users, referral):
    worker = users[("caseworker", "b")]
    client = api_client_for(worker, scopes=[ApiScope.REFERRALS_WRITE])
    worker.role = "analyst"
    worker.save()
    for response in (
        _post(client, f"{LIST}/{referral.uuid}/accept"),
        client.get(LIST, {"direction": "received"}),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "insufficient_scope"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
