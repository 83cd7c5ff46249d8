"""Case files through the API: scoped like the pages, versioned updates, JSON errors."""

import json
import uuid

import pytest

from vigie.audit.models import AuditEvent
from vigie.cases.models import Case
from vigie.tests_support.api import api_client_for, without_tokens
from vigie.tests_support.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_token_of_organisation_b_gets_404_on_a_case_of_organisation_a(users, case_a):
    client = api_client_for(users[("coordinator", "b")])
    url = f"/api/v1/cases/{case_a.uuid}"
    for response in (client.get(url), _patch(client, url, {"version": 1, "first_name": "X"})):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    case_a.refresh_from_db()
    assert case_a.first_name == "Aminata" and case_a.version == 1


def test_the_list_shows_only_the_organisation_s_files_and_pages_by_keyset(org_a, org_b, users):
    own = [CaseFactory(organisation=org_a) for _ in range(5)]
    CaseFactory(organisation=org_b)
    client = api_client_for(users[("caseworker", "a")])
    seen, after = [], ""
    while True:
        response = client.get("/api/v1/cases", {"limit": 2, "after": after})
        assert response.status_code == 200
        body = response.json()
        assert len(body["items"]) <= 2
        seen += [item["uuid"] for item in body["items"]]
        if body["next"] is None:
            break
        after = body["next"]
    assert sorted(seen) == sorted(str(c.uuid) for c in own)
    # A list never decrypts an identity.
    assert "first_name" not in body["items"][0]
    assert AuditEvent.objects.filter(action="case.list").count() == 3


def test_a_bad_cursor_or_filter_is_a_422_naming_it(users):
    client = api_client_for(users[("caseworker", "a")])
    response = client.get("/api/v1/cases", {"after": "nonsense"})
    assert response.status_code == 422
    assert response.json()["field"] == "after"
    response = client.get("/api/v1/cases", {"exploitation_form": "juggling"})
    assert response.status_code == 422
    assert response.json()["field"] == "exploitation_form"


def test_read_returns_the_file_with_the_presumption_of_minority_and_is_audited(users, case_a):
    case_a.age_disputed = True
    case_a.birth_year = 2000
    case_a.save()
    response = api_client_for(users[("caseworker", "a")]).get(f"/api/v1/cases/{case_a.uuid}")
    assert response.status_code == 200
    body = response.json()
    assert body["first_name"] == "Aminata"
    assert body["minor"] == "presumed"
    assert body["version"] == 1
    event = AuditEvent.objects.get(action="case.view")
    assert without_tokens(event.object_uuids) == [str(case_a.uuid)]


def test_create_opens_a_file_with_its_rights_plan(users):
    user = users[("caseworker", "a")]
    response = _post(
        api_client_for(user),
        "/api/v1/cases",
        {
            "first_name": "Ioana",
            "birth_year": 2011,
            "gender": "girl",
            "nationality": "ro",
            "unaccompanied": True,
            "exploitation_forms": ["forced_begging"],
            "referral_source": "outreach",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(uuid=body["uuid"])
    assert case.organisation_id == user.organisation_id
    assert case.first_name == "Ioana" and case.nationality == "RO"
    assert case.rights.exists()
    created = AuditEvent.objects.get(action="case.create")
    assert without_tokens(created.object_uuids) == [body["uuid"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"exploitation_forms": ["juggling"]}, "exploitation_forms.0"),
        ({"birth_date": "2999-01-01", "identified_on": "2020-01-01"}, "birth_date"),
        ({"gender": "dragon"}, "gender"),
        ({"birth_year": 1700}, "birth_year"),
        ({"first_name": "A\x00B"}, "first_name"),
        ({"departement": "999"}, "departement"),
    ],
)
def test_create_refuses_bad_input_naming_the_field_and_writes_nothing(users, body, field):
    response = _post(api_client_for(users[("caseworker", "a")]), "/api/v1/cases", body)
    assert response.status_code == 422, response.content
    payload = response.json()
    assert payload["code"] == "validation_error"
    assert payload["field"] == field
    assert Case.objects.count() == 0


def test_update_with_the_current_version_changes_the_file(users, case_a):
    client = api_client_for(users[("caseworker", "a")])
    url = f"/api/v1/cases/{case_a.uuid}"
    response = _patch(client, url, {"version": 1, "first_name": "Awa", "schooling": "school"})
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    case_a.refresh_from_db()
    assert (case_a.first_name, case_a.schooling, case_a.version) == ("Awa", "school", 2)
    assert AuditEvent.objects.filter(action="case.update").exists()


def test_a_stale_update_gets_409_and_writes_nothing(users, case_a):
    client = api_client_for(users[("caseworker", "a")])
    url = f"/api/v1/cases/{case_a.uuid}"
    assert _patch(client, url, {"version": 1, "first_name": "Awa"}).status_code == 200
    response = _patch(client, url, {"version": 1, "last_name": "Diallo"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version" and body["current_version"] == 2
    case_a.refresh_from_db()
    assert case_a.last_name != "Diallo" and case_a.version == 2


def test_update_validation_errors_name_the_field(users, case_a):
    client = api_client_for(users[("caseworker", "a")])
    url = f"/api/v1/cases/{case_a.uuid}"
    response = _patch(client, url, {"version": 1, "birth_date": "2199-01-01"})
    assert response.status_code == 422
    assert response.json()["field"] == "birth_date"
    response = _patch(client, url, {"first_name": "Awa"})
    assert response.status_code == 422 and response.json()["field"] == "version"


def test_assignment_is_a_coordinator_s_decision(users, case_a):
    worker = users[("caseworker", "a")]
    url = f"/api/v1/cases/{case_a.uuid}"
    response = _patch(
        api_client_for(users[("coordinator", "a")]),
        url,
        {"version": 1, "assigned_to": str(worker.uuid)},
    )
    assert response.status_code == 200, response.content
    assert response.json()["assigned_to"] == str(worker.uuid)
    outsider = users[("caseworker", "b")]
    response = _patch(
        api_client_for(users[("coordinator", "a")]),
        url,
        {"version": 2, "assigned_to": str(outsider.uuid)},
    )
    assert response.status_code == 422 and response.json()["field"] == "assigned_to"
    # A caseworker cannot assign: on a URL naming a file, that is a 404.
    response = _patch(api_client_for(worker), url, {"version": 2, "assigned_to": str(uuid.uuid4())})
    assert response.status_code in (404, 422)


def test_an_analyst_token_reaches_no_case(users, case_a):
    client = api_client_for(users[("analyst", "a")])
    assert client.get(f"/api/v1/cases/{case_a.uuid}").status_code == 403
    assert client.get("/api/v1/cases").status_code == 403
