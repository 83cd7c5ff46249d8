"""What the project-wide tests need to know about the release pages.

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
Releases are published numbers of every organisation together: an analyst reads any of them
(own and other scope alike); nobody else may, and a URL naming one answers 404 to them.
READS: none of these URLs names a case.
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

_VALID = {
    "name": "Matrice",
    "preset": "custom",
    "custom_tables": "gender",
    "epsilon": "0.1",
    "delta": "1e-6",
    "threshold": "11",
}

ANALYSTS_ONLY: dict[str, Answer | tuple[Answer, Answer]] = {
    "caseworker": DENIED,
    "coordinator": DENIED,
    "org_admin": DENIED,
    "analyst": OK,
    "platform_admin": DENIED,
}


def _analysts_any(answer: Answer) -> dict[str, Answer | tuple[Answer, Answer]]:
    return {
        "caseworker": (HIDDEN, HIDDEN),
        "coordinator": (HIDDEN, HIDDEN),
        "org_admin": (HIDDEN, HIDDEN),
        "analyst": (answer, answer),
        "platform_admin": (HIDDEN, HIDDEN),
    }


def release_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    from vigie.tests_support.factories_releases import release_published

    release = release_published(
        tables={("gender",): {("girl",): 40, ("boy",): 25, ("other",): 3, ("unknown",): 0}}
    )
    return {"release_uuid": release.uuid}


ROUTES: dict[str, Any] = {
    "monitoring:releases": Route(probes=(Probe(GET, ANALYSTS_ONLY),)),
    "monitoring:release_create": Route(
        probes=(
            Probe(GET, ANALYSTS_ONLY),
            Probe(
                POST,
                {**ANALYSTS_ONLY, "analyst": to("monitoring:release_detail")},
                data=_VALID,
            ),
            Probe(
                POST, {**ANALYSTS_ONLY, "analyst": INVALID_FORM}, data={**_VALID, "epsilon": "0"}
            ),
        )
    ),
    "monitoring:release_detail": Route(kwargs=release_of, probes=(Probe(GET, _analysts_any(OK)),)),
    "monitoring:release_progress": Route(
        kwargs=release_of, probes=(Probe(GET, _analysts_any(OK)),)
    ),
    "monitoring:release_csv": Route(kwargs=release_of, probes=(Probe(GET, _analysts_any(OK)),)),
    "monitoring:release_json": Route(kwargs=release_of, probes=(Probe(GET, _analysts_any(OK)),)),
}

READS: dict[str, Any] = {}
