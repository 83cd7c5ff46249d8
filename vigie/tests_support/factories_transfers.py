"""Factories for the transfers' tests and the URL walks (authorisation matrix)."""

from datetime import date

import factory

from vigie.network.models import (
    ChildConsent,
    ParentsConsent,
    Transfer,
    TransferDestination,
    TransferStatus,
)
from vigie.network.services.consent import Consent

from .factories import CaseFactory, OrganisationFactory

CONSENTED = Consent(
    child_consent=ChildConsent.CONSENTED,
    parents_consent=ParentsConsent.NOT_APPROPRIATE,
    recorded_on=date(2024, 1, 15),
)

# The consent fields as the transfer form posts them.
CONSENT_POST = {
    "child_consent": ChildConsent.CONSENTED,
    "parents_consent": ParentsConsent.NOT_APPROPRIATE,
    "consent_recorded_on": "2024-01-15",
}


class TransferFactory(factory.django.DjangoModelFactory):
    """A transfer proposed to another organisation, by the organisation holding the file."""

    class Meta:
        model = Transfer

    case = factory.SubFactory(CaseFactory)
    from_organisation = factory.LazyAttribute(lambda t: t.case.organisation)
    destination = TransferDestination.ORGANISATION
    to_organisation = factory.SubFactory(OrganisationFactory)
    status = TransferStatus.PROPOSED
    child_consent = ChildConsent.CONSENTED
    parents_consent = ParentsConsent.NOT_APPROPRIATE
    consent_recorded_on = date(2024, 1, 15)
    reason = "Placement dans un autre département, loin du réseau."


class AbroadTransferFactory(TransferFactory):
    destination = TransferDestination.ABROAD
    to_organisation = None
    partner_name = "Fictional Child Protection Service"
    partner_country = "IT"


def continuity_case_for_tests(organisation, *, today: date):
    """A file with something in every part of the continuity summary: an open right of every
    kind of the catalogue (one overdue, dated deadlines), care and schooling, a hearing to come,
    a proceeding, a pending age appeal, a compensation claim, an ad hoc administrator, a
    placement, substances, health and safety notes. Distinctive words make each part findable.
    """
    from datetime import timedelta

    from vigie.rights.catalogue import load_catalogue
    from vigie.rights.models import RightState

    from .factories_events import (
        AgeAppealFactory,
        CompensationClaimFactory,
        HearingFactory,
        PlacementFactory,
        ProceedingFactory,
    )
    from .factories_rights import RightItemFactory

    case = CaseFactory(
        organisation=organisation,
        first_name="Mariama",
        last_name="Kouyatezz",
        birth_year=today.year - 16,
        age_disputed=True,
        nationality="GN",
        languages="Soussou, French",
        unaccompanied=True,
        substances=["pregabalin"],
        health_notes="Asthma inhaler twice daily (Ventolinzz).",
        safety_notes="Exploiter known as Tontonzz; avoid Gare du Nordzz.",
        schooling="waiting",
        ad_hoc_administrator_requested_on=today - timedelta(days=40),
        ad_hoc_administrator_appointed_on=today - timedelta(days=20),
        ad_hoc_administrator_appointed_by="Parquet de Bobigny",
        ad_hoc_administrator_name="Maître Fictivezz",
    )
    states = [RightState.TO_DO, RightState.IN_PROGRESS, RightState.BLOCKED]
    for position, right_id in enumerate(load_catalogue().rights):
        RightItemFactory(
            case=case,
            right_id=right_id,
            state=states[position % len(states)],
            opened_on=today - timedelta(days=60),
            due_on=today + timedelta(days=10 + position),
        )
    # The ad hoc administrator is overdue by five days.
    case.rights.filter(right_id="ad_hoc_administrator").update(
        due_on=today - timedelta(days=5), state=RightState.TO_DO
    )
    HearingFactory(case=case, held_on=today + timedelta(days=12), place="court")
    ProceedingFactory(case=case, court="Tribunal pour enfants de Fictivillezz")
    AgeAppealFactory(case=case, filed_on=today - timedelta(days=200))
    CompensationClaimFactory(case=case, filed_on=today - timedelta(days=30), body="CIVI Bobignyzz")
    PlacementFactory(case=case, kind="foster_family", started_on=today - timedelta(days=90))
    return case
