"""Who sees which advertisements: the one place that decides it.

Outreach data is as sensitive as a case file (an ad's phone or handle leads to the child): the
people who work on case files, in the ad's own organisation, and nobody else.
"""

from django.db.models import Q

from vigie.accounts.models import User
from vigie.accounts.roles import Permission


def ad_visibility_filter(user: User) -> Q:
    if not user.is_authenticated or not user.has_vigie_permission(Permission.OUTREACH_VIEW):
        return Q(pk__in=[])
    if user.organisation_id is None:
        return Q(pk__in=[])
    return Q(organisation_id=user.organisation_id)
