"""What the project-wide tests need to know about the recommendations tracker pages.

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
Recommendations belong to no organisation (public documents and the associations' common
assessments): coordinators and analysts read them all, own and other scope alike; only analysts
edit. Without the permission: 403 on a page, 404 on a URL naming a recommendation.
READS: none of these URLs names a case.
"""

from typing import Any

from vigie.advocacy.tests.conventions_roles import (
    READERS,
    editors,
    editors_any,
    readers_any,
)
from vigie.core.tests.url_matrix import (
    GET,
    INVALID_FORM,
    OK,
    POST,
    Probe,
    Route,
    World,
    to,
)


def recommendation_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    from vigie.tests_support.factories_advocacy import RecommendationFactory

    return {"recommendation_uuid": RecommendationFactory().uuid}


def assessment_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    from vigie.tests_support.factories_advocacy import AssessmentFactory

    return {"assessment_uuid": AssessmentFactory().uuid}


_ASSESSMENT = {
    "source": "assessment",
    "assessed_on": "2025-01-10",
    "status": "partially",
    "rationale": "Observé sur le terrain.",
}
_EVIDENCE = {"kind": "link", "title": "Rapport", "url": "https://example.org/rapport"}
_MEASURE = {"title": "Décret d’application", "due_on": "2030-01-01"}

_RECOMMENDATION = {
    "framework": "crc_co_2023",
    "reference": "CRC/C/FRA/CO/6-7 matrice",
    "kind": "recommendation",
    "text_fr": "Texte saisi depuis le document officiel.",
    "articles": "CRC 34\nCRC 35",
}

ROUTES: dict[str, Any] = {
    "advocacy:recommendations": Route(probes=(Probe(GET, READERS),)),
    "advocacy:recommendation_add": Route(
        probes=(
            Probe(GET, editors(OK)),
            Probe(
                POST,
                {**editors(OK), "analyst": to("advocacy:recommendation")},
                data=_RECOMMENDATION,
            ),
            # No text in either language: refused, naming the field.
            Probe(
                POST,
                {**editors(OK), "analyst": INVALID_FORM},
                data={**_RECOMMENDATION, "text_fr": ""},
            ),
        )
    ),
    "advocacy:recommendation_edit": Route(
        kwargs=recommendation_of,
        probes=(
            Probe(GET, editors_any(OK)),
            Probe(POST, editors_any(to("advocacy:recommendation")), data=_RECOMMENDATION),
            Probe(POST, editors_any(INVALID_FORM), data={**_RECOMMENDATION, "reference": ""}),
        ),
    ),
    "advocacy:recommendation_link": Route(
        kwargs=recommendation_of,
        probes=(
            Probe(GET, editors_any(OK)),
            Probe(POST, editors_any(to("advocacy:recommendation")), data={"reference": "SDG 8.7"}),
            Probe(POST, editors_any(INVALID_FORM), data={"reference": "nowhere"}),
        ),
    ),
    "advocacy:measures_due": Route(probes=(Probe(GET, READERS),)),
    "advocacy:recommendation": Route(
        kwargs=recommendation_of, probes=(Probe(GET, readers_any(OK)),)
    ),
    "advocacy:assessment_add": Route(
        kwargs=recommendation_of,
        probes=(
            Probe(GET, editors_any(OK)),
            Probe(POST, editors_any(to("advocacy:recommendation")), data=_ASSESSMENT),
            Probe(POST, editors_any(INVALID_FORM), data={**_ASSESSMENT, "rationale": ""}),
        ),
    ),
    "advocacy:evidence_add": Route(
        kwargs=assessment_of,
        probes=(
            Probe(GET, editors_any(OK)),
            Probe(POST, editors_any(to("advocacy:recommendation")), data=_EVIDENCE),
            # A figure no published release has: refused, naming the field.
            Probe(
                POST,
                editors_any(INVALID_FORM),
                data={"kind": "figure", "title": "Chiffre", "table": "gender", "cell": "girl"},
            ),
        ),
    ),
    "advocacy:measure_add": Route(
        kwargs=recommendation_of,
        probes=(
            Probe(GET, editors_any(OK)),
            Probe(POST, editors_any(to("advocacy:recommendation")), data=_MEASURE),
            Probe(POST, editors_any(INVALID_FORM), data={**_MEASURE, "title": ""}),
        ),
    ),
}

READS: dict[str, Any] = {}
