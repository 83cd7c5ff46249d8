"""The transfers part of the case page's coordination panel."""

from typing import Any

from django import template

from vigie.accounts.roles import Permission
from vigie.cases.models import ACTIVE_STATUSES

from ..selectors_transfers import RECIPIENT_STATUSES, transfers_for_case

register = template.Library()


@register.inclusion_tag("network/transfers/_case.html", takes_context=True)
def case_transfers(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """The file's transfers (the case page already audited the read: no event of its own), and
    the link to propose one for coordinators of the organisation holding the file."""
    request = context.get("request")
    user = getattr(request, "user", None)
    may_transfer = bool(
        user is not None
        and user.is_authenticated
        and user.has_vigie_permission(Permission.TRANSFER_MANAGE)
        and user.organisation_id == case.organisation_id
    )
    organisation_id = getattr(user, "organisation_id", None)
    # A link only to the transfers the person's organisation took part in (others are 404).
    rows = [
        (
            transfer,
            may_transfer
            and (
                transfer.from_organisation_id == organisation_id
                or (
                    transfer.to_organisation_id == organisation_id
                    and transfer.status in RECIPIENT_STATUSES
                )
            ),
        )
        for transfer in transfers_for_case(case=case)
    ]
    return {
        "case": case,
        "rows": rows,
        "can_transfer": may_transfer and case.status in ACTIVE_STATUSES,
    }
