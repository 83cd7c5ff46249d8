from typing import Any

from django.http import HttpRequest

from vigie.accounts.roles import Permission


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the main navigation may show: only links the person is allowed to follow."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"nav": {}}
    from vigie.network.selectors_notifications import notifications_unread_count

    def can(permission: Permission) -> bool:
        return bool(user.has_vigie_permission(permission))

    return {
        "nav": {
            "cases": can(Permission.CASE_VIEW),
            "referrals": can(Permission.REFERRAL_MANAGE),
            "transfers": can(Permission.TRANSFER_MANAGE),
            "directory": can(Permission.DIRECTORY_VIEW),
            "outreach": can(Permission.OUTREACH_VIEW),
            "places": can(Permission.PLACES_SEARCH),
            "places_mine": can(Permission.PLACES_MANAGE) and not can(Permission.PLACES_SEARCH),
            "org_users": can(Permission.ORG_USERS_MANAGE),
            "organisations": can(Permission.PLATFORM_ORGS_MANAGE),
            "statistics": can(Permission.STATS_ORG_VIEW),
            "releases": can(Permission.AGGREGATES_VIEW),
            "advocacy": can(Permission.ADVOCACY_VIEW),
            "notifications": can(Permission.NOTIFICATIONS_VIEW),
            # One indexed COUNT per page: (recipient, read_at).
            "unread": notifications_unread_count(user=user)
            if can(Permission.NOTIFICATIONS_VIEW)
            else 0,
        }
    }
