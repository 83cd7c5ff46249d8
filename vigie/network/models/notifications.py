"""In-app notifications (and their e-mail copy). Never a child's name or details: the kind, the
other organisation and a link; the reader opens the object in Vigie, where access is checked."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", _("New referral received")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    REFERRAL_REVOKED = "referral_revoked", _("Referral revoked")
    SERVICE_RECORDED = "service_recorded", _("Service recorded for a referral")
    TRANSFER_RECEIVED = "transfer_received", _("New transfer proposed")
    TRANSFER_ACCEPTED = "transfer_accepted", _("Transfer accepted")
    TRANSFER_DECLINED = "transfer_declined", _("Transfer declined")
    HOLD_EXPIRING = "hold_expiring", _("A place hold expires soon")
    HOLD_EXPIRED = "hold_expired", _("A place hold expired")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    # The other organisation's name, shown in the message; no child data.
    counterpart = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
