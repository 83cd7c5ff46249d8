"""The places part of the case page's coordination panel."""

from typing import Any

from django import template

from vigie.accounts.models import User
from vigie.accounts.roles import Permission

from ..selectors_places import holds_of_case

register = template.Library()


@register.inclusion_tag("network/places/_case.html", takes_context=True)
def case_places(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """The file's running holds and the way to search places. The case page already wrote the
    read's audit event: nothing more is written here."""
    user = context.get("user")
    can_search = isinstance(user, User) and (
        user.has_vigie_permission(Permission.PLACES_SEARCH)
        and user.organisation_id == case.organisation_id
    )
    return {
        "case": case,
        "can_search": can_search,
        "holds": holds_of_case(user=user, case=case) if isinstance(user, User) else [],
        "csrf_token": context.get("csrf_token"),
    }
