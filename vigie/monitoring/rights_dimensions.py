"""Access-to-rights situations as dimensions: what releases publish of the rights plans.

A median or a share over every organisation's files leaves the organisations only through a
release, that is as counts under differential privacy: a duration is published as a histogram of
bands (its median read off the bands), a share as the counts of its two values. Each dimension
names the annotations it needs on a case row (dataset.py adds only those requested), so a release
without them reads no event table.
"""

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from vigie.cases.models import AgeAppeal, CompensationClaim, Placement, PlacementKind, Proceeding
from vigie.cases.models.events import NonPunishment, ProceedingRole
from vigie.rights.models import OPEN_STATES, RightItem, RightState

Row = Mapping[str, Any]


class AdHocAdministrator(models.TextChoices):
    # Seeds: an ad hoc administrator "systematically and without delay" for an unaccompanied
    # child victim. Counted for unaccompanied minors; everyone else is "not applicable".
    WITHIN_7_DAYS = "within_7_days", _("Appointed within 7 days")
    WITHIN_30_DAYS = "within_30_days", _("Appointed within 8 to 30 days")
    WITHIN_90_DAYS = "within_90_days", _("Appointed within 31 to 90 days")
    LATER = "later", _("Appointed after more than 90 days")
    NOT_APPOINTED = "not_appointed", _("Not appointed")
    NOT_APPLICABLE = "not_applicable", _("Not applicable (accompanied or adult)")


class EverInHotel(models.TextChoices):
    YES = "yes", _("Placed in a hotel at least once")
    NO = "no", _("Never placed in a hotel")


class AgeAppealDuration(models.TextChoices):
    NONE = "none", _("No appeal")
    PENDING = "pending", _("Appeal pending")
    UNDER_3_MONTHS = "under_3_months", _("Decided within 3 months")
    UNDER_6_MONTHS = "under_6_months", _("Decided within 3 to 6 months")
    UNDER_12_MONTHS = "under_12_months", _("Decided within 6 to 12 months")
    UNDER_18_MONTHS = "under_18_months", _("Decided within 12 to 18 months")
    LONGER = "18_months_or_more", _("Decided after 18 months or more")


class RightObtained(models.TextChoices):
    OBTAINED = "obtained", _("Obtained")
    NOT_OBTAINED = "not_obtained", _("Not obtained (open, refused or blocked)")
    NOT_APPLICABLE = "not_applicable", _("Not in the rights plan")


class Compensation(models.TextChoices):
    NONE = "none", _("No claim")
    CLAIMED = "claimed", _("Claimed, not awarded yet")
    AWARDED = "awarded", _("Awarded, not paid yet")
    PAID = "paid", _("Awarded and paid")


class Prosecution(models.TextChoices):
    # Seeds (Collective 2022 §I): children forced into crime are prosecuted instead of protected;
    # the non-punishment principle (Directive 2011/36/EU art. 8) is what they should obtain.
    NOT_PROSECUTED = "not_prosecuted", _("Not prosecuted")
    NON_PUNISHMENT_GRANTED = "non_punishment_granted", _("Prosecuted, non-punishment granted")
    PROSECUTED = "prosecuted", _("Prosecuted, non-punishment not obtained")


def _right_state(right_id: str) -> Subquery:
    return Subquery(
        RightItem.objects.filter(case=OuterRef("pk"), right_id=right_id).values("state")[:1]
    )


def _latest_appeal(field: str) -> Subquery:
    return Subquery(
        AgeAppeal.objects.filter(case=OuterRef("pk")).order_by("-filed_on").values(field)[:1]
    )


# Annotation name -> expression on a Case queryset (built when asked: they import models).
ANNOTATIONS: dict[str, Callable[[], Any]] = {
    "hotel": lambda: Exists(
        Placement.objects.filter(case=OuterRef("pk"), kind=PlacementKind.HOTEL)
    ),
    "appeal_filed_on": lambda: _latest_appeal("filed_on"),
    "appeal_decided_on": lambda: _latest_appeal("decided_on"),
    "right_health_care": lambda: _right_state("health_care"),
    "right_psychological_care": lambda: _right_state("psychological_care"),
    "right_schooling_or_training": lambda: _right_state("schooling_or_training"),
    "right_bank_account": lambda: _right_state("bank_account"),
    "compensation_paid": lambda: Exists(
        CompensationClaim.objects.filter(case=OuterRef("pk"), paid_on__isnull=False)
    ),
    "compensation_awarded": lambda: Exists(
        CompensationClaim.objects.filter(case=OuterRef("pk"), awarded_on__isnull=False)
    ),
    "compensation_claimed": lambda: Exists(CompensationClaim.objects.filter(case=OuterRef("pk"))),
    "prosecuted": lambda: Exists(
        Proceeding.objects.filter(
            case=OuterRef("pk"), role=ProceedingRole.DEFENDANT_UNDER_CONSTRAINT
        )
    ),
    "non_punishment_granted": lambda: Exists(
        Proceeding.objects.filter(
            case=OuterRef("pk"),
            role=ProceedingRole.DEFENDANT_UNDER_CONSTRAINT,
            non_punishment=NonPunishment.GRANTED,
        )
    ),
}


def ad_hoc_administrator(row: Row, minor: bool) -> str:
    if not (row["unaccompanied"] and minor):
        return AdHocAdministrator.NOT_APPLICABLE
    appointed: date | None = row["ad_hoc_administrator_appointed_on"]
    if appointed is None:
        return AdHocAdministrator.NOT_APPOINTED
    days = (appointed - row["identified_on"]).days
    if days <= 7:
        return AdHocAdministrator.WITHIN_7_DAYS
    if days <= 30:
        return AdHocAdministrator.WITHIN_30_DAYS
    if days <= 90:
        return AdHocAdministrator.WITHIN_90_DAYS
    return AdHocAdministrator.LATER


def age_appeal_duration(row: Row) -> str:
    filed: date | None = row["appeal_filed_on"]
    if filed is None:
        return AgeAppealDuration.NONE
    decided: date | None = row["appeal_decided_on"]
    if decided is None:
        return AgeAppealDuration.PENDING
    days = (decided - filed).days
    for limit, band in (
        (91, AgeAppealDuration.UNDER_3_MONTHS),
        (182, AgeAppealDuration.UNDER_6_MONTHS),
        (365, AgeAppealDuration.UNDER_12_MONTHS),
        (547, AgeAppealDuration.UNDER_18_MONTHS),
    ):
        if days < limit:
            return band
    return AgeAppealDuration.LONGER


def right_obtained(annotation: str) -> Callable[[Row], str]:
    def extract(row: Row) -> str:
        state = row[annotation]
        if state == RightState.DONE:
            return RightObtained.OBTAINED
        if state in OPEN_STATES or state == RightState.REFUSED:
            return RightObtained.NOT_OBTAINED
        return RightObtained.NOT_APPLICABLE

    return extract


def compensation(row: Row) -> str:
    if row["compensation_paid"]:
        return Compensation.PAID
    if row["compensation_awarded"]:
        return Compensation.AWARDED
    if row["compensation_claimed"]:
        return Compensation.CLAIMED
    return Compensation.NONE


def prosecution(row: Row) -> str:
    if not row["prosecuted"]:
        return Prosecution.NOT_PROSECUTED
    if row["non_punishment_granted"]:
        return Prosecution.NON_PUNISHMENT_GRANTED
    return Prosecution.PROSECUTED
