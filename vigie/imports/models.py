"""Imports of spreadsheets: the uploaded file while it is looked at, saved column mappings, and
the fingerprints that keep a row imported twice from making two records."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import Organisation
from vigie.core.models import VigieModel


class ImportTarget(models.TextChoices):
    CASES = "cases", _("Case files")
    DIRECTORY = "directory", _("Directory entries")
    PLACES = "places", _("Accommodation places")
    ADS = "ads", _("Online advertisements")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportPhase(models.TextChoices):
    """Where a running import stands: checking (rows_done moves) then writing (one transaction,
    whose progress no other connection can see until it commits)."""

    CHECKING = "checking", _("Checking the rows")
    WRITING = "writing", _("Writing")


class ImportMapping(VigieModel):
    """Which column of the organisation's files holds which field: kept to be used again."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_mappings"
    )
    target = models.CharField(_("data imported"), max_length=20, choices=ImportTarget.choices)
    name = models.CharField(_("name"), max_length=100)
    # {field name: header of the file's column}
    columns = models.JSONField(_("columns"), default=dict)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "target", "name"], name="import_mapping_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ImportJob(VigieModel):
    """One file, from its upload to its import.

    ``content`` is the file itself, encrypted (it holds children's identities), kept only while
    the import is prepared: it is emptied once the import is done or has failed.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_jobs"
    )
    target = models.CharField(_("data imported"), max_length=20, choices=ImportTarget.choices)
    filename = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    content = models.BinaryField(default=b"")
    headers = models.JSONField(default=list)
    # The mapping used: {field name: header}
    columns = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    phase = models.CharField(max_length=10, choices=ImportPhase.choices, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    # [{"line", "column", "field", "message"}], the first ones (see engine.MAX_REPORTED_ERRORS);
    # error_count counts them all. Line 0: a problem with the file or the writing as a whole.
    errors = models.JSONField(default=list)
    error_count = models.PositiveIntegerField(default=0)
    previewed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "target", "-created_at"])]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)


class ImportedRecord(models.Model):
    """The fingerprint of an imported row (a keyed digest, never the data itself) and the record
    it made: the same row imported again is recognised, and skipped."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=20, choices=ImportTarget.choices)
    key = models.CharField(max_length=80)
    object_uuid = models.UUIDField()
    job = models.ForeignKey(
        ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "target", "key"], name="imported_record_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.object_uuid}"
