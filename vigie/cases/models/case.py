"""The child's case file.

Identifying data (names, aliases, birth date, notes) is encrypted in the application; the other
fields are the pseudonymous situation that coordination and statistics need.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import Organisation, User
from vigie.core.crypto import EncryptedDateField, EncryptedTextField
from vigie.core.models import VigieModel

from ..ages import majority_date


def departement_validate(value: str) -> None:
    """One of the 101 départements (reference data of the network part), e.g. "93", "2A"."""
    from vigie.network.departements import departement_get

    if value and departement_get(value) is None:
        raise ValidationError(
            _("Unknown département: %(code)s"), code="departement", params={"code": value}
        )


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
    """The case's state machine (vigie/cases/services/status.py holds the allowed moves)."""

    OPEN = "open", _("Open")
    IDENTIFIED = "identified", _("Identified")
    PROTECTED = "protected", _("Protected")
    TRANSITION = "transition", _("Transition to adulthood")
    TRANSFERRED = "transferred", _("Transferred")
    CLOSED = "closed", _("Closed")


# Statuses of files still being worked on: the active lists, alerts and rights plans.
ACTIVE_STATUSES = (
    CaseStatus.OPEN,
    CaseStatus.IDENTIFIED,
    CaseStatus.PROTECTED,
    CaseStatus.TRANSITION,
)


class Guardianship(models.TextChoices):
    UNKNOWN = "unknown", _("Not known")
    PARENTS = "parents", _("Parental authority (parents)")
    ASE_GUARDIANSHIP = "ase_guardianship", _("Guardianship by the département (ASE)")
    DELEGATION = "delegation", _("Delegation of parental authority")
    OTHER_GUARDIAN = "other_guardian", _("Another guardian")
    NONE = "none", _("No legal representative in France")


class Schooling(models.TextChoices):
    UNKNOWN = "unknown", _("Not known")
    SCHOOL = "school", _("At school")
    TRAINING = "training", _("In training or apprenticeship")
    WAITING = "waiting", _("Waiting for a place")
    NONE = "none", _("Neither at school nor in training")


class Substance(models.TextChoices):
    # Seed 000 §III.3: psychotropic medication supplied by adults to keep children dependent.
    CLONAZEPAM = "clonazepam", _("Clonazepam (Rivotril)")
    PREGABALIN = "pregabalin", _("Pregabalin (Lyrica)")
    CANNABIS = "cannabis", _("Cannabis")
    ALCOHOL = "alcohol", _("Alcohol")
    COCAINE = "cocaine", _("Cocaine or crack")
    SOLVENTS = "solvents", _("Solvents")
    OTHER = "other", _("Other substance")


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User) -> "CaseQuerySet":
        """Every read of case files for a person goes through here (see selectors)."""
        from ..access import case_visibility_filter

        return self.filter(case_visibility_filter(user))


class Case(VigieModel):
    """The child's file. ``version`` is the optimistic lock: each edit compares, then increments."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", verbose_name=_("organisation")
    )
    reference = models.CharField(_("case reference"), max_length=40)
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    version = models.PositiveIntegerField(default=1)
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
    departement = models.CharField(
        _("département"), max_length=3, blank=True, validators=[departement_validate]
    )
    exploitation_forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    referral_source = models.CharField(
        _("referral source"), max_length=20, choices=ReferralSource.choices, blank=True
    )
    identified_on = models.DateField(_("identified on"), default=timezone.localdate)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(_("reason for closing"), max_length=30, blank=True)
    # Retention (CNIL deliberation 2022-008): two years without contact archives the file.
    last_contact_on = models.DateField(_("last contact"), default=timezone.localdate)
    archived_at = models.DateTimeField(null=True, blank=True)

    languages = models.CharField(_("languages spoken"), max_length=100, blank=True)
    # The legal representative, guardianship and ad hoc administrator (seeds: an ad hoc
    # administrator "systematically and without delay" for an unaccompanied child victim).
    legal_representative = EncryptedTextField(_("legal representative"), blank=True)
    guardianship = models.CharField(
        _("guardianship"), max_length=20, choices=Guardianship.choices, default=Guardianship.UNKNOWN
    )
    ad_hoc_administrator_requested_on = models.DateField(
        _("ad hoc administrator requested on"), null=True, blank=True
    )
    ad_hoc_administrator_appointed_on = models.DateField(
        _("ad hoc administrator appointed on"), null=True, blank=True
    )
    ad_hoc_administrator_appointed_by = models.CharField(
        _("appointed by"), max_length=100, blank=True
    )
    ad_hoc_administrator_name = EncryptedTextField(_("ad hoc administrator"), blank=True)

    disability = models.BooleanField(_("disability"), default=False)
    pregnant = models.BooleanField(_("pregnant"), default=False)
    # Mothers with newborns (Collective 2022 §IX.1).
    children_count = models.PositiveSmallIntegerField(_("children of her or his own"), default=0)

    exploitation_places = EncryptedTextField(_("places of exploitation"), blank=True)
    exploitation_started_on = models.DateField(_("exploitation from"), null=True, blank=True)
    exploitation_ended_on = models.DateField(_("exploitation until"), null=True, blank=True)
    substances = models.JSONField(_("addiction (substances)"), default=list, blank=True)
    health_notes = EncryptedTextField(_("health"), blank=True)
    # Known exploiters, places and people to avoid: what a service taking the child over must
    # know first (Collective 2022 §IX.2: victims must be moved away from their exploiters).
    safety_notes = EncryptedTextField(_("safety notes"), blank=True)
    schooling = models.CharField(
        _("schooling or training"),
        max_length=10,
        choices=Schooling.choices,
        default=Schooling.UNKNOWN,
    )

    # Denormalised by the rights plan (vigie/rights/services.py) so that lists can filter and
    # sort on deadlines without joining a million plans: the earliest due date of an open right.
    next_due_on = models.DateField(null=True, blank=True)
    # First day of the month of the (presumed) 18th birthday, kept by the services from the
    # encrypted birth date: the "18 within six months" alert finds its cases without decrypting
    # every birth date, and a month says less about a child than the date itself.
    majority_month = models.DateField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-identified_on", "reference"]
        verbose_name = _("case file")
        indexes = [
            models.Index(fields=["organisation", "status", "-identified_on"]),
            models.Index(fields=["organisation", "next_due_on"], name="case_org_next_due"),
            models.Index(fields=["assigned_to", "next_due_on"], name="case_worker_next_due"),
            models.Index(fields=["organisation", "majority_month"], name="case_org_majority"),
            models.Index(fields=["assigned_to", "majority_month"], name="case_worker_majority"),
            # The case list (vigie/cases/selectors.py), archived files left out: its keyset order
            # per organisation and per caseworker (status last: the status filter is read from
            # the index), the home page's count (index only), and the searches by reference and
            # by name, each in the list's order so that no plan has to sort. Forms of
            # exploitation: a GIN index on PostgreSQL, per-form indexes on SQLite (migration
            # 0003; neither can be declared here for both databases).
            models.Index(
                fields=["organisation", "-identified_on", "-uuid", "status"],
                condition=Q(archived_at__isnull=True),
                name="case_list_org_order",
            ),
            models.Index(
                fields=["assigned_to", "-identified_on", "-uuid", "status"],
                condition=Q(archived_at__isnull=True),
                name="case_list_worker_order",
            ),
            models.Index(
                # id too: the visibility rule reads it (shares), and PostgreSQL then counts from
                # the index alone (INCLUDE would be PostgreSQL-only, refused by the checks).
                fields=["organisation", "status", "id"],
                condition=Q(archived_at__isnull=True),
                name="case_list_active_count",
            ),
            models.Index(
                F("organisation"),
                Upper("reference"),
                F("identified_on").desc(),
                F("uuid").desc(),
                condition=Q(archived_at__isnull=True),
                name="case_list_reference",
            ),
            models.Index(
                fields=["organisation", "name_index", "-identified_on", "-uuid"],
                condition=Q(archived_at__isnull=True),
                name="case_list_name",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="case_reference_unique_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:detail", kwargs={"case_uuid": self.uuid})

    @property
    def majority_on(self) -> date | None:
        """The 18th birthday, presumption of minority applied (see vigie/cases/ages.py)."""
        return majority_date(
            birth_date=self.birth_date, birth_year=self.birth_year, disputed=self.age_disputed
        )

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
