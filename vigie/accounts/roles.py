"""Roles and what each may do: the single role -> permission table of Vigie.

Every access decision in views, the API and commands reads this table through
``user_has_permission``; nothing else grants rights.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    COORDINATOR = "coordinator", _("Coordinator")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    ANALYST = "analyst", _("Monitoring analyst")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


class Permission(StrEnum):
    CASE_VIEW = "case.view"
    CASE_EDIT = "case.edit"
    CASE_ASSIGN = "case.assign"
    CASE_ACCESS_LOG = "case.access_log"
    # Archived files (retention) are opened one at a time, with a logged reason.
    CASE_ARCHIVE_VIEW = "case.archive_view"
    REFERRAL_MANAGE = "referral.manage"
    CONSENT_OVERRIDE = "consent.override"
    ORG_USERS_MANAGE = "org.users.manage"
    AGGREGATES_VIEW = "aggregates.view"
    PLATFORM_ORGS_MANAGE = "platform.organisations.manage"


_CASE_WORK = frozenset({Permission.CASE_VIEW, Permission.CASE_EDIT})

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.CASEWORKER: _CASE_WORK,
    Role.COORDINATOR: _CASE_WORK
    | {
        Permission.CASE_ASSIGN,
        Permission.CASE_ACCESS_LOG,
        Permission.CASE_ARCHIVE_VIEW,
        Permission.REFERRAL_MANAGE,
        Permission.CONSENT_OVERRIDE,
    },
    # Administrators manage people and settings, not children's files (CNIL 2022-008:
    # access to case data only for those who need it for the child's care).
    Role.ORG_ADMIN: frozenset({Permission.ORG_USERS_MANAGE}),
    Role.ANALYST: frozenset({Permission.AGGREGATES_VIEW}),
    Role.PLATFORM_ADMIN: frozenset({Permission.PLATFORM_ORGS_MANAGE}),
}

# Roles whose holders work on children's files (case pages, alerts, the daily view).
CASE_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if Permission.CASE_VIEW in perms
)


def role_has_permission(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
