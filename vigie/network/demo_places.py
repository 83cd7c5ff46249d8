"""Demo accommodation places for the demo generator: clearly fictional, never a real address or
a number that looks real (no phone at all), and never a hotel (PlaceKind has none)."""

import random
from collections.abc import Iterable, Mapping

from django.utils import timezone

from vigie.accounts.models import Organisation
from vigie.cases.models import ExploitationForm

from .departements import departements_load
from .models import AccommodationPlace, PlaceKind

_NAMES = {
    PlaceKind.SPECIALISED_CENTRE: "Fictif — Centre sécurisé des Tilleuls",
    PlaceKind.FOSTER_FAMILY: "Fictif — Famille d'accueil du réseau Horizon",
    PlaceKind.CHILDRENS_HOME: "Fictif — Maison d'enfants Les Glycines",
    PlaceKind.MOTHER_CHILD_CENTRE: "Fictif — Centre maternel La Passerelle",
    PlaceKind.EMERGENCY: "Fictif — Accueil d'urgence Le Phare",
    PlaceKind.PAEDIATRIC: "Fictif — Lits de pédiatrie, hôpital imaginaire",
}
# Départements of other régions than the demo organisations' (Paris, Seine-Saint-Denis,
# Bouches-du-Rhône), where a child can be moved away from the exploiters.
_ELSEWHERE = ("69", "59", "33", "35", "31", "44", "67", "2A")
# Ages each kind typically takes in (the mother-and-child centre: mothers from 13).
_AGES = {
    PlaceKind.SPECIALISED_CENTRE: (13, 17),
    PlaceKind.FOSTER_FAMILY: (0, 17),
    PlaceKind.CHILDRENS_HOME: (6, 17),
    PlaceKind.MOTHER_CHILD_CENTRE: (13, 21),
    PlaceKind.EMERGENCY: (10, 17),
    PlaceKind.PAEDIATRIC: (0, 17),
}


def places_demo_create(
    *,
    organisations: Mapping[str, Organisation] | Iterable[Organisation],
    rng: random.Random,
) -> list[AccommodationPlace]:
    """One to three places per organisation in its départements, and a few more in other
    régions (so that "move far from the exploiters" finds some), some open to any territory.
    ``organisations``: a list, or the demo generator's mapping of them by key."""
    publishing = list(
        organisations.values() if isinstance(organisations, Mapping) else organisations
    )
    all_codes = list(departements_load())
    now = timezone.now()
    places = []
    publishers = [
        (o, list(o.departements or []) or all_codes, rng.randint(1, 3)) for o in publishing
    ]
    if publishing:
        publishers.append((publishing[0], [c for c in _ELSEWHERE if c in all_codes], 8))
    for organisation, codes, count in publishers:
        for _ in range(count):
            kind = rng.choice(list(PlaceKind))
            capacity = rng.randint(1, 8)
            youngest, oldest = _AGES[kind]
            genders = (
                ["girl"] if kind == PlaceKind.MOTHER_CHILD_CENTRE else ["girl", "boy", "other"]
            )
            forms = (
                []
                if rng.random() < 0.6
                else sorted(rng.sample(list(ExploitationForm.values), k=rng.randint(1, 3)))
            )
            places.append(
                AccommodationPlace(
                    organisation=organisation,
                    name=_NAMES[kind],
                    kind=kind,
                    departement=rng.choice(codes),
                    capacity=capacity,
                    available=rng.randint(0, capacity),
                    availability_updated_at=now,
                    age_min=youngest,
                    age_max=oldest,
                    genders=genders,
                    forms_accepted=forms,
                    # Seed Collective 2022 §IX.2: few places take children from elsewhere.
                    accepts_any_territory=rng.random() < 0.4,
                    notes="Lieu fictif, données de démonstration.",
                )
            )
    return AccommodationPlace.objects.bulk_create(places)
