"""The referrals part of the case page's coordination panel."""

from typing import Any

from django import template

from vigie.accounts.roles import Permission
from vigie.cases.models import ACTIVE_STATUSES, Case

from ..selectors_referrals import referrals_for_case

register = template.Library()


@register.inclusion_tag("network/referrals/_case.html", takes_context=True)
def case_referrals(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """No audit event of its own: the case page that includes it wrote CASE_VIEW."""
    user = context["user"]
    return {
        "case": case,
        "referrals": referrals_for_case(case=case),
        "can_refer": user.has_vigie_permission(Permission.REFERRAL_MANAGE)
        and case.status in ACTIVE_STATUSES,
    }
