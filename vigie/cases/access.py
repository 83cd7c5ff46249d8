"""The one rule deciding which case files a person may see."""

from django.db.models import Q

from vigie.accounts.models import User
from vigie.accounts.roles import Permission


def case_visibility_filter(user: User) -> Q:
    """The files of the person's own organisation, archives left out.

    Another organisation never opens a file whole: a referral shares chosen sections, read
    through ``vigie.network.selectors_referrals.shared_file_get_for_user`` (shared professional
    secrecy, CASF art. L.226-2-2: only what is strictly necessary). Archived files (retention, CNIL
    2022-008) are reached one at a time, with a logged reason, through
    ``archived_case_get_for_coordinator``.
    """
    if not user.is_authenticated or not user.has_vigie_permission(Permission.CASE_VIEW):
        return Q(pk__in=[])
    if user.organisation_id is None:
        return Q(pk__in=[])
    return Q(organisation_id=user.organisation_id, archived_at__isnull=True)
