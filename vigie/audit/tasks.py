"""Background jobs of the audit trail, run by the django-tasks worker (`vigie db_worker`)."""

from django_tasks import task

from .services import audit_purge


@task()
def audit_purge_task() -> int:
    """Daily retention job: returns the number of events purged."""
    return audit_purge()
