"""Referrals through the API: the same selectors and services as the referral pages.

The receiving organisation reads only the sections the referral shares (``SharedFile``, built by
selectors_referrals), never the case; the organisation holding the file reads the referral and
the services recorded for the child, never a shared-file view of its own case.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Schema, Status
from pydantic import Field

from vigie.accounts.models import Organisation
from vigie.cases.selectors import case_get_for_user
from vigie.network.models import (
    ChildConsent,
    FileSection,
    Need,
    ParentsConsent,
    ReferralStatus,
)
from vigie.network.selectors_referrals import (
    ReferralSummary,
    referral_get_for_user,
    referral_page_for_user,
    referrals_incoming,
    referrals_outgoing,
)
from vigie.network.services import referrals as services
from vigie.network.services.consent import Consent

from .auth import actor_of, token
from .errors import COMMON_ERRORS, OBJECT_ERRORS
from .routing import ScopedRouter
from .scopes import ApiScope
from .types import Day, LongText, Ref

router = ScopedRouter(tags=["referrals"])


class Direction(models.TextChoices):
    SENT = "sent", gettext_lazy("Sent by your organisation")
    RECEIVED = "received", gettext_lazy("Received by your organisation")


class Side(models.TextChoices):
    REFERRER = "referrer", gettext_lazy("Your organisation holds the file")
    RECIPIENT = "recipient", gettext_lazy("Your organisation received the referral")


# --- The shared file: what the recipient reads, section by section -------------------------------


class RightLineOut(Schema):
    right_id: str
    title: str
    state: str
    state_label: str
    due_on: date | None
    due_words: str
    done_on: date | None


class IdentityOut(Schema):
    first_name: str
    last_name: str
    aliases: str
    birth_date: date | None
    birth_year: int | None
    age_disputed: bool
    majority_on: date | None
    # yes / presumed / no: the presumption of minority applied today.
    minority: str
    gender: str
    nationality: str
    languages: str


class SituationOut(Schema):
    exploitation_forms: list[str]
    exploitation_places: str
    exploitation_started_on: date | None
    exploitation_ended_on: date | None
    unaccompanied: bool
    care_status: str
    departement: str
    identified_on: date


class HealthOut(Schema):
    health_notes: str
    substances: list[str]
    disability: bool
    pregnant: bool
    children_count: int
    care_rights: list[RightLineOut]


class AgeAssessmentOut(Schema):
    assessed_on: date
    authority: str
    outcome: str


class AgeAppealOut(Schema):
    filed_on: date
    decided_on: date | None
    outcome: str


class ProceedingOut(Schema):
    role: str
    opened_on: date
    court: str
    non_punishment: str
    criminal_record_entry: bool
    closed_on: date | None


class HearingOut(Schema):
    held_on: date
    place: str
    recording: str
    trusted_third_party_present: bool


class CompensationOut(Schema):
    filed_on: date
    body: str
    amount_awarded: Decimal | None
    awarded_on: date | None
    amount_paid: Decimal | None
    paid_on: date | None


class LegalOut(Schema):
    guardianship: str
    legal_representative: str
    ad_hoc_administrator_requested_on: date | None
    ad_hoc_administrator_appointed_on: date | None
    ad_hoc_administrator_appointed_by: str
    ad_hoc_administrator_name: str
    age_assessments: list[AgeAssessmentOut]
    age_appeals: list[AgeAppealOut]
    proceedings: list[ProceedingOut]
    hearings: list[HearingOut]
    compensation_claims: list[CompensationOut]


class PlacementLineOut(Schema):
    kind: str
    started_on: date
    ended_on: date | None
    departement: str
    is_rights_violation: bool


class SchoolingOut(Schema):
    schooling: str
    schooling_rights: list[RightLineOut]


class SharedFileOut(Schema):
    """The sections shared, and only those: a section not shared is null."""

    reference: str
    sections: list[FileSection]
    identity: IdentityOut | None
    situation: SituationOut | None
    health: HealthOut | None
    legal: LegalOut | None
    accommodation: list[PlacementLineOut] | None
    schooling: SchoolingOut | None
    rights: list[RightLineOut] | None
    safety_notes: str | None


# --- Referrals -----------------------------------------------------------------------------------


class ReferralSummaryOut(Schema):
    uuid: UUID
    side: Side
    status: ReferralStatus
    # The status in words, an expiry included.
    status_label: str
    is_expired: bool
    service: Need
    service_label: str
    sections: list[FileSection]
    from_organisation: str
    to_organisation: str
    created_at: datetime
    expires_at: datetime
    # Only for the organisation holding the file.
    case_uuid: UUID | None
    case_reference: str | None


class ReferralPageOut(Schema):
    items: list[ReferralSummaryOut]


class ServiceLineOut(Schema):
    delivered_on: date
    description: str
    recorded_by: str


class ReferralOut(ReferralSummaryOut):
    message: str
    decided_at: datetime | None
    decline_reason: str
    revoked_at: datetime | None
    child_consent: ChildConsent | None
    parents_consent: ParentsConsent | None
    consent_recorded_on: date | None
    # The written reason of a share without agreement: for the organisation that decided it.
    override_reason: str
    services: list[ServiceLineOut]
    # For the recipient only, while it may read.
    shared_file: SharedFileOut | None


class ReferralStateOut(Schema):
    """Where a referral stands after an action (the recipient may not read it any more)."""

    uuid: UUID
    status: ReferralStatus
    expires_at: datetime
    decided_at: datetime | None
    revoked_at: datetime | None


class ReferralCreateIn(Schema):
    to_organisation: Ref
    service: Need
    # Only what the service needs: each section shared is a choice (CASF art. L.226-2-2).
    sections: list[FileSection] = Field(min_length=1, max_length=len(FileSection.values))
    message: LongText = ""
    # Access ends at the end of this day: at most a year away; three months if not given.
    expires_on: Day | None = None
    child_consent: ChildConsent
    parents_consent: ParentsConsent
    # Today if not given.
    consent_recorded_on: Day | None = None
    # Only with child_consent "override" (coordinators): why the file is shared without it.
    override_reason: LongText = ""


class ReferralDeclineIn(Schema):
    reason: LongText


class ReferralListQuery(Schema):
    direction: Direction = Direction.SENT


def _summary_out(summary: ReferralSummary) -> dict[str, Any]:
    is_referrer = summary.side == Side.REFERRER
    return {
        "uuid": summary.uuid,
        "side": summary.side,
        "status": summary.status,
        "status_label": summary.state_words,
        "is_expired": summary.is_expired,
        "service": summary.service or None,
        "service_label": summary.service_label,
        "sections": list(summary.sections),
        "from_organisation": summary.from_organisation,
        "to_organisation": summary.to_organisation,
        "created_at": summary.created_at,
        "expires_at": summary.expires_at,
        "case_uuid": summary.case_uuid if is_referrer else None,
        "case_reference": summary.case_reference if is_referrer else None,
    }


@router.get(
    "/referrals",
    response={200: ReferralPageOut, **COMMON_ERRORS},
    auth=token(ApiScope.REFERRALS_READ),
    summary="List referrals sent or received",
)
def referrals_list(request: HttpRequest, query: Query[ReferralListQuery]) -> Any:
    """The latest 200 referrals your organisation sent (``direction=sent``, with the files'
    references: the read is in the files' access logs) or received (``direction=received``:
    who, what and until when, no child data), newest first."""
    actor = actor_of(request)
    if query.direction == Direction.RECEIVED:
        summaries = referrals_incoming(actor=actor)
    else:
        summaries = referrals_outgoing(actor=actor)
    return {"items": [_summary_out(s) for s in summaries]}


@router.get(
    "/referrals/{uuid:referral_uuid}",
    response={200: ReferralOut, **OBJECT_ERRORS},
    auth=token(ApiScope.REFERRALS_READ),
    summary="Read a referral",
)
def referrals_read(request: HttpRequest, referral_uuid: UUID) -> Any:
    """The organisation holding the file reads the referral and the services recorded; the
    recipient reads the sections shared, and only those, while the referral is pending or
    accepted and not expired (a 404 otherwise). Either read goes in the child's access log."""
    page = referral_page_for_user(actor=actor_of(request), referral_uuid=referral_uuid)
    summary = page.referral
    return {
        **_summary_out(summary),
        "message": summary.message,
        "decided_at": summary.decided_at,
        "decline_reason": summary.decline_reason,
        "revoked_at": summary.revoked_at,
        "child_consent": summary.child_consent or None,
        "parents_consent": summary.parents_consent or None,
        "consent_recorded_on": summary.consent_recorded_on,
        "override_reason": summary.override_reason,
        "services": list(summary.services),
        "shared_file": page.shared_file,
    }


def _recipient(organisation_uuid: UUID) -> Organisation | None:
    # The organisations a referral may go to, as the form offers them: those using Vigie.
    return Organisation.objects.filter(uuid=organisation_uuid, is_active=True).first()


@router.post(
    "/cases/{uuid:case_uuid}/referrals",
    response={201: ReferralStateOut, **OBJECT_ERRORS},
    auth=token(ApiScope.REFERRALS_WRITE),
    summary="Refer a child to another organisation",
)
def referrals_create(request: HttpRequest, case_uuid: UUID, payload: ReferralCreateIn) -> Any:
    """Shares the chosen sections of the file with another organisation for a service. The
    young person's agreement or prior information, and the parents', are recorded with it; a
    share without the young person's agreement (``child_consent`` "override") is a coordinator's
    decision with a written ``override_reason`` (403 naming ``child_consent`` otherwise)."""
    actor = actor_of(request)
    # Scope first: another organisation's case is a 404 before anything sent is looked at.
    case = case_get_for_user(actor=actor, case_uuid=case_uuid)
    recipient = _recipient(payload.to_organisation)
    if recipient is None:
        raise ValidationError(
            {"to_organisation": _("No organisation using Vigie has this identifier.")}
        )
    today = timezone.localdate()
    consent = Consent(
        child_consent=payload.child_consent,
        parents_consent=payload.parents_consent,
        recorded_on=payload.consent_recorded_on or today,
        override_reason=payload.override_reason,
    )
    try:
        referral = services.referral_create(
            actor=actor,
            case=case,
            to_organisation=recipient,
            service=payload.service,
            sections=list(payload.sections),
            message=payload.message,
            consent=consent,
            expires_on=payload.expires_on or today + timedelta(days=services.DEFAULT_DURATION_DAYS),
        )
    except PermissionDenied:
        if payload.child_consent != ChildConsent.OVERRIDE:
            raise
        # As on the page: the file is the person's to refer, the override is not theirs.
        message = _("Only a coordinator may share without the young person's agreement.")
        return Status(403, _field_error("forbidden", message, "child_consent", message))
    return Status(201, referral)


def _field_error(code: str, message: str, field: str, field_message: str) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "field": field,
        "errors": [{"field": field, "message": field_message}],
    }


@router.post(
    "/referrals/{uuid:referral_uuid}/accept",
    response={200: ReferralStateOut, **OBJECT_ERRORS},
    auth=token(ApiScope.REFERRALS_WRITE),
    summary="Accept a referral received",
)
def referrals_accept(request: HttpRequest, referral_uuid: UUID) -> Any:
    """For the receiving organisation, while the referral awaits an answer (422 on ``status``
    otherwise). The referring worker is notified."""
    actor = actor_of(request)
    referral = referral_get_for_user(actor=actor, referral_uuid=referral_uuid)
    return services.referral_accept(actor=actor, referral=referral)


@router.post(
    "/referrals/{uuid:referral_uuid}/decline",
    response={200: ReferralStateOut, **OBJECT_ERRORS},
    auth=token(ApiScope.REFERRALS_WRITE),
    summary="Decline a referral received",
)
def referrals_decline(request: HttpRequest, referral_uuid: UUID, payload: ReferralDeclineIn) -> Any:
    """For the receiving organisation, saying why (``reason``, required: the referring worker
    must know where to turn next). The referral then no longer exists for the recipient."""
    actor = actor_of(request)
    referral = referral_get_for_user(actor=actor, referral_uuid=referral_uuid)
    return services.referral_decline(actor=actor, referral=referral, reason=payload.reason)


@router.post(
    "/referrals/{uuid:referral_uuid}/revoke",
    response={200: ReferralStateOut, **OBJECT_ERRORS},
    auth=token(ApiScope.REFERRALS_WRITE),
    summary="Revoke a referral sent",
)
def referrals_revoke(request: HttpRequest, referral_uuid: UUID) -> Any:
    """For the organisation holding the file, while the referral is pending or accepted (422 on
    ``status`` otherwise): the recipient's access ends at once."""
    actor = actor_of(request)
    referral = referral_get_for_user(actor=actor, referral_uuid=referral_uuid)
    return services.referral_revoke(actor=actor, referral=referral)
