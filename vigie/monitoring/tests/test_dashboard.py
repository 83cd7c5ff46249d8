"""The organisation's statistics dashboard: exact counts over the encoded rows, the same filters
on the files as a QuerySet, and the page (coordinators of the organisation only, audited)."""

import random
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from vigie.audit.models import AuditAction, AuditEvent
from vigie.cases.ages import majority_month
from vigie.identification.models import Screening
from vigie.monitoring.conditions import dimension_condition
from vigie.monitoring.dataset import microdata_load
from vigie.monitoring.selectors_dashboard import (
    dashboard_cases,
    dashboard_dimensions,
    dashboard_table,
)
from vigie.tests_support.factories import CaseFactory, screening_for_tests
from vigie.tests_support.factories_events import (
    AgeAppealFactory,
    CompensationClaimFactory,
    PlacementFactory,
    ProceedingFactory,
)
from vigie.tests_support.factories_rights import RightItemFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)
URL = "/suivi/statistiques/"


def _file(organisation, *, born=None, birth_year=None, disputed=False, **fields):
    month = majority_month(birth_date=born, birth_year=birth_year, disputed=disputed)
    return CaseFactory(
        organisation=organisation,
        birth_date=born,
        birth_year=birth_year if born is None else born.year,
        age_disputed=disputed,
        majority_month=month,
        **fields,
    )


def _varied_files(organisation, count=70, seed=3):
    """Files spread over every dimension, edges included: birthdays in the month of
    identification, ages unknown, codes in lower case or unknown, empty or made-up forms,
    screened once or twice, identified before the years the dashboard shows."""
    rng = random.Random(seed)  # nosec B311
    forms = [[], ["forced_labour"], ["sexual_exploitation", "forced_begging"], ["made_up"]]
    forms += [["forced_criminality"], ["domestic_servitude"]]
    nationalities = ["FR", "ro", "ng", "", "ZZ", "AF", "MA", "a "]
    departements = ["75", "93", "2a", "", "99", " 13", "974"]
    for index in range(count):
        identified = date(rng.choice([2012, 2017, 2021, 2024, 2025, 2026]), rng.randint(1, 12), 1)
        identified += timedelta(days=rng.randint(0, 27))
        age_days = rng.choice([-30, 200, 5 * 365, 6 * 365 + 2, 12 * 365, 15 * 365, 17 * 365 + 360])
        age_days = rng.choice([age_days, 18 * 365 + 5, 21 * 365 + 300, 30 * 365])
        born = identified - timedelta(days=age_days)
        if index % 3 == 0:
            # A birthday in the month of identification, before or after its day.
            born = date(born.year, identified.month, rng.choice([1, 15, 28]))
        kind = index % 5
        case = _file(
            organisation,
            born=born if kind in (0, 1, 2) else None,
            birth_year=born.year if kind == 3 else None,
            disputed=kind == 2,
            identified_on=identified,
            gender=rng.choice(["girl", "boy", "other", "unknown"]),
            nationality=rng.choice(nationalities),
            departement=rng.choice(departements),
            exploitation_forms=rng.choice(forms),
            unaccompanied=rng.random() < 0.5,
            disability=rng.random() < 0.2,
            care_status=rng.choice(["ase", "pjj", "both", "none"]),
            referral_source=rng.choice(["", "police", "outreach", "school"]),
            status=rng.choice(["open", "identified", "protected", "closed"]),
        )
        for assessment in rng.choice([[], ["at_risk"], ["no_indication", "presumed_victim"]]):
            screening = screening_for_tests(case)
            Screening.objects.filter(pk=screening.pk).update(assessment=assessment)
        _events(case, rng)


def _events(case, rng):
    """Events and rights-plan items across the access-to-rights dimensions' values."""
    delay = rng.choice([None, None, -2, 0, 7, 8, 30, 31, 90, 91, 200])
    if delay is not None:
        case.ad_hoc_administrator_appointed_on = case.identified_on + timedelta(days=delay)
    case.schooling = rng.choice(["unknown", "school", "training", "waiting", "none"])
    case.save(update_fields=["ad_hoc_administrator_appointed_on", "schooling"])
    for kind in rng.choice([[], ["hotel"], ["foster_family"], ["foster_family", "hotel"]]):
        PlacementFactory(case=case, kind=kind)
    appeals = [[], [(0, None)], [(0, 90)], [(0, 91)], [(10, 181), (0, 30)], [(0, 182)]]
    appeals += [[(0, 364)], [(0, 365)], [(0, 546)], [(0, 547)], [(5, 800)], [(0, None), (20, 60)]]
    for filed, days in rng.choice(appeals):
        filed_on = date(2024, 1, 1) + timedelta(days=filed)
        decided_on = None if days is None else filed_on + timedelta(days=days)
        AgeAppealFactory(case=case, filed_on=filed_on, decided_on=decided_on)
    for right in ("health_care", "psychological_care", "schooling_or_training", "bank_account"):
        state = rng.choice([None, "not_applicable", "to_do", "in_progress", "done", "refused"])
        if state is not None:
            RightItemFactory(case=case, right_id=right, state=state)
    claim = rng.choice([None, "claimed", "awarded", "paid"])
    if claim is not None:
        CompensationClaimFactory(
            case=case,
            amount_awarded=Decimal(1500) if claim != "claimed" else None,
            awarded_on=date(2024, 6, 1) if claim != "claimed" else None,
            amount_paid=Decimal(1500) if claim == "paid" else None,
            paid_on=date(2024, 9, 1) if claim == "paid" else None,
        )
    proceedings = [[], [("victim", "")], [("defendant", "to_raise")], [("defendant", "granted")]]
    proceedings += [[("defendant", "refused"), ("defendant", "granted")]]
    for role, non_punishment in rng.choice(proceedings):
        ProceedingFactory(case=case, role=role, non_punishment=non_punishment)


# --- Counting: the table and the QuerySet select the same files --------------------------------


def _both_ways(organisation, names):
    """For each dimension and value: (files the encoded rows give, files the condition gives)."""
    dimensions = dashboard_dimensions(TODAY)
    data = microdata_load(names, organisation=organisation, today=TODAY)
    files = dashboard_cases(organisation=organisation, filters={}, today=TODAY)
    result = {}
    for position, code in enumerate(names):
        dimension = dimensions[code]
        for index, value in enumerate(dimension.values):
            expected = int((data.codes[:, position] == index).sum())
            counted = files.filter(dimension_condition(dimension, [value])).count()
            result[(code, value)] = (expected, counted)
    return result


def test_every_value_of_every_dimension_selects_the_same_files_both_ways(org_a):
    _varied_files(org_a)
    names = list(dashboard_dimensions(TODAY))

    counts = _both_ways(org_a, names)

    assert {key: pair for key, pair in counts.items() if pair[0] != pair[1]} == {}
    # Every file was counted once per dimension: no value was skipped by both ways alike.
    assert sum(expected for expected, _counted in counts.values()) == 70 * len(names)


def test_delays_on_the_bands_edges_select_the_same_files_both_ways(org_a):
    for days in (-2, 0, 7, 8, 30, 31, 90, 91):
        case = _file(
            org_a, born=date(2010, 5, 1), identified_on=date(2025, 1, 10), unaccompanied=True
        )
        case.ad_hoc_administrator_appointed_on = case.identified_on + timedelta(days=days)
        case.save(update_fields=["ad_hoc_administrator_appointed_on"])
    for days in (90, 91, 181, 182, 364, 365, 546, 547):
        filed = date(2024, 2, 1)
        AgeAppealFactory(
            case=CaseFactory(organisation=org_a),
            filed_on=filed,
            decided_on=filed + timedelta(days=days),
        )

    counts = _both_ways(org_a, ["ad_hoc_administrator", "age_appeal"])

    assert all(expected == counted for expected, counted in counts.values()), counts
    assert counts[("ad_hoc_administrator", "within_7_days")] == (3, 3)
    assert counts[("ad_hoc_administrator", "later")] == (1, 1)
    assert counts[("age_appeal", "under_3_months")] == (1, 1)
    assert counts[("age_appeal", "18_months_or_more")] == (1, 1)


def test_a_one_dimension_table_has_every_value_its_totals_and_shares(org_a, org_b):
    for gender in ["girl", "girl", "girl", "boy"]:
        CaseFactory(organisation=org_a, gender=gender)
    CaseFactory(organisation=org_b, gender="boy")

    table = dashboard_table(organisation=org_a, group_by=["gender"], filters={}, today=TODAY)

    assert table.row_values == ("girl", "boy", "other", "unknown")
    assert table.counts == ((3,), (1,), (0,), (0,))
    assert table.total == table.files == 4
    girls = table.lines()[0]
    assert (girls.total.count, girls.total.share) == (3, 0.75)


def test_two_dimensions_filters_and_hidden_empty_values(org_a):
    CaseFactory(organisation=org_a, gender="girl", nationality="RO", unaccompanied=True)
    CaseFactory(organisation=org_a, gender="girl", nationality="RO", unaccompanied=False)
    CaseFactory(organisation=org_a, gender="boy", nationality="NG", unaccompanied=True)
    CaseFactory(organisation=org_a, gender="boy", nationality="AF", unaccompanied=True)

    table = dashboard_table(
        organisation=org_a,
        group_by=["nationality", "gender"],
        filters={"unaccompanied": ["yes"], "nationality": ["RO", "NG"]},
        today=TODAY,
    )

    # 250 nationalities: only those with files are shown; the four genders all are.
    assert table.row_values == ("NG", "RO") or table.row_values == ("RO", "NG")
    assert table.column_values == ("girl", "boy", "other", "unknown")
    by_row = dict(zip(table.row_values, table.counts, strict=True))
    assert by_row == {"RO": (1, 0, 0, 0), "NG": (0, 1, 0, 0)}
    assert table.total == 2 and table.files == 4
    assert table.column_totals == (1, 1, 0, 0)
    ro = next(line for line in table.lines() if line.value == "RO")
    assert ro.cells[0].share == 1.0 and ro.total.share == 0.5


@pytest.mark.parametrize(
    ("group_by", "filters", "named"),
    [
        (["religion"], {}, "religion"),
        (["gender"], {"birth_date": ["2010"]}, "birth_date"),
        (["gender"], {"gender": ["martian"]}, "gender"),
        (["gender", "gender"], {}, "gender"),
        ([], {}, "one or two"),
        (["gender", "year", "form"], {}, "one or two"),
    ],
)
def test_unknown_dimensions_and_values_are_refused_by_name(org_a, group_by, filters, named):
    with pytest.raises(ValueError, match=named):
        dashboard_table(organisation=org_a, group_by=group_by, filters=filters, today=TODAY)


def test_the_filtered_files_are_those_of_the_table(org_a):
    _varied_files(org_a, count=40, seed=11)
    filters = {"age_band": ["12-14", "15-17"], "region": ["11", "unknown"], "year": ["2025"]}

    table = dashboard_table(organisation=org_a, group_by=["form"], filters=filters, today=TODAY)
    files = dashboard_cases(organisation=org_a, filters=filters, today=TODAY)

    assert files.count() == table.total


# --- The page ---------------------------------------------------------------------------------


def _assert_columns_line_up(page: str) -> None:
    """Every row of the table has as many cells as its header has columns."""
    table = re.search(r'<table id="dashboard-table">.*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    widths = {len(re.findall(r"<t[hd][ >]", row)) for row in rows}
    assert len(widths) == 1, widths


def test_a_coordinator_sees_her_organisation_only_and_the_view_is_audited(
    users, org_a, org_b, client_for
):
    for _ in range(3):
        CaseFactory(organisation=org_a, gender="girl")
    for _ in range(5):
        CaseFactory(organisation=org_b, gender="girl")
    coordinator = users[("coordinator", "a")]

    response = client_for(coordinator).get(URL, {"by": "gender"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-total="3"' in page and 'data-files="3"' in page
    event = AuditEvent.objects.get(action=AuditAction.STATS_VIEW)
    assert event.actor_uuid == coordinator.uuid
    assert event.object_uuids == [str(org_a.uuid)]
    assert event.reason_code == "by:gender"


@pytest.mark.parametrize("role", ["caseworker", "org_admin", "analyst"])
def test_other_roles_are_refused(users, client_for, role):
    response = client_for(users[(role, "a")]).get(URL)
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.STATS_VIEW).exists()


def test_the_platform_administrator_is_refused(users, client_for):
    assert client_for(users[("platform_admin", None)]).get(URL).status_code == 403


def test_filters_and_a_second_dimension_on_the_page(users, org_a, client_for):
    CaseFactory(organisation=org_a, gender="girl", unaccompanied=True, care_status="ase")
    CaseFactory(organisation=org_a, gender="girl", unaccompanied=True, care_status="pjj")
    CaseFactory(organisation=org_a, gender="boy", unaccompanied=True, care_status="ase")
    CaseFactory(organisation=org_a, gender="boy", unaccompanied=False, care_status="ase")

    response = client_for(users[("coordinator", "a")]).get(
        URL, {"by": "gender", "then_by": "care_status", "unaccompanied": ["yes"]}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-total="3"' in page and 'data-files="4"' in page
    assert 'data-cell="girl:ase">1<' in page and 'data-cell="girl:pjj">1<' in page
    assert 'data-cell="boy:ase">1<' in page
    _assert_columns_line_up(page)
    assert AuditEvent.objects.get(action=AuditAction.STATS_VIEW).reason_code == (
        "by:gender,care_status;filtered:unaccompanied"
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"by": "religion"}, "id_by"),
        ({"by": "gender", "gender": ["martian"]}, "id_gender"),
        ({"by": "gender", "then_by": "gender"}, "id_then_by"),
        ({"by": "gender", "nationality": ["XX"]}, "id_nationality"),
    ],
)
def test_invalid_parameters_show_errors_naming_the_field(users, client_for, query, field):
    response = client_for(users[("coordinator", "a")]).get(URL, query)

    page = response.content.decode()
    assert response.status_code == 422
    assert f'href="#{field}"' in page and f'id="{field}_error"' in page
    assert "data-total" not in page
    assert not AuditEvent.objects.filter(action=AuditAction.STATS_VIEW).exists()
    # A wrong "more filters" value opens that section, so the field in error is visible.
    assert ("<details open>" in page) == (field == "id_nationality")


def test_the_chart_has_a_title_and_its_table_the_same_numbers(users, org_a, client_for):
    for form, count in (("forced_labour", 3), ("forced_begging", 1)):
        for _ in range(count):
            CaseFactory(organisation=org_a, exploitation_forms=[form])

    page = client_for(users[("coordinator", "a")]).get(URL, {"by": "form"}).content.decode()

    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg
    chart = svg.group(0)
    assert 'role="img"' in chart and "<title id=" in chart
    title_id = re.search(r'<title id="([^"]+)"', chart).group(1)
    assert f'aria-labelledby="{title_id}' in chart
    bars = dict(re.findall(r'data-label="([^"]+)" data-count="(\d+)"', chart))
    rows = dict(re.findall(r'<tr data-value="([^"]+)">.*?<td data-cell="[^"]+">(\d+)<', page, re.S))
    assert bars["forced_labour"] == rows["forced_labour"] == "3"
    assert bars["forced_begging"] == rows["forced_begging"] == "1"
    _assert_columns_line_up(page)
    # The table follows the chart, and the page says what these numbers are for.
    assert page.index("<svg") < page.index('id="dashboard-table"')
    assert "Chiffres internes exacts, à ne pas publier." in page


def test_the_indicators_are_computed_on_the_filtered_files(users, org_a, client_for):
    girl = _file(org_a, born=date(2010, 5, 1), identified_on=date(2025, 1, 10), gender="girl")
    boy = _file(org_a, born=date(2010, 5, 1), identified_on=date(2025, 1, 10), gender="boy")
    PlacementFactory(case=girl, kind="hotel")
    PlacementFactory(case=boy, kind="foster_family")

    page = (
        client_for(users[("coordinator", "a")])
        .get(URL, {"by": "year", "gender": ["girl"]})
        .content.decode()
    )

    hotel = re.search(r'<tr data-indicator="hotel"[^>]*>.*?</tr>', page, re.S).group(0)
    assert 'data-numerator="1"' in hotel and 'data-denominator="1"' in hotel


# --- In a browser: axe-core on the page, with one and two dimensions, and with an error -------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_page_passes_axe_with_charts_tables_and_errors(
    page, visit, browser_sign_in, allow_console_error
):
    from vigie.tests_support.factories import UserFactory

    allow_console_error("status of 422")
    coordinator = UserFactory(role="coordinator")
    _varied_files(coordinator.organisation, count=25, seed=5)
    browser_sign_in(coordinator)

    visit(URL + "?by=form")
    assert page.locator("svg#dashboard-chart[role=img]").count() == 1
    visit(URL + "?by=age_band&then_by=gender&unaccompanied=yes&year=2025&year=2026")
    assert page.locator("#dashboard-table tbody tr").count() == 7
    visit(URL + "?by=religion", status=422)
    assert page.locator(".error-summary a[href='#id_by']").count() == 1
