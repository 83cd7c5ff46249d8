"""The date of the last contact with the young person, which retention counts from."""

from datetime import date

from ..models import Case


def case_contact_record(*, case: Case, on: date) -> None:
    """A note, an event or an edit dated ``on`` is a contact; the date never moves backwards.

    Called inside the writing service's transaction (CNIL 2022-008: two years without contact
    archive the file, see vigie/cases/services/retention.py).
    """
    if on > case.last_contact_on:
        case.last_contact_on = on
        Case.objects.filter(pk=case.pk, last_contact_on__lt=on).update(last_contact_on=on)
