"""Factories for the rights plan's tests (vigie/rights/tests/) and the URL walks."""

import factory

from vigie.rights.catalogue import load_catalogue
from vigie.rights.models import RightItem, RightState

from .factories import CaseFactory


class RightItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RightItem

    case = factory.SubFactory(CaseFactory)
    right_id = "ad_hoc_administrator"
    catalogue_version = factory.LazyFunction(lambda: load_catalogue().version)
    state = RightState.TO_DO
    opened_on = factory.LazyAttribute(lambda item: item.case.identified_on)
    opened_by = "catalogue"


def right_item_for_tests(case, right_id: str = "ad_hoc_administrator") -> RightItem:
    """The case's item for ``right_id``, created open (to do) when the plan has none."""
    item = RightItem.objects.filter(case=case, right_id=right_id).first()
    return item or RightItemFactory(case=case, right_id=right_id)
