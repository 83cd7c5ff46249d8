"""The evidence of one ad or of a possible network, as a PDF for Pharos, the police or a
prosecutor (issue 10: "a PDF export of the cluster's evidence (ads, dates, linked identifiers)
for the authorities, audited").

What it holds: the organisation, when and by whom it was made, each ad (reference, site,
address, first and last seen, city, stated age, text, pseudonyms, signs of a minor found), the
phones, accounts and photo fingerprints with the ads sharing each, the near-identical texts, and
the reports already made. What it leaves out on purpose: the worker's observations and the
contacts (they are about the person reached, not evidence about the ads) and any case file
opened from an ad (the child's file never leaves through this door).

Rendered through vigie/network/pdf.py (WeasyPrint, fetches nothing) in the active language.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.cases.exports.case_list import ExportFile
from vigie.network.pdf import pdf_render

from .clustering_types import LinkKind
from .models import (
    AdCluster,
    AdIdentifier,
    Advertisement,
    AuthorityReport,
    IdentifierKind,
    ReportScope,
)
from .selectors import ad_get_for_user, cluster_get_for_user
from .signs import signs_for_ad

PDF_TEMPLATE = "outreach/evidence_pdf.html"
PDF_CONTENT_TYPE = "application/pdf"
CONFIDENTIAL_NOTICE = gettext_noop(
    "Confidential — evidence for the authorities, not to be published or passed on"
)


@dataclass(frozen=True)
class EvidenceSign:
    label: str
    evidence: str


@dataclass(frozen=True)
class EvidenceAd:
    reference: str
    site: str
    url: str
    first_seen_on: date
    last_seen_on: date
    city: str
    declared_age: int | None
    text: str
    pseudonyms: list[str]
    signs: list[EvidenceSign]


@dataclass(frozen=True)
class EvidenceIdentifier:
    kind: str
    value: str
    # The exported ads carrying it, in the document's order.
    references: list[str]


@dataclass(frozen=True)
class EvidenceTextLink:
    first: str
    second: str
    similarity: str


@dataclass(frozen=True)
class EvidenceReport:
    recipient: str
    reported_on: date
    reference: str
    scope: str
    references: list[str]


@dataclass(frozen=True)
class EvidenceDocument:
    title: str
    language: str
    organisation: str
    exported_at: datetime
    exported_by: str
    notice: str
    ads: list[EvidenceAd]
    identifiers: list[EvidenceIdentifier]
    text_links: list[EvidenceTextLink]
    reports: list[EvidenceReport]


def _identifiers(ads: list[Advertisement]) -> list[EvidenceIdentifier]:
    references = {ad.pk: ad.reference for ad in ads}
    order = {ad.pk: position for position, ad in enumerate(ads)}
    carriers: dict[tuple[str, str], list[int]] = defaultdict(list)
    rows = AdIdentifier.objects.filter(ad__in=ads).order_by("kind", "pk")
    for identifier in rows:
        carriers[(identifier.kind, identifier.value)].append(identifier.ad_id)
    kinds = {value: str(label) for value, label in IdentifierKind.choices}
    kind_order = {value: position for position, value in enumerate(IdentifierKind.values)}
    items = sorted(
        carriers.items(),
        key=lambda item: (kind_order.get(item[0][0], 99), -len(item[1]), item[0][1]),
    )
    return [
        EvidenceIdentifier(
            kind=kinds.get(kind, kind),
            value=value,
            references=[references[pk] for pk in sorted(set(pks), key=order.__getitem__)],
        )
        for (kind, value), pks in items
    ]


def _text_links(cluster: AdCluster | None, ads: list[Advertisement]) -> list[EvidenceTextLink]:
    if cluster is None or not cluster.links:
        return []
    references = {str(ad.uuid): ad.reference for ad in ads}
    links = []
    for source, target, kind, value in json.loads(cluster.links):
        if kind == LinkKind.TEXT and source in references and target in references:
            links.append(EvidenceTextLink(references[source], references[target], str(value)))
    return links


def _reports(ads: list[Advertisement]) -> list[EvidenceReport]:
    exported = {ad.pk for ad in ads}
    reports = (
        AuthorityReport.objects.filter(
            pk__in=AuthorityReport.objects.filter(ads__in=ads).values("pk")
        )
        .prefetch_related(Prefetch("ads", queryset=Advertisement.objects.only("pk", "reference")))
        .order_by("reported_on", "pk")
    )
    return [
        EvidenceReport(
            recipient=report.get_recipient_display(),
            reported_on=report.reported_on,
            reference=report.reference,
            scope=report.get_scope_display(),
            # Only the references this document describes: another ad stays out of it.
            references=sorted(ad.reference for ad in report.ads.all() if ad.pk in exported),
        )
        for report in reports
    ]


def _ad(ad: Advertisement) -> EvidenceAd:
    signs = signs_for_ad(
        text=ad.text, declared_age=ad.declared_age, worker_flags=set(ad.worker_flags)
    )
    return EvidenceAd(
        reference=ad.reference,
        site=ad.site,
        url=ad.url,
        first_seen_on=ad.first_seen_on,
        last_seen_on=ad.last_seen_on,
        city=ad.city,
        declared_age=ad.declared_age,
        text=ad.text,
        pseudonyms=ad.pseudonym_list,
        signs=[EvidenceSign(label=m.label, evidence=str(m.evidence)) for m in signs.signs],
    )


def evidence_document(
    *,
    ads: list[Advertisement],
    cluster: AdCluster | None,
    organisation: str,
    exported_by: str,
    now: datetime | None = None,
) -> EvidenceDocument:
    """The document in the active language, for ads already loaded by the scoped selectors."""
    if cluster is None:
        title = _("Evidence: advertisement %(reference)s") % {"reference": ads[0].reference}
    else:
        title = _("Evidence: possible network of %(count)s advertisements") % {"count": len(ads)}
    return EvidenceDocument(
        title=title,
        language=(translation.get_language() or settings.LANGUAGE_CODE)[:2],
        organisation=organisation,
        exported_at=timezone.localtime(now or timezone.now()),
        exported_by=exported_by,
        notice=_(CONFIDENTIAL_NOTICE),
        ads=[_ad(ad) for ad in ads],
        identifiers=_identifiers(ads),
        text_links=_text_links(cluster, ads),
        reports=_reports(ads),
    )


def evidence_pdf(document: EvidenceDocument) -> bytes:
    with translation.override(document.language):
        return pdf_render(
            template_name=PDF_TEMPLATE,
            context={
                "doc": document,
                "title": document.title,
                "notice": document.notice,
                "footer_reference": document.organisation,
                "language": document.language,
            },
        )


def evidence_export(
    *, actor: Actor, ad_uuid: uuid.UUID, scope: str, now: datetime | None = None
) -> ExportFile:
    """The evidence of the ad (``scope`` "ad") or of its network ("cluster") as a PDF, in the
    active language; 404 out of scope. One OUTREACH_EVIDENCE_EXPORT event names every ad, once
    the PDF is made: nothing leaves unaudited."""
    user = actor.user
    if user is None or not user.has_vigie_permission(Permission.OUTREACH_EVIDENCE_EXPORT):
        raise PermissionDenied
    cluster: AdCluster | None
    if scope == ReportScope.CLUSTER:
        cluster, ads = cluster_get_for_user(actor=actor, ad_uuid=ad_uuid, action=None)
    elif scope == ReportScope.AD:
        cluster, ads = None, [ad_get_for_user(actor=actor, ad_uuid=ad_uuid, action=None)]
    else:
        raise ValueError(f"unknown evidence scope: {scope!r}")
    document = evidence_document(
        ads=ads,
        cluster=cluster,
        organisation=ads[0].organisation.name,
        exported_by=user.full_name or user.email,
        now=now,
    )
    content = evidence_pdf(document)
    audit_record(
        actor=actor, action=AuditAction.OUTREACH_EVIDENCE_EXPORT, objects=ads, reason_code=scope
    )
    anchor = slugify(ads[0].reference) or "annonce"
    kind = "reseau" if cluster is not None else "annonce"
    day = document.exported_at.date().isoformat()
    return ExportFile(
        content=content,
        filename=f"preuves-{kind}-{anchor}-{day}.pdf",
        content_type=PDF_CONTENT_TYPE,
        count=len(ads),
    )
