"""The demo entries are clearly fictional and would pass the directory's own checks."""

import pytest

from vigie.network.demo_directory import directory_demo_entries
from vigie.network.models import DirectoryEntry
from vigie.network.services import directory as services

pytestmark = pytest.mark.django_db

# ARCEP's ranges reserved for fiction (see demo_directory.py).
FICTION_PREFIXES = ("+3319900", "+3326191", "+3335301", "+3346571", "+3353649")


def test_demo_entries_are_fictional_valid_and_saveable(org_a):
    entries = directory_demo_entries(maintained_by=org_a)

    assert len({e.departement for e in entries}) >= 10
    assert {"75", "93", "13", "69", "59", "33", "06", "2A", "974", "976"} <= {
        e.departement for e in entries
    }
    for entry in entries:
        assert entry.is_fictional and entry.name.startswith("Fictif — ")
        assert entry.phone.startswith(FICTION_PREFIXES)
        assert entry.email.endswith("@example.org")
        assert services.phone_clean(entry.phone) == entry.phone
        assert services.departement_clean(entry.departement) == entry.departement
        assert services.kind_clean(entry.kind) == entry.kind
        assert services.needs_clean(entry.needs) == entry.needs
    DirectoryEntry.objects.bulk_create(entries)
    assert DirectoryEntry.objects.filter(is_fictional=True).count() == len(entries)
