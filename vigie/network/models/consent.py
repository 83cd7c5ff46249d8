"""The consent recorded with every share of a child's file."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigie.core.crypto import EncryptedTextField

from .vocabulary import ChildConsent, ParentsConsent


class RecordedConsent(models.Model):
    """The young person's agreement or prior information, the parents', or a coordinator's
    override with a written reason. Services refuse a share without one."""

    child_consent = models.CharField(
        _("the young person"), max_length=12, choices=ChildConsent.choices
    )
    parents_consent = models.CharField(
        _("the parents"), max_length=16, choices=ParentsConsent.choices
    )
    consent_recorded_on = models.DateField(_("consent recorded on"))
    override_reason = EncryptedTextField(_("reason for sharing without agreement"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
