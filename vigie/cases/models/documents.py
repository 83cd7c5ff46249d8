"""Documents attached to a file, stored encrypted in the database with their metadata stripped.

In the database rather than on a file system: one place to back up, to rotate keys in, and to
scope by the same access rule as the file itself.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigie.core.crypto import EncryptedTextField
from vigie.core.models import VigieModel

from .case import Case


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Identity or civil status document")
    PHOTO = "photo", _("Photo of the young person")
    JUDICIAL = "judicial", _("Court decision or judicial document")
    MEDICAL = "medical", _("Medical document")
    SCHOOL = "school", _("School or training document")
    ADMINISTRATIVE = "administrative", _("Administrative document")
    OTHER = "other", _("Other")


class CaseDocument(VigieModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("type of document"), max_length=20, choices=DocumentKind.choices)
    title = EncryptedTextField(_("title"), blank=True)
    filename = EncryptedTextField(_("file name"))
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    # Fernet token of the cleaned file's bytes (vigie.core.crypto), never the upload as received.
    content = models.BinaryField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"document {self.uuid}"
