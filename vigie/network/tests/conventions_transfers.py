"""What the project-wide tests need to know about the transfers pages.

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
READS: the audit events of every URL of this part that names a case (case_uuid), as in
vigie/cases/tests/test_read_audit.py.

Transfers are a coordinator's business (Permission.TRANSFER_MANAGE): every other role gets 404 on
these URLs (they name an object) and 403 on the list. "Own" is a transfer organisation A takes
part in; "other" one between B and a third organisation, which A cannot tell exists.
"""

from typing import Any

from vigie.audit.models import AuditAction
from vigie.core.tests.url_matrix import (
    DENIED,
    GET,
    HIDDEN,
    INVALID_FORM,
    OK,
    OTHER,
    OWN,
    POST,
    Answer,
    Probe,
    Route,
    World,
    case_of,
    to,
)
from vigie.tests_support.audit_reads import Read
from vigie.tests_support.factories import OrganisationFactory
from vigie.tests_support.factories_transfers import (
    CONSENT_POST,
    AbroadTransferFactory,
    TransferFactory,
)


def _third_organisation() -> Any:
    from vigie.accounts.models import Organisation

    return Organisation.objects.filter(name="Organisation C (transfers)").first() or (
        OrganisationFactory(name="Organisation C (transfers)")
    )


def _fresh_case(world: World, scope: str) -> Any:
    """A new file of the scope's organisation: a file has one proposed transfer at a time, and
    some tests build the same URL several times."""
    from vigie.tests_support.factories import CaseFactory

    return CaseFactory(organisation=world.cases[scope].organisation)


def outgoing_transfer_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    """Own: A proposes its case to B. Other: B proposes its case to C."""
    if scope == OWN:
        transfer = TransferFactory(
            case=_fresh_case(world, OWN), to_organisation=world.cases[OTHER].organisation
        )
    else:
        transfer = TransferFactory(
            case=_fresh_case(world, OTHER), to_organisation=_third_organisation()
        )
    return {"transfer_uuid": transfer.uuid}


def incoming_transfer_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    """Own: B proposes its case to A. Other: B proposes its case to C."""
    recipient = world.cases[OWN].organisation if scope == OWN else _third_organisation()
    transfer = TransferFactory(case=_fresh_case(world, OTHER), to_organisation=recipient)
    return {"transfer_uuid": transfer.uuid}


def abroad_transfer_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    """A summary for a partner abroad, proposed by the scope's organisation."""
    transfer = AbroadTransferFactory(case=_fresh_case(world, scope))
    return {"transfer_uuid": transfer.uuid}


def _coordinators(answer: Answer) -> dict[str, Answer | tuple[Answer, Answer]]:
    return {
        "caseworker": (HIDDEN, HIDDEN),
        "coordinator": (answer, HIDDEN),
        "org_admin": (HIDDEN, HIDDEN),
        "analyst": (HIDDEN, HIDDEN),
        "platform_admin": (HIDDEN, HIDDEN),
    }


ABROAD_POST = {
    "destination": "abroad",
    "partner_name": "Fictional Child Protection Service",
    "partner_country": "IT",
    "reason": "Retour accompagné auprès de sa tante, en Italie.",
    **CONSENT_POST,
}

ROUTES: dict[str, Route] = {
    "network:transfer_create": Route(
        kwargs=case_of,
        probes=(
            Probe(GET, _coordinators(OK)),
            Probe(POST, _coordinators(to("network:transfer_detail")), data=ABROAD_POST),
            # Abroad without naming the partner: refused by name, after the scope check.
            Probe(
                POST,
                _coordinators(INVALID_FORM),
                data={**ABROAD_POST, "partner_name": ""},
            ),
        ),
    ),
    "network:transfers": Route(
        probes=(
            Probe(
                GET,
                {
                    "caseworker": DENIED,
                    "coordinator": OK,
                    "org_admin": DENIED,
                    "analyst": DENIED,
                    "platform_admin": DENIED,
                },
            ),
        )
    ),
    "network:transfer_detail": Route(
        kwargs=outgoing_transfer_of, probes=(Probe(GET, _coordinators(OK)),)
    ),
    "network:transfer_summary_pdf": Route(
        kwargs=outgoing_transfer_of, probes=(Probe(GET, _coordinators(OK)),)
    ),
    "network:transfer_accept": Route(
        kwargs=incoming_transfer_of, probes=(Probe(POST, _coordinators(to("cases:detail"))),)
    ),
    "network:transfer_decline": Route(
        kwargs=incoming_transfer_of,
        probes=(
            Probe(GET, _coordinators(OK)),
            Probe(
                POST,
                _coordinators(to("network:transfers")),
                data={"decline_reason": "Aucune place adaptée dans notre service."},
            ),
            Probe(POST, _coordinators(INVALID_FORM), data={"decline_reason": "  "}),
        ),
    ),
    "network:transfer_cancel": Route(
        kwargs=outgoing_transfer_of,
        probes=(Probe(POST, _coordinators(to("network:transfer_detail"))),),
    ),
    "network:transfer_send_abroad": Route(
        kwargs=abroad_transfer_of,
        probes=(Probe(POST, _coordinators(to("network:transfer_detail"))),),
    ),
}

READS: dict[str, Any] = {
    # The file is read to propose, then the proposal is recorded (case first in both).
    "network:transfer_create": Read(
        "POST", [AuditAction.CASE_VIEW, AuditAction.TRANSFER_PROPOSE], ABROAD_POST
    ),
}
