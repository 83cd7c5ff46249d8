"""What the project-wide tests need to know about the import pages.

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
READS: the audit events of every URL of this part that names a case (case_uuid): none.

Each target's upload page has its permission: case files CASE_IMPORT (coordinators), directory
entries DIRECTORY_MANAGE and places PLACES_MANAGE (coordinators and organisation
administrators). The pages of a job are scoped by the job's selector: 404 for another
organisation's job and for a job of a target the person may not import. The job pages are
probed with a job of case files (mapping, check, commit) and one of directory entries (the
result and its progress), so that both rules are seen: an organisation administrator reaches
the second, not the first.
"""

from typing import Any

from vigie.core.tests.url_matrix import (
    DENIED,
    GET,
    HIDDEN,
    INVALID_FORM,
    OK,
    POST,
    Answer,
    Probe,
    Route,
    World,
    to,
)
from vigie.tests_support.factories_documents import Upload
from vigie.tests_support.factories_imports import CASES_MAPPING, case_rows, csv_bytes

_CASES_CSV = csv_bytes(case_rows(3))
_DIRECTORY_CSV = "name;kind;departement;needs\r\nFictif — 115;siao;13;accommodation\r\n".encode()
_MAPPING_POST = {f"column_{field}": header for field, header in CASES_MAPPING.items()}

_COORDINATORS: dict[str, Answer | tuple[Answer, Answer]] = {
    "caseworker": DENIED,
    "coordinator": OK,
    "org_admin": DENIED,
    "analyst": DENIED,
    "platform_admin": DENIED,
}
_MANAGERS: dict[str, Answer | tuple[Answer, Answer]] = {**_COORDINATORS, "org_admin": OK}


def _allowed(
    table: dict[str, Answer | tuple[Answer, Answer]], answer: Answer
) -> dict[str, Answer | tuple[Answer, Answer]]:
    return {role: (answer if cell == OK else cell) for role, cell in table.items()}


def _own_only(
    table: dict[str, Answer | tuple[Answer, Answer]], answer: Answer
) -> dict[str, Answer | tuple[Answer, Answer]]:
    """A URL naming a job: the answer for those allowed, on their own organisation's job; 404
    for everything else."""
    return {
        role: ((answer, HIDDEN) if cell == OK else (HIDDEN, HIDDEN)) for role, cell in table.items()
    }


def _uploaded(world: World, scope: str, target: str, content: bytes) -> Any:
    from vigie.audit.services import Actor
    from vigie.imports.services import import_upload
    from vigie.tests_support.factories import UserFactory

    coordinator = UserFactory(role="coordinator", organisation=world.cases[scope].organisation)
    return import_upload(
        actor=Actor(coordinator), target=target, filename="fichier.csv", content=content
    )


def cases_job_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    """A file of case files uploaded by the scope's organisation, not yet checked."""
    return {"job_uuid": _uploaded(world, scope, "cases", _CASES_CSV).uuid}


def checked_cases_job_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    """A file of case files checked without error: ready to be imported."""
    from vigie.audit.services import Actor
    from vigie.imports.services import import_preview

    job = _uploaded(world, scope, "cases", _CASES_CSV)
    import_preview(actor=Actor(job.created_by), job=job, columns=CASES_MAPPING)
    return {"job_uuid": job.uuid}


def directory_job_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    """A directory import of the scope's organisation, running."""
    from vigie.imports.models import ImportJob, ImportStatus

    job = _uploaded(world, scope, "directory", _DIRECTORY_CSV)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, rows_total=1, rows_done=0
    )
    return {"job_uuid": job.uuid}


def _upload_route(
    table: dict[str, Answer | tuple[Answer, Answer]], name: str, content: bytes
) -> Route:
    return Route(
        probes=(
            Probe(GET, table),
            Probe(
                POST,
                _allowed(table, to("imports:mapping")),
                data={"file": Upload(name, content, "text/csv")},
            ),
            # No file, then a file that is no spreadsheet: refused by name.
            Probe(POST, _allowed(table, INVALID_FORM)),
            Probe(
                POST,
                _allowed(table, INVALID_FORM),
                data={"file": Upload(name, b"\x00\x01\x02", "text/csv")},
            ),
        )
    )


ROUTES: dict[str, Route] = {
    "imports:cases": _upload_route(_COORDINATORS, "dossiers.csv", _CASES_CSV),
    "imports:directory": _upload_route(_MANAGERS, "annuaire.csv", _DIRECTORY_CSV),
    "imports:places": Route(
        probes=(Probe(GET, _MANAGERS), Probe(POST, _allowed(_MANAGERS, INVALID_FORM)))
    ),
    "imports:mapping": Route(
        kwargs=cases_job_of, probes=(Probe(GET, _own_only(_COORDINATORS, OK)),)
    ),
    "imports:preview": Route(
        kwargs=cases_job_of,
        probes=(
            # Not checked yet: the mapping comes first.
            Probe(GET, _own_only(_COORDINATORS, to("imports:mapping"))),
            Probe(POST, _own_only(_COORDINATORS, OK), data=_MAPPING_POST),
            # Two fields from one column.
            Probe(
                POST,
                _own_only(_COORDINATORS, INVALID_FORM),
                data={**_MAPPING_POST, "column_last_name": "Prénom"},
            ),
        ),
    ),
    "imports:commit": Route(
        kwargs=checked_cases_job_of,
        probes=(Probe(POST, _own_only(_COORDINATORS, to("imports:job"))),),
    ),
    "imports:job": Route(kwargs=directory_job_of, probes=(Probe(GET, _own_only(_MANAGERS, OK)),)),
    "imports:progress": Route(
        kwargs=directory_job_of, probes=(Probe(GET, _own_only(_MANAGERS, OK)),)
    ),
}
READS: dict[str, Any] = {}
