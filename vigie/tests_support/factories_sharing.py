"""A referral sharing every section of a file: for tests proving that even then, another
organisation never opens the case pages nor writes to the file."""

from datetime import timedelta

from django.utils import timezone


def full_referral_for_tests(case, organisation):
    from vigie.network.models import FileSection, Referral

    return Referral.objects.create(
        case=case,
        from_organisation=case.organisation,
        to_organisation=organisation,
        service="health",
        sections=list(FileSection.values),
        child_consent="consented",
        parents_consent="informed",
        consent_recorded_on=timezone.localdate(),
        expires_at=timezone.now() + timedelta(days=7),
        created_by=case.assigned_to or case.created_by,
    )
