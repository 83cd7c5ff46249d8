"""The places pages over HTTP: answers, scope and what each organisation sees."""

import pytest
from django.urls import reverse

from vigie.cases.models import Placement
from vigie.network.models import AccommodationPlace, HoldStatus, PlaceHold
from vigie.tests_support.factories_places import AccommodationPlaceFactory, PlaceHoldFactory

pytestmark = pytest.mark.django_db


def _for_case(case):
    return reverse("network:places_for_case", kwargs={"case_uuid": case.uuid})


def _hold_url(case, place):
    return reverse("network:place_hold", kwargs={"case_uuid": case.uuid, "place_uuid": place.uuid})


def test_every_published_place_is_listed_whoever_publishes_it(users, org_b, client_for):
    theirs = AccommodationPlaceFactory(organisation=org_b, departement="13")
    withdrawn = AccommodationPlaceFactory(organisation=org_b, is_active=False)
    page = client_for(users[("caseworker", "a")]).get(reverse("network:places")).content.decode()
    assert f'data-place="{theirs.uuid}"' in page
    assert f'data-place="{withdrawn.uuid}"' not in page


def test_the_list_filters_by_departement_and_free_places(users, client_for):
    lyon = AccommodationPlaceFactory(departement="69")
    full = AccommodationPlaceFactory(departement="69", available=0)
    paris = AccommodationPlaceFactory(departement="75")
    client = client_for(users[("coordinator", "a")])
    page = client.get(reverse("network:places"), {"departement": "69", "free_only": "on"})
    body = page.content.decode()
    assert f'data-place="{lyon.uuid}"' in body
    assert f'data-place="{full.uuid}"' not in body and f'data-place="{paris.uuid}"' not in body
    assert client.get(reverse("network:places"), {"kind": "hotel"}).status_code == 422


def test_the_childs_search_page_lists_matches_and_moves_away(users, case_a, client_for):
    case_a.departement = "93"
    case_a.save()
    near = AccommodationPlaceFactory(departement="75")
    far = AccommodationPlaceFactory(departement="69")
    client = client_for(users[("caseworker", "a")])
    body = client.get(_for_case(case_a)).content.decode()
    assert f'data-place="{near.uuid}"' in body and f'data-place="{far.uuid}"' in body
    body = client.get(_for_case(case_a), {"move_away": "on"}).content.decode()
    assert f'data-place="{near.uuid}"' not in body and f'data-place="{far.uuid}"' in body


def test_holding_redirects_to_the_file_which_shows_the_hold(users, case_a, client_for):
    place = AccommodationPlaceFactory()
    client = client_for(users[("caseworker", "a")])
    response = client.post(_hold_url(case_a, place))
    assert response.status_code == 302
    assert response["Location"].startswith(case_a.get_absolute_url())
    hold = PlaceHold.objects.get(case=case_a)
    page = client.get(case_a.get_absolute_url()).content.decode()
    assert f'data-hold="{hold.uuid}"' in page
    assert reverse("network:hold_confirm", kwargs={"hold_uuid": hold.uuid}) in page


def test_holding_a_full_place_answers_422_with_the_reason(users, case_a, client_for):
    place = AccommodationPlaceFactory(available=1)
    PlaceHoldFactory(place=place, case__organisation=case_a.organisation)
    response = client_for(users[("caseworker", "a")]).post(_hold_url(case_a, place))
    assert response.status_code == 422
    assert 'id="hold-error"' in response.content.decode()
    assert not PlaceHold.objects.filter(case=case_a).exists()


def test_an_unpublished_place_is_a_404(users, case_a, client_for):
    place = AccommodationPlaceFactory(is_active=False)
    assert client_for(users[("caseworker", "a")]).post(_hold_url(case_a, place)).status_code == 404


def test_confirm_records_the_placement_and_bad_dates_answer_422(users, case_a, client_for):
    hold = PlaceHoldFactory(case=case_a)
    url = reverse("network:hold_confirm", kwargs={"hold_uuid": hold.uuid})
    client = client_for(users[("caseworker", "a")])
    assert client.post(url, {"started_on": "2999-01-01"}).status_code == 422
    assert client.post(url, {"started_on": ""}).status_code == 422
    response = client.post(url, {"started_on": "2024-05-02"})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.status == HoldStatus.CONFIRMED
    assert Placement.objects.get(case=case_a).kind == hold.place.kind


def test_another_organisations_hold_is_a_404(users, case_a, client_for):
    hold = PlaceHoldFactory(case=case_a)
    client = client_for(users[("coordinator", "b")])
    confirm = reverse("network:hold_confirm", kwargs={"hold_uuid": hold.uuid})
    release = reverse("network:hold_release", kwargs={"hold_uuid": hold.uuid})
    assert client.get(confirm).status_code == 404
    assert client.post(confirm, {"started_on": "2024-05-02"}).status_code == 404
    assert client.post(release).status_code == 404
    hold.refresh_from_db()
    assert hold.status == HoldStatus.HELD


def test_the_publisher_sees_who_holds_until_when_but_no_child(users, org_a, org_b, client_for):
    place = AccommodationPlaceFactory(organisation=org_b, available=2)
    hold = PlaceHoldFactory(place=place, case__organisation=org_a, case__last_name="Secretname")
    page = client_for(users[("org_admin", "b")]).get(reverse("network:places_mine"))
    body = page.content.decode()
    assert org_a.name in body
    assert hold.case.reference not in body and "Secretname" not in body
    assert str(hold.case.uuid) not in body
    assert 'data-free="1"' in body


def test_create_and_the_quick_update(users, org_a, client_for):
    client = client_for(users[("org_admin", "a")])
    data = {
        "name": "Fictif — Foyer du Port",
        "kind": "emergency",
        "departement": "13",
        "capacity": "3",
        "available": "1",
        "age_min": "10",
        "age_max": "17",
        "genders": ["girl", "boy", "other"],
        "is_active": "on",
    }
    assert client.post(reverse("network:place_create"), data | {"age_max": "25"}).status_code == 422
    assert client.post(reverse("network:place_create"), data).status_code == 302
    place = AccommodationPlace.objects.get(organisation=org_a)
    update = reverse("network:place_update", kwargs={"place_uuid": place.uuid})
    refused = client.post(update, {"availability_only": "1", "available": "7"})
    assert refused.status_code == 422
    assert client.post(update, {"availability_only": "1", "available": "3"}).status_code == 302
    place.refresh_from_db()
    assert (place.available, place.accepts_any_territory) == (3, False)
