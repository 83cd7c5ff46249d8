"""Every API operation, walked from the schema: none opens without a token, a page's session
cookie, or the scope it declares. A new operation is covered here by the mere fact of existing
(ScopedRouter refuses one that declares no scope)."""

import re
import uuid

import pytest
from django.test import Client

from vigie.api.api import api
from vigie.api.scopes import ApiScope, scopes_available_to
from vigie.tests_support.api import api_client_for

pytestmark = pytest.mark.django_db

_METHODS = ("get", "post", "put", "patch", "delete")


def _operations() -> list[tuple[str, str, str]]:
    schema = api.get_openapi_schema()
    found = []
    for path, item in schema["paths"].items():
        for method in _METHODS:
            if method in item:
                found.append((method, path, item[method]["x-vigie-scope"]))
    return found


OPERATIONS = _operations()


def _url(path: str) -> str:
    # Authentication and scope are checked before anything is looked up: any value will do.
    return re.sub(r"\{(\w+)\}", lambda m: str(uuid.uuid4()) if "uuid" in m[1] else "x", path)


def _call(client: Client, method: str, path: str):
    if method == "get":
        return client.get(_url(path))
    return getattr(client, method)(_url(path), "{}", content_type="application/json")


def test_every_operation_declares_a_known_scope():
    assert OPERATIONS
    for _method, _path, scope in OPERATIONS:
        assert scope in ApiScope.values


@pytest.mark.parametrize(("method", "path", "scope"), OPERATIONS)
def test_no_operation_opens_without_a_token(method, path, scope, users, client_for):
    for client in (Client(), client_for(users[("coordinator", "a")])):
        response = _call(client, method, path)
        assert response.status_code == 401, (method, path)
        assert response.json()["code"] == "unauthorized"


@pytest.mark.parametrize(("method", "path", "scope"), OPERATIONS)
def test_no_operation_opens_without_its_scope(method, path, scope, users):
    resource = scope.split(":")[0]
    # Every scope the coordinator may hold, except those of this operation's resource.
    others = [s for s in ApiScope.values if not s.startswith(f"{resource}:")]
    coordinator = users[("coordinator", "a")]
    allowed = [s for s in others if s in scopes_available_to(coordinator)]
    response = _call(api_client_for(coordinator, scopes=allowed), method, path)
    assert response.status_code == 403, (method, path)
    assert response.json()["code"] == "insufficient_scope"
