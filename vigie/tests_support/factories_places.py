"""Factories for accommodation places and holds, and the objects the URL walks need
(authorisation matrix, isolation and read-audit tests) for the places pages."""

import uuid
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from vigie.network.models import AccommodationPlace, HoldStatus, PlaceHold

from .factories import CaseFactory, OrganisationFactory

# Pages naming a place of the case's search (vigie/network/urls_places.py).
PLACE_PAGES = ("network:place_hold",)


class AccommodationPlaceFactory(factory.django.DjangoModelFactory):
    """A published foster family in Paris taking every minor, every form, from any territory."""

    class Meta:
        model = AccommodationPlace

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Fictif — Lieu d'accueil {n}")
    kind = "foster_family"
    departement = "75"
    capacity = 4
    available = 2
    availability_updated_at = factory.LazyFunction(timezone.now)
    age_min = 0
    age_max = 17
    genders = factory.LazyFunction(lambda: ["girl", "boy", "other"])
    forms_accepted = factory.LazyFunction(list)
    accepts_any_territory = True
    is_active = True


class PlaceHoldFactory(factory.django.DjangoModelFactory):
    """A running hold made by the case's organisation, for 48 hours."""

    class Meta:
        model = PlaceHold

    place = factory.SubFactory(AccommodationPlaceFactory)
    case = factory.SubFactory(CaseFactory)
    organisation = factory.LazyAttribute(lambda hold: hold.case.organisation)
    status = HoldStatus.HELD
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=48))


def place_for_case(case: Any) -> AccommodationPlace:
    """A published place, of another publisher, that fits the child of ``case``."""
    return AccommodationPlaceFactory(
        departement=case.departement or "75", age_min=0, age_max=21, accepts_any_territory=True
    )


def place_url_kwargs(name: str, case: Any) -> dict[str, Any]:
    """What a case URL of the places part needs beyond the case (empty for other pages)."""
    if name in PLACE_PAGES:
        return {"place_uuid": place_for_case(case).uuid}
    return {}


def made_up_place_url_kwargs(name: str) -> dict[str, Any]:
    return {"place_uuid": uuid.uuid4()} if name in PLACE_PAGES else {}
