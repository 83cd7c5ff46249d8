"""The consent check every share of a child's file goes through (referrals and transfers)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.roles import Permission
from vigie.audit.services import Actor

from ..models import ChildConsent, ParentsConsent, RecordedConsent


@dataclass(frozen=True)
class Consent:
    """What the worker recorded: the young person's agreement or prior information, the
    parents', and, for a share without agreement, a coordinator's written reason."""

    child_consent: str
    parents_consent: str
    recorded_on: date
    override_reason: str = ""


def consent_check(*, actor: Actor, consent: Consent) -> None:
    """Refuses a share without a recorded consent (CASF L.226-2-2: the child, and the parents
    where appropriate, are informed beforehand, unless that is against the child's interest).

    An override needs the CONSENT_OVERRIDE permission (coordinators) and a written reason.
    Raises ValidationError naming the field, or PermissionDenied.
    """
    errors: dict[str, str] = {}
    if consent.child_consent not in ChildConsent.values:
        errors["child_consent"] = _(
            "Record the young person's agreement or prior information, or a coordinator's "
            "decision to share without it."
        )
    if consent.parents_consent not in ParentsConsent.values:
        errors["parents_consent"] = _("Record whether the parents agreed or were informed.")
    if consent.recorded_on > timezone.localdate():
        errors["consent_recorded_on"] = _("The consent cannot be recorded in the future.")
    if consent.child_consent == ChildConsent.OVERRIDE:
        if actor.user is None or not actor.user.has_vigie_permission(Permission.CONSENT_OVERRIDE):
            raise PermissionDenied(
                _("Only a coordinator may share without the young person's agreement.")
            )
        if not consent.override_reason.strip():
            errors["override_reason"] = _(
                "Write why the file is shared without the young person's agreement."
            )
    elif consent.override_reason.strip():
        errors["override_reason"] = _(
            "A reason is only written when sharing without the young person's agreement."
        )
    if errors:
        raise ValidationError(errors)


def consent_apply(*, actor: Actor, consent: Consent, target: RecordedConsent) -> None:
    """Copies a checked consent onto the referral or transfer about to be saved."""
    target.child_consent = consent.child_consent
    target.parents_consent = consent.parents_consent
    target.consent_recorded_on = consent.recorded_on
    target.override_reason = consent.override_reason.strip()
    target.override_by = actor.user if consent.child_consent == ChildConsent.OVERRIDE else None
