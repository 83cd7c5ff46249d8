"""Access-to-rights indicators of a set of files, read from the files, their events and plans.

Each indicator says what it counts and out of what ("12 of 40"), so a share is never read
without its base. A minor is a child under 18 the day the file was opened (the "minor"
dimension, presumption of minority applied through ``majority_month``); a file whose age is not
known at all is in no minors' base.

Computed in six queries whatever the number of files (one aggregate over the files, one each
over rights plans, compensation claims and proceedings, and one list of dates for each median):
the largest demo organisation holds about 20,000 files.
"""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigie.cases.models import (
    AgeAppeal,
    Case,
    CompensationClaim,
    NonPunishment,
    Placement,
    PlacementKind,
    Proceeding,
    ProceedingRole,
    Schooling,
)
from vigie.rights.models import RightItem, RightState


class Measure(StrEnum):
    SHARE = "share"  # numerator / denominator
    MEDIAN_DAYS = "median_days"  # median over the ``numerator`` durations measured
    AMOUNT = "amount"  # a sum in euros, over the ``numerator`` files


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str | Promise
    # What the numerator and the denominator count, in words ("12 of 40 <population>").
    population: str | Promise
    numerator: int
    denominator: int
    measure: Measure
    # The share (0 to 1), the median in days or the amount in euros; None without a base.
    value: float | Decimal | None
    unit: str | Promise

    @property
    def share(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


def _share(
    code: str, label: str | Promise, population: str | Promise, numerator: int, denominator: int
) -> Indicator:
    return Indicator(
        code=code,
        label=label,
        population=population,
        numerator=numerator,
        denominator=denominator,
        measure=Measure.SHARE,
        value=numerator / denominator if denominator else None,
        unit="%",
    )


def _median_days(
    code: str,
    label: str | Promise,
    population: str | Promise,
    durations: list[int],
    denominator: int,
) -> Indicator:
    return Indicator(
        code=code,
        label=label,
        population=population,
        numerator=len(durations),
        denominator=denominator,
        measure=Measure.MEDIAN_DAYS,
        value=float(statistics.median(durations)) if durations else None,
        unit=_("days"),
    )


def _days(pairs: Iterable[tuple[date | None, date | None]]) -> list[int]:
    return [(end - start).days for start, end in pairs if start is not None and end is not None]


# Rights of the plan (vigie/rights/catalogue/rights.yaml) measured as "obtained" (state done) out
# of the files whose plan holds them as applicable.
PLAN_RIGHTS: tuple[tuple[str, Promise], ...] = (
    ("health_care", _("Health coverage and care obtained")),
    ("psychological_care", _("Psychological care obtained")),
    ("schooling_or_training", _("Schooling or training obtained")),
    ("bank_account", _("Bank account opened")),
)


def _files(cases: QuerySet[Case], minors: Q) -> dict[str, int]:
    unaccompanied_minors = minors & Q(unaccompanied=True)
    hotel = Q(Exists(Placement.objects.filter(case=OuterRef("pk"), kind=PlacementKind.HOTEL)))
    prosecuted = Q(
        Exists(
            Proceeding.objects.filter(
                case=OuterRef("pk"), role=ProceedingRole.DEFENDANT_UNDER_CONSTRAINT
            )
        )
    )
    return cases.aggregate(
        minors=Count("pk", filter=minors),
        unaccompanied_minors=Count("pk", filter=unaccompanied_minors),
        ad_hoc_appointed=Count(
            "pk",
            filter=unaccompanied_minors & Q(ad_hoc_administrator_appointed_on__isnull=False),
        ),
        hotel=Count("pk", filter=minors & hotel),
        prosecuted=Count("pk", filter=minors & prosecuted),
        at_school=Count(
            "pk", filter=minors & Q(schooling__in=[Schooling.SCHOOL, Schooling.TRAINING])
        ),
    )


def _plan_rights(cases: QuerySet[Case]) -> dict[str, tuple[int, int]]:
    """right_id -> (files where it was obtained, files where it applies)."""
    rows = (
        RightItem.objects.filter(
            case__in=cases.values("pk"), right_id__in=[right for right, _label in PLAN_RIGHTS]
        )
        .exclude(state=RightState.NOT_APPLICABLE)
        .values("right_id")
        .annotate(applies=Count("pk"), done=Count("pk", filter=Q(state=RightState.DONE)))
        .order_by()
    )
    return {row["right_id"]: (row["done"], row["applies"]) for row in rows}


def rights_indicators(cases: QuerySet[Case]) -> list[Indicator]:
    """The access-to-rights indicators of ``cases`` (already scoped and filtered by the caller).

    Sources: the file (ad hoc administrator dates, schooling), its events (placements, age
    appeals, proceedings, compensation claims) and its rights plan (state "done": obtained).
    """
    # Imported here: the dashboard's read (selectors_dashboard) imports this module.
    from .conditions import minors_condition

    minors = minors_condition()
    files = _files(cases, minors)
    unaccompanied_minors = cases.filter(minors, unaccompanied=True)
    ad_hoc = list(
        unaccompanied_minors.filter(ad_hoc_administrator_requested_on__isnull=False)
        .order_by()
        .values_list("ad_hoc_administrator_requested_on", "ad_hoc_administrator_appointed_on")
    )
    appeals = list(
        AgeAppeal.objects.filter(case__in=cases.values("pk"))
        .order_by()
        .values_list("filed_on", "decided_on")
    )
    plan = _plan_rights(cases)
    claims = CompensationClaim.objects.filter(case__in=cases.values("pk")).aggregate(
        claimed=Count("case", distinct=True),
        awarded=Count("case", distinct=True, filter=Q(amount_awarded__gt=0)),
        awarded_total=Sum("amount_awarded", filter=Q(amount_awarded__gt=0)),
        paid=Count("case", distinct=True, filter=Q(amount_paid__gt=0)),
        paid_total=Sum("amount_paid", filter=Q(amount_paid__gt=0)),
    )
    proceedings = Proceeding.objects.filter(
        case__in=cases.filter(minors).values("pk"),
        role=ProceedingRole.DEFENDANT_UNDER_CONSTRAINT,
    ).aggregate(
        total=Count("pk"),
        granted=Count("pk", filter=Q(non_punishment=NonPunishment.GRANTED)),
    )

    indicators = [
        # Seeds (Collective 2022 §VII): an ad hoc administrator "systematically and without
        # delay" for every unaccompanied child.
        _share(
            "ad_hoc_administrator",
            _("Unaccompanied minors with an ad hoc administrator appointed"),
            _("unaccompanied minors"),
            files["ad_hoc_appointed"],
            files["unaccompanied_minors"],
        ),
        _median_days(
            "ad_hoc_administrator_delay",
            _("Median time from request to appointment of the ad hoc administrator"),
            _("requests for an unaccompanied minor (appointed, out of all requests)"),
            _days(ad_hoc),
            len(ad_hoc),
        ),
        # Seeds (Collective 2022 §IV): a hotel is never a safe place for a child victim.
        _share(
            "hotel",
            _("Minors placed in a hotel at least once"),
            _("minors"),
            files["hotel"],
            files["minors"],
        ),
        _median_days(
            "age_appeal_duration",
            _("Median duration of age-dispute appeals"),
            _("appeals (decided, out of all appeals filed)"),
            _days(appeals),
            len(appeals),
        ),
        *(
            _share(
                right,
                label,
                _("files whose rights plan includes this right"),
                *plan.get(right, (0, 0)),
            )
            for right, label in PLAN_RIGHTS
        ),
        _share(
            "at_school",
            _("Minors at school or in training, as their file says now"),
            _("minors"),
            files["at_school"],
            files["minors"],
        ),
        Indicator(
            code="compensation_awarded",
            label=_("Compensation awarded"),
            population=_("files with a compensation claim (awarded, out of all claimed)"),
            numerator=claims["awarded"],
            denominator=claims["claimed"],
            measure=Measure.AMOUNT,
            value=claims["awarded_total"] or Decimal(0),
            unit="€",
        ),
        Indicator(
            code="compensation_paid",
            label=_("Compensation paid"),
            population=_("files awarded compensation (paid, out of all awarded)"),
            numerator=claims["paid"],
            denominator=claims["awarded"],
            measure=Measure.AMOUNT,
            value=claims["paid_total"] or Decimal(0),
            unit="€",
        ),
        # Council of Europe Convention art. 26, Directive 2011/36/EU art. 8: no penalty for
        # offences a victim was compelled to commit.
        _share(
            "prosecuted_under_constraint",
            _("Minors prosecuted for an offence committed under constraint"),
            _("minors"),
            files["prosecuted"],
            files["minors"],
        ),
        _share(
            "non_punishment_granted",
            _("Non-punishment granted"),
            _("proceedings against a minor for an offence under constraint"),
            proceedings["granted"],
            proceedings["total"],
        ),
    ]
    return indicators
