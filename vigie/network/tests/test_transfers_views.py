"""The transfer pages over HTTP (the authorisation matrix covers who gets what)."""

import pytest
from django.conf import settings
from django.urls import reverse

from vigie.audit.models import AuditAction, AuditEvent
from vigie.network.models import Transfer, TransferStatus
from vigie.tests_support.factories_transfers import CONSENT_POST, TransferFactory

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _create_url(case):
    return reverse("network:transfer_create", kwargs={"case_uuid": case.uuid})


def test_a_transfer_without_consent_is_refused_by_the_server(users, org_b, case_a, client_for):
    client = client_for(users[("coordinator", "a")])
    data = {"destination": "organisation", "to_organisation": str(org_b.uuid)}

    response = client.post(_create_url(case_a), data)

    assert response.status_code == 422
    assert 'id="id_child_consent_error"' in response.content.decode()
    assert not Transfer.objects.exists()


def test_proposing_over_http_leads_to_the_transfer_page(users, org_b, case_a, client_for):
    client = client_for(users[("coordinator", "a")])
    data = {
        "destination": "organisation",
        "to_organisation": str(org_b.uuid),
        "new_departement": "13",
        **CONSENT_POST,
    }

    response = client.post(_create_url(case_a), data)

    transfer = Transfer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "network:transfer_detail", kwargs={"transfer_uuid": transfer.uuid}
    )
    assert transfer.to_organisation == org_b and transfer.new_departement == "13"


def test_a_second_proposal_is_refused_with_a_message(users, org_b, case_a, client_for):
    TransferFactory(case=case_a, to_organisation=org_b)
    client = _english(client_for(users[("coordinator", "a")]))
    data = {"destination": "organisation", "to_organisation": str(org_b.uuid), **CONSENT_POST}

    response = client.post(_create_url(case_a), data)

    assert response.status_code == 422
    assert "already awaiting an answer" in response.content.decode()
    assert Transfer.objects.count() == 1


def test_the_form_offers_only_other_active_organisations(users, org_a, org_b, case_a, client_for):
    page = client_for(users[("coordinator", "a")]).get(_create_url(case_a)).content.decode()
    assert f'value="{org_b.uuid}"' in page
    assert f'value="{org_a.uuid}"' not in page


def test_the_lists_show_sent_and_received_transfers(
    users, org_a, org_b, case_a, case_b, client_for
):
    sent = TransferFactory(case=case_a, to_organisation=org_b)
    received = TransferFactory(case=case_b, to_organisation=org_a)
    declined = TransferFactory(case=case_b, to_organisation=org_a, status=TransferStatus.DECLINED)

    page = client_for(users[("coordinator", "a")]).get(reverse("network:transfers"))

    body = page.content.decode()
    outgoing, incoming = (
        body.split('id="transfers-outgoing"')[1],
        body.split('id="transfers-incoming"')[1].split('id="transfers-outgoing"')[0],
    )
    assert str(sent.uuid) in outgoing
    assert str(received.uuid) in incoming
    assert str(declined.uuid) not in body  # a declined proposal is no longer the recipient's


def test_the_case_page_lists_transfers_and_offers_the_link_to_coordinators_only(
    users, org_b, case_a, client_for
):
    transfer = TransferFactory(case=case_a, to_organisation=org_b)
    url = case_a.get_absolute_url()
    create = _create_url(case_a)

    coordinator_page = client_for(users[("coordinator", "a")]).get(url).content.decode()
    caseworker_page = client_for(users[("caseworker", "a")]).get(url).content.decode()

    assert create in coordinator_page
    assert f'data-transfer="{transfer.uuid}"' in coordinator_page
    assert create not in caseworker_page
    assert f'data-transfer="{transfer.uuid}"' in caseworker_page
    # The panel writes no event of its own: the page's CASE_VIEW only.
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {AuditAction.CASE_VIEW}


def test_the_recipient_loses_the_summary_once_declined(users, org_a, org_b, case_a, client_for):
    transfer = TransferFactory(case=case_a, to_organisation=org_b)
    client = client_for(users[("coordinator", "b")])
    detail = reverse("network:transfer_detail", kwargs={"transfer_uuid": transfer.uuid})
    assert client.get(detail).status_code == 200

    response = client.post(
        reverse("network:transfer_decline", kwargs={"transfer_uuid": transfer.uuid}),
        {"decline_reason": "Pas de place adaptée."},
    )

    assert response.status_code == 302
    assert client.get(detail).status_code == 404
    pdf = reverse("network:transfer_summary_pdf", kwargs={"transfer_uuid": transfer.uuid})
    assert client.get(pdf).status_code == 404


def test_the_proposer_keeps_the_transfer_but_not_the_summary_once_accepted(
    users, org_b, case_a, client_for
):
    transfer = TransferFactory(case=case_a, to_organisation=org_b)
    client_for(users[("coordinator", "b")]).post(
        reverse("network:transfer_accept", kwargs={"transfer_uuid": transfer.uuid})
    )
    proposer = client_for(users[("coordinator", "a")])

    page = proposer.get(reverse("network:transfer_detail", kwargs={"transfer_uuid": transfer.uuid}))

    assert page.status_code == 200
    assert 'data-status="accepted"' in page.content.decode()
    assert "data-summary" not in page.content.decode()
    pdf = reverse("network:transfer_summary_pdf", kwargs={"transfer_uuid": transfer.uuid})
    assert proposer.get(pdf).status_code == 404
