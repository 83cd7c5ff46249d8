"""Dated events of a child's file: age assessments and appeals, placements, proceedings,
hearings and compensation. Each is a row of its own so that the file keeps its history."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigie.core.crypto import EncryptedTextField
from vigie.core.models import VigieModel

from .case import Case


class AgeAuthority(models.TextChoices):
    DEPARTEMENT = "departement", _("Département's assessment service")
    PROSECUTOR = "prosecutor", _("Public prosecutor")
    JUVENILE_JUDGE = "juvenile_judge", _("Juvenile judge")
    COURT_OF_APPEAL = "court_of_appeal", _("Court of appeal")
    OTHER = "other", _("Other authority")


class AgeOutcome(models.TextChoices):
    MINOR = "minor", _("Recognised as a minor")
    ADULT = "adult", _("Declared an adult")
    UNDETERMINED = "undetermined", _("Undetermined")


class AgeAssessment(VigieModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="age_assessments")
    assessed_on = models.DateField(_("date"))
    authority = models.CharField(_("authority"), max_length=20, choices=AgeAuthority.choices)
    outcome = models.CharField(_("outcome"), max_length=15, choices=AgeOutcome.choices)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]

    def __str__(self) -> str:
        return f"age assessment {self.assessed_on}"


class AgeAppeal(VigieModel):
    """Appeal to the juvenile judge against a refusal of minority (seeds: up to 18 months)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="age_appeals")
    filed_on = models.DateField(_("filed on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.CharField(_("decision"), max_length=15, choices=AgeOutcome.choices, blank=True)

    class Meta:
        ordering = ["-filed_on", "-created_at"]
        indexes = [
            models.Index(fields=["decided_on", "filed_on"]),
            # The daily view looks up each file's oldest pending appeal: without the case first,
            # SQLite walked every pending appeal of the database for each of a worker's files.
            models.Index(fields=["case", "decided_on", "filed_on"], name="age_appeal_case_pending"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("filed_on")),
                name="age_appeal_decided_after_filing",
            )
        ]

    def __str__(self) -> str:
        return f"age appeal {self.filed_on}"


class PlacementKind(models.TextChoices):
    SPECIALISED_CENTRE = "specialised_centre", _("Specialised (secure) centre")
    FOSTER_FAMILY = "foster_family", _("Foster family")
    CHILDRENS_HOME = "childrens_home", _("Children's home")
    MOTHER_CHILD_CENTRE = "mother_child_centre", _("Mother-and-child centre")
    EMERGENCY = "emergency", _("Emergency shelter")
    PAEDIATRIC = "paediatric", _("Paediatric care beds")
    STREET = "street", _("Street, no shelter")
    HOTEL = "hotel", _("Hotel")


# Seeds (Collective 2022 §IV, ECPAT 2007 §III): a hotel is never a safe place for a child
# victim -- traffickers find them there. Recorded, and flagged as a rights violation.
RIGHTS_VIOLATION_PLACEMENTS = frozenset({PlacementKind.HOTEL, PlacementKind.STREET})
SAFE_PLACEMENTS = frozenset(
    {
        PlacementKind.SPECIALISED_CENTRE,
        PlacementKind.FOSTER_FAMILY,
        PlacementKind.CHILDRENS_HOME,
        PlacementKind.MOTHER_CHILD_CENTRE,
        PlacementKind.PAEDIATRIC,
    }
)


class Placement(VigieModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="placements")
    kind = models.CharField(
        _("type of accommodation"), max_length=20, choices=PlacementKind.choices
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    departement = models.CharField(_("département"), max_length=3, blank=True)

    class Meta:
        ordering = ["-started_on", "-created_at"]
        indexes = [models.Index(fields=["kind", "ended_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="placement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} from {self.started_on}"

    @property
    def is_rights_violation(self) -> bool:
        return self.kind in RIGHTS_VIOLATION_PLACEMENTS


class ProceedingRole(models.TextChoices):
    VICTIM = "victim", _("As a victim")
    DEFENDANT_UNDER_CONSTRAINT = "defendant", _("As a defendant, offence under constraint")


class NonPunishment(models.TextChoices):
    NOT_APPLICABLE = "", _("Not applicable")
    TO_RAISE = "to_raise", _("To raise with the court")
    RAISED = "raised", _("Raised")
    GRANTED = "granted", _("Granted: no penalty")
    REFUSED = "refused", _("Refused")


class Proceeding(VigieModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proceedings")
    role = models.CharField(
        _("the young person's role"), max_length=10, choices=ProceedingRole.choices
    )
    opened_on = models.DateField(_("opened on"))
    court = models.CharField(_("court or service"), max_length=100, blank=True)
    # Council of Europe Convention art. 26, Directive 2011/36/EU art. 8.
    non_punishment = models.CharField(
        _("non-punishment"), max_length=10, choices=NonPunishment.choices, blank=True
    )
    criminal_record_entry = models.BooleanField(_("entry in the criminal record"), default=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-created_at"]

    def __str__(self) -> str:
        return f"proceeding {self.opened_on}"


class HearingPlace(models.TextChoices):
    # ECPAT 2007 recommendations: hear child victims in a paediatric unit (UAPED), recorded,
    # with a trusted third party, not in a police station.
    UAPED = "uaped", _("Paediatric unit for children in danger (UAPED)")
    POLICE_STATION = "police_station", _("Police station or gendarmerie")
    COURT = "court", _("Court")
    OTHER = "other", _("Other place")


class Recording(models.TextChoices):
    MADE = "made", _("Audiovisual recording made")
    REFUSED = "refused", _("Recording refused")
    NOT_MADE = "not_made", _("Not recorded")


class Hearing(VigieModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=20, choices=HearingPlace.choices)
    recording = models.CharField(_("recording"), max_length=10, choices=Recording.choices)
    recording_refused_reason = EncryptedTextField(_("reason for no recording"), blank=True)
    trusted_third_party_present = models.BooleanField(
        _("trusted third party present"), default=False
    )

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"hearing {self.held_on}"


class CompensationClaim(VigieModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="compensation_claims")
    filed_on = models.DateField(_("claim filed on"))
    body = models.CharField(_("with"), max_length=100, blank=True)
    amount_awarded = models.DecimalField(
        _("amount awarded (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    amount_paid = models.DecimalField(
        _("amount paid (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_awarded__isnull=True) | Q(amount_awarded__gte=0),
                name="compensation_awarded_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__isnull=True) | Q(amount_paid__gte=0),
                name="compensation_paid_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"compensation claim {self.filed_on}"
