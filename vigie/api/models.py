"""Personal API tokens: what opens the REST API to another system, on a person's behalf.

Only a hash of the secret is kept: a copy of the database does not open the API. A token is
scoped (which resources, reading or writing), expires, can be revoked at any time, and records
when it was last used so that a forgotten one is noticed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigie.core.models import VigieModel


class ApiToken(VigieModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the secret, shown in lists so that a person recognises a token
    # (too short to help guess it).
    prefix = models.CharField(max_length=16)
    # SHA-256 of the whole secret (256 random bits: a keyed or slow hash adds nothing here).
    secret_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires on"))
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="api_token_user_recent")]

    def __str__(self) -> str:
        # The rate limiter keys on this: the token's public id, never its secret.
        return str(self.uuid)
