"""Transfers through the API: coordinators only, the pages' state machine, abroad stays a page."""

import json

import pytest

from vigie.api.scopes import ApiScope
from vigie.audit.models import AuditEvent
from vigie.cases.models import Case
from vigie.network.models import Transfer, TransferStatus
from vigie.tests_support.api import api_client_for
from vigie.tests_support.factories import CaseFactory, OrganisationFactory
from vigie.tests_support.factories_transfers import AbroadTransferFactory, TransferFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/transfers"


def _post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _actions():
    """The audit trail's actions in order, the token's own creation left out."""
    actions = AuditEvent.objects.order_by("sequence").values_list("action", flat=True)
    return [action for action in actions if not action.startswith("api.")]


def _proposal(org_b, **changes):
    body = {
        "to_organisation": str(org_b.uuid),
        "new_departement": "69",
        "reason": "Éloignement du réseau.",
        "child_consent": "consented",
        "parents_consent": "not_appropriate",
    }
    return body | changes


@pytest.fixture
def transfer(case_a, org_b):
    """A proposal of A's file to B."""
    return TransferFactory(case=case_a, to_organisation=org_b)


def test_the_lists_page_by_offset_and_show_each_side_its_transfers(users, org_a, org_b):
    for _ in range(3):
        TransferFactory(case=CaseFactory(organisation=org_a), to_organisation=org_b)
    TransferFactory(case=CaseFactory(organisation=org_b), to_organisation=OrganisationFactory())
    client = api_client_for(users[("coordinator", "a")])
    first = client.get(LIST, {"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next_offset"] == 2
    second = client.get(LIST, {"limit": 2, "offset": 2}).json()
    assert len(second["items"]) == 1 and second["next_offset"] is None
    received = api_client_for(users[("coordinator", "b")]).get(LIST, {"direction": "received"})
    assert len(received.json()["items"]) == 3
    assert received.json()["items"][0]["from_organisation"] == "Organisation A"


def test_the_list_is_bounded(users):
    response = api_client_for(users[("coordinator", "a")]).get(LIST, {"limit": 201})
    assert response.status_code == 422 and response.json()["field"] == "limit"


def test_read_shows_the_file_only_to_its_holder(users, transfer, case_a):
    response = api_client_for(users[("coordinator", "a")]).get(f"{LIST}/{transfer.uuid}")
    assert response.status_code == 200
    body = response.json()
    assert body["case_uuid"] == str(case_a.uuid)
    assert body["case_reference"] == case_a.reference
    assert body["child_consent"] == "consented"
    response = api_client_for(users[("coordinator", "b")]).get(f"{LIST}/{transfer.uuid}")
    assert response.status_code == 200
    assert response.json()["case_uuid"] is None


def test_a_third_organisation_gets_404(users, org_b):
    other = TransferFactory(case=CaseFactory(organisation=org_b))
    client = api_client_for(users[("coordinator", "a")])
    assert client.get(f"{LIST}/{other.uuid}").status_code == 404
    assert _post(client, f"{LIST}/{other.uuid}/accept").status_code == 404
    assert _post(client, f"{LIST}/{other.uuid}/cancel").status_code == 404
    other.refresh_from_db()
    assert other.status == TransferStatus.PROPOSED


def test_propose_records_the_proposal_and_its_audit(users, case_a, org_b):
    client = api_client_for(users[("coordinator", "a")])
    response = _post(client, f"/api/v1/cases/{case_a.uuid}/transfers", _proposal(org_b))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "proposed" and body["destination"] == "organisation"
    assert body["to_organisation"] == "Organisation B" and body["new_departement"] == "69"
    transfer = Transfer.objects.get(uuid=body["uuid"])
    assert transfer.case == case_a
    assert _actions() == ["case.view", "transfer.propose"]
    # One proposal at a time per file.
    response = _post(client, f"/api/v1/cases/{case_a.uuid}/transfers", _proposal(org_b))
    assert response.status_code == 422 and response.json()["field"] == "destination"
    assert Transfer.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"to_organisation": "7b0f6f4e-0000-4000-8000-000000000000"}, "to_organisation"),
        ({"new_departement": "99"}, "new_departement"),
        ({"new_departement": "1234"}, "new_departement"),
        ({"child_consent": "maybe"}, "child_consent"),
        ({"child_consent": "override"}, "override_reason"),
        ({"consent_recorded_on": "1800-01-01"}, "consent_recorded_on"),
    ],
)
def test_propose_refuses_bad_input_naming_the_field(users, case_a, org_b, changes, field):
    client = api_client_for(users[("coordinator", "a")])
    response = _post(client, f"/api/v1/cases/{case_a.uuid}/transfers", _proposal(org_b, **changes))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not Transfer.objects.exists()


def test_propose_to_its_own_organisation_is_refused(users, case_a, org_a):
    client = api_client_for(users[("coordinator", "a")])
    response = _post(client, f"/api/v1/cases/{case_a.uuid}/transfers", _proposal(org_a))
    assert response.status_code == 422 and response.json()["field"] == "to_organisation"


def test_another_organisation_cannot_propose_a_file_it_does_not_hold(users, case_a, org_a):
    client = api_client_for(users[("coordinator", "b")])
    response = _post(client, f"/api/v1/cases/{case_a.uuid}/transfers", _proposal(org_a))
    assert response.status_code == 404
    assert not Transfer.objects.exists()


def test_accepting_hands_the_file_over(users, transfer, case_a, org_b):
    client = api_client_for(users[("coordinator", "b")])
    response = _post(client, f"{LIST}/{transfer.uuid}/accept")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "accepted" and body["case_uuid"] == str(case_a.uuid)
    assert Case.objects.get(pk=case_a.pk).organisation == org_b
    assert "transfer.accept" in _actions()
    response = _post(client, f"{LIST}/{transfer.uuid}/accept")
    assert response.status_code == 422 and response.json()["field"] == "status"


def test_the_proposer_cannot_accept_and_the_recipient_cannot_cancel(users, transfer):
    response = _post(api_client_for(users[("coordinator", "a")]), f"{LIST}/{transfer.uuid}/accept")
    assert response.status_code == 404
    response = _post(api_client_for(users[("coordinator", "b")]), f"{LIST}/{transfer.uuid}/cancel")
    assert response.status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PROPOSED


def test_declining_needs_a_reason_and_keeps_the_file(users, transfer, case_a, org_a):
    client = api_client_for(users[("coordinator", "b")])
    url = f"{LIST}/{transfer.uuid}/decline"
    response = _post(client, url, {"decline_reason": " "})
    assert response.status_code == 422 and response.json()["field"] == "decline_reason"
    response = _post(client, url, {"decline_reason": "Aucune place adaptée."})
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert Case.objects.get(pk=case_a.pk).organisation == org_a
    assert "transfer.decline" in _actions()
    # A declined transfer no longer exists for the recipient.
    assert client.get(f"{LIST}/{transfer.uuid}").status_code == 404


def test_cancelling_is_for_the_proposer_while_no_answer_came(users, transfer):
    client = api_client_for(users[("coordinator", "a")])
    response = _post(client, f"{LIST}/{transfer.uuid}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    response = _post(client, f"{LIST}/{transfer.uuid}/cancel")
    assert response.status_code == 422 and response.json()["field"] == "status"
    assert _actions().count("transfer.cancel") == 1


def test_an_abroad_transfer_is_read_but_not_sent_through_the_api(users, case_a):
    abroad = AbroadTransferFactory(case=case_a)
    client = api_client_for(users[("coordinator", "a")])
    body = client.get(f"{LIST}/{abroad.uuid}").json()
    assert body["destination"] == "abroad" and body["partner_country"] == "IT"
    assert body["to_organisation"] is None
    assert client.post(f"{LIST}/{abroad.uuid}/send-abroad").status_code == 404


def test_transfers_are_a_coordinator_s_business(users, transfer):
    # A caseworker's role allows no transfer scope.
    response = api_client_for(users[("caseworker", "a")]).get(LIST)
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"
    reader = api_client_for(users[("coordinator", "b")], scopes=[ApiScope.TRANSFERS_READ])
    assert reader.get(f"{LIST}/{transfer.uuid}").status_code == 200
    response = _post(reader, f"{LIST}/{transfer.uuid}/accept")
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"


def test_a_coordinator_who_became_a_caseworker_loses_transfers(users, transfer):
    coordinator = users[("coordinator", "b")]
    client = api_client_for(coordinator, scopes=[ApiScope.TRANSFERS_WRITE])
    coordinator.role = "caseworker"
    coordinator.save()
    for response in (client.get(LIST), _post(client, f"{LIST}/{transfer.uuid}/accept")):
        assert response.status_code == 403
        assert response.json()["code"] == "insufficient_scope"
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PROPOSED
