"""Identification through the API: screening a case as the page does, reading its screenings,
and screening an anonymous situation as `vigie screen` does."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from vigie.api.api import api
from vigie.audit.models import AuditEvent
from vigie.identification.catalogue import load_catalogue
from vigie.identification.models import Screening
from vigie.rights.models import RightItem
from vigie.tests_support.api import api_client, api_client_for, token_for
from vigie.tests_support.factories import CaseFactory

pytestmark = pytest.mark.django_db

ANONYMOUS = "/api/v1/screenings/anonymous"
DEBT = "child_labour.coercive_recruitment.debt_bondage"
# A minor made to beg, moved by someone, with two signs of deceptive recruitment.
SITUATION = {
    "age": 15,
    "situations": ["begging", "moved_by_third_party"],
    "indicators": [
        "child_labour.deceptive_recruitment.deceived_about_work",
        "child_labour.deceptive_recruitment.deceived_about_contract",
    ],
    "unaccompanied": True,
    "complete": True,
}


def _url(case) -> str:
    return f"/api/v1/cases/{case.uuid}/screenings"


def _post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_a_caseworker_screens_a_case_and_gets_the_explained_result(users, case_a):
    user = users[("caseworker", "a")]
    client = api_client_for(user, scopes=["identification:write"])

    response = _post(client, _url(case_a), SITUATION)

    assert response.status_code == 201, response.content
    body = response.json()
    screening = Screening.objects.get(case=case_a)
    assert body["uuid"] == str(screening.uuid)
    assert body["created_by"] == str(user.uuid)
    assert body["input"]["situations"] == ["begging", "moved_by_third_party"]
    result = body["result"]
    assert (result["assessment"], result["minor"]) == ("presumed_victim", "yes")
    assert result["forms"] == ["forced_begging"]
    assert "refer_juvenile_judge" in result["actions"]
    assert result["explanation"]["fr"] and result["explanation"]["en"]
    assert {rule["id"] for rule in result["rules"]} >= {"minor_by_stated_age", "ilo_dimension_rule"}
    deceptive = next(d for d in result["dimensions"] if d["id"] == "deceptive_recruitment")
    assert deceptive["positive"] is True
    # The indicators found, named as the result page names them.
    labels = load_catalogue().indicators
    assert [(i["id"], i["label"]["en"]) for i in result["indicators_found"]] == [
        (indicator_id, labels[indicator_id].label["en"]) for indicator_id in SITUATION["indicators"]
    ]
    assert screening.assessment == "presumed_victim" and screening.created_by == user
    # Audited as on the page: the file read, then the screening.
    actions = list(
        AuditEvent.objects.filter(subjects__object_uuid=case_a.uuid).values_list(
            "action", flat=True
        )
    )
    assert "case.view" in actions and "case.screening" in actions
    # The screening's protective actions feed the rights plan.
    assert RightItem.objects.filter(case=case_a, opened_by="refer_juvenile_judge").exists()


def test_the_case_s_screenings_are_listed_newest_first_by_pages(users, case_a):
    writer = api_client_for(users[("caseworker", "a")], scopes=["identification:write"])
    for age in (10, 11, 12):
        assert _post(writer, _url(case_a), {"age": age}).status_code == 201
    reader = api_client_for(users[("coordinator", "a")], scopes=["identification:read"])

    seen, after = [], None
    while True:
        response = reader.get(_url(case_a), {"limit": 2, **({"after": after} if after else {})})
        assert response.status_code == 200
        body = response.json()
        assert len(body["items"]) <= 2
        seen += [item["input"]["age"] for item in body["items"]]
        if body["next"] is None:
            break
        after = body["next"]

    assert seen == [12, 11, 10]
    assert body["items"][0]["result"]["minor"] == "yes"
    assert body["items"][0]["result"]["catalogue_version"] == load_catalogue().version


def test_a_cursor_from_elsewhere_is_a_422_naming_it(users, case_a, org_a):
    other = CaseFactory(organisation=org_a)
    client = api_client_for(users[("caseworker", "a")])
    assert _post(client, _url(other), {}).status_code == 201
    foreign = Screening.objects.get(case=other)
    response = client.get(_url(case_a), {"after": str(foreign.uuid)})
    assert response.status_code == 422
    assert response.json()["field"] == "after"


def test_organisation_b_gets_404_and_writes_nothing(users, case_a):
    client = api_client_for(users[("caseworker", "b")])
    for response in (client.get(_url(case_a)), _post(client, _url(case_a), SITUATION)):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert not Screening.objects.exists()


def test_a_token_without_the_scope_gets_403(users, case_a):
    user = users[("caseworker", "a")]
    reader = api_client_for(user, scopes=["identification:read"])
    response = _post(reader, _url(case_a), SITUATION)
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    other = api_client_for(user, scopes=["rights:read"])
    assert other.get(_url(case_a)).status_code == 403
    assert _post(other, ANONYMOUS, SITUATION).status_code == 403
    assert not Screening.objects.exists()


def test_a_role_without_case_files_cannot_get_the_scopes_and_loses_them_on_a_change(users, case_a):
    # An administrator of the organisation has no case permission: no identification scope.
    with pytest.raises(ValidationError) as refused:
        token_for(users[("org_admin", "a")], scopes=["identification:read"])
    assert list(refused.value.message_dict) == ["scopes"]
    # A caseworker who becomes an administrator keeps the token, and it opens no file: the
    # scope is refused before anything is looked up (the role no longer allows it).
    user = users[("caseworker", "a")]
    _token, secret = token_for(user, scopes=["identification:write"])
    user.role = "org_admin"
    user.save()
    client = api_client(secret)
    for response in (client.get(_url(case_a)), _post(client, _url(case_a), SITUATION)):
        assert response.status_code == 403
        assert response.json()["code"] == "insufficient_scope"
    assert not Screening.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"indicators": [DEBT, DEBT[:-1]]}, "indicators.1", "debt_bondag"),
        ({"indicators": ["no.such.indicator"]}, "indicators.0", "no.such.indicator"),
        ({"situations": ["flying"]}, "situations.0", ""),
        ({"age": 140}, "age", ""),
        ({"age": "fifteen"}, "age", ""),
        ({"age_doubt": "maybe"}, "age_doubt", ""),
        # Strict as the engine: 1 is not true, "15" is not an age.
        ({"complete": 1}, "complete", ""),
        ({"age": "15"}, "age", ""),
        ({"favourite_colour": "blue"}, "favourite_colour", ""),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_stored(
    users, case_a, body, field, words
):
    client = api_client_for(users[("caseworker", "a")])
    for url in (_url(case_a), ANONYMOUS):
        response = _post(client, url, body, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422, (url, response.content)
        error = response.json()
        assert error["code"] == "validation_error"
        assert error["field"] == field
        assert words in error["errors"][0]["message"]
    assert not Screening.objects.exists()


def test_an_unknown_indicator_is_named_with_the_nearest_one(users, case_a):
    client = api_client_for(users[("caseworker", "a")])
    response = _post(client, ANONYMOUS, {"indicators": [DEBT + "s"]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == (
        f"Unknown indicator “{DEBT}s”: did you mean “{DEBT}”?"
    )


def test_the_schema_lists_the_catalogue_s_indicators():
    schema = api.get_openapi_schema()
    screening_in = schema["components"]["schemas"]["ScreeningIn"]
    enum = screening_in["properties"]["indicators"]["items"]["enum"]
    assert enum == list(load_catalogue().indicators)
    assert screening_in["additionalProperties"] is False


def test_an_anonymous_situation_is_screened_like_vigie_screen_and_nothing_is_kept(users, tmp_path):
    client = api_client_for(users[("caseworker", "a")], scopes=["identification:read"])
    events = AuditEvent.objects.count()

    response = _post(client, ANONYMOUS, SITUATION)

    assert response.status_code == 200, response.content
    path = tmp_path / "situation.json"
    path.write_text(json.dumps(SITUATION), encoding="utf-8")
    out = io.StringIO()
    call_command("screen", str(path), stdout=out)
    from_command = json.loads(out.getvalue())
    body = response.json()
    found = body.pop("indicators_found")
    assert body == from_command
    assert [indicator["id"] for indicator in found] == SITUATION["indicators"]
    assert not Screening.objects.exists()
    assert AuditEvent.objects.count() == events


def test_an_empty_situation_is_not_enough_information(users):
    client = api_client_for(users[("coordinator", "a")], scopes=["identification:read"])
    response = _post(client, ANONYMOUS, {})
    assert response.status_code == 200
    body = response.json()
    assert (body["assessment"], body["minor"]) == ("insufficient_information", "presumed")
    assert body["indicators_found"] == []
