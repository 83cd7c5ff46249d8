"""Reports to the authorities (Pharos, police, OFMIN...) about one ad or a possible network.

Seed 000 §III.4: outreach teams report the ads of minors to Pharos. What was reported is fixed
when the report is recorded: a network that grows afterwards does not change what the authority
received, so the report keeps its own list of ads.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record

from ..models import Advertisement, AuthorityReport, ReportRecipient, ReportScope
from .ads import ads_touch

REPORT_REFERENCE_MAX_LENGTH = 120
REPORT_NOTE_MAX_LENGTH = 2000


def _report_check(
    *,
    actor: Actor,
    organisation: Organisation,
    ads: Sequence[Advertisement],
    scope: str,
    recipient: str,
    reported_on: date,
    reference: str,
    note: str,
    ads_shown: Collection[str] | None,
) -> None:
    """May this person record this report, and is it whole? (ValidationError keyed by field)"""
    user = actor.user
    if (
        user is None
        or not user.has_vigie_permission(Permission.OUTREACH_EDIT)
        or user.organisation_id != organisation.pk
    ):
        raise PermissionDenied
    if not ads or any(ad.organisation_id != organisation.pk for ad in ads):
        # The callers load the ads through the scoped selectors: this is a programming error.
        raise PermissionDenied
    if scope not in ReportScope.values or (scope == ReportScope.AD and len(ads) != 1):
        raise ValueError(f"unknown or inconsistent report scope: {scope!r}")
    if ads_shown is not None and set(ads_shown) != {str(ad.uuid) for ad in ads}:
        # The network changed between the form and its sending: the report must name what the
        # worker saw and reported, so they check the new list first.
        raise ValidationError(
            _(
                "The network changed since this page was opened: check the advertisements "
                "listed, then record the report again."
            )
        )
    errors: dict[str, str] = {}
    if recipient not in ReportRecipient.values:
        errors["recipient"] = _("Choose who the report was sent to.")
    if reported_on > timezone.localdate():
        errors["reported_on"] = _("This date cannot be in the future.")
    if len(reference.strip()) > REPORT_REFERENCE_MAX_LENGTH:
        errors["reference"] = _("The reference is too long (%(max)s characters at most).") % {
            "max": REPORT_REFERENCE_MAX_LENGTH
        }
    if len(note.strip()) > REPORT_NOTE_MAX_LENGTH:
        errors["note"] = _("The note is too long (%(max)s characters at most).") % {
            "max": REPORT_NOTE_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_record(
    *,
    actor: Actor,
    organisation: Organisation,
    ads: Sequence[Advertisement],
    scope: str,
    recipient: str,
    reported_on: date,
    reference: str = "",
    note: str = "",
    ads_shown: Collection[str] | None = None,
) -> AuthorityReport:
    """Record a report sent about ``ads`` (loaded through the scoped selectors).

    ``ads_shown``: the UUIDs of the ads the form listed, when it listed them; if the network
    no longer has exactly those ads, nothing is written (ValidationError).

    The ads are those of the moment; their retention counts from the report's date; one audit
    event names every ad reported (and the report).
    """
    _report_check(
        actor=actor,
        organisation=organisation,
        ads=ads,
        scope=scope,
        recipient=recipient,
        reported_on=reported_on,
        reference=reference,
        note=note,
        ads_shown=ads_shown,
    )
    report = AuthorityReport.objects.create(
        organisation=organisation,
        created_by=actor.user,
        recipient=recipient,
        reported_on=reported_on,
        reference=reference.strip(),
        scope=scope,
        note=note.strip(),
    )
    report.ads.set(ads)
    ads_touch(ads, reported_on)
    audit_record(
        actor=actor,
        action=AuditAction.OUTREACH_REPORT_RECORD,
        objects=list(ads),
        object_uuids=[report.uuid],
    )
    return report
