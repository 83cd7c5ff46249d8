"""What a token may reach: one scope per resource and access (read or write).

A scope never grants more than the person's role: a token can only be given scopes whose
permission the person holds, and every request is still checked against the person's current
permissions by the same services the pages use (a person who changes role loses what the new
role lacks, tokens included).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import User
from vigie.accounts.roles import Permission


class ApiScope(models.TextChoices):
    CASES_READ = "cases:read", _("Case files: read")
    CASES_WRITE = "cases:write", _("Case files: create and change")
    IDENTIFICATION_READ = "identification:read", _("Identification: read screenings")
    IDENTIFICATION_WRITE = "identification:write", _("Identification: screen")
    RIGHTS_READ = "rights:read", _("Rights plans: read")
    RIGHTS_WRITE = "rights:write", _("Rights plans: change a right")
    REFERRALS_READ = "referrals:read", _("Referrals: read")
    REFERRALS_WRITE = "referrals:write", _("Referrals: create, accept, decline, revoke")
    TRANSFERS_READ = "transfers:read", _("Transfers: read")
    TRANSFERS_WRITE = "transfers:write", _("Transfers: propose, accept, decline, cancel")
    DIRECTORY_READ = "directory:read", _("Directory: read")
    DIRECTORY_WRITE = "directory:write", _("Directory: change entries")
    PLACES_READ = "places:read", _("Accommodation places: read")
    PLACES_WRITE = "places:write", _("Accommodation places: change")
    RELEASES_READ = "releases:read", _("Statistics releases: read")


# The permission a person needs to be given each scope.
SCOPE_PERMISSION: dict[str, Permission] = {
    ApiScope.CASES_READ: Permission.CASE_VIEW,
    ApiScope.CASES_WRITE: Permission.CASE_EDIT,
    ApiScope.IDENTIFICATION_READ: Permission.CASE_VIEW,
    ApiScope.IDENTIFICATION_WRITE: Permission.CASE_EDIT,
    ApiScope.RIGHTS_READ: Permission.CASE_VIEW,
    ApiScope.RIGHTS_WRITE: Permission.CASE_EDIT,
    ApiScope.REFERRALS_READ: Permission.REFERRAL_MANAGE,
    ApiScope.REFERRALS_WRITE: Permission.REFERRAL_MANAGE,
    ApiScope.TRANSFERS_READ: Permission.TRANSFER_MANAGE,
    ApiScope.TRANSFERS_WRITE: Permission.TRANSFER_MANAGE,
    ApiScope.DIRECTORY_READ: Permission.DIRECTORY_VIEW,
    ApiScope.DIRECTORY_WRITE: Permission.DIRECTORY_MANAGE,
    ApiScope.PLACES_READ: Permission.PLACES_SEARCH,
    ApiScope.PLACES_WRITE: Permission.PLACES_MANAGE,
    ApiScope.RELEASES_READ: Permission.AGGREGATES_VIEW,
}

# Writing a resource includes reading it: a system that creates a file reads it back.
_IMPLIED_BY_WRITE = {
    scope.replace(":read", ":write"): scope
    for scope in ApiScope.values
    if scope.endswith(":read") and scope.replace(":read", ":write") in ApiScope.values
}


def scopes_available_to(user: User) -> list[str]:
    """The scopes this person may put on a token (catalogue order)."""
    return [
        scope for scope in ApiScope.values if user.has_vigie_permission(SCOPE_PERMISSION[scope])
    ]


def scopes_granted(scopes: list[str]) -> frozenset[str]:
    """A token's scopes with what they imply."""
    granted = set(scopes)
    granted |= {_IMPLIED_BY_WRITE[s] for s in scopes if s in _IMPLIED_BY_WRITE}
    return frozenset(granted)
