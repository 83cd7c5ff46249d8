"""Tokens open the API: hashed, scoped, expiring, revocable, rate-limited."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from vigie.api.models import ApiToken
from vigie.api.scopes import ApiScope, scopes_available_to
from vigie.api.services import api_token_create, api_token_revoke
from vigie.audit.models import AuditEvent, AuditEventSubject
from vigie.audit.services import Actor
from vigie.tests_support.api import api_client, token_for

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases"


def test_the_secret_is_stored_only_as_its_hash(users):
    token, secret = token_for(users[("caseworker", "a")])
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret.startswith("vigie_") and len(secret) > 40
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert stored.prefix == secret[: len(stored.prefix)] and len(stored.prefix) < 16


def test_a_valid_token_opens_the_api_and_records_its_last_use(users, case_a):
    token, secret = token_for(users[("caseworker", "a")])
    response = api_client(secret).get(CASES, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    assert [item["uuid"] for item in response.json()["items"]] == [str(case_a.uuid)]
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_ip == "203.0.113.7"


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer vigie_not-a-real-token", "Token abc", "Basic dXNlcjpwYXNz"],
)
def test_no_or_unknown_token_gets_401_json(users, header):
    client = Client(headers={"Authorization": header} if header else {})
    response = client.get(CASES)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_gets_401(users):
    _token, secret = token_for(users[("caseworker", "a")], days=1)
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        response = api_client(secret).get(CASES)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_revoked_token_gets_401(users):
    user = users[("caseworker", "a")]
    token, secret = token_for(user)
    assert api_client(secret).get(CASES).status_code == 200
    api_token_revoke(actor=Actor(user=user), token=token)
    response = api_client(secret).get(CASES)
    assert response.status_code == 401
    assert AuditEvent.objects.filter(action="api.token_revoke").count() == 1


def test_a_disabled_account_closes_its_tokens(users):
    user = users[("caseworker", "a")]
    _token, secret = token_for(user)
    user.is_active = False
    user.save()
    assert api_client(secret).get(CASES).status_code == 401


def test_a_token_without_the_scope_gets_403_naming_it(users):
    _token, secret = token_for(users[("caseworker", "a")], scopes=[ApiScope.DIRECTORY_READ])
    response = api_client(secret).get(CASES)
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "insufficient_scope"
    assert "cases:read" in body["message"]


def test_a_write_scope_includes_reading(users):
    _token, secret = token_for(users[("caseworker", "a")], scopes=[ApiScope.CASES_WRITE])
    assert api_client(secret).get(CASES).status_code == 200


def test_a_read_scope_does_not_write(users):
    _token, secret = token_for(users[("caseworker", "a")], scopes=[ApiScope.CASES_READ])
    response = api_client(secret).post(CASES, {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_a_session_cookie_does_not_open_the_api(users, client_for):
    client = client_for(users[("caseworker", "a")])
    response = client.get(CASES)
    assert response.status_code == 401


def test_scopes_are_limited_to_the_role(users):
    analyst = users[("analyst", "a")]
    assert scopes_available_to(analyst) == [ApiScope.RELEASES_READ]
    with pytest.raises(ValidationError) as error:
        api_token_create(
            actor=Actor(user=analyst),
            user=analyst,
            name="Entrepôt",
            scopes=[ApiScope.CASES_READ],
            expires_on=timezone.now() + timedelta(days=10),
        )
    assert "scopes" in error.value.message_dict


@pytest.mark.parametrize(
    ("name", "scopes", "days", "field"),
    [
        ("", [ApiScope.CASES_READ], 10, "name"),
        ("Outil", [], 10, "scopes"),
        ("Outil", ["cases:delete"], 10, "scopes"),
        ("Outil", [ApiScope.CASES_READ], -1, "expires_on"),
        ("Outil", [ApiScope.CASES_READ], 400, "expires_on"),
    ],
)
def test_token_creation_refuses_bad_input_naming_the_field(users, name, scopes, days, field):
    user = users[("caseworker", "a")]
    with pytest.raises(ValidationError) as error:
        api_token_create(
            actor=Actor(user=user),
            user=user,
            name=name,
            scopes=scopes,
            expires_on=timezone.now() + timedelta(days=days),
        )
    assert list(error.value.message_dict) == [field]
    assert ApiToken.objects.count() == 0


def test_nobody_creates_or_revokes_a_token_for_someone_else(users):
    owner, other = users[("caseworker", "a")], users[("coordinator", "a")]
    with pytest.raises(PermissionDenied):
        api_token_create(
            actor=Actor(user=other),
            user=owner,
            name="Outil",
            scopes=[ApiScope.CASES_READ],
            expires_on=timezone.now() + timedelta(days=10),
        )
    token, _secret = token_for(owner)
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=Actor(user=other), token=token)


def test_creation_is_audited(users):
    token, _secret = token_for(users[("caseworker", "a")])
    event = AuditEvent.objects.get(action="api.token_create")
    assert event.object_uuids == [str(token.uuid)]


def test_the_rate_limit_counts_per_token(users, settings):
    settings.VIGIE_API_RATE_LIMIT = "3/m"
    user = users[("caseworker", "a")]
    _t1, first = token_for(user, name="Premier")
    _t2, second = token_for(user, name="Second")
    statuses = [api_client(first).get(CASES).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = api_client(first).get(CASES)
    assert refused.json()["code"] == "rate_limited"
    assert int(refused["Retry-After"]) > 0
    # Another token of the same person has its own count.
    assert api_client(second).get(CASES).status_code == 200


def test_every_audit_event_written_through_the_api_names_its_token(users, case_a):
    """If a token leaks, what it read and changed is one look-up in the subjects index."""
    token, secret = token_for(users[("caseworker", "a")])
    client = api_client(secret)
    assert client.get(f"{CASES}/{case_a.uuid}").status_code == 200
    assert client.get(CASES).status_code == 200
    used = AuditEvent.objects.filter(subjects__object_uuid=token.uuid).order_by("sequence")
    assert [e.action for e in used] == ["api.token_create", "case.view", "case.list"]
    assert all(str(case_a.uuid) in e.object_uuids for e in used[1:])
    assert AuditEventSubject.objects.filter(object_uuid=token.uuid).count() == 3
