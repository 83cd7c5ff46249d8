"""Reading releases: analysts see every release (their tables are published numbers)."""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from .models import Release, ReleaseStatus


def releases_list() -> QuerySet[Release]:
    return Release.objects.select_related("created_by").defer("tables")


def release_get(release_uuid: uuid.UUID) -> Release:
    try:
        return Release.objects.select_related("created_by").get(uuid=release_uuid)
    except Release.DoesNotExist:
        raise Http404 from None


def release_get_published(release_uuid: uuid.UUID) -> Release:
    """A published release; 404 for one still computing or failed (no files yet)."""
    release = release_get(release_uuid)
    if release.status != ReleaseStatus.PUBLISHED:
        raise Http404
    return release
