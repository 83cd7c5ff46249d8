"""A person's API tokens through the pages: list, create after re-authentication (the secret
shown once), revoke."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from vigie.accounts import sessions
from vigie.api.models import ApiToken
from vigie.api.scopes import scopes_available_to
from vigie.audit.models import AuditAction, AuditEvent
from vigie.tests_support.api import api_client
from vigie.tests_support.factories_api import api_token_for_tests

pytestmark = pytest.mark.django_db

LIST = "api_pages:list"
CREATE = "api_pages:create"
SECRET = re.compile(r"vigie_[A-Za-z0-9_-]{40,}")


def _create(client, *, scopes, days=30, name="Logiciel du département 93"):
    expires_on = timezone.localdate() + timedelta(days=days)
    return client.post(
        reverse(CREATE), {"name": name, "scopes": scopes, "expires_on": expires_on.isoformat()}
    )


def _scope_boxes(html: str) -> list[str]:
    return re.findall(r'name="scopes" value="([a-z:]+)"', html)


def test_the_list_shows_the_persons_own_tokens_with_their_state_and_last_use(users, client_for):
    caseworker = users[("caseworker", "a")]
    live = api_token_for_tests(
        caseworker,
        name="Import départemental",
        scopes=["cases:read"],
        last_used_at=timezone.now(),
        last_used_ip="203.0.113.9",
    )
    api_token_for_tests(caseworker, name="Ancien script", days=-1)
    api_token_for_tests(caseworker, name="Script retiré", revoked=True)
    api_token_for_tests(users[("caseworker", "b")], name="Jeton de B")

    response = client_for(caseworker).get(reverse(LIST), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Jeton de B" not in html
    states = dict(
        re.findall(r'data-token="[0-9a-f-]+" data-state="(\w+)">\s*<th scope="row">([^<]+)', html)
    )
    assert states == {
        "active": "Import départemental",
        "expired": "Ancien script",
        "revoked": "Script retiré",
    }
    # The state is written out, not only shown by a colour.
    assert ">expired<" in html and ">revoked<" in html
    assert f"{live.prefix}…" in html
    assert "from 203.0.113.9" in html
    assert "Case files: read" in html
    assert live.secret_hash not in html
    # Only a live token can be revoked.
    assert html.count("/revoquer/") == 1


def test_creating_asks_for_a_fresh_reauthentication(users, client_for):
    client = client_for(users[("caseworker", "a")])
    session = client.session
    del session[sessions.REAUTH_AT_KEY]
    session.save()

    for response in (client.get(reverse(CREATE)), _create(client, scopes=["cases:read"])):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:reauth"))
    assert not ApiToken.objects.exists()


def test_the_form_offers_only_the_scopes_the_role_allows_grouped_by_resource(users, client_for):
    for key in [("caseworker", "a"), ("analyst", "a"), ("org_admin", "a")]:
        user = users[key]
        response = client_for(user).get(reverse(CREATE))
        html = response.content.decode()
        assert _scope_boxes(html) == scopes_available_to(user), key
    analyst_html = client_for(users[("analyst", "a")]).get(reverse(CREATE)).content.decode()
    assert _scope_boxes(analyst_html) == ["releases:read"]
    caseworker_html = client_for(users[("caseworker", "a")]).get(reverse(CREATE)).content.decode()
    assert 'data-resource="cases"' in caseworker_html
    assert re.search(
        r'<fieldset data-resource="cases">\s*<legend>Dossiers</legend>', caseworker_html
    )
    # Each box has its label.
    for box_id in re.findall(
        r'type="checkbox" name="scopes" value="[a-z:]+" id="([^"]+)"', caseworker_html
    ):
        assert f'<label for="{box_id}">' in caseworker_html


def test_the_expiry_date_defaults_to_ninety_days(users, client_for):
    response = client_for(users[("caseworker", "a")]).get(reverse(CREATE))
    default = (timezone.localdate() + timedelta(days=90)).isoformat()
    assert f'value="{default}"' in response.content.decode()


def test_the_platform_administrator_is_told_their_role_gives_no_scope(users, client_for):
    response = client_for(users[("platform_admin", None)]).get(reverse(CREATE))
    assert response.status_code == 200
    assert 'id="api-token-no-scope"' in response.content.decode()
    assert 'name="scopes"' not in response.content.decode()


def test_creating_shows_the_secret_once_uncached_and_it_opens_the_api(users, client_for, case_a):
    caseworker = users[("caseworker", "a")]
    client = client_for(caseworker)

    response = _create(client, scopes=["cases:read", "cases:write"])

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    secrets_shown = SECRET.findall(html)
    assert len(set(secrets_shown)) == 1
    secret = secrets_shown[0]
    token = ApiToken.objects.get(user=caseworker)
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.scopes == ["cases:read", "cases:write"]
    assert token.name == "Logiciel du département 93"
    # Expiring on a day: from the start of that day, local time.
    expected = timezone.localdate() + timedelta(days=30)
    assert timezone.localtime(token.expires_at).date() == expected
    assert timezone.localtime(token.expires_at).hour == 0
    # Never kept for a later page.
    assert secret not in str(dict(client.session.items()))
    assert secret not in client.get(reverse(LIST)).content.decode()
    event = AuditEvent.objects.get(action=AuditAction.API_TOKEN_CREATE)
    assert event.actor_uuid == caseworker.uuid and event.object_uuids == [str(token.uuid)]
    # The secret works, with the scopes given.
    assert api_client(secret).get("/api/v1/cases").status_code == 200


def test_a_scope_the_role_does_not_allow_is_refused_on_the_field(users, client_for):
    response = _create(client_for(users[("analyst", "a")]), scopes=["cases:read"])
    assert response.status_code == 422
    assert 'id="id_scopes_error"' in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scopes": []}, "scopes"),
        ({"name": "   "}, "name"),
        ({"days": 0}, "expires_on"),
        ({"days": 400}, "expires_on"),
    ],
    ids=["no scope", "blank name", "today", "beyond the longest life"],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_created(
    users, client_for, data, field
):
    kwargs = {"scopes": ["cases:read"], **data}
    response = _create(client_for(users[("caseworker", "a")]), **kwargs)
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert SECRET.search(html) is None
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.API_TOKEN_CREATE).exists()


def test_refused_choices_stay_ticked(users, client_for):
    response = _create(client_for(users[("caseworker", "a")]), scopes=["cases:write"], days=0)
    assert re.search(r'value="cases:write" id="[^"]+" checked', response.content.decode())


def test_revoking_asks_then_closes_the_api_to_the_token(users, client_for, case_a):
    from vigie.tests_support.api import token_for

    caseworker = users[("caseworker", "a")]
    token, secret = token_for(caseworker, ["cases:read"])
    client = client_for(caseworker)
    url = reverse("api_pages:revoke", kwargs={"token_uuid": token.uuid})

    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert 'id="api-token-revoke-form"' in confirmation.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None

    response = client.post(url)

    assert response.status_code == 302 and response["Location"] == reverse(LIST)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKE).count() == 1
    assert api_client(secret).get("/api/v1/cases").status_code == 401


def test_someone_elses_token_is_not_found(users, client_for):
    other = api_token_for_tests(users[("caseworker", "b")], scopes=["cases:read"])
    client = client_for(users[("coordinator", "a")])
    url = reverse("api_pages:revoke", kwargs={"token_uuid": other.uuid})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_the_account_page_links_to_the_tokens(users, client_for):
    response = client_for(users[("analyst", "a")]).get(reverse("accounts:sessions"))
    assert f'href="{reverse(LIST)}"' in response.content.decode()


def test_a_scope_since_removed_from_the_catalogue_still_lists(users, client_for):
    caseworker = users[("caseworker", "a")]
    api_token_for_tests(caseworker, scopes=["cases:read", "archives:read"])
    response = client_for(caseworker).get(reverse(LIST))
    assert response.status_code == 200
    assert '<li data-scope="archives:read">archives:read</li>' in response.content.decode()
