"""The directory of institutional contacts (the 2016 protocol failed for want of one)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import Organisation
from vigie.core.models import VigieModel


class ContactKind(models.TextChoices):
    JUVENILE_COURT = "juvenile_court", _("Juvenile court")
    PROSECUTOR_MINORS = "prosecutor_minors", _("Prosecutor's minors section")
    ASE_EMERGENCY = "ase_emergency", _("Child social services emergency unit")
    PJJ = "pjj", _("Judicial youth protection (PJJ)")
    UAPED = "uaped", _("Paediatric unit for children in danger (UAPED)")
    SIAO = "siao", _("SIAO / 115")
    PSYCHOTRAUMA = "psychotrauma", _("Psychotrauma centre")
    ADDICTION_YOUTH = "addiction_youth", _("Addiction service for young people")
    POLICE_UNIT = "police_unit", _("Specialised police unit")
    ASSOCIATION = "association", _("Association")
    OTHER = "other", _("Other")


class DirectoryEntry(VigieModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    departement = models.CharField(_("département"), max_length=3)
    # Need values (vocabulary.py) this contact answers.
    needs = models.JSONField(_("needs answered"), default=list)
    role = models.TextField(_("role"), blank=True)
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    # E.164, normalised with phonenumbers.
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    maintained_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="directory_entries",
        verbose_name=_("maintained by"),
    )
    # Demo entries: shown as fictional everywhere, with numbers from ARCEP's fiction ranges.
    is_fictional = models.BooleanField(_("fictional (demo)"), default=False)

    class Meta:
        ordering = ["departement", "kind", "name"]
        verbose_name = _("directory entry")
        indexes = [models.Index(fields=["departement", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "kind", "name"], name="directory_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name
