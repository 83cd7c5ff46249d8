"""Access-to-rights indicators: each one's numerator and denominator on a small known set of
files, the minors' base, the medians, another organisation's files never counted, and a fixed
number of queries whatever the number of files."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from vigie.cases.ages import majority_month
from vigie.monitoring.dataset import statistics_cases
from vigie.monitoring.indicators import Measure, rights_indicators
from vigie.monitoring.selectors_dashboard import dashboard_cases
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_events import (
    AgeAppealFactory,
    CompensationClaimFactory,
    PlacementFactory,
    ProceedingFactory,
)
from vigie.tests_support.factories_rights import RightItemFactory

pytestmark = pytest.mark.django_db

IDENTIFIED = date(2025, 1, 10)
REQUESTED = date(2025, 1, 12)


def _file(organisation, *, born: date | None, **fields):
    return CaseFactory(
        organisation=organisation,
        birth_date=born,
        birth_year=born.year if born else None,
        majority_month=majority_month(
            birth_date=born, birth_year=born.year if born else None, disputed=False
        ),
        identified_on=IDENTIFIED,
        **fields,
    )


def _unaccompanied_minor(organisation, *, appointed_after: int | None, **fields):
    return _file(
        organisation,
        born=date(2009, 6, 1),
        unaccompanied=True,
        ad_hoc_administrator_requested_on=REQUESTED,
        ad_hoc_administrator_appointed_on=None
        if appointed_after is None
        else REQUESTED + timedelta(days=appointed_after),
        **fields,
    )


def _appeal(case, days: int | None):
    filed = date(2024, 3, 1)
    return AgeAppealFactory(
        case=case,
        filed_on=filed,
        decided_on=None if days is None else filed + timedelta(days=days),
        outcome="" if days is None else "minor",
    )


@pytest.fixture
def files(org_a, org_b):
    first = _unaccompanied_minor(org_a, appointed_after=10, schooling="school", gender="girl")
    second = _unaccompanied_minor(org_a, appointed_after=30, schooling="none", gender="boy")
    _unaccompanied_minor(org_a, appointed_after=None, gender="boy")
    accompanied = _file(org_a, born=date(2012, 2, 1), schooling="training", gender="girl")
    adult = _file(org_a, born=date(2000, 1, 1), unaccompanied=True, gender="boy")
    age_unknown = _file(org_a, born=None, gender="girl")

    PlacementFactory(case=first, kind="hotel")
    PlacementFactory(case=accompanied, kind="foster_family")
    PlacementFactory(case=accompanied, kind="hotel")
    PlacementFactory(case=adult, kind="hotel")  # an adult: outside the minors' base
    _appeal(first, 200)
    _appeal(adult, 100)
    _appeal(age_unknown, None)
    RightItemFactory(case=first, right_id="health_care", state="done")
    RightItemFactory(case=second, right_id="health_care", state="to_do")
    RightItemFactory(case=first, right_id="psychological_care", state="refused")
    RightItemFactory(case=first, right_id="bank_account", state="not_applicable")
    ProceedingFactory(case=first, role="defendant", non_punishment="granted")
    ProceedingFactory(case=second, role="defendant", non_punishment="to_raise")
    ProceedingFactory(case=second, role="defendant", non_punishment="refused")
    ProceedingFactory(case=accompanied, role="victim", non_punishment="")
    ProceedingFactory(case=adult, role="defendant", non_punishment="refused")
    CompensationClaimFactory(
        case=first,
        amount_awarded=Decimal("1500"),
        awarded_on=date(2024, 6, 1),
        amount_paid=Decimal("1000.50"),
        paid_on=date(2024, 9, 1),
    )
    CompensationClaimFactory(case=second)

    # Another organisation's file, with everything: never counted for organisation A.
    other = _unaccompanied_minor(org_b, appointed_after=1, schooling="school")
    PlacementFactory(case=other, kind="hotel")
    _appeal(other, 5)
    RightItemFactory(case=other, right_id="bank_account", state="done")
    ProceedingFactory(case=other, role="defendant", non_punishment="granted")
    CompensationClaimFactory(case=other, amount_awarded=Decimal(99), awarded_on=date(2024, 1, 2))


def _by_code(indicators):
    return {indicator.code: indicator for indicator in indicators}


def test_each_indicator_states_its_numerator_and_denominator(files, org_a):
    indicators = _by_code(rights_indicators(statistics_cases(org_a)))

    def counts(code):
        return indicators[code].numerator, indicators[code].denominator

    assert counts("ad_hoc_administrator") == (2, 3)
    assert counts("hotel") == (2, 4)
    assert counts("health_care") == (1, 2)
    assert counts("psychological_care") == (0, 1)
    # Not applicable in the plan: no base, no share (not a 0 %).
    assert counts("bank_account") == (0, 0) and indicators["bank_account"].value is None
    assert counts("schooling_or_training") == (0, 0)
    assert counts("at_school") == (2, 4)
    assert counts("prosecuted_under_constraint") == (2, 4)
    assert counts("non_punishment_granted") == (1, 3)
    assert indicators["hotel"].value == 0.5 and indicators["hotel"].measure == Measure.SHARE


def test_medians_and_amounts(files, org_a):
    indicators = _by_code(rights_indicators(statistics_cases(org_a)))

    delay = indicators["ad_hoc_administrator_delay"]
    assert (delay.measure, delay.value, delay.numerator, delay.denominator) == (
        Measure.MEDIAN_DAYS,
        20.0,
        2,
        3,
    )
    appeals = indicators["age_appeal_duration"]
    assert (appeals.value, appeals.numerator, appeals.denominator) == (150.0, 2, 3)
    awarded = indicators["compensation_awarded"]
    assert (awarded.value, awarded.numerator, awarded.denominator) == (Decimal("1500"), 1, 2)
    paid = indicators["compensation_paid"]
    assert (paid.value, paid.numerator, paid.denominator) == (Decimal("1000.50"), 1, 1)
    assert paid.measure == Measure.AMOUNT


def test_the_indicators_follow_the_filters(files, org_a):
    girls = dashboard_cases(organisation=org_a, filters={"gender": ["girl"]})

    indicators = _by_code(rights_indicators(girls))

    assert (indicators["hotel"].numerator, indicators["hotel"].denominator) == (2, 2)
    ad_hoc = indicators["ad_hoc_administrator"]
    assert (ad_hoc.numerator, ad_hoc.denominator) == (1, 1)
    assert indicators["age_appeal_duration"].denominator == 2


def test_no_file_gives_no_value_rather_than_zero(org_a):
    indicators = rights_indicators(statistics_cases(org_a))

    assert indicators
    for indicator in indicators:
        assert (indicator.numerator, indicator.denominator) == (0, 0), indicator.code
        if indicator.measure == Measure.AMOUNT:
            assert indicator.value == 0
        else:
            assert indicator.value is None, indicator.code


def test_a_fixed_number_of_queries_whatever_the_number_of_files(
    files, org_a, django_assert_num_queries
):
    with django_assert_num_queries(6):
        few = rights_indicators(statistics_cases(org_a))
    for _ in range(5):
        case = _unaccompanied_minor(org_a, appointed_after=3)
        PlacementFactory(case=case, kind="hotel")
        _appeal(case, 10)
    with django_assert_num_queries(6):
        more = rights_indicators(statistics_cases(org_a))
    assert _by_code(more)["hotel"].numerator == _by_code(few)["hotel"].numerator + 5
