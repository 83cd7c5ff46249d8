"""Background jobs of the monitoring part, run by the django-tasks worker (`vigie db_worker`)."""

import uuid

from django_tasks import task

from .models import Release, ReleaseStatus
from .services.releases import release_compute


@task()
def release_compute_task(release_uuid: str) -> str:
    """Compute a requested release; its page shows the progress saved on the way."""
    release = Release.objects.get(uuid=uuid.UUID(release_uuid))
    if release.status != ReleaseStatus.QUEUED:
        return release.status  # already computed or failed: a retried job does nothing
    release_compute(release)
    return ReleaseStatus.PUBLISHED
