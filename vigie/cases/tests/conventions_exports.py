"""What the project-wide tests need to know about the case exports (vigie/cases/views/exports.py).

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
- The exports page: caseworkers and coordinators (Permission.CASE_FILE_EXPORT); 403 otherwise.
- The case list export is a coordinator's (Permission.CASE_LIST_EXPORT), of their own
  organisation's files (the list's scope: the URL names no object); signing in counts as a fresh
  re-authentication, so the POST gives the file; an unknown format is 422; everyone else 403.
- A child's full file as a PDF: caseworkers and coordinators, for their organisation's file only;
  another organisation's file and everyone else get 404 (the URL names a case).
READS: the full-file export reads the file (CASE_VIEW) then exports it (CASE_FILE_EXPORT).
"""

from typing import Any

from vigie.audit.models import AuditAction
from vigie.core.tests.url_matrix import (
    CASE_EDITORS_OWN_ONLY,
    CASE_WORKERS_ONLY,
    DENIED,
    GET,
    INVALID_FORM,
    OK,
    POST,
    Answer,
    Probe,
    Route,
    case_of,
)
from vigie.tests_support.audit_reads import Read

_COORDINATORS: dict[str, Answer | tuple[Answer, Answer]] = {
    "caseworker": DENIED,
    "coordinator": OK,
    "org_admin": DENIED,
    "analyst": DENIED,
    "platform_admin": DENIED,
}


def _coordinators(answer: Answer) -> dict[str, Answer | tuple[Answer, Answer]]:
    return {role: (answer if cell == OK else cell) for role, cell in _COORDINATORS.items()}


_LIST_EXPORT = {"export_format": "csv", "identities": "pseudonymous"}
_FILE_EXPORT = {"purpose": "judge", "language": "fr"}

ROUTES: dict[str, Any] = {
    "cases:exports": Route(probes=(Probe(GET, CASE_WORKERS_ONLY),)),
    "cases:list_export": Route(
        probes=(
            Probe(GET, _COORDINATORS),
            Probe(POST, _COORDINATORS, data=_LIST_EXPORT),
            Probe(POST, _coordinators(INVALID_FORM), data={**_LIST_EXPORT, "export_format": "pdf"}),
        )
    ),
    "cases:file_export": Route(
        kwargs=case_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(POST, CASE_EDITORS_OWN_ONLY(OK), data=_FILE_EXPORT),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(INVALID_FORM),
                data={**_FILE_EXPORT, "purpose": "curiosity"},
            ),
        ),
    ),
}

READS: dict[str, Any] = {
    "cases:file_export": Read(
        "POST", [AuditAction.CASE_VIEW, AuditAction.CASE_FILE_EXPORT], _FILE_EXPORT
    ),
}
