"""`vigie network sweep`: lapsed holds end, holders are warned once (services/places.py)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from vigie.audit.models import AuditAction, AuditEvent
from vigie.network.models import HoldStatus, Notification, NotificationKind
from vigie.network.services.places import hold_url, place_holds_sweep
from vigie.tests_support.factories_places import PlaceHoldFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(users):
    return users[("caseworker", "a")]


def _hold(holder, case, hours):
    return PlaceHoldFactory(
        case=case, created_by=holder, expires_at=timezone.now() + timedelta(hours=hours)
    )


def test_a_lapsed_hold_expires_and_its_holder_is_told(holder, case_a, clock):
    hold = _hold(holder, case_a, hours=-1)

    report = place_holds_sweep(now=timezone.now())

    hold.refresh_from_db()
    assert (report.expired, hold.status) == (1, HoldStatus.EXPIRED)
    notification = Notification.objects.get(recipient=holder)
    assert notification.kind == NotificationKind.HOLD_EXPIRED
    assert notification.url == hold_url(hold)
    event = AuditEvent.objects.get(action=AuditAction.PLACE_HOLD_RELEASE)
    assert event.reason_code == "expired" and str(case_a.uuid) in event.object_uuids


def test_a_hold_lapsing_within_a_day_warns_its_holder_once(
    holder, case_a, clock, django_capture_on_commit_callbacks
):
    soon = _hold(holder, case_a, hours=20)
    later = _hold(holder, case_a, hours=30)

    with django_capture_on_commit_callbacks(execute=True):
        first = place_holds_sweep(now=timezone.now())
    clock.shift(timedelta(hours=1))
    second = place_holds_sweep(now=timezone.now())

    assert (first.warned, second.warned) == (1, 0)
    warnings = Notification.objects.filter(kind=NotificationKind.HOLD_EXPIRING)
    assert [n.url for n in warnings] == [hold_url(soon)]
    assert len(mail.outbox) == 1
    later.refresh_from_db()
    assert later.status == HoldStatus.HELD


def test_the_sweep_is_idempotent(holder, case_a, clock):
    _hold(holder, case_a, hours=-2)
    _hold(holder, case_a, hours=5)
    place_holds_sweep(now=timezone.now())
    count = Notification.objects.count()

    again = place_holds_sweep(now=timezone.now())

    assert (again.expired, again.warned) == (0, 0)
    assert Notification.objects.count() == count == 2


def test_ended_holds_are_left_alone(holder, case_a, clock):
    released = _hold(holder, case_a, hours=-3)
    released.status = HoldStatus.RELEASED
    released.save()
    report = place_holds_sweep(now=timezone.now())
    released.refresh_from_db()
    assert (report.expired, released.status) == (0, HoldStatus.RELEASED)


def test_the_command_prints_its_counts(holder, case_a, clock):
    _hold(holder, case_a, hours=-1)
    _hold(holder, case_a, hours=3)
    out = StringIO()
    call_command("network", "sweep", stdout=out)
    assert out.getvalue().startswith("1 holds expired, 1 holders warned")
