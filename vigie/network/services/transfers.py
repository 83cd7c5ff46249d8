"""Transfers: a child moves to another organisation, another département or abroad, and the file
goes with her or him (issue 6, "Transfer and continuity of care").

A transfer to an organisation using Vigie hands the whole file over once the recipient accepts:
ownership moves, the history stays (every dated event, document, right, note and change remains
attached to the case). A partner abroad receives no file, only the continuity summary as a
bilingual PDF (Collective 2022 §I: transnational monitoring protocol); sending it closes the
file here as "transferred". Every transfer needs the recorded consent or prior information of
the young person, or a coordinator's written override (CASF art. L.226-2-2).

Transfers are a coordinator's decision (Permission.TRANSFER_MANAGE), on both sides.
"""

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.cases.models import ACTIVE_STATUSES, Case, CaseChange, CaseStatus
from vigie.cases.services.editing import case_version_write
from vigie.cases.services.opening import case_reference_new
from vigie.cases.services.status import case_status_change

from ..departements import departement_get
from ..models import (
    READABLE_STATUSES,
    ChildConsent,
    HoldStatus,
    NotificationKind,
    PlaceHold,
    Referral,
    ReferralStatus,
    Transfer,
    TransferDestination,
    TransferStatus,
)
from .consent import Consent, consent_apply, consent_check
from .notifications import notify_organisation, notify_users

FRANCE = "FR"
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")
# Audit reason code of a transfer made without the young person's agreement.
CONSENT_OVERRIDE_CODE = "consent_override"


def _require_coordinator(actor: Actor) -> Organisation:
    """TRANSFER_MANAGE, within an organisation: the actor's organisation."""
    user = actor.user
    if user is None or not user.has_vigie_permission(Permission.TRANSFER_MANAGE):
        raise PermissionDenied
    if user.organisation is None:
        raise PermissionDenied
    return user.organisation


def _require_proposed(transfer: Transfer) -> None:
    if transfer.status != TransferStatus.PROPOSED:
        raise ValidationError(
            {
                "status": _("This transfer is no longer awaiting an answer: it is %(status)s.")
                % {"status": TransferStatus(transfer.status).label}
            }
        )


def _detail_url(transfer: Transfer) -> str:
    return reverse("network:transfer_detail", kwargs={"transfer_uuid": transfer.uuid})


def _locked(transfer: Transfer) -> Transfer:
    """The transfer's row, locked and read again: two coordinators may answer at once."""
    # Only the transfer's row ("self"): the organisations are read, not locked, and PostgreSQL
    # cannot lock the nullable side of the join to the recipient.
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("case", "from_organisation", "to_organisation")
        .get(pk=transfer.pk)
    )


def _destination_checked(
    *,
    case: Case,
    destination: str,
    to_organisation: Organisation | None,
    partner_name: str,
    partner_country: str,
    new_departement: str,
) -> dict[str, Any]:
    """The destination fields as stored, or ValidationError naming the field."""
    if destination not in TransferDestination.values:
        raise ValidationError({"destination": _("Choose where the file goes.")})
    if destination == TransferDestination.ORGANISATION:
        if (
            to_organisation is None
            or not to_organisation.is_active
            or to_organisation.pk == case.organisation_id
        ):
            raise ValidationError(
                {"to_organisation": _("Choose another active organisation using Vigie.")}
            )
        departement = new_departement.strip().upper()
        if departement and departement_get(departement) is None:
            raise ValidationError({"new_departement": _("Unknown département.")})
        return {
            "to_organisation": to_organisation,
            "partner_name": "",
            "partner_country": "",
            "new_departement": departement,
        }
    name = partner_name.strip()
    country = partner_country.strip().upper()
    errors: dict[str, str] = {}
    if not name:
        errors["partner_name"] = _("Name the institution abroad that takes the child over.")
    if not _COUNTRY_CODE.fullmatch(country):
        errors["partner_country"] = _("Enter the country's two-letter ISO code (e.g. IT, RO).")
    elif country == FRANCE:
        errors["partner_country"] = _(
            "A move within France goes to an organisation using Vigie, not abroad."
        )
    if to_organisation is not None:
        errors["to_organisation"] = _("A partner abroad is not an organisation using Vigie.")
    if new_departement.strip():
        errors["new_departement"] = _("A département is only given for a move within France.")
    if errors:
        raise ValidationError(errors)
    return {
        "to_organisation": None,
        "partner_name": name,
        "partner_country": country,
        "new_departement": "",
    }


@transaction.atomic
def transfer_propose(
    *,
    actor: Actor,
    case: Case,
    destination: str,
    to_organisation: Organisation | None,
    partner_name: str,
    partner_country: str,
    new_departement: str,
    reason: str,
    consent: Consent,
) -> Transfer:
    """Propose to hand ``case`` (from case_get_for_user) over. One proposal at a time per file.

    Raises PermissionDenied (not a coordinator of the owning organisation, or an override
    without CONSENT_OVERRIDE) or ValidationError naming the field.
    """
    organisation = _require_coordinator(actor)
    if case.organisation_id != organisation.pk:
        raise PermissionDenied
    consent_check(actor=actor, consent=consent)
    fields = _destination_checked(
        case=case,
        destination=destination,
        to_organisation=to_organisation,
        partner_name=partner_name,
        partner_country=partner_country,
        new_departement=new_departement,
    )
    # Lock the file's row: two proposals at once would both see "none under way" (the unique
    # constraint would still refuse the second, with a database error instead of a message).
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status not in ACTIVE_STATUSES:
        raise ValidationError({"destination": _("Only a file being worked on can be transferred.")})
    if Transfer.objects.filter(case=case, status=TransferStatus.PROPOSED).exists():
        raise ValidationError(
            {
                "destination": _(
                    "A transfer of this file is already awaiting an answer: cancel it first."
                )
            }
        )
    transfer = Transfer(
        case=case,
        from_organisation=organisation,
        destination=destination,
        reason=reason.strip(),
        created_by=actor.user,
        **fields,
    )
    consent_apply(actor=actor, consent=consent, target=transfer)
    transfer.save()
    audit_record(
        actor=actor,
        action=AuditAction.TRANSFER_PROPOSE,
        objects=[case, transfer],
        reason_code=(
            CONSENT_OVERRIDE_CODE if consent.child_consent == ChildConsent.OVERRIDE else ""
        ),
    )
    if transfer.to_organisation is not None:
        notify_organisation(
            organisation=transfer.to_organisation,
            permission=Permission.TRANSFER_MANAGE,
            kind=NotificationKind.TRANSFER_RECEIVED,
            counterpart=organisation.name,
            url=_detail_url(transfer),
        )
    return transfer


def _require_recipient(actor: Actor, transfer: Transfer) -> None:
    organisation = _require_coordinator(actor)
    if (
        transfer.destination != TransferDestination.ORGANISATION
        or transfer.to_organisation_id != organisation.pk
    ):
        raise PermissionDenied


def _require_proposer(actor: Actor, transfer: Transfer) -> None:
    organisation = _require_coordinator(actor)
    if transfer.from_organisation_id != organisation.pk:
        raise PermissionDenied


def _referrals_revoke(*, actor: Actor, case: Case, organisation_id: int) -> int:
    """The old organisation's open referrals of this file end with the transfer: a referral
    shares sections of a file its referrer holds (CASF L.226-2-2), and the referrer no longer
    holds it. The new owner refers again if the child still needs the service."""
    now = timezone.now()
    return Referral.objects.filter(
        case=case, from_organisation_id=organisation_id, status__in=READABLE_STATUSES
    ).update(status=ReferralStatus.REVOKED, revoked_at=now, revoked_by=actor.user, updated_at=now)


@transaction.atomic
def transfer_accept(*, actor: Actor, transfer: Transfer) -> Case:
    """The recipient takes the file over: it becomes theirs, whole, with its history.

    No caseworker is assigned: the recipient's coordinator assigns one. The reference changes
    only if the new organisation already uses it. Returns the case as saved.
    """
    _require_recipient(actor, transfer)
    transfer = _locked(transfer)
    _require_proposed(transfer)
    assert transfer.to_organisation is not None  # noqa: S101 (destination checked)
    case = Case.objects.select_for_update().get(pk=transfer.case_id)
    old_organisation_id = case.organisation_id
    new_organisation = transfer.to_organisation

    values: dict[str, Any] = {"organisation": new_organisation, "assigned_to": None}
    changed = ["organisation", "assigned_to"]
    if transfer.new_departement and transfer.new_departement != case.departement:
        values["departement"] = transfer.new_departement
        changed.append("departement")
    if Case.objects.filter(organisation=new_organisation, reference=case.reference).exists():
        values["reference"] = case_reference_new(
            organisation=new_organisation, on=case.identified_on
        )
        changed.append("reference")
    new_version = case_version_write(case=case, expected_version=case.version, values=values)
    change = CaseChange.objects.create(
        case=case, fields=changed, version=new_version, created_by=actor.user
    )
    _referrals_revoke(actor=actor, case=case, organisation_id=old_organisation_id)
    # A place held for the child stays held: the new holder of the file confirms or releases
    # it (the former one no longer sees the file, so could do neither).
    PlaceHold.objects.filter(
        case=case, organisation_id=old_organisation_id, status=HoldStatus.HELD
    ).update(organisation=new_organisation, updated_at=timezone.now())

    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_at = timezone.now()
    transfer.decided_by = actor.user
    transfer.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    case.refresh_from_db()
    audit_record(actor=actor, action=AuditAction.TRANSFER_ACCEPT, objects=[case, transfer, change])
    if transfer.created_by is not None:
        notify_users(
            users=[transfer.created_by],
            kind=NotificationKind.TRANSFER_ACCEPTED,
            counterpart=new_organisation.name,
            url=_detail_url(transfer),
        )
    return case


@transaction.atomic
def transfer_decline(*, actor: Actor, transfer: Transfer, reason: str) -> Transfer:
    """The recipient declines, saying why (kept encrypted); the file stays where it is."""
    _require_recipient(actor, transfer)
    if not reason.strip():
        raise ValidationError({"decline_reason": _("Say why the transfer is declined.")})
    transfer = _locked(transfer)
    _require_proposed(transfer)
    transfer.status = TransferStatus.DECLINED
    transfer.decided_at = timezone.now()
    transfer.decided_by = actor.user
    transfer.decline_reason = reason.strip()
    transfer.save(
        update_fields=["status", "decided_at", "decided_by", "decline_reason", "updated_at"]
    )
    audit_record(
        actor=actor, action=AuditAction.TRANSFER_DECLINE, objects=[transfer.case, transfer]
    )
    notify_organisation(
        organisation=transfer.from_organisation,
        permission=Permission.TRANSFER_MANAGE,
        kind=NotificationKind.TRANSFER_DECLINED,
        counterpart=transfer.to_organisation.name if transfer.to_organisation else "",
        url=_detail_url(transfer),
    )
    return transfer


@transaction.atomic
def transfer_cancel(*, actor: Actor, transfer: Transfer) -> Transfer:
    """The proposing organisation withdraws its proposal while no answer came."""
    _require_proposer(actor, transfer)
    transfer = _locked(transfer)
    _require_proposed(transfer)
    transfer.status = TransferStatus.CANCELLED
    transfer.decided_at = timezone.now()
    transfer.decided_by = actor.user
    transfer.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    audit_record(actor=actor, action=AuditAction.TRANSFER_CANCEL, objects=[transfer.case, transfer])
    return transfer


@transaction.atomic
def transfer_send_abroad(*, actor: Actor, transfer: Transfer) -> Transfer:
    """The summary went to the partner abroad (exported as a bilingual PDF): the transfer is
    done and the file moves to "transferred" through the case's state machine. The file itself
    stays here, the record of what was done for the child."""
    _require_proposer(actor, transfer)
    transfer = _locked(transfer)
    if transfer.destination != TransferDestination.ABROAD:
        raise ValidationError(
            {"destination": _("Only a summary for a partner abroad is sent this way.")}
        )
    _require_proposed(transfer)
    case = transfer.case
    if case.status != CaseStatus.TRANSFERRED:
        case_status_change(
            actor=actor,
            case=case,
            expected_version=case.version,
            to_status=CaseStatus.TRANSFERRED,
        )
    transfer.status = TransferStatus.SENT_ABROAD
    transfer.decided_at = timezone.now()
    transfer.decided_by = actor.user
    transfer.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TRANSFER_SUMMARY_EXPORT,
        objects=[case, transfer],
        reason_code=TransferStatus.SENT_ABROAD,
    )
    return transfer
