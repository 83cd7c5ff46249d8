"""Editing a case file: the optimistic lock, what an edit records, its rules, the edit page and
the conflict page."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.cases.models import Case, CaseChange
from vigie.cases.services import editing as editing_module
from vigie.cases.services import full_name_index
from vigie.cases.services.editing import (
    EDITABLE_FIELDS,
    CaseEditConflict,
    case_update,
    case_version_write,
)
from vigie.tests_support.browser import submit_main_form
from vigie.tests_support.factories import CaseFactory, OrganisationFactory, UserFactory
from vigie.tests_support.factories_editing import edit_form_data
from vigie.tests_support.factories_sharing import full_referral_for_tests

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def caseworker(users):
    return Actor(user=users[("caseworker", "a")])


@pytest.fixture
def coordinator(users):
    return Actor(user=users[("coordinator", "a")])


def _edit_url(case) -> str:
    return reverse("cases:edit", kwargs={"case_uuid": case.uuid})


# --- The service: what an edit writes -------------------------------------------------------


def test_an_edit_saves_the_changed_fields_and_records_them_under_a_new_version(caseworker, case_a):
    """Given a file at version 1, when a caseworker changes three fields and re-sends two
    unchanged ones, then the file is at version 2 and one CaseChange names the three."""
    case = case_update(
        actor=caseworker,
        case=case_a,
        expected_version=1,
        changes={
            "first_name": "  Mariam ",
            "languages": "bambara, français",
            "substances": ["pregabalin", "clonazepam", "pregabalin"],
            "gender": case_a.gender,
            "last_name": case_a.last_name,
        },
    )

    stored = Case.objects.get(pk=case_a.pk)
    assert stored.version == case.version == 2
    assert stored.first_name == "Mariam"
    assert stored.languages == "bambara, français"
    assert stored.substances == ["clonazepam", "pregabalin"]
    assert stored.name_index == full_name_index("Mariam", case_a.last_name)
    change = CaseChange.objects.get(case=case_a)
    assert change.fields == ["first_name", "languages", "substances"]
    assert change.version == 2
    assert change.created_by == caseworker.user
    event = AuditEvent.objects.get(action=AuditAction.CASE_UPDATE)
    assert str(case_a.uuid) in event.object_uuids
    assert str(change.uuid) in event.object_uuids
    assert event.actor_uuid == caseworker.user.uuid


def test_values_equal_to_the_stored_ones_are_not_a_change(caseworker, case_a):
    case = case_update(
        actor=caseworker,
        case=case_a,
        expected_version=1,
        changes={"first_name": case_a.first_name, "exploitation_forms": case_a.exploitation_forms},
    )

    assert case.version == 1
    assert Case.objects.get(pk=case_a.pk).version == 1
    assert not CaseChange.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_UPDATE).exists()


def test_the_rights_plan_is_refreshed_after_an_edit(caseworker, case_a, monkeypatch):
    calls = []
    monkeypatch.setattr(
        editing_module,
        "rights_plan_refresh",
        lambda *, case, actor=None, today=None: calls.append((case.pk, case.version, actor)),
    )

    case_update(actor=caseworker, case=case_a, expected_version=1, changes={"unaccompanied": True})

    assert calls == [(case_a.pk, 2, caseworker)]


def test_every_editable_field_is_on_the_form():
    from vigie.cases.forms import CaseEditForm

    grouped = [name for _slug, _legend, names in CaseEditForm.FIELDSETS for name in names]
    assert grouped == list(EDITABLE_FIELDS)
    assert set(EDITABLE_FIELDS) <= set(CaseEditForm.base_fields)


# --- The optimistic lock ----------------------------------------------------------------------


def test_two_edits_from_the_same_version_the_second_gets_a_conflict_and_saves_nothing(
    caseworker, coordinator, case_a
):
    """Given two people who opened the file at version 1, when both save, then the second is
    refused with the current file, and the first one's value stays."""
    case_update(
        actor=coordinator, case=case_a, expected_version=1, changes={"first_name": "Mariam"}
    )

    with pytest.raises(CaseEditConflict) as raised:
        case_update(
            actor=caseworker,
            case=case_a,
            expected_version=1,
            changes={"first_name": "Awa", "languages": "wolof"},
        )

    assert raised.value.current.version == 2
    assert raised.value.current.first_name == "Mariam"
    assert raised.value.expected_version == 1
    stored = Case.objects.get(pk=case_a.pk)
    assert (stored.first_name, stored.languages, stored.version) == ("Mariam", "", 2)
    assert CaseChange.objects.filter(case=case_a).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CASE_UPDATE).count() == 1


def test_a_stale_version_is_refused_even_when_nothing_would_change(caseworker, case_a):
    case_update(actor=caseworker, case=case_a, expected_version=1, changes={"pregnant": True})

    with pytest.raises(CaseEditConflict):
        case_update(actor=caseworker, case=case_a, expected_version=1, changes={})


def test_the_update_itself_checks_the_version_in_the_database(case_a):
    """The UPDATE carries ``WHERE version = expected``: a writer whose read was stale changes
    nothing, whatever it read before."""
    Case.objects.filter(pk=case_a.pk).update(version=5)

    with pytest.raises(CaseEditConflict) as raised:
        case_version_write(case=case_a, expected_version=4, values={"languages": "tigrinya"})

    assert raised.value.current.version == 5
    assert Case.objects.get(pk=case_a.pk).languages == ""


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_edits_cannot_both_be_saved(org_a, monkeypatch):
    """Given two requests saving the same version at the same time (the first one still inside
    its transaction when the second starts), then exactly one is saved and the other gets the
    conflict with the first one's value: on SQLite (serialised writers) as on PostgreSQL (the
    row lock)."""
    case = CaseFactory(organisation=org_a)
    writers = [UserFactory(role="caseworker", organisation=org_a) for _ in range(2)]
    first_inside = threading.Event()
    release_first = threading.Event()

    def slow_refresh(*, case, actor=None, today=None):
        # The first writer waits here, after its UPDATE and before its commit.
        if actor.user == writers[0]:
            first_inside.set()
            assert release_first.wait(10)

    monkeypatch.setattr(editing_module, "rights_plan_refresh", slow_refresh)
    outcomes: dict[int, object] = {}

    def save(index: int, name: str) -> None:
        try:
            outcomes[index] = case_update(
                actor=Actor(user=writers[index]),
                case=case,
                expected_version=1,
                changes={"first_name": name},
            ).version
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    first = threading.Thread(target=save, args=(0, "Mariam"))
    first.start()
    assert first_inside.wait(10)
    second = threading.Thread(target=save, args=(1, "Awa"))
    second.start()
    second.join(0.5)  # the second writer is now waiting for the first one's lock
    release_first.set()
    first.join(20)
    second.join(20)

    assert outcomes[0] == 2
    assert isinstance(outcomes[1], CaseEditConflict), outcomes[1]
    assert outcomes[1].current.first_name == "Mariam"
    stored = Case.objects.get(pk=case.pk)
    assert (stored.first_name, stored.version) == ("Mariam", 2)
    assert CaseChange.objects.filter(case=case).count() == 1


# --- Rules ----------------------------------------------------------------------------------


def _refused(actor, case, **changes) -> dict[str, list[str]]:
    version = case.version
    with pytest.raises(ValidationError) as raised:
        case_update(actor=actor, case=case, expected_version=version, changes=changes)
    assert Case.objects.get(pk=case.pk).version == version
    assert not CaseChange.objects.filter(case=case).exists()
    return raised.value.message_dict


def test_a_birth_date_in_the_future_is_refused(caseworker, case_a):
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert set(_refused(caseworker, case_a, birth_date=tomorrow)) == {"birth_date"}


def test_a_birth_date_after_the_identification_is_refused(caseworker, org_a):
    case = CaseFactory(organisation=org_a, identified_on=date(2024, 5, 1))
    assert set(_refused(caseworker, case, birth_date=date(2024, 5, 2))) == {"birth_date"}


def test_a_birth_year_in_the_future_is_refused(caseworker, case_a):
    assert set(_refused(caseworker, case_a, birth_year=timezone.localdate().year + 1)) == {
        "birth_year"
    }


def test_the_exploitation_cannot_end_before_it_started(caseworker, case_a):
    errors = _refused(
        caseworker,
        case_a,
        exploitation_started_on=date(2025, 6, 1),
        exploitation_ended_on=date(2025, 5, 1),
    )
    assert set(errors) == {"exploitation_ended_on"}


def test_the_exploitation_period_is_saved_in_order(caseworker, case_a):
    case = case_update(
        actor=caseworker,
        case=case_a,
        expected_version=1,
        changes={
            "exploitation_started_on": date(2025, 5, 1),
            "exploitation_ended_on": date(2025, 6, 1),
            "exploitation_places": "Gare du Nord; Barbès",
        },
    )
    assert (case.exploitation_started_on, case.exploitation_ended_on) == (
        date(2025, 5, 1),
        date(2025, 6, 1),
    )
    assert case.exploitation_places == "Gare du Nord; Barbès"


def test_unknown_forms_of_exploitation_and_substances_are_refused_by_name(caseworker, case_a):
    errors = _refused(
        caseworker,
        case_a,
        exploitation_forms=["forced_labour", "organ_trade"],
        substances=["cannabis", "tea"],
    )
    assert set(errors) == {"exploitation_forms", "substances"}
    assert "organ_trade" in errors["exploitation_forms"][0]
    assert "tea" in errors["substances"][0]


def test_a_value_outside_a_list_of_choices_is_refused(caseworker, case_a):
    errors = _refused(caseworker, case_a, care_status="prison", schooling="university")
    assert set(errors) == {"care_status", "schooling"}


def test_a_negative_number_of_children_is_refused(caseworker, case_a):
    assert set(_refused(caseworker, case_a, children_count=-1)) == {"children_count"}


@pytest.mark.parametrize("field", ["status", "version", "organisation", "closed_reason"])
def test_fields_outside_the_edit_are_refused_by_name(caseworker, case_a, field):
    assert set(_refused(caseworker, case_a, **{field: "closed"})) == {field}


def test_the_legal_status_and_ad_hoc_administrator_are_saved(caseworker, case_a):
    case = case_update(
        actor=caseworker,
        case=case_a,
        expected_version=1,
        changes={
            "unaccompanied": True,
            "guardianship": "ase_guardianship",
            "legal_representative": "Service de l'ASE de Seine-Saint-Denis",
            "ad_hoc_administrator_requested_on": date(2025, 1, 10),
            "ad_hoc_administrator_appointed_on": date(2025, 2, 3),
            "ad_hoc_administrator_appointed_by": "Parquet de Bobigny",
            "ad_hoc_administrator_name": "Maître Dupont",
            "disability": True,
            "pregnant": True,
            "children_count": 1,
            "schooling": "waiting",
            "health_notes": "Suivi à l'UAPED",
        },
    )
    stored = Case.objects.get(pk=case.pk)
    assert stored.ad_hoc_administrator_appointed_on == date(2025, 2, 3)
    assert stored.ad_hoc_administrator_name == "Maître Dupont"
    assert stored.children_count == 1
    assert CaseChange.objects.get(case=case_a).fields == [
        "unaccompanied",
        "legal_representative",
        "guardianship",
        "ad_hoc_administrator_requested_on",
        "ad_hoc_administrator_appointed_on",
        "ad_hoc_administrator_appointed_by",
        "ad_hoc_administrator_name",
        "disability",
        "pregnant",
        "children_count",
        "health_notes",
        "schooling",
    ]


# --- Ages: the birth year and the month of majority follow the birth date ---------------------


def test_a_birth_date_sets_the_birth_year_and_the_month_of_majority(caseworker, org_a):
    case = CaseFactory(organisation=org_a, birth_year=None, majority_month=None)

    case = case_update(
        actor=caseworker, case=case, expected_version=1, changes={"birth_date": date(2010, 3, 14)}
    )

    assert case.birth_year == 2010
    assert case.majority_month == date(2028, 3, 1)
    assert CaseChange.objects.get(case=case).fields == ["birth_date", "birth_year"]


def test_a_disputed_age_moves_the_majority_to_the_end_of_the_year(caseworker, org_a):
    """While in doubt the young person is presumed a minor as long as the facts allow."""
    case = CaseFactory(organisation=org_a, birth_date=date(2010, 3, 14), birth_year=2010)

    case = case_update(
        actor=caseworker, case=case, expected_version=1, changes={"age_disputed": True}
    )
    assert case.majority_month == date(2028, 12, 1)

    case = case_update(
        actor=caseworker, case=case, expected_version=2, changes={"age_disputed": False}
    )
    assert case.majority_month == date(2028, 3, 1)


def test_a_birth_year_alone_gives_the_december_of_the_eighteenth_year(caseworker, case_a):
    case = case_update(
        actor=caseworker, case=case_a, expected_version=1, changes={"birth_year": 2011}
    )
    assert case.majority_month == date(2029, 12, 1)


def test_clearing_the_birth_date_keeps_the_year(caseworker, org_a):
    case = CaseFactory(organisation=org_a, birth_date=date(2010, 3, 14), birth_year=2010)
    case = case_update(
        actor=caseworker, case=case, expected_version=1, changes={"birth_date": None}
    )
    assert (case.birth_date, case.birth_year) == (None, 2010)
    assert case.majority_month == date(2028, 12, 1)


# --- Who may edit, and assignment ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["org_admin", "analyst"])
def test_roles_without_case_edit_cannot_edit(users, case_a, role):
    with pytest.raises(PermissionDenied):
        case_update(
            actor=Actor(user=users[(role, "a")]),
            case=case_a,
            expected_version=1,
            changes={"first_name": "X"},
        )


def test_another_organisation_cannot_edit(users, case_a):
    with pytest.raises(PermissionDenied):
        case_update(
            actor=Actor(user=users[("coordinator", "b")]),
            case=case_a,
            expected_version=1,
            changes={"first_name": "X"},
        )
    assert Case.objects.get(pk=case_a.pk).version == 1


def test_a_coordinator_assigns_a_caseworker_of_the_organisation(coordinator, users, case_a):
    worker = users[("caseworker", "a")]
    case = case_update(
        actor=coordinator, case=case_a, expected_version=1, changes={"assigned_to": worker}
    )
    assert case.assigned_to == worker
    assert CaseChange.objects.get(case=case_a).fields == ["assigned_to"]

    case = case_update(
        actor=coordinator, case=case, expected_version=2, changes={"assigned_to": None}
    )
    assert case.assigned_to is None


def test_a_caseworker_cannot_assign(caseworker, users, case_a):
    with pytest.raises(PermissionDenied):
        case_update(
            actor=caseworker,
            case=case_a,
            expected_version=1,
            changes={"assigned_to": users[("caseworker", "a")]},
        )


def test_a_caseworker_may_resend_the_current_assignment(caseworker, users, org_a):
    worker = users[("caseworker", "a")]
    case = CaseFactory(organisation=org_a, assigned_to=worker)
    case = case_update(
        actor=caseworker,
        case=case,
        expected_version=1,
        changes={"assigned_to": worker, "languages": "arabe"},
    )
    assert case.version == 2


@pytest.mark.parametrize(
    "who",
    ["other_organisation", "org_admin", "analyst", "inactive", "no_organisation"],
)
def test_a_file_is_assigned_only_to_an_active_case_worker_of_its_organisation(
    coordinator, users, org_a, case_a, who
):
    worker = {
        "other_organisation": lambda: users[("caseworker", "b")],
        "org_admin": lambda: users[("org_admin", "a")],
        "analyst": lambda: users[("analyst", "a")],
        "inactive": lambda: UserFactory(role="caseworker", organisation=org_a, is_active=False),
        "no_organisation": lambda: users[("platform_admin", None)],
    }[who]()
    assert set(_refused(coordinator, case_a, assigned_to=worker)) == {"assigned_to"}
    assert Case.objects.get(pk=case_a.pk).assigned_to is None


# --- The edit page ----------------------------------------------------------------------------


def test_the_edit_page_shows_the_file_in_fieldsets_with_its_version(users, case_a, client_for):
    response = client_for(users[("caseworker", "a")]).get(_edit_url(case_a), **ENGLISH)

    assert response.status_code == 200
    page = response.content.decode()
    for legend in ("Identity", "Age", "Family and legal status", "Care", "Situation"):
        assert f"<legend>{legend}</legend>" in page
    assert '<input type="hidden" name="version" value="1"' in page
    assert f'value="{case_a.last_name}"' in page
    # Assigning is a coordinator's decision: a caseworker's form has no such field.
    assert 'name="assigned_to"' not in page


def test_a_coordinator_can_choose_among_the_organisation_case_workers(
    users, org_a, case_a, client_for
):
    response = client_for(users[("coordinator", "a")]).get(_edit_url(case_a))
    form = response.context["form"]
    choices = set(form.fields["assigned_to"].queryset)
    assert choices == {users[("caseworker", "a")], users[("coordinator", "a")]}


def test_saving_the_edit_page_saves_and_goes_back_to_the_file(users, case_a, client_for):
    client = client_for(users[("caseworker", "a")])
    data = edit_form_data(case_a, first_name="Mariam", pregnant=True, children_count="1")

    response = client.post(_edit_url(case_a), data)

    assert response.status_code == 302
    assert response["Location"] == case_a.get_absolute_url()
    stored = Case.objects.get(pk=case_a.pk)
    assert (stored.first_name, stored.pregnant, stored.children_count) == ("Mariam", True, 1)
    assert CaseChange.objects.get(case=case_a).fields == [
        "first_name",
        "pregnant",
        "children_count",
    ]


def test_an_invalid_edit_is_shown_again_with_the_field_named(users, case_a, client_for):
    client = client_for(users[("caseworker", "a")])
    data = edit_form_data(
        case_a, exploitation_started_on="2025-06-01", exploitation_ended_on="2025-05-01"
    )

    response = client.post(_edit_url(case_a), data)

    assert response.status_code == 422
    assert response.context["form"].errors.keys() == {"exploitation_ended_on"}
    assert Case.objects.get(pk=case_a.pk).version == 1


def test_a_stale_edit_gets_the_conflict_page_with_both_versions_and_nothing_saved(
    users, coordinator, case_a, client_for
):
    """Given a caseworker who opened the form at version 1 while a coordinator then saved a new
    first name, when the caseworker saves another first name, then: 409, a table with the
    caseworker's value and the current one, the form holding the caseworker's values at the
    current version, and the file unchanged."""
    client = client_for(users[("caseworker", "a")])
    data = edit_form_data(case_a, first_name="Awa", languages="wolof")
    case_update(
        actor=coordinator, case=case_a, expected_version=1, changes={"first_name": "Mariam"}
    )

    response = client.post(_edit_url(case_a), data, **ENGLISH)

    assert response.status_code == 409
    rows = {row["label"]: (row["yours"], row["current"]) for row in response.context["differences"]}
    assert rows == {"First name": ("Awa", "Mariam"), "Languages spoken": ("wolof", "—")}
    page = response.content.decode()
    assert "<td>Awa</td><td>Mariam</td>" in page
    form = response.context["form"]
    assert form.initial["version"] == 2
    assert form.initial["first_name"] == "Awa"
    assert form.initial["languages"] == "wolof"
    assert '<input type="hidden" name="version" value="2"' in page
    assert 'value="Awa"' in page
    # What changed since, and by whom.
    [since] = response.context["edits_since"]
    assert since.by == coordinator.user
    assert since.fields == ["First name"]
    stored = Case.objects.get(pk=case_a.pk)
    assert (stored.first_name, stored.languages, stored.version) == ("Mariam", "", 2)
    assert CaseChange.objects.filter(case=case_a).count() == 1


def test_sending_the_conflict_form_again_saves_the_chosen_values(
    users, coordinator, case_a, client_for
):
    client = client_for(users[("caseworker", "a")])
    stale = edit_form_data(case_a, first_name="Awa")
    case_update(
        actor=coordinator, case=case_a, expected_version=1, changes={"languages": "soninké"}
    )
    conflict = client.post(_edit_url(case_a), stale)
    assert conflict.status_code == 409
    resent = conflict.context["form"].initial

    response = client.post(
        _edit_url(case_a), edit_form_data(Case.objects.get(pk=case_a.pk), **resent)
    )

    assert response.status_code == 302
    stored = Case.objects.get(pk=case_a.pk)
    assert (stored.first_name, stored.version) == ("Awa", 3)
    # The conflict page showed the languages as differing; sent as they were, they are reverted
    # knowingly, and the history says so.
    assert CaseChange.objects.get(version=3).fields == ["first_name", "languages"]


def test_the_edit_pages_of_another_organisation_are_404(users, case_b, client_for):
    client = client_for(users[("coordinator", "a")])
    assert client.get(_edit_url(case_b)).status_code == 404
    assert client.post(_edit_url(case_b), edit_form_data(case_b, first_name="X")).status_code == 404
    assert Case.objects.get(pk=case_b.pk).version == 1


def test_a_referred_file_is_neither_read_nor_edited_by_the_other_organisation(
    users, org_b, case_a, client_for
):

    full_referral_for_tests(case_a, org_b)
    client = client_for(users[("caseworker", "b")])
    assert client.get(case_a.get_absolute_url()).status_code == 404
    assert client.post(_edit_url(case_a), edit_form_data(case_a, first_name="X")).status_code == 404


def test_the_case_page_shows_the_new_fields_and_the_presumption(users, org_a, client_for):
    case = CaseFactory(
        organisation=org_a,
        birth_year=timezone.localdate().year - 17,
        age_disputed=True,
        languages="tigrinya",
        ad_hoc_administrator_requested_on=date(2025, 1, 10),
        substances=["pregabalin"],
        schooling="training",
        children_count=1,
    )
    response = client_for(users[("caseworker", "a")]).get(case.get_absolute_url(), **ENGLISH)

    page = response.content.decode()
    assert "Presumed a minor while in doubt" in page
    assert "tigrinya" in page
    assert "not appointed yet" in page
    assert "Pregabalin (Lyrica)" in page
    assert "In training or apprenticeship" in page
    assert _edit_url(case) in page
    assert reverse("cases:history", kwargs={"case_uuid": case.uuid}) in page
    ids = [chunk.split('"', 1)[0] for chunk in page.split(' id="')[1:]]
    assert len(ids) == len(set(ids)), "duplicate ids on the case page"


def test_a_known_adult_is_not_presumed_a_minor(users, org_a, client_for):
    case = CaseFactory(organisation=org_a, birth_date=date(2000, 1, 1), birth_year=2000)
    page = client_for(users[("caseworker", "a")]).get(case.get_absolute_url(), **ENGLISH)
    assert "Presumed a minor while in doubt" not in page.content.decode()


# --- In the browser -------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_stale_edit_shows_the_conflict_page_in_the_browser(
    page, visit, axe_check, browser_sign_in, allow_console_error
):
    """A caseworker edits while a colleague saves the same file: the conflict page shows both
    names; sending the caseworker's version again saves it."""
    organisation = OrganisationFactory(name="Association du Nord")
    caseworker = UserFactory(role="caseworker", organisation=organisation)
    colleague = UserFactory(role="coordinator", organisation=organisation)
    case = CaseFactory(organisation=organisation, first_name="Aminata")
    browser_sign_in(caseworker)
    allow_console_error("status of 409")

    visit(_edit_url(case))
    page.fill("input[name=first_name]", "Awa")
    case_update(
        actor=Actor(user=colleague), case=case, expected_version=1, changes={"first_name": "Mariam"}
    )
    with page.expect_navigation() as navigation:
        page.click("main form button[type=submit]")
    assert navigation.value.status == 409
    axe_check(page)

    expect(page.locator("main table tbody tr").first).to_contain_text("Awa")
    expect(page.locator("main table tbody tr").first).to_contain_text("Mariam")
    expect(page.locator("input[name=first_name]")).to_have_value("Awa")
    expect(page.locator("input[name=version]")).to_have_value("2")
    assert Case.objects.get(pk=case.pk).first_name == "Mariam"

    submit_main_form(page)
    axe_check(page)
    assert page.url.endswith(case.get_absolute_url())
    stored = Case.objects.get(pk=case.pk)
    assert (stored.first_name, stored.version) == ("Awa", 3)


def test_a_departed_assignee_is_not_dropped_by_saving_another_field(users, org_a, client_for):
    """Given a file assigned to someone since disabled, when a coordinator saves another field,
    then the file is still assigned to them: nobody chose to unassign it."""
    departed = UserFactory(role="caseworker", organisation=org_a)
    case = CaseFactory(organisation=org_a, assigned_to=departed)
    departed.is_active = False
    departed.save()
    client = client_for(users[("coordinator", "a")])

    response = client.post(_edit_url(case), edit_form_data(case, languages="dari"))

    assert response.status_code == 302
    stored = Case.objects.get(pk=case.pk)
    assert (stored.assigned_to, stored.languages) == (departed, "dari")
    assert CaseChange.objects.get(case=case).fields == ["languages"]
