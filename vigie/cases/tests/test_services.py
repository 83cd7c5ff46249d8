"""case_open: who may open a file, what it refuses, and the identifiers it derives."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.cases.models import Case
from vigie.cases.services import case_open, full_name_index

pytestmark = pytest.mark.django_db

# Year of identification, then six characters from an alphabet without look-alikes (0/O, 1/I).
REFERENCE = re.compile(r"^(?P<year>\d{4})-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$")


@pytest.fixture
def caseworker(users):
    return Actor(user=users[("caseworker", "a")], ip_address="192.0.2.1")


def test_a_caseworker_opens_a_case_in_their_own_organisation(caseworker, org_a):
    case = case_open(
        actor=caseworker,
        first_name="Aminata",
        last_name="Diallo",
        birth_date=date(2010, 3, 14),
        nationality="ml",
        exploitation_forms=["sexual_exploitation", "forced_begging", "sexual_exploitation"],
    )

    case.refresh_from_db()
    assert case.organisation == org_a
    assert case.created_by == caseworker.user
    assert case.birth_year == 2010
    assert case.nationality == "ML"
    assert case.exploitation_forms == ["forced_begging", "sexual_exploitation"]
    event = AuditEvent.objects.get(action=AuditAction.CASE_CREATE)
    assert event.object_uuids == [str(case.uuid)]
    assert event.actor_uuid == caseworker.user.uuid


def test_an_unknown_form_of_exploitation_is_refused_by_name(caseworker):
    with pytest.raises(ValidationError) as raised:
        case_open(actor=caseworker, exploitation_forms=["forced_labour", "organ_trade"])

    assert set(raised.value.message_dict) == {"exploitation_forms"}
    assert "organ_trade" in raised.value.message_dict["exploitation_forms"][0]
    assert not Case.objects.exists()


def test_a_birth_date_in_the_future_is_refused(caseworker):
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ValidationError) as raised:
        case_open(actor=caseworker, birth_date=tomorrow)

    assert set(raised.value.message_dict) == {"birth_date"}
    assert not Case.objects.exists()


def test_a_birth_date_after_the_identification_is_refused(caseworker):
    with pytest.raises(ValidationError) as raised:
        case_open(actor=caseworker, birth_date=date(2020, 6, 2), identified_on=date(2020, 6, 1))

    assert set(raised.value.message_dict) == {"birth_date"}


def test_a_birth_date_on_the_day_of_identification_is_accepted(caseworker):
    today = timezone.localdate()
    assert case_open(actor=caseworker, birth_date=today).birth_date == today


@pytest.mark.parametrize("role", ["caseworker", "coordinator"])
def test_case_roles_may_open_a_case(role, users):
    assert case_open(actor=Actor(user=users[(role, "a")])).pk is not None


@pytest.mark.parametrize(
    "key", [("analyst", "a"), ("org_admin", "a"), ("platform_admin", None)], ids=str
)
def test_roles_without_case_work_cannot_open_a_case(key, users):
    with pytest.raises(PermissionDenied):
        case_open(actor=Actor(user=users[key]), first_name="Aminata")

    assert not Case.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_system_cannot_open_a_case_without_a_person():
    with pytest.raises(PermissionDenied):
        case_open(actor=Actor(user=None))


def test_a_disabled_caseworker_cannot_open_a_case(users):
    user = users[("caseworker", "a")]
    user.is_active = False
    user.save()

    with pytest.raises(PermissionDenied):
        case_open(actor=Actor(user=user))


def test_the_reference_is_pseudonymous(caseworker):
    cases = [
        case_open(
            actor=caseworker,
            first_name="Aminata",
            last_name="Diallo",
            identified_on=date(2024, 11, 5),
        )
        for _ in range(5)
    ]

    for case in cases:
        match = REFERENCE.match(case.reference)
        assert match, case.reference
        assert match["year"] == "2024"
    # Random, not derived from the child: the same child opened twice gets two references.
    assert len({case.reference for case in cases}) == len(cases)


@pytest.mark.parametrize(
    ("first_name", "last_name"),
    [
        ("aminata", "diallo"),
        ("AMINATA", "DIALLO"),
        ("Àminata", "Diallô"),
        ("  Aminata ", "  Diallo "),
    ],
)
def test_the_name_index_finds_a_child_already_known(caseworker, first_name, last_name):
    known = case_open(actor=caseworker, first_name="Aminata", last_name="Diallo")
    case_open(actor=caseworker, first_name="Aminata", last_name="Diallou")

    found = Case.objects.filter(name_index=full_name_index(first_name, last_name))

    assert list(found) == [known]


def test_the_name_index_does_not_store_the_name(caseworker):
    case = case_open(actor=caseworker, first_name="Aminata", last_name="Diallo")

    assert re.fullmatch(r"[0-9a-f]{64}", case.name_index)
    assert "aminata" not in case.name_index.casefold()


def test_a_case_without_a_name_has_no_name_index(caseworker):
    # Otherwise every anonymous file would be a "duplicate" of every other.
    assert case_open(actor=caseworker).name_index == ""
