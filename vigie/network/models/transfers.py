"""Transfers: a child moves, the file and its continuity summary go with her or him."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import Organisation
from vigie.cases.models import Case
from vigie.core.crypto import EncryptedTextField
from vigie.core.models import VigieModel

from .consent import RecordedConsent
from .vocabulary import ChildConsent


class TransferDestination(models.TextChoices):
    ORGANISATION = "organisation", _("Another organisation using Vigie")
    # Collective 2022 §I: a transnational monitoring protocol for children who move between
    # countries; the partner receives the summary as a bilingual PDF, not the file.
    ABROAD = "abroad", _("A partner abroad")


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    SENT_ABROAD = "sent_abroad", _("Summary sent abroad")


class Transfer(RecordedConsent, VigieModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="outgoing_transfers"
    )
    destination = models.CharField(
        _("destination"), max_length=12, choices=TransferDestination.choices
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_transfers",
        verbose_name=_("to"),
    )
    # A partner abroad: an institution's name and country, not a person's.
    partner_name = models.CharField(_("partner abroad"), max_length=200, blank=True)
    partner_country = models.CharField(_("country (ISO code)"), max_length=2, blank=True)
    new_departement = models.CharField(_("new département"), max_length=3, blank=True)
    reason = EncryptedTextField(_("reason for the move"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=TransferStatus.choices,
        default=TransferStatus.PROPOSED,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["to_organisation", "status"]),
            models.Index(fields=["from_organisation", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(destination=TransferDestination.ORGANISATION, to_organisation__isnull=False)
                    & ~Q(to_organisation=models.F("from_organisation"))
                )
                | Q(destination=TransferDestination.ABROAD, to_organisation__isnull=True),
                name="transfer_destination_consistent",
            ),
            models.CheckConstraint(
                condition=~Q(child_consent=ChildConsent.OVERRIDE) | Q(override_by__isnull=False),
                name="transfer_override_has_coordinator",
            ),
            # One transfer under way per file at a time.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status=TransferStatus.PROPOSED),
                name="transfer_one_proposed_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"transfer {self.uuid}"
