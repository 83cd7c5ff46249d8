"""A child's full file as a PDF, for a judge, the organisation taking the child over, or the young
person's own access request (GDPR art. 15).

Everything the file page shows, in the language chosen on the form: identity and situation,
screenings and their explained results, the rights plan with states and deadlines, the events
(placements, proceedings, appeals, compensation, status changes), the notes, the list of
documents (titles only: their content stays in Vigie), referrals and transfers. A header says
which organisation holds the file, when and by whom it was exported, and that the document falls
under shared professional secrecy (CASF art. L.226-2-2).

Rendered through vigie/network/pdf.py: WeasyPrint, A4, and a URL fetcher that fetches nothing.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.identification.catalogue import Catalogue, load_catalogue
from vigie.network.pdf import pdf_render
from vigie.network.selectors_referrals import ReferralSummary, referrals_for_case
from vigie.network.selectors_transfers import transfers_for_case
from vigie.rights.selectors import RightRow, rights_plan_for_case

from ..models import Case, CaseDocument
from ..selectors import case_get_for_user
from ..selectors_file import TimelineEntry, documents_for_case, timeline_for_case
from .case_list import ExportFile

if TYPE_CHECKING:
    from vigie.identification.models import Screening
    from vigie.network.models import Transfer

PDF_TEMPLATE = "cases/exports/case_file_pdf.html"
PDF_CONTENT_TYPE = "application/pdf"
CONFIDENTIAL_NOTICE = gettext_noop(
    "Confidential document — shared professional secrecy (CASF L.226-2-2)"
)


class FilePurpose(models.TextChoices):
    """Why the file leaves Vigie: recorded as the audit event's reason (the access log)."""

    JUDGE = "judge", gettext_lazy("For a judge or a court")
    TRANSFER = "transfer", gettext_lazy("For the organisation taking the child over (transfer)")
    ACCESS_REQUEST = (
        "access_request",
        gettext_lazy("The young person’s own access request (GDPR art. 15)"),
    )
    OTHER = "other", gettext_lazy("Other")


@dataclass(frozen=True)
class CaseFileDocument:
    """What the PDF shows, for a case already loaded (and audited) through case_get_for_user."""

    case: Case
    language: str
    organisation: str
    exported_at: datetime
    exported_by: str
    purpose: str
    notice: str
    screenings: list["Screening"]
    catalogue: Catalogue
    rights: list[RightRow]
    # Oldest first: a judge reads the file's story in order.
    events: list[TimelineEntry]
    notes: list[TimelineEntry]
    documents: list[CaseDocument]
    referrals: list[ReferralSummary]
    transfers: list["Transfer"]


def case_file_document(
    *, case: Case, exported_by: str, purpose: str, now: datetime | None = None
) -> CaseFileDocument:
    """The document in the active language (labels are taken when it is built)."""
    timeline = timeline_for_case(case=case)
    timeline.reverse()
    return CaseFileDocument(
        case=case,
        language=(translation.get_language() or settings.LANGUAGE_CODE)[:2],
        organisation=case.organisation.name,
        exported_at=timezone.localtime(now or timezone.now()),
        exported_by=exported_by,
        purpose=str(FilePurpose(purpose).label),
        notice=_(CONFIDENTIAL_NOTICE),
        screenings=list(case.screenings.select_related("created_by").order_by("created_at")),
        catalogue=load_catalogue(),
        rights=rights_plan_for_case(case=case),
        events=[entry for entry in timeline if entry.kind != "note"],
        notes=[entry for entry in timeline if entry.kind == "note"],
        documents=documents_for_case(case=case),
        referrals=referrals_for_case(case=case),
        transfers=list(transfers_for_case(case=case).order_by("created_at")),
    )


def case_file_pdf(document: CaseFileDocument) -> bytes:
    with translation.override(document.language):
        return pdf_render(
            template_name=PDF_TEMPLATE,
            context={
                "doc": document,
                "case": document.case,
                "title": _("Case file %(reference)s") % {"reference": document.case.reference},
                "notice": document.notice,
                "footer_reference": document.case.reference,
                "language": document.language,
            },
        )


def case_file_export(
    *,
    actor: Actor,
    case_uuid: uuid.UUID,
    purpose: str,
    language: str,
    now: datetime | None = None,
) -> ExportFile:
    """One file as a PDF, for a person who may open it (404 otherwise, another organisation's
    file included). Writes CASE_VIEW (the read, by case_get_for_user) then CASE_FILE_EXPORT with
    the purpose as reason, once the PDF is made: nothing leaves unaudited."""
    user = actor.user
    if user is None or not user.has_vigie_permission(Permission.CASE_FILE_EXPORT):
        raise PermissionDenied
    if purpose not in FilePurpose.values or language not in dict(settings.LANGUAGES):
        raise ValueError("unknown purpose or language")
    case = case_get_for_user(actor=actor, case_uuid=case_uuid)
    with translation.override(language):
        document = case_file_document(
            case=case, exported_by=user.full_name or user.email, purpose=purpose, now=now
        )
        content = case_file_pdf(document)
    audit_record(
        actor=actor, action=AuditAction.CASE_FILE_EXPORT, objects=[case], reason_code=purpose
    )
    reference = slugify(case.reference) or "dossier"
    day = document.exported_at.date().isoformat()
    return ExportFile(
        content=content,
        filename=f"dossier-{reference}-{day}.pdf",
        content_type=PDF_CONTENT_TYPE,
        count=1,
    )
