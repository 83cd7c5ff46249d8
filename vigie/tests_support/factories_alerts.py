"""Factories for the daily view, alert digests and retention tests (issue 5)."""

from datetime import date
from typing import Any

import factory
from django.utils import timezone

from vigie.cases.ages import majority_month
from vigie.cases.models import AgeAppeal, Case, Placement
from vigie.rights.models import OPEN_STATES, RightItem

from .factories import CaseFactory


class RightItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RightItem

    case = factory.SubFactory(CaseFactory)
    right_id = factory.Sequence(lambda n: f"test_right_{n}")
    catalogue_version = "test"
    state = "to_do"


class AgeAppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgeAppeal

    case = factory.SubFactory(CaseFactory)
    filed_on = factory.LazyFunction(timezone.localdate)


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    case = factory.SubFactory(CaseFactory)
    kind = "hotel"
    started_on = factory.LazyFunction(timezone.localdate)


def rights_for_tests(case: Case, *rights: tuple[str, str, date | None]) -> list[RightItem]:
    """Right items (right_id, state, due_on) for ``case``, with the case's next_due_on kept as
    the rights plan keeps it: the earliest due date of an open right."""
    items = [
        RightItemFactory(case=case, right_id=right_id, state=state, due_on=due_on)
        for right_id, state, due_on in rights
    ]
    dues = [i.due_on for i in case.rights.filter(state__in=OPEN_STATES, due_on__isnull=False)]
    case.next_due_on = min(dues) if dues else None
    Case.objects.filter(pk=case.pk).update(next_due_on=case.next_due_on)
    return items


def case_born_on(born: date | None, *, birth_year: int | None = None, **kwargs: Any) -> Case:
    """A case with its birth date (or year) and the month of majority the services derive."""
    year = born.year if born else birth_year
    disputed = kwargs.get("age_disputed", False)
    return CaseFactory(
        birth_date=born,
        birth_year=year,
        majority_month=majority_month(birth_date=born, birth_year=year, disputed=disputed),
        **kwargs,
    )


def archive_for_tests(case: Case, *, on: Any = None) -> Case:
    case.archived_at = on or timezone.now()
    Case.objects.filter(pk=case.pk).update(archived_at=case.archived_at)
    return case


def archived_case_of(world: Any, actor: Any, scope: str) -> dict[str, Any]:
    """url_matrix kwargs builder: the scope's case, archived (archive pages read only those)."""
    return {"case_uuid": archive_for_tests(world.cases[scope]).uuid}
