"""A child's rights plan through the API: read as the case page shows it, one right changed
through the page's service, with its rules and audit."""

import json
from datetime import date, timedelta

import pytest

from vigie.audit.models import AuditEvent
from vigie.audit.services import Actor
from vigie.cases.models import Case
from vigie.cases.services import case_open
from vigie.rights.catalogue import load_catalogue
from vigie.rights.models import RightItem
from vigie.rights.selectors import rights_plan_for_case
from vigie.tests_support.api import api_client, api_client_for, token_for

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


@pytest.fixture
def case(clock, users):
    """An unaccompanied 15-year-old in forced criminality, opened five days ago."""
    return case_open(
        actor=Actor(user=users[("caseworker", "a")]),
        birth_date=date(2010, 9, 14),
        unaccompanied=True,
        exploitation_forms=["forced_criminality"],
        identified_on=TODAY - timedelta(days=5),
    )


def _plan(case) -> str:
    return f"/api/v1/cases/{case.uuid}/rights"


def _right(case, right_id) -> str:
    return f"/api/v1/cases/{case.uuid}/rights/{right_id}"


def _patch(client, url, body, **headers):
    return client.patch(url, json.dumps(body), content_type="application/json", **headers)


def _item(case, right_id="ad_hoc_administrator") -> RightItem:
    return RightItem.objects.get(case=case, right_id=right_id)


def test_the_plan_reads_as_the_case_page_shows_it(case, users):
    client = api_client_for(users[("coordinator", "a")], scopes=["rights:read"])

    response = client.get(_plan(case), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    plan = response.json()
    assert [row["right_id"] for row in plan] == [
        row.item.right_id for row in rights_plan_for_case(case=case)
    ]
    catalogue = load_catalogue().rights
    administrator = next(row for row in plan if row["right_id"] == "ad_hoc_administrator")
    assert administrator["title"] == catalogue["ad_hoc_administrator"].label["en"]
    assert administrator["state"] == "to_do"
    assert administrator["opened_on"] == "2026-02-25"
    assert administrator["due_on"] == "2026-02-28"
    # Late, in words as on the page, not only a date.
    assert (administrator["days_left"], administrator["urgency"]) == (-2, "overdue")
    assert administrator["due_words"] == "Overdue by 2 days"
    assert "706-50" in administrator["legal_basis"]
    assert administrator["report"]["paragraph"]
    assert administrator["opened_by"] == "catalogue"
    assert AuditEvent.objects.filter(action="case.view", subjects__object_uuid=case.uuid).exists()


def test_a_right_is_done_with_its_evidence_and_audited(case, users):
    client = api_client_for(users[("caseworker", "a")], scopes=["rights:write"])

    response = _patch(
        client,
        _right(case, "identity_documents"),
        {"state": "done", "evidence": "Passeport récupéré", "done_on": "2026-03-01"},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["done_on"], body["evidence"]) == (
        "done",
        "2026-03-01",
        "Passeport récupéré",
    )
    assert body["days_left"] is None and body["urgency"] == ""
    item = _item(case, "identity_documents")
    assert (item.state, item.done_on, item.evidence) == (
        "done",
        date(2026, 3, 1),
        "Passeport récupéré",
    )
    assert item.decided_by_person
    assert AuditEvent.objects.filter(
        action="right.update", subjects__object_uuid=item.uuid
    ).exists()


def test_a_right_blocked_then_handed_back_to_the_plan(case, users):
    client = api_client_for(users[("caseworker", "a")])
    url = _right(case, "identity_documents")
    response = _patch(client, url, {"state": "blocked", "reason": "Préfecture"})
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["reason"]) == ("blocked", "Préfecture")
    assert _item(case, "identity_documents").decided_by_person

    response = _patch(client, url, {"state": "to_do"})

    assert response.status_code == 200
    assert (response.json()["state"], response.json()["reason"]) == ("to_do", "")
    assert not _item(case, "identity_documents").decided_by_person


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"state": "refused", "reason": "  "}, "reason"),
        ({"state": "done"}, "evidence"),
        ({"state": "done", "evidence": "Reçu", "done_on": "2026-03-09"}, "done_on"),
        ({"state": "in_progress", "done_on": "2026-03-01"}, "done_on"),
        ({"state": "finished"}, "state"),
        ({}, "state"),
        ({"state": "done", "evidence": "Reçu", "done_on": "1789-07-14"}, "done_on"),
        ({"state": "refused", "reason": "x" * 2001}, "reason"),
        ({"state": "refused", "reason": "a\x00b"}, "reason"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(case, users, body, field):
    client = api_client_for(users[("caseworker", "a")])
    response = _patch(client, _right(case, "ad_hoc_administrator"), body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert _item(case).state == "to_do"
    assert not AuditEvent.objects.filter(action="right.update").exists()


def test_a_state_the_file_contradicts_is_a_422_on_state(case, users):
    Case.objects.filter(pk=case.pk).update(ad_hoc_administrator_appointed_on=TODAY)
    client = api_client_for(users[("caseworker", "a")])
    response = _patch(
        client,
        _right(case, "ad_hoc_administrator"),
        {"state": "blocked", "reason": "Attente"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    error = response.json()
    assert error["field"] == "state"
    assert "The case file settles this right" in error["message"] + error["errors"][0]["message"]


def test_organisation_b_gets_404_and_changes_nothing(case, users):
    client = api_client_for(users[("coordinator", "b")])
    assert client.get(_plan(case)).status_code == 404
    response = _patch(client, _right(case, "ad_hoc_administrator"), {"state": "in_progress"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert _item(case).state == "to_do"


def test_a_right_not_in_the_plan_is_404_and_a_malformed_id_is_422(case, users):
    client = api_client_for(users[("caseworker", "a")])
    absent = next(
        r
        for r in load_catalogue().rights
        if not RightItem.objects.filter(case=case, right_id=r).exists()
    )
    assert _patch(client, _right(case, absent), {"state": "in_progress"}).status_code == 404
    assert (
        _patch(client, _right(case, "no_such_right"), {"state": "in_progress"}).status_code == 404
    )
    response = _patch(client, _right(case, "Not-A-Right"), {"state": "in_progress"})
    assert response.status_code == 422
    assert response.json()["field"] == "right_id"


def test_a_read_token_does_not_change_a_right(case, users):
    client = api_client_for(users[("caseworker", "a")], scopes=["rights:read"])
    response = _patch(client, _right(case, "ad_hoc_administrator"), {"state": "in_progress"})
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    other = api_client_for(users[("caseworker", "a")], scopes=["identification:read"])
    assert other.get(_plan(case)).status_code == 403
    assert _item(case).state == "to_do"


def test_a_person_who_lost_case_work_loses_the_scope(case, users):
    user = users[("caseworker", "a")]
    _token, secret = token_for(user, scopes=["rights:write"])
    user.role = "org_admin"
    user.save()
    client = api_client(secret)
    assert client.get(_plan(case)).status_code == 403
    response = _patch(client, _right(case, "ad_hoc_administrator"), {"state": "in_progress"})
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert _item(case).state == "to_do"
