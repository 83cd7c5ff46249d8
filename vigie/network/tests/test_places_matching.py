"""The rules matching a child with published places, one by one (selectors_places)."""

from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, transaction

from vigie.audit.services import Actor
from vigie.network.models import AccommodationPlace
from vigie.network.selectors_places import child_age_range, places_matching_child
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_places import AccommodationPlaceFactory, PlaceHoldFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)  # the clock fixture's day
YESTERDAY_NOON = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _matched(users, case, *, move_away=False, kind=None):
    actor = Actor(user=users[("caseworker", "a")])
    return [
        m.place
        for m in places_matching_child(actor=actor, case=case, move_away=move_away, kind=kind)
    ]


@pytest.fixture
def child(org_a, clock):
    """A 15-year-old girl (born 12 June 2010) in Seine-Saint-Denis, sexually exploited."""
    return CaseFactory(
        organisation=org_a,
        birth_date=date(2010, 6, 12),
        birth_year=None,
        departement="93",
        gender="girl",
        exploitation_forms=["sexual_exploitation"],
    )


def test_a_fitting_place_is_offered_with_its_reasons(users, child):
    place = AccommodationPlaceFactory(departement="93", accepts_any_territory=False)
    matches = places_matching_child(
        actor=Actor(user=users[("caseworker", "a")]), case=child, move_away=False, kind=None
    )
    assert [m.place for m in matches] == [place]
    assert matches[0].free == 2
    assert len(matches[0].reasons) == 4


@pytest.mark.parametrize(("age_min", "age_max", "offered"), [(0, 15, True), (16, 17, False)])
def test_age_must_fit(users, child, age_min, age_max, offered):
    place = AccommodationPlaceFactory(departement="93", age_min=age_min, age_max=age_max)
    assert (place in _matched(users, child)) is offered


def test_a_birth_year_alone_gives_a_range_and_overlap_is_enough(users, child):
    """Born in 2008, on 2 March 2026 she is 17 or 18: a 17-and-under place fits, an 18-21 one
    too (the ranges overlap), a 12-16 one does not."""
    child.birth_date, child.birth_year = None, 2008
    child.save()
    minors = AccommodationPlaceFactory(departement="93", age_min=13, age_max=17)
    young_adults = AccommodationPlaceFactory(departement="93", age_min=18, age_max=21)
    younger = AccommodationPlaceFactory(departement="93", age_min=12, age_max=16)
    assert child_age_range(child, today=TODAY).youngest == 17
    matched = _matched(users, child)
    assert minors in matched and young_adults in matched and younger not in matched


def test_an_unknown_age_is_presumed_a_minors(users, child):
    child.birth_date, child.birth_year = None, None
    child.save()
    minors = AccommodationPlaceFactory(departement="93", age_min=13, age_max=17)
    adults = AccommodationPlaceFactory(departement="93", age_min=18, age_max=21)
    matched = _matched(users, child)
    assert minors in matched and adults not in matched


def test_a_disputed_age_is_presumed_a_minors_even_when_the_file_says_adult(users, child):
    """The département found him 19; he contests it: until the judge decides he is a minor."""
    child.birth_date, child.age_disputed = date(2006, 6, 1), True
    child.save()
    minors = AccommodationPlaceFactory(departement="93", age_min=13, age_max=17)
    adults = AccommodationPlaceFactory(departement="93", age_min=18, age_max=21)
    matched = _matched(users, child)
    assert minors in matched and adults not in matched


def test_gender_must_be_accepted(users, child):
    boys = AccommodationPlaceFactory(departement="93", genders=["boy"])
    girls = AccommodationPlaceFactory(departement="93", genders=["girl"])
    matched = _matched(users, child)
    assert girls in matched and boys not in matched


def test_an_unrecorded_gender_excludes_no_place_but_says_so(users, child):
    child.gender = "unknown"
    child.save()
    boys = AccommodationPlaceFactory(departement="93", genders=["boy"])
    assert boys in _matched(users, child)


def test_every_form_of_the_child_must_be_accepted(users, child):
    child.exploitation_forms = ["sexual_exploitation", "forced_criminality"]
    child.save()
    both = AccommodationPlaceFactory(
        departement="93", forms_accepted=["forced_criminality", "sexual_exploitation"]
    )
    one = AccommodationPlaceFactory(departement="93", forms_accepted=["sexual_exploitation"])
    every = AccommodationPlaceFactory(departement="93", forms_accepted=[])
    matched = _matched(users, child)
    assert both in matched and every in matched and one not in matched


def test_territory_local_places_for_local_children_only(users, child):
    local = AccommodationPlaceFactory(departement="93", accepts_any_territory=False)
    elsewhere_local_only = AccommodationPlaceFactory(departement="69", accepts_any_territory=False)
    elsewhere_open = AccommodationPlaceFactory(departement="69", accepts_any_territory=True)
    matched = _matched(users, child)
    assert local in matched and elsewhere_open in matched
    assert elsewhere_local_only not in matched


def test_move_away_excludes_the_departement_and_its_region(users, child):
    """Seine-Saint-Denis (93) is in Île-de-France: Paris (75) is too close, Lyon (69) is not."""
    same_departement = AccommodationPlaceFactory(departement="93", accepts_any_territory=True)
    same_region = AccommodationPlaceFactory(departement="75", accepts_any_territory=True)
    far_local_only = AccommodationPlaceFactory(departement="69", accepts_any_territory=False)
    far_open = AccommodationPlaceFactory(departement="69", accepts_any_territory=True)
    assert _matched(users, child, move_away=True) == [far_open]
    assert same_departement in _matched(users, child)
    assert same_region in _matched(users, child)
    assert far_local_only not in _matched(users, child)


def test_full_and_unpublished_places_are_hidden(users, child):
    full = AccommodationPlaceFactory(departement="93", available=0)
    withdrawn = AccommodationPlaceFactory(departement="93", is_active=False)
    assert _matched(users, child) == []
    assert full.capacity and withdrawn.capacity


def test_running_holds_count_against_free_places_and_lapsed_ones_do_not(users, child, clock):
    place = AccommodationPlaceFactory(departement="93", available=1)
    other_child = CaseFactory(organisation=child.organisation)
    hold = PlaceHoldFactory(place=place, case=other_child)
    assert _matched(users, child) == []
    hold.expires_at = YESTERDAY_NOON
    hold.save()
    assert _matched(users, child) == [place]


def test_the_type_filter(users, child):
    family = AccommodationPlaceFactory(departement="93", kind="foster_family")
    AccommodationPlaceFactory(departement="93", kind="emergency")
    assert _matched(users, child, kind="foster_family") == [family]


def test_a_hotel_cannot_even_be_stored(org_b):
    """Seeds (Collective 2022 §IV): traffickers find children in hotels. The database refuses."""
    place = AccommodationPlaceFactory.build(organisation=org_b, kind="hotel")
    with pytest.raises(IntegrityError), transaction.atomic():
        place.save()
    assert not AccommodationPlace.objects.filter(kind="hotel").exists()
