from typing import Any

from django.http import HttpRequest

from vigie.accounts.roles import Permission


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the main navigation may show: only links the person is allowed to follow."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"nav": {}}
    return {
        "nav": {
            "cases": user.has_vigie_permission(Permission.CASE_VIEW),
            "org_users": user.has_vigie_permission(Permission.ORG_USERS_MANAGE),
            "organisations": user.has_vigie_permission(Permission.PLATFORM_ORGS_MANAGE),
        }
    }
