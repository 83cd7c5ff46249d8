"""What the project-wide tests need to know about the places pages.

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
READS: the audit events of every URL of this part that names a case (case_uuid), as in
vigie/cases/tests/test_read_audit.py.
"""

from typing import Any

from vigie.audit.models import AuditAction
from vigie.core.tests.url_matrix import (
    CASE_EDITORS_OWN_ONLY,
    CASE_WORKERS_ONLY,
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
    case_of,
    to,
)
from vigie.tests_support.audit_reads import Read

_PLACE = {
    "name": "Fictif — Maison d'accueil",
    "kind": "childrens_home",
    "departement": "69",
    "capacity": "6",
    "available": "2",
    "age_min": "12",
    "age_max": "17",
    "genders": ["girl", "boy"],
    "accepts_any_territory": "on",
    "is_active": "on",
}

# Publishers: coordinators and organisation administrators; the page is no case page.
_MANAGERS: dict[str, Answer | tuple[Answer, Answer]] = {
    "caseworker": DENIED,
    "coordinator": OK,
    "org_admin": OK,
    "analyst": DENIED,
    "platform_admin": DENIED,
}


def _managers(answer: Answer) -> dict[str, Answer | tuple[Answer, Answer]]:
    return {role: (answer if cell == OK else cell) for role, cell in _MANAGERS.items()}


def _managers_own_only(answer: Answer) -> dict[str, Answer | tuple[Answer, Answer]]:
    """A place of the actor's organisation; another's is a 404, as for everyone without
    PLACES_MANAGE (the URL names an object)."""
    return {
        "caseworker": (HIDDEN, HIDDEN),
        "coordinator": (answer, HIDDEN),
        "org_admin": (answer, HIDDEN),
        "analyst": (HIDDEN, HIDDEN),
        "platform_admin": (HIDDEN, HIDDEN),
    }


def place_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    from vigie.tests_support.factories_places import AccommodationPlaceFactory

    place = AccommodationPlaceFactory(organisation=world.cases[scope].organisation)
    return {"place_uuid": place.uuid}


def case_and_place_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    """The scope's case and a fresh published place (of a third publisher) fitting it."""
    from vigie.tests_support.factories_places import place_for_case

    case = world.cases[scope]
    return {"case_uuid": case.uuid, "place_uuid": place_for_case(case).uuid}


def hold_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    """A running hold made by the scope's organisation for its case."""
    from vigie.tests_support.factories_places import PlaceHoldFactory

    return {"hold_uuid": PlaceHoldFactory(case=world.cases[scope]).uuid}


ROUTES: dict[str, Any] = {
    # Places hold no child data: every searcher sees every published place.
    "network:places": Route(probes=(Probe(GET, CASE_WORKERS_ONLY),)),
    "network:places_mine": Route(probes=(Probe(GET, _MANAGERS),)),
    "network:place_create": Route(
        probes=(
            Probe(GET, _MANAGERS),
            Probe(POST, _managers(to("network:places_mine")), data=_PLACE),
            # A hotel is no type of place; available beyond capacity neither.
            Probe(POST, _managers(INVALID_FORM), data={**_PLACE, "kind": "hotel"}),
            Probe(POST, _managers(INVALID_FORM), data={**_PLACE, "available": "9"}),
        )
    ),
    "network:place_update": Route(
        kwargs=place_of,
        probes=(
            Probe(GET, _managers_own_only(OK)),
            Probe(POST, _managers_own_only(to("network:places_mine")), data=_PLACE),
            Probe(POST, _managers_own_only(INVALID_FORM), data={**_PLACE, "age_max": "30"}),
            # The publisher's quick availability update.
            Probe(
                POST,
                _managers_own_only(to("network:places_mine")),
                data={"availability_only": "1", "available": "1"},
            ),
            Probe(
                POST,
                _managers_own_only(INVALID_FORM),
                data={"availability_only": "1", "available": "99"},
            ),
        ),
    ),
    "network:places_for_case": Route(
        kwargs=case_of,
        probes=(Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),),
    ),
    "network:place_hold": Route(
        kwargs=case_and_place_of,
        probes=(Probe(POST, CASE_EDITORS_OWN_ONLY(to("cases:detail"))),),
    ),
    "network:hold_confirm": Route(
        kwargs=hold_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(
                POST, CASE_EDITORS_OWN_ONLY(to("cases:detail")), data={"started_on": "2024-05-02"}
            ),
            Probe(POST, CASE_EDITORS_OWN_ONLY(INVALID_FORM), data={"started_on": "2999-01-01"}),
        ),
    ),
    "network:hold_release": Route(
        kwargs=hold_of,
        probes=(Probe(POST, CASE_EDITORS_OWN_ONLY(to("cases:detail"))),),
    ),
}

READS: dict[str, Any] = {
    "network:places_for_case": Read("GET", [AuditAction.CASE_VIEW]),
    "network:place_hold": Read("POST", [AuditAction.CASE_VIEW, AuditAction.PLACE_HOLD]),
}
