from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import models
from django.test import override_settings

from vigie.accounts.models import Organisation, User
from vigie.accounts.roles import Role
from vigie.cases.ages import majority_month
from vigie.cases.models import (
    ACTIVE_STATUSES,
    AgeAppeal,
    AgeAssessment,
    Case,
    CaseStatus,
    CaseStatusChange,
    Placement,
)
from vigie.cases.services.status import ALLOWED_MOVES, CloseReason
from vigie.demo import services
from vigie.demo.services import demo_load
from vigie.rights.models import OPEN_STATES, RightItem

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def _snapshot() -> list[tuple]:
    return list(
        Case.objects.order_by("reference").values_list(
            "reference",
            "uuid",
            "organisation__name",
            "gender",
            "nationality",
            "birth_year",
            "exploitation_forms",
            "identified_on",
            "unaccompanied",
            "age_disputed",
            "care_status",
            "status",
            "closed_reason",
            "assigned_to__email",
            "majority_month",
            "next_due_on",
            "last_contact_on",
            "archived_at",
            "guardianship",
            "languages",
        )
    )


def _events_snapshot() -> list[tuple]:
    return sorted(
        [
            ("placement", *row)
            for row in Placement.objects.values_list(
                "uuid", "case__reference", "kind", "started_on", "ended_on"
            )
        ]
        + [
            ("right", *row)
            for row in RightItem.objects.values_list(
                "uuid", "case__reference", "right_id", "state", "due_on"
            )
        ]
        + [
            ("move", *row)
            for row in CaseStatusChange.objects.values_list(
                "uuid", "case__reference", "to_status", "created_at"
            )
        ]
    )


def test_demo_creates_every_kind_of_organisation_and_every_role():
    demo_load(cases=20, seed=1, today=TODAY)
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {"association", "ase", "pjj", "uaped", "siao"} <= kinds
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert Case.objects.count() == 20


def test_demo_is_deterministic_for_a_seed():
    demo_load(cases=200, seed=7, today=TODAY)
    first = _snapshot()
    Case.objects.all().delete()
    demo_load(cases=200, seed=7, today=TODAY)
    assert _snapshot() == first
    names = {(c.first_name, c.last_name) for c in Case.objects.order_by("reference")[:5]}
    assert all(first_name and last_name for first_name, last_name in names)


def test_demo_is_idempotent_and_extends_to_a_larger_count():
    demo_load(cases=50, seed=3, today=TODAY)
    result = demo_load(cases=50, seed=3, today=TODAY)
    assert result.cases_created == 0
    assert Case.objects.count() == 50
    before = _snapshot()
    result = demo_load(cases=80, seed=3, today=TODAY)
    assert result.cases_created == 30
    assert _snapshot()[:50] == before


def test_demo_situations_are_varied_as_in_the_seed_reports():
    demo_load(cases=1000, seed=1, today=TODAY)
    forms = {
        form
        for forms in Case.objects.values_list("exploitation_forms", flat=True)
        for form in forms
    }
    assert {
        "sexual_exploitation",
        "forced_criminality",
        "forced_begging",
        "forced_labour",
        "online_sexual_exploitation",
    } <= forms
    years = list(Case.objects.values_list("birth_year", flat=True))
    ages = {TODAY.year - year for year in years if year is not None}
    assert 0 < years.count(None) < len(years) / 10  # a few ages unknown
    assert min(ages) <= 2 and max(ages) >= 19
    assert Case.objects.filter(unaccompanied=True).count() > 100
    assert Case.objects.filter(age_disputed=True).exists()
    assert set(Case.objects.values_list("care_status", flat=True)) == {"ase", "pjj", "both", "none"}
    # Seed §I: forced criminality mostly concerns boys; §III: sexual exploitation mostly girls.
    rows = list(Case.objects.values_list("exploitation_forms", "gender"))
    criminality = [gender for forms, gender in rows if forms == ["forced_criminality"]]
    sexual = [gender for forms, gender in rows if forms == ["sexual_exploitation"]]
    assert criminality.count("boy") > len(criminality) / 2
    assert sexual.count("girl") > len(sexual) / 2


def test_demo_command_prints_logins_and_refuses_in_production_settings(capsys):
    call_command("demo", "--cases", "5", "--print-logins")
    out = capsys.readouterr().out
    assert "intervenante@horizon.demo.invalid" in out
    assert "TOTP " in out
    with override_settings(VIGIE_ALLOW_DEMO_DATA=False), pytest.raises(Exception, match="refused"):
        call_command("demo", "--cases", "5")


def test_if_empty_does_not_touch_an_existing_database():
    Organisation.objects.create(name="Real organisation", kind="association")
    call_command("demo", "--if-empty", "--cases", "5")
    assert Case.objects.count() == 0


def test_worker_processes_give_the_same_files(monkeypatch):
    """Files are drawn from their own random streams: batches prepared in other processes, in
    any number, give the same data as one process."""
    monkeypatch.setattr(services, "BATCH_SIZE", 7)
    demo_load(cases=30, seed=5, today=TODAY, workers=0)
    alone = (_snapshot(), _events_snapshot())
    Case.objects.all().delete()

    demo_load(cases=30, seed=5, today=TODAY, workers=2)

    assert (_snapshot(), _events_snapshot()) == alone
    assert len(alone[1]) > 30


@pytest.fixture(scope="module")
def story_cases(django_db_setup, django_db_blocker):
    """1,000 demo files shared by the tests reading them (generation is the slow part)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            demo_load(cases=1000, seed=11, today=TODAY)
            yield
            transaction.set_rollback(True)


def test_statuses_follow_the_state_machine_and_closed_files_say_why(story_cases):
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    for case in Case.objects.prefetch_related("status_changes"):
        moves = sorted(case.status_changes.all(), key=lambda m: m.created_at)
        current = "open"
        for move in moves:
            assert move.from_status == current
            assert move.to_status in ALLOWED_MOVES[current], (case.reference, current, move)
            current = move.to_status
        assert current == case.status
        if case.status == "closed":
            assert case.closed_at == moves[-1].created_at
            assert case.closed_reason in CloseReason.values
        else:
            assert case.closed_at is None and case.closed_reason == ""


def test_dates_and_ages_agree_with_the_presumption_of_minority(story_cases):
    for case in Case.objects.all()[:300]:
        assert case.majority_month == majority_month(
            birth_date=case.birth_date, birth_year=case.birth_year, disputed=case.age_disputed
        )
        assert case.identified_on <= case.last_contact_on <= TODAY
        # Retention (CNIL 2022-008): two years without contact, the file is archived.
        archived = (TODAY - case.last_contact_on).days > 730
        assert (case.archived_at is not None) == archived
        if case.ad_hoc_administrator_appointed_on:
            assert case.ad_hoc_administrator_requested_on <= case.ad_hoc_administrator_appointed_on
            assert case.ad_hoc_administrator_name
        assert case.languages
    assert Case.objects.filter(archived_at__isnull=False).exists()
    assert Case.objects.filter(
        ad_hoc_administrator_requested_on__isnull=False,
        ad_hoc_administrator_appointed_on__isnull=True,
    ).exists()


def test_files_are_spread_over_the_organisations_caseworkers(story_cases):
    assigned = Case.objects.filter(assigned_to__isnull=False)
    assert assigned.count() > 800
    assert Case.objects.filter(assigned_to__isnull=True).exists()
    assert not assigned.exclude(assigned_to__organisation=models.F("organisation")).exists()
    assert set(assigned.values_list("assigned_to__role", flat=True)) == {"caseworker"}
    per_organisation = assigned.values("organisation").annotate(
        workers=models.Count("assigned_to", distinct=True)
    )
    assert min(row["workers"] for row in per_organisation) >= 5


def test_placements_include_hotels_and_disputed_ages_their_assessments(story_cases):
    assert Placement.objects.filter(kind="hotel").exists()
    assert not Placement.objects.filter(ended_on__lt=models.F("started_on")).exists()
    active = Case.objects.filter(status__in=ACTIVE_STATUSES)
    current = Placement.objects.filter(case__in=active, ended_on__isnull=True)
    assert current.values("case").annotate(n=models.Count("pk")).filter(n__gt=1).count() == 0
    disputed = Case.objects.filter(age_disputed=True)
    assert disputed.exists()
    assessed_by_now = disputed.filter(identified_on__lt=TODAY - timedelta(days=40))
    assert not assessed_by_now.exclude(pk__in=AgeAssessment.objects.values("case")).exists()
    assert AgeAppeal.objects.filter(decided_on__isnull=True).exists()


def test_next_due_on_is_the_earliest_open_right_of_the_rights_plan(story_cases):
    """The plan comes from the rights plan's own evaluation (vigie/rights/plan.py)."""
    assert RightItem.objects.filter(right_id="ad_hoc_administrator").exists()
    assert {"to_do", "in_progress", "done"} <= set(
        RightItem.objects.values_list("state", flat=True)
    )
    for case in Case.objects.prefetch_related("rights")[:300]:
        open_due = [r.due_on for r in case.rights.all() if r.state in OPEN_STATES and r.due_on]
        if case.status in ACTIVE_STATUSES and case.archived_at is None:
            assert case.next_due_on == min(open_due, default=None)
        else:
            assert case.next_due_on is None
    overdue = Case.objects.filter(next_due_on__lt=TODAY).count()
    assert 0 < overdue < Case.objects.filter(status__in=ACTIVE_STATUSES).count()


def test_demo_directory_and_places_are_fictional_and_say_so():
    """Demo contacts and places must never pass for real ones: a worker could call a number."""
    from vigie.network.models import AccommodationPlace, DirectoryEntry

    demo_load(cases=5, seed=1, today=TODAY)
    entries = list(DirectoryEntry.objects.all())
    places = list(AccommodationPlace.objects.all())

    assert len(entries) >= 100
    assert all(e.is_fictional and e.name.startswith("Fictif") for e in entries)
    assert all(e.email.endswith("@example.org") for e in entries if e.email)
    assert places
    assert all(p.name.startswith("Fictif") and p.kind != "hotel" for p in places)

    demo_load(cases=5, seed=1, today=TODAY)
    assert DirectoryEntry.objects.count() == len(entries)
    assert AccommodationPlace.objects.count() == len(places)
