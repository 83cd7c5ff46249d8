"""Statistics releases and the privacy ledger.

A release holds only what is published: the tables after differential privacy and
post-processing, with their metadata. The rows it was computed from are never stored.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigie.core.models import VigieModel


class ReleaseStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being computed")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")


class Release(VigieModel):
    """A named, dated set of tables over every participating organisation.

    ``tables``: a list of ``{"attributes": [dimension codes], "measured": bool, "cells": [{"key":
    [value codes], "count": int | None, "low": int | None, "high": int | None, "se": float}]}``;
    ``count`` is None for a cell below the threshold (shown "< threshold"), and so are its bounds.
    """

    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_step = models.CharField(max_length=100, blank=True)
    epsilon = models.FloatField(_("ε (epsilon)"))
    delta = models.FloatField(_("δ (delta)"))
    threshold = models.PositiveSmallIntegerField(_("threshold"), default=11)
    # The requested tables, each a list of dimension codes ([] is the total).
    spec = models.JSONField(_("tables"))
    # The day the dimensions' values were fixed (the last ten years are counted from it).
    reference_date = models.DateField(_("reference date"))
    # Only the files followed during this calendar year (open at some time in it), as the annual
    # survey of victims followed by associations counts them; every file when empty.
    followed_in = models.PositiveSmallIntegerField(
        _("files followed during"), null=True, blank=True
    )
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    tables = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("statistics release")

    def __str__(self) -> str:
        return self.name


class LedgerYear(models.Model):
    """One row per calendar year: locked while a release is charged, so that two requests at
    the same moment cannot both fit under the yearly total (a lock on the entries would not stop
    a concurrent insert)."""

    year = models.PositiveSmallIntegerField(unique=True)

    def __str__(self) -> str:
        return str(self.year)


class LedgerEntry(VigieModel):
    """Privacy budget spent by a release, charged to the calendar year it was requested in.

    Releases compose: the budgets of a year add up (basic composition), and the sum may not
    exceed the yearly total (settings VIGIE_PRIVACY_YEARLY_EPSILON / _DELTA).
    """

    release = models.OneToOneField(Release, on_delete=models.PROTECT, related_name="ledger_entry")
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    epsilon = models.FloatField(_("ε (epsilon)"))
    delta = models.FloatField(_("δ (delta)"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("privacy ledger entry")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(epsilon__gt=0), name="ledger_epsilon_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(delta__gte=0) & models.Q(delta__lt=1), name="ledger_delta_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: ε={self.epsilon} δ={self.delta}"
