"""The dashboard's filters as conditions on the files (a QuerySet), for the indicators panel.

The indicators read events and rights plans in aggregate queries, so the same filters are applied
to the files as a QuerySet (``dimension_condition``). Each dimension's condition is written over
what its value is read from, derived ones included: age bands from ``majority_month`` and
``identified_on``, régions from départements, groups from nationalities, the outcome from the
latest screening, and the access-to-rights dimensions from the very annotations the rows are read
with (rights_dimensions.ANNOTATIONS). So no list of primary keys travels to the database: 20,000
of them would pass SQLite's limit on some builds, and cost more than the conditions.
``test_dashboard.py`` checks, value by value for every dimension, that both ways select the same
files.
"""

from collections.abc import Callable, Collection, Mapping
from datetime import date, timedelta
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    DurationField,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Trim, Upper
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    In,
    IsNull,
    LessThan,
    LessThanOrEqual,
)
from django.db.models.sql.compiler import SQLCompiler

from vigie.identification.models import Screening
from vigie.network.departements import departements_load
from vigie.rights.models import OPEN_STATES, RightState

from .countries import countries_load
from .dimensions import NOT_SCREENED, UNKNOWN, Dimension, Minor, YesNo
from .rights_dimensions import (
    ANNOTATIONS,
    AdHocAdministrator,
    AgeAppealDuration,
    Compensation,
    EverInHotel,
    Prosecution,
    RightObtained,
)

Source = Callable[[], Expression | F]


def _normalised(column: str) -> Expression:
    # dimensions.py reads these codes stripped and upper-cased.
    return Upper(Trim(F(column)))


def _latest_assessment() -> Subquery:
    # As dataset.case_rows: the latest screening's assessment.
    return Subquery(
        Screening.objects.filter(case=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("assessment")[:1]
    )


class _MonthNumber(Func):
    """year * 12 + month of a date column, in the database's own functions.

    Django's ExtractYear/ExtractMonth call a Python function per row on SQLite: filtering
    20,000 files by age band through the indicators' six queries took 3.7 s that way. The
    column appears twice in the SQL, so this takes a plain column (no parameters) only.
    """

    arity = 1
    output_field = IntegerField()
    template = (
        "(CAST(EXTRACT(YEAR FROM %(expressions)s) AS integer) * 12"
        " + CAST(EXTRACT(MONTH FROM %(expressions)s) AS integer))"
    )

    def __init__(self, column: str) -> None:
        super().__init__(F(column))

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        # Django keeps dates as ISO 8601 text on SQLite: "YYYY-MM-DD".
        sql, params = self.as_sql(
            compiler,
            connection,
            template=(
                "(CAST(substr(%(expressions)s, 1, 4) AS integer) * 12"
                " + CAST(substr(%(expressions)s, 6, 2) AS integer))"
            ),
            **extra_context,
        )
        return sql, tuple(params)


def _months_after_majority_month() -> Expression:
    """Months from the presumed 18th birthday's month to the month the file was opened.

    ``majority_month`` is the first day of a month, so dimensions.age_at_identification (born
    = majority_month less 18 years, ``age_on`` the day of identification) is exactly
    18 + floor(months / 12): the birthday falls on the 1st, so only months count. NULL when the
    age is unknown.
    """
    return _MonthNumber("identified_on") - _MonthNumber("majority_month")


def _age_condition(value: str) -> Q:
    """An age band written "a-b" or "a+" (AgeBand, CtdcAgeBand), in whole years."""
    months = _months_after_majority_month()
    if value == UNKNOWN:
        return Q(majority_month__isnull=True)
    lowest, _dash, highest = value.replace("+", "-").partition("-")
    condition = Q(majority_month__isnull=False)
    # age >= a  <=>  months >= 12 (a - 18); the first band takes ages below 0 too (age_at_
    # identification counts an identification before birth as 0).
    if int(lowest) > 0:
        condition &= Q(GreaterThanOrEqual(months, 12 * (int(lowest) - 18)))
    # age <= b  <=>  months < 12 (b - 17)
    if highest:
        condition &= Q(LessThan(months, 12 * (int(highest) - 17)))
    return condition


def minors_condition() -> Q:
    """Files of children under 18 the day they were opened (the "minor" dimension)."""
    return _minor_condition(Minor.MINOR)


def _minor_condition(value: str) -> Q:
    # Under 18 <=> months after the majority month < 0 <=> opened before the majority month's
    # first day, which it is: a plain comparison of two columns, without the date functions
    # SQLite runs in Python (the indicators count minors in six places over 20,000 files).
    if value == Minor.MINOR:
        return Q(identified_on__lt=F("majority_month"))
    if value == Minor.ADULT:
        return Q(identified_on__gte=F("majority_month"))
    return Q(majority_month__isnull=True)


def _grouped(
    expression: Source, groups: Mapping[str, Collection[str]], rest: str = UNKNOWN
) -> Callable[[Dimension, Collection[str]], Q]:
    """Values read from ``expression`` and gathered in groups (``groups[value]``: the raw
    values of each); a raw value in no group (empty, NULL, not in the list) is ``rest``."""

    def condition(dimension: Dimension, values: Collection[str]) -> Q:
        raw = [member for value in values if value != rest for member in groups[value]]
        result = Q(In(expression(), raw)) if raw else Q(pk__in=[])
        if rest in values:
            known = [member for value in groups for member in groups[value]]
            result |= ~Q(In(expression(), known)) | Q(IsNull(expression(), True))
        return result

    return condition


def _coded(
    expression: Source,
) -> Callable[[Dimension, Collection[str]], Q]:
    """A column whose values are the dimension's own codes."""

    def condition(dimension: Dimension, values: Collection[str]) -> Q:
        groups = {value: (value,) for value in dimension.values if value != UNKNOWN}
        return _grouped(expression, groups)(dimension, values)

    return condition


def _boolean(column: str) -> Callable[[Dimension, Collection[str]], Q]:
    def condition(dimension: Dimension, values: Collection[str]) -> Q:
        return Q(In(F(column), [value == YesNo.YES for value in values]))

    return condition


def _year(dimension: Dimension, values: Collection[str]) -> Q:
    first_year = int(dimension.values[0])
    result = Q(pk__in=[])
    for value in values:
        if value == "earlier":
            result |= Q(identified_on__lt=date(first_year, 1, 1))
        else:
            year = int(value)
            result |= Q(identified_on__gte=date(year, 1, 1), identified_on__lt=date(year + 1, 1, 1))
    return result


def _outcome(dimension: Dimension, values: Collection[str]) -> Q:
    screened = [value for value in values if value != NOT_SCREENED]
    result = Q(In(_latest_assessment(), screened)) if screened else Q(pk__in=[])
    if NOT_SCREENED in values:
        result |= Q(IsNull(_latest_assessment(), True)) | Q(Exact(_latest_assessment(), ""))
    return result


def _each(
    conditions: Callable[[str], Q],
) -> Callable[[Dimension, Collection[str]], Q]:
    def condition(dimension: Dimension, values: Collection[str]) -> Q:
        result = Q(pk__in=[])
        for value in values:
            result |= conditions(value)
        return result

    return condition


def _first_form() -> Expression:
    return KT("exploitation_forms__0")


def _region_groups() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for departement in departements_load().values():
        groups.setdefault(departement.region.code, []).append(departement.code)
    return groups


def _nationality_groups() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {code: [] for code in countries_load().groups}
    for code, country in countries_load().countries.items():
        groups[country.group.code].append(code)
    return groups


# --- Access-to-rights dimensions (rights_dimensions.py): the annotations the rows are read from


def _flag(name: str) -> Q:
    """One of the rows' yes/no annotations (an EXISTS over events), the same expression."""
    return Q(ANNOTATIONS[name]())


def _hotel(value: str) -> Q:
    return _flag("hotel") if value == EverInHotel.YES else ~_flag("hotel")


def _right_obtained(right_id: str) -> Callable[[Dimension, Collection[str]], Q]:
    # rights_dimensions.right_obtained: done, or open/refused; anything else is not in the plan.
    groups: dict[str, list[str]] = {
        RightObtained.OBTAINED: [RightState.DONE],
        RightObtained.NOT_OBTAINED: [*OPEN_STATES, RightState.REFUSED],
    }
    state: Source = lambda: ANNOTATIONS[f"right_{right_id}"]()  # noqa: E731
    return _grouped(state, groups, rest=RightObtained.NOT_APPLICABLE)


def _compensation(value: str) -> Q:
    paid, awarded, claimed = (
        _flag("compensation_paid"),
        _flag("compensation_awarded"),
        _flag("compensation_claimed"),
    )
    return {
        Compensation.PAID: paid,
        Compensation.AWARDED: awarded & ~paid,
        Compensation.CLAIMED: claimed & ~awarded & ~paid,
        Compensation.NONE: ~claimed & ~awarded & ~paid,
    }[Compensation(value)]


def _prosecution(value: str) -> Q:
    prosecuted, granted = _flag("prosecuted"), _flag("non_punishment_granted")
    return {
        Prosecution.NOT_PROSECUTED: ~prosecuted,
        Prosecution.NON_PUNISHMENT_GRANTED: prosecuted & granted,
        Prosecution.PROSECUTED: prosecuted & ~granted,
    }[Prosecution(value)]


def _days_within(delay: Expression, lowest: int | None, highest: int | None) -> Q:
    """``lowest`` < delay in days <= ``highest`` (either bound left out when None)."""
    condition = Q(IsNull(delay, False))
    if lowest is not None:
        condition &= Q(GreaterThan(delay, timedelta(days=lowest)))
    if highest is not None:
        condition &= Q(LessThanOrEqual(delay, timedelta(days=highest)))
    return condition


def _ad_hoc_administrator(value: str) -> Q:
    # rights_dimensions.ad_hoc_administrator: unaccompanied minors only; days from the file's
    # opening to the appointment.
    applies = Q(unaccompanied=True) & _minor_condition(Minor.MINOR)
    if value == AdHocAdministrator.NOT_APPLICABLE:
        return Q(unaccompanied=False) | _minor_condition(UNKNOWN) | _minor_condition(Minor.ADULT)
    if value == AdHocAdministrator.NOT_APPOINTED:
        return applies & Q(ad_hoc_administrator_appointed_on__isnull=True)
    delay = ExpressionWrapper(
        F("ad_hoc_administrator_appointed_on") - F("identified_on"), output_field=DurationField()
    )
    bounds = {
        AdHocAdministrator.WITHIN_7_DAYS: (None, 7),
        AdHocAdministrator.WITHIN_30_DAYS: (7, 30),
        AdHocAdministrator.WITHIN_90_DAYS: (30, 90),
        AdHocAdministrator.LATER: (90, None),
    }[AdHocAdministrator(value)]
    return applies & _days_within(delay, *bounds)


def _age_appeal(value: str) -> Q:
    # rights_dimensions.age_appeal_duration: the latest appeal, decided within [a, b) days.
    filed = ANNOTATIONS["appeal_filed_on"]()
    decided = ANNOTATIONS["appeal_decided_on"]()
    if value == AgeAppealDuration.NONE:
        return Q(IsNull(filed, True))
    if value == AgeAppealDuration.PENDING:
        return Q(IsNull(filed, False)) & Q(IsNull(decided, True))
    bounds = {
        AgeAppealDuration.UNDER_3_MONTHS: (None, 91),
        AgeAppealDuration.UNDER_6_MONTHS: (91, 182),
        AgeAppealDuration.UNDER_12_MONTHS: (182, 365),
        AgeAppealDuration.UNDER_18_MONTHS: (365, 547),
        AgeAppealDuration.LONGER: (547, None),
    }[AgeAppealDuration(value)]
    lowest, highest = bounds
    # Whole days: "under 91" is "at most 90", "from 91" is "more than 90".
    delay = ExpressionWrapper(decided - filed, output_field=DurationField())
    return _days_within(
        delay, None if lowest is None else lowest - 1, None if highest is None else highest - 1
    )


def _conditions() -> dict[str, Callable[[Dimension, Collection[str]], Q]]:
    nationality = lambda: _normalised("nationality")  # noqa: E731
    departement = lambda: _normalised("departement")  # noqa: E731
    return {
        "form": _coded(_first_form),
        "age_band": _each(_age_condition),
        "age_ctdc": _each(_age_condition),
        "minor": _each(_minor_condition),
        "gender": _coded(lambda: F("gender")),
        "nationality": _coded(nationality),
        "nationality_group": _grouped(nationality, _nationality_groups()),
        "unaccompanied": _boolean("unaccompanied"),
        "care_status": _coded(lambda: F("care_status")),
        "disability": _boolean("disability"),
        "region": _grouped(departement, _region_groups()),
        "departement": _coded(departement),
        "year": _year,
        "referral_source": _coded(lambda: F("referral_source")),
        "outcome": _outcome,
        "status": _coded(lambda: F("status")),
        "ad_hoc_administrator": _each(_ad_hoc_administrator),
        "hotel": _each(_hotel),
        "age_appeal": _each(_age_appeal),
        "health_coverage": _right_obtained("health_care"),
        "psychological_care": _right_obtained("psychological_care"),
        "schooling_right": _right_obtained("schooling_or_training"),
        "bank_account": _right_obtained("bank_account"),
        "schooling": _coded(lambda: F("schooling")),
        "compensation": _each(_compensation),
        "prosecution": _each(_prosecution),
    }


def dimension_condition(dimension: Dimension, values: Collection[str]) -> Q:
    """The files whose value of ``dimension`` is one of ``values``, as a QuerySet condition."""
    conditions = _conditions()
    if dimension.code not in conditions:
        raise ValueError(f"unknown dimension: {dimension.code}")
    return conditions[dimension.code](dimension, values)
