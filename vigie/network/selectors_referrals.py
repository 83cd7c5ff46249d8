"""Reads of referrals for a person, each scoped: out of scope is a 404, never a 403.

A referral is seen by the organisation holding the file (whatever its status) and by the
recipient while it may read (pending or accepted, not expired): a declined, revoked or expired
referral does not exist for the recipient any more. Templates get ``ReferralSummary`` and
``SharedFile`` values, never the Case: the recipient's page cannot reach a section not shared.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import User
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.cases.models import Case

from .models import READABLE_STATUSES, FileSection, Referral, ReferralStatus
from .shared_file import SharedFile, shared_file_build

# The lists show the latest referrals; older ones stay reachable from each case page.
LIST_LIMIT = 200

REFERRER, RECIPIENT = "referrer", "recipient"


@dataclass(frozen=True)
class ServiceLine:
    delivered_on: date
    description: str
    recorded_by: str


@dataclass(frozen=True)
class ReferralSummary:
    """One referral as a page shows it. ``case_*`` only for the organisation holding the file."""

    uuid: UUID
    side: str
    status: str
    status_label: str
    is_expired: bool
    is_readable: bool
    service_label: str
    from_organisation: str
    to_organisation: str
    created_at: datetime
    expires_at: datetime
    section_labels: tuple[str, ...]
    message: str = ""
    decided_at: datetime | None = None
    decline_reason: str = ""
    revoked_at: datetime | None = None
    child_consent_label: str = ""
    parents_consent_label: str = ""
    consent_recorded_on: date | None = None
    override_reason: str = ""
    case_uuid: UUID | None = None
    case_reference: str = ""
    services: tuple[ServiceLine, ...] = field(default_factory=tuple)
    # The codes behind the labels, for the API (the pages show the labels).
    service: str = ""
    sections: tuple[str, ...] = ()
    child_consent: str = ""
    parents_consent: str = ""

    @property
    def state_words(self) -> str:
        """The status in words, an expiry included (never said by colour alone)."""
        if self.status in READABLE_STATUSES and self.is_expired:
            return _("Expired")
        return self.status_label

    @property
    def can_answer(self) -> bool:
        return self.side == RECIPIENT and self.status == ReferralStatus.PENDING

    @property
    def can_record_service(self) -> bool:
        return self.side == RECIPIENT and self.status == ReferralStatus.ACCEPTED

    @property
    def can_revoke(self) -> bool:
        return self.side == REFERRER and self.status in READABLE_STATUSES


def _user(actor: Actor) -> tuple[User, int]:
    """The person and their organisation; someone of no organisation sees no referral."""
    user = actor.user
    if user is None or user.organisation_id is None:
        raise Http404
    return user, user.organisation_id


def _recipient_may_read(organisation_id: int) -> Q:
    return Q(
        to_organisation_id=organisation_id,
        status__in=READABLE_STATUSES,
        expires_at__gt=timezone.now(),
    )


def _visible(organisation_id: int) -> QuerySet[Referral]:
    return Referral.objects.filter(
        Q(case__organisation_id=organisation_id) | _recipient_may_read(organisation_id)
    )


def referral_get_for_user(*, actor: Actor, referral_uuid: UUID) -> Referral:
    """The only way to load one referral from request input. Not audited: no child data read."""
    _person, organisation_id = _user(actor)
    referral = (
        _visible(organisation_id)
        .select_related("case__organisation", "from_organisation", "to_organisation", "created_by")
        .filter(uuid=referral_uuid)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def _side(organisation_id: int, referral: Referral) -> str:
    return REFERRER if referral.case.organisation_id == organisation_id else RECIPIENT


def _section_labels(codes: list[str]) -> tuple[str, ...]:
    labels = dict(FileSection.choices)
    return tuple(str(labels[c]) for c in FileSection.values if c in codes)


def _summary(referral: Referral, side: str, *, detail: bool = False) -> ReferralSummary:
    values: dict[str, object] = {}
    if side == REFERRER:
        values |= {"case_uuid": referral.case.uuid, "case_reference": referral.case.reference}
    if detail:
        values |= {
            "message": referral.message,
            "decided_at": referral.decided_at,
            "decline_reason": referral.decline_reason,
            "revoked_at": referral.revoked_at,
            "child_consent_label": str(referral.get_child_consent_display()),
            "parents_consent_label": str(referral.get_parents_consent_display()),
            "child_consent": referral.child_consent,
            "parents_consent": referral.parents_consent,
            "consent_recorded_on": referral.consent_recorded_on,
            "services": tuple(
                ServiceLine(
                    delivered_on=record.delivered_on,
                    description=record.description,
                    recorded_by=record.created_by.full_name if record.created_by else "",
                )
                for record in referral.services.select_related("created_by")
            ),
        }
        if side == REFERRER:
            # The override's written reason stays with the organisation that decided it.
            values["override_reason"] = referral.override_reason
    return ReferralSummary(
        uuid=referral.uuid,
        side=side,
        status=referral.status,
        status_label=str(referral.get_status_display()),
        is_expired=referral.is_expired,
        is_readable=referral.is_readable,
        service_label=str(referral.get_service_display()),
        from_organisation=referral.from_organisation.name,
        to_organisation=referral.to_organisation.name,
        created_at=referral.created_at,
        expires_at=referral.expires_at,
        section_labels=_section_labels(referral.sections),
        service=referral.service,
        sections=tuple(referral.sections),
        **values,  # type: ignore[arg-type]
    )


_LIST_FIELDS = (
    "uuid",
    "status",
    "service",
    "sections",
    "created_at",
    "expires_at",
    "case__uuid",
    "case__reference",
    "case__organisation_id",
    "from_organisation__name",
    "to_organisation__name",
)


def referrals_outgoing(*, actor: Actor) -> list[ReferralSummary]:
    """The referrals of the organisation's files, newest first.

    Writes one CASE_LIST event naming the files listed, as the case list does: the page shows
    their references.
    """
    _person, organisation_id = _user(actor)
    referrals = list(
        Referral.objects.filter(case__organisation_id=organisation_id)
        .select_related("case", "from_organisation", "to_organisation")
        .only(*_LIST_FIELDS)
        .order_by("-created_at")[:LIST_LIMIT]
    )
    cases = list({r.case_id: r.case for r in referrals}.values())
    if cases:
        audit_record(actor=actor, action=AuditAction.CASE_LIST, objects=cases)
    return [_summary(r, REFERRER) for r in referrals]


def referrals_incoming(*, actor: Actor) -> list[ReferralSummary]:
    """Referrals received, every status: no child data, only who, what and until when."""
    _person, organisation_id = _user(actor)
    referrals = (
        Referral.objects.filter(to_organisation_id=organisation_id)
        .exclude(case__organisation_id=organisation_id)
        .select_related("case", "from_organisation", "to_organisation")
        .only(*_LIST_FIELDS)
        .order_by("-created_at")[:LIST_LIMIT]
    )
    return [_summary(r, RECIPIENT) for r in referrals]


def referrals_for_case(*, case: Case) -> list[ReferralSummary]:
    """The referrals of a file already obtained (and audited) through case_get_for_user."""
    referrals = (
        Referral.objects.filter(case=case)
        .select_related("case", "from_organisation", "to_organisation")
        .only(*_LIST_FIELDS)
        .order_by("-created_at")
    )
    return [_summary(r, REFERRER) for r in referrals]


def _shared_file(actor: Actor, referral: Referral) -> SharedFile:
    audit_record(
        actor=actor, action=AuditAction.REFERRAL_FILE_VIEW, objects=[referral.case, referral]
    )
    return shared_file_build(case=referral.case, sections=referral.sections)


def shared_file_get_for_user(*, actor: Actor, referral_uuid: UUID) -> SharedFile:
    """The shared sections, for the recipient only; the read goes in the child's access log."""
    _person, organisation_id = _user(actor)
    referral = referral_get_for_user(actor=actor, referral_uuid=referral_uuid)
    if _side(organisation_id, referral) != RECIPIENT:
        raise Http404
    return _shared_file(actor, referral)


@dataclass(frozen=True)
class ReferralPage:
    referral: ReferralSummary
    shared_file: SharedFile | None


def referral_page_for_user(*, actor: Actor, referral_uuid: UUID) -> ReferralPage:
    """The referral's page. Audited either way: the recipient reads the shared sections
    (REFERRAL_FILE_VIEW), the referrer the services recorded for the child (CASE_VIEW)."""
    _person, organisation_id = _user(actor)
    referral = referral_get_for_user(actor=actor, referral_uuid=referral_uuid)
    side = _side(organisation_id, referral)
    summary = _summary(referral, side, detail=True)
    if side == RECIPIENT:
        return ReferralPage(referral=summary, shared_file=_shared_file(actor, referral))
    audit_record(actor=actor, action=AuditAction.CASE_VIEW, objects=[referral.case, referral])
    return ReferralPage(referral=summary, shared_file=None)
