from datetime import date

import pytest
from django.core.management import call_command
from django.test import override_settings

from vigie.accounts.models import Organisation, User
from vigie.accounts.roles import Role
from vigie.cases.models import Case
from vigie.demo.services import demo_load

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
        )
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
    ages = {TODAY.year - year for year in Case.objects.values_list("birth_year", flat=True)}
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
