"""Fixtures shared by every app's tests: a user per role in two organisations, signed-in clients."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigie.accounts.models import User
from vigie.tests_support.auth import sign_in_directly
from vigie.tests_support.factories import (
    CaseFactory,
    OrganisationFactory,
    UserFactory,
    audit_trail_reset_for_tests,
)

pytest_plugins = ["vigie.tests_support.browser"]


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="Organisation A")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Organisation B")


@pytest.fixture
def users(org_a, org_b):
    """users[(role, "a"|"b")] for every role; the platform admin has no organisation."""
    result = {}
    for role in ("caseworker", "coordinator", "org_admin", "analyst"):
        result[(role, "a")] = UserFactory.build(role=role, organisation=org_a)
        result[(role, "b")] = UserFactory.build(role=role, organisation=org_b)
    result[("platform_admin", None)] = UserFactory.build(role="platform_admin", organisation=None)
    # Two queries instead of twenty-seven: most tests start here.
    User.objects.bulk_create(result.values())
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name="TOTP", confirmed=True) for user in result.values()
    )
    return result


@pytest.fixture
def case_a(org_a):
    return CaseFactory(organisation=org_a)


@pytest.fixture
def case_b(org_b):
    return CaseFactory(organisation=org_b)


@pytest.fixture
def client_for():
    """client_for(user) -> a Client signed in with password and second factor."""

    def make(user) -> Client:
        client = Client()
        sign_in_directly(client, user)
        return client

    return make


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request with Accept-Language: en leaves English active in the thread (LocaleMiddleware
    activates, nothing deactivates): the next test would read its messages in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _audit_trail_flushable(request):
    """Lets transactional and live-server tests end: see audit_trail_reset_for_tests."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"live_server", "transactional_db"} & set(request.fixturenames)
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")  # set up first, so flushed after our teardown
    yield
    audit_trail_reset_for_tests()


# A TOTP step boundary on a weekday morning: shifting by 30 s always reaches the next code.
CLOCK_START = datetime(2026, 3, 2, 8, 0, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    """A frozen clock at CLOCK_START that tests move with clock.shift(timedelta)."""
    with time_machine.travel(CLOCK_START, tick=False) as traveller:
        yield traveller
