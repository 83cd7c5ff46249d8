"""What happened to a file: status moves and field edits, who made them and when."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigie.core.models import VigieModel

from .case import Case, CaseStatus


class CaseStatusChange(VigieModel):
    """One move of the state machine (vigie/cases/services/status.py); ``created_by`` made it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=12, choices=CaseStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=CaseStatus.choices)
    reason = models.CharField(_("reason"), max_length=30, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class CaseChange(VigieModel):
    """One saved edit: which fields changed. Values are not copied here: identifying ones are
    encrypted in the file, and a history of them would be a second copy to protect."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="changes")
    fields = models.JSONField(default=list)
    version = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"change {self.version} of {self.case_id}"
