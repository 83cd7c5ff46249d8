"""What the project-wide tests need to know about the contact log, the contact templates and the
outreach settings.

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
"""

import itertools
from typing import Any

from vigie.core.tests.url_matrix import (
    CASE_EDITORS_OWN_ONLY,
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
from vigie.tests_support.factories_outreach import ad_of

_CONTACT = {
    "channel": "whatsapp",
    "contacted_on": "2026-01-15",
    "message": "Bonjour, message fictif pour les tests.",
    "answer": "no_answer",
}
_TEMPLATE = {
    "name": "Message fictif des tests",
    "language": "ro",
    "body": "Bună ziua {pseudonym}, sunați la {hotline}.",
    "is_active": "on",
}
_SETTINGS = {"hotline": "01 40 20 50 50", "signature": "Camille, équipe de jour"}

_numbers = itertools.count(1)

# The organisation's templates and hotline: coordinators only; the page is no case page.
_COORDINATORS: dict[str, Answer | tuple[Answer, Answer]] = {
    "caseworker": DENIED,
    "coordinator": OK,
    "org_admin": DENIED,
    "analyst": DENIED,
    "platform_admin": DENIED,
}


def _coordinators(answer: Answer) -> dict[str, Answer | tuple[Answer, Answer]]:
    return {role: (answer if cell == OK else cell) for role, cell in _COORDINATORS.items()}


def _coordinators_own_only(answer: Answer) -> dict[str, Answer | tuple[Answer, Answer]]:
    """A template of the actor's organisation; another's is a 404, as for everyone without
    OUTREACH_TEMPLATES_MANAGE (the URL names an object)."""
    return {
        "caseworker": (HIDDEN, HIDDEN),
        "coordinator": (answer, HIDDEN),
        "org_admin": (HIDDEN, HIDDEN),
        "analyst": (HIDDEN, HIDDEN),
        "platform_admin": (HIDDEN, HIDDEN),
    }


def template_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    """A fresh template of the scope's organisation."""
    from vigie.outreach.models import ContactTemplate

    template = ContactTemplate.objects.create(
        organisation=world.cases[scope].organisation,
        name=f"Modèle fictif {next(_numbers)}",
        language="fr",
        body="Bonjour {pseudonym}, appelez le {hotline}.",
    )
    return {"template_uuid": template.uuid}


ROUTES: dict[str, Any] = {
    "outreach:contact_create": Route(
        kwargs=ad_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(POST, CASE_EDITORS_OWN_ONLY(to("outreach:ad_detail")), data=_CONTACT),
            # A contact cannot be in the future.
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(INVALID_FORM),
                data={**_CONTACT, "contacted_on": "2999-01-01"},
            ),
        ),
    ),
    "outreach:templates": Route(probes=(Probe(GET, _COORDINATORS),)),
    "outreach:template_create": Route(
        probes=(
            Probe(GET, _COORDINATORS),
            Probe(POST, _coordinators(to("outreach:templates")), data=_TEMPLATE),
            # An unknown variable would reach the person as written.
            Probe(
                POST,
                _coordinators(INVALID_FORM),
                data={**_TEMPLATE, "body": "Bună ziua, sunați la {hotlin}."},
            ),
        )
    ),
    "outreach:template_update": Route(
        kwargs=template_of,
        probes=(
            Probe(GET, _coordinators_own_only(OK)),
            Probe(POST, _coordinators_own_only(to("outreach:templates")), data=_TEMPLATE),
            Probe(POST, _coordinators_own_only(INVALID_FORM), data={**_TEMPLATE, "body": ""}),
        ),
    ),
    "outreach:template_deactivate": Route(
        kwargs=template_of,
        probes=(Probe(POST, _coordinators_own_only(to("outreach:templates"))),),
    ),
    "outreach:settings": Route(
        probes=(
            Probe(GET, _COORDINATORS),
            Probe(POST, _coordinators(to("outreach:templates")), data=_SETTINGS),
            Probe(POST, _coordinators(INVALID_FORM), data={**_SETTINGS, "hotline": "12"}),
        )
    ),
}
