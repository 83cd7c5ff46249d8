"""What the project-wide tests need to know about the exports in the field's standards.

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
- The HTCDS export is a coordinator's (Permission.STATS_CASE_EXPORT), of their own
  organisation's files only: the page and the file (signing in counts as a fresh
  re-authentication, so the POST gives the file); everyone else gets 403.
- A release's CTDC and survey files are an analyst's (Permission.AGGREGATES_VIEW). Releases are
  published numbers of every organisation together, so own and other scope alike give the file;
  everyone else gets 404 (the URL names a release).
READS: none of these URLs names a case (the HTCDS export audits the files it covers itself).
"""

from typing import Any

from vigie.core.tests.url_matrix import (
    DENIED,
    GET,
    HIDDEN,
    OK,
    POST,
    Answer,
    Probe,
    Route,
    World,
)

_COORDINATORS: dict[str, Answer | tuple[Answer, Answer]] = {
    "caseworker": DENIED,
    "coordinator": OK,
    "org_admin": DENIED,
    "analyst": DENIED,
    "platform_admin": DENIED,
}

_ANALYSTS_ANY: dict[str, Answer | tuple[Answer, Answer]] = {
    "caseworker": (HIDDEN, HIDDEN),
    "coordinator": (HIDDEN, HIDDEN),
    "org_admin": (HIDDEN, HIDDEN),
    "analyst": (OK, OK),
    "platform_admin": (HIDDEN, HIDDEN),
}


def release_with_export_tables_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    """A published release holding every table both files need (one girl's worth of counts
    in each: the numbers do not matter here)."""
    from vigie.monitoring.exports.ctdc import CTDC_TABLES
    from vigie.monitoring.exports.survey import SURVEY_TABLES
    from vigie.tests_support.factories_releases import counts_from_records, release_published

    record = {
        "form": "forced_begging",
        "gender": "girl",
        "age_ctdc": "9-17",
        "minor": "minor",
        "nationality": "RO",
        "year": "earlier",
    }
    tables = {*CTDC_TABLES, *SURVEY_TABLES} - {()}
    release = release_published(tables=counts_from_records([record] * 20, tables))
    return {"release_uuid": release.uuid}


ROUTES: dict[str, Route] = {
    "monitoring:htcds": Route(probes=(Probe(GET, _COORDINATORS), Probe(POST, _COORDINATORS))),
    "monitoring:release_ctdc": Route(
        kwargs=release_with_export_tables_of, probes=(Probe(GET, _ANALYSTS_ANY),)
    ),
    "monitoring:release_survey": Route(
        kwargs=release_with_export_tables_of, probes=(Probe(GET, _ANALYSTS_ANY),)
    ),
}

READS: dict[str, Any] = {}
