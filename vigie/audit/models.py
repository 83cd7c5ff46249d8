"""The append-only, hash-chained audit trail (CNIL 2021 logging recommendation, ASVS 16).

Rows hold pseudonymous identifiers only: UUIDs, role and action codes, never a name or a text a
person wrote.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CASE_LIST = "case.list", _("Listed case files")
    CASE_VIEW = "case.view", _("Viewed a case file")
    CASE_CREATE = "case.create", _("Opened a case file")
    CASE_UPDATE = "case.update", _("Changed a case file")
    CASE_NOTE_ADD = "case.note_add", _("Added a note")
    CASE_SCREENING = "case.screening", _("Screened for trafficking indicators")
    CASE_SEARCH = "case.search", _("Searched case files")
    CASE_ACCESS_LOG_VIEW = "case.access_log_view", _("Viewed who accessed a case file")
    CASE_EXPORT = "case.export", _("Exported case data")
    CASE_STATUS_CHANGE = "case.status_change", _("Changed the status of a case file")
    CASE_EVENT_RECORD = "case.event_record", _("Recorded an event in a case file")
    CASE_HISTORY_VIEW = "case.history_view", _("Viewed the history of changes of a case file")
    CASE_DOCUMENT_ADD = "case.document_add", _("Attached a document")
    CASE_DOCUMENT_VIEW = "case.document_view", _("Opened a document")
    CASE_DOCUMENT_DELETE = "case.document_delete", _("Deleted a document")
    CASE_ARCHIVE = "case.archive", _("Archived a case file")
    CASE_ARCHIVE_VIEW = "case.archive_view", _("Opened an archived case file")
    CASE_IMPORT = "case.import", _("Imported case files")
    CASE_LIST_EXPORT = "case.list_export", _("Exported the list of case files")
    CASE_FILE_EXPORT = "case.file_export", _("Exported a child's full file")
    RIGHT_UPDATE = "right.update", _("Changed a right in the rights plan")
    REFERRAL_CREATE = "referral.create", _("Referred a child to another organisation")
    REFERRAL_CONSENT_OVERRIDE = (
        "referral.consent_override",
        _("Shared a file without the young person's agreement"),
    )
    REFERRAL_ACCEPT = "referral.accept", _("Accepted a referral")
    REFERRAL_DECLINE = "referral.decline", _("Declined a referral")
    REFERRAL_REVOKE = "referral.revoke", _("Revoked a referral")
    REFERRAL_SERVICE_RECORD = "referral.service_record", _("Recorded a service for a referral")
    REFERRAL_FILE_VIEW = "referral.file_view", _("Read the sections of a file shared by a referral")
    TRANSFER_PROPOSE = "transfer.propose", _("Proposed a transfer")
    TRANSFER_ACCEPT = "transfer.accept", _("Accepted a transfer")
    TRANSFER_DECLINE = "transfer.decline", _("Declined a transfer")
    TRANSFER_CANCEL = "transfer.cancel", _("Cancelled a transfer")
    TRANSFER_SUMMARY_VIEW = "transfer.summary_view", _("Viewed a continuity summary")
    TRANSFER_SUMMARY_EXPORT = (
        "transfer.summary_export",
        _("Exported a continuity summary for a partner abroad"),
    )
    DIRECTORY_CHANGE = "directory.change", _("Changed the directory")
    DIRECTORY_IMPORT = "directory.import", _("Imported directory entries")
    PLACE_CHANGE = "place.change", _("Changed an accommodation place")
    PLACE_IMPORT = "place.import", _("Imported accommodation places")
    PLACE_HOLD = "place.hold", _("Held an accommodation place for a child")
    PLACE_HOLD_CONFIRM = "place.hold_confirm", _("Recorded a placement in a held place")
    PLACE_HOLD_RELEASE = "place.hold_release", _("Released a held place")
    OUTREACH_AD_LIST = "outreach.ad_list", _("Listed online advertisements")
    OUTREACH_AD_VIEW = "outreach.ad_view", _("Viewed an online advertisement")
    OUTREACH_AD_CREATE = "outreach.ad_create", _("Recorded an online advertisement")
    OUTREACH_AD_UPDATE = "outreach.ad_update", _("Changed an online advertisement")
    OUTREACH_AD_IMPORT = "outreach.ad_import", _("Imported online advertisements")
    OUTREACH_AD_PURGE = "outreach.ad_purge", _("Deleted expired online advertisements")
    OUTREACH_CLUSTER_VIEW = (
        "outreach.cluster_view",
        _("Viewed a possible network of advertisements"),
    )
    OUTREACH_CONTACT_LOG = "outreach.contact_log", _("Logged a contact made from an advertisement")
    OUTREACH_REPORT_RECORD = "outreach.report_record", _("Recorded a report to the authorities")
    OUTREACH_EVIDENCE_EXPORT = (
        "outreach.evidence_export",
        _("Exported the evidence of advertisements for the authorities"),
    )
    OUTREACH_TEMPLATE_CHANGE = "outreach.template_change", _("Changed contact templates")
    OUTREACH_CASE_OPEN = "outreach.case_open", _("Opened a case file from an advertisement")
    STATS_VIEW = "stats.view", _("Viewed the organisation's statistics")
    STATS_HTCDS_EXPORT = "stats.htcds_export", _("Exported case records in the HTCDS format")
    RELEASE_CREATE = "release.create", _("Requested a statistics release")
    RELEASE_PUBLISH = "release.publish", _("Published a statistics release")
    RELEASE_DOWNLOAD = "release.download", _("Downloaded a statistics release")
    ALERTS_DIGEST_SEND = "alerts.digest_send", _("Sent alert digests")
    ORGANISATION_CREATE = "organisation.create", _("Created an organisation")
    USER_CREATE = "user.create", _("Created an account")
    USER_DISABLE = "user.disable", _("Disabled an account")
    CREDENTIALS_CHANGE = "user.credentials_change", _("Changed credentials")
    API_TOKEN_CREATE = "api.token_create", _("Created an API token")
    API_TOKEN_REVOKE = "api.token_revoke", _("Revoked an API token")
    ENCRYPTION_KEYS_ROTATE = "system.keys_rotate", _("Rotated encryption keys")
    AUDIT_PURGE = "system.audit_purge", _("Purged expired audit events")


class AuditEvent(models.Model):
    sequence = models.BigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor_uuid = models.UUIDField(null=True, blank=True)
    organisation_uuid = models.UUIDField(null=True, blank=True, db_index=True)
    role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_uuids = models.JSONField(default=list)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # A code, never free text: the written justification lives encrypted with the object itself.
    reason_code = models.CharField(max_length=60, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"


class AuditEventSubject(models.Model):
    """Index of the objects an event touched, for "who accessed this file" queries.

    Derived from ``AuditEvent.object_uuids`` (which the chain protects); `vigie audit verify`
    checks the two agree.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="subjects")
    object_uuid = models.UUIDField(db_index=True)

    def __str__(self) -> str:
        return f"{self.event_id}:{self.object_uuid}"


class AuditChainHead(models.Model):
    """The single row that serialises appends and remembers where purging stopped."""

    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    purged_through_sequence = models.BigIntegerField(default=0)
    purged_through_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head at #{self.last_sequence}"


class AuditPurgePermit(models.Model):
    """Present only inside `vigie audit purge`'s transaction: the triggers then allow DELETE."""

    granted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"purge permit {self.granted_at}"
