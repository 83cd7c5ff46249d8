"""What the project-wide tests need to know about the directory pages.

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
READS: the audit events of every URL of this part that names a case (case_uuid), as in
vigie/cases/tests/test_read_audit.py. The directory names no case: none.

Reading is for every role that works with children or keeps the organisation's contacts
(DIRECTORY_VIEW), every organisation's entries alike; changes are for coordinators and
organisation administrators (DIRECTORY_MANAGE), on their own organisation's entries only.
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
from vigie.tests_support.factories_directory import DirectoryEntryFactory

MOVED_PERMANENTLY = 301

_READERS: dict[str, Answer | tuple[Answer, Answer]] = {
    "caseworker": OK,
    "coordinator": OK,
    "org_admin": OK,
    "analyst": DENIED,
    "platform_admin": DENIED,
}


def _managers(answer: Answer) -> dict[str, Answer | tuple[Answer, Answer]]:
    return {
        "caseworker": DENIED,
        "coordinator": answer,
        "org_admin": answer,
        "analyst": DENIED,
        "platform_admin": DENIED,
    }


def _managers_own_only(answer: Answer) -> dict[str, Answer | tuple[Answer, Answer]]:
    """A URL naming an entry: 404 without DIRECTORY_MANAGE, and on another organisation's."""
    return {
        "caseworker": (HIDDEN, HIDDEN),
        "coordinator": (answer, HIDDEN),
        "org_admin": (answer, HIDDEN),
        "analyst": (HIDDEN, HIDDEN),
        "platform_admin": (HIDDEN, HIDDEN),
    }


def directory_entry_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    """An entry kept by the scope's organisation (the actor's own for "own")."""
    entry = DirectoryEntryFactory(maintained_by=world.members[scope].organisation)
    return {"entry_uuid": entry.uuid}


_ENTRY = {
    "name": "UAPED de l'hôpital",
    "kind": "uaped",
    "departement": "93",
    "needs": ["health", "psychological"],
    "phone": "01 99 00 12 34",
    "email": "uaped@example.org",
}


ROUTES: dict[str, Route] = {
    "network:directory": Route(
        probes=(Probe(GET, _READERS), Probe(GET, _READERS, data={"departement": "75"}))
    ),
    "network:directory_export": Route(probes=(Probe(GET, _READERS),)),
    "network:directory_create": Route(
        probes=(
            Probe(GET, _managers(OK)),
            Probe(POST, _managers(to("network:directory")), data=_ENTRY),
            Probe(POST, _managers(INVALID_FORM), data={**_ENTRY, "phone": "12"}),
        )
    ),
    "network:directory_update": Route(
        kwargs=directory_entry_of,
        probes=(
            Probe(GET, _managers_own_only(OK)),
            Probe(POST, _managers_own_only(to("network:directory")), data=_ENTRY),
            Probe(POST, _managers_own_only(INVALID_FORM), data={**_ENTRY, "departement": "20"}),
        ),
    ),
    "network:directory_delete": Route(
        kwargs=directory_entry_of,
        probes=(
            Probe(GET, _managers_own_only(OK)),
            Probe(POST, _managers_own_only(to("network:directory"))),
        ),
    ),
    # The former one-page import: a permanent redirect to the import journey (bookmarks). The
    # matrix's to() means a 302, so the 301 is declared by its code here; its target is checked
    # in test_directory_views.py.
    "network:directory_import": Route(probes=(Probe(GET, _managers(MOVED_PERMANENTLY)),)),
}
READS: dict[str, Any] = {}
