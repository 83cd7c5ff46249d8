"""`vigie token create | list | revoke`: provisioning tokens from the command line."""

import hashlib
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from vigie.api.models import ApiToken
from vigie.audit.models import AuditAction, AuditEvent
from vigie.tests_support.api import api_client
from vigie.tests_support.factories_api import api_token_for_tests

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _create(email: str, scopes: str = "cases:read,cases:write", expires: str | None = None):
    return _run(
        "create", email, "--name", "Import ASE 93", "--scopes", scopes,
        "--expires", expires or _in_days(60),
    )  # fmt: skip


def test_create_prints_only_the_secret_and_audits_a_system_actor(users, case_a):
    caseworker = users[("caseworker", "a")]

    out, err = _create(caseworker.email.upper())

    secret = out.strip()
    assert out == secret + "\n" and secret.startswith("vigie_")
    token = ApiToken.objects.get(user=caseworker)
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.scopes == ["cases:read", "cases:write"] and token.name == "Import ASE 93"
    assert timezone.localtime(token.expires_at).date() == timezone.localdate() + timedelta(60)
    assert str(token.uuid) in err and secret not in err
    event = AuditEvent.objects.get(action=AuditAction.API_TOKEN_CREATE)
    assert event.actor_uuid is None and event.object_uuids == [str(token.uuid)]
    assert api_client(secret).get("/api/v1/cases").status_code == 200


@pytest.mark.parametrize(
    ("email", "scopes", "expires", "option"),
    [
        ("nobody@example.org", "cases:read", None, "EMAIL"),
        (None, "releases:read", None, "--scopes"),
        (None, "cases:read,cases:erase", None, "--scopes"),
        (None, "", None, "--scopes"),
        (None, "cases:read", "01/03/2027", "--expires"),
        (None, "cases:read", "2020-01-01", "--expires"),
        (None, "cases:read", "2200-01-01", "--expires"),
    ],
    ids=[
        "unknown email",
        "scope the role does not allow",
        "unknown scope",
        "no scope",
        "not an ISO date",
        "in the past",
        "beyond the longest life",
    ],
)
def test_bad_input_is_an_error_naming_the_option(users, email, scopes, expires, option):
    with pytest.raises(CommandError) as error:
        _create(email or users[("caseworker", "a")].email, scopes=scopes, expires=expires)
    assert str(error.value).startswith(f"{option}: ")
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.API_TOKEN_CREATE).exists()


def test_list_shows_a_persons_tokens_without_secrets(users):
    coordinator = users[("coordinator", "a")]
    live = api_token_for_tests(coordinator, name="Logiciel A", scopes=["cases:read"])
    api_token_for_tests(coordinator, name="Ancien", revoked=True)
    api_token_for_tests(users[("coordinator", "b")], name="Logiciel B")

    out, _err = _run("list", coordinator.email)

    lines = out.splitlines()
    assert len(lines) == 2
    by_name = {line.split("\t")[1]: line for line in lines}
    assert set(by_name) == {"Logiciel A", "Ancien"}
    assert by_name["Logiciel A"].startswith(str(live.uuid))
    assert f"{live.prefix}…" in by_name["Logiciel A"] and "cases:read" in by_name["Logiciel A"]
    assert by_name["Logiciel A"].endswith("active") and by_name["Ancien"].endswith("revoked")
    assert live.secret_hash not in out


def test_revoke_closes_the_token_and_is_audited(users, case_a):
    from vigie.tests_support.api import token_for

    token, secret = token_for(users[("caseworker", "a")], ["cases:read"])

    out, _err = _run("revoke", str(token.uuid))

    assert "is revoked" in out
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action=AuditAction.API_TOKEN_REVOKE)
    assert event.actor_uuid is None and event.object_uuids == [str(token.uuid)]
    assert api_client(secret).get("/api/v1/cases").status_code == 401
    # Again: nothing more to do, nothing more audited.
    assert "already revoked" in _run("revoke", str(token.uuid))[0]
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKE).count() == 1


@pytest.mark.parametrize("value", ["not-a-uuid", str(uuid.uuid4())])
def test_revoke_of_an_unknown_token_names_the_argument(value):
    with pytest.raises(CommandError, match=r"^UUID: "):
        _run("revoke", value)
