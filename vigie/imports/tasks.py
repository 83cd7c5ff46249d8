"""Background jobs of imports, run by the django-tasks worker (`vigie db_worker`)."""

import uuid

from django_tasks import task

from .models import ImportJob
from .services import import_run


@task()
def import_run_task(job_uuid: str) -> str:
    """Run a queued import; its page shows the progress saved on the way."""
    job = ImportJob.objects.select_related("created_by", "organisation").get(
        uuid=uuid.UUID(job_uuid)
    )
    # A retried or repeated task finds the job no longer queued and does nothing.
    return import_run(job).status
