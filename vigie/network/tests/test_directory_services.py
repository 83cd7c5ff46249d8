"""Keeping one directory entry: each field is checked and named, only the keeping organisation
changes its entries, every change is audited; and the search by département and need."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.network.models import DirectoryEntry
from vigie.network.selectors_directory import (
    DirectoryFilters,
    directory_entry_get_for_manager,
    directory_search,
)
from vigie.network.services.directory import (
    directory_entry_create,
    directory_entry_delete,
    directory_entry_update,
)
from vigie.tests_support.factories_directory import DirectoryEntryFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "UAPED de l'hôpital",
    "kind": "uaped",
    "departement": "93",
    "needs": ["health", "psychological"],
    "role": "Accueil pédiatrique",
    "hours": "24 h/24",
    "phone": "01 99 00 12 34",
    "email": "uaped@example.org",
    "address": "1 rue de l'Exemple",
}


@pytest.fixture
def coordinator(users):
    return Actor(users[("coordinator", "a")])


def test_an_entry_is_created_normalised_and_audited(coordinator, org_a):
    entry = directory_entry_create(actor=coordinator, **{**GOOD, "departement": "2a"})

    assert entry.maintained_by == org_a
    assert entry.departement == "2A"
    assert entry.phone == "+33199001234"
    event = AuditEvent.objects.get(action=AuditAction.DIRECTORY_CHANGE)
    assert event.object_uuids == [str(entry.uuid)]


def test_an_international_number_is_accepted(coordinator):
    entry = directory_entry_create(actor=coordinator, **{**GOOD, "phone": "+32 2 555 12 34"})
    assert entry.phone == "+3225551234"


def test_a_departement_that_lost_its_leading_zero_is_understood(coordinator):
    assert (
        directory_entry_create(actor=coordinator, **{**GOOD, "departement": "6"}).departement
        == "06"
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "   "),
        ("name", "x" * 201),
        ("kind", "hotel"),
        ("departement", "20"),
        ("departement", "999"),
        ("needs", ["health", "magic"]),
        ("phone", "12"),
        ("phone", "01 23"),
        ("phone", "not a number"),
        ("email", "nobody@"),
        ("hours", "x" * 201),
        ("address", "x" * 301),
    ],
)
def test_each_invalid_field_is_refused_by_name(coordinator, field, value):
    with pytest.raises(ValidationError) as raised:
        directory_entry_create(actor=coordinator, **{**GOOD, field: value})

    assert set(raised.value.message_dict) == {field}
    assert not DirectoryEntry.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.DIRECTORY_CHANGE).exists()


def test_the_same_name_kind_and_departement_twice_is_refused(coordinator, users):
    DirectoryEntryFactory(name=GOOD["name"], kind="uaped", departement="93")

    with pytest.raises(ValidationError) as raised:
        directory_entry_create(actor=coordinator, **GOOD)
    assert "name" in raised.value.message_dict
    # Another département is another entry.
    assert directory_entry_create(actor=coordinator, **{**GOOD, "departement": "75"})


@pytest.mark.parametrize("role", ["caseworker", "analyst"])
def test_only_managers_change_the_directory(users, role):
    with pytest.raises(PermissionDenied):
        directory_entry_create(actor=Actor(users[(role, "a")]), **GOOD)


def test_the_organisation_administrator_keeps_entries_too(users, org_a):
    entry = directory_entry_create(actor=Actor(users[("org_admin", "a")]), **GOOD)
    assert entry.maintained_by == org_a


def test_an_entry_is_updated_and_deleted_by_its_organisation_only(coordinator, users, org_a):
    entry = DirectoryEntryFactory(maintained_by=org_a)
    other = Actor(users[("coordinator", "b")])

    with pytest.raises(PermissionDenied):
        directory_entry_update(actor=other, entry=entry, **GOOD)
    with pytest.raises(PermissionDenied):
        directory_entry_delete(actor=other, entry=entry)

    directory_entry_update(actor=coordinator, entry=entry, **GOOD)
    entry.refresh_from_db()
    assert (entry.name, entry.phone) == (GOOD["name"], "+33199001234")
    directory_entry_delete(actor=coordinator, entry=entry)
    assert not DirectoryEntry.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.DIRECTORY_CHANGE).count() == 2


def test_updating_to_another_entrys_key_is_refused(coordinator, org_a):
    DirectoryEntryFactory(name=GOOD["name"], kind="uaped", departement="93")
    entry = DirectoryEntryFactory(maintained_by=org_a)

    with pytest.raises(ValidationError) as raised:
        directory_entry_update(actor=coordinator, entry=entry, **GOOD)
    assert "name" in raised.value.message_dict


def test_an_entry_of_another_organisation_is_not_found_for_changes(coordinator, org_a, org_b):
    own, others = (
        DirectoryEntryFactory(maintained_by=org_a),
        DirectoryEntryFactory(maintained_by=org_b),
    )

    assert directory_entry_get_for_manager(actor=coordinator, entry_uuid=own.uuid) == own
    from django.http import Http404

    with pytest.raises(Http404):
        directory_entry_get_for_manager(actor=coordinator, entry_uuid=others.uuid)


# --- Search --------------------------------------------------------------------------------


def _names(actor, **filters):
    return [e.name for e in directory_search(actor=actor, filters=DirectoryFilters(**filters))]


def test_search_by_departement_and_need_reads_every_organisation(users, org_a, org_b):
    """Given entries of two organisations in several départements, a caseworker of A finds B's
    entry for Seine-Saint-Denis and health, and nothing else."""
    DirectoryEntryFactory(
        name="B health 93", departement="93", needs=["health"], maintained_by=org_b
    )
    DirectoryEntryFactory(name="A legal 93", departement="93", needs=["legal"], maintained_by=org_a)
    DirectoryEntryFactory(
        name="A health 13", departement="13", needs=["health"], maintained_by=org_a
    )
    DirectoryEntryFactory(
        name="A health 75", departement="75", needs=["psychological", "health"], maintained_by=org_a
    )
    caseworker = Actor(users[("caseworker", "a")])

    assert _names(caseworker, departement="93", need="health") == ["B health 93"]
    # Seine-Saint-Denis and Paris share the Île-de-France région; Bouches-du-Rhône does not.
    assert _names(caseworker, departement="93", need="health", whole_region=True) == [
        "A health 75",
        "B health 93",
    ]
    assert _names(caseworker, need="health") == ["A health 13", "A health 75", "B health 93"]


def test_a_need_matches_whole_codes_only(users):
    DirectoryEntryFactory(name="Psy", needs=["psychological"])
    assert _names(Actor(users[("caseworker", "a")]), need="health") == []


def test_search_by_kind_and_text(users):
    DirectoryEntryFactory(name="Tribunal pour enfants", kind="juvenile_court", role="Greffe")
    DirectoryEntryFactory(name="Autre", kind="juvenile_court", role="Juges des enfants")
    DirectoryEntryFactory(name="UAPED", kind="uaped")
    caseworker = Actor(users[("caseworker", "a")])

    assert _names(caseworker, kind="juvenile_court") == ["Autre", "Tribunal pour enfants"]
    assert _names(caseworker, text="juges") == ["Autre"]
    assert _names(caseworker, text="TRIBUNAL") == ["Tribunal pour enfants"]


def test_search_is_paginated_by_fifty(users):
    DirectoryEntryFactory.create_batch(51)
    page = directory_search(actor=Actor(users[("caseworker", "a")]), filters=DirectoryFilters())
    assert (len(page.object_list), page.paginator.num_pages) == (50, 2)


def test_search_needs_the_directory_permission(users):
    with pytest.raises(PermissionDenied):
        directory_search(actor=Actor(users[("analyst", "a")]), filters=DirectoryFilters())
