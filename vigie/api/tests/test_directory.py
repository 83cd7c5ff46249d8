"""The directory through the API: everyone reads every entry, each organisation keeps its own."""

import json
import uuid

import pytest

from vigie.api.scopes import ApiScope
from vigie.audit.models import AuditEvent
from vigie.network.models import DirectoryEntry
from vigie.tests_support.api import api_client_for, without_tokens
from vigie.tests_support.factories_directory import DirectoryEntryFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/directory"


def _send(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def _entry_body(**changes):
    body = {
        "name": "UAPED de l'hôpital Fictif",
        "kind": "uaped",
        "departement": "93",
        "needs": ["health", "protection"],
        "role": "Accueil pédiatrique des enfants en danger.",
        "hours": "24 h/24",
        "phone": "01 99 00 12 34",
        "email": "uaped@example.org",
        "address": "1 rue Fictive, Bobigny",
    }
    return body | changes


def test_search_filters_like_the_page_and_pages_by_fifty(users, org_b):
    for _ in range(55):
        DirectoryEntryFactory(departement="75", maintained_by=org_b)
    DirectoryEntryFactory(departement="92", kind="siao", needs=["accommodation"])
    DirectoryEntryFactory(departement="13", name="Sud", needs=["legal"])
    client = api_client_for(users[("caseworker", "a")])
    first = client.get(LIST, {"departement": "75"}).json()
    assert first["count"] == 55 and first["pages"] == 2 and len(first["items"]) == 50
    second = client.get(LIST, {"departement": "75", "page": 2}).json()
    assert len(second["items"]) == 5 and second["page"] == 2
    region = client.get(LIST, {"departement": "75", "whole_region": True}).json()
    assert region["count"] == 56
    assert [e["name"] for e in client.get(LIST, {"need": "legal"}).json()["items"]] == ["Sud"]
    assert client.get(LIST, {"kind": "siao"}).json()["count"] == 1
    assert client.get(LIST, {"text": "sud"}).json()["count"] == 1
    item = first["items"][0]
    assert item["maintained_by"] == "Organisation B" and item["maintained_by_you"] is False


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"departement": "99"}, "departement"),
        ({"need": "juggling"}, "need"),
        ({"kind": "hotel"}, "kind"),
        ({"page": 0}, "page"),
    ],
)
def test_search_refuses_unknown_filters_naming_them(users, query, field):
    response = api_client_for(users[("caseworker", "a")]).get(LIST, query)
    assert response.status_code == 422 and response.json()["field"] == field


def test_read_one_entry_of_any_organisation(users, org_b):
    entry = DirectoryEntryFactory(maintained_by=org_b)
    client = api_client_for(users[("caseworker", "a")])
    response = client.get(f"{LIST}/{entry.uuid}")
    assert response.status_code == 200
    assert response.json()["name"] == entry.name
    assert client.get(f"{LIST}/{uuid.uuid4()}").status_code == 404


def test_create_normalises_and_audits(users, org_a):
    client = api_client_for(users[("coordinator", "a")])
    response = _send(client, "post", LIST, _entry_body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone"] == "+33199001234" and body["maintained_by_you"] is True
    entry = DirectoryEntry.objects.get(uuid=body["uuid"])
    assert entry.maintained_by == org_a
    event = AuditEvent.objects.get(action="directory.change")
    assert without_tokens(event.object_uuids) == [str(entry.uuid)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"departement": "99"}, "departement"),
        ({"phone": "12"}, "phone"),
        ({"email": "pas-une-adresse"}, "email"),
        ({"kind": "hotel"}, "kind"),
        ({"needs": ["juggling"]}, "needs.0"),
        ({"role": "x" * 2001}, "role"),
        ({"name": "a\x00b"}, "name"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(users, changes, field):
    client = api_client_for(users[("coordinator", "a")])
    response = _send(client, "post", LIST, _entry_body(**changes))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not DirectoryEntry.objects.exists()


def test_a_duplicate_is_refused_on_the_name(users, org_b):
    DirectoryEntryFactory(name="UAPED de l'hôpital Fictif", kind="uaped", departement="93")
    client = api_client_for(users[("coordinator", "a")])
    response = _send(client, "post", LIST, _entry_body())
    assert response.status_code == 422 and response.json()["field"] == "name"


def test_update_and_delete_only_the_organisation_s_own_entries(users, org_a, org_b):
    own = DirectoryEntryFactory(maintained_by=org_a)
    other = DirectoryEntryFactory(maintained_by=org_b)
    client = api_client_for(users[("org_admin", "a")])
    response = _send(client, "put", f"{LIST}/{own.uuid}", _entry_body(name="Nouveau nom"))
    assert response.status_code == 200 and response.json()["name"] == "Nouveau nom"
    response = _send(client, "put", f"{LIST}/{other.uuid}", _entry_body())
    assert response.status_code == 404
    assert client.delete(f"{LIST}/{other.uuid}").status_code == 404
    other.refresh_from_db()
    assert other.name != "Nouveau nom"
    response = client.delete(f"{LIST}/{own.uuid}")
    assert response.status_code == 204
    assert not DirectoryEntry.objects.filter(pk=own.pk).exists()
    assert AuditEvent.objects.filter(action="directory.change").count() == 2


def test_changing_the_directory_is_not_a_caseworker_s(users, org_a):
    own = DirectoryEntryFactory(maintained_by=org_a)
    worker = users[("caseworker", "a")]
    # The role allows no directory:write scope.
    response = _send(api_client_for(worker), "post", LIST, _entry_body())
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"
    # A coordinator's token stops changing entries once the coordinator is a caseworker.
    coordinator = users[("coordinator", "a")]
    client = api_client_for(coordinator, scopes=[ApiScope.DIRECTORY_WRITE])
    coordinator.role = "caseworker"
    coordinator.save()
    for response in (
        client.delete(f"{LIST}/{own.uuid}"),
        _send(client, "post", LIST, _entry_body()),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "insufficient_scope"
    assert DirectoryEntry.objects.filter(pk=own.pk).exists()


def test_a_read_token_does_not_write(users):
    reader = api_client_for(users[("coordinator", "a")], scopes=[ApiScope.DIRECTORY_READ])
    assert reader.get(LIST).status_code == 200
    response = _send(reader, "post", LIST, _entry_body())
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"
    assert api_client_for(users[("analyst", "a")]).get(LIST).status_code == 403
