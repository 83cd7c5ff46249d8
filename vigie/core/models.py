"""The abstract base every domain model shares."""

import uuid

from django.conf import settings
from django.db import models


class VigieModel(models.Model):
    """Public UUID (never a sequential id in a URL) and who/when bookkeeping."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
