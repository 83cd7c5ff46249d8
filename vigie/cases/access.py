"""The one rule deciding which case files a person may see."""

from django.db.models import Q
from django.utils import timezone

from vigie.accounts.models import User
from vigie.accounts.roles import Permission


def case_visibility_filter(user: User) -> Q:
    """Own organisation's files, plus files shared with it through an active share.

    Archived files (retention, CNIL 2022-008) are never in it: coordinators reach them one at
    a time, with a logged reason, through ``archived_case_get_for_coordinator``.
    """
    if not user.is_authenticated or not user.has_vigie_permission(Permission.CASE_VIEW):
        return Q(pk__in=[])
    if user.organisation_id is None:
        return Q(pk__in=[])
    from .models import CaseShare

    active_shares = CaseShare.objects.filter(
        organisation_id=user.organisation_id,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).values("case_id")
    return (Q(organisation_id=user.organisation_id) | Q(pk__in=active_shares)) & Q(
        archived_at__isnull=True
    )
