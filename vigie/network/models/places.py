"""Accommodation places published across territories, and holds on them."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import Organisation
from vigie.cases.models import Case, Placement
from vigie.core.models import VigieModel


class PlaceKind(models.TextChoices):
    # No hotel, ever: seeds (Collective 2022 §IV, ECPAT 2007 §III), traffickers find children
    # in hotels. A hotel cannot even be published.
    SPECIALISED_CENTRE = "specialised_centre", _("Specialised (secure) centre")
    FOSTER_FAMILY = "foster_family", _("Foster family")
    CHILDRENS_HOME = "childrens_home", _("Children's home")
    MOTHER_CHILD_CENTRE = "mother_child_centre", _("Mother-and-child centre")
    EMERGENCY = "emergency", _("Emergency shelter")
    PAEDIATRIC = "paediatric", _("Paediatric care beds")


class AccommodationPlace(VigieModel):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="accommodation_places",
        verbose_name=_("published by"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=PlaceKind.choices)
    departement = models.CharField(_("département"), max_length=3)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    # Free places as the publisher last declared them; active holds are counted apart.
    available = models.PositiveSmallIntegerField(_("places available"))
    availability_updated_at = models.DateTimeField(_("availability updated"))
    age_min = models.PositiveSmallIntegerField(_("youngest age"), default=0)
    age_max = models.PositiveSmallIntegerField(_("oldest age"), default=17)
    # Gender values accepted (cases.Gender); every one listed when the place takes all.
    genders = models.JSONField(_("genders"), default=list)
    # ExploitationForm values; empty: every form.
    forms_accepted = models.JSONField(_("forms of exploitation accepted"), blank=True, default=list)
    # Seed Collective 2022 §IX.2: emergency places reserved to local children keep victims near
    # their exploiters. A place open to any territory can take a child moved away from them.
    accepts_any_territory = models.BooleanField(_("accepts children from any territory"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["departement", "name"]
        indexes = [models.Index(fields=["is_active", "departement"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(available__lte=F("capacity")), name="place_available_within_capacity"
            ),
            models.CheckConstraint(
                condition=Q(age_min__lte=F("age_max")) & Q(age_max__lte=21),
                name="place_age_range",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PlaceKind.values), name="place_kind_never_a_hotel"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HoldStatus(models.TextChoices):
    HELD = "held", _("Held")
    CONFIRMED = "confirmed", _("Placement recorded")
    RELEASED = "released", _("Released")
    EXPIRED = "expired", _("Expired")


class PlaceHold(VigieModel):
    """A place kept for a child for a short time, while the placement is arranged."""

    place = models.ForeignKey(AccommodationPlace, on_delete=models.CASCADE, related_name="holds")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="place_holds")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="place_holds"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=HoldStatus.choices, default=HoldStatus.HELD
    )
    expires_at = models.DateTimeField(_("held until"))
    ended_at = models.DateTimeField(null=True, blank=True)
    placement = models.ForeignKey(
        Placement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "case"],
                condition=Q(status=HoldStatus.HELD),
                name="place_hold_one_per_case_and_place",
            )
        ]

    def __str__(self) -> str:
        return f"hold {self.uuid}"
