"""The job runner works on the embedded SQLite database and on PostgreSQL alike."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.models import DBTaskResult

from vigie.audit.models import AuditEvent
from vigie.audit.tasks import audit_purge_task

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_a_queued_job_is_stored_in_the_database_and_run_by_the_worker():
    with override_settings(TASKS=DATABASE_TASKS):
        assert type(task_backends["default"]).__name__ == "DatabaseBackend"
        result = audit_purge_task.using(backend="default").enqueue()
        assert result.status == TaskResultStatus.READY
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == 0
    assert AuditEvent.objects.filter(action="system.audit_purge").count() == 1
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
