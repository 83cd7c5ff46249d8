"""The directory pages over HTTP: search results, forms (422 / 302), other organisations'
entries hidden from changes (404), the former import address and the export. The import itself
is the journey of vigie/imports (for the directory: vigie/imports/tests/test_views_directory.py)."""

import pytest
from django.urls import reverse

from vigie.network.models import DirectoryEntry
from vigie.tests_support.factories_directory import DirectoryEntryFactory

pytestmark = pytest.mark.django_db

ENTRY = {
    "name": "Fictif — UAPED",
    "kind": "uaped",
    "departement": "93",
    "needs": ["health"],
    "phone": "01 99 00 12 34",
    "email": "uaped@example.org",
}


def test_the_search_page_lists_matching_entries_with_links(users, org_b, client_for):
    DirectoryEntryFactory(
        name="Fictif — Tribunal",
        departement="93",
        kind="juvenile_court",
        needs=["legal"],
        phone="+33199001234",
        email="tpe@example.org",
        is_fictional=True,
        maintained_by=org_b,
    )
    DirectoryEntryFactory(name="Ailleurs", departement="13", needs=["legal"])
    client = client_for(users[("caseworker", "a")])

    response = client.get(reverse("network:directory"), {"departement": "93", "need": "legal"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Fictif — Tribunal" in page and "Ailleurs" not in page
    assert 'href="tel:+33199001234"' in page and "01 99 00 12 34" in page
    assert 'href="mailto:tpe@example.org"' in page
    assert "data-fictional" in page
    # A caseworker reads, but changes nothing.
    assert reverse("network:directory_create") not in page


def test_managers_see_change_links_on_their_own_entries_only(users, org_a, org_b, client_for):
    own = DirectoryEntryFactory(maintained_by=org_a)
    others = DirectoryEntryFactory(maintained_by=org_b)

    page = (
        client_for(users[("coordinator", "a")]).get(reverse("network:directory")).content.decode()
    )

    assert reverse("network:directory_update", args=[own.uuid]) in page
    assert reverse("network:directory_update", args=[others.uuid]) not in page


def test_an_invalid_search_is_a_422(users, client_for):
    response = client_for(users[("caseworker", "a")]).get(
        reverse("network:directory"), {"need": "magic"}
    )
    assert response.status_code == 422


def test_create_refuses_a_bad_phone_then_saves(users, org_a, client_for):
    client = client_for(users[("coordinator", "a")])

    refused = client.post(reverse("network:directory_create"), {**ENTRY, "phone": "12"})
    assert refused.status_code == 422
    assert 'id="id_phone_error"' in refused.content.decode()
    assert not DirectoryEntry.objects.exists()

    saved = client.post(reverse("network:directory_create"), ENTRY)
    assert saved.status_code == 302
    assert saved["Location"] == reverse("network:directory") + "?departement=93"
    assert DirectoryEntry.objects.get().maintained_by == org_a


def test_a_duplicate_is_refused_on_the_name_field(users, client_for):
    DirectoryEntryFactory(name=ENTRY["name"], kind="uaped", departement="93")
    response = client_for(users[("coordinator", "a")]).post(
        reverse("network:directory_create"), ENTRY
    )
    assert response.status_code == 422
    assert 'id="id_name_error"' in response.content.decode()


def test_update_and_delete_of_another_organisations_entry_are_404(users, org_b, client_for):
    entry = DirectoryEntryFactory(maintained_by=org_b, name="Garde")
    client = client_for(users[("coordinator", "a")])

    for name in ("network:directory_update", "network:directory_delete"):
        url = reverse(name, args=[entry.uuid])
        assert client.get(url).status_code == 404
        assert client.post(url, ENTRY).status_code == 404
    entry.refresh_from_db()
    assert entry.name == "Garde"


def test_update_and_delete_own_entry(users, org_a, client_for):
    entry = DirectoryEntryFactory(maintained_by=org_a)
    client = client_for(users[("org_admin", "a")])

    assert (
        client.post(reverse("network:directory_update", args=[entry.uuid]), ENTRY).status_code
        == 302
    )
    entry.refresh_from_db()
    assert entry.name == ENTRY["name"]
    assert client.post(reverse("network:directory_delete", args=[entry.uuid])).status_code == 302
    assert not DirectoryEntry.objects.exists()


def test_the_former_import_page_leads_managers_to_the_import_journey(users, client_for):
    """Its address is kept for bookmarks: a permanent redirect to the one import page."""
    url = reverse("network:directory_import")

    response = client_for(users[("coordinator", "a")]).get(url, {"ignored": "1"})

    assert response.status_code == 301
    assert response["Location"] == reverse("imports:directory")
    followed = client_for(users[("org_admin", "a")]).get(url, follow=True)
    assert followed.redirect_chain == [(reverse("imports:directory"), 301)]
    assert followed.status_code == 200
    assert 'id="import-upload-form"' in followed.content.decode()
    # Nothing is imported there any more, and the others are refused as before.
    assert client_for(users[("coordinator", "a")]).post(url).status_code == 405
    assert client_for(users[("caseworker", "a")]).get(url).status_code == 403


def test_export_is_a_csv_attachment_that_spreadsheets_read_as_utf8(users, client_for):
    DirectoryEntryFactory(name="Paris", departement="75")
    DirectoryEntryFactory(name="Marseille", departement="13")

    response = client_for(users[("caseworker", "a")]).get(
        reverse("network:directory_export"), {"departement": "75"}
    )

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffname;kind;departement")
    assert "Paris" in body and "Marseille" not in body


def test_the_search_runs_a_fixed_number_of_queries(
    users, client_for, django_assert_max_num_queries
):
    DirectoryEntryFactory.create_batch(30)
    client = client_for(users[("caseworker", "a")])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("network:directory")).status_code == 200
