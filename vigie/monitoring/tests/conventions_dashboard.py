"""What the project-wide tests need to know about the statistics dashboard.

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
The dashboard shows a coordinator the exact numbers of her own organisation (STATS_ORG_VIEW); no
URL names an object, so there is no "other organisation" cell: the page only ever counts the
person's own organisation's files (test_dashboard.py checks it).
READS: none of these URLs names a case.
"""

from typing import Any

from vigie.core.tests.url_matrix import DENIED, GET, OK, Answer, Probe, Route


def _coordinators(answer: Answer) -> dict[str, Answer | tuple[Answer, Answer]]:
    return {
        "caseworker": DENIED,
        "coordinator": answer,
        "org_admin": DENIED,
        "analyst": DENIED,
        "platform_admin": DENIED,
    }


ROUTES: dict[str, Route] = {
    # The matrix's runner sends no data with a GET (test_authorisation_matrix._send): invalid
    # parameters (422, the field named) are tested in test_dashboard.py.
    "monitoring:dashboard": Route(probes=(Probe(GET, _coordinators(OK)),)),
}
READS: dict[str, Any] = {}
