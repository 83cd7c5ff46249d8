"""Demo online advertisements: `vigie demo --ads N`.

The synthetic ads with planted networks (synthetic.py) recorded for the demo association
through ``ads_import``, the path the form and the file import take (signs, identifiers,
encryption, clusters computed as in use), then the stored clusters (``Advertisement.cluster``)
scored against the planted truth: the issue asks for the clustering's precision and recall on
such a set. Every ad is fictional: a test site, phones in a block no operator was given.
"""

import random
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from vigie.accounts.models import User
from vigie.audit.services import Actor
from vigie.demo import data
from vigie.demo.services import demo_accounts_ensure, demo_allowed

from .clustering_types import AdRecord, Cluster
from .models import Advertisement
from .services.ad_input import AdInput, url_index, url_normalise
from .services.ads import ads_import
from .synthetic import PairwiseScores, pairwise_precision_recall, synthetic_ads

DEMO_SITE = "annonces-exemple.test"
# The association whose outreach team records the demo ads, and the worker who imports them.
DEMO_ORGANISATION_KEY = "horizon"
DEMO_WORKER_LOCAL_PART = "intervenante"
# Ads seen during the last two months, each for up to two weeks.
SEEN_WITHIN_DAYS = 60
SEEN_FOR_DAYS = 14
# ads_import reclusters every ad of the organisation after each call, so one call for the
# whole set is the fastest (measured on SQLite: 10,000 ads in 16 s in one call, 52 s in batches
# of 2,000); batches only bound the memory of much larger sets.
DEFAULT_BATCH = 20_000


@dataclass(frozen=True)
class DemoAdsResult:
    created: int
    seen_again: int
    seconds: float
    scores: PairwiseScores


def _demo_worker() -> User:
    person = next(
        p
        for p in data.USERS
        if p.org_key == DEMO_ORGANISATION_KEY and p.local_part == DEMO_WORKER_LOCAL_PART
    )
    return User.objects.select_related("organisation").get(email=person.email)


def demo_ad_url(seed: int, record_id: str) -> str:
    return f"https://{DEMO_SITE}/annonce/{seed}-{record_id}"


def demo_ad_inputs(records: list[AdRecord], *, seed: int, today: date) -> list[AdInput]:
    """Each synthetic record as a worker would have recorded it: a site, an address, dates."""
    # Reproducible fiction, not a secret.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    items = []
    for record in records:
        first = today - timedelta(days=rng.randint(0, SEEN_WITHIN_DAYS))
        last = min(today, first + timedelta(days=rng.randint(0, SEEN_FOR_DAYS)))
        items.append(
            AdInput(
                site=DEMO_SITE,
                url=demo_ad_url(seed, str(record.id)),
                first_seen_on=first,
                last_seen_on=last,
                text=record.text,
                declared_age=record.declared_age,
                city=record.city or "",
                phones=record.phones,
                handles=record.handles,
                image_hashes=record.image_hashes,
            )
        )
    return items


def stored_clusters_scores(
    *, records: list[AdRecord], truth: dict[str | int, int | None], seed: int, organisation_id: int
) -> PairwiseScores:
    """The pairwise precision and recall of the clusters stored for these ads."""
    by_index = {
        url_index(url_normalise(demo_ad_url(seed, str(record.id)))): record for record in records
    }
    members: dict[int, list[AdRecord]] = defaultdict(list)
    stored = Advertisement.objects.filter(organisation_id=organisation_id, cluster__isnull=False)
    for index, cluster_id in stored.values_list("url_index", "cluster_id").iterator():
        record = by_index.get(index)
        if record is not None:
            members[cluster_id].append(record)
    clusters = [
        Cluster(number=number, members=tuple(ads), links=())
        for number, ads in enumerate(members.values(), start=1)
    ]
    return pairwise_precision_recall(clusters, truth)


def demo_ads_load(
    *, count: int, seed: int, today: date | None = None, batch_size: int = DEFAULT_BATCH
) -> DemoAdsResult:
    """Record ``count`` synthetic ads for the demo association (ads already recorded, same
    seed, are seen again: nothing is duplicated) and score the stored clusters."""
    if not demo_allowed():
        raise ImproperlyConfigured("Demo data is refused with these settings (production?).")
    if count < 0 or batch_size < 1:
        raise ValueError("count >= 0 and batch_size >= 1")
    started = time.perf_counter()
    demo_accounts_ensure(seed=seed)
    worker = _demo_worker()
    organisation = worker.organisation
    if organisation is None:  # the demo accounts were changed by hand
        raise ImproperlyConfigured("The demo caseworker belongs to no organisation.")
    records, truth = synthetic_ads(count, seed=seed)
    items = demo_ad_inputs(records, seed=seed, today=today or timezone.localdate())
    created = seen_again = 0
    for start in range(0, len(items), batch_size):
        recorded = ads_import(
            actor=Actor(worker), organisation=organisation, items=items[start : start + batch_size]
        )
        created += len(recorded.created)
        seen_again += len(recorded.seen_again)
    scores = stored_clusters_scores(
        records=records, truth=dict(truth), seed=seed, organisation_id=organisation.pk
    )
    return DemoAdsResult(
        created=created,
        seen_again=seen_again,
        seconds=time.perf_counter() - started,
        scores=scores,
    )
