"""What the project-wide tests need to know about the reports part of outreach
(vigie/outreach/views_reports.py).

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
Every URL names an ad: caseworkers and coordinators of the ad's organisation only; another
organisation's ad, and every other role, get 404 (organisation administrators, analysts and
platform administrators have no outreach permission). Signing in counts as a fresh
re-authentication, so the evidence POST gives the PDF.
"""

from typing import Any

from vigie.core.tests.url_matrix import (
    CASE_EDITORS_OWN_ONLY,
    GET,
    INVALID_FORM,
    OK,
    POST,
    Probe,
    Route,
    to,
)
from vigie.tests_support.factories_outreach import ad_of, networked_ad_of

_REPORT = {"recipient": "pharos", "reported_on": "2024-05-02", "reference": "PHAROS-2024-0042"}
# A fax is no recipient of the list.
_REPORT_INVALID = {**_REPORT, "recipient": "fax"}
_CASE = {
    "gender": "girl",
    "care_status": "none",
    "referral_source": "outreach",
    "exploitation_forms": ["online_sexual_exploitation"],
    "situation_note": "Annonce en ligne fictive.",
}

ROUTES: dict[str, Any] = {
    "outreach:report_ad": Route(
        kwargs=ad_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(POST, CASE_EDITORS_OWN_ONLY(to("outreach:ad_detail")), data=_REPORT),
            Probe(POST, CASE_EDITORS_OWN_ONLY(INVALID_FORM), data=_REPORT_INVALID),
        ),
    ),
    "outreach:report_cluster": Route(
        kwargs=networked_ad_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(POST, CASE_EDITORS_OWN_ONLY(to("outreach:cluster")), data=_REPORT),
            Probe(POST, CASE_EDITORS_OWN_ONLY(INVALID_FORM), data=_REPORT_INVALID),
        ),
    ),
    "outreach:evidence_ad": Route(
        kwargs=ad_of,
        probes=(Probe(GET, CASE_EDITORS_OWN_ONLY(OK)), Probe(POST, CASE_EDITORS_OWN_ONLY(OK))),
    ),
    "outreach:evidence_cluster": Route(
        kwargs=networked_ad_of,
        probes=(Probe(GET, CASE_EDITORS_OWN_ONLY(OK)), Probe(POST, CASE_EDITORS_OWN_ONLY(OK))),
    ),
    "outreach:case_from_ad": Route(
        kwargs=ad_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(POST, CASE_EDITORS_OWN_ONLY(to("cases:detail")), data=_CASE),
            # A nationality is two letters.
            Probe(POST, CASE_EDITORS_OWN_ONLY(INVALID_FORM), data={**_CASE, "nationality": "FRA"}),
        ),
    ),
}
