"""Factories for the directory of institutional contacts."""

import factory

from vigie.network.models import ContactKind, DirectoryEntry, Need

from .factories import OrganisationFactory


class DirectoryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectoryEntry

    name = factory.Sequence(lambda n: f"Service {n}")
    kind = ContactKind.UAPED
    departement = "75"
    needs = factory.LazyFunction(lambda: [Need.HEALTH.value])
    role = "Accueil pédiatrique des enfants en danger."
    hours = "24 h/24"
    # ARCEP's fiction range (see vigie/network/demo_directory.py).
    phone = factory.Sequence(lambda n: f"+3319900{n % 10000:04d}")
    email = factory.Sequence(lambda n: f"service{n}@example.org")
    maintained_by = factory.SubFactory(OrganisationFactory)
