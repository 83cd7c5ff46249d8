"""Vocabularies shared by referrals, the directory and accommodation places."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Need(models.TextChoices):
    """What a child needs from another service: a referral asks for one, a directory entry and
    a place answer some."""

    ACCOMMODATION = "accommodation", _("Accommodation")
    PROTECTION = "protection", _("Child protection (child in danger)")
    HEALTH = "health", _("Health care")
    PSYCHOLOGICAL = "psychological", _("Psychological care")
    ADDICTION = "addiction", _("Addiction care")
    LEGAL = "legal", _("Legal help")
    SCHOOLING = "schooling", _("Schooling or training")
    AD_HOC_ADMINISTRATION = "ad_hoc_administration", _("Ad hoc administration")
    REPORTING = "reporting", _("Reporting an offence")
    OTHER = "other", _("Other")


class FileSection(models.TextChoices):
    """Sections of a child's file that a referral may share, one by one (shared professional
    secrecy, CASF art. L.226-2-2: only what is strictly necessary to the service asked)."""

    IDENTITY = "identity", _("Identity")
    SITUATION = "situation", _("Situation and exploitation")
    HEALTH = "health", _("Health")
    LEGAL = "legal", _("Legal status and proceedings")
    ACCOMMODATION = "accommodation", _("Accommodation")
    SCHOOLING = "schooling", _("Schooling or training")
    RIGHTS = "rights", _("Rights plan")
    SAFETY = "safety", _("Safety notes")


class ChildConsent(models.TextChoices):
    CONSENTED = "consented", _("The young person agreed")
    INFORMED = "informed", _("The young person was informed beforehand")
    # CASF L.226-2-2 allows sharing without agreement when the child's interest requires it;
    # Vigie asks a coordinator's written reason, audited.
    OVERRIDE = "override", _("Without the young person's agreement: coordinator's decision")


class ParentsConsent(models.TextChoices):
    CONSENTED = "consented", _("The parents agreed")
    INFORMED = "informed", _("The parents were informed beforehand")
    # Parents absent, unreachable, or possibly involved in the exploitation (seeds: family
    # members among the exploiters): informing them could endanger the child.
    NOT_APPROPRIATE = (
        "not_appropriate",
        _("Not appropriate (absent, unreachable or against the child's interest)"),
    )
