"""The child's case file.

Identifying data (names, aliases, birth date, notes) is encrypted in the application; the other
fields are the pseudonymous situation that coordination and statistics need.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import Organisation, User
from vigie.core.crypto import EncryptedDateField, EncryptedTextField
from vigie.core.models import VigieModel


class ExploitationForm(models.TextChoices):
    # The identification engine's forms (vigie/identification/engine.py), so that a screening's
    # result and a case file speak the same vocabulary: the seeds' forms (Collective 2022
    # §I-VII, ECPAT 2007 §II) and the Palermo protocol's.
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation / prostitution")
    ONLINE_SEXUAL_EXPLOITATION = "online_sexual_exploitation", _("Online sexual exploitation")
    FORCED_CRIMINALITY = "forced_criminality", _("Forced criminality")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    DOMESTIC_SERVITUDE = "domestic_servitude", _("Domestic servitude")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    SALE_OF_CHILD = "sale_of_child", _("Sale of children")
    ORGAN_REMOVAL = "organ_removal", _("Removal of organs")


class Gender(models.TextChoices):
    GIRL = "girl", _("Girl")
    BOY = "boy", _("Boy")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class CareStatus(models.TextChoices):
    ASE = "ase", _("Child social services (ASE)")
    PJJ = "pjj", _("Judicial youth protection (PJJ)")
    BOTH = "both", _("ASE and PJJ")
    NONE = "none", _("No care measure")


class ReferralSource(models.TextChoices):
    OUTREACH = "outreach", _("Street or online outreach")
    POLICE = "police", _("Police or gendarmerie")
    JUSTICE = "justice", _("Juvenile court or prosecutor")
    ASE = "ase", _("Child social services")
    HEALTH = "health", _("Health service")
    SCHOOL = "school", _("School")
    SELF = "self", _("The young person")
    ASSOCIATION = "association", _("Another association")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User) -> "CaseQuerySet":
        """Every read of case files for a person goes through here (see selectors)."""
        from .access import case_visibility_filter

        return self.filter(case_visibility_filter(user))


class Case(VigieModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", verbose_name=_("organisation")
    )
    reference = models.CharField(_("case reference"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    assigned_to = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned caseworker"),
    )

    first_name = EncryptedTextField(_("first name"), blank=True)
    last_name = EncryptedTextField(_("last name"), blank=True)
    aliases = EncryptedTextField(_("aliases"), blank=True)
    birth_date = EncryptedDateField(_("birth date"), null=True, blank=True)
    # Blind index of the normalised full name, to find a child already known (duplicates).
    name_index = models.CharField(max_length=64, blank=True, db_index=True)
    # The year alone (not identifying on its own) keeps ages computable for statistics.
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    age_disputed = models.BooleanField(_("age disputed"), default=False)

    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN
    )
    nationality = models.CharField(_("nationality (ISO code)"), max_length=2, blank=True)
    unaccompanied = models.BooleanField(_("unaccompanied minor"), default=False)
    care_status = models.CharField(
        _("care status"), max_length=10, choices=CareStatus.choices, default=CareStatus.NONE
    )
    departement = models.CharField(_("département"), max_length=3, blank=True)
    exploitation_forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    referral_source = models.CharField(
        _("referral source"), max_length=20, choices=ReferralSource.choices, blank=True
    )
    identified_on = models.DateField(_("identified on"), default=timezone.localdate)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-identified_on", "reference"]
        verbose_name = _("case file")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="case_reference_unique_per_organisation"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "-identified_on"])]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:detail", kwargs={"case_uuid": self.uuid})

    @property
    def exploitation_form_labels(self) -> list[str]:
        labels = dict(ExploitationForm.choices)
        return [str(labels.get(code, code)) for code in self.exploitation_forms]


class CaseNote(VigieModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField(_("note"))
    written_on = models.DateField(_("date"), default=timezone.localdate)

    class Meta:
        ordering = ["-written_on", "-created_at"]

    def __str__(self) -> str:
        return f"note {self.uuid}"


class CaseShare(VigieModel):
    """Read access granted to another organisation (the referral issue builds the workflow).

    The visibility rule only needs this: a case is visible outside its organisation through an
    active share, i.e. not revoked and not expired.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="incoming_shares"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("created_at")),
                name="case_share_revoked_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"share {self.uuid}"
