"""Factories for the dated events of a file, and the objects the URL walks need for the pages
updating one event (authorisation matrix, isolation and read-audit tests)."""

import uuid
from datetime import date
from typing import Any

import factory

from vigie.cases.models import (
    AgeAppeal,
    AgeAssessment,
    CompensationClaim,
    Hearing,
    Placement,
    Proceeding,
)

from .factories import CaseFactory


# Fixed dates in the past, so that the pages' probes can post dates relative to them.
class AgeAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgeAssessment

    case = factory.SubFactory(CaseFactory)
    assessed_on = date(2024, 1, 5)
    authority = "departement"
    outcome = "adult"


class AgeAppealFactory(factory.django.DjangoModelFactory):
    """Pending unless built with decided_on and outcome."""

    class Meta:
        model = AgeAppeal

    case = factory.SubFactory(CaseFactory)
    filed_on = date(2024, 1, 10)
    decided_on = None
    outcome = ""


class PlacementFactory(factory.django.DjangoModelFactory):
    """The current placement (no end) unless built with ended_on."""

    class Meta:
        model = Placement

    case = factory.SubFactory(CaseFactory)
    kind = "foster_family"
    started_on = date(2024, 2, 1)
    ended_on = None
    departement = "93"


class ProceedingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proceeding

    case = factory.SubFactory(CaseFactory)
    role = "defendant"
    opened_on = date(2024, 1, 15)
    court = "Tribunal pour enfants de Bobigny"
    non_punishment = "to_raise"


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hearing

    case = factory.SubFactory(CaseFactory)
    held_on = date(2024, 2, 20)
    place = "uaped"
    recording = "made"
    trusted_third_party_present = True


class CompensationClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompensationClaim

    case = factory.SubFactory(CaseFactory)
    filed_on = date(2024, 1, 20)
    body = "CIVI"


# Pages updating one event: URL name -> the factory of an event they can update.
EVENT_UPDATE_URLS: dict[str, Any] = {
    "cases:event_age_appeal_decide": AgeAppealFactory,
    "cases:event_placement_end": PlacementFactory,
    "cases:event_proceeding_update": ProceedingFactory,
    "cases:event_compensation_update": CompensationClaimFactory,
}


def event_url_kwargs(name: str, case: Any) -> dict[str, Any]:
    """For a page updating one event of ``case``: a fresh event it can update (an appeal still
    pending, a placement still open); {} for any other page."""
    event_factory = EVENT_UPDATE_URLS.get(name)
    return {"event_uuid": event_factory(case=case).uuid} if event_factory else {}


def made_up_event_url_kwargs(name: str) -> dict[str, Any]:
    return {"event_uuid": uuid.uuid4()} if name in EVENT_UPDATE_URLS else {}
