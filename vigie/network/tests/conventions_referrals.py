"""What the project-wide tests need to know about the referrals pages.

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
READS: the audit events of every URL of this part that names a case (case_uuid), as in
vigie/cases/tests/test_read_audit.py.
"""

from typing import Any

from django.utils import timezone

from vigie.audit.models import AuditAction
from vigie.core.tests.url_matrix import (
    CASE_EDITORS_OWN_ONLY,
    CASE_WORKERS_ONLY,
    GET,
    INVALID_FORM,
    POST,
    Probe,
    Route,
    case_of,
    to,
)
from vigie.tests_support.audit_reads import Read
from vigie.tests_support.factories_referrals import (
    accepted_referral_of,
    received_referral_of,
    sent_referral_of,
)

DETAIL = "network:referral_detail"

ROUTES: dict[str, Any] = {
    # The form page; a referral needs a recipient's UUID, made per test: the refusals are probed
    # here (no section, no consent), the successful POST in test_referrals_views.py.
    "network:referral_create": Route(
        kwargs=case_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(200)),
            Probe(POST, CASE_EDITORS_OWN_ONLY(INVALID_FORM), data={"service": "health"}),
        ),
    ),
    "network:referrals": Route(probes=(Probe(GET, CASE_WORKERS_ONLY),)),
    # Own: a referral A sent. Other: a referral between two other organisations.
    DETAIL: Route(kwargs=sent_referral_of, probes=(Probe(GET, CASE_EDITORS_OWN_ONLY(200)),)),
    "network:referral_revoke": Route(
        kwargs=sent_referral_of, probes=(Probe(POST, CASE_EDITORS_OWN_ONLY(to(DETAIL))),)
    ),
    # Own: a referral A received. Other: a referral between two other organisations.
    "network:referral_accept": Route(
        kwargs=received_referral_of, probes=(Probe(POST, CASE_EDITORS_OWN_ONLY(to(DETAIL))),)
    ),
    "network:referral_decline": Route(
        kwargs=received_referral_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(200)),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(to(DETAIL)),
                data={"reason": "Plus de place avant trois mois."},
            ),
            # Declining needs a reason.
            Probe(POST, CASE_EDITORS_OWN_ONLY(INVALID_FORM), data={"reason": " "}),
        ),
    ),
    "network:referral_service": Route(
        kwargs=accepted_referral_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(200)),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(to(DETAIL)),
                data={
                    "delivered_on": timezone.localdate().isoformat(),
                    "description": "Consultation à l'UAPED.",
                },
            ),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(INVALID_FORM),
                data={"delivered_on": "2999-01-01", "description": "Consultation."},
            ),
        ),
    ),
}

READS: dict[str, Any] = {
    # The form reads the file (its reference); the referral itself is tested apart.
    "network:referral_create": Read("GET", [AuditAction.CASE_VIEW]),
}
