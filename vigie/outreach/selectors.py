"""Loading one advertisement or network from request input: the only way, scoped, audited.

Out of scope is a 404, never a 403 that would confirm the ad exists (as for case files).
"""

from __future__ import annotations

import uuid

from django.http import Http404

from vigie.accounts.models import User
from vigie.audit.services import Actor, AuditAction, audit_record

from .clustering import cluster_summary_label
from .clustering_types import ClusterSummary
from .models import AdCluster, Advertisement


def _require_user(actor: Actor) -> User:
    if actor.user is None:
        raise Http404
    return actor.user


def ad_get_for_user(
    *,
    actor: Actor,
    ad_uuid: uuid.UUID,
    action: AuditAction | None = AuditAction.OUTREACH_AD_VIEW,
) -> Advertisement:
    """One ad of the person's organisation, with its read audited (``action=None`` when the
    caller's own service writes the event, e.g. a contact logged on the ad)."""
    user = _require_user(actor)
    ad = (
        Advertisement.objects.visible_to(user)
        .select_related("organisation", "cluster", "case")
        .filter(uuid=ad_uuid)
        .first()
    )
    if ad is None:
        raise Http404
    if action is not None:
        audit_record(actor=actor, action=action, objects=[ad])
    return ad


def cluster_get_for_user(
    *,
    actor: Actor,
    ad_uuid: uuid.UUID,
    action: AuditAction | None = AuditAction.OUTREACH_CLUSTER_VIEW,
) -> tuple[AdCluster, list[Advertisement]]:
    """The possible network containing this ad, and its ads (oldest first); 404 when the ad is
    out of scope or linked to nothing. The audit event names every ad shown."""
    ad = ad_get_for_user(actor=actor, ad_uuid=ad_uuid, action=None)
    if ad.cluster is None:
        raise Http404
    cluster = ad.cluster
    ads = list(
        Advertisement.objects.filter(cluster=cluster, organisation_id=ad.organisation_id)
        .select_related("case")
        .order_by("pk")
    )
    if action is not None:
        audit_record(actor=actor, action=action, objects=ads)
    return cluster, ads


def cluster_label(cluster: AdCluster) -> str:
    """The network's summary ("possible network: 14 ads, 3 phones, 5 cities, 2 declared
    minors"), from the counts stored at the last refresh."""
    return cluster_summary_label(
        ClusterSummary(
            ads=cluster.ads_count,
            phones=cluster.phones_count,
            handles=cluster.handles_count,
            images=cluster.images_count,
            cities=cluster.cities_count,
            declared_minors=cluster.declared_minors,
        )
    )
