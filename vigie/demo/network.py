"""Demo coordination data: the fictional directory and accommodation places."""

import random

from vigie.accounts.models import Organisation
from vigie.network.demo_directory import directory_demo_entries
from vigie.network.demo_places import places_demo_create
from vigie.network.models import AccommodationPlace, DirectoryEntry


def network_demo_ensure(*, organisations: dict[str, Organisation], seed: int) -> None:
    """Once per database: every demo entry is fictional and says so (names "Fictif — …",
    numbers from ARCEP's fiction ranges, example.org addresses)."""
    if not DirectoryEntry.objects.filter(is_fictional=True).exists():
        # The SIAO and the ASE keep the directory of their territory in real life; one
        # organisation keeps the demo's, so that its coordinator can edit every entry.
        DirectoryEntry.objects.bulk_create(
            directory_demo_entries(maintained_by=organisations["horizon"]), ignore_conflicts=True
        )
    if not AccommodationPlace.objects.filter(name__startswith="Fictif").exists():
        # Reproducible demo data, not a secret.
        rng = random.Random(seed)  # nosec B311
        places_demo_create(organisations=organisations, rng=rng)
