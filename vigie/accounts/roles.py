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
    # Bulk data: importing files from a spreadsheet, exporting the list of files.
    CASE_IMPORT = "case.import"
    CASE_LIST_EXPORT = "case.list_export"
    # One child's full file as a PDF (for a judge, or the organisation taking the child over).
    CASE_FILE_EXPORT = "case.file_export"
    # Referrals: share chosen sections of a file with another organisation, answer one received.
    REFERRAL_MANAGE = "referral.manage"
    # Share without the young person's agreement (CASF L.226-2-2), with a written reason.
    CONSENT_OVERRIDE = "consent.override"
    # Hand a file over to another organisation or send its summary abroad, accept one received.
    TRANSFER_MANAGE = "transfer.manage"
    DIRECTORY_VIEW = "directory.view"
    DIRECTORY_MANAGE = "directory.manage"
    # Search accommodation places for a child and hold one.
    PLACES_SEARCH = "places.search"
    PLACES_MANAGE = "places.manage"
    NOTIFICATIONS_VIEW = "notifications.view"
    ORG_USERS_MANAGE = "org.users.manage"
    # Published statistics releases (never rows), and requesting a new one within the ledger.
    AGGREGATES_VIEW = "aggregates.view"
    RELEASE_CREATE = "release.create"
    # The organisation's own exact statistics, and its case-level HTCDS export.
    STATS_ORG_VIEW = "stats.org_view"
    STATS_CASE_EXPORT = "stats.case_export"
    # The recommendations tracker and the alternative report (published figures only).
    ADVOCACY_VIEW = "advocacy.view"
    ADVOCACY_EDIT = "advocacy.edit"
    PLATFORM_ORGS_MANAGE = "platform.organisations.manage"
    # Digital outreach (seed 000 §III.4): online advertisements, their networks, contacts and
    # reports to the authorities. As sensitive as case files: the same people, same organisation.
    OUTREACH_VIEW = "outreach.view"
    OUTREACH_EDIT = "outreach.edit"
    # The cluster's evidence as a PDF for Pharos or the police.
    OUTREACH_EVIDENCE_EXPORT = "outreach.evidence_export"
    # The organisation's contact templates and hotline.
    OUTREACH_TEMPLATES_MANAGE = "outreach.templates_manage"


_CASE_WORK = frozenset(
    {
        Permission.CASE_VIEW,
        Permission.CASE_EDIT,
        Permission.CASE_FILE_EXPORT,
        Permission.REFERRAL_MANAGE,
        Permission.DIRECTORY_VIEW,
        Permission.PLACES_SEARCH,
        Permission.NOTIFICATIONS_VIEW,
        Permission.OUTREACH_VIEW,
        Permission.OUTREACH_EDIT,
        Permission.OUTREACH_EVIDENCE_EXPORT,
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.CASEWORKER: _CASE_WORK,
    Role.COORDINATOR: _CASE_WORK
    | {
        Permission.CASE_ASSIGN,
        Permission.CASE_ACCESS_LOG,
        Permission.CASE_ARCHIVE_VIEW,
        Permission.CASE_IMPORT,
        Permission.CASE_LIST_EXPORT,
        Permission.CONSENT_OVERRIDE,
        Permission.TRANSFER_MANAGE,
        Permission.DIRECTORY_MANAGE,
        Permission.PLACES_MANAGE,
        Permission.STATS_ORG_VIEW,
        Permission.STATS_CASE_EXPORT,
        Permission.ADVOCACY_VIEW,
        Permission.OUTREACH_TEMPLATES_MANAGE,
    },
    # Administrators manage people and settings, not children's files (CNIL 2022-008:
    # access to case data only for those who need it for the child's care).
    # They keep the organisation's directory entries and published places (no child data).
    Role.ORG_ADMIN: frozenset(
        {
            Permission.ORG_USERS_MANAGE,
            Permission.DIRECTORY_VIEW,
            Permission.DIRECTORY_MANAGE,
            Permission.PLACES_MANAGE,
            Permission.NOTIFICATIONS_VIEW,
        }
    ),
    # Monitoring analysts read and request releases: numbers that left no child traceable.
    Role.ANALYST: frozenset(
        {
            Permission.AGGREGATES_VIEW,
            Permission.RELEASE_CREATE,
            Permission.ADVOCACY_VIEW,
            Permission.ADVOCACY_EDIT,
            Permission.NOTIFICATIONS_VIEW,
        }
    ),
    Role.PLATFORM_ADMIN: frozenset(
        {Permission.PLATFORM_ORGS_MANAGE, Permission.NOTIFICATIONS_VIEW}
    ),
}

# Roles whose holders work on children's files (case pages, alerts, the daily view).
CASE_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if Permission.CASE_VIEW in perms
)


def role_has_permission(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
