"""Fictional online advertisements with planted networks, to measure the clustering.

The issue asks for precision and recall of the clustering "on a synthetic set with planted
networks". Ads are shaped like French escort ads (a first name, a city, availability, a contact)
but worded neutrally; no real person's number can appear:

- Phones are drawn without replacement from +33 7 00 00 00 00 to +33 7 29 99 99 99. ARCEP has not
  opened 070-072 for mobiles, and libphonenumber agrees: these numbers are *possible* (they pass
  :func:`vigie.outreach.identifiers.phone_normalise`) but not *valid* (no allocated block). The
  ARCEP "fiction" blocks (01 99 00, 06 39 98...) hold 10,000 numbers each, too few for a million
  distinct ads, and libphonenumber rejects 06 39 98 as invalid anyway.
- Handles and image hashes are generated (a counter makes handles unique; image hashes are random
  64-bit values, whose accidental collisions are negligible at this scale).
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from vigie.outreach.clustering import AdId, AdRecord, Cluster

__all__ = ["PairwiseScores", "pairwise_precision_recall", "synthetic_ads"]

_PHONE_BASE = 700_000_000
_PHONE_RANGE = 30_000_000


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_NAMES = _words(
    "Lea Emma Chloe Ines Jade Louise Lina Mila Alice Rose Anna Julia Lou Zoe Nina Eva Sarah Manon "
    "Camille Clara Lucie Romane Agathe Margaux Juliette Charlotte Oceane Maelys Nour Yasmine Sofia "
    "Lola Elsa Maya Luna Ambre Salome Victoria Iris Adele Celia Amandine Laura Marine Pauline "
    "Justine Melissa Lisa Kenza Assia Naomie Jeanne Cassandra Estelle Coralie Noemie Elise"
)
_CITIES = _words(
    "Paris Marseille Lyon Toulouse Nice Nantes Montpellier Strasbourg Bordeaux Lille Rennes Reims "
    "Toulon Grenoble Dijon Angers Nimes Villeurbanne Clermont-Ferrand Le-Mans Aix-en-Provence "
    "Brest Tours Amiens Limoges Annecy Perpignan Metz Besancon Orleans Rouen Mulhouse Caen Nancy "
    "Argenteuil Montreuil Roubaix Tourcoing Avignon Poitiers"
)
_FRAGMENTS = (
    "nouvelle dans la ville pour quelques jours",
    "disponible en semaine et le week end",
    "premier contact par message uniquement",
    "pas de numero masque merci",
    "je reponds rapidement aux messages",
    "rendez vous uniquement sur reservation",
    "accueil dans un cadre calme et discret",
    "deplacement possible selon les horaires",
    "ambiance detendue et respectueuse",
    "merci de vous presenter poliment",
    "pas serieux s abstenir",
    "photos recentes et authentiques",
    "horaires souples en soiree",
    "je suis douce et souriante",
    "parking facile a proximite",
    "proche de la gare et du centre",
    "appartement prive climatise",
    "reservation la veille de preference",
    "je parle francais et anglais",
    "la ponctualite est appreciee",
    "disponible tard le soir",
    "je prefere les rendez vous en journee",
    "douche a disposition",
    "discretion assuree",
    "contact uniquement par application",
    "reponse sous une heure environ",
    "annonce mise a jour chaque semaine",
    "premiere fois dans la region",
    "de passage pour la semaine",
    "je ne reponds pas aux appels masques",
    "tarifs indiques par message",
    "environnement propre et agreable",
    "acces facile en transports",
    "je vous attends avec le sourire",
    "pas de messages vulgaires",
    "toujours de bonne humeur",
    "rendez vous confirmes une heure avant",
    "quartier tranquille et securise",
    "bienvenue aux nouveaux contacts",
    "calme et patiente",
    "je change de ville regulierement",
    "ouverte a la discussion",
    "planning complet le samedi",
    "merci de respecter les horaires",
    "boissons offertes",
    "ascenseur et digicode",
    "petite annonce sans surprise",
    "tenue elegante",
    "musique douce et lumiere tamisee",
    "chambre au rez de chaussee",
    "reservez tot pour le week end",
    "je reviens le mois prochain",
    "seulement quelques jours dans le secteur",
    "ecrivez moi pour plus de details",
    "reponse garantie sous la journee",
    "pas de photos supplementaires envoyees",
    "accueil chaleureux",
    "je suis etudiante",
    "derniere semaine dans la ville",
    "disponible aussi les jours feries",
)
_SYLLABLES = _words(
    "ba be bi bo bu da de di do ka ke ki ko la le li lo lu ma me mi mo na ne ni no ra re ri ro "
    "sa se si so ta te ti to va vi zo"
)
_PLATFORMS = ("snapchat", "instagram", "telegram")
_FRAGMENTS_PER_TEXT = 6


@dataclass(frozen=True, slots=True)
class PairwiseScores:
    """Pairwise precision and recall: pairs of ads put together versus truly together."""

    precision: float
    recall: float
    predicted_pairs: int
    true_pairs: int
    correct_pairs: int


class _Generator:
    def __init__(self, rng: random.Random, phone_count: int) -> None:
        self.rng = rng
        self.phones = iter(rng.sample(range(_PHONE_RANGE), phone_count))
        self.handle_counter = 0

    def phone(self) -> str:
        return f"+33{_PHONE_BASE + next(self.phones)}"

    def handle(self) -> str:
        self.handle_counter += 1
        rng = self.rng
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
        return f"{rng.choice(_PLATFORMS)}:{stem}_{self.handle_counter}"

    def image(self) -> str:
        return f"{self.rng.getrandbits(64):016x}"

    def pseudo_word(self) -> str:
        rng = self.rng
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))

    def text_parts(self) -> list[str]:
        """A name, six fragments and three pseudo-words: two independent ads share few shingles."""
        rng = self.rng
        parts = [f"coucou moi c est {rng.choice(_NAMES)}"]
        parts.extend(rng.sample(_FRAGMENTS, _FRAGMENTS_PER_TEXT))
        for _ in range(3):
            parts.insert(rng.randint(1, len(parts)), self.pseudo_word())
        return parts


def _render(parts: list[str], city: str, age: int, price: int) -> str:
    return (
        f"{parts[0]}, {age} ans, a {city}. "
        + ". ".join(parts[1:])
        + f". {price} la demi heure, contact en message."
    )


def synthetic_ads(
    n: int, *, seed: int, networks_share: float = 0.3, max_network_size: int = 40
) -> tuple[list[AdRecord], dict[AdId, int | None]]:
    """Return ``n`` fictional ads in shuffled order and the truth: ad id to network number or None.

    About ``networks_share`` of the ads belong to planted networks of 2 to ``max_network_size``
    ads. A network owns 1-3 phones, 0-2 handles, 1-4 photos and one text template; each of its ads
    reuses the template (city, age and price changed, sometimes one more word) with probability
    0.85, one of the phones with probability 0.8, a handle 0.4, a photo 0.5, and at least one of
    those. Isolated ads have their own phone, possibly a handle, their own photos and an
    independent text. About 1% of ads declare an age of 16 or 17.
    """
    if n < 0 or not 0.0 <= networks_share <= 1.0 or max_network_size < 2:
        raise ValueError("n >= 0, 0 <= networks_share <= 1 and max_network_size >= 2")
    # Reproducible fiction, not a secret.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    generator = _Generator(rng, phone_count=n + 3 * n // 2 + 3)
    drafts: list[tuple[AdRecord, int | None]] = []

    def age() -> int:
        return rng.randint(16, 17) if rng.random() < 0.01 else rng.randint(18, 45)

    network_budget = int(n * networks_share)
    network = 0
    while network_budget >= 2:
        size = min(network_budget, 2 + int(rng.paretovariate(1.3)) % (max_network_size - 1))
        network_budget -= size
        network += 1
        phones = [generator.phone() for _ in range(rng.randint(1, 3))]
        handles = [generator.handle() for _ in range(rng.randint(0, 2))]
        images = [generator.image() for _ in range(rng.randint(1, 4))]
        template = generator.text_parts()
        cities = rng.sample(_CITIES, rng.randint(1, 5))
        base_price = rng.choice((80, 100, 120, 150, 200))
        network_age = age()
        for _ in range(size):
            uses_text = rng.random() < 0.85
            ad_phones = [rng.choice(phones)] if rng.random() < 0.8 else []
            ad_handles = [rng.choice(handles)] if handles and rng.random() < 0.4 else []
            ad_images = [rng.choice(images)] if rng.random() < 0.5 else []
            if not (uses_text or ad_phones or ad_handles or ad_images):
                ad_phones = [rng.choice(phones)]
            if not ad_phones:
                ad_phones = [generator.phone()]
            ad_images.append(generator.image())
            if uses_text:
                parts = list(template)
                if rng.random() < 0.3:
                    parts.insert(rng.randint(1, len(parts)), generator.pseudo_word())
                price = base_price + (20 if rng.random() < 0.2 else 0)
                ad_age = network_age
            else:
                parts = generator.text_parts()
                price = rng.choice((80, 100, 120, 150, 200))
                ad_age = age()
            city = rng.choice(cities)
            record = AdRecord(
                id="",
                phones=tuple(ad_phones),
                handles=tuple(ad_handles),
                image_hashes=tuple(ad_images),
                text=_render(parts, city, ad_age, price),
                city=city,
                declared_age=ad_age,
            )
            drafts.append((record, network))
    while len(drafts) < n:
        city = rng.choice(_CITIES)
        ad_age = age()
        record = AdRecord(
            id="",
            phones=(generator.phone(),),
            handles=(generator.handle(),) if rng.random() < 0.4 else (),
            image_hashes=tuple(generator.image() for _ in range(rng.randint(1, 3))),
            text=_render(generator.text_parts(), city, ad_age, rng.choice((80, 100, 120, 150))),
            city=city,
            declared_age=ad_age,
        )
        drafts.append((record, None))
    rng.shuffle(drafts)
    ads: list[AdRecord] = []
    truth: dict[AdId, int | None] = {}
    for position, (draft, network_number) in enumerate(drafts):
        ad_id = f"ad{position:07d}"
        ads.append(dataclasses.replace(draft, id=ad_id))
        truth[ad_id] = network_number
    return ads, truth


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def pairwise_precision_recall(
    clusters: Iterable[Cluster], truth: Mapping[AdId, int | None]
) -> PairwiseScores:
    """Precision: share of the pairs put in one cluster that belong to one network. Recall: share
    of the pairs of one network put in one cluster. An empty denominator counts as 1.0."""
    true_sizes = Counter(network for network in truth.values() if network is not None)
    true_pairs = sum(_pairs(size) for size in true_sizes.values())
    predicted_pairs = 0
    correct_pairs = 0
    for cluster in clusters:
        predicted_pairs += _pairs(len(cluster.members))
        by_network = Counter(truth.get(ad.id) for ad in cluster.members)
        correct_pairs += sum(
            _pairs(size) for network, size in by_network.items() if network is not None
        )
    return PairwiseScores(
        precision=correct_pairs / predicted_pairs if predicted_pairs else 1.0,
        recall=correct_pairs / true_pairs if true_pairs else 1.0,
        predicted_pairs=predicted_pairs,
        true_pairs=true_pairs,
        correct_pairs=correct_pairs,
    )
