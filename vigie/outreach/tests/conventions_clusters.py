"""What the project-wide tests need to know about the possible networks pages.

ROUTES: the authorisation matrix of this part's URLs (see vigie/core/tests/url_matrix.py). A
network's address names one of its ads: out of scope, or for a role without outreach, a 404.
"""

from typing import Any

from vigie.core.tests.url_matrix import (
    CASE_EDITORS_OWN_ONLY,
    CASE_WORKERS_ONLY,
    GET,
    OK,
    Probe,
    Route,
)
from vigie.tests_support.factories_outreach import networked_ad_of

ROUTES: dict[str, Any] = {
    # The filters are a GET form; a refused filter (422) is tested in test_clusters_views.py.
    "outreach:clusters": Route(probes=(Probe(GET, CASE_WORKERS_ONLY),)),
    "outreach:cluster": Route(
        kwargs=networked_ad_of,
        probes=(Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),),
    ),
}
