"""Reading the audit trail for a user (coordinators: who accessed this file)."""

import uuid

from django.db.models import QuerySet

from .models import AuditEvent


def audit_events_for_object(*, object_uuid: uuid.UUID, limit: int = 200) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(subjects__object_uuid=object_uuid).order_by("-sequence")[
        :limit
    ]
