"""The ads pages' URL matrix (conventions_ads.ROUTES), cell by cell, until the project-wide
matrix (vigie/core/tests/test_authorisation_matrix.py) includes it."""

import pytest
from django.urls import reverse

from vigie.core.tests.test_authorisation_matrix import (  # noqa: F401 (the world fixture)
    _actor,
    _describe,
    _matches,
    _send,
    world,
)
from vigie.core.tests.url_matrix import OTHER, OWN, ROLES

from .conventions_ads import ROUTES

pytestmark = pytest.mark.django_db


def _cells():
    for name, route in ROUTES.items():
        for index, probe in enumerate(route.probes):
            for role in ROLES:
                answer = probe.expect[role]
                scoped = (
                    zip((OWN, OTHER), answer, strict=True)
                    if isinstance(answer, tuple)
                    else [(OWN, answer)]
                )
                for scope, expected in scoped:
                    yield pytest.param(
                        name, probe, role, scope, expected, id=f"{name}-{index}-{role}-{scope}"
                    )


@pytest.mark.parametrize(("name", "probe", "role", "scope", "expected"), list(_cells()))
def test_cell(name, probe, role, scope, expected, world, users, client_for):  # noqa: F811
    actor = _actor(users, role)
    builder = ROUTES[name].kwargs
    url = reverse(name, kwargs=builder(world, actor, scope) if builder else None)
    response = _send(client_for(actor), probe, url)
    assert _matches(response, expected), f"{name} {role} {scope}: {_describe(response)}"
