"""What the project-wide tests need to know about the advertisement pages.

ROUTES: the authorisation matrix of this part's URLs (see vigie/core/tests/url_matrix.py). As for
case files: caseworkers and coordinators of the ad's organisation; an ad of another organisation,
or any ad for a role without outreach, is a 404.
"""

from typing import Any

from vigie.core.tests.url_matrix import (
    CASE_EDITORS_OWN_ONLY,
    CASE_WORKERS_ONLY,
    GET,
    INVALID_FORM,
    OK,
    POST,
    Answer,
    Probe,
    Route,
    to,
)
from vigie.tests_support.factories_outreach import ad_of

_AD = {
    "site": "annonces-exemple.test",
    "url": "https://annonces-exemple.test/annonce/matrice",
    "first_seen_on": "2026-01-05",
    "last_seen_on": "2026-01-08",
    "text": "Annonce fictive pour la matrice des droits, écrire d'abord",
    "declared_age": "19",
    "city": "Lyon",
    "phones": "07 00 99 88 77",
    "handles": "snapchat:fictif_matrice",
}


def _workers(answer: Answer) -> dict[str, Answer | tuple[Answer, Answer]]:
    return {role: (answer if cell == OK else cell) for role, cell in CASE_WORKERS_ONLY.items()}


ROUTES: dict[str, Any] = {
    # A refused filter (422) is tested in test_ads_views.py.
    "outreach:ads": Route(
        probes=(
            Probe(GET, CASE_WORKERS_ONLY),
            # The search by phone or account is a POST: the number stays out of addresses.
            Probe(POST, CASE_WORKERS_ONLY, data={"identifier": "07 00 99 88 77"}),
        )
    ),
    "outreach:ad_create": Route(
        probes=(
            Probe(GET, CASE_WORKERS_ONLY),
            Probe(POST, _workers(to("outreach:ad_detail")), data=_AD),
            # Last seen before first seen; a stated age of 7 is a typing error.
            Probe(POST, _workers(INVALID_FORM), data={**_AD, "last_seen_on": "2025-12-01"}),
            Probe(POST, _workers(INVALID_FORM), data={**_AD, "declared_age": "7"}),
        )
    ),
    "outreach:ad_detail": Route(kwargs=ad_of, probes=(Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),)),
    "outreach:ad_update": Route(
        kwargs=ad_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(POST, CASE_EDITORS_OWN_ONLY(to("outreach:ad_detail")), data=_AD),
            Probe(POST, CASE_EDITORS_OWN_ONLY(INVALID_FORM), data={**_AD, "site": ""}),
        ),
    ),
}
