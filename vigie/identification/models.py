"""A screening of a child's situation against the indicator catalogue, kept with its result."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigie.cases.models import Case
from vigie.core.models import VigieModel


class Assessment(models.TextChoices):
    PRESUMED_VICTIM = "presumed_victim", _("Presumed victim of trafficking")
    AT_RISK = "at_risk", _("At risk")
    INSUFFICIENT_INFORMATION = "insufficient_information", _("Not enough information")
    NO_INDICATION = "no_indication", _("No indication")


class MinorStatus(models.TextChoices):
    YES = "yes", _("Minor")
    PRESUMED = "presumed", _("Presumed minor")
    NO = "no", _("Adult")


class Screening(VigieModel):
    """Input and result as the engine gave them, with the catalogue version they were made with.

    No identifying data: indicator and situation codes, an age, booleans.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings")
    catalogue_version = models.CharField(max_length=20)
    input = models.JSONField()
    result = models.JSONField()
    assessment = models.CharField(max_length=30, choices=Assessment.choices)
    minor = models.CharField(max_length=10, choices=MinorStatus.choices)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"screening {self.uuid}"
