"""Factories for referrals, and the referrals the URL walks need (authorisation matrix)."""

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from vigie.network.models import Referral, ReferralStatus, ServiceRecord

from .factories import CaseFactory, OrganisationFactory


class ReferralFactory(factory.django.DjangoModelFactory):
    """A pending referral of a case to another organisation, with the young person's consent."""

    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory)
    from_organisation = factory.SelfAttribute("case.organisation")
    to_organisation = factory.SubFactory(OrganisationFactory)
    service = "health"
    sections = factory.LazyFunction(lambda: ["identity", "health"])
    message = "Suivi médical à organiser."
    child_consent = "consented"
    parents_consent = "not_appropriate"
    consent_recorded_on = factory.LazyFunction(timezone.localdate)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class ServiceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRecord

    referral = factory.SubFactory(ReferralFactory, status=ReferralStatus.ACCEPTED)
    delivered_on = factory.LazyFunction(timezone.localdate)
    description = "Consultation à l'UAPED."


def _third_organisation() -> Any:
    return OrganisationFactory(name="Organisation C (referrals)")


def sent_referral_of(world: Any, actor: Any, scope: str) -> dict[str, Any]:
    """Own: a pending referral of A's case to B. Other: one of B's case to a third organisation,
    which A neither sent nor received."""
    if scope == "own":
        own_case = world.cases["own"]
        referral = ReferralFactory(case=own_case, to_organisation=world.cases["other"].organisation)
    else:
        referral = ReferralFactory(case=world.cases["other"], to_organisation=_third_organisation())
    return {"referral_uuid": referral.uuid}


def _received(world: Any, scope: str, status: str) -> dict[str, Any]:
    """Own: a referral of B's case to A. Other: one of B's case to a third organisation."""
    recipient = world.cases["own"].organisation if scope == "own" else _third_organisation()
    referral = ReferralFactory(case=world.cases["other"], to_organisation=recipient, status=status)
    return {"referral_uuid": referral.uuid}


def received_referral_of(world: Any, actor: Any, scope: str) -> dict[str, Any]:
    return _received(world, scope, ReferralStatus.PENDING)


def accepted_referral_of(world: Any, actor: Any, scope: str) -> dict[str, Any]:
    return _received(world, scope, ReferralStatus.ACCEPTED)
