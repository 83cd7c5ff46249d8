"""Every URL of Vigie against the authorisation matrix (url_matrix.py), cell by cell."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from vigie.audit.models import AuditEvent
from vigie.tests_support.factories import TEST_PASSWORD, UserFactory

from .url_matrix import (
    MATRIX,
    OK,
    OTHER,
    OWN,
    ROLES,
    Answer,
    Probe,
    Redirect,
    World,
    iter_url_patterns,
)

pytestmark = pytest.mark.django_db


def _cells():
    for name, route in MATRIX.items():
        for index, probe in enumerate(route.probes):
            for role in ROLES:
                answer = probe.expect[role]
                if isinstance(answer, tuple):
                    for scope, scoped_answer in zip((OWN, OTHER), answer, strict=True):
                        yield pytest.param(
                            name,
                            probe,
                            role,
                            scope,
                            scoped_answer,
                            id=f"{name}-{index}{probe.method}-{role}-{scope}",
                        )
                else:
                    yield pytest.param(
                        name, probe, role, OWN, answer, id=f"{name}-{index}{probe.method}-{role}"
                    )


def _probes():
    for name, route in MATRIX.items():
        for index, probe in enumerate(route.probes):
            yield pytest.param(name, probe, id=f"{name}-{index}{probe.method}")


def _send(client: Client, probe: Probe, url: str, **extra):
    if probe.method == "GET":
        return client.get(url, **extra)
    if probe.method == "POST":
        return client.post(url, probe.data, **extra)
    raise AssertionError(f"No way to send {probe.method}")


def _describe(response) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code} to {response['Location']}"
    return str(response.status_code)


def _matches(response, expected: Answer) -> bool:
    if isinstance(expected, Redirect):
        if response.status_code != 302:
            return False
        try:
            match = resolve(urlsplit(response["Location"]).path)
        except Resolver404:
            return False
        return match.view_name == expected.view_name
    return response.status_code == expected


def _url(name: str, world: World, actor, scope: str) -> str:
    builder = MATRIX[name].kwargs
    return reverse(name, kwargs=builder(world, actor, scope) if builder else None)


@pytest.fixture
def world(users, org_a, org_b, case_a, case_b) -> World:
    return World(
        cases={OWN: case_a, OTHER: case_b},
        members={
            OWN: UserFactory(role="caseworker", organisation=org_a),
            OTHER: UserFactory(role="caseworker", organisation=org_b),
        },
    )


def _actor(users, role: str):
    return users[(role, None)] if role == "platform_admin" else users[(role, "a")]


def test_every_url_of_the_project_is_in_the_matrix():
    declared = set(MATRIX)
    existing = {entry.name for entry in iter_url_patterns()}
    missing = sorted(existing - declared)
    assert not missing, f"URLs with no declared access rules in url_matrix.py: {missing}"


def test_the_matrix_declares_no_url_that_no_longer_exists():
    existing = {entry.name for entry in iter_url_patterns()}
    stale = sorted(set(MATRIX) - existing)
    assert not stale, f"url_matrix.py declares URLs that do not exist any more: {stale}"


def test_the_url_walk_sees_nested_namespaces():
    # Guards the two tests above: a walk that found nothing would let every URL through.
    names = {entry.name for entry in iter_url_patterns()}
    assert {"core:home", "accounts:login", "cases:detail"} <= names


@pytest.mark.parametrize(("name", "probe", "role", "scope", "expected"), list(_cells()))
def test_signed_in_user_of_organisation_a(
    name, probe, role, scope, expected, world, users, client_for
):
    """Given a fully signed-in user of organisation A, when they request the URL for an object of
    their own or of the other organisation, then they get exactly the declared answer."""
    actor = _actor(users, role)
    client = client_for(actor)
    response = _send(client, probe, _url(name, world, actor, scope))
    assert _matches(response, expected), (
        f"{probe.method} {name} as {role} on {scope} object: "
        f"expected {expected}, got {_describe(response)}"
    )


@pytest.mark.parametrize(("name", "probe"), list(_probes()))
def test_anonymous_visitor(name, probe, world, users):
    response = _send(Client(), probe, _url(name, world, _actor(users, "caseworker"), OWN))
    assert _matches(response, probe.anonymous), (
        f"anonymous {probe.method} {name}: expected {probe.anonymous}, got {_describe(response)}"
    )


@pytest.mark.parametrize(
    ("enrolled", "second_factor_page"),
    [(True, "accounts:mfa_verify"), (False, "accounts:mfa_enrol")],
    ids=["enrolled", "not-enrolled"],
)
def test_password_alone_reaches_no_page_but_the_second_factor_step(
    enrolled, second_factor_page, world, org_a
):
    """Given a coordinator who typed the password but not the second factor, every URL but the
    few exempt ones sends them to the second-factor step, and no case file is read."""
    coordinator = UserFactory(role="coordinator", organisation=org_a, totp=enrolled)
    problems = []
    for name, route in MATRIX.items():
        for probe in route.probes:
            client = Client()  # a fresh session each time: logout ends the previous one
            signed = client.post(
                reverse("accounts:login"),
                {"username": coordinator.email, "password": TEST_PASSWORD},
            )
            assert signed.status_code == 302
            url = reverse(
                name, kwargs=route.kwargs(world, coordinator, OWN) if route.kwargs else None
            )
            response = _send(client, probe, url)
            # Unless the probe says otherwise: the second-factor page itself opens, every other
            # page leads to it.
            expected = probe.before_mfa or (
                OK if name == second_factor_page else Redirect(second_factor_page)
            )
            if not _matches(response, expected):
                problems.append(
                    f"{probe.method} {name}: expected {expected}, got {_describe(response)}"
                )
    assert not problems, "\n".join(problems)
    assert not AuditEvent.objects.filter(actor_uuid=coordinator.uuid).exists()
