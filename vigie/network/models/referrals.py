"""Referrals: a file's chosen sections shared with another organisation for a service."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import Organisation
from vigie.cases.models import Case
from vigie.core.crypto import EncryptedTextField
from vigie.core.models import VigieModel

from .consent import RecordedConsent
from .vocabulary import ChildConsent, Need


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Revoked")


# While pending or accepted (and not expired), the recipient reads the shared sections.
READABLE_STATUSES = (ReferralStatus.PENDING, ReferralStatus.ACCEPTED)


class Referral(RecordedConsent, VigieModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="outgoing_referrals"
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="incoming_referrals",
        verbose_name=_("to"),
    )
    service = models.CharField(_("service asked"), max_length=30, choices=Need.choices)
    # FileSection values: what the recipient may read, nothing else.
    sections = models.JSONField(_("sections shared"), default=list)
    message = EncryptedTextField(_("message to the recipient"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    expires_at = models.DateTimeField(_("access ends on"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["to_organisation", "status", "expires_at"]),
            models.Index(fields=["from_organisation", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="referral_to_another_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(child_consent=ChildConsent.OVERRIDE) | Q(override_by__isnull=False),
                name="referral_override_has_coordinator",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(status=ReferralStatus.REVOKED),
                name="referral_revoked_at_only_when_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.uuid}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_readable(self) -> bool:
        """Whether the recipient may read the shared sections now."""
        return self.status in READABLE_STATUSES and not self.is_expired


class ServiceRecord(VigieModel):
    """What the recipient did for the child, seen by the referring organisation."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="services")
    delivered_on = models.DateField(_("date"))
    description = EncryptedTextField(_("service delivered"))

    class Meta:
        ordering = ["-delivered_on", "-created_at"]

    def __str__(self) -> str:
        return f"service {self.delivered_on}"
