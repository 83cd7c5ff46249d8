"""Accommodation places through the API: published for all, matched to a child as the page does,
published and held by those the services allow."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from vigie.api.scopes import ApiScope
from vigie.audit.models import AuditEvent
from vigie.network.models import AccommodationPlace, HoldStatus, PlaceHold
from vigie.tests_support.api import api_client_for
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_places import AccommodationPlaceFactory, PlaceHoldFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/places"


def _send(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


def _actions():
    """The audit trail's actions in order, the token's own creation left out."""
    actions = AuditEvent.objects.order_by("sequence").values_list("action", flat=True)
    return [action for action in actions if not action.startswith("api.")]


def _place_body(**changes):
    body = {
        "name": "Fictif — Maison d'enfants du Parc",
        "kind": "childrens_home",
        "departement": "69",
        "capacity": 6,
        "available": 2,
        "age_min": 12,
        "age_max": 17,
        "genders": ["girl"],
        "forms_accepted": [],
        "accepts_any_territory": True,
        "phone": "+33499001122",
        "notes": "Accueil de jour comme de nuit.",
    }
    return body | changes


def test_the_list_shows_every_published_place_with_its_free_places(users, org_b):
    held = AccommodationPlaceFactory(organisation=org_b, available=1, departement="13")
    PlaceHoldFactory(place=held)
    AccommodationPlaceFactory(departement="75", available=2)
    AccommodationPlaceFactory(departement="75", is_active=False)
    client = api_client_for(users[("caseworker", "a")])
    response = client.get(LIST)
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 2
    by_departement = {item["departement"]: item for item in items}
    assert by_departement["13"]["free"] == 0 and by_departement["13"]["available"] == 1
    assert by_departement["13"]["published_by"] == "Organisation B"
    assert [i["departement"] for i in client.get(LIST, {"free_only": True}).json()["items"]] == [
        "75"
    ]
    assert len(client.get(LIST, {"departement": "13"}).json()["items"]) == 1
    page = client.get(LIST, {"limit": 1}).json()
    assert len(page["items"]) == 1 and page["next_offset"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [({"departement": "99"}, "departement"), ({"kind": "hotel"}, "kind"), ({"limit": 0}, "limit")],
)
def test_the_list_refuses_unknown_filters(users, query, field):
    response = api_client_for(users[("caseworker", "a")]).get(LIST, query)
    assert response.status_code == 422 and response.json()["field"] == field


def test_read_one_published_place(users):
    place = AccommodationPlaceFactory()
    client = api_client_for(users[("caseworker", "a")])
    response = client.get(f"{LIST}/{place.uuid}")
    assert response.status_code == 200 and response.json()["free"] == 2
    place.is_active = False
    place.save()
    assert client.get(f"{LIST}/{place.uuid}").status_code == 404


def test_the_search_for_a_child_presumes_minority_and_explains_each_match(users, org_a):
    case = CaseFactory(
        organisation=org_a, birth_year=2000, age_disputed=True, departement="75", gender="girl"
    )
    fits = AccommodationPlaceFactory(departement="75", age_min=13, age_max=17)
    AccommodationPlaceFactory(departement="75", age_min=18, age_max=21)
    AccommodationPlaceFactory(departement="75", genders=["boy"])
    client = api_client_for(users[("caseworker", "a")])
    response = client.get(f"/api/v1/cases/{case.uuid}/places")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["child"]["oldest"] == 17
    assert [m["place"]["uuid"] for m in body["items"]] == [str(fits.uuid)]
    reasons = body["items"][0]["reasons"]
    assert len(reasons) == 4 and all(reasons)
    assert _actions() == ["case.view"]
    # Far from the exploiters: not in the child's département nor région.
    far = client.get(f"/api/v1/cases/{case.uuid}/places", {"move_away": True}).json()
    assert far["items"] == []


def test_the_search_for_another_organisation_s_child_is_a_404(users, case_a):
    response = api_client_for(users[("caseworker", "b")]).get(f"/api/v1/cases/{case_a.uuid}/places")
    assert response.status_code == 404


def test_publishing_a_place_and_changing_it(users, org_a):
    client = api_client_for(users[("org_admin", "a")])
    response = _send(client, "post", LIST, _place_body())
    assert response.status_code == 201, response.content
    body = response.json()
    place = AccommodationPlace.objects.get(uuid=body["uuid"])
    assert place.organisation == org_a and body["free"] == 2
    response = _send(client, "put", f"{LIST}/{place.uuid}", _place_body(is_active=False))
    assert response.status_code == 200 and response.json()["is_active"] is False
    response = _send(client, "post", f"{LIST}/{place.uuid}/availability", {"available": 5})
    assert response.status_code == 200 and response.json()["available"] == 5
    assert _actions() == ["place.change"] * 3
    mine = client.get(f"{LIST}/mine").json()["items"]
    assert [item["uuid"] for item in mine] == [str(place.uuid)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "hotel"}, "kind"),
        ({"departement": "99"}, "departement"),
        ({"capacity": 0}, "capacity"),
        ({"available": 7}, "available"),
        ({"age_min": 16, "age_max": 14}, "age_max"),
        ({"age_max": 22}, "age_max"),
        ({"genders": []}, "genders"),
        ({"genders": ["unknown"]}, "genders"),
        ({"forms_accepted": ["juggling"]}, "forms_accepted.0"),
        ({"phone": "+3349900112233445566778899"}, "phone"),
    ],
)
def test_publishing_refuses_bad_input_naming_the_field(users, changes, field):
    client = api_client_for(users[("coordinator", "a")])
    response = _send(client, "post", LIST, _place_body(**changes))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not AccommodationPlace.objects.exists()


def test_another_organisation_s_place_cannot_be_changed(users, org_b):
    place = AccommodationPlaceFactory(organisation=org_b)
    client = api_client_for(users[("coordinator", "a")])
    assert _send(client, "put", f"{LIST}/{place.uuid}", _place_body()).status_code == 404
    response = _send(client, "post", f"{LIST}/{place.uuid}/availability", {"available": 0})
    assert response.status_code == 404
    place.refresh_from_db()
    assert place.available == 2 and place.name != _place_body()["name"]


def test_a_caseworker_searches_but_does_not_publish(users):
    worker = users[("caseworker", "a")]
    assert api_client_for(worker).get(LIST).status_code == 200
    response = _send(api_client_for(worker), "post", LIST, _place_body())
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"
    reader = api_client_for(users[("coordinator", "a")], scopes=[ApiScope.PLACES_READ])
    response = _send(reader, "post", LIST, _place_body())
    assert response.status_code == 403
    assert api_client_for(users[("analyst", "a")]).get(LIST).status_code == 403


def test_a_publisher_who_lost_the_permission_cannot_publish(users):
    admin = users[("org_admin", "a")]
    client = api_client_for(admin, scopes=[ApiScope.PLACES_WRITE])
    admin.role = "analyst"
    admin.save()
    response = _send(client, "post", LIST, _place_body())
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"
    assert not AccommodationPlace.objects.exists()


def test_a_caseworker_holds_a_place_then_records_the_placement(users, case_a):
    place = AccommodationPlaceFactory(available=1)
    client = api_client_for(users[("caseworker", "a")])
    url = f"/api/v1/cases/{case_a.uuid}/places/{place.uuid}/holds"
    response = _send(client, "post", url, {"hours": 24})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "held" and body["case_uuid"] == str(case_a.uuid)
    # The last free place is held: nobody else gets it.
    response = _send(client, "post", url, {})
    assert response.status_code == 422 and response.json()["field"] == "place"
    hold_url = f"/api/v1/holds/{body['uuid']}"
    assert client.get(hold_url).json()["place_name"] == place.name
    started_on = str(timezone.localdate() - timedelta(days=1))
    response = _send(client, "post", f"{hold_url}/confirm", {"started_on": started_on})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed"
    assert case_a.placements.count() == 1
    response = _send(client, "post", f"{hold_url}/release")
    assert response.status_code == 422 and response.json()["field"] == "hold"
    assert "place.hold" in _actions() and "place.hold_confirm" in _actions()


def test_hold_input_and_release(users, case_a):
    place = AccommodationPlaceFactory()
    client = api_client_for(users[("caseworker", "a")])
    url = f"/api/v1/cases/{case_a.uuid}/places/{place.uuid}/holds"
    response = _send(client, "post", url, {"hours": 24 * 8})
    assert response.status_code == 422 and response.json()["field"] == "hours"
    hold = PlaceHoldFactory(place=place, case=case_a)
    response = _send(client, "post", f"/api/v1/holds/{hold.uuid}/release")
    assert response.status_code == 200 and response.json()["status"] == "released"
    hold.refresh_from_db()
    assert hold.status == HoldStatus.RELEASED


def test_another_organisation_s_hold_and_file_are_404(users, case_a):
    hold = PlaceHoldFactory(case=case_a)
    client = api_client_for(users[("caseworker", "b")])
    assert client.get(f"/api/v1/holds/{hold.uuid}").status_code == 404
    assert _send(client, "post", f"/api/v1/holds/{hold.uuid}/release").status_code == 404
    url = f"/api/v1/cases/{case_a.uuid}/places/{hold.place.uuid}/holds"
    assert _send(client, "post", url).status_code == 404
    hold.refresh_from_db()
    assert hold.status == HoldStatus.HELD
    assert PlaceHold.objects.count() == 1
