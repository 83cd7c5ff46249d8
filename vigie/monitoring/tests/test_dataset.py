"""Case files as statistics rows: each dimension reads what the file and its events say."""

from datetime import date

import numpy as np
import pytest

from vigie.monitoring.dataset import demo_microdata, microdata_load
from vigie.tests_support.factories import CaseFactory, OrganisationFactory, screening_for_tests
from vigie.tests_support.factories_events import (
    AgeAppealFactory,
    CompensationClaimFactory,
    PlacementFactory,
    ProceedingFactory,
)
from vigie.tests_support.factories_rights import RightItemFactory

TODAY = date(2026, 12, 4)


def _values(organisation, *names: str) -> dict[str, list[str]]:
    """Each dimension's values over the organisation's files (one file: a list of one)."""
    micro = microdata_load(names, organisation=organisation, today=TODAY)
    return {
        dim.code: [dim.values[code] for code in micro.codes[:, column]]
        for column, dim in enumerate(micro.dimensions)
    }


def _files(organisation, *names: str) -> set[tuple[str, ...]]:
    """One tuple of values per file (rows come in no particular order)."""
    micro = microdata_load(names, organisation=organisation, today=TODAY)
    return {
        tuple(dim.values[code] for dim, code in zip(micro.dimensions, row, strict=True))
        for row in micro.codes
    }


@pytest.fixture
def org(db):
    return OrganisationFactory()


def test_situation_dimensions(org):
    CaseFactory(
        organisation=org,
        exploitation_forms=["forced_begging", "forced_criminality"],
        majority_month=date(2028, 3, 1),  # born March 2010
        identified_on=date(2024, 2, 10),  # aged 13 then
        gender="boy",
        nationality="ro",
        unaccompanied=True,
        departement="13",
        referral_source="",
    )
    values = _values(
        org,
        "form",
        "age_band",
        "minor",
        "age_ctdc",
        "nationality",
        "nationality_group",
        "region",
        "year",
        "referral_source",
        "outcome",
        "gender",
    )
    assert values == {
        "form": ["forced_begging"],  # the main (first) form only: counted once
        "age_band": ["12-14"],
        "minor": ["minor"],
        "age_ctdc": ["9-17"],
        "nationality": ["RO"],
        "nationality_group": ["151"],  # Eastern Europe (UN M49)
        "region": ["93"],  # Provence-Alpes-Côte d'Azur
        "year": ["2024"],
        "referral_source": ["unknown"],
        "outcome": ["not_screened"],
        "gender": ["boy"],
    }


def test_unknowns_and_the_last_screening(org):
    case = CaseFactory(
        organisation=org,
        exploitation_forms=[],
        majority_month=None,
        nationality="",
        departement="",
        identified_on=date(2001, 5, 1),
    )
    screening_for_tests(case)
    values = _values(org, "form", "age_band", "nationality_group", "region", "year", "outcome")
    assert values["form"] == ["unknown"]
    assert values["age_band"] == ["unknown"]
    assert values["nationality_group"] == ["unknown"]
    assert values["region"] == ["unknown"]
    assert values["year"] == ["earlier"]  # the year list is fixed: the last ten years
    assert values["outcome"][0] != "not_screened"


def test_access_to_rights_dimensions(org):
    identified = date(2025, 1, 10)
    minor = {"majority_month": date(2028, 1, 1), "identified_on": identified}
    quick = CaseFactory(
        organisation=org,
        unaccompanied=True,
        ad_hoc_administrator_appointed_on=date(2025, 1, 15),
        **minor,
    )
    waiting = CaseFactory(organisation=org, unaccompanied=True, **minor)
    accompanied = CaseFactory(organisation=org, unaccompanied=False, **minor)
    PlacementFactory(case=waiting, kind="hotel")
    PlacementFactory(case=quick, kind="foster_family")
    AgeAppealFactory(
        case=waiting, filed_on=date(2024, 1, 10), decided_on=date(2025, 8, 1), outcome="minor"
    )
    AgeAppealFactory(case=quick, filed_on=date(2025, 2, 1))
    RightItemFactory(case=quick, right_id="health_care", state="done")
    RightItemFactory(case=waiting, right_id="health_care", state="blocked")
    ProceedingFactory(case=waiting, non_punishment="granted")
    ProceedingFactory(case=accompanied, non_punishment="refused")
    CompensationClaimFactory(case=quick, awarded_on=date(2025, 6, 1), amount_awarded=1000)
    CompensationClaimFactory(case=waiting)

    values = _values(
        org,
        "ad_hoc_administrator",
        "hotel",
        "age_appeal",
        "health_coverage",
        "prosecution",
        "compensation",
    )
    assert values == {
        "ad_hoc_administrator": ["within_7_days", "not_appointed", "not_applicable"],
        "hotel": ["no", "yes", "no"],
        "age_appeal": ["pending", "18_months_or_more", "none"],
        "health_coverage": ["obtained", "not_obtained", "not_applicable"],
        "prosecution": ["not_prosecuted", "non_punishment_granted", "prosecuted"],
        "compensation": ["awarded", "claimed", "none"],
    }


def test_an_unknown_dimension_is_named(org):
    with pytest.raises(ValueError, match="shoe_size"):
        microdata_load(["gender", "shoe_size"], organisation=org)


def test_demo_microdata_draws_the_demo_files():
    micro = demo_microdata(500, seed=3)
    again = demo_microdata(500, seed=3)
    assert micro.codes.shape == (500, 10)
    assert np.array_equal(micro.codes, again.codes)
    assert (micro.codes < np.array(micro.cardinalities)).all()
