"""What the ad and network pages show of the reports to the authorities, of the evidence export
and of the case file opened from an ad (owned by the reports part).

Both functions are given ads already loaded, and their read audited, by vigie/outreach/
selectors.py; they add reads of the same organisation only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from vigie.accounts.roles import Permission

from .models import AdCluster, Advertisement, AuthorityReport


@dataclass(frozen=True)
class ReportRow:
    uuid: str
    recipient: str
    reported_on: date
    reference: str
    scope: str
    ads_count: int


def reports_naming(
    ads: Iterable[Advertisement], *, organisation_id: int
) -> QuerySet[AuthorityReport]:
    """Reports of the organisation that name any of ``ads``, newest first, with their number of
    ads (counted over every ad of the report, not only those given)."""
    pks = [ad.pk for ad in ads]
    naming = AuthorityReport.objects.filter(organisation_id=organisation_id, ads__pk__in=pks)
    return (
        AuthorityReport.objects.filter(pk__in=naming.values("pk"))
        .annotate(ads_total=Count("ads"))
        .order_by("-reported_on", "-pk")
    )


def _rows(reports: QuerySet[AuthorityReport]) -> list[ReportRow]:
    return [
        ReportRow(
            uuid=str(report.uuid),
            recipient=report.get_recipient_display(),
            reported_on=report.reported_on,
            reference=report.reference,
            scope=report.get_scope_display(),
            ads_count=report.ads_total,  # type: ignore[attr-defined]
        )
        for report in reports
    ]


def _can(user: Any, permission: Permission) -> bool:
    return bool(user is not None and user.has_vigie_permission(permission))


def ad_reports_context(*, ad: Advertisement, user: Any) -> dict[str, Any]:
    """The reports naming the ad, what the person may do next, and the file opened from it."""
    return {
        "reports_ad": ad,
        "reports_rows": _rows(reports_naming([ad], organisation_id=ad.organisation_id)),
        "reports_can_record": _can(user, Permission.OUTREACH_EDIT),
        "reports_can_export": _can(user, Permission.OUTREACH_EVIDENCE_EXPORT),
        "reports_case": ad.case,
        "reports_can_open_case": _can(user, Permission.OUTREACH_EDIT)
        and _can(user, Permission.CASE_EDIT),
    }


def cluster_reports_context(
    *, cluster: AdCluster, ads: list[Advertisement], user: Any
) -> dict[str, Any]:
    """The reports naming any ad of the network; its address is that of its anchor ad."""
    anchor = next((ad for ad in ads if ad.pk == cluster.anchor_id), ads[0] if ads else None)
    return {
        "reports_anchor": anchor,
        "reports_rows": _rows(reports_naming(ads, organisation_id=cluster.organisation_id)),
        "reports_can_record": _can(user, Permission.OUTREACH_EDIT),
        "reports_can_export": _can(user, Permission.OUTREACH_EVIDENCE_EXPORT),
    }
