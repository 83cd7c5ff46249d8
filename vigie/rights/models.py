"""A child's rights plan: one row per right of the catalogue (rights/catalogue/rights.yaml)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigie.cases.models import Case
from vigie.core.crypto import EncryptedTextField
from vigie.core.models import VigieModel


class RightState(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    TO_DO = "to_do", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
    BLOCKED = "blocked", _("Blocked")


# Rights still waiting for someone to act: they carry deadlines and raise alerts.
OPEN_STATES = (RightState.TO_DO, RightState.IN_PROGRESS, RightState.BLOCKED)


class RightItem(VigieModel):
    """Where one right stands for one child.

    ``right_id`` is a catalogue id; ``catalogue_version`` the version that last evaluated it.
    ``opened_by`` names what opened it: "catalogue" (its applicability rule) or the
    identification action code of the screening that asked for it.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rights")
    right_id = models.CharField(max_length=50)
    catalogue_version = models.CharField(max_length=20)
    state = models.CharField(
        _("state"), max_length=15, choices=RightState.choices, default=RightState.TO_DO
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    opened_by = models.CharField(max_length=50, blank=True)
    # Why it is refused or blocked, and the evidence that closed it: free text, may identify.
    reason = EncryptedTextField(_("reason"), blank=True)
    evidence = EncryptedTextField(_("evidence"), blank=True)
    # Set when a person changed the state by hand: the automatic refresh no longer overrides it,
    # except with facts that settle the right (see vigie/rights/services.py).
    decided_by_person = models.BooleanField(default=False)
    # When the file's facts gave the state (vigie/rights/plan.py Automatic): the reason's code,
    # shown in words (vigie/rights/labels.py). Empty for a state a person chose.
    automatic_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["due_on", "right_id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "right_id"], name="right_item_unique_per_case"),
        ]
        indexes = [models.Index(fields=["state", "due_on"])]

    def __str__(self) -> str:
        return f"{self.right_id} ({self.state})"
