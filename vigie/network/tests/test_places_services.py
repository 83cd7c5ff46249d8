"""Publishing places and holding them for a child (vigie/network/services/places.py)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.cases.models import Placement
from vigie.conftest import CLOCK_START
from vigie.network.models import HoldStatus
from vigie.network.services.places import (
    PlaceDetails,
    place_availability_set,
    place_create,
    place_hold,
    place_hold_confirm,
    place_hold_release,
    place_update,
)
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_places import AccommodationPlaceFactory

pytestmark = pytest.mark.django_db


def _details(**changes):
    values = {
        "name": "Fictif — Maison des Tilleuls",
        "kind": "childrens_home",
        "departement": "69",
        "capacity": 4,
        "available": 2,
        "age_min": 12,
        "age_max": 17,
        "genders": ["girl", "boy"],
        "accepts_any_territory": True,
        "forms_accepted": [],
    }
    return PlaceDetails(**(values | changes))


def _actor(users, role="caseworker", org="a"):
    return Actor(user=users[(role, org)])


# --- Publishing --------------------------------------------------------------------------------


def test_a_coordinator_publishes_a_place_and_it_is_audited(users, org_a):
    place = place_create(actor=_actor(users, "coordinator"), details=_details(departement="2a"))
    assert place.organisation == org_a and place.departement == "2A"
    event = AuditEvent.objects.get(action=AuditAction.PLACE_CHANGE)
    assert event.object_uuids == [str(place.uuid)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"departement": "99"}, "departement"),
        ({"available": 5}, "available"),
        ({"age_min": 10, "age_max": 9}, "age_max"),
        ({"age_max": 22}, "age_max"),
        ({"genders": ["unknown"]}, "genders"),
        ({"genders": []}, "genders"),
        ({"forms_accepted": ["chess"]}, "forms_accepted"),
        ({"kind": "hotel"}, "kind"),
    ],
)
def test_invalid_details_are_refused_naming_the_field(users, changes, field):
    with pytest.raises(ValidationError) as refused:
        place_create(actor=_actor(users, "org_admin"), details=_details(**changes))
    assert field in refused.value.message_dict


def test_a_caseworker_publishes_nothing(users):
    with pytest.raises(PermissionDenied):
        place_create(actor=_actor(users), details=_details())


def test_only_the_publisher_changes_its_place_and_unpublishes_instead_of_deleting(users, org_a):
    place = AccommodationPlaceFactory(organisation=org_a)
    with pytest.raises(PermissionDenied):
        place_update(actor=_actor(users, "coordinator", "b"), place=place, details=_details())
    place_update(actor=_actor(users, "org_admin"), place=place, details=_details(is_active=False))
    place.refresh_from_db()
    assert place.is_active is False and place.name == "Fictif — Maison des Tilleuls"


def test_the_quick_availability_update(users, org_a, clock):
    place = AccommodationPlaceFactory(organisation=org_a, capacity=4, available=0)
    clock.shift(timedelta(hours=3))
    place_availability_set(actor=_actor(users, "coordinator"), place=place, available=3)
    place.refresh_from_db()
    assert place.available == 3
    assert place.availability_updated_at.hour == 11
    with pytest.raises(ValidationError) as refused:
        place_availability_set(actor=_actor(users, "coordinator"), place=place, available=5)
    assert "available" in refused.value.message_dict


# --- Holding -----------------------------------------------------------------------------------


def test_a_hold_keeps_a_place_for_48_hours_and_is_in_the_childs_log(users, case_a, clock):
    place = AccommodationPlaceFactory()
    hold = place_hold(actor=_actor(users), case=case_a, place=place)
    assert hold.status == HoldStatus.HELD and hold.organisation == case_a.organisation
    assert hold.expires_at == CLOCK_START + timedelta(hours=48)
    event = AuditEvent.objects.get(action=AuditAction.PLACE_HOLD)
    assert event.object_uuids == sorted([str(case_a.uuid), str(hold.uuid)])
    assert event.object_type == "cases.case"


def test_the_last_place_cannot_be_held_twice(users, org_a, case_a):
    """Double booking: with one place free, the second hold (another child) is refused."""
    place = AccommodationPlaceFactory(available=1)
    place_hold(actor=_actor(users), case=case_a, place=place)
    other = CaseFactory(organisation=org_a)
    with pytest.raises(ValidationError) as refused:
        place_hold(actor=_actor(users, "coordinator"), case=other, place=place)
    assert "place" in refused.value.message_dict
    assert place.holds.count() == 1


def test_the_same_child_holds_a_place_once(users, case_a):
    place = AccommodationPlaceFactory(available=3)
    place_hold(actor=_actor(users), case=case_a, place=place)
    with pytest.raises(ValidationError):
        place_hold(actor=_actor(users), case=case_a, place=place)


def test_no_hold_for_an_unfitting_place_an_inactive_file_or_another_organisation(
    users, case_a, case_b
):
    with pytest.raises(ValidationError):
        place_hold(
            actor=_actor(users), case=case_a, place=AccommodationPlaceFactory(genders=["boy"])
        )
    place = AccommodationPlaceFactory()
    case_a.status = "closed"
    case_a.save()
    with pytest.raises(ValidationError) as refused:
        place_hold(actor=_actor(users), case=case_a, place=place)
    assert "case" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        place_hold(actor=_actor(users), case=case_b, place=place)
    with pytest.raises(PermissionDenied):
        place_hold(actor=_actor(users, "org_admin"), case=case_a, place=place)


def test_confirming_records_the_placement_in_the_file(users, case_a, clock):
    case_a.unaccompanied, case_a.status = True, "identified"
    case_a.save()
    place = AccommodationPlaceFactory(kind="paediatric", departement="69", available=2)
    hold = place_hold(actor=_actor(users), case=case_a, place=place)

    place_hold_confirm(actor=_actor(users), hold=hold, started_on=date(2026, 3, 2))

    hold.refresh_from_db()
    place.refresh_from_db()
    placement = Placement.objects.get(case=case_a)
    assert (placement.kind, placement.departement, placement.ended_on) == ("paediatric", "69", None)
    assert hold.status == HoldStatus.CONFIRMED and hold.placement == placement
    assert place.available == 1
    actions = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
    assert actions[-2:] == [AuditAction.CASE_EVENT_RECORD, AuditAction.PLACE_HOLD_CONFIRM]
    # The placement is one of the file's events: the safe-accommodation right follows it.
    right = case_a.rights.get(right_id="safe_accommodation")
    assert right.state == "done"


def test_an_expired_hold_cannot_be_confirmed(users, case_a, clock):
    hold = place_hold(actor=_actor(users), case=case_a, place=AccommodationPlaceFactory())
    clock.shift(timedelta(hours=49))
    with pytest.raises(ValidationError) as refused:
        place_hold_confirm(actor=_actor(users), hold=hold, started_on=date(2026, 3, 4))
    assert "hold" in refused.value.message_dict
    assert not Placement.objects.filter(case=case_a).exists()


def test_a_placement_date_to_come_is_refused_by_name(users, case_a, clock):
    hold = place_hold(actor=_actor(users), case=case_a, place=AccommodationPlaceFactory())
    with pytest.raises(ValidationError) as refused:
        place_hold_confirm(actor=_actor(users), hold=hold, started_on=date(2026, 3, 9))
    assert "started_on" in refused.value.message_dict


def test_release_frees_the_place_and_only_the_holder_releases(users, org_a, case_a):
    place = AccommodationPlaceFactory(available=1)
    hold = place_hold(actor=_actor(users), case=case_a, place=place)
    with pytest.raises(PermissionDenied):
        place_hold_release(actor=_actor(users, "coordinator", "b"), hold=hold)

    place_hold_release(actor=_actor(users, "coordinator"), hold=hold)

    hold.refresh_from_db()
    assert hold.status == HoldStatus.RELEASED
    assert AuditEvent.objects.filter(action=AuditAction.PLACE_HOLD_RELEASE).exists()
    # The place is free again for another child.
    place_hold(actor=_actor(users), case=CaseFactory(organisation=org_a), place=place)
    with pytest.raises(ValidationError):
        place_hold_release(actor=_actor(users), hold=hold)


def test_hold_url_is_the_confirm_page(users, case_a):
    from vigie.network.services.places import hold_url

    hold = place_hold(actor=_actor(users), case=case_a, place=AccommodationPlaceFactory())
    assert hold_url(hold) == reverse("network:hold_confirm", kwargs={"hold_uuid": hold.uuid})


def test_demo_places_are_fictional_and_never_hotels(org_a, org_b):
    import random

    from vigie.network.demo_places import places_demo_create

    places = places_demo_create(organisations={"a": org_a, "b": org_b}, rng=random.Random(6))
    # One to three per organisation, and eight in other régions.
    assert 2 + 8 <= len(places) <= 6 + 8
    elsewhere = {p.departement for p in places if p.departement not in ("75", "93", "13")}
    assert elsewhere and any(p.accepts_any_territory for p in places)
    for place in places:
        assert place.name.startswith("Fictif — ") and place.phone == ""
        assert place.kind != "hotel" and place.available <= place.capacity
